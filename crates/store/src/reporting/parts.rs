//! The responsible units' parts (配合单位报送): a task's responsible units
//! (责任单位) add, for a period, what they did of it and what holds them up
//! (a child plan's office for its region where the task names each region
//! below, "各县（市）人民政府");
//! the lead unit sees every part on its form beside the task and answers for
//! the whole. A part is no entry of the form and counts in no rate. Every
//! save is a row of its own (`report_parts`); the latest of a task, unit and
//! period stands, the earlier ones are kept.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::{ROWS_AT_ONCE, Store};
use crate::error::{Reason, Result, StoreError};
use bighealth_rules::check;
use bighealth_rules::reporting::Period;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::ToSchema;

/// A responsible unit's part of a task in a period.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct Part {
    /// The task.
    pub task_id: i64,
    /// The responsible unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// What it did (进展情况).
    pub progress: String,
    /// What holds it up (存在问题).
    pub problems: Option<String>,
    /// When it was saved (ms).
    pub saved_at: i64,
}

/// A task a unit is responsible for, with its part of the period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PartLine {
    /// The task.
    pub task_id: i64,
    /// Its number and title.
    pub label: String,
    /// The lead unit that answers for it (its first).
    pub lead_unit: Option<String>,
    /// The unit's part, as last saved.
    pub part: Option<Part>,
}

/// A unit's parts of the tasks it is responsible for in a period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Parts {
    /// The plan.
    pub plan_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The period.
    pub period: Period,
    /// Whether the period is locked for the unit.
    pub locked: bool,
    /// The tasks, in the plan's order.
    pub tasks: Vec<PartLine>,
}

/// A plan in which one of a reporter's units is a responsible unit, with
/// the period to report now.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PartsDue {
    /// The plan.
    pub plan_id: i64,
    /// Its title.
    pub plan_title: Option<String>,
    /// The unit.
    pub unit_id: i64,
    /// The period to report now.
    pub period: Period,
    /// The tasks the unit is responsible for.
    pub tasks: i64,
    /// Of them, those with its part of the period saved.
    pub saved: i64,
}

/// A part as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartInput {
    /// The task.
    pub task_id: i64,
    /// What the unit did of it.
    pub progress: String,
    /// What holds it up.
    #[serde(default)]
    pub problems: Option<String>,
}

