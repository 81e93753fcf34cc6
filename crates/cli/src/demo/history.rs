//! A year of generated monthly reports for a demo plan, the same on every
//! run: most units on time, some late, a few missing; some reports returned
//! by the office and corrected; tasks mostly on schedule, some lagging with
//! their problems; targets moving from their baseline toward their value;
//! projects' investment growing unevenly; the responsible units' parts of
//! their tasks in the last months. Every report goes through the
//! store as a unit's reporter and the office would send it, at the time they
//! would, so every page shows real-looking history.

use bighealth_rules::calendar::start_of;
use bighealth_rules::reporting::Period;
use bighealth_rules::reporting::entry::{Entry, ItemKind};
use bighealth_rules::reporting::workflow::Step;
use bighealth_store::reporting::forms::{Form, ItemReason, Review, SaveForm};
use bighealth_store::reporting::parts::PartInput;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Actor, Role, Store, StoreError};
use jiff::ToSpan;

/// The responsible units' parts of a period (配合单位报送): each unit
/// responsible for a task of the plan writes its part of most of them, a few
/// days before the period is due.
async fn parts(store: &Store, plan_id: i64, period: &Period, dice: &mut Dice) -> Result<(), StoreError> {
    let office = Actor::local("demo", Role::SystemAdmin);
    let when = at(period.due.checked_sub(3.days()).unwrap_or(period.due), 15);
    let region = store.plan(plan_id).await?.region;
    let units = store.units(&UnitQuery { region: Some(region), ..Default::default() }).await?;
    for unit in units {
        let mine = store.report_parts(&office, plan_id, unit.id, &period.key, when).await?;
        let mut given = Vec::new();
        for t in &mine.tasks {
            if dice.unit() < 0.6 {
                given.push(PartInput {
                    task_id: t.task_id,
                    progress: format!("{}：{}", unit.name, dice.pick(&PROGRESS)),
                    problems: (dice.unit() < 0.3).then(|| dice.pick(&PROBLEMS).to_string()),
                });
            }
        }
        if given.is_empty() {
            continue;
        }
        let reporter = Actor {
            username: format!("演示数据（{}）", unit.name),
            units: vec![unit.id],
            ..Actor::local("demo", Role::Reporter)
        };
        store.save_report_parts(&reporter, plan_id, unit.id, &period.key, &given, when).await?;
    }
    Ok(())
}

/// A small deterministic generator (splitmix64).
pub(super) struct Dice(u64);

