//! The indicator system: targets of two plans linked to one indicator,
//! statistics imported with every wrong cell named and nothing stored from a
//! file with one, roll-ups from counties to the city (sums, a ratio of sums,
//! per head), a reported target counted in its region once approved and
//! again after a correction; key enterprises checked by their credit code,
//! an enterprise's account reading its own figures only, and the enterprises
//! whose figures fall; on both backends.

use crate::common::*;
use bighealth_rules::calendar::start_of;
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::indicators::{Definition, OverRegions};
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::reporting::workflow::Step;
use bighealth_store::enterprises::{NewEnterprise, PeriodFigures};
use bighealth_store::indicators::rollup::IndicatorFigures;
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::{Review, SaveForm};
use bighealth_store::targets::TargetQuery;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store};
use jiff::civil::date;

const CITY_PLAN: &str = "某州2026年大健康产业发展工作要点
一、重点任务
（一）发展养老服务。全年新增养老床位600张。（牵头单位：州民政局）
";
const COUNTY_PLAN: &str = "凯里市2026年大健康产业发展工作要点
一、重点任务
（一）发展养老服务。全年新增养老床位数200张。（牵头单位：市民政局）
";

fn reporter(unit: i64) -> Actor {
    Actor { username: format!("reporter-{unit}"), roles: vec![Role::Reporter], units: vec![unit], ..Actor::default() }
}

fn day(y: i16, m: i8, d: i8) -> i64 {
    start_of(date(y, m, d)) + 10 * 3_600_000
}

const JUNE: PeriodEnd = PeriodEnd { year: 2026, month: 6 };

async fn import(store: &Store, text: &str, region: &str) -> i64 {
    let req = ImportRequest { name: "p.txt", bytes: text.as_bytes(), region, parent: None };
    let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
    r.plan_id
}

/// The unit reports June's value of every target, and the office approves.
async fn report_june(store: &Store, plan: i64, unit: i64, value: f64, at: i64) {
    let me = reporter(unit);
    let form = store.report_form(&me, plan, unit, "2026-06", at).await.unwrap();
    let entries: Vec<Entry> = form
        .items
        .iter()
        .map(|i| {
            let mut e = Entry { kind: Some(i.kind), item_id: i.item_id, ..Entry::default() };
            match i.kind {
                ItemKind::Task => {
                    e.status = Some("on_track".into());
                    e.share = Some(50.0);
                    e.progress = Some("按计划推进".into());
                }
                ItemKind::Target => e.value = Some(value),
                ItemKind::Project => e.amount = Some(0.0),
            }
            e
        })
        .collect();
    if form.version > 0 {
        let correction = SaveForm { entries: entries.clone(), confirm: true, reason: Some("更正床位数".into()) };
        store.save_report(&me, plan, unit, "2026-06", correction, false, at).await.unwrap();
    }
    store
        .save_report(&me, plan, unit, "2026-06", SaveForm { entries, confirm: true, reason: None }, true, at)
        .await
        .unwrap();
    let approve = Review { step: Step::Approve, reason: None, items: vec![] };
    store.review_report(&office(), plan, unit, "2026-06", &approve, at).await.unwrap();
}

fn figures<'a>(all: &'a [IndicatorFigures], code: &str) -> &'a IndicatorFigures {
    all.iter().find(|i| i.indicator.code == code).unwrap_or_else(|| panic!("no {code}"))
}

