//! `cargo bench -p bighealth-server --bench supervision`: supervision
//! (督查督办) over a province's year of reports.
//!
//! Writes plans whose tasks name registered units as lead units — by
//! default 20 plans of 50 units × 20 tasks: 20 000 tasks and 1 000 units,
//! the size of the platform benchmark's province — imports them, and files
//! a year of monthly reports through the store as the units would (each
//! unit's form of 20 tasks each month, about one task in eight 滞后 or
//! 未启动, some stalled, one unit in twenty not reporting). Then, on the
//! year's last month, it times:
//!
//! - every lag rule of every plan in a dry run (the evaluation alone), then
//!   the run that opens the items;
//! - the ledger (督办台账) once it holds 10 000 items or more (items by hand
//!   make up the rest): its first page in the store, the overdue filter,
//!   and the page through the real server over HTTP — the median of 20 each;
//! - the year assessed (年考核): every unit of every plan scored from the
//!   year's reports, statuses and supervision items, ranked and graded — the
//!   median of 5; the scores of both backends must be the same.
//!
//! On SQLite and PostgreSQL (`BIGHEALTH_TEST_POSTGRES`); `-- sqlite` or `--
//! postgres` for one. Under `cargo test --all-targets` it runs once, small,
//! on SQLite, as a smoke test: no timing is asserted; a refused report or an
//! item not opened panics.

use bighealth_rules::calendar::start_of;
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::supervision::{RuleKind, Source};
use bighealth_server::{AppState, Clock};
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::SaveForm;
use bighealth_store::supervision::items::{LedgerFilter, NewItem};
use bighealth_store::supervision::rules::{Outcome, RunRules};
use bighealth_store::testing::TestDb;
use bighealth_store::{Actor, Role, Store, now_ms};
use jiff::ToSpan;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The region (湖南省).
const REGION: &str = "430000";
/// The year reported.
const YEAR: i16 = 2025;

struct Sizes {
    plans: usize,
    units_per_plan: usize,
    tasks_per_unit: usize,
    items: usize,
}

