//! Supervision: a month of reports in which a project falls behind opens an
//! item with its evidence, a dry run opens nothing, a persisting cause
//! raises the level instead of opening a second item, the unit runs the
//! loop and the office closes it; an unanswered item is reminded and
//! escalates across a holiday week counted in working days; the office's
//! holiday calendar; on both backends.

use crate::common::*;
use bighealth_rules::calendar::start_of;
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::supervision::workflow::{State, Step};
use bighealth_rules::supervision::{Level, RuleKind, Settings, Source};
use bighealth_store::accounts::NewUser;
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::SaveForm;
use bighealth_store::supervision::items::{LedgerFilter, NewItem, TakeStep};
use bighealth_store::supervision::rules::{Outcome, RunRules};
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store};
use jiff::civil::date;

fn reporter(unit: i64) -> Actor {
    Actor {
        user_id: None,
        username: format!("reporter-{unit}"),
        roles: vec![Role::Reporter],
        units: vec![unit],
        ..Actor::default()
    }
}

fn day(y: i16, m: i8, d: i8) -> i64 {
    start_of(date(y, m, d)) + 10 * 3_600_000
}

fn step(step: Step, note: &str) -> TakeStep {
    TakeStep { step, note: (!note.is_empty()).then(|| note.into()), date: None, share: None }
}

/// 黔江区's plan, its 区卫生健康委 and 区民政局.
async fn setup(store: &Store) -> (i64, i64, i64) {
    let bytes = std::fs::read(seed("002")).unwrap();
    let req = ImportRequest { name: "002.txt", bytes: &bytes, region: "500114", parent: None };
    let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
    let units = store.units(&UnitQuery { region: Some("500114".into()), ..Default::default() }).await.unwrap();
    let health = units.iter().find(|u| u.name == "区卫生健康委").unwrap().id;
    let other = units.iter().find(|u| u.name == "区民政局").unwrap().id;
    (r.plan_id, health, other)
}