fn indicator(code: &str, name: &str, formula: Option<&str>) -> Definition {
    Definition {
        code: code.into(),
        name: name.into(),
        unit: Some("亿元".into()),
        polarity: Default::default(),
        over_regions: if formula.is_some() { OverRegions::RatioOfSums } else { OverRegions::Sum },
        over_time: Default::default(),
        periodicity: Default::default(),
        formula: formula.map(str::to_string),
        industry_class: Some("01".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn indicators_link_targets_import_statistics_and_roll_up_fresh() {
    each_backend(|store| async move {
        let city = import(&store, CITY_PLAN, "522600").await;
        let county = import(&store, COUNTY_PLAN, "522601").await;
        let first = |plan| TargetQuery { plan: Some(plan), ..Default::default() };
        let t_city = store.targets(&first(city)).await.unwrap().items[0].id;
        let t_county = store.targets(&first(county)).await.unwrap().items[0].id;
        let code = store.target_indicator(t_city).await.unwrap().unwrap();
        assert_eq!(store.target_indicator(t_county).await.unwrap().as_deref(), Some(code.as_str()), "养老床位 and 养老床位数 are one indicator");
        let all = store.indicators(&office()).await.unwrap();
        let beds = all.iter().find(|i| i.definition.code == code).unwrap();
        assert_eq!(beds.targets, 2);
        assert!(all.iter().any(|i| i.definition.code == "POP"), "the population is built in");
        assert_eq!(store.industry_classes().await.unwrap().len(), 13);

        // The office's indicators: a formula is checked against what exists.
        store.create_indicator(&office(), &indicator("JK01", "健康产业增加值", None), NOW).await.unwrap();
        let err = store.create_indicator(&office(), &indicator("JK02", "人均", Some("ratio(JK01, NOPE, 10000)")), NOW).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "indicator_unknown");
        let err = store.create_indicator(&office(), &indicator("JK01", "重复", None), NOW).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "indicator_code_taken");
        let err = store.create_indicator(&reporter(1), &indicator("JK03", "x", None), NOW).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "role_may_not");
        store.create_indicator(&office(), &indicator("JK02", "人均健康产业增加值", Some("ratio(JK01, POP, 10000)")), NOW).await.unwrap();

        // A file with wrong cells stores nothing and names each cell.
        let bad = "指标代码,地区代码,期别,数值\nJK01,522601,2026-06,12.5\nJK01,999999,2026-06,3\nJK9,522622,2026年6月,x\nJK01,522601,2026-06,13\nJK02,522601,2026-06,1\n";
        let err = store.import_indicator_values(&office(), bad.as_bytes(), NOW).await.unwrap_err();
        let r = err.refusal().unwrap();
        assert_eq!(r.reason.code(), "statistics_file_cells");
        let text = r.message(bighealth_rules::Lang::Zh);
        for cell in ["B3：", "A4：", "D4：", "A5：", "A6："] {
            assert!(text.contains(cell), "{cell} in {text}");
        }
        assert!(!text.contains("A2："), "the good row is not named: {text}");
        let f = store.region_figures(&office(), "522600", Some(JUNE), JUNE).await.unwrap();
        assert!(f.indicators.iter().all(|i| i.indicator.code != "JK01"), "nothing stored");

        let good = "指标代码,地区代码,期别,数值\nJK01,522601,2026-06,\"1,200\"\nJK01,522622,2026年6月,300\nPOP,522601,2025,60\nPOP,522622,2025,40\nJK01,522601,2025-06,1000\n";
        let stored = store.import_indicator_values(&office(), good.as_bytes(), NOW).await.unwrap();
        assert_eq!((stored.values, stored.replaced, stored.regions), (5, 0, 2));
        let f = store.region_figures(&office(), "522600", Some(JUNE), JUNE).await.unwrap();
        assert_eq!(f.region.name, "黔东南苗族侗族自治州");
        let jk = figures(&f.indicators, "JK01");
        assert_eq!(jk.region.value, Some(1500.0), "the counties add up");
        assert!(!jk.region.own);
        assert_eq!(jk.children[0].region, "522601", "ranked, the largest first");
        assert_eq!(jk.children[0].rank, Some(1));
        assert_eq!(jk.children[0].growth.map(|g| g.round()), Some(20.0), "1200 on 1000 a year earlier");
        assert_eq!(jk.children[0].per_10k, Some(20.0), "1200 over 60 万人");
        assert_eq!(jk.region.per_10k, Some(15.0));
        let per_head = figures(&f.indicators, "JK02");
        assert_eq!(per_head.region.value, Some(1500.0 / 100.0 * 10000.0), "a ratio of sums");
        let pop = figures(&f.indicators, "POP");
        assert_eq!(pop.region.value, Some(100.0), "last year's population stands");

        // A corrected figure replaces the old one, which is kept; the same
        // file sent again (a second click) writes nothing.
        let fix = "指标代码,地区代码,期别,数值\nJK01,522622,2026-06,350\nJK01,522601,2026-06,1200\n";
        assert_eq!(store.import_indicator_values(&office(), fix.as_bytes(), NOW + 1).await.unwrap().replaced, 1);
        let again = store.import_indicator_values(&office(), fix.as_bytes(), NOW + 2).await.unwrap();
        assert_eq!((again.values, again.replaced), (2, 0));
        let history = store.indicator_value_history(&office(), "JK01", "522622").await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].2, history[0].3), (300.0, 350.0));
        let written: Vec<i64> =
            sqlx::query_scalar("SELECT updated_at FROM indicator_values WHERE region = '522601' AND year = 2026")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert_eq!(written, vec![NOW], "the unchanged value keeps when it was written");

        // A reported target counts in its plan's region once approved, and again after a correction.
        let units = store.units(&UnitQuery { region: Some("522601".into()), ..Default::default() }).await.unwrap();
        let civil = units.iter().find(|u| u.name == "市民政局").unwrap().id;
        let form = store.report_form(&reporter(civil), county, civil, "2026-06", day(2026, 7, 2)).await.unwrap();
        assert!(form.items.iter().any(|i| i.kind == ItemKind::Target));
        report_june(&store, county, civil, 90.0, day(2026, 7, 2)).await;
        let f = store.region_figures(&office(), "522600", Some(JUNE), JUNE).await.unwrap();
        let b = figures(&f.indicators, &code);
        assert_eq!(b.region.value, Some(90.0));
        assert_eq!(b.children[0].region, "522601");
        report_june(&store, county, civil, 120.0, day(2026, 7, 5)).await;
        let f = store.region_figures(&office(), "520000", Some(JUNE), JUNE).await.unwrap();
        assert_eq!(figures(&f.indicators, &code).region.value, Some(120.0), "the correction, up to the province");
        let (_, side) = store.compare_regions(&office(), "JK01", &["522601".into(), "522622".into()], JUNE).await.unwrap();
        assert_eq!(side.iter().map(|s| s.value).collect::<Vec<_>>(), [Some(1200.0), Some(350.0)]);
        assert_eq!(side[1].per_10k, Some(8.75));
    })
    .await;
}