fn plan_text(p: usize, s: &Sizes) -> String {
    let mut text = format!("湖南省第{}批健康产业重点任务督查方案\n一、重点任务\n", p + 1);
    let mut n = 0;
    for u in 0..s.units_per_plan {
        for t in 0..s.tasks_per_unit {
            n += 1;
            text.push_str(&format!(
                "{n}. 推进第{n}项健康产业重点工作{t}号，{}月底前完成。（牵头单位：省直单位{:04}）\n",
                1 + (n % 12),
                p * s.units_per_plan + u
            ));
        }
    }
    text
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times.get(times.len() / 2).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

fn at(day: jiff::civil::Date, hour: i64) -> i64 {
    start_of(day) + hour * 3_600_000
}

/// A small deterministic generator.
fn roll(seed: i64) -> u64 {
    let mut z = (seed as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

async fn run(backend: &str, s: &Sizes, quick: bool) -> (String, Vec<String>) {
    let db = if backend == "postgres" { TestDb::postgres().await } else { TestDb::sqlite() };
    let store = Store::open(&db.url).await.expect("opens the store");
    let office = Actor::local("bench", Role::SystemAdmin);
    let units = s.plans * s.units_per_plan;
    let mut unit_ids = Vec::with_capacity(units);
    for u in 0..units {
        let unit =
            store.create_unit(&office, &format!("省直单位{u:04}"), REGION, None, &[], now_ms()).await.expect("a unit");
        unit_ids.push(unit.id);
    }
    let mut plan_ids = Vec::new();
    for p in 0..s.plans {
        let text = plan_text(p, s);
        let name = format!("plan{p}.txt");
        let req = ImportRequest { name: &name, bytes: text.as_bytes(), region: REGION, parent: None };
        match store.import_plan(&office, req, &mut |_| {}, now_ms()).await.expect("imports") {
            Imported::Stored(r) => plan_ids.push(r.plan_id),
            other => panic!("{other:?}"),
        }
    }
    // A year of reports, filed the day before each month's deadline.
    let filing = Instant::now();
    let schedule = store.reporting_schedule(plan_ids[0]).await.expect("a calendar");
    let periods = schedule.periods_of_year(YEAR, &store.holidays());
    let mut forms = 0;
    for (m, period) in periods.iter().enumerate() {
        let when = at(period.due.checked_sub(1.days()).unwrap_or(period.due), 10);
        for (i, unit) in unit_ids.iter().enumerate() {
            if roll(*unit * 100 + m as i64).is_multiple_of(20) && m == periods.len() - 1 {
                continue; // not reported: the overdue rule finds it
            }
            let plan = plan_ids[i / s.units_per_plan];
            let me = Actor { units: vec![*unit], ..Actor::local("bench", Role::Reporter) };
            let form = store.report_form(&me, plan, *unit, &period.key, when).await.expect("a form");
            let entries: Vec<Entry> = form
                .items
                .iter()
                .map(|item| {
                    let r = roll(item.item_id);
                    let stalled = r.is_multiple_of(11);
                    let (status, share) = match r % 8 {
                        0 => ("behind", (m as f64 * 4.0).min(100.0)),
                        1 if m < 3 => ("not_started", 0.0),
                        _ if stalled => ("on_track", 40.0),
                        _ => ("on_track", ((m + 1) as f64 * 8.0).min(100.0)),
                    };
                    Entry {
                        kind: Some(ItemKind::Task),
                        item_id: item.item_id,
                        status: Some(status.into()),
                        share: Some(share),
                        progress: Some("按计划推进".into()),
                        problems: (status != "on_track").then(|| "资金未到位".into()),
                        ..Entry::default()
                    }
                })
                .collect();
            let save = SaveForm { entries, reason: None, confirm: true };
            store.save_report(&me, plan, *unit, &period.key, save, true, when).await.expect("a report");
            forms += 1;
        }
        if !quick {
            eprintln!("  {backend}: {} filed", period.label);
        }
    }
    let filed = filing.elapsed();

    // Every rule of every plan on the last month, a week after its deadline.
    let last = periods.last().expect("a month");
    let now = at(last.due.checked_add(7.days()).unwrap_or(last.due), 10);
    for plan in &plan_ids {
        let mut settings = store.supervision_settings(*plan).await.expect("settings");
        for r in &mut settings.rules {
            r.enabled = true;
        }
        settings.rules.iter_mut().filter(|r| r.rule == RuleKind::TaskStalled).for_each(|r| r.threshold = 2.0);
        store.set_supervision_settings(&office, *plan, &settings, now).await.expect("saved");
    }
    let dry = RunRules { period: Some(last.key.clone()), dry_run: true, settings: None };
    let started = Instant::now();
    let mut causes = 0;
    for plan in &plan_ids {
        causes += store.run_supervision_rules(&office, *plan, &dry, now).await.expect("a dry run").found.len();
    }
    let evaluated = started.elapsed();
    let real = RunRules { dry_run: false, ..dry.clone() };
    let started = Instant::now();
    let mut opened = 0;
    for plan in &plan_ids {
        let report = store.run_supervision_rules(&office, *plan, &real, now).await.expect("a run");
        opened += report.found.iter().filter(|f| f.outcome == Outcome::Open).count();
    }
    let ran = started.elapsed();
    assert!(opened > 0 && opened == causes, "every cause opened once: {opened} of {causes}");

    // Items by hand up to the ledger's size.
    let mut total = opened;
    let mut n = 0;
    while total < s.items {
        let new = NewItem {
            source: Source::Meeting,
            title: format!("会议议定事项第{n}项"),
            body: "推进健康产业重点项目建设。".into(),
            lead_unit: unit_ids[n % unit_ids.len()],
            ..NewItem::default()
        };
        store.open_supervision_item(&office, plan_ids[n % plan_ids.len()], &new, now).await.expect("an item");
        total += 1;
        n += 1;
    }
    let later = now + 30 * 86_400_000;
    let first_page = LedgerFilter::default();
    let overdue = LedgerFilter { overdue: Some(true), ..LedgerFilter::default() };
    let mut page_times = Vec::new();
    let mut overdue_times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let ledger = store.supervision_ledger(&office, &first_page, later).await.expect("the ledger");
        page_times.push(t.elapsed());
        assert_eq!(ledger.page.total as usize, total);
        let t = Instant::now();
        store.supervision_ledger(&office, &overdue, later).await.expect("the ledger");
        overdue_times.push(t.elapsed());
    }
    // The year assessed: every unit of every plan, scored, ranked, graded.
    let mut score_times = Vec::new();
    let mut scores = Vec::new();
    for round in 0..5 {
        let t = Instant::now();
        let mut these = Vec::new();
        for plan in &plan_ids {
            let a = store.assessment(&office, *plan, i64::from(YEAR), later).await.expect("the year scored");
            these.extend(
                a.units
                    .iter()
                    .map(|u| format!("{}:{}:{}:{}", u.unit_name, u.score.total, u.place.rank, u.place.grade.as_str())),
            );
        }
        score_times.push(t.elapsed());
        if round > 0 {
            assert_eq!(these, scores, "recomputing gives the same result");
        }
        scores = these;
    }
    assert_eq!(scores.len(), units, "every unit scored");
    // The same page through the real server.
    let security = Actor::local("bench", Role::SecurityAdmin);
    let password = generate_password();
    let user = NewUser {
        username: "leader".into(),
        display_name: None,
        password: password.clone(),
        roles: vec![Role::Leader],
        units: vec![],
    };
    store.create_user(&security, &user, now_ms()).await.expect("a leader");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let state = AppState::new(store.clone(), Clock::default(), false);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bighealth_server::serve(state, listener, async move {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::builder().cookie_store(true).build().expect("a client");
    http.post(format!("{base}/api/session"))
        .json(&json!({"username": "leader", "password": password}))
        .send()
        .await
        .expect("logs in");
    let mut http_times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let body: Value = http
            .get(format!("{base}/api/supervision/items"))
            .send()
            .await
            .expect("the ledger")
            .json()
            .await
            .expect("JSON");
        http_times.push(t.elapsed());
        assert_eq!(body["page"]["total"].as_u64(), Some(total as u64));
    }
    let _ = stop.send(());
    let _ = server.await;
    store.close().await;
    db.drop_db().await;
    let tasks = units * s.tasks_per_unit;
    let line = format!(
        "| {backend} | {} | {tasks} | {forms} | {:.0} s | {causes} | {:.0} ms | {:.0} ms | {total} | {:.1} | {:.1} | {:.1} | {} | {:.0} ms |",
        s.plans,
        filed.as_secs_f64(),
        evaluated.as_secs_f64() * 1000.0,
        ran.as_secs_f64() * 1000.0,
        median(page_times),
        median(overdue_times),
        median(http_times),
        scores.len(),
        median(score_times),
    );
    if !quick {
        eprintln!("{line}");
    }
    (line, scores)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench");
    let sizes = if quick {
        Sizes { plans: 2, units_per_plan: 4, tasks_per_unit: 5, items: 60 }
    } else {
        Sizes { plans: 20, units_per_plan: 50, tasks_per_unit: 20, items: 10_000 }
    };
    let mut backends: Vec<&str> = ["sqlite", "postgres"].into_iter().filter(|b| args.iter().any(|a| a == b)).collect();
    if backends.is_empty() {
        backends = if quick { vec!["sqlite"] } else { vec!["sqlite", "postgres"] };
    }
    let mut table = String::from(
        "| backend | plans | tasks | forms filed | filing | causes | every rule (dry run) | run, opening | items | ledger page ms | overdue filter ms | over HTTP ms | units scored | the year scored |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut scored: Vec<Vec<String>> = Vec::new();
    for b in backends {
        let (line, scores) = run(b, &sizes, quick).await;
        table.push_str(&line);
        table.push('\n');
        scored.push(scores);
    }
    if let [a, b] = scored.as_slice() {
        assert_eq!(a, b, "the same scores on SQLite and PostgreSQL");
        table.push_str(&format!("\nThe {} units' scores are the same on both backends.\n", a.len()));
    }
    if !quick {
        println!("{table}");
    }
}
