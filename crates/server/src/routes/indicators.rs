//! The indicator system (统计监测指标体系) and the regions' figures: the
//! indicators and the 2019 classification, statistics imported as a table
//! or sent as JSON, a target linked to its indicator, a region's figures
//! and its children's ranked (as JSON and as .xlsx), and one indicator
//! across regions side by side. Read fresh at each request.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bighealth_rules::calendar::date_of;
use bighealth_rules::indicators::Definition;
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_store::analysis::regions::RegionProgress;
use bighealth_store::indicators::rollup::{Figure, RegionFigures};
use bighealth_store::indicators::values::{ValueInput, ValuesStored};
use bighealth_store::indicators::{Indicator, IndustryClass};
use bighealth_store::{Action, Reason};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The month a request is made in, as a period's end.
pub(crate) fn this_month(now: i64) -> PeriodEnd {
    PeriodEnd::of_date(date_of(now))
}

/// A period of statistics, read or refused as `period_malformed`.
pub(crate) fn period_of(raw: Option<&str>) -> ApiResult<Option<PeriodEnd>> {
    match raw.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => PeriodEnd::parse(p).map(Some).ok_or_else(|| {
            ApiError::from(Reason::PeriodMalformed { raw: p.chars().take(20).collect() }).field("period")
        }),
    }
}

/// A period of statistics.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FiguresQuery {
    /// The period (`2026-06`, `2026年二季度`, `2026`); by default the latest with a figure.
    pub period: Option<String>,
}

/// Every indicator, by code, with how many targets measure it.
#[utoipa::path(get, path = "/api/indicators", tag = "analysis",
    responses((status = 200, body = Vec<Indicator>), (status = 403, body = ErrorBody)))]
async fn list_indicators(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Indicator>>> {
    Ok(Json(s.store.indicators(&auth.actor).await?))
}

/// Add an indicator (the office): its code, unit, direction, how it adds
/// up over regions and time, its periodicity, its formula, its 2019 大类.
#[utoipa::path(post, path = "/api/indicators", tag = "analysis", request_body = Definition,
    responses((status = 201, body = Indicator), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_indicator(
    State(s): State<AppState>,
    auth: Auth,
    Body(def): Body<Definition>,
) -> ApiResult<(StatusCode, Json<Indicator>)> {
    Ok((StatusCode::CREATED, Json(s.store.create_indicator(&auth.actor, &def, s.clock.now()).await?)))
}

/// One indicator.
#[utoipa::path(get, path = "/api/indicators/{code}", tag = "analysis", params(("code" = String, Path)),
    responses((status = 200, body = Indicator), (status = 404, body = ErrorBody)))]
async fn get_indicator(State(s): State<AppState>, auth: Auth, Path(code): Path<String>) -> ApiResult<Json<Indicator>> {
    Ok(Json(s.store.indicator(&auth.actor, &code).await?))
}

/// Change an indicator's definition (the office; its code stays).
#[utoipa::path(put, path = "/api/indicators/{code}", tag = "analysis", params(("code" = String, Path)),
    request_body = Definition,
    responses((status = 200, body = Indicator), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn update_indicator(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Body(def): Body<Definition>,
) -> ApiResult<Json<Indicator>> {
    Ok(Json(s.store.update_indicator(&auth.actor, &code, &def, s.clock.now()).await?))
}

/// The 大类 of the 健康产业统计分类（2019）.
#[utoipa::path(get, path = "/api/industry-classes", tag = "analysis",
    responses((status = 200, body = Vec<IndustryClass>)))]
