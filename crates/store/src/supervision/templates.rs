//! The office's wording of the documents it issues (督办通知单, 督办情况通报):
//! the text of a template per plan and kind, kept with who changed it when
//! (the old text in the audit row). The documents crate fills and checks them.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::Result;
use bighealth_rules::check;

/// The kinds of template.
pub const TEMPLATE_KINDS: [&str; 2] = ["supervision_notice", "supervision_bulletin"];

impl Store {
    /// The office's text of template `kind` of a plan, if it set one.
    pub async fn document_template(&self, plan_id: i64, kind: &str) -> Result<Option<String>> {
        check::one_of("kind", kind, &TEMPLATE_KINDS)?;
        self.live_plan(plan_id).await?;
        Ok(sqlx::query_scalar("SELECT text FROM document_templates WHERE plan_id = $1 AND kind = $2")
            .bind(plan_id)
            .bind(kind)
            .fetch_optional(self.pool())
            .await?)
    }

    /// The office sets (or, with `None`, drops back to the shipped) text of
    /// template `kind` of a plan. The caller has checked that it fills.
    pub async fn set_document_template(
        &self,
        actor: &Actor,
        plan_id: i64,
        kind: &str,
        text: Option<&str>,
        now: i64,
    ) -> Result<()> {
        actor.require(Action::Supervise)?;
        check::one_of("kind", kind, &TEMPLATE_KINDS)?;
        if let Some(t) = text {
            check::not_empty("text", t)?;
            check::max_chars("text", t, 20_000)?;
        }
        let old = self.document_template(plan_id, kind).await?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM document_templates WHERE plan_id = $1 AND kind = $2")
            .bind(plan_id)
            .bind(kind)
            .execute(&mut *tx)
            .await?;
        if let Some(t) = text {
            sqlx::query(
                "INSERT INTO document_templates (plan_id, kind, text, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(plan_id)
            .bind(kind)
            .bind(t)
            .bind(now)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        }
        let detail = serde_json::json!({"kind": kind, "old": old, "new": text}).to_string();
        self.audit(&mut tx, actor, Event::ok("set_document_template", &format!("plan:{plan_id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
