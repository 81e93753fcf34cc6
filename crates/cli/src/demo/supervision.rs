//! A year of supervision for a demo plan, the same on every run: the office
//! switches on the lag rules and runs them a week after each month's
//! deadline; most units sign and send their rectification plan in time,
//! many finish and the office closes the item, some leave it open; a
//! leader's instruction is given by hand; at the demo's clock the day's
//! round reminds and escalates what is due.

use super::history::{Dice, PROBLEMS, at};
use bighealth_rules::supervision::workflow::Step;
use bighealth_rules::supervision::{RuleKind, Source};
use bighealth_store::supervision::items::{NewItem, TakeStep};
use bighealth_store::supervision::rules::{Outcome, RunRules};
use bighealth_store::{Actor, Role, Store, StoreError};
use jiff::ToSpan;

const DAY: i64 = 24 * 3_600_000;

fn step(step: Step, note: &str) -> TakeStep {
    TakeStep { step, note: (!note.is_empty()).then(|| note.to_string()), date: None, share: None }
}

/// Runs supervision over `year` of plan `plan_id` until `until` (ms);
/// answers the items opened.
pub async fn supervise(store: &Store, plan_id: i64, year: i16, until: i64) -> Result<usize, StoreError> {
    let office = Actor { username: "演示数据（督查室）".into(), ..Actor::local("demo", Role::SystemAdmin) };
    let mut settings = store.supervision_settings(plan_id).await?;
    settings.prefix = "健督".into();
    for r in &mut settings.rules {
        r.enabled = matches!(r.rule, RuleKind::TaskLagging | RuleKind::ProjectInvestment | RuleKind::ReportOverdue);
    }
    store
        .set_supervision_settings(
            &office,
            plan_id,
            &settings,
            at(jiff::civil::Date::new(year, 1, 4).unwrap_or_default(), 9),
        )
        .await?;
    let schedule = store.reporting_schedule(plan_id).await?;
    let periods = schedule.periods_of_year(year, &store.holidays());
    let mut opened = 0;
    for period in &periods {
        let run_on = period.due.checked_add(7.days()).unwrap_or(period.due);
        let now = at(run_on, 9);
        if now > until {
            break;
        }
        let run = RunRules { period: Some(period.key.clone()), dry_run: false, settings: None };
        let report = store.run_supervision_rules(&office, plan_id, &run, now).await?;
        for found in report.found.iter().filter(|f| f.outcome == Outcome::Open) {
            let Some(id) = found.item_id else { continue };
            opened += 1;
            let unit = Actor {
                username: format!("演示数据（{}）", found.cause.unit),
                units: vec![found.cause.unit_id],
                ..Actor::local("demo", Role::Reporter)
            };
            let mut dice = Dice::new(&[plan_id, id]);
            let mut t = now + DAY / 2;
            if dice.unit() < 0.15 || t + 20 * DAY > until {
                continue; // left unanswered: reminded, then escalated
            }
            store.take_supervision_step(&unit, id, &step(Step::Sign, ""), t).await?;
            t += (1 + (dice.next() % 4) as i64) * DAY;
            let plan = format!(
                "问题：{}；措施：倒排工期、挂图作战；责任人：分管负责同志；时限：一个月内",
                dice.pick(&PROBLEMS)
            );
            store.take_supervision_step(&unit, id, &step(Step::Plan, &plan), t).await?;
            if dice.unit() < 0.3 {
                continue; // still being handled
            }
            t += (5 + (dice.next() % 8) as i64) * DAY;
            store
                .take_supervision_step(&unit, id, &step(Step::AskClose, "已按整改方案完成整改，进度已赶上序时"), t)
                .await?;
            t += DAY;
            if dice.unit() < 0.2 {
                store.take_supervision_step(&office, id, &step(Step::Return, "整改佐证材料不全，请补充"), t).await?;
                t += 2 * DAY;
                store.take_supervision_step(&unit, id, &step(Step::AskClose, "已补充整改佐证材料"), t).await?;
                t += DAY;
            }
            store.take_supervision_step(&office, id, &step(Step::Accept, ""), t).await?;
        }
    }
    // A leader's instruction, given by hand in the last quarter.
    // Given to a unit of this plan: the first its rules opened an item for.
    let this_plan = bighealth_store::supervision::items::LedgerFilter { plan_id: Some(plan_id), ..Default::default() };
    if let Some(lead) = store.supervision_ledger(&office, &this_plan, until).await?.page.items.first() {
        let given = at(periods.last().map(|p| p.start).unwrap_or_default(), 10).min(until - 3 * DAY);
        let new = NewItem {
            source: Source::Instruction,
            reference: Some("主要领导批示".into()),
            title: "加快大健康重点项目建设".into(),
            body: "请牵头单位对照年度目标，梳理滞后项目和任务，逐项明确整改措施和完成时限。".into(),
            lead_unit: lead.lead_unit.id,
            ..NewItem::default()
        };
        store.open_supervision_item(&office, plan_id, &new, given).await?;
        opened += 1;
    }
    store.supervision_sweep(until).await?;
    Ok(opened)
}
