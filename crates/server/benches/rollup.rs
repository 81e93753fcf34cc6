//! `cargo bench -p bighealth-server --bench rollup`: the indicator system's
//! roll-ups over a province, with DuckDB as the yardstick on the same data.
//!
//! The data set: 湖南省 (430000), its 14 cities and 120 of their counties;
//! 200 indicators (three in four levels or year-to-date figures, one in four
//! monthly amounts); five years (2021–2025) of monthly values for every
//! county — 1 440 000 values — and a yearly population. Then it times, the
//! median of 20 runs each:
//!
//! - the roll-up query every region page runs (per indicator, region and
//!   year: the sum, count and latest value up to a month, for the province's
//!   regions and the year before), on SQLite and PostgreSQL, and the same
//!   query on the same rows in DuckDB (its latest value by `arg_max`, as
//!   SQLite takes it beside `MAX(month)` and PostgreSQL by `ARRAY_AGG`) (`python3 -m pip install duckdb`;
//!   DuckDB only as the yardstick);
//! - the province's figures as the page reads them (the query, the
//!   reported and enterprises' figures, the roll-up through the cities, the
//!   year before, per 万人, the ranking) and a city's;
//! - freshness: a county's report approved, then the province's figures
//!   read again — the time from the approval's start to figures that hold it;
//! - the quarterly analyses of the province's county plans (ten in the
//!   full run): each plan's status at the quarter's end and the quarter
//!   before, its analysis drafted and written as .docx (with its charts
//!   drawn), .pdf (set by typst) and .xlsx (with native charts), one after
//!   the other.
//!
//! On SQLite and PostgreSQL (`BIGHEALTH_TEST_POSTGRES`); `-- sqlite` or `--
//! postgres` for one. Under `cargo test --all-targets` it runs once, small
//! (2 counties, 5 indicators, two years), on SQLite, as a smoke test: no timing
//! is asserted; a wrong roll-up panics.

use bighealth_documents::quarterly;
use bighealth_documents::supervision::Letterhead;
use bighealth_rules::calendar::start_of;
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::indicators::{Definition, OverRegions, OverTime, Periodicity, Polarity};
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::reporting::workflow::Step;
use bighealth_store::indicators::values::ValueInput;
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::{Review, SaveForm};
use bighealth_store::testing::TestDb;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store, now_ms};
use std::time::{Duration, Instant};

/// The province (湖南省).
const PROVINCE: &str = "430000";

