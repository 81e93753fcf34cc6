//! The lag rules run over a period of a plan: the facts gathered from the
//! reports of the period and the ones before it, the causes
//! `bighealth_rules::supervision::lag` finds, and what they do — a new item
//! for a new cause, a level raised for a cause that persists into a later
//! period, nothing for one already seen this period. A dry run answers the
//! same and writes nothing.

use super::items::Opening;
use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::Result;
use crate::plan_items::key_list;
use bighealth_rules::analysis::status::ProjectYear;
use bighealth_rules::calendar::date_of;
use bighealth_rules::reporting::Period;
use bighealth_rules::reporting::workflow::State as FormState;
use bighealth_rules::supervision::lag::{
    Cause, Facts, MissingReport, PeriodFacts, ProjectFacts, TargetState, TaskFacts, TaskReport, evaluate, node_of,
};
use bighealth_rules::supervision::workflow::{State, Step};
use bighealth_rules::supervision::{Level, RuleKind, Settings, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// What a run of the rules does with one cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new item is opened.
    Open,
    /// The open item's level goes up: the cause persists.
    Raise,
    /// The open item already holds this period's cause.
    Seen,
}

/// One cause and what the run does with it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Found {
    /// The cause.
    pub cause: Cause,
    /// What is done.
    pub outcome: Outcome,
    /// The item opened or raised (none in a dry run's new items).
    pub item_id: Option<i64>,
    /// Its number.
    pub number: Option<String>,
    /// Its level after the run.
    pub level: Level,
}

/// A rule that did not run, and why.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RuleOff {
    /// The rule.
    pub rule: RuleKind,
    /// Why (switched off, or not available yet).
    pub why: String,
}

/// What a run of the rules found and did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RunReport {
    /// The period.
    pub period: Period,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Every cause found.
    pub found: Vec<Found>,
    /// The rules that did not run.
    pub off: Vec<RuleOff>,
}

/// A run asked for.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRules {
    /// The period (`2026-06`); by default the last one ended.
    #[serde(default)]
    pub period: Option<String>,
    /// Only list what would be done.
    #[serde(default)]
    pub dry_run: bool,
    /// Settings to try instead of the plan's (a dry run only): tune and test
    /// before switching on.
    #[serde(default)]
    pub settings: Option<Settings>,
}

