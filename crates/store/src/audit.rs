//! The audit log: who did what, when, from where, and with what outcome.
//!
//! Rows are appended in the same transaction as the change they record, so a
//! change is never stored without its row. Each row carries the hash of the
//! one before it; the database refuses UPDATE and DELETE on the table
//! (triggers in both backends), and [`Store::verify_audit`] finds a row
//! altered behind the database's back.

use crate::access::Actor;
use crate::db::{Backend, Store};
use crate::error::Result;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, FromRow, Transaction};
use utoipa::ToSchema;

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When, in milliseconds since the Unix epoch.
    pub at: i64,
    /// The account, where there is one.
    pub user_id: Option<i64>,
    /// The account name as it was then.
    pub username: String,
    /// What was done (`login`, `import_plan`, `update_target`, …).
    pub action: String,
    /// What it was done to (`plan:3`, `user:7`, …).
    pub object: String,
    /// The details, such as the fields changed.
    pub detail: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: String,
    /// Where the request came from.
    pub remote: String,
    /// Hash of the previous row.
    pub prev_hash: String,
    /// Hash of this row.
    pub hash: String,
}

/// What to record.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    /// What was done.
    pub action: &'a str,
    /// What it was done to.
    pub object: &'a str,
    /// Details.
    pub detail: &'a str,
    /// `ok`, `denied` or `failed`.
    pub outcome: &'a str,
}

impl<'a> Event<'a> {
    /// A successful `action` on `object`.
    pub fn ok(action: &'a str, object: &'a str, detail: &'a str) -> Self {
        Event { action, object, detail, outcome: "ok" }
    }
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn row_hash(prev: &str, at: i64, actor: &str, e: &Event<'_>, remote: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &at.to_string(), actor, e.action, e.object, e.detail, e.outcome, remote] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Filters for [`Store::audit_log`].
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only this account name.
    pub username: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only rows before this id (for paging backwards).
    pub before: Option<i64>,
    /// At most this many rows (default 100, at most 1000).
    pub limit: Option<i64>,
}

impl Store {
    /// Appends a row inside the transaction of the change it records.
    pub async fn audit(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        event: Event<'_>,
        now: i64,
    ) -> Result<()> {
        if self.backend() == Backend::Postgres {
            // One writer at a time extends the chain.
            sqlx::query("SELECT pg_advisory_xact_lock(2260)").execute(&mut **tx).await?;
        }
        let prev: Option<String> =
            sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(&mut **tx).await?;
        let prev = prev.unwrap_or_else(|| GENESIS.to_string());
        let hash = row_hash(&prev, now, &actor.username, &event, &actor.remote);
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, username, action, object, detail, outcome, remote, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(&actor.username)
        .bind(event.action)
        .bind(event.object)
        .bind(event.detail)
        .bind(event.outcome)
        .bind(&actor.remote)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Appends a row on its own (a login, a refused request).
    pub async fn audit_now(&self, actor: &Actor, event: Event<'_>, now: i64) -> Result<()> {
        let mut tx = self.write().await?;
        self.audit(&mut tx, actor, event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rows of the audit log, newest first.
    pub async fn audit_log(&self, q: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let limit = q.limit.unwrap_or(100).clamp(1, 1000);
        let rows = sqlx::query_as::<_, AuditEntry>(
            "SELECT * FROM audit_log WHERE ($1 IS NULL OR username = $1) AND ($2 IS NULL OR action = $2) \
             AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4",
        )
        .bind(&q.username)
        .bind(&q.action)
        .bind(q.before)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Checks the hash chain; returns the id of the first row that does not
    /// match what it should hold, or `None` when the whole log is intact.
    pub async fn verify_audit(&self) -> Result<Option<i64>> {
        let rows =
            sqlx::query_as::<_, AuditEntry>("SELECT * FROM audit_log ORDER BY id").fetch_all(self.pool()).await?;
        let mut prev = GENESIS.to_string();
        for r in rows {
            let e = Event { action: &r.action, object: &r.object, detail: &r.detail, outcome: &r.outcome };
            if r.prev_hash != prev || row_hash(&prev, r.at, &r.username, &e, &r.remote) != r.hash {
                return Ok(Some(r.id));
            }
            prev = r.hash;
        }
        Ok(None)
    }
}