struct Sizes {
    counties: usize,
    indicators: usize,
    years: std::ops::RangeInclusive<i32>,
    runs: usize,
    plans: usize,
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times.get(times.len() / 2).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// A small deterministic generator.
fn roll(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The counties the data set covers, with their city.
async fn counties(store: &Store, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for city in store.region_children(PROVINCE).await.expect("cities") {
        for county in store.region_children(&city.code).await.expect("counties") {
            out.push(county.code);
        }
    }
    out.truncate(n);
    out
}

fn definition(i: usize) -> Definition {
    Definition {
        code: format!("ZS{i:03}"),
        name: format!("监测指标{i:03}"),
        unit: Some("万元".into()),
        polarity: Polarity::Up,
        over_regions: OverRegions::Sum,
        over_time: if i % 4 == 3 { OverTime::Sum } else { OverTime::Last },
        periodicity: Periodicity::Month,
        formula: None,
        industry_class: None,
    }
}

/// The value of indicator `k` in county `c` in a month.
fn value_of(k: usize, c: usize, year: i32, month: i32) -> f64 {
    let level = 100.0 + (roll((k * 1000 + c) as u64) % 900) as f64;
    let t = f64::from((year - 2021) * 12 + month);
    if k % 4 == 3 { level / 12.0 } else { level + t * 2.0 }
}

/// Stores the values as the office's JSON import does (`put_indicator_values`,
/// checked, written many rows a statement with their year's months), one
/// indicator's values a call; gives them as CSV lines for DuckDB too.
async fn load(store: &Store, office: &Actor, ids: &[i64], counties: &[String], s: &Sizes) -> (usize, Duration, String) {
    let started = Instant::now();
    let mut csv = String::from("indicator_id,region,year,month,value\n");
    let mut n = 0;
    for (k, id) in ids.iter().enumerate() {
        let mut rows = Vec::new();
        for (c, county) in counties.iter().enumerate() {
            for year in s.years.clone() {
                for month in 1..=12 {
                    let value = value_of(k, c, year, month);
                    rows.push(ValueInput {
                        indicator: definition(k + 1).code,
                        region: county.clone(),
                        period: format!("{year}-{month:02}"),
                        value: value.to_string(),
                    });
                    csv.push_str(&format!("{id},{county},{year},{month},{value}\n"));
                }
            }
        }
        n += store.put_indicator_values(office, &rows, now_ms()).await.expect("values stored").values;
    }
    (n, started.elapsed(), csv)
}

/// A statistics table as the office uploads it (`.xlsx`: 指标代码, 地区代码,
/// 期别, 数值): every indicator in every county for the first `months` months
/// of `year`.
fn statistics_xlsx(counties: &[String], s: &Sizes, year: i32, months: i32) -> (Vec<u8>, usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["指标代码", "地区代码", "期别", "数值"].into_iter().enumerate() {
        sheet.write_string(0, c as u16, h).expect("a header");
    }
    let mut row = 0u32;
    for k in 0..s.indicators {
        let code = definition(k + 1).code;
        for (c, county) in counties.iter().enumerate() {
            for month in 1..=months {
                row += 1;
                sheet.write_string(row, 0, &code).expect("a cell");
                sheet.write_string(row, 1, county).expect("a cell");
                sheet.write_string(row, 2, format!("{year}年{month}月")).expect("a cell");
                sheet.write_number(row, 3, value_of(k, c, year, month)).expect("a cell");
            }
        }
    }
    (book.save_to_buffer().expect("the workbook"), row as usize)
}

/// The roll-up query as DuckDB runs it, over the same rows: (rows, median ms).
fn duckdb(csv: &str, year: i32, month: u32, runs: usize) -> Option<(usize, f64)> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-rollup");
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("values.csv");
    std::fs::write(&path, csv).ok()?;
    let script = format!(
        r#"
import duckdb, statistics, sys, time
con = duckdb.connect()
con.execute("CREATE TABLE indicator_values AS SELECT * FROM read_csv('{path}', header=true, columns={{'indicator_id': 'BIGINT', 'region': 'VARCHAR', 'year': 'BIGINT', 'month': 'BIGINT', 'value': 'DOUBLE'}})")
sql = """SELECT indicator_id, region, year, SUM(value), COUNT(*), MAX(month), arg_max(value, month)
 FROM indicator_values WHERE year IN ({y0}, {y1}) AND region >= '43' AND region < '43~' AND month <= {month}
 GROUP BY year, region, indicator_id"""
times = []
for _ in range({runs}):
    t = time.perf_counter()
    rows = con.execute(sql).fetchall()
    times.append((time.perf_counter() - t) * 1000)
print(len(rows), statistics.median(times))
"#,
        path = path.display(),
        y0 = year - 1,
        y1 = year,
    );
    let out = std::process::Command::new("python3").args(["-c", &script]).output().ok()?;
    if !out.status.success() {
        eprintln!("DuckDB not measured: {}", String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or(""));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

const COUNTY_PLAN: &str = "2026年大健康产业发展工作要点
一、重点任务
（一）推进健康产业发展。全年监测指标001达到2000万元。（牵头单位：县发展改革局）
";

async fn run(backend: &str, s: &Sizes, quick: bool) -> (String, Option<String>) {
    let db = if backend == "postgres" { TestDb::postgres().await } else { TestDb::sqlite() };
    let store = Store::open(&db.url).await.expect("opens the store");
    let office = Actor::local("bench", Role::SystemAdmin);
    let counties = counties(&store, s.counties).await;
    let mut ids = Vec::new();
    for i in 1..=s.indicators {
        ids.push(store.create_indicator(&office, &definition(i), now_ms()).await.expect("an indicator").id);
    }
    let (values, loading, csv) = load(&store, &office, &ids, &counties, s).await;
    // A year before the data set's, from an .xlsx as the office uploads it.
    let (xlsx, in_file) = statistics_xlsx(&counties, s, *s.years.start() - 1, 6);
    let t = Instant::now();
    let stored = store.import_indicator_values(&office, &xlsx, now_ms()).await.expect("the .xlsx imported");
    let excel = t.elapsed();
    assert_eq!(stored.values, in_file, "every value of the file stored");
    let pop: String = std::iter::once("指标代码,地区代码,期别,数值".to_string())
        .chain(
            counties
                .iter()
                .map(|c| format!("POP,{c},2024,{}", 30 + roll(c.len() as u64 + c.as_bytes()[5] as u64) % 90)),
        )
        .collect::<Vec<_>>()
        .join("\n");
    store.import_indicator_values(&office, pop.as_bytes(), now_ms()).await.expect("the population");
    let year = *s.years.end();
    let at = PeriodEnd { year, month: 6 };

    let mut q = Vec::new();
    let mut rows = 0;
    for _ in 0..s.runs {
        let t = Instant::now();
        rows = store.indicator_years("43%", year, 6).await.expect("the roll-up query").len();
        q.push(t.elapsed());
    }
    assert_eq!(rows, s.indicators * counties.len() * 2, "a row per indicator, county and year");
    let mut province = Vec::new();
    let mut figures = None;
    for _ in 0..s.runs {
        let t = Instant::now();
        figures = Some(store.region_figures(&office, PROVINCE, Some(at), at).await.expect("the province's figures"));
        province.push(t.elapsed());
    }
    let figures = figures.expect("read");
    let first = figures.indicators.iter().find(|i| i.indicator.code == "ZS001").expect("ZS001 rolled up");
    let sum: f64 = first.children.iter().filter_map(|c| c.value).sum();
    assert!((first.region.value.unwrap_or(0.0) - sum).abs() < 1e-6, "the province is its cities' sum");
    let city = store.region(&counties[0]).await.expect("a county").parent.expect("its city");
    let mut cities = Vec::new();
    for _ in 0..s.runs {
        let t = Instant::now();
        store.region_figures(&office, &city, Some(at), at).await.expect("a city's figures");
        cities.push(t.elapsed());
    }

    // Freshness: a county's plan reports 2026-01, the office approves, the province is read.
    let county = &counties[0];
    let req = ImportRequest { name: "county.txt", bytes: COUNTY_PLAN.as_bytes(), region: county, parent: None };
    let Imported::Stored(r) = store.import_plan(&office, req, &mut |_| {}, now_ms()).await.expect("imports") else {
        panic!("the county's plan is stored")
    };
    let target = store
        .targets(&bighealth_store::targets::TargetQuery { plan: Some(r.plan_id), ..Default::default() })
        .await
        .expect("targets")
        .items[0]
        .id;
    store.link_target(&office, target, "ZS001", now_ms()).await.expect("linked");
    let units = store.units(&UnitQuery { region: Some(county.clone()), ..Default::default() }).await.expect("units");
    let unit = units.iter().find(|u| u.name == "县发展改革局").expect("the lead unit").id;
    let when = start_of(jiff::civil::date(2026, 2, 2)) + 10 * 3_600_000;
    let me = Actor { units: vec![unit], ..Actor::local("bench", Role::Reporter) };
    let form = store.report_form(&me, r.plan_id, unit, "2026-01", when).await.expect("a form");
    let entries: Vec<Entry> = form
        .items
        .iter()
        .map(|i| match i.kind {
            ItemKind::Target => {
                Entry { kind: Some(i.kind), item_id: i.item_id, value: Some(4321.0), ..Entry::default() }
            }
            _ => Entry {
                kind: Some(i.kind),
                item_id: i.item_id,
                status: Some("on_track".into()),
                share: Some(10.0),
                progress: Some("推进中".into()),
                ..Entry::default()
            },
        })
        .collect();
    let save = SaveForm { entries, confirm: true, reason: None };
    store.save_report(&me, r.plan_id, unit, "2026-01", save, true, when).await.expect("submitted");
    let january = PeriodEnd { year: 2026, month: 1 };
    let t = Instant::now();
    let approve = Review { step: Step::Approve, reason: None, items: vec![] };
    store.review_report(&office, r.plan_id, unit, "2026-01", &approve, when).await.expect("approved");
    let fresh = store.region_figures(&office, PROVINCE, Some(january), january).await.expect("read again");
    let freshness = t.elapsed();
    let got = fresh.indicators.iter().find(|i| i.indicator.code == "ZS001").and_then(|i| i.region.value);
    assert_eq!(got, Some(4321.0), "the approved figure is in the province's at once");

    // The quarterly analyses of the county plans, documents and all.
    let mut plans = vec![r.plan_id];
    for county in counties.iter().skip(1).take(s.plans - 1) {
        let text = format!("{county}{COUNTY_PLAN}");
        let req = ImportRequest { name: "county.txt", bytes: text.as_bytes(), region: county, parent: None };
        if let Imported::Stored(r) = store.import_plan(&office, req, &mut |_| {}, now_ms()).await.expect("imports") {
            plans.push(r.plan_id);
        }
    }
    let t = Instant::now();
    let mut bytes = 0;
    for plan in &plans {
        let status = store.plan_status(&office, *plan, Some("2026-03"), when).await.expect("the quarter's end");
        let before = store.plan_status(&office, *plan, Some("2025-12"), when).await.ok();
        let view = quarterly::Quarter {
            plan: "县级工作要点",
            label: "2026年第一季度".into(),
            status: &status,
            previous: before.as_ref(),
            rates: None,
        };
        let narrative = quarterly::drafted(&view);
        let head = Letterhead {
            issuer: "县大健康办".into(),
            signature: "县大健康办".into(),
            date: jiff::civil::date(2026, 4, 10),
            contact: None,
        };
        let doc = quarterly::document(&view, &narrative, &head, "健析〔2026〕1号");
        bytes += doc.to_docx().expect("docx").len()
            + doc.to_pdf().expect("pdf").len()
            + quarterly::workbook(&view).expect("xlsx").len();
    }
    let documents = t.elapsed();
    assert!(bytes > 0);

    let duck = if quick { None } else { duckdb(&csv, year, 6, s.runs) };
    if let Some((duck_rows, _)) = duck {
        assert_eq!(duck_rows, rows, "DuckDB gives the same rows");
    }
    if backend == "postgres" {
        db.drop_db().await;
    }
    let line = format!(
        "| {backend} | {} | {} | {values} | {:.1} s ({:.0} values/s) | {in_file} in {:.1} s ({:.0} values/s) | {:.1} | {:.1} | {:.1} | {:.0} | {} plans: {:.1} s |",
        counties.len(),
        s.indicators,
        loading.as_secs_f64(),
        values as f64 / loading.as_secs_f64(),
        excel.as_secs_f64(),
        in_file as f64 / excel.as_secs_f64(),
        median(q),
        median(province),
        median(cities),
        freshness.as_secs_f64() * 1000.0,
        plans.len(),
        documents.as_secs_f64(),
    );
    (
        line,
        duck.map(|(_, ms)| {
            format!("| DuckDB (yardstick, in memory) | the same query on the same {values} values | {ms:.1} |")
        }),
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench");
    let sizes = if quick {
        Sizes { counties: 2, indicators: 5, years: 2024..=2025, runs: 1, plans: 2 }
    } else {
        Sizes { counties: 120, indicators: 200, years: 2021..=2025, runs: 20, plans: 10 }
    };
    let mut backends: Vec<&str> = ["sqlite", "postgres"].into_iter().filter(|b| args.iter().any(|a| a == b)).collect();
    if backends.is_empty() {
        backends = if quick { vec!["sqlite"] } else { vec!["sqlite", "postgres"] };
    }
    let mut table = String::from(
        "| backend | counties | indicators | values | loading (JSON import) | an .xlsx imported | roll-up query ms | province's figures ms | a city's ms | approval → fresh figures ms | quarterly analyses (.docx, .pdf, .xlsx) |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    let mut yardstick = None;
    for b in backends {
        let (line, duck) = run(b, &sizes, quick).await;
        table.push_str(&line);
        table.push('\n');
        yardstick = yardstick.or(duck);
    }
    if !quick {
        println!("{table}");
        if let Some(d) = yardstick {
            println!("| engine | data | roll-up query ms |\n|---|---|---|\n{d}");
        }
    }
}
