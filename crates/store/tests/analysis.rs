//! Analysis: a one-year work plan's targets judged against 序时 from the
//! approved reports only, a correction counted once approved, the office's
//! thresholds, and the supervision rule that opens an item for a target
//! behind its trajectory with the analysis's sentence as evidence; on both
//! backends.

use crate::common::*;
use bighealth_rules::analysis::years::YearSource;
use bighealth_rules::analysis::{Settings as AnalysisSettings, Status};
use bighealth_rules::calendar::start_of;
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::reporting::workflow::Step;
use bighealth_rules::supervision::{RuleKind, Settings};
use bighealth_store::analysis::status::PlanStatus;
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::{Review, SaveForm};
use bighealth_store::supervision::rules::{Outcome, RunRules};
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store};
use jiff::civil::date;

const PLAN: &str = "某州2026年大健康产业发展工作要点
一、重点任务
（一）发展养老服务。全年新增养老床位600张。（牵头单位：州民政局）
（二）壮大健康产业。大健康产业增加值同比增长20%以上。（牵头单位：州发展改革委）
（三）推进医养结合示范项目建设，12月底前完成。（牵头单位：州民政局）
";

fn reporter(unit: i64) -> Actor {
    Actor { username: format!("reporter-{unit}"), roles: vec![Role::Reporter], units: vec![unit], ..Actor::default() }
}

fn day(y: i16, m: i8, d: i8) -> i64 {
    start_of(date(y, m, d)) + 10 * 3_600_000
}

/// The unit files June: every target at `value`, every task 序时推进 at `share`.
async fn file_june(store: &Store, plan: i64, unit: i64, value: f64, share: f64) {
    save_june(store, plan, unit, value, share, None, true).await;
}

/// The unit saves (or submits) June.
async fn save_june(store: &Store, plan: i64, unit: i64, value: f64, share: f64, reason: Option<&str>, submit: bool) {
    let me = reporter(unit);
    let form = store.report_form(&me, plan, unit, "2026-06", day(2026, 7, 2)).await.unwrap();
    let entries = form
        .items
        .iter()
        .map(|i| {
            let mut e = Entry { kind: Some(i.kind), item_id: i.item_id, ..Entry::default() };
            match i.kind {
                ItemKind::Task => {
                    e.status = Some("on_track".into());
                    e.share = Some(share);
                    e.progress = Some("按计划推进".into());
                }
                ItemKind::Target => e.value = Some(value),
                ItemKind::Project => e.amount = Some(0.0),
            }
            e
        })
        .collect();
    let save = SaveForm { entries, confirm: true, reason: reason.map(str::to_string) };
    store.save_report(&me, plan, unit, "2026-06", save, submit, day(2026, 7, 2)).await.unwrap();
}

async fn approve(store: &Store, plan: i64, unit: i64) {
    let approve = Review { step: Step::Approve, reason: None, items: vec![] };
    store.review_report(&office(), plan, unit, "2026-06", &approve, day(2026, 7, 3)).await.unwrap();
}