impl Store {
    /// Runs the lag rules of plan `plan_id` over a period (the office).
    pub async fn run_supervision_rules(
        &self,
        actor: &Actor,
        plan_id: i64,
        run: &RunRules,
        now: i64,
    ) -> Result<RunReport> {
        actor.require(Action::Supervise)?;
        self.live_plan(plan_id).await?;
        let settings = match (&run.settings, run.dry_run) {
            (Some(s), true) => {
                s.check()?;
                s.clone()
            }
            _ => self.supervision_settings(plan_id).await?,
        };
        let schedule = self.reporting_schedule(plan_id).await?;
        let holidays = self.holidays();
        let period = match &run.period {
            Some(key) => schedule.period(key, &holidays)?,
            None => schedule.period_to_report(date_of(now), &holidays),
        };
        self.ensure_assignments(plan_id, now).await?;
        let facts = self.lag_facts(plan_id, &period, &settings, now).await?;
        let causes = evaluate(&settings, &facts, &holidays);
        let off = settings
            .all_rules()
            .into_iter()
            .filter(|r| !r.enabled)
            .map(|r| RuleOff { rule: r.rule, why: "未启用".into() })
            .collect();
        let open: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, number, open_cause, level, period FROM supervision_items WHERE plan_id = $1 AND open_cause IS NOT NULL",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        let open: HashMap<String, (i64, String, Level, Option<String>)> = open
            .into_iter()
            .map(|(id, number, cause, level, p)| (cause, (id, number, Level::parse(&level).unwrap_or_default(), p)))
            .collect();
        let mut found: Vec<Found> = causes
            .into_iter()
            .map(|cause| match open.get(&cause.key) {
                Some((id, number, level, p)) if p.as_deref() == Some(period.key.as_str()) => Found {
                    level: *level,
                    cause,
                    outcome: Outcome::Seen,
                    item_id: Some(*id),
                    number: Some(number.clone()),
                },
                Some((id, number, level, _)) => Found {
                    level: level.raised(),
                    cause,
                    outcome: Outcome::Raise,
                    item_id: Some(*id),
                    number: Some(number.clone()),
                },
                None => Found { level: cause.level, cause, outcome: Outcome::Open, item_id: None, number: None },
            })
            .collect();
        if run.dry_run {
            return Ok(RunReport { period, dry_run: true, found, off });
        }
        let deadlines = settings.deadlines(date_of(now), &holidays);
        let mut tx = self.write().await?;
        for f in found.iter_mut() {
            match f.outcome {
                Outcome::Open => {
                    let requirement = requirement(f.cause.rule);
                    let o = Opening {
                        plan_id,
                        source: Source::Rule,
                        reference: None,
                        rule: Some(f.cause.rule),
                        cause: Some(&f.cause.key),
                        item_kind: Some(&f.cause.kind),
                        item_id: Some(f.cause.item_id),
                        title: &f.cause.title,
                        body: &f.cause.evidence,
                        requirement: Some(requirement),
                        lead_unit: f.cause.unit_id,
                        helpers: &[],
                        leader_id: settings.leader_id,
                        urgency: "normal",
                        level: f.cause.level,
                        period: Some(&period.key),
                        sign_due: deadlines.sign,
                        plan_due: deadlines.plan,
                        due: deadlines.fix,
                    };
                    let (id, number) = self.insert_item(&mut tx, actor, &settings, &o, now).await?;
                    f.item_id = Some(id);
                    f.number = Some(number);
                }
                Outcome::Raise => {
                    let id = f.item_id.unwrap_or_default();
                    let state: String = sqlx::query_scalar(
                        "UPDATE supervision_items SET level = $1, period = $2, updated_at = $3 WHERE id = $4 RETURNING state",
                    )
                    .bind(f.level.as_str())
                    .bind(&period.key)
                    .bind(now)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    let note =
                        format!("{}问题仍未解决，提级为{}督办：{}", period.label, f.level.label(), f.cause.evidence);
                    let data = serde_json::json!({"period": period.key, "rule": f.cause.rule.as_str()});
                    let state = State::parse(&state).unwrap_or(State::Assigned);
                    self.insert_step(&mut tx, actor, id, Step::Raise, state, f.level, Some(&note), Some(&data), now)
                        .await?;
                }
                Outcome::Seen => {}
            }
        }
        let count = |o: Outcome| found.iter().filter(|f| f.outcome == o).count();
        let detail = serde_json::json!({"period": period.key, "opened": count(Outcome::Open),
            "raised": count(Outcome::Raise), "seen": count(Outcome::Seen)})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("run_supervision_rules", &format!("plan:{plan_id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(RunReport { period, dry_run: false, found, off })
    }

    /// The facts the rules need for `period` of plan `plan_id`.
    async fn lag_facts(&self, plan_id: i64, period: &Period, settings: &Settings, now: i64) -> Result<Facts> {
        let schedule = self.reporting_schedule(plan_id).await?;
        let holidays = self.holidays();
        let year = period.end.year();
        // The periods looked back over: as many as the stalled rule needs, in this year or before.
        let back = settings.rule(RuleKind::TaskStalled).threshold.max(1.0) as usize + 1;
        let mut periods = vec![period.clone()];
        while periods.len() < back {
            let first = periods[0].start.yesterday().unwrap_or(periods[0].start);
            periods.insert(0, schedule.period_holding(first, &holidays));
        }
        let keys = key_list(&periods);
        let year_keys = key_list(&schedule.year_to(period, &holidays));
        let reported: Vec<&str> = FormState::ALL.iter().filter(|s| s.reported()).map(|s| s.as_str()).collect();
        let reported = format!("('{}')", reported.join("', '"));
        let assignments = self.assignments(plan_id, None, period).await?;
        let unit_names = self.reporting_unit_names(plan_id).await?;
        let name = |u: i64| unit_names.get(&u).cloned().unwrap_or_default();

        // Tasks: the reports of their units over the periods looked back over.
        let entries: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT f.period, f.unit_id, e.item_id, e.status, e.share, e.entry FROM report_forms f \
             CROSS JOIN report_entries e WHERE e.form_id = f.id AND f.plan_id = $1 AND e.kind = 'task' \
             AND f.state IN {reported} AND f.period IN ({})",
            keys
        )))
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        let mut by_task: HashMap<(i64, i64, String), TaskEntry> = HashMap::new();
        for (p, unit, item, status, share, entry) in entries {
            by_task.insert((item, unit, p), (status, share, entry));
        }
        let tasks = self.live_tasks(plan_id).await?;
        let mut task_facts = Vec::new();
        for a in assignments.iter().filter(|a| a.kind == "task") {
            let Some((title, deadline)) = tasks.get(&a.item_id) else { continue };
            let reports = periods
                .iter()
                .map(|p| {
                    by_task.get(&(a.item_id, a.unit_id, p.key.clone())).map(|(status, share, entry)| {
                        let problems = serde_json::from_str::<serde_json::Value>(entry)
                            .ok()
                            .and_then(|e| e.get("problems").and_then(|p| p.as_str()).map(str::to_string));
                        TaskReport {
                            period: p.label.clone(),
                            status_name: status
                                .as_deref()
                                .map(|s| schedule.status_name(s).to_string())
                                .unwrap_or_default(),
                            status: status.clone(),
                            share: *share,
                            problems,
                        }
                    })
                })
                .collect();
            task_facts.push(TaskFacts {
                task_id: a.item_id,
                title: title.clone(),
                unit_id: a.unit_id,
                unit: name(a.unit_id),
                node: deadline.as_deref().and_then(|d| node_of(d, year)),
                reports,
            });
        }

