//! The lag rules: from what the units reported for a period, the causes
//! that need a supervision item, each with the evidence it states
//! ("计划年度投资 5 000 万元，截至 6 月完成 1 200 万元，序时进度 50%，完成 24%").
//!
//! A cause has a key (`project_investment:project:12:3`: the rule, the item
//! and the unit answering for it) that stays the same while the cause
//! persists: the store opens no second item for a key that has an open one,
//! and raises that item's level instead. The unit is in the key because an
//! item may be reported by more than one unit (each county's office reports
//! a task naming "各县（市）人民政府"), each lagging on its own.

use super::{Level, RuleKind, Settings, date_zh};
use crate::analysis::status::{At, ProjectYear, judge_project};
use crate::calendar::Holidays;
use crate::labels::number;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

/// The period the rules run on.
#[derive(Debug, Clone)]
pub struct PeriodFacts {
    /// Its name (`2026年6月`).
    pub label: String,
    /// Its last day.
    pub end: Date,
}

/// One period's report of a task, as its unit filed it.
#[derive(Debug, Clone, Default)]
pub struct TaskReport {
    /// The period's name.
    pub period: String,
    /// The status code (`behind`), if reported.
    pub status: Option<String>,
    /// The status as the plan names it (`滞后`).
    pub status_name: String,
    /// The share done, 0–100.
    pub share: Option<f64>,
    /// 存在问题.
    pub problems: Option<String>,
}

/// A task with the reports of its unit over the last periods, oldest first
/// (`None`: nothing reported that period); the last is the period's own.
#[derive(Debug, Clone, Default)]
pub struct TaskFacts {
    /// The task's id.
    pub task_id: i64,
    /// Its title.
    pub title: String,
    /// The unit that reports it.
    pub unit_id: i64,
    /// The unit's name.
    pub unit: String,
    /// Its node (完成时限), if the plan gives one.
    pub node: Option<Date>,
    /// The reports, oldest first.
    pub reports: Vec<Option<TaskReport>>,
}

/// A project's investment at the period's end.
#[derive(Debug, Clone, Default)]
pub struct ProjectFacts {
    /// The project's id.
    pub project_id: i64,
    /// Its name.
    pub name: String,
    /// The unit that reports it.
    pub unit_id: i64,
    /// The unit's name.
    pub unit: String,
    /// The year's planned investment in 万元.
    pub year_plan: f64,
    /// How the year's plan was found (`按总投资 9 000 万元、建设期 3 年平均`), when not set.
    pub year_plan_basis: Option<String>,
    /// Investment completed this year up to the period's end, in 万元.
    pub done: f64,
}

/// A target judged against its trajectory at the period's end (季分析).
#[derive(Debug, Clone)]
pub struct TargetState {
    /// The target's id.
    pub target_id: i64,
    /// Its words.
    pub title: String,
    /// The unit answering for it.
    pub unit_id: i64,
    /// The unit's name.
    pub unit: String,
    /// Where it stands and why.
    pub judgement: crate::analysis::Judgement,
}

/// A unit's form of a period that is not in.
#[derive(Debug, Clone, Default)]
pub struct MissingReport {
    /// The unit.
    pub unit_id: i64,
    /// The unit's name.
    pub unit: String,
    /// The period's name.
    pub period: String,
    /// Its due date.
    pub due: Option<Date>,
}

/// What the rules are run on.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The period.
    pub period: PeriodFacts,
    /// The day they run.
    pub today: Date,
    /// The tasks.
    pub tasks: Vec<TaskFacts>,
    /// The projects.
    pub projects: Vec<ProjectFacts>,
    /// The targets, judged.
    pub targets: Vec<TargetState>,
    /// The forms not in.
    pub missing: Vec<MissingReport>,
}

/// A cause that needs an item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Cause {
    /// The rule that found it.
    pub rule: RuleKind,
    /// Its key, the same while it persists.
    pub key: String,
    /// `task`, `project` or `unit`.
    pub kind: String,
    /// The task's, project's or unit's id.
    pub item_id: i64,
    /// The unit answering for it.
    pub unit_id: i64,
    /// The unit's name.
    pub unit: String,
    /// The item's title (督办事项).
    pub title: String,
    /// The evidence, in a sentence.
    pub evidence: String,
    /// The level a new item starts at.
    pub level: Level,
}

