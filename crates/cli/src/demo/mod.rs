//! `bighealth demo`: a fresh SQLite database with the four seed plans under
//! their regions, a year of generated monthly reports in each ([`history`]),
//! supervised ([`supervision`]), the region's statistics ([`statistics`]),
//! the year closed — analysed each quarter, assessed, published and made
//! public ([`assessment`]) —
//! one account per role, served on the loopback interface with a clock that
//! stands where the reporter has a month to fill.

mod assessment;
mod history;
mod statistics;
mod supervision;

use crate::progress::Progress;
use crate::{exit_for, serve};
use bighealth_server::Clock;
use bighealth_store::accounts::{NewUser, generate_password};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// The seed plans and their regions (GB/T 2260).
pub const SEEDS: [(&str, &[u8], &str); 4] = [
    ("001_e9769b0bea8af9db.txt", include_bytes!("../../../../fixtures/seeds/001_e9769b0bea8af9db.txt"), "522600"),
    ("002_da1e4ebb3320be9e.txt", include_bytes!("../../../../fixtures/seeds/002_da1e4ebb3320be9e.txt"), "500114"),
    ("003_371e989e19a50670.txt", include_bytes!("../../../../fixtures/seeds/003_371e989e19a50670.txt"), "130000"),
    ("004_87f78b4557e84c46.txt", include_bytes!("../../../../fixtures/seeds/004_87f78b4557e84c46.txt"), "431100"),
];

/// Arguments of `bighealth demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The demo database file (replaced if it exists).
    #[arg(long, default_value = "bighealth-demo.db")]
    pub file: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Set the demo up and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

/// Runs `bighealth demo`.
pub async fn run(args: DemoArgs) -> ExitCode {
    // The demo's audit key and checkpoints go with the database they sign.
    for suffix in ["", "-wal", "-shm", ".audit-key", ".audit-key.checkpoints"] {
        let mut path = args.file.clone().into_os_string();
        path.push(suffix);
        let path = PathBuf::from(path);
        if path.exists()
            && let Err(e) = std::fs::remove_file(&path)
        {
            eprintln!("bighealth: cannot replace the demo database {}: {e}", path.display());
            return ExitCode::from(1);
        }
    }
    let url = format!("sqlite:{}", args.file.display());
    println!("bighealth demo: a fresh database at {}", args.file.display());
    let store = match Store::open(&url).await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    let now = match setup(&store).await {
        Ok(now) => now,
        Err(e) => return exit_for(&e),
    };
    if args.no_serve {
        store.close().await;
        return ExitCode::SUCCESS;
    }
    let clock = Clock::default();
    clock.advance(now - bighealth_store::now_ms());
    serve::serve(store, args.listen, serve::Options { clock, ..serve::Options::default() }).await
}

/// The year of a plan the demo fills with reports: the first year of a
/// plan over several, the one year of a yearly plan, else `fallback`.
fn demo_year(plan: &bighealth_store::plans::Plan, fallback: i16) -> i16 {
    match (plan.base_year, plan.target_year) {
        (Some(b), Some(t)) if t > b => (b + 1) as i16,
        (_, Some(t)) => t as i16,
        (Some(b), None) => b as i16,
        _ => fallback,
    }
}

