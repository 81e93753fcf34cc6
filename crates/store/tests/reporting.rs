//! Monthly dispatch: a unit's month from draft to approval, versions, the
//! same submission stored once, checks at entry, locks and reopening,
//! lateness, reassignment and the rates, on both backends.

use crate::common::*;
use bighealth_rules::calendar::start_of;
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::reporting::workflow::{State, Step};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::reporting::forms::{Form, ItemReason, Review, SaveForm};
use bighealth_store::tasks::{TaskPatch, UnitGiven};
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store};
use jiff::civil::date;

fn reporter(unit: i64) -> Actor {
    Actor { username: format!("reporter-{unit}"), roles: vec![Role::Reporter], units: vec![unit], ..Actor::default() }
}

fn day(y: i16, m: i8, d: i8) -> i64 {
    start_of(date(y, m, d)) + 10 * 3_600_000
}

/// Every item of `form` filled as a complete report.
fn complete(form: &Form) -> Vec<Entry> {
    form.items
        .iter()
        .map(|i| {
            let mut e = Entry { kind: Some(i.kind), item_id: i.item_id, ..Entry::default() };
            match i.kind {
                ItemKind::Task => {
                    e.status = Some("on_track".into());
                    e.share = Some(30.0);
                    e.progress = Some("按计划推进".into());
                }
                ItemKind::Target => e.value = Some(1.0),
                ItemKind::Project => e.amount = Some(10.0),
            }
            e
        })
        .collect()
}

