//! The status of a plan at the end of a period: every target, task and
//! project judged against 序时 from the approved reports, with the counts
//! by status a leader reads first.

use crate::access::{Action, Actor};
use crate::db::Store;
use crate::error::Result;
use crate::plan_items::key_list;
use crate::reporting::assignments::Assignment;
use bighealth_rules::analysis::status::{
    At, Observation, ProjectYear, TargetFacts, judge_project, judge_target, judge_task,
};
use bighealth_rules::analysis::trajectory::{Measure, stepped_base};
use bighealth_rules::analysis::years::{PlanSpan, plan_span};
use bighealth_rules::analysis::{Judgement, Settings, Status};
use bighealth_rules::calendar::{Holidays, date_of};
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::reporting::{Period, Schedule};
use bighealth_rules::supervision::lag::node_of;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One target, task or project and its status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemStatus {
    /// `target`, `task` or `project`.
    pub kind: String,
    /// The item's id.
    pub item_id: i64,
    /// What it is: a target's words, a task's title, a project's name.
    pub title: String,
    /// The unit answering for it.
    pub unit_id: Option<i64>,
    /// Its name.
    pub unit: Option<String>,
    /// The status and why.
    pub judgement: Judgement,
}

/// How many items stand in one status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusCount {
    /// The status.
    pub status: Status,
    /// Its name.
    pub label: String,
    /// How many.
    pub count: i64,
}

/// The counts of one kind of item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindStatus {
    /// `target`, `task` or `project`.
    pub kind: String,
    /// Its name (目标, 任务, 项目).
    pub label: String,
    /// How many items.
    pub total: i64,
    /// Per status, the most urgent first.
    pub counts: Vec<StatusCount>,
}

/// A plan's status at the end of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanStatus {
    /// The plan.
    pub plan_id: i64,
    /// Its title.
    pub title: Option<String>,
    /// The period judged.
    pub period: Period,
    /// The years the plan runs over, where known.
    pub span: Option<PlanSpan>,
    /// The thresholds used.
    pub settings: Settings,
    /// Counts per kind.
    pub kinds: Vec<KindStatus>,
    /// Every item, the most urgent first.
    pub items: Vec<ItemStatus>,
}

/// A target as read for its judgement.
#[derive(sqlx::FromRow)]
struct TargetRow {
    id: i64,
    quote: String,
    indicator: String,
    comparator: String,
    value: f64,
    value_max: Option<f64>,
    unit: Option<String>,
    year: Option<i64>,
    baseline_value: Option<f64>,
    baseline_year: Option<i64>,
}

