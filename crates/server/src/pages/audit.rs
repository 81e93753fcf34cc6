//! The 审计员's audit log: every action, who took it, on what, with what
//! outcome, in Chinese, and whether the hash chain holds. Nobody else sees it.

use super::{PageResult, Viewer, opt_id, opt_text, render};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_rules::labels;
use bighealth_store::Action;
use bighealth_store::audit::AuditQuery;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
struct AuditFilter {
    username: Option<String>,
    action: Option<String>,
    before: Option<String>,
    full: Option<String>,
}

async fn audit(State(s): State<AppState>, viewer: Viewer, Query(f): Query<AuditFilter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadAudit, "audit").await?;
    let q = AuditQuery {
        username: opt_text(&f.username),
        action: opt_text(&f.action),
        before: opt_id("before", &f.before)?,
        limit: Some(200),
    };
    let entries = s.store.audit_log(&q).await?;
    // The rows since the last checkpoint; the whole log when asked.
    let full = f.full.as_deref() == Some("1");
    let broken = if full { s.store.verify_audit().await? } else { s.store.verify_audit_recent().await? };
    let older = entries.last().filter(|_| entries.len() == 200).map(|e| e.id);
    let objects: Vec<&str> = entries.iter().map(|e| e.object.as_str()).collect();
    let names = s.store.object_names(&objects).await?;
    let shown: Vec<Value> = entries
        .iter()
        .map(|e| {
            let object = match names.get(&e.object) {
                Some(name) => format!("{}：{name}", labels::object(&e.object)),
                None if e.object.starts_with('/') => format!("地址 {}", e.object),
                None => labels::object(&e.object),
            };
            json!({
                "id": e.id, "at": e.at, "username": e.username, "remote": e.remote,
                "action": labels::audit_action(&e.action), "object": object,
                "detail": labels::audit_detail(&e.action, &e.detail),
                "outcome": labels::outcome(&e.outcome), "ok": e.outcome == "ok",
                "raised": labels::raised(&e.action, &e.detail),
            })
        })
        .collect();
    let actions: Vec<Value> =
        labels::AUDIT_ACTIONS.iter().map(|a| json!({"key": a, "name": labels::audit_action(a)})).collect();
    render(
        "audit/audit.html",
        json!({
            "raised": shown.iter().filter(|e| e["raised"] == true).count(),
            "frame": viewer.frame("audit"), "entries": shown, "broken": broken, "older": older, "actions": actions,
            "f": {"username": opt_text(&f.username).unwrap_or_default(), "action": opt_text(&f.action).unwrap_or_default()},
        }),
    )
}

/// The administrators' routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(audit))
}
