//! Analysis (季分析): a plan's status at the end of a period — every
//! target, task and project against 序时 with its reason, and the counts a
//! leader reads first — and the office's status thresholds. Read from the
//! approved figures themselves: an approval counts at the next request.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use bighealth_rules::analysis::Settings;
use bighealth_store::Action;
use bighealth_store::analysis::status::PlanStatus;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A reporting period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodQuery {
    /// The period (`2026-06`, `2026-Q2`, `2026` as the plan's cycle runs); the last one ended by default.
    pub period: Option<String>,
}

/// A plan's status at the end of a period: each target, task and project
/// against 序时 (green, yellow, red, not reported) with the sentence that
/// explains it, the most urgent first, and the counts per kind.
#[utoipa::path(get, path = "/api/plans/{id}/analysis", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), PeriodQuery),
    responses((status = 200, body = PlanStatus), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn plan_status(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Q(q): Q<PeriodQuery>,
) -> ApiResult<Json<PlanStatus>> {
    Ok(Json(s.store.plan_status(&auth.actor, id, q.period.as_deref(), s.clock.now()).await?))
}

/// A plan's status thresholds (points behind 序时 for 黄 and 红, the first month 红 may show).
#[utoipa::path(get, path = "/api/plans/{id}/analysis/settings", tag = "analysis",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Settings), (status = 404, body = ErrorBody)))]
async fn get_analysis_settings(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Settings>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.analysis_settings(id).await?))
}

/// Set a plan's status thresholds (the office).
#[utoipa::path(put, path = "/api/plans/{id}/analysis/settings", tag = "analysis",
    params(("id" = i64, Path, minimum = 1)), request_body = Settings,
    responses((status = 200, body = Settings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_analysis_settings(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(settings): Body<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(s.store.set_analysis_settings(&auth.actor, id, &settings, s.clock.now()).await?))
}

/// The analysis routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(plan_status)).routes(routes!(get_analysis_settings, put_analysis_settings))
}
