//! `cargo bench -p bighealth-server --bench deadline`: the deadline day of a
//! province's monthly dispatch (月调度), through the real server.
//!
//! Writes plans whose tasks name registered units as lead units — by
//! default 75 plans of 40 units × 20 tasks: 3 000 units with a form of 20
//! items each — imports them, opens the reporting month, and has 50 clients
//! (reporter accounts, each holding 60 units) submit every unit's form at
//! once over HTTP (`POST …/submit`, 20 entries), as fast as the server
//! answers; then, the next month, at a deadline day's pace: every unit's
//! submission at its turn, the turns spread evenly over a window (3 minutes
//! by default: five times the pace of 3 000 forms in the 15 minutes the
//! aim names), interleaved across the clients. Prints each submission's
//! p50/p95/p99, the submissions per second and the whole run's length, then
//! reads every form back and checks that every value sent is stored
//! (nothing lost), on SQLite and PostgreSQL (`BIGHEALTH_TEST_POSTGRES`).
//!
//! - `-- sqlite` or `-- postgres`: one backend only.
//! - `BIGHEALTH_BENCH_UNITS=600`: fewer units, for quick trials.
//! - `BIGHEALTH_BENCH_WINDOW=900`: the paced run's window in seconds (900:
//!   the aim's 15 minutes themselves; 0: no paced run).
//!
//! Under `cargo test --all-targets` it runs once, small (2 plans of 6 units
//! × 4 tasks, 3 clients, the paced run with no wait), on SQLite, as a smoke
//! test. No timing is asserted; a refused submission or a value not read
//! back panics.

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
    /// The time the paced run spreads every unit's submission over (none:
    /// only the run as fast as the server answers).
    window: Option<Duration>,
}

/// A reporter: its account and units (with their plans).
struct Client {
    name: String,
    password: String,
    held: Vec<(i64, i64)>,
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
    // The reporters, each with its units (and their plans).
    let plan_of = |unit_index: usize| plan_ids[unit_index / s.units_per_plan];
    let mut clients: Vec<Client> = accounts
        .into_iter()
        .map(|(name, password, held)| Client {
            name,
            password,
            held: held.iter().map(|u| (plan_of(unit_ids.iter().position(|x| x == u).expect("a unit")), *u)).collect(),
        })
        .collect();
    // As fast as the server answers, then at a deadline day's pace the next month.
    let mut lines = Vec::new();
    let mut pace = None;
    loop {
        let today = bighealth_rules::calendar::date_of(clock.now());
        let key = format!("{}-{:02}", today.year(), today.month());
        let start = Instant::now();
        let mut running = Vec::new();
        let n_clients = clients.len();
        for (c, client) in clients.drain(..).enumerate() {
            let base = base.clone();
            let key = key.clone();
            // The units' turns interleave across clients, evenly over the window.
            let slot = pace.map(|window: Duration| window.div_f64(units as f64));
            running.push(tokio::spawn(async move {
                // Each month's run logs in afresh (a month idle ends a session).
                let http = reqwest::Client::builder().cookie_store(true).build().expect("a client");
                let login: Value = http
                    .post(format!("{base}/api/session"))
                    .json(&json!({"username": client.name, "password": client.password}))
                    .send()
                    .await
                    .expect("logs in")
                    .json()
                    .await
                    .expect("a session");
                let csrf = login["csrf_token"].as_str().expect("a CSRF token").to_string();
                let mut times = Vec::new();
                let mut sent = Vec::new();
                for (j, (plan, unit)) in client.held.iter().copied().enumerate() {
                    if let Some(slot) = slot {
                        let turn = (j * n_clients + c) as u32;
                        tokio::time::sleep_until((start + slot * turn).into()).await;
                    }
                    let path = format!("{base}/api/plans/{plan}/reports/{key}/{unit}");
                    let form: Value =
                        http.get(&path).send().await.expect("reads the form").json().await.expect("a form");
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
                (times, sent, client, http)
            }));
        }
        let mut times = Vec::new();
        let mut all_sent = Vec::new();
        for r in running {
            let (t, sent, client, http) = r.await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
            times.extend(t);
            all_sent.push((sent, http));
            clients.push(client);
        }
        let took = start.elapsed();
        // Read every form back: every value sent is stored.
        let mut values = 0;
        for (sent, http) in all_sent {
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
        let n = times.len();
        assert_eq!(n, units, "every unit submitted");
        let (p50, p95, p99) = (pct(&mut times, 0.5), pct(&mut times, 0.95), pct(&mut times, 0.99));
        let how = match pace {
            None => "as fast as answered".to_string(),
            Some(w) => format!("paced: all in {:.0} s", w.as_secs_f64()),
        };
        let line = format!(
            "| {backend} | {how} | {units} | {} | {} | {:.0} s | {:.1} s | {:.1} | {p50:.1} | {p95:.1} | {p99:.1} | {values} |",
            s.tasks_per_unit,
            s.clients,
            imported.as_secs_f64(),
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64(),
        );
        if !quick {
            eprintln!("{line}");
        }
        lines.push(line);
        if pace.is_some() || s.window.is_none() {
            break;
        }
        pace = s.window;
        // The next month, a month later.
        clock.advance(31 * 86_400_000);
    }
    let _ = stop.send(());
    let _ = server.await;
    store.close().await;
    db.drop_db().await;
    lines.join("\n")
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench");
    let sizes = if quick {
        Sizes { plans: 2, units_per_plan: 6, tasks_per_unit: 4, clients: 3, window: Some(Duration::ZERO) }
    } else {
        let units: usize = std::env::var("BIGHEALTH_BENCH_UNITS").ok().and_then(|u| u.parse().ok()).unwrap_or(3_000);
        let window: u64 = std::env::var("BIGHEALTH_BENCH_WINDOW").ok().and_then(|w| w.parse().ok()).unwrap_or(180);
        Sizes {
            plans: units.div_ceil(40),
            units_per_plan: 40.min(units),
            tasks_per_unit: 20,
            clients: 50,
            window: (window > 0).then(|| Duration::from_secs(window)),
        }
    };
    let mut backends: Vec<&str> = ["sqlite", "postgres"].into_iter().filter(|b| args.iter().any(|a| a == b)).collect();
    if backends.is_empty() {
        backends = if quick { vec!["sqlite"] } else { vec!["sqlite", "postgres"] };
    }
    let mut table = String::from(
        "| backend | submitting | units | items each | clients | import | took | submissions/s | p50 ms | p95 ms | p99 ms | values read back |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for b in backends {
        table.push_str(&run(b, &sizes, quick).await);
        table.push('\n');
    }
    if !quick {
        println!("{table}");
    }
}