fn enterprise(code: &str, name: &str) -> NewEnterprise {
    NewEnterprise {
        credit_code: code.into(),
        name: name.into(),
        region: "522601".into(),
        industry_class: "09".into(),
        size: "中型".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_enterprises_report_their_own_figures_only() {
    each_backend(|store| async move {
        let err = store.create_enterprise(&office(), &enterprise("91350100M000100Y44", "甲药业公司"), NOW).await.unwrap_err();
        let r = err.refusal().unwrap();
        assert_eq!((r.reason.code(), r.field.as_deref()), ("credit_code_check", Some("credit_code")));
        assert!(r.message(bighealth_rules::Lang::Zh).contains("应为 3"));
        let a = store.create_enterprise(&office(), &enterprise("91350100M000100Y43", "甲药业公司"), NOW).await.unwrap();
        let b = store.create_enterprise(&office(), &enterprise("91110000802100433B", "乙医疗器械公司"), NOW).await.unwrap();
        let err = store.create_enterprise(&office(), &enterprise("91350100m000100y43", "又一个"), NOW).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "enterprise_taken");
        assert_eq!(a.industry_class_name, "医药制造");

        // Each enterprise's account: its own figures, never the other's.
        let (me, other) = (reporter(a.unit_id), reporter(b.unit_id));
        let month = |period: &str, revenue: f64| PeriodFigures {
            period: period.into(),
            values: [("revenue".to_string(), revenue), ("employees".to_string(), 120.0)].into(),
        };
        store.save_enterprise_figures(&me, a.id, &month("2025-06", 500.0), NOW).await.unwrap();
        let mine = store.save_enterprise_figures(&me, a.id, &month("2026-06", 400.0), NOW).await.unwrap();
        assert_eq!(mine[0].period, "2026-06");
        let err = store.enterprise_figures(&other, a.id).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "not_your_enterprise");
        let err = store.save_enterprise_figures(&other, a.id, &month("2026-06", 1.0), NOW).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "not_your_enterprise");
        assert_eq!(store.enterprises(&other).await.unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [b.id]);
        assert_eq!(store.enterprises(&office()).await.unwrap().len(), 2);

        // The statistics bureau's table: a wrong code named by its cell, nothing stored.
        let bad = "统一社会信用代码,期别,营业收入（万元）,从业人员\n91110000802100433B,2026-06,800,30\n91110000802100433C,2026-06,x,30\n";
        let err = store.import_enterprise_figures(&office(), bad.as_bytes(), NOW).await.unwrap_err();
        let text = err.refusal().unwrap().message(bighealth_rules::Lang::Zh);
        assert!(text.contains("A3：") && text.contains("C3："), "{text}");
        assert!(store.enterprise_figures(&office(), b.id).await.unwrap().is_empty());
        let good = "统一社会信用代码,期别,营业收入（万元）,从业人员\n91110000802100433B,2026-06,800,30\n";
        assert_eq!(store.import_enterprise_figures(&office(), good.as_bytes(), NOW).await.unwrap(), 2);

        // They add up by region, and the one whose revenue fell is named.
        let f = store.region_figures(&office(), "522600", Some(JUNE), JUNE).await.unwrap();
        let revenue = figures(&f.indicators, "QY_REVENUE");
        assert_eq!(revenue.region.value, Some(1200.0));
        let falls = store.falling_enterprises(&office(), "522600", JUNE).await.unwrap();
        assert_eq!(falls.len(), 1);
        assert_eq!((falls[0].enterprise_id, falls[0].change.round()), (a.id, -20.0));
        assert!(store.falling_enterprises(&other, "522600", JUNE).await.unwrap().is_empty(), "not another's");
    })
    .await;
}

