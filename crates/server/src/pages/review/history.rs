//! The history of one record: every change, who made it and when.

use crate::AppState;
use crate::pages::{PageError, PageResult, Viewer, render};
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_rules::refusal::Reason;
use bighealth_store::Action;
use serde_json::json;

/// The kinds of record whose history a page shows.
const HISTORIES: [&str; 6] = ["task", "target", "project", "finding", "unit", "proposal"];

async fn history(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((entity, id)): Path<(String, String)>,
) -> PageResult<Html<String>> {
    let Some(entity) = HISTORIES.iter().find(|e| **e == entity) else {
        return Err(Reason::NoSuchHistory { kind: entity }.into());
    };
    let label = bighealth_rules::labels::object_kind(entity);
    let id: i64 = id.parse().map_err(|_| PageError::bad_parameter("id", Reason::IdMalformed { raw: id }))?;
    let action = if *entity == "unit" { Action::ReadUnits } else { Action::ReadPlans };
    viewer.require(&s, action, &format!("{entity}:{id}")).await?;
    let entries = s.store.history(entity, id).await?;
    render("review/history.html", json!({"entries": entries, "label": label, "entity": entity, "id": id}))
}

/// Its routes.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/review/history/{entity}/{id}", get(history))
}