/// Sets the demo up; answers the moment its clock stands at.
async fn setup(store: &Store) -> Result<i64, StoreError> {
    let office = Actor::local("demo", Role::SystemAdmin);
    let mut plans = Vec::new();
    for (name, bytes, region) in SEEDS {
        let mut progress = Progress::new();
        let req = ImportRequest { name, bytes, region, parent: None };
        let imported = store.import_plan(&office, req, &mut |s| progress.step(s), bighealth_store::now_ms()).await?;
        progress.finish();
        let r = store.region(region).await?;
        if let Imported::Stored(rep) = &imported {
            println!(
                "imported {name} as plan {} for {} ({region}): {} tasks, {} targets, {} projects, {} findings, {} units to review",
                rep.plan_id,
                r.name,
                rep.tasks,
                rep.targets,
                rep.projects,
                rep.findings.len(),
                rep.new_units.len()
            );
            plans.push((rep.plan_id, region));
        }
    }
    // The reporter reports for 黔江区's health commission, as seed 002 names it.
    let units = store.units(&UnitQuery { region: Some("500114".into()), ..Default::default() }).await?;
    let unit = units.iter().find(|u| u.name == "区卫生健康委").or(units.first());
    let unit_ids: Vec<i64> = unit.map(|u| u.id).into_iter().collect();
    if let Some(u) = unit {
        store.confirm_unit(&office, u.id, bighealth_store::now_ms()).await?;
    }

    // A year of monthly reports in each plan; the reporter's plan (黔江区's)
    // keeps its last month open for the reporter.
    let reporter_plan = plans.iter().find(|(_, r)| *r == "500114").map(|(id, _)| *id);
    let fallback = match reporter_plan {
        Some(id) => demo_year(&store.plan(id).await?, 2021),
        None => 2021,
    };
    let mut clock_at = bighealth_store::now_ms();
    let mut enterprise = None;
    let mut open_label = String::new();
    let mut evaluated = None;
    for (plan_id, region) in &plans {
        let plan = store.plan(*plan_id).await?;
        // Items the plan names no unit for are reported by the region's
        // 大健康办, as the office sets on the calendar.
        let r = store.region(region).await?;
        let office_unit = store
            .create_unit(&office, &format!("{}大健康办", r.name), region, None, &[], bighealth_store::now_ms())
            .await?;
        let mut schedule = store.reporting_schedule(*plan_id).await?;
        schedule.default_unit = Some(office_unit.id);
        store.set_reporting_schedule(&office, *plan_id, &schedule, bighealth_store::now_ms()).await?;
        let year = demo_year(&plan, fallback);
        let keep = (Some(*plan_id) == reporter_plan).then_some(()).and(unit).map(|u| (12, u.id));
        let mut bar = Progress::new();
        let sent = history::fill(store, *plan_id, year, keep, &mut |done, total| {
            bar.step(bighealth_store::plans::Step { stage: "reports", done, total })
        })
        .await?;
        bar.finish();
        println!("  {sent} monthly reports of {year} in plan {plan_id} ({})", plan.title.as_deref().unwrap_or(""));
        let year_end = jiff::civil::Date::new(year + 1, 1, 4).unwrap_or(jiff::civil::Date::MIN);
        let until = bighealth_rules::calendar::start_of(year_end) + 10 * 3_600_000;
        if keep.is_some() {
            clock_at = until;
        }
        let items = supervision::supervise(store, *plan_id, year, until).await?;
        println!("  {items} supervision items (督办事项) of {year} in plan {plan_id}");
        let closed = assessment::close_year(store, *plan_id, year, until).await?;
        println!(
            "  {year}: quarterly analyses {}; {} units assessed, published as {} with {} 限期整改 items; public at /public/plans/{plan_id}",
            closed.quarters.join("、"),
            closed.units,
            closed.bulletin,
            closed.rectification
        );
        if *region == "130000" {
            evaluated = Some((*plan_id, year));
        }
        let (values, made) = statistics::fill(store, region, year).await?;
        println!(
            "  {values} statistics of {} and its counties for {}–{year}, {} key enterprises",
            r.name,
            year - 1,
            made.len()
        );
        if *region == "500114" {
            enterprise = made.into_iter().next();
        }
        if let Some((month, _)) = keep {
            open_label = format!("{year}年{month}月");
        }
    }
    let security = Actor::local("demo", Role::SecurityAdmin);
    println!("accounts (passwords are shown only here):");
    for (username, role) in [
        ("office", Role::SystemAdmin),
        ("security", Role::SecurityAdmin),
        ("auditor", Role::Auditor),
        ("reporter", Role::Reporter),
        ("leader", Role::Leader),
    ] {
        let password = generate_password();
        let units = if role == Role::Reporter { unit_ids.clone() } else { vec![] };
        let new = NewUser {
            username: username.into(),
            display_name: None,
            password: password.clone(),
            roles: vec![role],
            units,
        };
        store.create_user(&security, &new, bighealth_store::now_ms()).await?.done()?;
        let note = match (role, unit) {
            (Role::Reporter, Some(u)) => format!("  reports for unit {} {}", u.id, u.name),
            _ => String::new(),
        };
        let label = role.label();
        let pad = " ".repeat(10usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label)));
        println!("  {label}{pad} {username:<9} {password}{note}");
    }
    if let Some(e) = &enterprise {
        // A key enterprise's own account: it reads and reports its figures only.
        let password = generate_password();
        let new = NewUser {
            username: "qiye".into(),
            display_name: None,
            password: password.clone(),
            roles: vec![Role::Reporter],
            units: vec![e.unit_id],
        };
        store.create_user(&security, &new, bighealth_store::now_ms()).await?.done()?;
        let label = "企业填报员";
        let pad = " ".repeat(10usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label)));
        println!("  {label}{pad} {:<9} {password}  reports for key enterprise {} {}", "qiye", e.id, e.name);
    }
    if let Some((plan_id, _)) = evaluated {
        // A third-party evaluator of the province's plan, granted until March.
        let password = generate_password();
        let new = NewUser {
            username: "pinggu".into(),
            display_name: Some("第三方评估中心".into()),
            password: password.clone(),
            roles: vec![Role::Evaluator],
            units: vec![],
        };
        store.create_user(&security, &new, bighealth_store::now_ms()).await?.done()?;
        // Until the end of the quarter the demo's clock stands in.
        let until = format!("{}-03-31", bighealth_rules::calendar::date_of(clock_at).year());
        let grant = bighealth_store::evaluation::NewGrant {
            username: "pinggu".into(),
            body: "第三方评估中心".into(),
            valid_until: until.clone(),
        };
        store.grant_evaluator(&office, plan_id, &grant, clock_at).await?;
        let label = Role::Evaluator.label();
        let pad = " ".repeat(10usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label)));
        println!("  {label}{pad} {:<9} {password}  reads plan {plan_id} until {until}", "pinggu");
    }
    if !open_label.is_empty() {
        let day = bighealth_rules::calendar::date_of(clock_at);
        println!(
            "the demo's clock stands at {day} 10:00: {open_label} is open for {} to fill (log in as reporter)",
            unit.map(|u| u.name.as_str()).unwrap_or("")
        );
    }
    Ok(clock_at)
}
