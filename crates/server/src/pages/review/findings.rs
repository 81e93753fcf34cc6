//! The reader's findings on the review page, accepted or resolved with a note.

use crate::AppState;
use crate::extract::Id;
use crate::pages::form::Fields;
use crate::pages::{PageResult, Viewer, render};
use axum::extract::State;
use axum::response::Html;
use axum::routing::post;
use bighealth_store::Action;
use bighealth_store::findings::FindingPatch;
use serde_json::{Value, json};

pub(super) fn finding_view(f: &bighealth_store::findings::Finding) -> Value {
    let mut v = json!(f);
    v["spans"] = f.spans.clone();
    v
}

async fn set_finding(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ManagePlans, &format!("finding:{id}")).await?;
    let patch = FindingPatch { state: form.text("state").to_string(), note: form.opt("note") };
    let finding = s.store.update_finding(&viewer.0.actor, id, &patch, s.clock.now()).await?;
    render(
        "review/finding.html",
        json!({"frame": viewer.frame("plans"), "finding": finding_view(&finding), "saved": true}),
    )
}

/// Its routes.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/review/findings/{id}", post(set_finding))
}