/// The unit files month `m` of 2021 complete, each project's month at `amount` 万元.
async fn file_month(store: &Store, plan: i64, unit: i64, m: i8, amount: f64) {
    let me = reporter(unit);
    let at = if m == 12 { day(2022, 1, 3) } else { day(2021, m + 1, 3) };
    let key = format!("2021-{m:02}");
    let form = store.report_form(&me, plan, unit, &key, at).await.unwrap();
    let entries = form
        .items
        .iter()
        .map(|i| {
            let mut e = Entry { kind: Some(i.kind), item_id: i.item_id, ..Entry::default() };
            match i.kind {
                ItemKind::Task => {
                    e.status = Some("on_track".into());
                    e.share = Some(f64::from(m) * 8.0);
                    e.progress = Some("按计划推进".into());
                }
                ItemKind::Target => e.value = Some(1.0),
                ItemKind::Project => e.amount = Some(amount),
            }
            e
        })
        .collect();
    let save = SaveForm { entries, confirm: true, ..SaveForm::default() };
    store.save_report(&me, plan, unit, &key, save, true, at).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_behind_opens_an_item_with_its_evidence_and_the_unit_runs_the_loop() {
    each_backend(|store| async move {
        let (plan, health, other) = setup(&store).await;
        let mut settings = Settings { prefix: "健督".into(), ..Settings::default() };
        for r in &mut settings.rules {
            r.enabled = r.rule == RuleKind::ProjectInvestment;
        }
        store.set_supervision_settings(&office(), plan, &settings, NOW).await.unwrap();
        for m in 1..=6 {
            file_month(&store, plan, health, m, 10.0).await;
        }
        let at = day(2021, 7, 8);

        // A dry run lists what would open and opens nothing.
        let dry = RunRules { period: Some("2021-06".into()), dry_run: true, settings: None };
        let report = store.run_supervision_rules(&office(), plan, &dry, at).await.unwrap();
        let hospital = report
            .found
            .iter()
            .find(|f| f.cause.title.contains("武陵山公共卫生应急医院"))
            .expect("the hospital's investment lags")
            .clone();
        assert_eq!(hospital.outcome, Outcome::Open);
        assert_eq!(
            hospital.cause.evidence,
            "计划年度投资 25 690 万元（按总投资 51 380 万元、建设期 2020—2021 年平均），截至 6 月完成 60 万元，\
             序时进度 50%，完成 0%，落后 50 个百分点"
        );
        assert!(report.off.iter().any(|o| o.rule == RuleKind::TargetBehind && o.why == "未启用"));
        let ledger = store.supervision_ledger(&office(), &LedgerFilter::default(), at).await.unwrap();
        assert_eq!(ledger.page.total, 0, "a dry run opens nothing");
        // A dry run with the rule switched off finds nothing.
        let off = RunRules { settings: Some(Settings::default()), ..dry.clone() };
        assert!(store.run_supervision_rules(&office(), plan, &off, at).await.unwrap().found.is_empty());
        assert!(store.run_supervision_rules(&reporter(health), plan, &dry, at).await.is_err());

        // The run opens it, numbered, given to the unit, with the evidence.
        let run = RunRules { dry_run: false, ..dry.clone() };
        let report = store.run_supervision_rules(&office(), plan, &run, at).await.unwrap();
        let opened = report.found.iter().filter(|f| f.outcome == Outcome::Open).count();
        assert!(opened >= 1);
        let item_id = report.found.iter().find(|f| f.cause.key == hospital.cause.key).unwrap().item_id.unwrap();
        let item = store.supervision_item(&office(), item_id, at).await.unwrap().item;
        assert!(item.number.starts_with("健督〔2021〕") && item.number.ends_with('号'), "{}", item.number);
        assert_eq!(
            (item.source, item.rule, item.lead_unit.id),
            (Source::Rule, Some(RuleKind::ProjectInvestment), health)
        );
        assert_eq!(item.body, hospital.cause.evidence);
        assert_eq!((item.state, item.level), (State::Assigned, Level::Orange), "50 points behind starts orange");

        // The same period again opens nothing more; the cause persisting into July raises the level.
        let again = store.run_supervision_rules(&office(), plan, &run, at).await.unwrap();
        assert!(again.found.iter().all(|f| f.outcome == Outcome::Seen));
        file_month(&store, plan, health, 7, 10.0).await;
        let july = RunRules { period: Some("2021-07".into()), ..run.clone() };
        let raised = store.run_supervision_rules(&office(), plan, &july, day(2021, 8, 9)).await.unwrap();
        let f = raised.found.iter().find(|f| f.item_id == Some(item_id)).unwrap();
        assert_eq!((f.outcome, f.level), (Outcome::Raise, Level::Red));
        let total = store.supervision_ledger(&office(), &LedgerFilter::default(), at).await.unwrap().page.total;
        assert_eq!(total as usize, opened, "no second item for a cause while one is open");

        // The loop: another unit may not touch it; the unit signs, plans, reports, asks to close.
        let me = reporter(health);
        let t = day(2021, 8, 10);
        let err = store.take_supervision_step(&reporter(other), item_id, &step(Step::Sign, ""), t).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "not_your_supervision");
        let err = store.take_supervision_step(&me, item_id, &step(Step::AskClose, "好了"), t).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "item_step");
        store.take_supervision_step(&me, item_id, &step(Step::Sign, ""), t).await.unwrap();
        let err = store.take_supervision_step(&me, item_id, &step(Step::Plan, ""), t).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "required", "a plan needs its text");
        store
            .take_supervision_step(
                &me,
                item_id,
                &step(Step::Plan, "问题：资金未到位；措施：争取专项债；责任人：张三；时限：9月底"),
                t,
            )
            .await
            .unwrap();
        let progress = TakeStep { share: Some(60.0), ..step(Step::Progress, "专项债已申报") };
        store.take_supervision_step(&me, item_id, &progress, t).await.unwrap();
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
        let file = store.attach_supervision_file(&me, item_id, "整改报告.pdf", pdf, t).await.unwrap();
        assert_eq!(file.sha256.len(), 64);
        store.take_supervision_step(&me, item_id, &step(Step::AskClose, "资金已到位，项目复工"), t).await.unwrap();
        let back =
            store.take_supervision_step(&office(), item_id, &step(Step::Return, "请补充复工照片"), t).await.unwrap();
        assert_eq!(back.item.state, State::Handling);
        store.take_supervision_step(&me, item_id, &step(Step::AskClose, "已补充复工照片"), t).await.unwrap();
        let err = store.take_supervision_step(&me, item_id, &step(Step::Accept, ""), t).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "role_may_not");
        let closed = store.take_supervision_step(&office(), item_id, &step(Step::Accept, ""), t).await.unwrap();
        assert_eq!(closed.item.state, State::Closed);
        let archived = store.take_supervision_step(&office(), item_id, &step(Step::Archive, ""), t).await.unwrap();
        let steps: Vec<&str> = archived.steps.iter().map(|s| s.step.as_str()).collect();
        assert_eq!(
            steps,
            ["open", "raise", "sign", "plan", "progress", "ask_close", "return", "ask_close", "accept", "archive"]
        );
        assert_eq!(
            archived.files[0].step_id,
            Some(archived.steps[5].id),
            "the evidence went with the request to close"
        );
        assert!(archived.steps.iter().skip(2).all(|s| !s.by_name.is_empty()));

        // The unit's inbox holds it; the closed cause may open a new item later.
        let inbox = store.supervision_inbox(&me, t).await.unwrap();
        assert!(inbox.iter().any(|i| i.id == item_id));
        assert!(store.supervision_inbox(&reporter(other), t).await.unwrap().iter().all(|i| i.id != item_id));
        let reopened = store.run_supervision_rules(&office(), plan, &july, t).await.unwrap();
        assert_eq!(reopened.found.iter().find(|f| f.cause.key == hospital.cause.key).unwrap().outcome, Outcome::Open);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_item_is_reminded_and_escalates_across_a_holiday_week_in_working_days() {
    each_backend(|store| async move {
        let (plan, health, other) = setup(&store).await;
        let new = NewUser {
            username: "leader1".into(),
            display_name: Some("王副区长".into()),
            password: "Leader-pass-2026".into(),
            roles: vec![Role::Leader],
            units: vec![],
        };
        let leader = store.create_user(&security(), &new, NOW).await.unwrap().done().unwrap();
        let given = day(2026, 9, 24);
        let mut new = NewItem {
            source: Source::Instruction,
            reference: Some("区长批示第 12 号".into()),
            title: "加快康养项目审批".into(),
            body: "请区卫生健康委牵头，区民政局配合，加快康养项目审批。".into(),
            lead_unit: health,
            helpers: vec![other],
            leader_id: Some(store.user(leader.id).await.unwrap().id),
            ..NewItem::default()
        };
        new.leader_id = Some(health + 100_000);
        let err = store.open_supervision_item(&office(), plan, &new, given).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().field.as_deref(), Some("leader_id"));
        new.leader_id = Some(leader.id);
        let err = store.open_supervision_item(&reporter(health), plan, &new, given).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "role_may_not");
        let item = store.open_supervision_item(&office(), plan, &new, given).await.unwrap().item;
        assert_eq!(item.number, "督办〔2026〕1号");
        // 中秋 (25–27 Sep) and 国庆 (1–7 Oct) fall inside; 10 Oct, a Saturday, is worked.
        assert_eq!(
            (item.sign_due.as_str(), item.plan_due.as_str(), item.due.as_str()),
            ("2026-09-28", "2026-10-09", "2026-10-22")
        );
        assert_eq!(item.helpers[0].id, other);
        let err =
            store.take_supervision_step(&reporter(other), item.id, &step(Step::Sign, ""), given).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "lead_unit_only");

        // Reminded once near the signing deadline.
        let swept = store.supervision_sweep(day(2026, 9, 25)).await.unwrap();
        assert_eq!(swept.len(), 1);
        assert_eq!(swept[0].note, "距签收时限（2026年9月28日）还有 1 个工作日，请按时办理");
        assert!(store.supervision_sweep(day(2026, 9, 26)).await.unwrap().is_empty(), "once per deadline");

        // Unanswered: overdue by its flags, then escalated once the rectification deadline passes.
        let oct21 = day(2026, 10, 21);
        let late = store.supervision_item(&office(), item.id, oct21).await.unwrap().item;
        assert_eq!(late.overdue, ["sign", "plan"]);
        assert!(store.supervision_sweep(oct21).await.unwrap().is_empty());
        let oct23 = day(2026, 10, 23);
        let swept = store.supervision_sweep(oct23).await.unwrap();
        assert_eq!(swept.len(), 1);
        assert_eq!(swept[0].step, "escalate");
        assert_eq!(
            swept[0].note,
            "已超过办结时限 2026年10月22日（逾期 1 个工作日），升级为红色督办，报责任领导王副区长阅处"
        );
        assert!(store.supervision_sweep(day(2026, 10, 26)).await.unwrap().is_empty(), "escalated once");
        let red = store.supervision_item(&office(), item.id, oct23).await.unwrap();
        assert_eq!((red.item.level, red.item.overdue.len()), (Level::Red, 3));
        assert_eq!(red.steps.iter().map(|s| s.step.as_str()).collect::<Vec<_>>(), ["open", "remind", "escalate"]);
        let leader_actor = Actor { user_id: Some(leader.id), roles: vec![Role::Leader], ..Actor::default() };
        let alerts = store.supervision_alerts(&leader_actor, oct23).await.unwrap();
        assert_eq!(alerts.first().map(|i| i.id), Some(item.id));
        let overdue = LedgerFilter { overdue: Some(true), ..LedgerFilter::default() };
        let ledger = store.supervision_ledger(&office(), &overdue, oct23).await.unwrap();
        assert_eq!((ledger.page.total, ledger.overdue), (1, 1));
        assert_eq!(ledger.by_level.get("red"), Some(&1));

        // An extension asked after the deadline is refused.
        let ext = TakeStep { date: Some("2026-11-30".into()), ..step(Step::AskExtension, "审批材料补正") };
        let err = store.take_supervision_step(&reporter(health), item.id, &ext, oct23).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "extension_late");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_imports_a_years_holiday_calendar() {
    each_backend(|store| async move {
        let err = store.set_holiday_calendar(&office(), 2027, "2027-01-01\t休\t元旦\n2027-02-x\t休\t春节\n", NOW).await;
        let r = err.unwrap_err();
        assert_eq!(r.refusal().unwrap().reason.code(), "calendar_line");
        assert!(r.refusal().unwrap().reason.message(bighealth_rules::Lang::Zh).contains("第 2 行"));
        let err = store.set_holiday_calendar(&office(), 2027, "2026-12-31\t休\t元旦\n", NOW).await.unwrap_err();
        assert_eq!(err.refusal().unwrap().reason.code(), "calendar_year");
        assert!(store.set_holiday_calendar(&reporter(1), 2027, "2027-01-01\t休\t元旦\n", NOW).await.is_err());
        // Friday 1 January 2027 off: one working day after 31 December is Monday 4 January.
        let text = "2027-01-01\t休\t元旦\n2027-02-07\t班\t春节\n";
        let cal = store.set_holiday_calendar(&office(), 2027, text, NOW).await.unwrap();
        assert!(cal.imported);
        assert_eq!(cal.days.len(), 2);
        let h = store.holidays();
        assert_eq!(h.add_workdays(date(2026, 12, 31), 1), date(2027, 1, 4));
        assert!(h.is_workday(date(2027, 2, 7)), "a Sunday made a workday");
        assert!(h.is_holiday(date(2026, 10, 1)), "the shipped year stays");
        assert!(!store.holiday_calendar(2026).await.unwrap().imported);
    })
    .await;
}
