//! Reminders (催报) and what a unit has due: the office sends a reminder
//! about a period to the units that have not reported; a reporter sees its
//! due and late forms and the reminders sent to it.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::Result;
use bighealth_rules::calendar::date_of;
use bighealth_rules::check;
use bighealth_rules::reporting::Period;
use bighealth_rules::reporting::workflow::State;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// A reminder to send.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReminder {
    /// The units to remind; empty: every unit that has not reported.
    #[serde(default)]
    pub units: Vec<i64>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// A reminder sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reminder {
    /// The plan.
    pub plan_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The period's key.
    pub period: String,
    /// The note.
    pub note: Option<String>,
    /// When (ms).
    pub sent_at: i64,
}

/// A form a unit has to fill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Due {
    /// The plan.
    pub plan_id: i64,
    /// Its title.
    pub plan_title: Option<String>,
    /// The unit.
    pub unit_id: i64,
    /// The period.
    pub period: Period,
    /// Where the form stands (`None`: not begun).
    pub state: Option<State>,
    /// Past its on-time day and not reported.
    pub late: bool,
}

impl Store {
    /// The office reminds units of period `key` of plan `plan_id`; answers
    /// the units reminded.
    pub async fn remind(
        &self,
        actor: &Actor,
        plan_id: i64,
        key: &str,
        new: &NewReminder,
        now: i64,
    ) -> Result<Vec<i64>> {
        actor.require(Action::ReviewReports)?;
        check::max_items("units", new.units.len(), 10_000)?;
        if let Some(n) = &new.note {
            check::max_chars("note", n, check::LONG)?;
        }
        let forms = self.report_forms(actor, plan_id, key, now).await?;
        let wanted: BTreeSet<i64> = new.units.iter().copied().collect();
        let units: Vec<i64> = forms
            .iter()
            .filter(|f| !f.state.is_some_and(State::reported))
            .map(|f| f.unit_id)
            .filter(|u| wanted.is_empty() || wanted.contains(u))
            .collect();
        let note = new.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let mut tx = self.write().await?;
        for u in &units {
            sqlx::query(
                "INSERT INTO report_reminders (plan_id, unit_id, period, note, sent_at, sent_by) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(plan_id)
            .bind(u)
            .bind(key)
            .bind(note)
            .bind(now)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({"period": key, "units": units, "note": note}).to_string();
        self.audit(&mut tx, actor, Event::ok("remind", &format!("plan:{plan_id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(units)
    }

    /// The reminders sent to `actor`'s units, newest first.
    pub async fn my_reminders(&self, actor: &Actor) -> Result<Vec<Reminder>> {
        actor.require(Action::Report)?;
        let mut out = Vec::new();
        for unit in &actor.units {
            let rows: Vec<(i64, i64, String, Option<String>, i64)> = sqlx::query_as(
                "SELECT plan_id, unit_id, period, note, sent_at FROM report_reminders WHERE unit_id = $1 \
                 ORDER BY sent_at DESC LIMIT 100",
            )
            .bind(unit)
            .fetch_all(self.pool())
            .await?;
            out.extend(rows.into_iter().map(|(plan_id, unit_id, period, note, sent_at)| Reminder {
                plan_id,
                unit_id,
                period,
                note,
                sent_at,
            }));
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.sent_at));
        Ok(out)
    }

    /// What `actor`'s units have to report as of `now`: the period to report
    /// now and every earlier period of the year not yet reported, per plan.
    pub async fn my_due(&self, actor: &Actor, now: i64) -> Result<Vec<Due>> {
        actor.require(Action::Report)?;
        let today = date_of(now);
        let mut out = Vec::new();
        for plan in self.plans(None, false).await? {
            self.ensure_assignments(plan.id, now).await?;
            let schedule = self.reporting_schedule(plan.id).await?;
            let current = schedule.period_to_report(today, &self.holidays());
            let mut periods: Vec<Period> = schedule
                .periods_of_year(current.end.year(), &self.holidays())
                .into_iter()
                .filter(|p| p.end <= current.end)
                .collect();
            periods.reverse();
            for period in periods {
                for &unit in &actor.units {
                    if self.assignments(plan.id, Some(unit), &period).await?.is_empty() {
                        continue;
                    }
                    let state: Option<String> = sqlx::query_scalar(
                        "SELECT state FROM report_forms WHERE plan_id = $1 AND unit_id = $2 AND period = $3",
                    )
                    .bind(plan.id)
                    .bind(unit)
                    .bind(&period.key)
                    .fetch_optional(self.pool())
                    .await?;
                    let state = state.as_deref().and_then(State::parse);
                    let reported = state.is_some_and(State::reported);
                    if reported && period.key != current.key {
                        continue;
                    }
                    out.push(Due {
                        plan_id: plan.id,
                        plan_title: plan.title.clone(),
                        unit_id: unit,
                        late: !reported && today > period.on_time_until,
                        state,
                        period: period.clone(),
                    });
                }
            }
        }
        Ok(out)
    }
}
