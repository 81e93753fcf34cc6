//! Who reports what. Assignments follow the plan as read and corrected: a
//! task's first lead unit reports the task, a target's owner (else its
//! task's lead) the target, a project's first responsible unit the project
//! (merged units resolved); an item naming no unit, the calendar's
//! `default_unit` if the office set one. An item whose unit stands for each
//! region below the plan's ("各县（市）人民政府") is reported by the office of
//! every child plan instead, each for its region. [`Store::sync_assignments`] brings the rows in
//! line with the plan: an item whose unit changed has its row closed at the
//! start of the current period and a new one opened there, so earlier
//! periods keep who was due then; the rates never count an item twice.

use crate::db::Store;
use crate::error::Result;
use crate::plans::Plan;
use bighealth_rules::calendar::date_of;
use bighealth_rules::reporting::Period;
use bighealth_rules::reporting::entry::ItemKind;
use bighealth_rules::reporting::regional;
use sqlx::FromRow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The first day of the first assignments of a plan: due from the start.
const FROM_THE_START: &str = "0001-01-01";

/// One item a unit reports in a period.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Assignment {
    /// `task`, `target` or `project`.
    pub kind: String,
    /// The item.
    pub item_id: i64,
    /// The unit.
    pub unit_id: i64,
}

/// An item (`task`, `target`, `project`) and the unit that reports it.
type Owner = (String, i64, i64);

impl Store {
    /// Plan `plan_id`'s live child plans, each with its office: the unit
    /// its calendar names as the plan's office (merged units resolved), if
    /// it names one.
    pub async fn child_plan_offices(&self, plan_id: i64) -> Result<Vec<(Plan, Option<i64>)>> {
        let mut out = Vec::new();
        for child in self.child_plans(plan_id).await? {
            let office = match self.reporting_schedule(child.id).await?.default_unit {
                Some(unit) => Some(
                    sqlx::query_scalar("SELECT COALESCE(merged_into, id) FROM units WHERE id = $1")
                        .bind(unit)
                        .fetch_optional(self.pool())
                        .await?
                        .unwrap_or(unit),
                ),
                None => None,
            };
            out.push((child, office));
        }
        Ok(out)
    }

    /// The offices of plan `plan_id`'s child plans that have one, each once.
    pub(crate) async fn child_offices(&self, plan_id: i64) -> Result<Vec<i64>> {
        let mut offices = Vec::new();
        for (_, office) in self.child_plan_offices(plan_id).await? {
            if let Some(unit) = office.filter(|u| !offices.contains(u)) {
                offices.push(unit);
            }
        }
        Ok(offices)
    }

