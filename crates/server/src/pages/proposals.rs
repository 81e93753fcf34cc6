//! 变更申请: the changes reporters proposed to what a plan says, for the
//! office to approve (the change is applied, with its history) or reject.
//! Everyone who reads the plan sees them; only the office decides.

use super::form::Fields;
use super::{PageResult, Viewer, opt_id, opt_text, render};
use crate::AppState;
use crate::extract::Id;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::refusal::Kind;
use bighealth_store::proposals::{Decision, Proposal, ProposalQuery, STATES};
use bighealth_store::{Action, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct ProposalFilter {
    plan: Option<String>,
    state: Option<String>,
}

/// A proposal with the names of its plan and record.
fn view(p: &Proposal, names: &HashMap<String, String>) -> Value {
    let mut v = json!(p);
    v["record"] = json!(names.get(&format!("{}:{}", p.entity, p.entity_id)));
    v["plan_name"] = json!(names.get(&format!("plan:{}", p.plan_id)));
    v
}

async fn list(State(s): State<AppState>, viewer: Viewer, Query(f): Query<ProposalFilter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "proposals").await?;
    let state = opt_text(&f.state).unwrap_or_else(|| "pending".into());
    let state = (state != "all").then_some(state);
    let q = ProposalQuery { plan: opt_id("plan", &f.plan)?, state: state.clone(), ..Default::default() };
    let proposals = s.store.proposals(&q).await?;
    let objects: Vec<String> = proposals
        .iter()
        .flat_map(|p| [format!("{}:{}", p.entity, p.entity_id), format!("plan:{}", p.plan_id)])
        .collect();
    let names = s.store.object_names(&objects.iter().map(String::as_str).collect::<Vec<_>>()).await?;
    let rows: Vec<Value> = proposals.iter().map(|p| view(p, &names)).collect();
    let states: Vec<Value> =
        STATES.iter().map(|k| json!({"key": k, "name": bighealth_rules::labels::state(k)})).collect();
    render(
        "proposals/proposals.html",
        json!({
            "frame": viewer.frame("proposals"), "proposals": rows, "states": states,
            "f": {"plan": opt_text(&f.plan).unwrap_or_default(), "state": state.unwrap_or_else(|| "all".into())},
        }),
    )
}

async fn decide(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Response> {
    let decision = Decision { approve: form.text("approve") == "1", note: form.opt("note") };
    let (status, proposal, error) = match s.store.decide_proposal(&viewer.0.actor, id, &decision, s.clock.now()).await {
        Ok(p) => (StatusCode::OK, p, None),
        // Refused for what the change would do (a value the plan no longer
        // takes): shown on the row, the proposal stays pending.
        Err(StoreError::Refused(r)) if r.reason.kind() != Kind::Forbidden => {
            let refused = crate::error::ApiError::from(r);
            (refused.status(), s.store.proposal(id).await?, Some(refused.message()))
        }
        Err(e) => return Err(e.into()),
    };
    let objects = [format!("{}:{}", proposal.entity, proposal.entity_id), format!("plan:{}", proposal.plan_id)];
    let names = s.store.object_names(&objects.iter().map(String::as_str).collect::<Vec<_>>()).await?;
    let html = render(
        "proposals/proposal.html",
        json!({"frame": viewer.frame("proposals"), "p": view(&proposal, &names), "error": error}),
    )?;
    Ok((status, html).into_response())
}

/// The proposal routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/proposals", get(list)).route("/proposals/{id}/decision", post(decide))
}
