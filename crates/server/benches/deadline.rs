//! `cargo bench -p bighealth-server --bench deadline`: the deadline day of a
//! province's monthly dispatch (月调度), through the real server.
//!
//! Writes plans whose tasks name registered units as lead units — by
//! default 75 plans of 40 units × 20 tasks: 3 000 units with a form of 20
//! items each — imports them, opens the reporting month, and has 50 clients
//! (reporter accounts, each holding 60 units) submit every unit's form at
//! once over HTTP (`POST …/submit`, 20 entries). Prints each submission's
//! p50/p95/p99, the submissions per second and the whole run's length, then
//! reads every form back and checks that every value sent is stored
//! (nothing lost), on SQLite and PostgreSQL (`BIGHEALTH_TEST_POSTGRES`).
//!
//! - `-- sqlite` or `-- postgres`: one backend only.
//! - `BIGHEALTH_BENCH_UNITS=600`: fewer units, for quick trials.
//!
//! Under `cargo test --all-targets` it runs once, small (2 plans of 6 units
//! × 4 tasks, 3 clients), on SQLite, as a smoke test. No timing is asserted;
//! a refused submission or a value not read back panics.

use bighealth_server::{AppState, Clock};
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::testing::TestDb;
use bighealth_store::{Actor, Role, Store, now_ms};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The region the units and plans are in (湖南省).
const REGION: &str = "430000";

struct Sizes {
    plans: usize,
    units_per_plan: usize,
    tasks_per_unit: usize,
    clients: usize,
}

fn plan_text(p: usize, s: &Sizes) -> String {
    let mut text = format!("湖南省第{}批重点任务月调度工作方案\n一、重点任务\n", p + 1);
    let mut n = 0;
    for u in 0..s.units_per_plan {
        for t in 0..s.tasks_per_unit {
            n += 1;
            text.push_str(&format!(
                "{n}. 推进第{}项健康产业重点工作{t}号。（牵头单位：省直单位{:04}）\n",
                n,
                p * s.units_per_plan + u
            ));
        }
    }
    text
}

