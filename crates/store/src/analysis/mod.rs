//! Analysis (季分析) in the store: the office's thresholds per plan, and
//! the status of every target, task and project of a plan at the end of a
//! period ([`status`]), judged by `bighealth_rules::analysis` from what was
//! reported — read from the reports themselves, so a report approved or
//! corrected counts at the next reading, with no batch job.

pub mod quarterly;
pub mod status;

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Result, StoreError};
use bighealth_rules::Reason;
use bighealth_rules::analysis::Settings;

impl Store {
    /// The status thresholds of plan `plan_id` (the defaults where the office set none).
    pub async fn analysis_settings(&self, plan_id: i64) -> Result<Settings> {
        self.live_plan(plan_id).await?;
        let settings: Option<String> = sqlx::query_scalar("SELECT settings FROM analysis_settings WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(settings.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// The office sets a plan's status thresholds; the old ones are kept in
    /// the audit row.
    pub async fn set_analysis_settings(
        &self,
        actor: &Actor,
        plan_id: i64,
        settings: &Settings,
        now: i64,
    ) -> Result<Settings> {
        actor.require(Action::ReviewReports)?;
        settings.check()?;
        let old = self.analysis_settings(plan_id).await?;
        let text = serde_json::to_string(settings).map_err(|_| StoreError::invalid("settings", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM analysis_settings WHERE plan_id = $1").bind(plan_id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO analysis_settings (plan_id, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
        )
        .bind(plan_id)
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"old": old, "new": settings}).to_string();
        self.audit(&mut tx, actor, Event::ok("set_analysis_settings", &format!("plan:{plan_id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(settings.clone())
    }
}
