//! The history of one record: every change, who made it and when.

use crate::AppState;
use crate::pages::{PageError, PageResult, Viewer, render};
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_rules::labels;
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
    let mut entries = s.store.history(entity, id).await?;
    // A unit's name wherever the history kept its id.
    let units: Vec<String> = entries
        .iter()
        .filter(|e| labels::UNIT_FIELDS.contains(&e.field.as_str()))
        .flat_map(|e| [&e.old_value, &e.new_value])
        .filter_map(|v| v.as_i64())
        .map(|u| format!("unit:{u}"))
        .collect();
    let names = s.store.object_names(&units.iter().map(String::as_str).collect::<Vec<_>>()).await?;
    for e in entries.iter_mut().filter(|e| labels::UNIT_FIELDS.contains(&e.field.as_str())) {
        for v in [&mut e.old_value, &mut e.new_value] {
            if let Some(name) = v.as_i64().and_then(|u| names.get(&format!("unit:{u}"))) {
                *v = json!(name);
            }
        }
    }
    render("review/history.html", json!({"entries": entries, "label": label, "entity": entity, "id": id}))
}

/// Its routes.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/review/history/{entity}/{id}", get(history))
}
