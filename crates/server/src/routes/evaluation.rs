//! Third-party evaluation (第三方评估): the office grants an evaluator's
//! account one plan until a day; the evaluator reads that plan only,
//! uploads its report and states its findings; the office answers each.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bighealth_store::Action;
use bighealth_store::assessment::entries::{EvidenceFile, FileOwner};
use bighealth_store::evaluation::{Evaluation, Finding, Grant, NewGrant};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A plan's evaluation: the evaluators granted, the reports, the findings and answers.
#[utoipa::path(get, path = "/api/plans/{id}/evaluation", tag = "assessment",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Evaluation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn evaluation(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Evaluation>> {
    Ok(Json(s.store.evaluation(&auth.actor, id).await?))
}

/// Grant an evaluator's account the plan until a day (the office; audited).
#[utoipa::path(put, path = "/api/plans/{id}/evaluation/grants", tag = "assessment",
    params(("id" = i64, Path, minimum = 1)), request_body = NewGrant,
    responses((status = 200, body = Grant), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn grant(State(s): State<AppState>, auth: Auth, Id(id): Id, Body(new): Body<NewGrant>) -> ApiResult<Json<Grant>> {
    Ok(Json(s.store.grant_evaluator(&auth.actor, id, &new, s.clock.now()).await?))
}

/// A report's file name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    /// The file's name (its ending tells a .docx from a .pdf).
    name: String,
}

/// Upload the evaluation report (the evaluator granted the plan): a PDF,
/// .docx, .xlsx or image, kept with its SHA-256.
#[utoipa::path(post, path = "/api/plans/{id}/evaluation/reports", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ReportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The report"),
    responses((status = 201, body = EvidenceFile), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload_report(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Q(q): Q<ReportQuery>,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<EvidenceFile>)> {
    if let Err(e) = auth.require(&s, Action::Evaluate, &format!("plan:{id}")).await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let bytes = crate::extract::upload(req).await?;
    let f =
        s.store.attach_assessment_file(&auth.actor, FileOwner::Evaluation, id, &q.name, &bytes, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// A finding to state.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFinding {
    /// What the evaluation found.
    pub finding: String,
    /// The report it comes from.
    #[serde(default)]
    pub report_file: Option<i64>,
}

/// State a finding (the evaluator, or the office from a report on paper).
#[utoipa::path(post, path = "/api/plans/{id}/evaluation/findings", tag = "assessment",
    params(("id" = i64, Path, minimum = 1)), request_body = NewFinding,
    responses((status = 201, body = Finding), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_finding(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(new): Body<NewFinding>,
) -> ApiResult<(StatusCode, Json<Finding>)> {
    let f = s.store.add_evaluation_finding(&auth.actor, id, &new.finding, new.report_file, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// An answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The office's answer: what it did or will do.
    pub answer: String,
}

/// Answer a finding (the office).
#[utoipa::path(post, path = "/api/evaluation-findings/{id}/answer", tag = "assessment",
    params(("id" = i64, Path, minimum = 1)), request_body = Answer,
    responses((status = 200, body = Finding), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn answer(State(s): State<AppState>, auth: Auth, Id(id): Id, Body(a): Body<Answer>) -> ApiResult<Json<Finding>> {
    Ok(Json(s.store.answer_evaluation_finding(&auth.actor, id, &a.answer, s.clock.now()).await?))
}

/// The evaluation routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(evaluation))
        .routes(routes!(grant))
        .routes(routes!(upload_report))
        .routes(routes!(add_finding))
        .routes(routes!(answer))
}
