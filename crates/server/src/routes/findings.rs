//! Findings: listing, and marking them resolved or accepted.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use bighealth_store::Action;
use bighealth_store::findings::{Finding, FindingPatch, FindingQuery};
use bighealth_store::history::HistoryEntry;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List findings.
#[utoipa::path(get, path = "/api/findings", tag = "findings", params(FindingQuery),
    responses((status = 200, body = Vec<Finding>), (status = 400, body = ErrorBody)))]
async fn list_findings(State(s): State<AppState>, auth: Auth, Q(q): Q<FindingQuery>) -> ApiResult<Json<Vec<Finding>>> {
    auth.require(&s, Action::ReadPlans, "findings").await?;
    Ok(Json(s.store.findings(&q).await?))
}

/// Mark a finding open, resolved or accepted.
#[utoipa::path(patch, path = "/api/findings/{id}", tag = "findings", params(("id" = i64, Path, minimum = 1)), request_body = FindingPatch,
    responses((status = 200, body = Finding), (status = 422, body = ErrorBody)))]
async fn update_finding(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<FindingPatch>,
) -> ApiResult<Json<Finding>> {
    auth.require(&s, Action::ManagePlans, &format!("finding:{id}")).await?;
    Ok(Json(s.store.update_finding(&auth.actor, id, &p, s.clock.now()).await?))
}

/// The changes made to a finding.
#[utoipa::path(get, path = "/api/findings/{id}/history", tag = "findings", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorBody)))]
async fn finding_history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
    auth.require(&s, Action::ReadPlans, &format!("finding:{id}")).await?;
    s.store.finding(id).await?;
    Ok(Json(s.store.history("finding", id).await?))
}

/// The finding routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_findings)).routes(routes!(update_finding)).routes(routes!(finding_history))
}