impl Dice {
    pub(super) fn new(seed: &[i64]) -> Dice {
        let mut d = Dice(0x9E37_79B9_7F4A_7C15);
        for s in seed {
            d.0 ^= *s as u64;
            d.next();
        }
        d
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(super) fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

const PROGRESS: [&str; 6] = [
    "按计划推进，已召开专题推进会，明确责任分工和时间节点",
    "完成阶段性工作，相关方案已报区政府审定",
    "项目前期手续办理完毕，进入实施阶段",
    "组织开展调研督导，协调解决推进中的困难",
    "与合作方完成对接洽谈，签订框架协议",
    "完成年度工作量的预定部分，资金按进度拨付",
];
pub(super) const PROBLEMS: [&str; 4] = [
    "资金未及时到位，影响推进进度",
    "用地审批手续办理时间较长",
    "专业人才短缺，技术力量不足",
    "部门间协调机制有待完善",
];
const NEXT: [&str; 3] =
    ["加快推进后续工作，确保按期完成", "加强与有关部门对接，争取政策和资金支持", "强化调度督导，及时解决存在问题"];
const RETURNS: [&str; 3] =
    ["进展情况过于笼统，请补充量化数据", "请补充存在问题的具体原因", "完成投资与形象进度不符，请核实"];

/// The moment, in ms, of `hour` o'clock China time on `day`.
pub(super) fn at(day: jiff::civil::Date, hour: i64) -> i64 {
    start_of(day) + hour * 3_600_000
}

/// What a unit reports on its items in month `m` of the year.
fn entries(form: &Form, m: i64, dice: &mut Dice) -> Vec<Entry> {
    let mut out = Vec::new();
    for item in &form.items {
        let mut e = Entry { kind: Some(item.kind), item_id: item.item_id, ..Entry::default() };
        match item.kind {
            ItemKind::Task => {
                let lag = dice.unit() < 0.15;
                let share = ((m as f64 / 12.0) * 100.0 + (dice.unit() - 0.5) * 16.0 - if lag { 20.0 } else { 0.0 })
                    .clamp(0.0, 100.0);
                let done = m == 12 && !lag && dice.unit() < 0.6;
                let status = if done {
                    "done"
                } else if lag {
                    if m <= 2 { "not_started" } else { "behind" }
                } else if dice.unit() < 0.2 {
                    "ahead"
                } else {
                    "on_track"
                };
                e.status = Some(status.into());
                e.share = Some(if done { 100.0 } else { (share * 10.0).round() / 10.0 });
                e.progress = Some(format!("{}月：{}", m, dice.pick(&PROGRESS)));
                if lag {
                    e.problems = Some(dice.pick(&PROBLEMS).into());
                }
                e.next_steps = Some(dice.pick(&NEXT).into());
            }
            ItemKind::Target => {
                let value: f64 = item.detail.as_deref().and_then(first_number).unwrap_or(100.0);
                let start = value * 0.6;
                let reached = start + (value - start) * (m as f64 / 12.0) * (0.85 + dice.unit() * 0.25);
                e.value = Some((reached * 100.0).round() / 100.0);
                e.source = Some("统计部门月度数据".into());
            }
            ItemKind::Project => {
                let total = item.total_wan.unwrap_or(0.0);
                let before =
                    item.total_amount.unwrap_or(0.0) - item.entry.as_ref().and_then(|e| e.amount).unwrap_or(0.0);
                let left = (total - before).max(0.0);
                let typical = if total > 0.0 { total / 30.0 } else { 50.0 };
                let amount = if dice.unit() < 0.15 { 0.0 } else { typical * dice.unit() * 2.2 };
                let amount = if total > 0.0 { amount.min(left) } else { amount };
                e.amount = Some((amount * 10.0).floor() / 10.0);
                e.stage = Some(if before + amount <= 0.0 { "not_started" } else { "building" }.into());
                e.progress = Some(format!("{}月：{}", m, dice.pick(&PROGRESS)));
            }
        }
        out.push(e);
    }
    out
}

/// The first number of a text (`≥5000张（2025年）` → 5000).
fn first_number(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let rest = &text[start..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Fills `year` of plan `plan_id` with generated reports; the month `open`
/// (if any) is left for `keep_open` to fill. Returns the forms submitted.
pub async fn fill(
    store: &Store,
    plan_id: i64,
    year: i16,
    open: Option<(i8, i64)>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize, StoreError> {
    let office = Actor { username: "演示数据（大健康办）".into(), ..Actor::local("demo", Role::SystemAdmin) };
    let schedule = store.reporting_schedule(plan_id).await?;
    let periods = schedule.periods_of_year(year, &store.holidays());
    let mut sent = 0;
    for (i, period) in periods.iter().enumerate() {
        progress(i, periods.len());
        let m = i as i64 + 1;
        let forms = store.report_forms(&office, plan_id, &period.key, at(period.end, 20)).await?;
        let last = open.is_some_and(|(month, _)| i64::from(month) == m);
        if i + 2 >= periods.len() || last {
            parts(store, plan_id, period, &mut Dice::new(&[plan_id, i64::from(year), m, 7])).await?;
        }
        for form in forms {
            let unit = form.unit_id;
            if last && open.is_some_and(|(_, keep)| keep == unit) {
                continue;
            }
            let mut dice = Dice::new(&[plan_id, unit, i64::from(year), m]);
            let roll = dice.unit();
            if roll < 0.05 || (last && roll < 0.5) {
                continue;
            }
            let late = roll > 0.88;
            let day = if late {
                period.due.checked_add((1 + (dice.next() % 6) as i64).days()).unwrap_or(period.due)
            } else {
                period.due.checked_sub(((dice.next() % 4) as i64).days()).unwrap_or(period.due)
            };
            let reporter = Actor {
                username: format!("演示数据（{}）", form.unit_name),
                units: vec![unit],
                ..Actor::local("demo", Role::Reporter)
            };
            let submitted = at(day, 9 + (dice.next() % 8) as i64);
            let filled = store.report_form(&reporter, plan_id, unit, &period.key, submitted).await?;
            if filled.items.is_empty() {
                continue;
            }
            let list = entries(&filled, m, &mut dice);
            let save = SaveForm { entries: list.clone(), reason: None, confirm: true };
            store.save_report(&reporter, plan_id, unit, &period.key, save, true, submitted).await?;
            sent += 1;
            let mut when = submitted + 24 * 3_600_000;
            if dice.unit() < 0.12 {
                let first = &list[0];
                let reason = ItemReason {
                    kind: first.kind.unwrap_or(ItemKind::Task),
                    item_id: first.item_id,
                    reason: dice.pick(&RETURNS).into(),
                };
                let review = Review { step: Step::Return, reason: None, items: vec![reason] };
                store.review_report(&office, plan_id, unit, &period.key, &review, when).await?;
                when += 2 * 24 * 3_600_000;
                let mut fixed = first.clone();
                fixed.progress = Some(format!(
                    "{}（已按要求补充：完成率 {:.0}%）",
                    fixed.progress.unwrap_or_default(),
                    fixed.share.unwrap_or(50.0)
                ));
                fixed.problems = fixed.problems.or_else(|| Some(dice.pick(&PROBLEMS).into()));
                let save = SaveForm { entries: vec![fixed], reason: None, confirm: true };
                store.save_report(&reporter, plan_id, unit, &period.key, save, true, when).await?;
                when += 24 * 3_600_000;
            }
            if !last {
                let review = Review { step: Step::Approve, reason: None, items: vec![] };
                store.review_report(&office, plan_id, unit, &period.key, &review, when).await?;
            }
        }
    }
    progress(periods.len(), periods.len());
    Ok(sent)
}