async fn setup(store: &Store) -> (i64, i64, i64) {
    let bytes = std::fs::read(seed("002")).unwrap();
    let req = ImportRequest { name: "002.txt", bytes: &bytes, region: "500114", parent: None };
    let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
    let units = store.units(&UnitQuery { region: Some("500114".into()), ..Default::default() }).await.unwrap();
    let health = units.iter().find(|u| u.name == "区卫生健康委").unwrap().id;
    let other = units.iter().find(|u| u.name == "区民政局").unwrap().id;
    (r.plan_id, health, other)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_is_filled_returned_fixed_and_approved_with_every_version_kept() {
    each_backend(|store| async move {
        let (plan, unit, other) = setup(&store).await;
        let me = reporter(unit);
        let t = day(2026, 4, 2);
        let form = store.report_form(&me, plan, unit, "2026-03", t).await.unwrap();
        assert!(form.items.iter().any(|i| i.kind == ItemKind::Task), "the lead unit reports its tasks");
        assert_eq!((form.state, form.period.due), (None, date(2026, 4, 7)), "5 April is 清明节, 6th too");
        let task = form.items.iter().find(|i| i.kind == ItemKind::Task).unwrap().item_id;

        // Nothing invalid is stored.
        let bad = Entry { kind: Some(ItemKind::Task), item_id: task, share: Some(120.0), ..Entry::default() };
        let err = store
            .save_report(&me, plan, unit, "2026-03", SaveForm { entries: vec![bad], ..SaveForm::default() }, false, t)
            .await
            .unwrap_err();
        let bighealth_store::StoreError::Refused(r) = err else { panic!("{err:?}") };
        assert_eq!((r.reason.code(), r.field.unwrap()), ("share_range", format!("task.{task}.share")));
        assert_eq!(store.report_form(&me, plan, unit, "2026-03", t).await.unwrap().state, None);

        // A draft, then an incomplete submission refused, then a complete one.
        let half =
            Entry { kind: Some(ItemKind::Task), item_id: task, status: Some("behind".into()), ..Entry::default() };
        let draft = store
            .save_report(&me, plan, unit, "2026-03", SaveForm { entries: vec![half], ..SaveForm::default() }, false, t)
            .await
            .unwrap();
        assert_eq!((draft.state, draft.version), (Some(State::Draft), 0));
        let err = store.save_report(&me, plan, unit, "2026-03", SaveForm::default(), true, t).await.unwrap_err();
        assert!(err.to_string().contains("report_needs") || format!("{err:?}").contains("ReportNeeds"), "{err:?}");
        let entries = complete(&form);
        let save = SaveForm { entries: entries.clone(), ..SaveForm::default() };
        let sent = store.save_report(&me, plan, unit, "2026-03", save.clone(), true, t).await.unwrap();
        assert_eq!((sent.state, sent.version, sent.on_time), (Some(State::Submitted), 1, Some(true)));
        // Sent twice: stored once.
        let again = store.save_report(&me, plan, unit, "2026-03", save, true, t + 1).await.unwrap();
        assert_eq!(again.version, 1);
        assert_eq!(store.report_versions(&me, plan, unit, "2026-03").await.unwrap().len(), 1);

        // Another unit's reporter and another unit's form are refused.
        let stranger = reporter(other);
        let err = store.report_form(&stranger, plan, unit, "2026-03", t).await.unwrap_err();
        assert!(format!("{err:?}").contains("NotYourForm"), "{err:?}");

        // The office returns one item; the reporter fixes it and resubmits.
        let review = Review {
            step: Step::Return,
            reason: None,
            items: vec![ItemReason { kind: ItemKind::Task, item_id: task, reason: "进展写得太笼统".into() }],
        };
        let back = store.review_report(&office(), plan, unit, "2026-03", &review, t + 60_000).await.unwrap();
        assert_eq!(back.state, Some(State::Returned));
        let line = back.items.iter().find(|i| i.item_id == task && i.kind == ItemKind::Task).unwrap();
        assert_eq!(line.returned_reason.as_deref(), Some("进展写得太笼统"));
        let fixed = Entry { progress: Some("已完成选址，开工建设".into()), ..entries[0].clone() };
        let save = SaveForm { entries: vec![fixed], ..SaveForm::default() };
        let resent = store.save_report(&me, plan, unit, "2026-03", save, true, t + 120_000).await.unwrap();
        assert_eq!((resent.state, resent.version), (Some(State::Submitted), 3));
        let approve = Review { step: Step::Approve, reason: None, items: vec![] };
        let ok = store.review_report(&office(), plan, unit, "2026-03", &approve, t + 180_000).await.unwrap();
        assert_eq!(ok.state, Some(State::Approved));
        // A plan without a parent has nothing to accept.
        let accept = Review { step: Step::Accept, reason: None, items: vec![] };
        let err = store.review_report(&office(), plan, unit, "2026-03", &accept, t).await.unwrap_err();
        assert!(format!("{err:?}").contains("NoParentPlan"), "{err:?}");
        // A correction after approval needs a reason; the approved version stays.
        let err = store
            .save_report(
                &me,
                plan,
                unit,
                "2026-03",
                SaveForm { entries: vec![entries[0].clone()], ..SaveForm::default() },
                false,
                t,
            )
            .await
            .unwrap_err();
        assert!(format!("{err:?}").contains("reason"), "{err:?}");

        let versions = store.report_versions(&office(), plan, unit, "2026-03").await.unwrap();
        let steps: Vec<&str> = versions.iter().map(|v| v.step.as_str()).collect();
        assert_eq!(steps, ["submit", "return", "submit", "approve"]);
        assert_ne!(versions[0].entries, versions[2].entries, "what changed between versions is kept");
        assert!(versions[1].reason.as_deref().unwrap().contains("进展写得太笼统"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_lateness_reassignment_and_rates() {
    each_backend(|store| async move {
        let (plan, unit, other) = setup(&store).await;
        let me = reporter(unit);
        let submit = |key: &'static str, at: i64| {
            let store = store.clone();
            let me = me.clone();
            async move {
                let form = store.report_form(&me, plan, unit, key, at).await.unwrap();
                let save = SaveForm { entries: complete(&form), ..SaveForm::default() };
                store.save_report(&me, plan, unit, key, save, true, at).await.unwrap()
            }
        };
        assert_eq!(submit("2026-03", day(2026, 4, 3)).await.on_time, Some(true));
        // April is due 6 May (5 May is 劳动节): the 8th is late.
        assert_eq!(submit("2026-04", day(2026, 5, 8)).await.on_time, Some(false));

        // January locks on 3 March; the office reopens it for the unit.
        let june = day(2026, 6, 10);
        let form = store.report_form(&me, plan, unit, "2026-01", june).await.unwrap();
        assert!(form.locked);
        let save = SaveForm { entries: complete(&form), ..SaveForm::default() };
        let err = store.save_report(&me, plan, unit, "2026-01", save.clone(), false, june).await.unwrap_err();
        assert!(format!("{err:?}").contains("PeriodLocked"), "{err:?}");
        store.reopen_period(&office(), plan, unit, "2026-01", "补报一月数据", june).await.unwrap();
        store.save_report(&me, plan, unit, "2026-01", save.clone(), false, june).await.unwrap();
        store.relock_period(&office(), plan, unit, "2026-01", june).await.unwrap();
        assert!(store.save_report(&me, plan, unit, "2026-01", save, false, june).await.is_err());
        // A future period is not open.
        let err = store
            .report_form(&me, plan, unit, "2026-09", june)
            .await
            .map(|_| ())
            .and(store.save_report(&me, plan, unit, "2026-09", SaveForm::default(), false, june).await.map(|_| ()));
        assert!(format!("{err:?}").contains("PeriodNotOpen"), "{err:?}");

        // Rates at 10 June: January to April counted (May is due 5 June… counted too).
        let rates = store.reporting_rates(&office(), plan, 2026, june).await.unwrap();
        let mine = rates.units.iter().find(|u| u.unit_id == unit).unwrap();
        assert_eq!((mine.rates.expected, mine.rates.timely, mine.rates.late, mine.rates.missing), (5, 1, 1, 3));
        assert!(rates.total.reported_pct <= 100.0);

        // The office gives one of the unit's tasks to another unit in June:
        // May stays the unit's, June is the other's; nothing counts twice.
        let may = store.report_form(&me, plan, unit, "2026-05", june).await.unwrap();
        let task = may.items.iter().find(|i| i.kind == ItemKind::Task).unwrap().item_id;
        let patch = TaskPatch { lead: Some(vec![UnitGiven::Id(other)]), ..TaskPatch::default() };
        store.update_task(&office(), task, &patch, june).await.unwrap();
        let july = day(2026, 7, 2);
        let may = store.report_form(&me, plan, unit, "2026-05", july).await.unwrap();
        assert!(may.items.iter().any(|i| i.kind == ItemKind::Task && i.item_id == task));
        let june_mine = store.report_form(&me, plan, unit, "2026-06", july).await.unwrap();
        assert!(!june_mine.items.iter().any(|i| i.kind == ItemKind::Task && i.item_id == task));
        let june_theirs = store.report_form(&reporter(other), plan, other, "2026-06", july).await.unwrap();
        assert!(june_theirs.items.iter().any(|i| i.kind == ItemKind::Task && i.item_id == task));
        let rates = store.reporting_rates(&office(), plan, 2026, day(2026, 7, 20)).await.unwrap();
        for p in &rates.periods {
            assert!(
                p.rates.reported_pct <= 100.0 && p.rates.timely + p.rates.late + p.rates.missing == p.rates.expected
            );
        }
        // The office's queue lists every unit due, reminded ones included.
        let reminded = store.remind(&office(), plan, "2026-06", &Default::default(), day(2026, 7, 6)).await.unwrap();
        assert!(reminded.contains(&unit) && reminded.contains(&other));
        assert!(store.my_reminders(&me).await.unwrap().iter().any(|r| r.period == "2026-06"));
        let due = store.my_due(&me, day(2026, 7, 6)).await.unwrap();
        assert!(due.iter().any(|d| d.period.key == "2026-06" && d.late));
        assert!(!due.iter().any(|d| d.period.key == "2026-03"), "reported months are not due");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn units_opening_a_new_plan_at_once_get_each_item_once() {
    each_backend(|store| async move {
        let (plan, unit, _) = setup(&store).await;
        let me = reporter(unit);
        let t = day(2026, 4, 2);
        let mut opening = Vec::new();
        for _ in 0..6 {
            let (store, me) = (store.clone(), me.clone());
            opening.push(tokio::spawn(async move { store.report_form(&me, plan, unit, "2026-03", t).await.unwrap() }));
        }
        for o in opening {
            let form = o.await.unwrap();
            let mut seen = std::collections::BTreeSet::new();
            assert!(form.items.iter().all(|i| seen.insert((i.kind, i.item_id))), "an item listed twice");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responsible_units_add_their_part_and_the_lead_unit_answers_for_the_whole() {
    each_backend(|store| async move {
        let (plan, lead, _) = setup(&store).await;
        let t = day(2026, 4, 2);
        // A task the lead unit reports that names responsible units.
        let form = store.report_form(&reporter(lead), plan, lead, "2026-03", t).await.unwrap();
        let tasks: Vec<i64> = form.items.iter().filter(|i| i.kind == ItemKind::Task).map(|i| i.item_id).collect();
        let mut found = None;
        for task in &tasks {
            let (id, helper): (i64, i64) = match sqlx::query_as(
                "SELECT tu.task_id, tu.unit_id FROM task_units tu WHERE tu.task_id = $1 AND tu.role = 'responsible' \
                 AND tu.unit_id <> $2 ORDER BY tu.position LIMIT 1",
            )
            .bind(task)
            .bind(lead)
            .fetch_optional(store.pool())
            .await
            .unwrap()
            {
                Some(row) => row,
                None => continue,
            };
            found = Some((id, helper));
            break;
        }
        let (task, helper) = found.expect("a task of the lead unit names a responsible unit");
        let me = reporter(helper);

        // The responsible unit's page lists the task, with its lead unit.
        let parts = store.report_parts(&me, plan, helper, "2026-03", t).await.unwrap();
        let line = parts.tasks.iter().find(|l| l.task_id == task).expect("the task is on its page");
        assert!(line.part.is_none());
        assert!(line.lead_unit.is_some());

        // Refused: an empty progress, a task it is not responsible for, another unit's page, a locked period.
        let part = |task: i64, progress: &str| bighealth_store::reporting::parts::PartInput {
            task_id: task,
            progress: progress.into(),
            problems: Some("资金未到位".into()),
        };
        let refused = |e: bighealth_store::StoreError| match e {
            bighealth_store::StoreError::Refused(r) => (r.reason.code().to_string(), r.field.unwrap_or_default()),
            other => panic!("{other:?}"),
        };
        let err = store.save_report_parts(&me, plan, helper, "2026-03", &[part(task, " ")], t).await.unwrap_err();
        assert_eq!(refused(err), ("report_needs".into(), "parts[0].progress".into()));
        let not_mine = tasks.iter().copied().find(|x| !parts.tasks.iter().any(|l| l.task_id == *x));
        if let Some(other) = not_mine {
            let err = store
                .save_report_parts(&me, plan, helper, "2026-03", &[part(task, "已完成"), part(other, "x")], t)
                .await
                .unwrap_err();
            assert_eq!(refused(err), ("not_your_item".into(), "parts[1].task_id".into()));
        }
        let err = store.save_report_parts(&reporter(lead), plan, helper, "2026-03", &[part(task, "x")], t).await;
        assert_eq!(err.unwrap_err().refusal().map(|r| r.reason.code()), Some("not_your_form"));
        let err = store.save_report_parts(&me, plan, helper, "2026-01", &[part(task, "x")], t).await.unwrap_err();
        assert_eq!(refused(err).0, "period_locked");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_parts").fetch_one(store.pool()).await.unwrap();
        assert_eq!(n, 0, "nothing refused is stored");

        // Saved, then saved again unchanged (stored once), then changed (both kept).
        let saved = store.save_report_parts(&me, plan, helper, "2026-03", &[part(task, "完成选址")], t).await.unwrap();
        let mine = saved.tasks.iter().find(|l| l.task_id == task).unwrap().part.clone().unwrap();
        assert_eq!((mine.progress.as_str(), mine.problems.as_deref()), ("完成选址", Some("资金未到位")));
        store.save_report_parts(&me, plan, helper, "2026-03", &[part(task, "完成选址")], t + 1).await.unwrap();
        store.save_report_parts(&me, plan, helper, "2026-03", &[part(task, "完成选址和设计")], t + 2).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_parts").fetch_one(store.pool()).await.unwrap();
        assert_eq!(n, 2, "the same part twice is stored once; a change is kept beside the first");

        // The lead unit sees the latest part beside the task on its form, and the office too.
        for who in [reporter(lead), office()] {
            let form = store.report_form(&who, plan, lead, "2026-03", t + 3).await.unwrap();
            let item = form.items.iter().find(|i| i.kind == ItemKind::Task && i.item_id == task).unwrap();
            assert_eq!(item.parts.len(), 1, "one part per responsible unit");
            assert_eq!((item.parts[0].unit_id, item.parts[0].progress.as_str()), (helper, "完成选址和设计"));
        }
        // The parts count in no rate: the lead unit's form is still not reported.
        assert_eq!(store.report_form(&reporter(lead), plan, lead, "2026-03", t + 3).await.unwrap().state, None);
        let due = store.my_parts_due(&me, t).await.unwrap();
        let mine = due.iter().find(|d| d.plan_id == plan).expect("the plan is on the helper's page");
        assert!(mine.tasks >= 1);
        assert_eq!(mine.period.key, "2026-03");
        assert_eq!(mine.saved, 1);
    })
    .await;
}

/// A 州 plan naming "各县（市）人民政府" as a task's lead and as a
/// responsible unit, and a plan of county `region` implementing it.
const PREFECTURE_PLAN: &str = "2026年黔东南州大健康产业发展工作要点
一、重点任务
（一）建设森林康养基地。每县建成森林康养基地1个。（牵头单位：各县（市）人民政府；责任单位：州林业局）
（二）推进重点项目建设。完成大健康产业投资。（牵头单位：州大健康办；责任单位：州发展改革委、各县（市）人民政府）
（三）发展中医药产业。建设中医药传承创新中心。（牵头单位：州卫生健康局）
";

async fn county_plan(store: &Store, parent: i64, region: &str, name: &str) -> (i64, i64) {
    let text = format!(
        "2026年{name}大健康产业发展工作要点\n一、重点任务\n（一）建设康养基地。建成康养基地1个。（牵头单位：县民政局）\n"
    );
    let req = ImportRequest { name: "county.txt", bytes: text.as_bytes(), region, parent: Some(parent) };
    let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
    let unit = store.create_unit(&office(), &format!("{name}大健康办"), region, None, &[], NOW).await.unwrap();
    (r.plan_id, unit.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_county_office_reports_its_part_of_the_prefecture_plan() {
    each_backend(|store| async move {
        let req = ImportRequest { name: "zhou.txt", bytes: PREFECTURE_PLAN.as_bytes(), region: "522600", parent: None };
        let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
        let plan = r.plan_id;
        let tasks: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, title FROM tasks WHERE plan_id = $1 ORDER BY position")
                .bind(plan)
                .fetch_all(store.pool())
                .await
                .unwrap();
        let forest = tasks.iter().find(|(_, t)| t.contains("森林康养")).expect("the forest task").0;
        let projects = tasks.iter().find(|(_, t)| t.contains("重点项目")).expect("the projects task").0;
        let period =
            |key: &str| bighealth_rules::reporting::Schedule::default().period(key, &store.holidays()).unwrap();
        let holder = |key: &'static str| {
            let store = store.clone();
            async move {
                let mut units: Vec<i64> = store
                    .assignments(plan, None, &period(key))
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|a| a.kind == "task" && a.item_id == forest)
                    .map(|a| a.unit_id)
                    .collect();
                units.sort();
                units
            }
        };

        // Without a county's plan, the collective name reports the task, as read.
        store.ensure_assignments(plan, day(2026, 2, 2)).await.unwrap();
        let collective = holder("2026-01").await;
        assert_eq!(collective.len(), 1);
        assert_eq!(store.unit(collective[0]).await.unwrap().name, "各县（市）人民政府");

        // 凯里市's plan implements the 州's; from May its office answers for 凯里市.
        let (kaili, kaili_office) = county_plan(&store, plan, "522601", "凯里市").await;
        let (huangping, huangping_office) = county_plan(&store, plan, "522622", "黄平县").await;
        let mut schedule = store.reporting_schedule(kaili).await.unwrap();
        schedule.default_unit = Some(kaili_office);
        store.set_reporting_schedule(&office(), kaili, &schedule, day(2026, 5, 10)).await.unwrap();
        assert_eq!(holder("2026-04").await, collective, "earlier periods keep who was due then");
        assert_eq!(holder("2026-05").await, vec![kaili_office]);
        // 黄平县's office from June: the task is reported by both offices, each for its county.
        schedule.default_unit = Some(huangping_office);
        store.set_reporting_schedule(&office(), huangping, &schedule, day(2026, 6, 10)).await.unwrap();
        let mut both = vec![kaili_office, huangping_office];
        both.sort();
        assert_eq!(holder("2026-06").await, both);

        // Each office's form in the 州's plan holds the task; where the
        // collective name is a responsible unit the office adds its part.
        let june = day(2026, 7, 2);
        let me = reporter(kaili_office);
        let form = store.report_form(&me, plan, kaili_office, "2026-06", june).await.unwrap();
        let items: Vec<i64> = form.items.iter().filter(|i| i.kind == ItemKind::Task).map(|i| i.item_id).collect();
        assert_eq!(items, vec![forest]);
        let parts = store.report_parts(&me, plan, kaili_office, "2026-06", june).await.unwrap();
        let lines: Vec<i64> = parts.tasks.iter().map(|l| l.task_id).collect();
        assert_eq!(lines, vec![projects], "its part where the county is responsible, not where it reports");
        let part = bighealth_store::reporting::parts::PartInput {
            task_id: projects,
            progress: "凯里市完成投资 3.2 亿元".into(),
            problems: None,
        };
        store.save_report_parts(&me, plan, kaili_office, "2026-06", &[part], june).await.unwrap();
        let lead = store.units(&UnitQuery { region: Some("522600".into()), ..Default::default() }).await.unwrap();
        let lead = lead.iter().find(|u| u.name == "州大健康办").unwrap().id;
        let theirs = store.report_form(&reporter(lead), plan, lead, "2026-06", june).await.unwrap();
        let item = theirs.items.iter().find(|i| i.kind == ItemKind::Task && i.item_id == projects).unwrap();
        assert_eq!(item.parts.iter().map(|p| p.unit_id).collect::<Vec<_>>(), vec![kaili_office]);
        // Another office of the 州 is not a county's: no part for it.
        let none = store.report_parts(&reporter(lead), plan, lead, "2026-06", june).await.unwrap();
        assert!(none.tasks.is_empty());

        // 凯里市 reports and the 州's office approves; 黄平县 has not: each
        // office counts once, the rate at half.
        let save = SaveForm { entries: complete(&form), ..SaveForm::default() };
        store.save_report(&me, plan, kaili_office, "2026-06", save, true, june).await.unwrap();
        let review = Review { step: Step::Approve, reason: None, items: vec![] };
        store.review_report(&office(), plan, kaili_office, "2026-06", &review, june).await.unwrap();
        let rates = store.reporting_rates(&office(), plan, 2026, day(2026, 7, 20)).await.unwrap();
        let june_rates = rates.periods.iter().find(|p| p.period.key == "2026-06").unwrap();
        let offices: Vec<_> =
            rates.units.iter().filter(|u| u.unit_id == kaili_office || u.unit_id == huangping_office).collect();
        assert_eq!(offices.len(), 2, "both offices are units of the 州's rates");
        assert!(june_rates.rates.reported_pct <= 100.0);
        let kaili_rates = offices.iter().find(|u| u.unit_id == kaili_office).unwrap();
        assert_eq!((kaili_rates.rates.expected, kaili_rates.rates.timely), (2, 1), "May missing, June on time");

        // The task is judged for each county on its own.
        let status = store.plan_status(&office(), plan, Some("2026-06"), june).await.unwrap();
        let judged: Vec<i64> =
            status.items.iter().filter(|i| i.kind == "task" && i.item_id == forest).filter_map(|i| i.unit_id).collect();
        assert_eq!(judged.len(), 2, "one judgement per county office: {judged:?}");

        // In the 州's assessment the offices are ranked with the county governments.
        let year = store.assessment(&office(), plan, 2026, day(2027, 1, 20)).await.unwrap();
        let kaili_result = year.units.iter().find(|u| u.unit_id == kaili_office).expect("the office is assessed");
        assert_eq!(kaili_result.group, "县（市、区）政府");
        let health = year.units.iter().find(|u| u.unit_name == "州卫生健康局").expect("a department is assessed");
        assert_eq!(health.group, "部门单位");

        // 黄平县's plan withdrawn in July: from July its office reports nothing in the 州's plan.
        store.set_plan_deleted(&office(), huangping, true, day(2026, 7, 3)).await.unwrap();
        assert_eq!(holder("2026-07").await, vec![kaili_office]);
        assert_eq!(holder("2026-06").await, both, "June stays both offices'");
    })
    .await;
}
