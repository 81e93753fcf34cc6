//! Monthly dispatch (月调度) in the database: each plan's reporting calendar
//! ([`Store::reporting_schedule`]), who reports which item in which period
//! ([`assignments`]), the units' forms with every version kept ([`forms`]),
//! the responsible units' parts of their tasks ([`parts`]),
//! periods reopened for one unit, reminders ([`reminders`]) and the
//! reporting rates ([`rates`]). The rules themselves — periods, states,
//! checks — are `bighealth_rules::reporting`'s; this module reads and writes.

pub mod assignments;
pub mod attachments;
pub mod digests;
pub mod forms;
pub mod parts;
pub mod rates;
pub mod reminders;

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::plan_settings::SettingsTable;
use bighealth_rules::calendar::{Holidays, date_of};
use bighealth_rules::reporting::{Period, Schedule};

/// A plan that is not deleted.
pub(crate) struct LivePlan {
    /// The plan it implements.
    pub parent_id: Option<i64>,
}

impl Store {
    /// The holiday calendar deadlines are counted with: the national one
    /// shipped, with the years the office imported over it
    /// ([`Store::set_holiday_calendar`]).
    pub fn holidays(&self) -> Holidays {
        self.holidays.read().map(|h| h.clone()).unwrap_or_else(|_| Holidays::national())
    }

    /// A plan's reporting calendar (the defaults until the office sets one).
    pub async fn reporting_schedule(&self, plan_id: i64) -> Result<Schedule> {
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT p.id, s.settings FROM plans p LEFT JOIN reporting_schedules s ON s.plan_id = p.id WHERE p.id = $1",
        )
        .bind(plan_id)
        .fetch_optional(self.pool())
        .await?;
        let Some((_, settings)) = row else { return Err(StoreError::not_found(Object::Plan, plan_id)) };
        Ok(settings.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// The office sets a plan's reporting calendar; the old settings are
    /// kept in the audit row.
    pub async fn set_reporting_schedule(
        &self,
        actor: &Actor,
        plan_id: i64,
        schedule: &Schedule,
        now: i64,
    ) -> Result<Schedule> {
        actor.require(Action::ReviewReports)?;
        schedule.check()?;
        if let Some(u) = schedule.default_unit {
            self.unit(u)
                .await
                .map_err(|_| StoreError::invalid("default_unit", Reason::Missing { object: Object::Unit, id: u }))?;
        }
        let old = self.reporting_schedule(plan_id).await?;
        self.set_plan_settings(actor, SettingsTable::Reporting, plan_id, &old, schedule, "set_reporting_schedule", now)
            .await?;
        if old.default_unit != schedule.default_unit {
            // The office reports what names no unit here, and its region's
            // part in the parent plan.
            self.sync_assignments(plan_id, now).await?;
            self.sync_parent_assignments(plan_id, now).await?;
        }
        Ok(schedule.clone())
    }

    /// The period `key` of a plan's calendar.
    pub async fn period(&self, plan_id: i64, key: &str) -> Result<(Schedule, Period)> {
        let schedule = self.reporting_schedule(plan_id).await?;
        let period = schedule.period(key, &self.holidays())?;
        Ok((schedule, period))
    }

    /// Whether `period` is open for `unit` of plan `plan_id` at `now`: begun,
    /// and not locked unless the office reopened it for the unit.
    pub(crate) async fn check_open(&self, plan_id: i64, unit: i64, period: &Period, now: i64) -> Result<()> {
        let today = date_of(now);
        if today < period.start {
            return Err(StoreError::invalid(
                "period",
                Reason::PeriodNotOpen { period: period.label.clone(), opens: period.start.to_string() },
            ));
        }
        if period.locked_on(today) && !self.reopened(plan_id, unit, &period.key).await? {
            return Err(StoreError::invalid("period", Reason::PeriodLocked { period: period.label.clone() }));
        }
        Ok(())
    }

    /// Whether the office has reopened `period` for `unit` (and not locked it again).
    pub(crate) async fn reopened(&self, plan_id: i64, unit: i64, period: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM period_reopenings WHERE plan_id = $1 AND unit_id = $2 AND period = $3 \
             AND relocked_at IS NULL",
        )
        .bind(plan_id)
        .bind(unit)
        .bind(period)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// The office reopens a locked period for one unit, with a reason.
    pub async fn reopen_period(
        &self,
        actor: &Actor,
        plan_id: i64,
        unit: i64,
        key: &str,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        actor.require(Action::ReviewReports)?;
        bighealth_rules::check::not_empty("reason", reason)?;
        bighealth_rules::check::max_chars("reason", reason, bighealth_rules::check::LONG)?;
        let (_, period) = self.period(plan_id, key).await?;
        self.unit(unit).await?;
        if self.reopened(plan_id, unit, key).await? {
            return Err(Reason::PeriodAlready { period: period.label, state: "已重新开放".into() }.into());
        }
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO period_reopenings (plan_id, unit_id, period, reason, reopened_at, reopened_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(plan_id)
        .bind(unit)
        .bind(key)
        .bind(reason.trim())
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"period": key, "unit": unit, "reason": reason.trim()}).to_string();
        self.audit(&mut tx, actor, Event::ok("reopen_period", &format!("plan:{plan_id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The office locks again a period it reopened for one unit.
    pub async fn relock_period(&self, actor: &Actor, plan_id: i64, unit: i64, key: &str, now: i64) -> Result<()> {
        actor.require(Action::ReviewReports)?;
        let (_, period) = self.period(plan_id, key).await?;
        let mut tx = self.write().await?;
        let done = sqlx::query(
            "UPDATE period_reopenings SET relocked_at = $1, relocked_by = $2 \
             WHERE plan_id = $3 AND unit_id = $4 AND period = $5 AND relocked_at IS NULL",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(plan_id)
        .bind(unit)
        .bind(key)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Reason::PeriodAlready { period: period.label, state: "已锁定".into() }.into());
        }
        let detail = serde_json::json!({"period": key, "unit": unit}).to_string();
        self.audit(&mut tx, actor, Event::ok("relock_period", &format!("plan:{plan_id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses unless plan `plan_id` exists and is not deleted; answers
    /// the plan it implements, if any (a light read: no counts).
    pub(crate) async fn live_plan(&self, plan_id: i64) -> Result<LivePlan> {
        let row: Option<(Option<i64>, Option<i64>)> =
            sqlx::query_as("SELECT parent_id, deleted_at FROM plans WHERE id = $1")
                .bind(plan_id)
                .fetch_optional(self.pool())
                .await?;
        match row {
            None => Err(StoreError::not_found(Object::Plan, plan_id)),
            Some((_, Some(_))) => Err(Reason::Deleted { object: Object::Plan, id: plan_id }.into()),
            Some((parent_id, None)) => Ok(LivePlan { parent_id }),
        }
    }
}
