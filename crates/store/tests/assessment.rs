//! Annual assessment: a year scored from the reports, the statuses and the
//! supervision items, every point explained down to its record; the
//! office's scheme versions, entries (checklist points, bonus, veto) and
//! the units' self-assessments with the review; the result published and
//! frozen, the 限期整改 items it opens, withdrawn; the same scores on both
//! backends.

use crate::common::*;
use bighealth_rules::calendar::start_of;
use bighealth_rules::reporting::entry::{Entry as ReportEntry, ItemKind};
use bighealth_rules::reporting::workflow::Step;
use bighealth_rules::scoring::rank::Grade;
use bighealth_rules::scoring::score::Entry;
use bighealth_rules::scoring::{BonusLevel, Rule, Scheme};
use bighealth_store::assessment::entries::{NewEntry, NewSelfAssessment};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::{Review, SaveForm};
use bighealth_store::supervision::items::LedgerFilter;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store};
use jiff::civil::date;
use std::sync::{Arc, Mutex};

const PLAN: &str = "某州2026年大健康产业发展工作要点
一、重点任务
（一）发展养老服务。全年新增养老床位600张。（牵头单位：州民政局）
（二）壮大健康产业。大健康产业增加值同比增长20%以上。（牵头单位：州发展改革委）
（三）推进医养结合示范项目建设，12月底前完成。（牵头单位：州民政局）
（四）建设康养小镇，12月底前完成。（牵头单位：凯里市人民政府）
";

fn reporter(unit: i64) -> Actor {
    Actor { username: format!("reporter-{unit}"), roles: vec![Role::Reporter], units: vec![unit], ..Actor::default() }
}

fn day(y: i16, m: i8, d: i8) -> i64 {
    start_of(date(y, m, d)) + 10 * 3_600_000
}