/// The causes the enabled rules of `settings` find in `facts`.
pub fn evaluate(settings: &Settings, facts: &Facts, holidays: &Holidays) -> Vec<Cause> {
    let mut out = Vec::new();
    for rule in settings.all_rules().into_iter().filter(|r| r.enabled) {
        match rule.rule {
            RuleKind::TaskLagging => {
                out.extend(facts.tasks.iter().filter_map(|t| lagging(t, &facts.period, rule.threshold)))
            }
            RuleKind::TaskStalled => out.extend(facts.tasks.iter().filter_map(|t| stalled(t, rule.threshold as usize))),
            RuleKind::ProjectInvestment => {
                out.extend(facts.projects.iter().filter_map(|p| investment(p, &facts.period, rule.threshold)))
            }
            RuleKind::ReportOverdue => out.extend(
                facts.missing.iter().filter_map(|m| overdue(settings, m, facts.today, rule.threshold, holidays)),
            ),
            RuleKind::TargetBehind => out.extend(facts.targets.iter().filter_map(|t| behind(t, rule.threshold))),
        }
    }
    out
}

fn cause(rule: RuleKind, kind: &str, item_id: i64, unit_id: i64, unit: &str, title: String, evidence: String) -> Cause {
    Cause {
        rule,
        key: if kind == "unit" {
            format!("{}:unit:{item_id}", rule.as_str())
        } else {
            format!("{}:{kind}:{item_id}:{unit_id}", rule.as_str())
        },
        kind: kind.into(),
        item_id,
        unit_id,
        unit: unit.into(),
        title,
        evidence,
        level: Level::Yellow,
    }
}

fn share_text(share: Option<f64>) -> String {
    share.map(|s| format!("，完成进度 {}%", number(s))).unwrap_or_default()
}

fn lagging(t: &TaskFacts, period: &PeriodFacts, start_month: f64) -> Option<Cause> {
    let report = t.reports.last()?.as_ref()?;
    let problems = report.problems.as_ref().map(|p| format!("；存在问题：{p}")).unwrap_or_default();
    match report.status.as_deref()? {
        "behind" => Some(cause(
            RuleKind::TaskLagging,
            "task",
            t.task_id,
            t.unit_id,
            &t.unit,
            format!("任务“{}”推进滞后", t.title),
            format!("{}报送状态为“{}”{}{problems}", report.period, report.status_name, share_text(report.share)),
        )),
        "not_started" => {
            let past = match t.node {
                Some(node) => node <= period.end,
                None => f64::from(period.end.month()) >= start_month,
            };
            past.then(|| {
                let why = match t.node {
                    Some(node) => format!("完成时限 {} 已到", date_zh(node)),
                    None => format!("已至当年第 {} 个月", period.end.month()),
                };
                cause(
                    RuleKind::TaskLagging,
                    "task",
                    t.task_id,
                    t.unit_id,
                    &t.unit,
                    format!("任务“{}”逾期未启动", t.title),
                    format!("{why}，{}仍报“{}”{problems}", report.period, report.status_name),
                )
            })
        }
        _ => None,
    }
}

fn stalled(t: &TaskFacts, n: usize) -> Option<Cause> {
    if n == 0 || t.reports.len() < n + 1 {
        return None;
    }
    let last: Vec<&TaskReport> =
        t.reports[t.reports.len() - n - 1..].iter().map(Option::as_ref).collect::<Option<_>>()?;
    let shares: Vec<f64> = last.iter().map(|r| r.share).collect::<Option<_>>()?;
    let done = last.last().is_some_and(|r| r.status.as_deref() == Some("done")) || shares[n] >= 100.0;
    if done || shares.windows(2).any(|w| w[1] > w[0]) {
        return None;
    }
    Some(cause(
        RuleKind::TaskStalled,
        "task",
        t.task_id,
        t.unit_id,
        &t.unit,
        format!("任务“{}”连续 {n} 个报送期无进展", t.title),
        format!("{}至{}连续 {n} 个报送期完成进度停留在 {}%", last[1].period, last[n].period, number(shares[n])),
    ))
}

fn investment(p: &ProjectFacts, period: &PeriodFacts, points: f64) -> Option<Cause> {
    if p.year_plan <= 0.0 {
        return None;
    }
    let year = ProjectYear { year_plan: p.year_plan, basis: p.year_plan_basis.clone(), done: p.done, reported: true };
    let at = At { end: period.end, label: period.label.clone() };
    let j = judge_project(&year, &at, &crate::analysis::Settings::default());
    let gap = j.gap?;
    if gap >= -points {
        return None;
    }
    let mut c = cause(
        RuleKind::ProjectInvestment,
        "project",
        p.project_id,
        p.unit_id,
        &p.unit,
        format!("项目“{}”投资完成滞后", p.name),
        j.reason,
    );
    if gap < -30.0 {
        c.level = Level::Orange;
    }
    Some(c)
}