fn target<'a>(s: &'a PlanStatus, words: &str) -> &'a bighealth_store::analysis::status::ItemStatus {
    s.items.iter().find(|i| i.kind == "target" && i.title.contains(words)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_are_judged_from_approved_reports_and_a_lagging_one_is_supervised() {
    each_backend(|store| async move {
        let req = ImportRequest { name: "p.txt", bytes: PLAN.as_bytes(), region: "522600", parent: None };
        let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
        let plan = r.plan_id;
        let units = store.units(&UnitQuery { region: Some("522600".into()), ..Default::default() }).await.unwrap();
        let civil = units.iter().find(|u| u.name == "州民政局").unwrap().id;
        let growth = units.iter().find(|u| u.name == "州发展改革委").unwrap().id;
        let now = day(2026, 7, 10);

        // Submitted is not yet counted: the office has not approved it.
        file_june(&store, plan, civil, 200.0, 20.0).await;
        let s = store.plan_status(&office(), plan, Some("2026-06"), now).await.unwrap();
        let span = s.span.unwrap();
        assert_eq!((span.first, span.last, span.source), (2026, 2026, YearSource::WorkYear));
        let beds = target(&s, "养老床位");
        assert_eq!(beds.judgement.status, Status::NotReported);
        assert_eq!(beds.unit_id, Some(civil));

        // Approved: 200 of 600 new beds by June against 序时 50%.
        approve(&store, plan, civil).await;
        file_june(&store, plan, growth, 15.2, 50.0).await;
        approve(&store, plan, growth).await;
        let s = store.plan_status(&office(), plan, None, now).await.unwrap();
        assert_eq!(s.period.key, "2026-06", "the last period ended is the default");
        let beds = target(&s, "养老床位");
        assert_eq!(beds.judgement.status, Status::Yellow);
        assert_eq!(
            beds.judgement.reason,
            "2026年6月末序时进度 50%（应达 300张），实际 200张，完成 33.3%，落后 16.7 个百分点（自年初起算）"
        );
        let rate = target(&s, "同比增长");
        assert_eq!(rate.judgement.status, Status::Yellow);
        assert!(rate.judgement.reason.contains("低于目标 4.8 个百分点"), "{}", rate.judgement.reason);
        let task = s.items.iter().find(|i| i.kind == "task" && i.title.contains("医养结合")).unwrap();
        assert_eq!(task.judgement.status, Status::Red, "20% against 50%: {}", task.judgement.reason);
        let targets = s.kinds.iter().find(|k| k.kind == "target").unwrap();
        assert_eq!(targets.total, 2);
        assert_eq!(targets.counts.iter().find(|c| c.status == Status::Yellow).unwrap().count, 2);
        assert_eq!(s.items[0].judgement.status, Status::Red, "the most urgent first");

        // The office's thresholds: 黄 only from 20 points behind.
        let loose = AnalysisSettings { yellow_behind: 20.0, red_behind: 40.0, ..AnalysisSettings::default() };
        let refused = store
            .set_analysis_settings(&office(), plan, &AnalysisSettings { red_behind: 5.0, ..loose.clone() }, now)
            .await
            .unwrap_err();
        assert_eq!(refused.refusal().unwrap().reason.code(), "thresholds_order");
        let err = store.set_analysis_settings(&reporter(civil), plan, &loose, now).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "role_may_not");
        store.set_analysis_settings(&office(), plan, &loose, now).await.unwrap();
        let s = store.plan_status(&office(), plan, None, now).await.unwrap();
        assert_eq!(target(&s, "养老床位").judgement.status, Status::Green);
        store.set_analysis_settings(&office(), plan, &AnalysisSettings::default(), now).await.unwrap();

        // The supervision rule on targets opens an item with the analysis's sentence.
        let mut settings = Settings::default();
        for r in &mut settings.rules {
            r.enabled = r.rule == RuleKind::TargetBehind;
        }
        store.set_supervision_settings(&office(), plan, &settings, now).await.unwrap();
        let run = RunRules { period: Some("2026-06".into()), dry_run: false, settings: None };
        let report = store.run_supervision_rules(&office(), plan, &run, now).await.unwrap();
        let opened: Vec<_> = report.found.iter().filter(|f| f.outcome == Outcome::Open).collect();
        assert_eq!(opened.len(), 1, "only the beds are behind their trajectory: {opened:?}");
        assert_eq!(opened[0].cause.unit_id, civil);
        assert_eq!(opened[0].cause.evidence, beds.judgement.reason);

        // A correction counts once the office approves it.
        save_june(&store, plan, civil, 400.0, 60.0, Some("床位数据更正"), false).await;
        let s = store.plan_status(&office(), plan, None, now).await.unwrap();
        assert_eq!(
            target(&s, "养老床位").judgement.actual,
            Some(200.0),
            "a correction being made leaves the approved figure standing"
        );
        save_june(&store, plan, civil, 400.0, 60.0, None, true).await;
        approve(&store, plan, civil).await;
        let s = store.plan_status(&office(), plan, None, now).await.unwrap();
        let beds = target(&s, "养老床位");
        assert_eq!(beds.judgement.status, Status::Green);
        assert!(beds.judgement.reason.contains("超前 16.7 个百分点"), "{}", beds.judgement.reason);
    })
    .await;
}
