//! Key enterprises (重点企业): the registry (the office adds, with the credit
//! code checked), each enterprise's figures (typed by its own account,
//! which reads no other's), the statistics bureau's table imported, and the
//! enterprises of a region whose figures fall.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use crate::routes::indicators::{FiguresQuery, period_of, this_month};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bighealth_store::Action;
use bighealth_store::enterprises::{Enterprise, Fall, NewEnterprise, PeriodFigures};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The registry: every enterprise for the office and the leaders, its own for an enterprise's account.
#[utoipa::path(get, path = "/api/enterprises", tag = "analysis",
    responses((status = 200, body = Vec<Enterprise>), (status = 403, body = ErrorBody)))]
async fn list_enterprises(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Enterprise>>> {
    Ok(Json(s.store.enterprises(&auth.actor).await?))
}

/// Add an enterprise to the registry (the office): its 统一社会信用代码 is
/// checked by its GB 32100 check character; it reports as a unit of its own.
#[utoipa::path(post, path = "/api/enterprises", tag = "analysis", request_body = NewEnterprise,
    responses((status = 201, body = Enterprise), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_enterprise(
    State(s): State<AppState>,
    auth: Auth,
    Body(new): Body<NewEnterprise>,
) -> ApiResult<(StatusCode, Json<Enterprise>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_enterprise(&auth.actor, &new, s.clock.now()).await?)))
}

/// One enterprise.
#[utoipa::path(get, path = "/api/enterprises/{id}", tag = "analysis", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Enterprise), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_enterprise(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Enterprise>> {
    Ok(Json(s.store.enterprise(&auth.actor, id).await?))
}

/// An enterprise's figures by period, newest first.
#[utoipa::path(get, path = "/api/enterprises/{id}/figures", tag = "analysis", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<PeriodFigures>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_figures(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<PeriodFigures>>> {
    Ok(Json(s.store.enterprise_figures(&auth.actor, id).await?))
}

/// Save one period's figures (the enterprise's account, or the office).
#[utoipa::path(put, path = "/api/enterprises/{id}/figures", tag = "analysis", params(("id" = i64, Path, minimum = 1)),
    request_body = PeriodFigures,
    responses((status = 200, body = Vec<PeriodFigures>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn put_figures(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(figures): Body<PeriodFigures>,
) -> ApiResult<Json<Vec<PeriodFigures>>> {
    Ok(Json(s.store.save_enterprise_figures(&auth.actor, id, &figures, s.clock.now()).await?))
}

/// What an import of enterprises' figures stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresStored {
    /// Figures stored.
    pub figures: usize,
}

/// Import the statistics bureau's table of the enterprises' figures (the
/// office): 统一社会信用代码, 期别, then a column per figure (营业收入, 利润总额,
/// 工业总产值, 从业人员, 完成投资). Every wrong cell is named; nothing is stored from a file with one.
#[utoipa::path(post, path = "/api/enterprise-figures", tag = "analysis",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The .xlsx or .csv file"),
    responses((status = 200, body = FiguresStored), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_figures(
    State(s): State<AppState>,
    auth: Auth,
    req: axum::extract::Request,
) -> ApiResult<Json<FiguresStored>> {
    if let Err(e) = auth.require(&s, Action::ManagePlans, "enterprises").await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let bytes = crate::extract::upload(req).await?;
    Ok(Json(FiguresStored { figures: s.store.import_enterprise_figures(&auth.actor, &bytes, s.clock.now()).await? }))
}

/// The enterprises of a region whose 营业收入, 利润 or 产值 so far this year
/// fell on the same months a year earlier, the steepest first.
#[utoipa::path(get, path = "/api/regions/{code}/falling-enterprises", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), FiguresQuery),
    responses((status = 200, body = Vec<Fall>), (status = 422, body = ErrorBody)))]
async fn falling(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Q(q): Q<FiguresQuery>,
) -> ApiResult<Json<Vec<Fall>>> {
    s.store.region(&code).await?;
    let at = period_of(q.period.as_deref())?.unwrap_or_else(|| this_month(s.clock.now()));
    Ok(Json(s.store.falling_enterprises(&auth.actor, &code, at).await?))
}

/// The enterprise routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_enterprises, create_enterprise))
        .routes(routes!(get_enterprise))
        .routes(routes!(get_figures, put_figures))
        .routes(routes!(import_figures))
        .routes(routes!(falling))
}
