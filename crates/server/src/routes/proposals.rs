//! Proposed changes to the issued plan: a reporter proposes, the office
//! approves or rejects. The store checks who may do either.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bighealth_store::Action;
use bighealth_store::history::HistoryEntry;
use bighealth_store::proposals::{Decision, NewProposal, Proposal, ProposalQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List proposals, newest first.
#[utoipa::path(get, path = "/api/proposals", tag = "proposals", params(ProposalQuery),
    responses((status = 200, body = Vec<Proposal>), (status = 400, body = ErrorBody)))]
async fn list_proposals(
    State(s): State<AppState>,
    auth: Auth,
    Q(q): Q<ProposalQuery>,
) -> ApiResult<Json<Vec<Proposal>>> {
    auth.require(&s, Action::ReadPlans, "proposals").await?;
    Ok(Json(s.store.proposals(&q).await?))
}

/// Propose a change to what the plan says of a task, target or project
/// (a reporter, for a record its units answer for). The plan is unchanged
/// until the office decides.
#[utoipa::path(post, path = "/api/proposals", tag = "proposals", request_body = NewProposal,
    responses((status = 201, body = Proposal), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn propose(
    State(s): State<AppState>,
    auth: Auth,
    Body(new): Body<NewProposal>,
) -> ApiResult<(StatusCode, Json<Proposal>)> {
    Ok((StatusCode::CREATED, Json(s.store.propose(&auth.actor, &new, s.clock.now()).await?)))
}

/// One proposal.
#[utoipa::path(get, path = "/api/proposals/{id}", tag = "proposals", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Proposal), (status = 404, body = ErrorBody)))]
async fn get_proposal(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Proposal>> {
    auth.require(&s, Action::ReadPlans, &format!("proposal:{id}")).await?;
    Ok(Json(s.store.proposal(id).await?))
}

/// Approve (the change is applied, with its history) or reject a pending
/// proposal (the office).
#[utoipa::path(post, path = "/api/proposals/{id}/decision", tag = "proposals", params(("id" = i64, Path, minimum = 1)),
    request_body = Decision,
    responses((status = 200, body = Proposal), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn decide(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(d): Body<Decision>,
) -> ApiResult<Json<Proposal>> {
    Ok(Json(s.store.decide_proposal(&auth.actor, id, &d, s.clock.now()).await?))
}

/// The decisions on a proposal.
#[utoipa::path(get, path = "/api/proposals/{id}/history", tag = "proposals", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorBody)))]
async fn proposal_history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
    auth.require(&s, Action::ReadPlans, &format!("proposal:{id}")).await?;
    s.store.proposal(id).await?;
    Ok(Json(s.store.history("proposal", id).await?))
}

/// The proposal routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_proposals, propose))
        .routes(routes!(get_proposal))
        .routes(routes!(decide))
        .routes(routes!(proposal_history))
}