async fn industry_classes(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<IndustryClass>>> {
    auth.require(&s, Action::ReadPlans, "industry_classes").await?;
    Ok(Json(s.store.industry_classes().await?))
}

/// Import a statistics table (the office): an `.xlsx` (its first sheet) or
/// a `.csv` with the columns 指标代码, 地区代码, 期别, 数值. Every wrong cell
/// is named; from a file with any, nothing is stored.
#[utoipa::path(post, path = "/api/indicator-values", tag = "analysis",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The .xlsx or .csv file"),
    responses((status = 200, body = ValuesStored), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_values(
    State(s): State<AppState>,
    auth: Auth,
    req: axum::extract::Request,
) -> ApiResult<Json<ValuesStored>> {
    if let Err(e) = auth.require(&s, Action::ManagePlans, "indicators").await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let bytes = crate::extract::upload(req).await?;
    Ok(Json(s.store.import_indicator_values(&auth.actor, &bytes, s.clock.now()).await?))
}

/// Values sent as JSON (the office; for integrations): each row's fields as
/// text, as a table holds them; a wrong one is named `rows[3].period`.
#[utoipa::path(put, path = "/api/indicator-values", tag = "analysis", request_body = Vec<ValueInput>,
    responses((status = 200, body = ValuesStored), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_values(
    State(s): State<AppState>,
    auth: Auth,
    Body(rows): Body<Vec<ValueInput>>,
) -> ApiResult<Json<ValuesStored>> {
    Ok(Json(s.store.put_indicator_values(&auth.actor, &rows, s.clock.now()).await?))
}

/// The indicator a target measures.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetIndicator {
    /// The indicator's code.
    pub code: String,
}

/// Link a target to an indicator (the office; audited with the one before).
#[utoipa::path(put, path = "/api/targets/{id}/indicator", tag = "analysis",
    params(("id" = i64, Path, minimum = 1)), request_body = TargetIndicator,
    responses((status = 200, body = Indicator), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn link_target(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(link): Body<TargetIndicator>,
) -> ApiResult<Json<Indicator>> {
    Ok(Json(s.store.link_target(&auth.actor, id, link.code.trim(), s.clock.now()).await?))
}

/// A region's figures for a period: every indicator with a figure in the
/// region or below, the region's own (or its children's added up), the
/// year before, the growth, per 万人, and its children's ranked.
#[utoipa::path(get, path = "/api/regions/{code}/figures", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), FiguresQuery),
    responses((status = 200, body = RegionFigures), (status = 422, body = ErrorBody)))]
async fn region_figures(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Q(q): Q<FiguresQuery>,
) -> ApiResult<Json<RegionFigures>> {
    let at = period_of(q.period.as_deref())?;
    Ok(Json(s.store.region_figures(&auth.actor, &code, at, this_month(s.clock.now())).await?))
}

/// The same figures as an Excel workbook (the data behind the region page's chart).
#[utoipa::path(get, path = "/api/regions/{code}/figures.xlsx", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), FiguresQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 422, body = ErrorBody)))]
async fn region_figures_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Q(q): Q<FiguresQuery>,
) -> ApiResult<Response> {
    let at = period_of(q.period.as_deref())?;
    let f = s.store.region_figures(&auth.actor, &code, at, this_month(s.clock.now())).await?;
    let book = bighealth_documents::figures::workbook(&f).map_err(|_| ApiError::from(Reason::Internal {}))?;
    Ok(super::attachment(&bighealth_documents::figures::file_name(&f), super::XLSX, book))
}

/// Regions to compare and the period.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CompareQuery {
    /// GB/T 2260 codes, comma-separated (`522601,522622`).
    pub regions: String,
    /// The period (`2026-06`); this month by default.
    pub period: Option<String>,
}

/// One indicator across regions side by side.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = IndicatorComparison)]
pub struct Comparison {
    /// The indicator.
    pub indicator: Definition,
    /// The period's end.
    pub period: PeriodEnd,
    /// Each region's figure, ranked (per 万人 where its population is known).
    pub regions: Vec<Figure>,
}

/// One indicator across regions (benchmarking), per 万人 of 常住人口 where known.
#[utoipa::path(get, path = "/api/indicators/{code}/compare", tag = "analysis",
    params(("code" = String, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn compare(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Q(q): Q<CompareQuery>,
) -> ApiResult<Json<Comparison>> {
    let at = period_of(q.period.as_deref())?.unwrap_or_else(|| this_month(s.clock.now()));
    let regions: Vec<String> =
        q.regions.split([',', '，', ' ']).map(str::trim).filter(|r| !r.is_empty()).take(50).map(String::from).collect();
    let (indicator, regions) = s.store.compare_regions(&auth.actor, &code, &regions, at).await?;
    Ok(Json(Comparison { indicator, period: at, regions }))
}

/// The plans' progress rolled up by region: the region's plans together,
/// then each child's (tasks by status, the year's investment against what is
/// due, reporting rates), the child with the most red tasks first.
#[utoipa::path(get, path = "/api/regions/{code}/progress", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code")),
    responses((status = 200, body = Vec<RegionProgress>), (status = 422, body = ErrorBody)))]
async fn region_progress(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<RegionProgress>>> {
    Ok(Json(s.store.region_progress(&auth.actor, &code, s.clock.now()).await?))
}

/// The indicator routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_indicators, create_indicator))
        .routes(routes!(get_indicator, update_indicator))
        .routes(routes!(industry_classes))
        .routes(routes!(import_values, put_values))
        .routes(routes!(link_target))
        .routes(routes!(region_figures))
        .routes(routes!(region_figures_xlsx))
        .routes(routes!(compare))
        .routes(routes!(region_progress))
}
