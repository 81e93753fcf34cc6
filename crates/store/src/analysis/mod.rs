//! Analysis (季分析) in the store: the office's thresholds per plan, and
//! the status of every target, task and project of a plan at the end of a
//! period ([`status`]), judged by `bighealth_rules::analysis` from what was
//! reported — read from the reports themselves, so a report approved or
//! corrected counts at the next reading, with no batch job.

pub mod quarterly;
pub mod regions;
pub mod status;

use crate::access::{Action, Actor};
use crate::db::Store;
use crate::error::Result;
use crate::plan_settings::SettingsTable;
use bighealth_rules::analysis::Settings;

impl Store {
    /// The status thresholds of plan `plan_id` (the defaults where the office set none).
    pub async fn analysis_settings(&self, plan_id: i64) -> Result<Settings> {
        self.live_plan(plan_id).await?;
        self.plan_settings(SettingsTable::Analysis, plan_id).await
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
        self.set_plan_settings(actor, SettingsTable::Analysis, plan_id, &old, settings, "set_analysis_settings", now)
            .await?;
        Ok(settings.clone())
    }
}
