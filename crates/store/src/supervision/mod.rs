//! Supervision (督查督办) in the database: each plan's settings
//! ([`Store::supervision_settings`]), the holiday calendars the office keeps
//! ([`Store::set_holiday_calendar`]), the items and every step on them
//! ([`items`]), the lag rules run over a period's reports ([`rules`]), the
//! reminders and escalations of the day ([`sweep`]) and the wording of the
//! documents the office edits ([`templates`]). The rules themselves are
//! `bighealth_rules::supervision`'s; this module reads and writes.

pub mod items;
pub mod rules;
pub mod sweep;
pub mod templates;

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::plan_settings::SettingsTable;
use bighealth_rules::calendar::{DayKind, Holidays};
use bighealth_rules::supervision::Settings;
use serde::Serialize;
use utoipa::ToSchema;

/// One listed day of a holiday calendar.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HolidayDay {
    /// The day (`2026-10-01`).
    pub date: String,
    /// `off` (休) or `work` (班, a weekend day worked).
    pub kind: String,
    /// The holiday's name.
    pub name: String,
}

/// The holiday calendar of a year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HolidayCalendar {
    /// The year.
    pub year: i64,
    /// Whether the office imported it (else it is the one shipped, or none).
    pub imported: bool,
    /// Its listed days.
    pub days: Vec<HolidayDay>,
}

impl Store {
    /// Reads the calendars the office imported over the shipped one.
    pub(crate) async fn load_holidays(&self) -> Result<()> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT year, text FROM holiday_calendars ORDER BY year").fetch_all(self.pool()).await?;
        let mut h = Holidays::national();
        for (year, text) in rows {
            if let Ok(y) = Holidays::parse_year(&text, year as i16) {
                h.replace_year(year as i16, y);
            }
        }
        if let Ok(mut cache) = self.holidays.write() {
            *cache = h;
        }
        Ok(())
    }

    /// The holiday calendar of `year`.
    pub async fn holiday_calendar(&self, year: i64) -> Result<HolidayCalendar> {
        bighealth_rules::check::plan_year("year", year)?;
        let imported: Option<i64> = sqlx::query_scalar("SELECT year FROM holiday_calendars WHERE year = $1")
            .bind(year)
            .fetch_optional(self.pool())
            .await?;
        let h = self.holidays();
        let days = h
            .of_year(year as i16)
            .map(|(d, k, n)| HolidayDay {
                date: d.to_string(),
                kind: if k == DayKind::Off { "off" } else { "work" }.into(),
                name: n.into(),
            })
            .collect();
        Ok(HolidayCalendar { year, imported: imported.is_some(), days })
    }

    /// The office imports the holiday calendar of `year` (the State
    /// Council's notice as `date<TAB>休|班<TAB>name` lines); it replaces
    /// that year's days. A wrong line is named; nothing is stored then.
    pub async fn set_holiday_calendar(
        &self,
        actor: &Actor,
        year: i64,
        text: &str,
        now: i64,
    ) -> Result<HolidayCalendar> {
        actor.require(Action::Supervise)?;
        bighealth_rules::check::plan_year("year", year)?;
        bighealth_rules::check::max_chars("file", text, 20_000)?;
        let parsed = Holidays::parse_year(text, year as i16)?;
        let days = parsed.of_year(year as i16).count();
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM holiday_calendars WHERE year = $1").bind(year).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO holiday_calendars (year, text, updated_at, updated_by) VALUES ($1, $2, $3, $4)")
            .bind(year)
            .bind(text)
            .bind(now)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"year": year, "days": days}).to_string();
        self.audit(&mut tx, actor, Event::ok("set_holiday_calendar", &format!("calendar:{year}"), &detail), now)
            .await?;
        tx.commit().await?;
        self.load_holidays().await?;
        self.holiday_calendar(year).await
    }

    /// A plan's supervision settings (the defaults until the office sets them).
    pub async fn supervision_settings(&self, plan_id: i64) -> Result<Settings> {
        self.live_plan(plan_id).await?;
        self.plan_settings(SettingsTable::Supervision, plan_id).await
    }

    /// The office sets a plan's supervision settings; the old ones are kept
    /// in the audit row.
    pub async fn set_supervision_settings(
        &self,
        actor: &Actor,
        plan_id: i64,
        settings: &Settings,
        now: i64,
    ) -> Result<Settings> {
        actor.require(Action::Supervise)?;
        settings.check()?;
        if let Some(leader) = settings.leader_id {
            self.check_leader(leader).await.map_err(|e| match e {
                StoreError::Refused(r) => StoreError::Refused(r.reason.on("leader_id")),
                e => e,
            })?;
        }
        let old = self.supervision_settings(plan_id).await?;
        self.set_plan_settings(
            actor,
            SettingsTable::Supervision,
            plan_id,
            &old,
            settings,
            "set_supervision_settings",
            now,
        )
        .await?;
        Ok(settings.clone())
    }

    /// The settings of `plan`, read once per `cache`.
    pub(crate) async fn supervision_settings_in<'a>(
        &self,
        cache: &'a mut std::collections::HashMap<i64, Settings>,
        plan: i64,
    ) -> &'a Settings {
        if let std::collections::hash_map::Entry::Vacant(e) = cache.entry(plan) {
            e.insert(self.supervision_settings(plan).await.unwrap_or_default());
        }
        &cache[&plan]
    }

    /// Refuses unless account `id` exists and holds the 领导 role.
    pub(crate) async fn check_leader(&self, id: i64) -> Result<String> {
        let user = self.user(id).await.map_err(|_| Reason::Missing { object: Object::User, id })?;
        if !user.roles.contains(&bighealth_rules::Role::Leader) {
            return Err(Reason::NotALeader { id }.into());
        }
        Ok(user.display_name)
    }
}