const STEPS_PLAN: &str = "凯里市健康产业发展规划（2026—2030年）
一、重点任务
（一）发展养老服务。到2027年，全市养老床位达到800张；到2030年，全市养老床位达到1200张。（牵头单位：市民政局）
（二）壮大健康产业。健康产业增加值年均增长12%。（牵头单位：市发展改革局）
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_target_steps_from_the_earlier_and_growth_is_set_beside_the_parents() {
    each_backend(|store| async move {
        let plan = import(&store, STEPS_PLAN, "522601").await;
        let units = store.units(&UnitQuery { region: Some("522601".into()), ..Default::default() }).await.unwrap();
        let civil = units.iter().find(|u| u.name == "市民政局").unwrap().id;
        let growth_unit = units.iter().find(|u| u.name == "市发展改革局").unwrap().id;
        let s = store.plan_status(&office(), plan, Some("2026-06"), day(2026, 7, 10)).await.unwrap();
        let beds: Vec<_> = s.items.iter().filter(|i| i.kind == "target" && i.title.contains("床位")).collect();
        assert_eq!(beds.len(), 2, "{beds:?}");
        let later = beds.iter().find(|i| i.judgement.year.map(|y| y.year) == Some(2030)).expect("the 2030 target");
        let first = beds.iter().find(|i| i.judgement.year.map(|y| y.year) == Some(2027)).expect("the 2027 target");
        assert_eq!(
            store.target_indicator(later.item_id).await.unwrap(),
            store.target_indicator(first.item_id).await.unwrap()
        );

        // Reported: the 2030 target's path starts at the 2027 step.
        report_june(&store, plan, civil, 500.0, day(2026, 7, 2)).await;
        let growth =
            s.items.iter().find(|i| i.kind == "target" && i.title.contains("增长")).expect("the growth target");
        let code = store.target_indicator(growth.item_id).await.unwrap().unwrap();
        let city = format!("指标代码,地区代码,期别,数值\n{code},522600,2026-06,9.5\n");
        store.import_indicator_values(&office(), city.as_bytes(), NOW).await.unwrap();
        let me = reporter(growth_unit);
        let form = store.report_form(&me, plan, growth_unit, "2026-06", day(2026, 7, 2)).await.unwrap();
        let entries: Vec<Entry> = form
            .items
            .iter()
            .map(|i| match i.kind {
                ItemKind::Target => {
                    Entry { kind: Some(i.kind), item_id: i.item_id, value: Some(12.5), ..Entry::default() }
                }
                _ => Entry {
                    kind: Some(i.kind),
                    item_id: i.item_id,
                    status: Some("on_track".into()),
                    share: Some(50.0),
                    progress: Some("推进".into()),
                    ..Entry::default()
                },
            })
            .collect();
        let save = SaveForm { entries, confirm: true, reason: None };
        store.save_report(&me, plan, growth_unit, "2026-06", save, true, day(2026, 7, 2)).await.unwrap();
        let approve = Review { step: Step::Approve, reason: None, items: vec![] };
        store.review_report(&office(), plan, growth_unit, "2026-06", &approve, day(2026, 7, 3)).await.unwrap();

        let s = store.plan_status(&office(), plan, Some("2026-06"), day(2026, 7, 10)).await.unwrap();
        let later = s.items.iter().find(|i| i.item_id == later.item_id).unwrap();
        let path = later.judgement.trajectory.expect("a path");
        assert_eq!((path.start.value, path.end.value), (800.0, 1200.0), "stepped: {}", later.judgement.reason);
        let growth = s.items.iter().find(|i| i.item_id == growth.item_id).unwrap();
        assert!(
            growth.judgement.reason.contains("黔东南苗族侗族自治州同期 9.5%，本地区高 3 个百分点"),
            "{}",
            growth.judgement.reason
        );
    })
    .await;
}
