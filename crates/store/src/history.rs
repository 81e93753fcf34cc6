//! The history of corrections: every change to a stored field keeps the value
//! it replaced, who changed it and when. Recording a change also writes the
//! audit log, in the same transaction.

use crate::access::Actor;
use crate::audit::Event;
use crate::db::Store;
use crate::error::Result;
use serde::Serialize;
use sqlx::{Any, FromRow, Transaction};
use utoipa::ToSchema;

/// One field's change, about to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// `task`, `target`, `project`, `unit`, `plan`, `finding`, `user`.
    pub entity: &'static str,
    /// The record's id.
    pub id: i64,
    /// The field.
    pub field: String,
    /// The value before, as JSON.
    pub old: serde_json::Value,
    /// The value after, as JSON.
    pub new: serde_json::Value,
}

impl Change {
    /// A change of `field` from `old` to `new`.
    pub fn new<O: Serialize + ?Sized, N: Serialize + ?Sized>(
        entity: &'static str,
        id: i64,
        field: &str,
        old: &O,
        new: &N,
    ) -> Change {
        Change {
            entity,
            id,
            field: field.into(),
            old: serde_json::to_value(old).unwrap_or(serde_json::Value::Null),
            new: serde_json::to_value(new).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A recorded change.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// Sequence number.
    pub id: i64,
    /// The kind of record.
    pub entity: String,
    /// The record's id.
    pub entity_id: i64,
    /// The field changed.
    pub field: String,
    /// The value before.
    pub old_value: serde_json::Value,
    /// The value after.
    pub new_value: serde_json::Value,
    /// The account that changed it (none for a local command).
    pub user_id: Option<i64>,
    /// The account's name.
    pub username: Option<String>,
    /// When (ms since the epoch).
    pub at: i64,
}

#[derive(FromRow)]
struct HistoryRow {
    id: i64,
    entity: String,
    entity_id: i64,
    field: String,
    old_value: String,
    new_value: String,
    user_id: Option<i64>,
    username: Option<String>,
    at: i64,
}

impl Store {
    /// Records `change` (history and audit log) inside `tx`.
    pub async fn record(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        change: Change,
        now: i64,
    ) -> Result<()> {
        // A value set to what it was is no change: nothing to keep.
        if change.old == change.new {
            return Ok(());
        }
        let old = change.old.to_string();
        let new = change.new.to_string();
        sqlx::query(
            "INSERT INTO history (entity, entity_id, field, old_value, new_value, user_id, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(change.entity)
        .bind(change.id)
        .bind(&change.field)
        .bind(&old)
        .bind(&new)
        .bind(actor.user_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        let action = format!("update_{}", change.entity);
        let object = format!("{}:{}", change.entity, change.id);
        let detail = serde_json::json!({"field": change.field, "old": change.old, "new": change.new}).to_string();
        self.audit(tx, actor, Event::ok(&action, &object, &detail), now).await
    }

    /// Sets one column of one row to `new` and records the change from
    /// `old`, inside `tx`. `table` and `field` are the code's own names, never
    /// a user's.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn set_field<T>(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        (table, entity, id): (&str, &'static str, i64),
        field: &str,
        old: &(impl Serialize + ?Sized),
        new: T,
        now: i64,
    ) -> Result<()>
    where
        T: for<'q> sqlx::Encode<'q, Any> + sqlx::Type<Any> + Serialize + Send + 'static,
    {
        let change = Change::new(entity, id, field, old, &new);
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {field} = $1 WHERE id = $2")))
            .bind(new)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        self.record(tx, actor, change, now).await
    }

    /// Deletes (`true`) or restores (`false`) a row, in a transaction of its
    /// own: sets its `deleted_at` and records the change. Nothing happens
    /// when the row is already in that state (`was` is its `deleted_at`).
    pub(crate) async fn set_deleted(
        &self,
        actor: &Actor,
        (table, entity, id): (&str, &'static str, i64),
        was: Option<i64>,
        deleted: bool,
        now: i64,
    ) -> Result<()> {
        if was.is_some() == deleted {
            return Ok(());
        }
        let mut tx = self.write().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET deleted_at = $1 WHERE id = $2")))
            .bind(deleted.then_some(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, actor, Change::new(entity, id, "deleted", &was.is_some(), &deleted), now).await?;
        tx.commit().await?;
        // A deleted item is nobody's to report from the current period on.
        if matches!(table, "tasks" | "targets" | "projects") {
            let plan: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT plan_id FROM {table} WHERE id = $1")))
                    .bind(id)
                    .fetch_one(self.pool())
                    .await?;
            self.sync_assignments(plan, now).await?;
        }
        Ok(())
    }

    /// The changes of one record, oldest first.
    pub async fn history(&self, entity: &str, id: i64) -> Result<Vec<HistoryEntry>> {
        let rows = sqlx::query_as::<_, HistoryRow>(
            "SELECT h.id, h.entity, h.entity_id, h.field, h.old_value, h.new_value, h.user_id, u.username, h.at \
             FROM history h LEFT JOIN users u ON u.id = h.user_id WHERE h.entity = $1 AND h.entity_id = $2 ORDER BY h.id",
        )
        .bind(entity)
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| HistoryEntry {
                id: r.id,
                entity: r.entity,
                entity_id: r.entity_id,
                field: r.field,
                old_value: serde_json::from_str(&r.old_value).unwrap_or(serde_json::Value::String(r.old_value)),
                new_value: serde_json::from_str(&r.new_value).unwrap_or(serde_json::Value::String(r.new_value)),
                user_id: r.user_id,
                username: r.username,
                at: r.at,
            })
            .collect())
    }
}
