//! Public disclosure (政务公开): what of a plan the office makes public, and
//! the public's read of it — the only routes that answer without a login.
//! A plan the office has not made public answers 404, as if it did not exist.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id};
use axum::Json;
use axum::extract::State;
use bighealth_rules::disclosure::Settings;
use bighealth_store::disclosure::{PublicPlan, PublicPlanSummary};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What of the plan is public.
#[utoipa::path(get, path = "/api/plans/{id}/disclosure", tag = "public",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Settings), (status = 404, body = ErrorBody)))]
async fn get_disclosure(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Settings>> {
    Ok(Json(s.store.disclosure(&auth.actor, id).await?))
}

/// Choose what of the plan is public (the office; audited).
#[utoipa::path(put, path = "/api/plans/{id}/disclosure", tag = "public",
    params(("id" = i64, Path, minimum = 1)), request_body = Settings,
    responses((status = 200, body = Settings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_disclosure(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(settings): Body<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(s.store.set_disclosure(&auth.actor, id, &settings, s.clock.now()).await?))
}

/// The plans with a public page (no login).
#[utoipa::path(get, path = "/api/public/plans", tag = "public", security(()),
    responses((status = 200, body = Vec<PublicPlanSummary>)))]
async fn public_plans(State(s): State<AppState>) -> ApiResult<Json<Vec<PublicPlanSummary>>> {
    Ok(Json(s.store.public_plans().await?))
}

/// A plan's public page (no login): targets and their status, projects and
/// their investment, tasks by status, published grades, as the office chose.
#[utoipa::path(get, path = "/api/public/plans/{id}", tag = "public", security(()),
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = PublicPlan), (status = 404, body = ErrorBody)))]
async fn public_plan(State(s): State<AppState>, Id(id): Id) -> ApiResult<Json<PublicPlan>> {
    Ok(Json(s.store.public_plan(id, s.clock.now()).await?))
}

/// The public routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_disclosure, put_disclosure))
        .routes(routes!(public_plans))
        .routes(routes!(public_plan))
}