fn behind(t: &TargetState, points: f64) -> Option<Cause> {
    let gap = t.judgement.gap?;
    if gap >= -points || t.judgement.status == crate::analysis::Status::Green {
        return None;
    }
    let mut c = cause(
        RuleKind::TargetBehind,
        "target",
        t.target_id,
        t.unit_id,
        &t.unit,
        format!("目标“{}”落后序时进度", t.title),
        t.judgement.reason.clone(),
    );
    if t.judgement.status == crate::analysis::Status::Red {
        c.level = Level::Orange;
    }
    Some(c)
}

fn overdue(settings: &Settings, m: &MissingReport, today: Date, days: f64, holidays: &Holidays) -> Option<Cause> {
    let due = m.due?;
    let late = -settings.days_left(today, due, holidays);
    if late < days.max(1.0) as i64 {
        return None;
    }
    let unit = if settings.workdays { "个工作日" } else { "天" };
    Some(cause(
        RuleKind::ReportOverdue,
        "unit",
        m.unit_id,
        m.unit_id,
        &m.unit,
        format!("{}逾期未报送月度进展", m.unit),
        format!("{}报表应于 {} 前报送，截至 {} 已逾期 {late} {unit}仍未报送", m.period, date_zh(due), date_zh(today)),
    ))
}

/// The day a task's deadline words name (`2026年6月底前`, `年底前`,
/// `上半年`, `2025年9月30日前`), in `year` when they name no year; `None`
/// for a standing duty (`长期坚持`) or words naming no day.
pub fn node_of(words: &str, year: i16) -> Option<Date> {
    if ["长期", "持续", "常态"].iter().any(|w| words.contains(w)) {
        return None;
    }
    let numbers = numbers(words);
    let named = |unit: char| numbers.iter().find(|(_, c)| *c == unit).map(|(n, _)| *n);
    let y = named('年').filter(|y| (1949..=2100).contains(y)).map(|y| y as i16).unwrap_or(year);
    let last_of = |m: i8| Date::new(y, m, 1).ok().map(|d| d.last_of_month());
    if words.contains("上半年") {
        return last_of(6);
    }
    if words.contains("下半年") {
        return last_of(12);
    }
    if let Some(m) = named('月').filter(|m| (1..=12).contains(m)) {
        return match named('日') {
            Some(d) => Date::new(y, m as i8, d as i8).ok(),
            None => last_of(m as i8),
        };
    }
    if words.contains('年') { last_of(12) } else { None }
}

/// The numbers written in `text`, each with the character after it
/// (a space after the last); one too long to be a number is left out.
fn numbers(text: &str) -> Vec<(i64, char)> {
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !digits.is_empty() {
            if let Ok(n) = digits.parse() {
                out.push((n, c));
            }
            digits.clear();
        }
    }
    out
}

