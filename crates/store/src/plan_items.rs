//! What the cycle reads of a plan's items besides the reports: its live
//! tasks (title, deadline words), its live projects (name, total
//! investment, period) and the names of the units that report in it — one
//! query each, for the supervision rules and the analysis alike.

use crate::db::Store;
use crate::error::Result;
use bighealth_rules::reporting::Period;
use std::collections::HashMap;

/// A live task: its title and its deadline words.
pub(crate) type TaskRow = (String, Option<String>);

/// A live project: its name, total investment (万元) and period words.
pub(crate) type ProjectRow = (String, Option<f64>, Option<String>);

/// The periods as an SQL list (`'2026-01', '2026-02'`), `NULL` when none;
/// their keys are the schedule's own.
pub(crate) fn key_list(periods: &[Period]) -> String {
    if periods.is_empty() {
        return "NULL".into();
    }
    periods.iter().map(|p| format!("'{}'", p.key.replace('\'', ""))).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// The names of the units that report in plan `plan_id`.
    pub(crate) async fn reporting_unit_names(&self, plan_id: i64) -> Result<HashMap<i64, String>> {
        Ok(sqlx::query_as::<_, (i64, String)>(
            "SELECT DISTINCT u.id, u.name FROM units u JOIN report_assignments a ON a.unit_id = u.id WHERE a.plan_id = $1",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .collect())
    }

    /// The live tasks of plan `plan_id` by id.
    pub(crate) async fn live_tasks(&self, plan_id: i64) -> Result<HashMap<i64, TaskRow>> {
        Ok(sqlx::query_as::<_, (i64, String, Option<String>)>(
            "SELECT id, title, deadline FROM tasks WHERE plan_id = $1 AND deleted_at IS NULL",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(id, t, d)| (id, (t, d)))
        .collect())
    }

    /// The live projects of plan `plan_id` by id.
    pub(crate) async fn live_projects(&self, plan_id: i64) -> Result<HashMap<i64, ProjectRow>> {
        Ok(sqlx::query_as::<_, (i64, String, Option<f64>, Option<String>)>(
            "SELECT id, name, investment_wan, period FROM projects WHERE plan_id = $1 AND deleted_at IS NULL",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(id, n, inv, p)| (id, (n, inv, p)))
        .collect())
    }
}
