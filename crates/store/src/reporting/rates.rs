//! Reporting rates of a plan: per period and unit, the reports expected
//! (one per unit that had an item to report in the period, from the
//! assignments of then — so a reassignment never counts a report twice) and
//! when each was first filed. Only periods whose on-time day has passed are
//! expected; the one still open is shown apart as filed so far.

use crate::access::{Action, Actor};
use crate::db::Store;
use crate::error::Result;
use bighealth_rules::calendar::date_of;
use bighealth_rules::reporting::Period;
use bighealth_rules::reporting::rates::{Expected, Rates, rates};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// The rates of one unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRates {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Its rates over the periods.
    pub rates: Rates,
}

/// The rates of one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodRates {
    /// The period.
    pub period: Period,
    /// Whether its on-time day has passed (else it is still open and not counted).
    pub counted: bool,
    /// Its rates.
    pub rates: Rates,
}

/// A plan's reporting rates over a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRates {
    /// The plan.
    pub plan_id: i64,
    /// The year.
    pub year: i64,
    /// Over every counted period and unit.
    pub total: Rates,
    /// Per period.
    pub periods: Vec<PeriodRates>,
    /// Per unit, over the counted periods.
    pub units: Vec<UnitRates>,
}

/// The reports a period was owed: whether its on-time day has passed (else
/// it is still open and not counted), and per unit when its report was
/// first filed.
#[derive(Debug, Clone)]
pub(crate) struct Filings {
    /// The period.
    pub period: Period,
    /// Whether its on-time day has passed.
    pub counted: bool,
    /// Per unit owing a report, what the rates count of it.
    pub units: Vec<(i64, Expected)>,
}

impl Store {
    /// The reporting rates of plan `plan_id` in `year`, as of `now`.
    pub async fn reporting_rates(&self, actor: &Actor, plan_id: i64, year: i64, now: i64) -> Result<PlanRates> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        bighealth_rules::check::plan_year("year", year)?;
        let filings = self.filings(plan_id, year, now).await?;
        let mut by_unit: BTreeMap<i64, Vec<Expected>> = BTreeMap::new();
        let mut all = Vec::new();
        for f in filings.iter().filter(|f| f.counted) {
            for (u, e) in &f.units {
                by_unit.entry(*u).or_default().push(*e);
                all.push(*e);
            }
        }
        let periods = filings
            .into_iter()
            .map(|f| PeriodRates {
                rates: rates(f.units.into_iter().map(|(_, e)| e)),
                counted: f.counted,
                period: f.period,
            })
            .collect();
        let total = rates(all);
        let mut units = Vec::new();
        for (unit_id, expected) in by_unit {
            let unit_name = self.unit(unit_id).await.map(|u| u.name).unwrap_or_default();
            units.push(UnitRates { unit_id, unit_name, rates: rates(expected) });
        }
        Ok(PlanRates { plan_id, year, total, periods, units })
    }

    /// Every report owed in plan `plan_id` for the periods of `year` ended
    /// by `now`, period by period (the assignments of then), with when each
    /// was first filed.
    pub(crate) async fn filings(&self, plan_id: i64, year: i64, now: i64) -> Result<Vec<Filings>> {
        self.ensure_assignments(plan_id, now).await?;
        let schedule = self.reporting_schedule(plan_id).await?;
        let today = date_of(now);
        let filed: Vec<(i64, String, Option<i64>, String)> =
            sqlx::query_as("SELECT unit_id, period, first_submitted_at, state FROM report_forms WHERE plan_id = $1")
                .bind(plan_id)
                .fetch_all(self.pool())
                .await?;
        let filed: BTreeMap<(i64, String), Option<i64>> = filed
            .into_iter()
            .map(|(u, p, at, state)| {
                let reported = bighealth_rules::reporting::workflow::State::parse(&state).is_some_and(|s| s.reported());
                ((u, p), at.filter(|_| reported))
            })
            .collect();
        let mut out = Vec::new();
        for period in schedule.periods_of_year(year as i16, &self.holidays()) {
            if today <= period.end {
                continue;
            }
            let units: BTreeSet<i64> =
                self.assignments(plan_id, None, &period).await?.into_iter().map(|a| a.unit_id).collect();
            let units = units
                .into_iter()
                .map(|u| {
                    let at = filed.get(&(u, period.key.clone())).copied().flatten();
                    (u, Expected { on_time_until: period.on_time_until, filed_on: at.map(date_of) })
                })
                .collect();
            out.push(Filings { counted: today > period.on_time_until, period, units });
        }
        Ok(out)
    }
}