    /// The units named in plan `plan_id`'s tasks, targets and projects that
    /// stand for each region below the plan's ("各县（市）人民政府";
    /// [`regional::each_region_below`]), merged units resolved.
    pub(crate) async fn regional_collectives(&self, plan_id: i64) -> Result<HashSet<i64>> {
        let named: Vec<(i64, String)> = sqlx::query_as(
            "SELECT DISTINCT COALESCE(u.merged_into, u.id), u.name FROM units u WHERE u.id IN ( \
               SELECT tu.unit_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE t.plan_id = $1 \
               UNION SELECT g.owner_unit FROM targets g WHERE g.plan_id = $1 \
               UNION SELECT pu.unit_id FROM project_units pu JOIN projects p ON p.id = pu.project_id WHERE p.plan_id = $1)",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        Ok(named.into_iter().filter(|(_, name)| regional::each_region_below(name)).map(|(id, _)| id).collect())
    }

    /// Who reports each live item of the plan now: its unit, or, for a unit
    /// standing for each region below, the office of every child plan that
    /// has one (each answers for its region; without any the collective
    /// unit stays).
    async fn owners_now(&self, plan_id: i64) -> Result<BTreeSet<Owner>> {
        let canonical = "COALESCE((SELECT merged_into FROM units m WHERE m.id = COALESCE(x.unit_id, $2)), \
                         COALESCE(x.unit_id, $2))";
        let lead_of = |task: &str| {
            format!(
                "(SELECT tu.unit_id FROM task_units tu WHERE tu.task_id = {task} AND tu.role = 'lead' \
                 ORDER BY tu.position LIMIT 1)"
            )
        };
        let sql = format!(
            "SELECT kind, item_id, {canonical} AS unit_id FROM ( \
               SELECT 'task' AS kind, t.id AS item_id, {task_lead} AS unit_id FROM tasks t \
                 WHERE t.plan_id = $1 AND t.deleted_at IS NULL \
               UNION ALL \
               SELECT 'target', g.id, COALESCE(g.owner_unit, {target_lead}) FROM targets g \
                 WHERE g.plan_id = $1 AND g.deleted_at IS NULL \
               UNION ALL \
               SELECT 'project', p.id, (SELECT pu.unit_id FROM project_units pu WHERE pu.project_id = p.id \
                 ORDER BY pu.position LIMIT 1) FROM projects p WHERE p.plan_id = $1 AND p.deleted_at IS NULL \
             ) x WHERE COALESCE(x.unit_id, $2) IS NOT NULL",
            task_lead = lead_of("t.id"),
            target_lead = lead_of("g.task_id"),
        );
        let fallback = self.reporting_schedule(plan_id).await?.default_unit;
        let rows: Vec<Assignment> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(plan_id).bind(fallback).fetch_all(self.pool()).await?;
        let offices = self.child_offices(plan_id).await?;
        let collectives = if offices.is_empty() { HashSet::new() } else { self.regional_collectives(plan_id).await? };
        let mut owners = BTreeSet::new();
        for a in rows {
            if collectives.contains(&a.unit_id) {
                owners.extend(offices.iter().map(|o| (a.kind.clone(), a.item_id, *o)));
            } else {
                owners.insert((a.kind, a.item_id, a.unit_id));
            }
        }
        Ok(owners)
    }

    /// Brings the assignments of plan `plan_id` in line with who answers
    /// for each item now; a change takes effect from the period holding
    /// `now`. One writer at a time per plan compares and writes (two
    /// requests meeting a plan without assignments make them once).
    pub async fn sync_assignments(&self, plan_id: i64, now: i64) -> Result<()> {
        let owners = self.owners_now(plan_id).await?;
        let schedule = self.reporting_schedule(plan_id).await?;
        let mut tx = self.write().await?;
        if self.backend() == crate::db::Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind((2261_i64 << 32) | plan_id).execute(&mut *tx).await?;
        }
        let open: Vec<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT id, kind, item_id, unit_id FROM report_assignments WHERE plan_id = $1 AND until_day IS NULL",
        )
        .bind(plan_id)
        .fetch_all(&mut *tx)
        .await?;
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM report_assignments WHERE plan_id = $1 LIMIT 1")
            .bind(plan_id)
            .fetch_optional(&mut *tx)
            .await?;
        let mut current: BTreeMap<Owner, i64> =
            open.into_iter().map(|(id, kind, item, unit)| ((kind, item, unit), id)).collect();
        let opens: Vec<&Owner> = owners.iter().filter(|o| current.remove(*o).is_none()).collect();
        let close: Vec<i64> = current.into_values().collect();
        if close.is_empty() && opens.is_empty() {
            tx.commit().await?;
            return Ok(());
        }
        let from = if any.is_none() {
            FROM_THE_START.to_string()
        } else {
            schedule.period_holding(date_of(now), &self.holidays()).start.to_string()
        };
        for id in close {
            sqlx::query("UPDATE report_assignments SET until_day = $1 WHERE id = $2 AND until_day IS NULL")
                .bind(&from)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for (kind, item, unit) in opens {
            sqlx::query(
                "INSERT INTO report_assignments (plan_id, kind, item_id, unit_id, from_day) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(plan_id)
            .bind(kind)
            .bind(item)
            .bind(unit)
            .bind(&from)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Syncs the assignments of plan `plan_id`'s parent, if it has one
    /// (its office may have come, gone or changed).
    pub(crate) async fn sync_parent_assignments(&self, plan_id: i64, now: i64) -> Result<()> {
        let parent: Option<i64> = sqlx::query_scalar("SELECT parent_id FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(self.pool())
            .await?
            .flatten();
        match parent {
            Some(parent) => self.sync_assignments(parent, now).await,
            None => Ok(()),
        }
    }

    /// Makes the assignments of plan `plan_id` the first time they are
    /// needed; afterwards every change to who answers for an item (a
    /// correction, a deletion, a merge, a new table, the calendar's default
    /// unit) syncs them itself, so reading a form does not.
    pub async fn ensure_assignments(&self, plan_id: i64, now: i64) -> Result<()> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM report_assignments WHERE plan_id = $1 LIMIT 1")
            .bind(plan_id)
            .fetch_optional(self.pool())
            .await?;
        if any.is_none() { self.sync_assignments(plan_id, now).await } else { Ok(()) }
    }

    /// Syncs the assignments of every plan `unit` reports in (after a merge).
    pub(crate) async fn sync_assignments_of_unit(&self, unit: i64, now: i64) -> Result<()> {
        let plans: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT plan_id FROM report_assignments WHERE unit_id = $1")
            .bind(unit)
            .fetch_all(self.pool())
            .await?;
        for plan in plans {
            self.sync_assignments(plan, now).await?;
        }
        Ok(())
    }

    /// What `unit` (or every unit, `None`) reports in `period` of plan
    /// `plan_id`: the assignments active on the period's last day.
    pub async fn assignments(&self, plan_id: i64, unit: Option<i64>, period: &Period) -> Result<Vec<Assignment>> {
        let end = period.end.to_string();
        let rows = sqlx::query_as(
            "SELECT kind, item_id, unit_id FROM report_assignments WHERE plan_id = $1 \
             AND ($2 IS NULL OR unit_id = $2) AND from_day <= $3 AND (until_day IS NULL OR until_day > $3) \
             ORDER BY unit_id, CASE kind WHEN 'task' THEN 0 WHEN 'target' THEN 1 ELSE 2 END, item_id",
        )
        .bind(plan_id)
        .bind(unit)
        .bind(&end)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// The kind of an assignment.
    pub(crate) fn kind_of(a: &Assignment) -> ItemKind {
        ItemKind::parse(&a.kind).unwrap_or(ItemKind::Task)
    }
}
