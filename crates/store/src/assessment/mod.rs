//! Annual assessment (年考核) in the store: the office's scoring schemes of
//! a plan and year, each save a new version that never changes
//! (`scoring_schemes`); the office's entries and the units'
//! self-assessments ([`entries`]); a year scored from what was reported and
//! supervised, published with its 通报 and the 限期整改 items it opens
//! ([`results`]). The rules themselves — how an item scores, ranks, grades —
//! are `bighealth_rules::scoring`.

pub mod entries;
pub mod results;

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Reason, Result, StoreError};
use bighealth_rules::check;
use bighealth_rules::scoring::Scheme;
use serde::Serialize;
use utoipa::ToSchema;

/// A version of a plan's scoring scheme for a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeVersion {
    /// The plan.
    pub plan_id: i64,
    /// The year assessed.
    pub year: i64,
    /// Its version: 1, 2…; 0 for the defaults, never saved.
    pub version: i64,
    /// Its row (none for the defaults).
    pub id: Option<i64>,
    /// The scheme.
    pub scheme: Scheme,
    /// What the office wrote of this version.
    pub note: Option<String>,
    /// When it was saved (ms).
    pub created_at: Option<i64>,
    /// Whether a published result used it (it is kept as it was, forever).
    pub used: bool,
}

type SchemeRow = (i64, i64, String, Option<String>, i64, i64);

impl Store {
    /// The scheme plan `plan_id` scores `year` by: its latest version, or
    /// the defaults (`CYCLE.md` §3) when the office saved none.
    pub async fn scoring_scheme(&self, actor: &Actor, plan_id: i64, year: i64) -> Result<SchemeVersion> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        Ok(self.scheme_versions(plan_id, year).await?.into_iter().next().unwrap_or(SchemeVersion {
            plan_id,
            year,
            version: 0,
            id: None,
            scheme: Scheme::default(),
            note: None,
            created_at: None,
            used: false,
        }))
    }

    /// Every saved version of plan `plan_id`'s scheme for `year`, the newest first.
    pub async fn scoring_scheme_versions(&self, actor: &Actor, plan_id: i64, year: i64) -> Result<Vec<SchemeVersion>> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        self.scheme_versions(plan_id, year).await
    }

    async fn scheme_versions(&self, plan_id: i64, year: i64) -> Result<Vec<SchemeVersion>> {
        let rows: Vec<SchemeRow> = sqlx::query_as(
            "SELECT s.id, s.version, s.scheme, s.note, s.created_at, \
             (SELECT COUNT(*) FROM assessment_results r WHERE r.scheme_id = s.id) \
             FROM scoring_schemes s WHERE s.plan_id = $1 AND s.year = $2 ORDER BY s.version DESC",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, version, scheme, note, created_at, used)| SchemeVersion {
                plan_id,
                year,
                version,
                id: Some(id),
                scheme: serde_json::from_str(&scheme).unwrap_or_default(),
                note,
                created_at: Some(created_at),
                used: used > 0,
            })
            .collect())
    }

    /// The office saves a scheme for plan `plan_id` and `year` as its next
    /// version; earlier versions, and the results that used them, stay as
    /// they were.
    pub async fn save_scoring_scheme(
        &self,
        actor: &Actor,
        plan_id: i64,
        year: i64,
        scheme: &Scheme,
        note: Option<&str>,
        now: i64,
    ) -> Result<SchemeVersion> {
        actor.require(Action::Assess)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        scheme.check()?;
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        check::max_chars("note", note.unwrap_or(""), check::LONG)?;
        let text = serde_json::to_string(scheme).map_err(|_| StoreError::invalid("scheme", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        let version: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_schemes WHERE plan_id = $1 AND year = $2",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scoring_schemes (plan_id, year, version, scheme, note, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(plan_id)
        .bind(year)
        .bind(version)
        .bind(&text)
        .bind(note)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail =
            serde_json::json!({"plan": plan_id, "year": year, "version": version, "scheme": scheme}).to_string();
        self.audit(&mut tx, actor, Event::ok("save_scoring_scheme", &format!("plan:{plan_id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(SchemeVersion {
            plan_id,
            year,
            version,
            id: Some(id),
            scheme: scheme.clone(),
            note: note.map(String::from),
            created_at: Some(now),
            used: false,
        })
    }
}
