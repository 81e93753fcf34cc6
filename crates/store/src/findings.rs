//! Findings of the reader, stored with each plan for review: each is open
//! until the office marks it resolved (fixed) or accepted (not a problem).

use crate::access::{Action, Actor};
use crate::db::Store;
use crate::error::{Object, Result, StoreError};
use crate::history::Change;
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::{Any, FromRow, Transaction};
use utoipa::{IntoParams, ToSchema};

/// The states of a finding.
pub const STATES: [&str; 3] = ["open", "resolved", "accepted"];

/// A stored finding.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Finding {
    /// Id.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// Order within the plan.
    pub position: i64,
    /// Code (`total_mismatch`, `unit_near_miss`, …).
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Places in the source text, as `[start, end)` pairs.
    #[schema(value_type = Vec<Vec<i64>>)]
    pub spans: serde_json::Value,
    /// `open`, `resolved` or `accepted`.
    pub state: String,
    /// The office's note.
    pub note: Option<String>,
}

#[derive(FromRow)]
struct FindingRow {
    id: i64,
    plan_id: i64,
    position: i64,
    code: String,
    message: String,
    spans: String,
    state: String,
    note: Option<String>,
}

impl From<FindingRow> for Finding {
    fn from(r: FindingRow) -> Finding {
        Finding {
            id: r.id,
            plan_id: r.plan_id,
            position: r.position,
            code: r.code,
            message: r.message,
            spans: serde_json::from_str(&r.spans).unwrap_or_default(),
            state: r.state,
            note: r.note,
        }
    }
}

/// Filters for [`Store::findings`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindingQuery {
    /// Only this plan.
    #[param(minimum = 1)]
    pub plan: Option<i64>,
    /// Only this state.
    #[param(pattern = "^(open|resolved|accepted)$")]
    pub state: Option<String>,
    /// Only this code.
    pub code: Option<String>,
}

/// A change of a finding's state.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingPatch {
    /// `open`, `resolved` or `accepted`.
    pub state: String,
    /// Why.
    pub note: Option<String>,
}

impl Store {
    /// Findings matching `q`.
    pub async fn findings(&self, q: &FindingQuery) -> Result<Vec<Finding>> {
        if let Some(s) = &q.state {
            check::one_of("state", s, &STATES)?;
        }
        let rows = sqlx::query_as::<_, FindingRow>(
            "SELECT f.id, f.plan_id, f.position, f.code, f.message, f.spans, f.state, f.note FROM findings f \
             JOIN plans p ON p.id = f.plan_id WHERE p.deleted_at IS NULL AND ($1 IS NULL OR f.plan_id = $1) \
             AND ($2 IS NULL OR f.state = $2) AND ($3 IS NULL OR f.code = $3) ORDER BY f.plan_id, f.position",
        )
        .bind(q.plan)
        .bind(&q.state)
        .bind(&q.code)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(Finding::from).collect())
    }

    /// One finding.
    pub async fn finding(&self, id: i64) -> Result<Finding> {
        sqlx::query_as::<_, FindingRow>(
            "SELECT id, plan_id, position, code, message, spans, state, note FROM findings WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .map(Finding::from)
        .ok_or_else(|| StoreError::not_found(Object::Finding, id))
    }

    /// Marks a finding open, resolved or accepted.
    pub async fn update_finding(&self, actor: &Actor, id: i64, p: &FindingPatch, now: i64) -> Result<Finding> {
        actor.require(Action::ManagePlans)?;
        check::one_of("state", &p.state, &STATES)?;
        if let Some(note) = &p.note {
            check::max_chars("note", note, check::LONG)?;
        }
        let f = self.finding(id).await?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE findings SET state = $1, note = $2 WHERE id = $3")
            .bind(&p.state)
            .bind(&p.note)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, actor, Change::new("finding", id, "state", &f.state, &p.state), now).await?;
        if p.note != f.note {
            self.record(&mut tx, actor, Change::new("finding", id, "note", &f.note, &p.note), now).await?;
        }
        tx.commit().await?;
        self.finding(id).await
    }
}

/// Stores one finding of the reader, open.
pub(crate) async fn insert_finding(
    tx: &mut Transaction<'static, Any>,
    plan_id: i64,
    position: i64,
    f: &bighealth_reader::Finding,
) -> Result<()> {
    let spans = serde_json::to_string(&f.spans).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO findings (plan_id, position, code, message, spans, state) VALUES ($1, $2, $3, $4, $5, 'open')",
    )
    .bind(plan_id)
    .bind(position)
    .bind(&f.code)
    .bind(&f.message)
    .bind(spans)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
