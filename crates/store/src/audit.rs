//! The audit log: who did what, when, from where, and with what outcome.
//!
//! Rows are appended in the same transaction as the change they record, so a
//! change is never stored without its row. Each row carries a sequence
//! number and an HMAC-SHA256, under a key kept outside the database
//! ([`crate::audit_key`]), of every one of its columns and the row before;
//! the database refuses UPDATE and DELETE on the table (triggers in both
//! backends). [`Store::verify_audit`] finds a row altered, removed or added
//! behind the database's back — even by someone who dropped the triggers and
//! recomputed the chain without the key — and a log cut back, against the
//! signed checkpoints beside the key. Rows written before the chain was keyed
//! keep their plain hashes and are checked as they were written.

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
    /// Position in the chain (none on rows from before it was keyed).
    pub seq: Option<i64>,
    /// 1: a plain hash; 2: keyed over every column.
    pub scheme: i64,
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

/// A row's keyed hash: every column, and the hash of the row before.
#[allow(clippy::too_many_arguments)]
fn keyed_hash(
    key: &crate::audit_key::AuditKey,
    prev: &str,
    seq: i64,
    at: i64,
    user_id: Option<i64>,
    actor: &str,
    e: &Event<'_>,
    remote: &str,
) -> String {
    let mut message = Vec::new();
    let (seq, at, user) = (seq.to_string(), at.to_string(), user_id.map(|u| u.to_string()).unwrap_or_default());
    for part in ["2", prev, &seq, &at, &user, actor, e.action, e.object, e.detail, e.outcome, remote] {
        message.extend_from_slice(part.as_bytes());
        message.push(0);
    }
    key.mac(&message)
}

/// The hash a row written before the chain was keyed carries.
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
        let last: Option<(String, i64)> =
            sqlx::query_as("SELECT hash, COALESCE(seq, id) FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?;
        let (prev, seq) = match last {
            Some((hash, seq)) => (hash, seq + 1),
            None => (GENESIS.to_string(), 1),
        };
        let hash = keyed_hash(&self.audit_key, &prev, seq, now, actor.user_id, &actor.username, &event, &actor.remote);
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, username, action, object, detail, outcome, remote, prev_hash, hash, \
             seq, scheme) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 2)",
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
        .bind(seq)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Writes a signed checkpoint of the last audit row to the file beside
    /// the key (the server does so every minute, and every verification),
    /// unless the last checkpoint already names that row. After a restore
    /// the restored log's last row is the truth from there on.
    pub async fn checkpoint_audit(&self) -> Result<()> {
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM audit_log WHERE scheme = 2 ORDER BY seq DESC LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        let Some((seq, hash)) = last else { return Ok(()) };
        let checkpoint = crate::audit_key::Checkpoint { seq, hash };
        if self.audit_key.last_checkpoint().as_ref() != Some(&checkpoint) {
            self.audit_key
                .write_checkpoint(&checkpoint)
                .map_err(|e| crate::error::StoreError::Key { path: "checkpoints".into(), problem: e.to_string() })?;
        }
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

    /// Checks the whole chain; returns the id of the first row that does not
    /// hold what was written (for rows cut from the end, the id after the
    /// last left), or `None` when the log is intact; then writes a new
    /// checkpoint.
    pub async fn verify_audit(&self) -> Result<Option<i64>> {
        self.verify_audit_from(false).await
    }

    /// Checks the rows written since the last signed checkpoint (and that
    /// the checkpoint's row is still as it was): what a view of the log
    /// does, without re-hashing a long log every time.
    pub async fn verify_audit_recent(&self) -> Result<Option<i64>> {
        self.verify_audit_from(true).await
    }

    async fn verify_audit_from(&self, recent: bool) -> Result<Option<i64>> {
        let from = self.audit_key.last_checkpoint();
        let rows = match &from {
            Some(c) if recent => {
                sqlx::query_as::<_, AuditEntry>("SELECT * FROM audit_log WHERE seq >= $1 ORDER BY id")
                    .bind(c.seq)
                    .fetch_all(self.pool())
                    .await?
            }
            _ => Vec::new(),
        };
        let anchored = match (&from, rows.first()) {
            (Some(c), Some(first)) => first.seq == Some(c.seq) && first.hash == c.hash && first.scheme == 2,
            _ => false,
        };
        let bad = if anchored {
            // From the checkpoint's row, whose own keyed hash is checked too.
            self.check_chain(&rows, rows[0].prev_hash.clone(), rows[0].seq.unwrap_or_default() - 1)
        } else {
            let all =
                sqlx::query_as::<_, AuditEntry>("SELECT * FROM audit_log ORDER BY id").fetch_all(self.pool()).await?;
            match (self.check_chain(&all, GENESIS.to_string(), 0), &from) {
                (Some(id), _) => Some(id),
                // The chain holds, yet the checkpoint's row is not there: the
                // log was cut back.
                (None, Some(c)) if !all.iter().any(|r| r.seq == Some(c.seq) && r.hash == c.hash) => {
                    Some(all.last().map_or(1, |r| r.id + 1))
                }
                (None, _) => None,
            }
        };
        if bad.is_none() {
            self.checkpoint_audit().await?;
        }
        Ok(bad)
    }

    /// The id of the first of `rows` (in order, after a row with hash
    /// `prev` at position `seq`) that does not hold what was written.
    fn check_chain(&self, rows: &[AuditEntry], mut prev: String, mut seq: i64) -> Option<i64> {
        for r in rows {
            let e = Event { action: &r.action, object: &r.object, detail: &r.detail, outcome: &r.outcome };
            let holds = r.prev_hash == prev
                && match (r.scheme, r.seq) {
                    (2, Some(s)) => {
                        // Rows before the key had no position: the first keyed
                        // row follows the last of them by id.
                        s == seq + 1
                            && keyed_hash(&self.audit_key, &prev, s, r.at, r.user_id, &r.username, &e, &r.remote)
                                == r.hash
                    }
                    (1, None) => row_hash(&prev, r.at, &r.username, &e, &r.remote) == r.hash,
                    _ => false,
                };
            if !holds {
                return Some(r.id);
            }
            prev = r.hash.clone();
            seq = r.seq.unwrap_or(r.id);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use bighealth_rules::labels::{AUDIT_ACTIONS, audit_action};

    /// Every `Event::ok("…"` written in the store's sources, and the review
    /// steps' `{step}_report`.
    fn actions_written() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("the sources") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source");
                    for (i, m) in text.match_indices("Event::ok(\"") {
                        let rest = &text[i + m.len()..];
                        let name = rest.split('"').next().unwrap_or_default();
                        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                            out.push(name.to_string());
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        // A review of a form is audited as its step (`Store::review_report`).
        use bighealth_rules::reporting::workflow::Step;
        for step in [Step::Return, Step::Approve, Step::Accept] {
            out.push(format!("{}_report", step.as_str()));
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn every_action_the_store_audits_has_a_chinese_name_and_a_place_in_the_filter() {
        let written = actions_written();
        assert!(written.len() > 40, "the sources were read: {written:?}");
        for a in &written {
            let name = audit_action(a);
            assert_ne!(
                name, "其他操作",
                "the audit page names {a} 其他操作: give it a name in bighealth_rules::labels"
            );
            assert!(AUDIT_ACTIONS.contains(&a.as_str()), "{a} is not among the audit page's filters (AUDIT_ACTIONS)");
        }
    }
}