        // Projects: the year's investment so far against the year's plan.
        let done: HashMap<(i64, i64), f64> = sqlx::query_as::<_, (i64, i64, Option<f64>)>(sqlx::AssertSqlSafe(format!(
            "SELECT e.item_id, f.unit_id, SUM(e.amount) FROM report_forms f CROSS JOIN report_entries e \
             WHERE e.form_id = f.id AND f.plan_id = $1 AND e.kind = 'project' AND f.state IN {reported} AND f.period IN ({}) \
             GROUP BY e.item_id, f.unit_id",
            year_keys
        )))
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(item, unit, sum)| ((item, unit), sum.unwrap_or(0.0)))
        .collect();
        let projects = self.live_projects(plan_id).await?;
        let mut project_facts = Vec::new();
        for a in assignments.iter().filter(|a| a.kind == "project") {
            let Some((pname, Some(total), span)) = projects.get(&a.item_id) else { continue };
            let Some((year_plan, year_plan_basis)) = ProjectYear::plan_of(*total, span.as_deref(), year) else {
                continue;
            };
            project_facts.push(ProjectFacts {
                project_id: a.item_id,
                name: pname.clone(),
                unit_id: a.unit_id,
                unit: name(a.unit_id),
                year_plan,
                year_plan_basis,
                done: done.get(&(a.item_id, a.unit_id)).copied().unwrap_or(0.0),
            });
        }

        // Forms not in: units due this period without a report.
        let filed: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT unit_id FROM report_forms WHERE plan_id = $1 AND period = $2 AND state IN {reported}"
        )))
        .bind(plan_id)
        .bind(&period.key)
        .fetch_all(self.pool())
        .await?;
        let mut missing: BTreeMap<i64, MissingReport> = BTreeMap::new();
        for a in &assignments {
            if !filed.contains(&a.unit_id) {
                missing.entry(a.unit_id).or_insert_with(|| MissingReport {
                    unit_id: a.unit_id,
                    unit: name(a.unit_id),
                    period: period.label.clone(),
                    due: Some(period.due),
                });
            }
        }
        // Targets: judged against their trajectories, as the analysis judges them.
        let targets = if settings.rule(RuleKind::TargetBehind).enabled {
            self.judge_plan(plan_id, period, true)
                .await?
                .items
                .into_iter()
                .filter(|i| i.kind == "target")
                .filter_map(|i| {
                    Some(TargetState {
                        target_id: i.item_id,
                        title: i.title,
                        unit_id: i.unit_id?,
                        unit: i.unit.unwrap_or_default(),
                        judgement: i.judgement,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Facts {
            period: PeriodFacts { label: period.label.clone(), end: period.end },
            today: date_of(now),
            tasks: task_facts,
            projects: project_facts,
            targets,
            missing: missing.into_values().collect(),
        })
    }
}

/// A task's entry: its status, share and the entry as JSON.
type TaskEntry = (Option<String>, Option<f64>, String);

/// A task's entry as read: period, unit, task, status, share, entry.
type EntryRow = (String, i64, i64, Option<String>, Option<f64>, String);

/// What the unit is asked to do, by rule.
fn requirement(rule: RuleKind) -> &'static str {
    match rule {
        RuleKind::TaskLagging | RuleKind::TaskStalled => {
            "请分析滞后原因，提交整改方案（问题、措施、责任人、时限），按月报送进展，确保按期完成"
        }
        RuleKind::TargetBehind => "请分析目标落后原因，提出赶超措施，按月报送进展",
        RuleKind::ProjectInvestment => "请分析投资完成滞后原因，提交整改方案，加快项目建设进度，按月报送进展",
        RuleKind::ReportOverdue => "请立即补报本期进展，并说明逾期原因",
    }
}
