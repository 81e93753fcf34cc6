//! Targets; corrections keep history.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use bighealth_store::Action;
use bighealth_store::history::HistoryEntry;
use bighealth_store::page::Page;
use bighealth_store::targets::{Target, TargetPatch, TargetQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List targets (filter by plan, owner unit, segment, task, year, words).
#[utoipa::path(get, path = "/api/targets", tag = "targets", params(TargetQuery),
    responses((status = 200, body = Page<Target>), (status = 400, body = ErrorBody)))]
async fn list_targets(State(s): State<AppState>, auth: Auth, Q(q): Q<TargetQuery>) -> ApiResult<Json<Page<Target>>> {
    auth.require(&s, Action::ReadPlans, "targets").await?;
    Ok(Json(s.store.targets(&q).await?))
}

/// One target.
#[utoipa::path(get, path = "/api/targets/{id}", tag = "targets", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Target), (status = 404, body = ErrorBody)))]
async fn get_target(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Target>> {
    auth.require(&s, Action::ReadPlans, &format!("target:{id}")).await?;
    Ok(Json(s.store.target(id).await?))
}

/// Correct a target: value, unit, year, baseline, owner…
#[utoipa::path(patch, path = "/api/targets/{id}", tag = "targets", params(("id" = i64, Path, minimum = 1)), request_body = TargetPatch,
    responses((status = 200, body = Target), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_target(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<TargetPatch>,
) -> ApiResult<Json<Target>> {
    auth.require(&s, Action::ReportOwn, &format!("target:{id}")).await?;
    Ok(Json(s.store.update_target(&auth.actor, id, &p, s.clock.now()).await?))
}

/// Delete a target (undo with restore).
#[utoipa::path(delete, path = "/api/targets/{id}", tag = "targets", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Target), (status = 403, body = ErrorBody)))]
async fn delete_target(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Target>> {
    auth.require(&s, Action::ReportOwn, &format!("target:{id}")).await?;
    Ok(Json(s.store.set_target_deleted(&auth.actor, id, true, s.clock.now()).await?))
}

/// Restore a deleted target.
#[utoipa::path(post, path = "/api/targets/{id}/restore", tag = "targets", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Target), (status = 403, body = ErrorBody)))]
async fn restore_target(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Target>> {
    auth.require(&s, Action::ReportOwn, &format!("target:{id}")).await?;
    Ok(Json(s.store.set_target_deleted(&auth.actor, id, false, s.clock.now()).await?))
}

/// The changes made to a target.
#[utoipa::path(get, path = "/api/targets/{id}/history", tag = "targets", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorBody)))]
async fn target_history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
    auth.require(&s, Action::ReadPlans, &format!("target:{id}")).await?;
    s.store.target(id).await?;
    Ok(Json(s.store.history("target", id).await?))
}

/// The target routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_targets))
        .routes(routes!(get_target, update_target, delete_target))
        .routes(routes!(restore_target))
        .routes(routes!(target_history))
}