/// The unit files month `m` of 2026 on `filed`: targets at `value`, tasks done.
async fn file(store: &Store, plan: i64, unit: i64, m: i8, value: f64, filed: i64) {
    let me = reporter(unit);
    let key = format!("2026-{m:02}");
    let form = store.report_form(&me, plan, unit, &key, filed).await.unwrap();
    let entries = form
        .items
        .iter()
        .map(|i| {
            let mut e = ReportEntry { kind: Some(i.kind), item_id: i.item_id, ..ReportEntry::default() };
            match i.kind {
                ItemKind::Task => {
                    e.status = Some("done".into());
                    e.share = Some(100.0);
                    e.progress = Some("已完成".into());
                }
                ItemKind::Target => e.value = Some(value),
                ItemKind::Project => e.amount = Some(0.0),
            }
            e
        })
        .collect();
    let save = SaveForm { entries, confirm: true, reason: None };
    store.save_report(&me, plan, unit, &key, save, true, filed).await.unwrap();
    let approve = Review { step: Step::Approve, reason: None, items: vec![] };
    store.review_report(&office(), plan, unit, &key, &approve, filed + 3_600_000).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_is_scored_explained_published_and_the_same_on_both_backends() {
    let totals: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = totals.clone();
    each_backend(move |store| {
        let seen = seen.clone();
        async move {
            let req = ImportRequest { name: "p.txt", bytes: PLAN.as_bytes(), region: "522600", parent: None };
            let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else {
                panic!()
            };
            let plan = r.plan_id;
            let units = store.units(&UnitQuery { region: Some("522600".into()), ..Default::default() }).await.unwrap();
            let id = |name: &str| units.iter().find(|u| u.name == name).unwrap().id;
            let (civil, growth, county) = (id("州民政局"), id("州发展改革委"), id("凯里市人民政府"));

            // 州民政局 files every month on time, its beds met; 州发展改革委
            // files June late; the county files nothing.
            for m in 1..=12 {
                let next = if m == 12 { (2027, 1) } else { (2026, m + 1) };
                file(&store, plan, civil, m, 50.0 * f64::from(m), day(next.0, next.1, 2)).await;
            }
            file(&store, plan, growth, 6, 21.0, day(2026, 7, 20)).await;
            let now = day(2027, 1, 25);

            let a = store.assessment(&office(), plan, 2026, now).await.unwrap();
            assert_eq!(a.period.key, "2026-12", "judged at the year's last period");
            assert_eq!(a.scheme_version, 0, "the defaults until the office saves a scheme");
            let civil_r = a.unit(civil).unwrap();
            assert_eq!(civil_r.group, "部门单位");
            assert_eq!(a.unit(county).unwrap().group, "县（市、区）政府");
            let item =
                |u: i64, key: &str| a.unit(u).unwrap().score.items.iter().find(|i| i.key == key).unwrap().clone();
            // The beds: 600 of 600 → the target item full.
            let targets = item(civil, "targets");
            assert_eq!(targets.points, Some(40.0), "{targets:?}");
            assert_eq!(targets.evidence[0].kind, "target");
            // Every month on time: reporting full; the county missed all twelve.
            assert_eq!(item(civil, "reporting").points, Some(10.0));
            let county_reports = item(county, "reporting");
            assert_eq!(county_reports.points, Some(0.0));
            assert_eq!(county_reports.evidence.len(), 12);
            assert_eq!(county_reports.evidence[0].period.as_deref(), Some("2026-01"));
            assert!(county_reports.reason.contains("缺报 12 期"), "{}", county_reports.reason);
            // 州发展改革委 filed June late and eleven months not at all: 10 − 1 − 22 → 0.
            let g = item(growth, "reporting");
            assert!(g.evidence.iter().any(|e| e.period.as_deref() == Some("2026-06") && e.effect.contains("迟报")));
            // Nothing entered for 工作机制 yet.
            assert!(item(civil, "mechanism").reason.contains("尚未评分"));

            // Recomputing gives the same result.
            let again = store.assessment(&office(), plan, 2026, now).await.unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&again).unwrap());

            // The scheme: a wrong one refused at its field, a right one a new version.
            let mut scheme = Scheme::default();
            scheme.items[0].points = 0.0;
            let err = store.save_scoring_scheme(&office(), plan, 2026, &scheme, None, now).await.unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "points_range");
            assert_eq!(err.refusal().unwrap().field.as_deref(), Some("items[0].points"));
            let mut scheme = Scheme::default();
            scheme.items[4].rule = Rule::Reporting { late_deduct: 0.5, missing_deduct: 1.0 };
            let err = store.save_scoring_scheme(&reporter(civil), plan, 2026, &scheme, None, now).await.unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "role_may_not");
            let v1 =
                store.save_scoring_scheme(&office(), plan, 2026, &scheme, Some("报送扣分减半"), now).await.unwrap();
            assert_eq!(v1.version, 1);

            // Entries: checklist points, a bonus, a veto.
            let entry = |unit, entry: Entry, reason: &str| NewEntry { unit_id: unit, entry, reason: reason.into() };
            let err = store
                .add_assessment_entry(
                    &office(),
                    plan,
                    2026,
                    &entry(civil, Entry::Points { item: "tasks".into(), points: 5.0 }, "x"),
                    now,
                )
                .await
                .unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "scheme_item_not_manual");
            let err = store
                .add_assessment_entry(
                    &office(),
                    plan,
                    2026,
                    &entry(civil, Entry::Points { item: "mechanism".into(), points: 12.0 }, "x"),
                    now,
                )
                .await
                .unwrap_err();
            assert_eq!(err.refusal().unwrap().field.as_deref(), Some("entry.points"));
            let err = store
                .add_assessment_entry(&office(), plan, 2026, &entry(999_999, Entry::Veto {}, "x"), now)
                .await
                .unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "not_assessed");
            let points = Entry::Points { item: "mechanism".into(), points: 9.0 };
            store
                .add_assessment_entry(&office(), plan, 2026, &entry(civil, points, "专班、例会、资金齐全"), now)
                .await
                .unwrap();
            let bonus = Entry::Bonus { level: BonusLevel::Provincial };
            let b = store
                .add_assessment_entry(&office(), plan, 2026, &entry(civil, bonus, "省级医养结合示范"), now)
                .await
                .unwrap();
            store
                .add_assessment_entry(&office(), plan, 2026, &entry(growth, Entry::Veto {}, "统计数据造假"), now)
                .await
                .unwrap();
            let pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
            let file = store
                .attach_assessment_file(
                    &office(),
                    bighealth_store::assessment::entries::FileOwner::Entry,
                    b.id,
                    "批文.pdf",
                    pdf,
                    now,
                )
                .await
                .unwrap();
            assert_eq!(file.sha256.len(), 64);

            // Self-assessment: the unit's own, the office's review.
            let mine = NewSelfAssessment {
                scores: [("targets".to_string(), 40.0), ("mechanism".to_string(), 10.0)].into_iter().collect(),
                note: "全年任务全部完成".into(),
            };
            let err = store.submit_self_assessment(&reporter(county), plan, 2026, civil, &mine, now).await.unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "not_your_unit");
            let bad = NewSelfAssessment { scores: [("nope".to_string(), 1.0)].into_iter().collect(), note: "x".into() };
            let err = store.submit_self_assessment(&reporter(civil), plan, 2026, civil, &bad, now).await.unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "scheme_item_unknown");
            let selfs = store.submit_self_assessment(&reporter(civil), plan, 2026, civil, &mine, now).await.unwrap();
            store.review_self_assessment(&office(), selfs.id, "工作机制佐证不全，按 9 分计", now).await.unwrap();
            let listed = store.self_assessments(&reporter(county), plan, 2026).await.unwrap();
            assert!(listed.is_empty(), "a unit sees its own self-assessments only");

            let a = store.assessment(&office(), plan, 2026, now).await.unwrap();
            assert_eq!(a.scheme_version, 1);
            let c = a.unit(civil).unwrap();
            assert_eq!(c.score.items.iter().find(|i| i.key == "mechanism").unwrap().points, Some(9.0));
            assert_eq!(c.score.bonus, 2.0);
            assert_eq!(c.self_total, Some(50.0));
            let g = a.unit(growth).unwrap();
            assert_eq!(g.place.grade, Grade::Fail, "a veto fails whatever the total");
            assert_eq!(g.score.veto.as_deref(), Some("统计数据造假"));
            assert!(g.place.rectify);
            seen.lock().unwrap().push(
                a.units
                    .iter()
                    .map(|u| format!("{}:{}:{}", u.unit_name, u.score.total, u.place.rank))
                    .collect::<Vec<_>>()
                    .join(","),
            );

            // Published: frozen, with 限期整改 items opened for the units named.
            let number = store.next_assessment_number(plan, 2026).await.unwrap();
            assert_eq!(number, "健考〔2027〕1号");
            let files = [("docx", b"docx".to_vec()), ("pdf", b"pdf".to_vec())];
            let p = store.publish_assessment(&office(), &a, &number, &files, now).await.unwrap();
            let published = p.published.clone().unwrap();
            assert_eq!(published.files.len(), 2);
            let named: Vec<&str> = a.units.iter().filter(|u| u.place.rectify).map(|u| u.unit_name.as_str()).collect();
            assert_eq!(published.rectification.len(), named.len());
            let ledger = store
                .supervision_ledger(&office(), &LedgerFilter { plan_id: Some(plan), ..Default::default() }, now)
                .await
                .unwrap();
            let opened: Vec<_> = ledger.page.items.iter().filter(|i| i.source.as_str() == "assessment").collect();
            assert_eq!(opened.len(), named.len());
            assert!(opened.iter().any(|i| i.lead_unit.id == growth && i.title.contains("不合格")));
            let err = store
                .add_assessment_entry(&office(), plan, 2026, &entry(civil, Entry::Deduction { points: 1.0 }, "x"), now)
                .await
                .unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "assessment_published");
            let err = store.publish_assessment(&office(), &a, &number, &files, now).await.unwrap_err();
            assert_eq!(err.refusal().unwrap().reason.code(), "assessment_published");
            // A new scheme version may be saved; the one used stays, marked used.
            store.save_scoring_scheme(&office(), plan, 2026, &Scheme::default(), Some("下年度"), now).await.unwrap();
            let versions = store.scoring_scheme_versions(&office(), plan, 2026).await.unwrap();
            assert_eq!(versions.iter().map(|v| (v.version, v.used)).collect::<Vec<_>>(), [(2, false), (1, true)]);
            // Read as published, whatever changes after.
            let read = store.assessment(&office(), plan, 2026, now + 86_400_000).await.unwrap();
            assert_eq!(read.scheme_version, 1);
            assert_eq!(read.units, a.units);
            let (_, bytes) = store.assessment_result_file(&office(), plan, 2026, "pdf").await.unwrap();
            assert_eq!(bytes, b"pdf");

            // Withdrawn: kept, and the year can be entered and scored again.
            store.withdraw_assessment(&office(), plan, 2026, "复核发现计分错误", now).await.unwrap();
            store
                .add_assessment_entry(
                    &office(),
                    plan,
                    2026,
                    &entry(civil, Entry::Deduction { points: 1.0 }, "上级通报批评"),
                    now,
                )
                .await
                .unwrap();
            let again = store.assessment(&office(), plan, 2026, now).await.unwrap();
            assert!(again.published.is_none());
            assert_eq!(again.scheme_version, 2);
        }
    })
    .await;
    let totals = totals.lock().unwrap();
    assert_eq!(totals.len(), 2);
    assert_eq!(totals[0], totals[1], "the same scores on SQLite and PostgreSQL");
}
