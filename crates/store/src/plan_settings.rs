//! A plan's settings of one part of the cycle — its reporting calendar, its
//! supervision rules, its analysis thresholds — kept as JSON in that part's
//! table, one row per plan. A plan without a row has the part's defaults;
//! every change is audited with the old settings and the new.

use crate::access::Actor;
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Reason, Result, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The tables that hold a plan's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SettingsTable {
    /// The reporting calendar (`reporting::Schedule`).
    Reporting,
    /// The supervision rules (`supervision::Settings`).
    Supervision,
    /// The status thresholds (`analysis::Settings`).
    Analysis,
    /// What is public (`disclosure::Settings`).
    Disclosure,
}

impl SettingsTable {
    fn name(self) -> &'static str {
        match self {
            SettingsTable::Reporting => "reporting_schedules",
            SettingsTable::Supervision => "supervision_settings",
            SettingsTable::Analysis => "analysis_settings",
            SettingsTable::Disclosure => "disclosure_settings",
        }
    }
}

impl Store {
    /// The settings plan `plan_id` keeps in `table`, or the defaults.
    pub(crate) async fn plan_settings<T: DeserializeOwned + Default>(
        &self,
        table: SettingsTable,
        plan_id: i64,
    ) -> Result<T> {
        let text: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT settings FROM {} WHERE plan_id = $1",
            table.name()
        )))
        .bind(plan_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(text.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// Replaces the settings plan `plan_id` keeps in `table` with `new`,
    /// auditing `action` with the `old` and the new.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn set_plan_settings<T: Serialize>(
        &self,
        actor: &Actor,
        table: SettingsTable,
        plan_id: i64,
        old: &T,
        new: &T,
        action: &str,
        now: i64,
    ) -> Result<()> {
        let text = serde_json::to_string(new).map_err(|_| StoreError::invalid("settings", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {} WHERE plan_id = $1", table.name())))
            .bind(plan_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {} (plan_id, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)",
            table.name()
        )))
        .bind(plan_id)
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"old": old, "new": new}).to_string();
        self.audit(&mut tx, actor, Event::ok(action, &format!("plan:{plan_id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(())
    }
}