impl Store {
    /// The status of plan `plan_id` at the end of `period` (by default the
    /// last one ended), from the approved reports.
    pub async fn plan_status(&self, actor: &Actor, plan_id: i64, period: Option<&str>, now: i64) -> Result<PlanStatus> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        self.ensure_assignments(plan_id, now).await?;
        let schedule = self.reporting_schedule(plan_id).await?;
        let holidays = self.holidays();
        let period = match period {
            Some(key) => schedule.period(key, &holidays)?,
            None => schedule.period_to_report(date_of(now), &holidays),
        };
        self.judge_plan(plan_id, &period, false).await
    }

    /// The status of plan `plan_id` at the end of `period`, for whoever
    /// asked (the supervision rules' target rule reads it too, its targets
    /// only).
    pub(crate) async fn judge_plan(&self, plan_id: i64, period: &Period, targets_only: bool) -> Result<PlanStatus> {
        let (title, base_year, target_year): (Option<String>, Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT title, base_year, target_year FROM plans WHERE id = $1")
                .bind(plan_id)
                .fetch_one(self.pool())
                .await?;
        let span = plan_span(title.as_deref(), base_year, target_year);
        let assignments = self.assignments(plan_id, None, period).await?;
        let j = Judging {
            plan_id,
            period,
            at: At { end: period.end, label: period.label.clone() },
            schedule: self.reporting_schedule(plan_id).await?,
            holidays: self.holidays(),
            settings: self.analysis_settings(plan_id).await?,
            units: self.reporting_unit_names(plan_id).await?,
            assignments: &assignments,
        };
        let mut items = self.judge_targets(&j, span.as_ref()).await?;
        if !targets_only {
            items.extend(self.judge_tasks(&j).await?);
            items.extend(self.judge_projects(&j).await?);
        }
        items.sort_by(|a, b| {
            let gap = |i: &ItemStatus| i.judgement.gap.unwrap_or(0.0);
            (a.judgement.status, kind_order(&a.kind))
                .cmp(&(b.judgement.status, kind_order(&b.kind)))
                .then(gap(a).total_cmp(&gap(b)))
        });
        let kinds = [("target", "目标"), ("task", "任务"), ("project", "项目")]
            .into_iter()
            .map(|(kind, label)| {
                let of_kind: Vec<&ItemStatus> = items.iter().filter(|i| i.kind == kind).collect();
                KindStatus {
                    kind: kind.into(),
                    label: label.into(),
                    total: of_kind.len() as i64,
                    counts: Status::ALL
                        .iter()
                        .map(|s| StatusCount {
                            status: *s,
                            label: s.label().into(),
                            count: of_kind.iter().filter(|i| i.judgement.status == *s).count() as i64,
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(PlanStatus { plan_id, title, period: period.clone(), span, settings: j.settings, kinds, items })
    }

    /// Targets: judged on every value approved up to the period, oldest first.
    async fn judge_targets(&self, j: &Judging<'_>, span: Option<&PlanSpan>) -> Result<Vec<ItemStatus>> {
        let targets: Vec<TargetRow> = sqlx::query_as(
            "SELECT id, quote, indicator, comparator, value, value_max, unit, year, baseline_value, baseline_year \
             FROM targets WHERE plan_id = $1 AND deleted_at IS NULL ORDER BY position",
        )
        .bind(j.plan_id)
        .fetch_all(self.pool())
        .await?;
        let values: Vec<(i64, String, f64)> = sqlx::query_as(
            "SELECT item_id, period, value FROM approved_entries WHERE plan_id = $1 AND kind = 'target' \
             AND period <= $2 AND value IS NOT NULL ORDER BY period, approved_at",
        )
        .bind(j.plan_id)
        .bind(&j.period.key)
        .fetch_all(self.pool())
        .await?;
        let mut periods: HashMap<String, Option<Period>> = HashMap::new();
        let mut observed: HashMap<i64, Vec<Observation>> = HashMap::new();
        for (target, key, value) in values {
            let p = periods.entry(key.clone()).or_insert_with(|| j.schedule.period(&key, &j.holidays).ok());
            if let Some(p) = p {
                let list = observed.entry(target).or_default();
                // One value per period: the last form's.
                if list.last().is_some_and(|o: &Observation| o.end == p.end) {
                    list.pop();
                }
                list.push(Observation { end: p.end, label: p.label.clone(), value });
            }
        }
        // The indicator each target measures: targets of one indicator with
        // different years are its steps (到2022年…，到2025年…), and a growth
        // rate is set beside the parent region's.
        let linked: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
            "SELECT ti.target_id, ti.indicator_id FROM target_indicators ti JOIN targets t ON t.id = ti.target_id \
             WHERE t.plan_id = $1 AND t.deleted_at IS NULL",
        )
        .bind(j.plan_id)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .collect();
        let milestones = |t: &TargetRow| -> Vec<(i64, f64)> {
            let Some(ind) = linked.get(&t.id) else { return Vec::new() };
            targets
                .iter()
                .filter(|o| o.id != t.id && linked.get(&o.id) == Some(ind) && o.unit == t.unit)
                .filter(|o| matches!(o.comparator.as_str(), ">=" | "<=" | "=") && o.comparator == t.comparator)
                .filter_map(|o| Some((o.year?, o.value)))
                .collect()
        };
        let parent_growth = self.parent_growth(j, &targets, &linked).await?;
        Ok(targets
            .iter()
            .map(|t| {
                let step = t.year.and_then(|y| stepped_base(y, t.baseline_year, &milestones(t)));
                let (baseline_value, baseline_year) = match step {
                    Some((y, v)) => (Some(v), Some(y)),
                    None => (t.baseline_value, t.baseline_year),
                };
                let facts = TargetFacts {
                    indicator: &t.indicator,
                    comparator: &t.comparator,
                    value: t.value,
                    value_max: t.value_max,
                    unit: t.unit.as_deref(),
                    year: t.year,
                    baseline_value,
                    baseline_year,
                };
                let reports = observed.get(&t.id).map(Vec::as_slice).unwrap_or_default();
                let unit_id = j.assignments.iter().find(|a| a.kind == "target" && a.item_id == t.id).map(|a| a.unit_id);
                ItemStatus {
                    kind: "target".into(),
                    item_id: t.id,
                    title: t.quote.clone(),
                    unit: unit_id.and_then(|u| j.units.get(&u).cloned()),
                    unit_id,
                    judgement: {
                        let mut judgement = judge_target(&facts, span, reports, &j.at, &j.settings);
                        if let (Some(actual), Some((name, parent))) = (judgement.actual, parent_growth.get(&t.id)) {
                            let d = actual - parent;
                            let how = if d >= 0.0 { "高" } else { "低" };
                            judgement.reason.push_str(&format!(
                                "；{name}同期 {}%，本地区{how} {} 个百分点",
                                bighealth_rules::labels::number((parent * 10.0).round() / 10.0),
                                bighealth_rules::labels::number((d.abs() * 10.0).round() / 10.0)
                            ));
                        }
                        judgement
                    },
                }
            })
            .collect())
    }

    /// The parent region's value, at the period's end, of the indicator each
    /// growth-rate target measures (by target), with the parent's name.
    async fn parent_growth(
        &self,
        j: &Judging<'_>,
        targets: &[TargetRow],
        linked: &HashMap<i64, i64>,
    ) -> Result<HashMap<i64, (String, f64)>> {
        let growth: Vec<&TargetRow> = targets
            .iter()
            .filter(|t| linked.contains_key(&t.id))
            .filter(|t| Measure::of(&t.indicator, t.unit.as_deref()) == Measure::Growth)
            .collect();
        if growth.is_empty() {
            return Ok(HashMap::new());
        }
        let region: String =
            sqlx::query_scalar("SELECT region FROM plans WHERE id = $1").bind(j.plan_id).fetch_one(self.pool()).await?;
        let Some(parent) = self.region(&region).await?.parent else { return Ok(HashMap::new()) };
        let name = self.region(&parent).await?.name;
        let at = PeriodEnd::of_date(j.at.end);
        let (_, up) = self.roll_up_under(&parent, at).await?;
        Ok(growth
            .into_iter()
            .filter_map(|t| {
                let v = up.now.get(linked.get(&t.id)?)?.get(&parent)?.value;
                Some((t.id, (name.clone(), v)))
            })
            .collect())
    }

    /// Tasks: what each unit answering for one had approved this period.
    async fn judge_tasks(&self, j: &Judging<'_>) -> Result<Vec<ItemStatus>> {
        let entries: Vec<(i64, i64, Option<String>, Option<f64>)> = sqlx::query_as(
            "SELECT unit_id, item_id, status, share FROM approved_entries WHERE plan_id = $1 AND kind = 'task' AND period = $2",
        )
        .bind(j.plan_id)
        .bind(&j.period.key)
        .fetch_all(self.pool())
        .await?;
        let entries: HashMap<(i64, i64), (Option<String>, Option<f64>)> =
            entries.into_iter().map(|(u, i, s, sh)| ((u, i), (s, sh))).collect();
        let tasks = self.live_tasks(j.plan_id).await?;
        let year = j.period.end.year();
        Ok(j.assignments
            .iter()
            .filter(|a| a.kind == "task")
            .filter_map(|a| {
                let (title, deadline) = tasks.get(&a.item_id)?;
                let (status, share) = entries.get(&(a.unit_id, a.item_id)).cloned().unwrap_or_default();
                let name = status.as_deref().map(|s| j.schedule.status_name(s)).unwrap_or_default();
                let node = deadline.as_deref().and_then(|d| node_of(d, year));
                Some(ItemStatus {
                    kind: "task".into(),
                    item_id: a.item_id,
                    title: title.clone(),
                    unit_id: Some(a.unit_id),
                    unit: j.units.get(&a.unit_id).cloned(),
                    judgement: judge_task(status.as_deref(), name, share, node, &j.at, &j.settings),
                })
            })
            .collect())
    }

    /// Projects: the year's approved investment so far against the year's plan.
    async fn judge_projects(&self, j: &Judging<'_>) -> Result<Vec<ItemStatus>> {
        let year_keys = key_list(&j.schedule.year_to(j.period, &j.holidays));
        let sums: Vec<(i64, i64, Option<f64>, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT item_id, unit_id, SUM(amount), SUM(CASE WHEN period = $2 THEN 1 ELSE 0 END) \
             FROM approved_entries WHERE plan_id = $1 AND kind = 'project' AND period IN ({year_keys}) \
             GROUP BY item_id, unit_id"
        )))
        .bind(j.plan_id)
        .bind(&j.period.key)
        .fetch_all(self.pool())
        .await?;
        let sums: HashMap<(i64, i64), (f64, bool)> =
            sums.into_iter().map(|(i, u, s, n)| ((i, u), (s.unwrap_or(0.0), n > 0))).collect();
        let projects = self.live_projects(j.plan_id).await?;
        let year = j.period.end.year();
        Ok(j.assignments
            .iter()
            .filter(|a| a.kind == "project")
            .filter_map(|a| {
                let (name, total, years) = projects.get(&a.item_id)?;
                let (year_plan, basis) = ProjectYear::plan_of((*total)?, years.as_deref(), year)?;
                let (done, reported) = sums.get(&(a.item_id, a.unit_id)).copied().unwrap_or_default();
                Some(ItemStatus {
                    kind: "project".into(),
                    item_id: a.item_id,
                    title: name.clone(),
                    unit_id: Some(a.unit_id),
                    unit: j.units.get(&a.unit_id).cloned(),
                    judgement: judge_project(&ProjectYear { year_plan, basis, done, reported }, &j.at, &j.settings),
                })
            })
            .collect())
    }
}

/// What judging a plan's period needs at hand.
struct Judging<'a> {
    plan_id: i64,
    period: &'a Period,
    at: At,
    schedule: Schedule,
    holidays: Holidays,
    settings: Settings,
    units: HashMap<i64, String>,
    assignments: &'a [Assignment],
}

fn kind_order(kind: &str) -> u8 {
    match kind {
        "target" => 0,
        "task" => 1,
        _ => 2,
    }
}