/// The first and last year a project's period names (`2021-2025`,
/// `2023年`, `2022—2024年`).
pub fn years_of(span: &str) -> Option<(i64, i64)> {
    let years: Vec<i64> = numbers(span).into_iter().map(|(n, _)| n).filter(|y| (1949..=2100).contains(y)).collect();
    Some((*years.iter().min()?, *years.iter().max()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn june() -> PeriodFacts {
        PeriodFacts { label: "2026年6月".into(), end: date(2026, 6, 30) }
    }

    fn on(rule: RuleKind, threshold: f64) -> Settings {
        let mut s = Settings::default();
        for r in &mut s.rules {
            r.enabled = r.rule == rule;
            if r.rule == rule {
                r.threshold = threshold;
            }
        }
        s
    }

    fn facts() -> Facts {
        Facts {
            period: june(),
            today: date(2026, 7, 10),
            tasks: vec![],
            projects: vec![],
            targets: vec![],
            missing: vec![],
        }
    }

    fn report(period: &str, status: &str, share: f64) -> Option<TaskReport> {
        Some(TaskReport {
            period: period.into(),
            status: Some(status.into()),
            status_name: crate::reporting::entry::status_label(status).into(),
            share: Some(share),
            problems: None,
        })
    }

    #[test]
    fn a_project_behind_its_year_states_the_evidence() {
        let mut f = facts();
        f.projects.push(ProjectFacts {
            project_id: 12,
            name: "康养小镇".into(),
            unit_id: 3,
            unit: "市发展改革委".into(),
            year_plan: 5000.0,
            year_plan_basis: None,
            done: 1200.0,
        });
        f.projects.push(ProjectFacts { project_id: 13, year_plan: 100.0, done: 45.0, ..Default::default() });
        let causes = evaluate(&on(RuleKind::ProjectInvestment, 10.0), &f, &Holidays::national());
        assert_eq!(causes.len(), 1, "45% done at 50% is within 10 points");
        assert_eq!(causes[0].key, "project_investment:project:12:3");
        assert_eq!(
            causes[0].evidence,
            "计划年度投资 5 000 万元，截至 6 月完成 1 200 万元，序时进度 50%，完成 24%，落后 26 个百分点"
        );
        assert_eq!(causes[0].level, Level::Yellow);
        f.projects[0].done = 500.0;
        assert_eq!(evaluate(&on(RuleKind::ProjectInvestment, 10.0), &f, &Holidays::national())[0].level, Level::Orange);
        assert!(evaluate(&Settings::default(), &f, &Holidays::national()).is_empty(), "rules are off by default");
    }

    #[test]
    fn tasks_lagging_not_started_past_their_node_or_stalled() {
        let mut f = facts();
        let task = |id, node, reports| TaskFacts {
            task_id: id,
            title: format!("任务{id}"),
            unit_id: 1,
            unit: "卫健委".into(),
            node,
            reports,
        };
        f.tasks.push(task(1, None, vec![report("2026年6月", "behind", 30.0)]));
        f.tasks.push(task(2, Some(date(2026, 9, 30)), vec![report("2026年6月", "not_started", 0.0)]));
        f.tasks.push(task(3, Some(date(2026, 6, 30)), vec![report("2026年6月", "not_started", 0.0)]));
        f.tasks.push(task(4, None, vec![report("2026年6月", "on_track", 50.0)]));
        let causes = evaluate(&on(RuleKind::TaskLagging, 4.0), &f, &Holidays::national());
        let ids: Vec<i64> = causes.iter().map(|c| c.item_id).collect();
        assert_eq!(ids, [1, 3]);
        assert_eq!(causes[0].evidence, "2026年6月报送状态为“滞后”，完成进度 30%");
        assert_eq!(causes[1].evidence, "完成时限 2026年6月30日 已到，2026年6月仍报“未启动”");

        let mut f = facts();
        let months = ["2026年4月", "2026年5月", "2026年6月"];
        f.tasks.push(task(5, None, months.iter().map(|m| report(m, "on_track", 40.0)).collect()));
        f.tasks.push(task(
            6,
            None,
            vec![
                report(months[0], "on_track", 40.0),
                report(months[1], "on_track", 40.0),
                report(months[2], "on_track", 41.0),
            ],
        ));
        f.tasks.push(task(
            7,
            None,
            vec![None, report(months[1], "on_track", 40.0), report(months[2], "on_track", 40.0)],
        ));
        let causes = evaluate(&on(RuleKind::TaskStalled, 2.0), &f, &Holidays::national());
        assert_eq!(causes.iter().map(|c| c.item_id).collect::<Vec<_>>(), [5]);
        assert_eq!(causes[0].evidence, "2026年5月至2026年6月连续 2 个报送期完成进度停留在 40%");
    }

    #[test]
    fn a_node_is_read_from_the_deadline_words() {
        assert_eq!(node_of("2026年6月底前", 2025), Some(date(2026, 6, 30)));
        assert_eq!(node_of("年底前", 2026), Some(date(2026, 12, 31)));
        assert_eq!(node_of("上半年", 2026), Some(date(2026, 6, 30)));
        assert_eq!(node_of("2025年9月15日前", 2026), Some(date(2025, 9, 15)));
        assert_eq!(node_of("2月底前", 2026), Some(date(2026, 2, 28)));
        assert_eq!(node_of("长期坚持", 2026), None);
        assert_eq!(node_of("尽快", 2026), None);
    }

    #[test]
    fn a_projects_years_are_read_from_its_period() {
        assert_eq!(years_of("2021-2025"), Some((2021, 2025)));
        assert_eq!(years_of("2022—2024年"), Some((2022, 2024)));
        assert_eq!(years_of("2023年"), Some((2023, 2023)));
        assert_eq!(years_of("三年"), None);
    }

    #[test]
    fn a_report_overdue_counts_working_days() {
        let mut f = facts();
        // Due Monday 28 September; on Friday 9 October only 4 working days have passed (国庆).
        f.today = date(2026, 10, 9);
        f.missing.push(MissingReport {
            unit_id: 4,
            unit: "黔江区民政局".into(),
            period: "2026年8月".into(),
            due: Some(date(2026, 9, 28)),
        });
        let h = Holidays::national();
        assert!(evaluate(&on(RuleKind::ReportOverdue, 5.0), &f, &h).is_empty());
        let causes = evaluate(&on(RuleKind::ReportOverdue, 4.0), &f, &h);
        assert_eq!(causes[0].key, "report_overdue:unit:4");
        assert_eq!(
            causes[0].evidence,
            "2026年8月报表应于 2026年9月28日 前报送，截至 2026年10月9日 已逾期 4 个工作日仍未报送"
        );
    }
}
