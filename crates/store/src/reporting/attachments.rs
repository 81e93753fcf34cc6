//! Evidence attached to a form's item (佐证材料): a PDF, an image, a Word or
//! Excel file, kept byte for byte with its SHA-256, its type checked by its
//! first bytes and its size capped; downloaded by whoever may read the form.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use bighealth_rules::check;
use bighealth_rules::reporting::entry::{ItemKind, attachment_type};
use serde::Serialize;
use sqlx::FromRow;
use utoipa::ToSchema;

/// An attachment, without its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct Attachment {
    /// Id.
    pub id: i64,
    /// `task`, `target` or `project`.
    pub kind: String,
    /// The item.
    pub item_id: i64,
    /// The file's name.
    pub file_name: String,
    /// Its type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its SHA-256.
    pub sha256: String,
    /// When it was uploaded (ms).
    pub uploaded_at: i64,
}

impl Store {
    /// Attaches `bytes` as evidence to item `kind`/`item` of `unit`'s form
    /// for period `key` (the unit's reporter, while the period is open).
    #[allow(clippy::too_many_arguments)]
    pub async fn attach(
        &self,
        actor: &Actor,
        plan_id: i64,
        unit: i64,
        key: &str,
        kind: ItemKind,
        item: i64,
        name: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<Attachment> {
        actor.require(Action::Report)?;
        if !actor.units.contains(&unit) {
            return Err(Reason::NotYourForm {}.into());
        }
        check::not_empty("name", name)?;
        check::max_chars("name", name, check::SHORT)?;
        let content_type = attachment_type(name, bytes)?;
        let form = self.report_form(actor, plan_id, unit, key, now).await?;
        if !form.items.iter().any(|i| i.kind == kind && i.item_id == item) {
            return Err(StoreError::invalid("item", Reason::NotYourItem { kind: kind.label().into(), id: item }));
        }
        self.check_open(plan_id, unit, &form.period, now).await?;
        let sha = bighealth_reader::sha256_hex(bytes);
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO report_attachments (plan_id, unit_id, period, kind, item_id, file_name, content_type, size, \
             sha256, bytes, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(plan_id)
        .bind(unit)
        .bind(key)
        .bind(kind.as_str())
        .bind(item)
        .bind(name.trim())
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(&sha)
        .bind(bytes)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({"period": key, "unit": unit, "item": format!("{}:{item}", kind.as_str()),
            "file": name.trim(), "sha256": sha, "size": bytes.len()})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("attach", &format!("attachment:{id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(self.attachments(plan_id, unit, key).await?.into_iter().find(|a| a.id == id).ok_or(Reason::Internal {})?)
    }

    /// The attachments of `unit`'s form for period `key`, oldest first.
    pub async fn attachments(&self, plan_id: i64, unit: i64, key: &str) -> Result<Vec<Attachment>> {
        Ok(sqlx::query_as(
            "SELECT id, kind, item_id, file_name, content_type, size, sha256, uploaded_at FROM report_attachments \
             WHERE plan_id = $1 AND unit_id = $2 AND period = $3 AND deleted_at IS NULL ORDER BY id",
        )
        .bind(plan_id)
        .bind(unit)
        .bind(key)
        .fetch_all(self.pool())
        .await?)
    }

    /// An attachment's name, type and bytes, for who may read its form.
    pub async fn attachment(&self, actor: &Actor, id: i64) -> Result<(String, String, Vec<u8>)> {
        let row: Option<(i64, String, String, Vec<u8>)> = sqlx::query_as(
            "SELECT unit_id, file_name, content_type, bytes FROM report_attachments WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some((unit, name, content_type, bytes)) = row else {
            return Err(StoreError::not_found(Object::Attachment, id));
        };
        Store::may_read_form(actor, unit)?;
        Ok((name, content_type, bytes))
    }
}