fn pct(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times.get(i).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

async fn run(backend: &str, s: &Sizes, quick: bool) -> String {
    let db = if backend == "postgres" { TestDb::postgres().await } else { TestDb::sqlite() };
    let store = Store::open(&db.url).await.expect("opens the store");
    let office = Actor::local("bench", Role::SystemAdmin);
    let units = s.plans * s.units_per_plan;
    let mut unit_ids = Vec::with_capacity(units);
    for u in 0..units {
        let unit = store
            .create_unit(&office, &format!("省直单位{u:04}"), REGION, None, &[], now_ms())
            .await
            .expect("registers a unit");
        unit_ids.push(unit.id);
    }
    let started = Instant::now();
    let mut plan_ids = Vec::new();
    for p in 0..s.plans {
        let text = plan_text(p, s);
        let name = format!("plan{p}.txt");
        let req = ImportRequest { name: &name, bytes: text.as_bytes(), region: REGION, parent: None };
        match store.import_plan(&office, req, &mut |_| {}, now_ms()).await.expect("imports") {
            Imported::Stored(r) => {
                assert_eq!(r.tasks, s.units_per_plan * s.tasks_per_unit, "every task read");
                plan_ids.push(r.plan_id);
            }
            other => panic!("{other:?}"),
        }
    }
    let imported = started.elapsed();
    // The reporters: one account per client, each holding its share of units.
    let security = Actor::local("bench", Role::SecurityAdmin);
    let share = units.div_ceil(s.clients);
    let mut accounts = Vec::new();
    for (c, held) in unit_ids.chunks(share).enumerate() {
        let password = generate_password();
        let user = NewUser {
            username: format!("reporter{c}"),
            display_name: None,
            password: password.clone(),
            roles: vec![Role::Reporter],
            units: held.to_vec(),
        };
        store.create_user(&security, &user, now_ms()).await.expect("creates a reporter");
        accounts.push((format!("reporter{c}"), password, held.to_vec()));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let clock = Clock::default();
    let state = AppState::new(store.clone(), clock.clone(), false);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bighealth_server::serve(state, listener, async move {
        let _ = stopped.await;
    }));
    let today = bighealth_rules::calendar::date_of(clock.now());
    let key = format!("{}-{:02}", today.year(), today.month());
    // The plans' units each open their form once (the assignments are made).
    let plan_of = |unit_index: usize| plan_ids[unit_index / s.units_per_plan];
    let start = Instant::now();
    let mut running = Vec::new();
    for (name, password, held) in accounts {
        let base = base.clone();
        let key = key.clone();
        let firsts: Vec<(i64, i64)> = held
            .iter()
            .map(|u| {
                let index = unit_ids.iter().position(|x| x == u).expect("a unit");
                (plan_of(index), *u)
            })
            .collect();
        running.push(tokio::spawn(async move {
            let http = reqwest::Client::builder().cookie_store(true).build().expect("a client");
            let login: Value = http
                .post(format!("{base}/api/session"))
                .json(&json!({"username": name, "password": password}))
                .send()
                .await
                .expect("logs in")
                .json()
                .await
                .expect("a session");
            let csrf = login["csrf_token"].as_str().expect("a CSRF token").to_string();
            let mut times = Vec::new();
            let mut sent = Vec::new();
            for (plan, unit) in firsts {
                let path = format!("{base}/api/plans/{plan}/reports/{key}/{unit}");
                let form: Value = http.get(&path).send().await.expect("reads the form").json().await.expect("a form");
                let entries: Vec<Value> = form["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        json!({"kind": "task", "item_id": item["item_id"], "status": "on_track",
                               "share": (unit * 7 + i as i64) % 100, "progress": format!("单位{unit}第{i}项按序时推进")})
                    })
                    .collect();
                let t = Instant::now();
                let resp = http
                    .post(format!("{path}/submit"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"entries": entries}))
                    .send()
                    .await
                    .expect("submits");
                let status = resp.status();
                let body = resp.text().await.unwrap_or_default();
                times.push(t.elapsed());
                assert!(status.is_success(), "a submission refused: {status} {body}");
                sent.push((plan, unit, entries));
            }
            (times, sent, http)
        }));
    }
    let mut times = Vec::new();
    let mut all_sent = Vec::new();
    let mut readers = Vec::new();
    for r in running {
        let (t, sent, http) = r.await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        times.extend(t);
        readers.push((http, sent.clone()));
        all_sent.extend(sent);
    }
    let took = start.elapsed();
    // Read every form back: every value sent is stored.
    let mut values = 0;
    for (http, sent) in readers {
        for (plan, unit, entries) in sent {
            let form: Value = http
                .get(format!("{base}/api/plans/{plan}/reports/{key}/{unit}"))
                .send()
                .await
                .expect("reads back")
                .json()
                .await
                .expect("a form");
            assert_eq!(form["state"], "submitted");
            for e in &entries {
                let item = form["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .find(|i| i["item_id"] == e["item_id"])
                    .expect("the item is on the form");
                assert_eq!(item["entry"]["share"].as_f64(), e["share"].as_f64(), "a value lost");
                values += 1;
            }
        }
    }
    let _ = stop.send(());
    let _ = server.await;
    store.close().await;
    db.drop_db().await;
    let n = times.len();
    assert_eq!(n, units, "every unit submitted");
    let (p50, p95, p99) = (pct(&mut times, 0.5), pct(&mut times, 0.95), pct(&mut times, 0.99));
    let line = format!(
        "| {backend} | {units} | {} | {} | {:.0} s | {:.1} s | {:.1} | {p50:.1} | {p95:.1} | {p99:.1} | {values} |",
        s.tasks_per_unit,
        s.clients,
        imported.as_secs_f64(),
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
    );
    if !quick {
        eprintln!("{line}");
    }
    line
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench");
    let sizes = if quick {
        Sizes { plans: 2, units_per_plan: 6, tasks_per_unit: 4, clients: 3 }
    } else {
        let units: usize = std::env::var("BIGHEALTH_BENCH_UNITS").ok().and_then(|u| u.parse().ok()).unwrap_or(3_000);
        Sizes { plans: units.div_ceil(40), units_per_plan: 40.min(units), tasks_per_unit: 20, clients: 50 }
    };
    let mut backends: Vec<&str> = ["sqlite", "postgres"].into_iter().filter(|b| args.iter().any(|a| a == b)).collect();
    if backends.is_empty() {
        backends = if quick { vec!["sqlite"] } else { vec!["sqlite", "postgres"] };
    }
    let mut table = String::from(
        "| backend | units | items each | clients | import | submitting | submissions/s | p50 ms | p95 ms | p99 ms | values read back |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for b in backends {
        table.push_str(&run(b, &sizes, quick).await);
        table.push('\n');
    }
    if !quick {
        println!("{table}");
    }
}