impl Store {
    /// The live tasks of plan `plan_id` that `unit` is a responsible unit
    /// of (merged units resolved), in the plan's order: (id, label, lead
    /// unit). A child plan's office is responsible for its region wherever a
    /// unit standing for each region below ("各县（市）人民政府") is named
    /// other than as the task's first lead (which it reports).
    async fn responsible_tasks(&self, plan_id: i64, unit: i64) -> Result<Vec<(i64, String, Option<String>)>> {
        let collectives = if self.child_offices(plan_id).await?.contains(&unit) {
            self.regional_collectives(plan_id).await?
        } else {
            HashSet::new()
        };
        let for_region = if collectives.is_empty() {
            String::new()
        } else {
            let ids = collectives.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            format!(
                " OR EXISTS (SELECT 1 FROM task_units c JOIN units cu ON cu.id = c.unit_id WHERE c.task_id = t.id \
                   AND COALESCE(cu.merged_into, cu.id) IN ({ids}) AND (c.role <> 'lead' OR c.position > \
                   (SELECT MIN(f.position) FROM task_units f WHERE f.task_id = t.id AND f.role = 'lead')))"
            )
        };
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT t.id, t.path || ' ' || t.title, \
               (SELECT u.name FROM task_units l JOIN units u ON u.id = l.unit_id \
                WHERE l.task_id = t.id AND l.role = 'lead' ORDER BY l.position LIMIT 1) \
             FROM tasks t WHERE t.plan_id = $1 AND t.deleted_at IS NULL AND (EXISTS ( \
               SELECT 1 FROM task_units r JOIN units ru ON ru.id = r.unit_id WHERE r.task_id = t.id \
               AND r.role = 'responsible' AND COALESCE(ru.merged_into, ru.id) = $2){for_region}) \
             ORDER BY t.position, t.id"
        )))
        .bind(plan_id)
        .bind(unit)
        .fetch_all(self.pool())
        .await?)
    }

    /// The latest part of each task and unit of a period, by task.
    pub(crate) async fn latest_parts(&self, plan_id: i64, key: &str) -> Result<BTreeMap<i64, Vec<Part>>> {
        let rows: Vec<(i64, Part)> = sqlx::query_as::<_, (i64, i64, i64, String, String, Option<String>, i64)>(
            "SELECT p.id, p.task_id, p.unit_id, u.name, p.progress, p.problems, p.saved_at FROM report_parts p \
             JOIN units u ON u.id = p.unit_id WHERE p.plan_id = $1 AND p.period = $2 ORDER BY p.id",
        )
        .bind(plan_id)
        .bind(key)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(id, task_id, unit_id, unit_name, progress, problems, saved_at)| {
            (id, Part { task_id, unit_id, unit_name, progress, problems, saved_at })
        })
        .collect();
        let mut latest: HashMap<(i64, i64), Part> = HashMap::new();
        for (_, part) in rows {
            latest.insert((part.task_id, part.unit_id), part);
        }
        let mut out: BTreeMap<i64, Vec<Part>> = BTreeMap::new();
        for part in latest.into_values() {
            out.entry(part.task_id).or_default().push(part);
        }
        for parts in out.values_mut() {
            parts.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
        }
        Ok(out)
    }

    /// The tasks `unit` is responsible for in plan `plan_id`, with its parts of period `key`.
    pub async fn report_parts(&self, actor: &Actor, plan_id: i64, unit: i64, key: &str, now: i64) -> Result<Parts> {
        Store::may_read_form(actor, unit)?;
        self.live_plan(plan_id).await?;
        let (_, period) = self.period(plan_id, key).await?;
        let unit_name = self.unit(unit).await?.name;
        let mut latest = self.latest_parts(plan_id, key).await?;
        let tasks = self
            .responsible_tasks(plan_id, unit)
            .await?
            .into_iter()
            .map(|(task_id, label, lead_unit)| {
                let part = latest.get_mut(&task_id).and_then(|parts| {
                    let i = parts.iter().position(|p| p.unit_id == unit)?;
                    Some(parts.swap_remove(i))
                });
                PartLine { task_id, label, lead_unit, part }
            })
            .collect();
        let locked =
            period.locked_on(bighealth_rules::calendar::date_of(now)) && !self.reopened(plan_id, unit, key).await?;
        Ok(Parts { plan_id, unit_id: unit, unit_name, period, locked, tasks })
    }

    /// Where the reporter's units are responsible units, each plan with the
    /// period to report now and how many of their parts are saved.
    pub async fn my_parts_due(&self, actor: &Actor, now: i64) -> Result<Vec<PartsDue>> {
        actor.require(Action::Report)?;
        let today = bighealth_rules::calendar::date_of(now);
        let mut out = Vec::new();
        for plan in self.plans(None, false).await? {
            let schedule = self.reporting_schedule(plan.id).await?;
            let period = schedule.period_to_report(today, &self.holidays());
            for &unit in &actor.units {
                let tasks = self.responsible_tasks(plan.id, unit).await?;
                if tasks.is_empty() {
                    continue;
                }
                let saved: i64 = sqlx::query_scalar(
                    "SELECT COUNT(DISTINCT p.task_id) FROM report_parts p JOIN tasks t ON t.id = p.task_id \
                     WHERE p.plan_id = $1 AND p.period = $2 AND p.unit_id = $3 AND t.deleted_at IS NULL",
                )
                .bind(plan.id)
                .bind(&period.key)
                .bind(unit)
                .fetch_one(self.pool())
                .await?;
                out.push(PartsDue {
                    plan_id: plan.id,
                    plan_title: plan.title.clone(),
                    unit_id: unit,
                    period: period.clone(),
                    tasks: tasks.len() as i64,
                    saved,
                });
            }
        }
        Ok(out)
    }

    /// A responsible unit saves its parts of period `key`: each a task it is
    /// responsible for, its progress written; an unchanged part is not saved
    /// again. Refused in a period not open for the unit.
    pub async fn save_report_parts(
        &self,
        actor: &Actor,
        plan_id: i64,
        unit: i64,
        key: &str,
        parts: &[PartInput],
        now: i64,
    ) -> Result<Parts> {
        actor.require(Action::Report)?;
        if !actor.units.contains(&unit) {
            return Err(Reason::NotYourForm {}.into());
        }
        self.live_plan(plan_id).await?;
        let (_, period) = self.period(plan_id, key).await?;
        self.check_open(plan_id, unit, &period, now).await?;
        check::max_items("parts", parts.len(), check::ITEMS)?;
        let tasks: HashSet<i64> = self.responsible_tasks(plan_id, unit).await?.into_iter().map(|(id, ..)| id).collect();
        // The unit's parts as last saved, by task.
        let before: HashMap<i64, Part> = self
            .latest_parts(plan_id, key)
            .await?
            .into_values()
            .flatten()
            .filter(|p| p.unit_id == unit)
            .map(|p| (p.task_id, p))
            .collect();
        let mut seen = Vec::new();
        let mut new = Vec::new();
        for (i, p) in parts.iter().enumerate() {
            if !tasks.contains(&p.task_id) {
                return Err(StoreError::invalid(
                    format!("parts[{i}].task_id"),
                    Reason::NotYourItem { kind: "任务".into(), id: p.task_id },
                ));
            }
            if seen.contains(&p.task_id) {
                return Err(StoreError::invalid(
                    format!("parts[{i}].task_id"),
                    Reason::DuplicateItem { kind: "任务".into(), id: p.task_id },
                ));
            }
            seen.push(p.task_id);
            let progress = p.progress.trim();
            if progress.is_empty() {
                return Err(StoreError::invalid(
                    format!("parts[{i}].progress"),
                    Reason::ReportNeeds { what: "进展情况".into() },
                ));
            }
            check::max_chars(&format!("parts[{i}].progress"), progress, check::LONG)?;
            let problems = p.problems.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
            if let Some(text) = &problems {
                check::max_chars(&format!("parts[{i}].problems"), text, check::LONG)?;
            }
            let same = before.get(&p.task_id).is_some_and(|old| old.progress == progress && old.problems == problems);
            if !same {
                new.push((p.task_id, progress.to_string(), problems));
            }
        }
        if new.is_empty() {
            return self.report_parts(actor, plan_id, unit, key, now).await;
        }
        let mut tx = self.write().await?;
        for chunk in new.chunks(ROWS_AT_ONCE) {
            let sql = format!(
                "INSERT INTO report_parts (plan_id, period, task_id, unit_id, progress, problems, saved_at, saved_by) VALUES {}",
                self.backend().values_list(chunk.len(), 8)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (task, progress, problems) in chunk {
                q = q
                    .bind(plan_id)
                    .bind(key)
                    .bind(*task)
                    .bind(unit)
                    .bind(progress.as_str())
                    .bind(problems.as_deref())
                    .bind(now)
                    .bind(actor.user_id);
            }
            q.execute(&mut *tx).await?;
        }
        let detail = serde_json::json!({"period": key, "unit": unit, "tasks": new.len()}).to_string();
        self.audit(&mut tx, actor, Event::ok("save_report_parts", &format!("plan:{plan_id}"), &detail), now).await?;
        tx.commit().await?;
        self.report_parts(actor, plan_id, unit, key, now).await
    }
}
