//! Annual assessment (年考核): a plan's scoring scheme for a year (versions,
//! the workbook both ways), the year scored with every point explained, the
//! office's entries (checklist points, bonus, deduction, veto), the units'
//! self-assessments and the office's review, the evidence files, and the
//! result published with its 通报 (.docx, .pdf) and withdrawn.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Body, Id};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bighealth_documents::assessment as bulletin;
use bighealth_documents::scheme as scheme_book;
use bighealth_rules::scoring::Scheme;
use bighealth_store::assessment::SchemeVersion;
use bighealth_store::assessment::entries::{
    AssessmentEntry, EvidenceFile, FileOwner, NewEntry, NewSelfAssessment, SelfAssessment,
};
use bighealth_store::assessment::results::{Assessment, UnitResult};
use bighealth_store::{Action, Object, Reason};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A plan and a year: `/api/plans/{id}/assessment/{year}`.
fn plan_year((id, year): (String, String)) -> ApiResult<(i64, i64)> {
    Ok((crate::extract::positive_id(&id, "id")?, crate::extract::positive_id(&year, "year")?))
}

/// A scheme to save, with what the office writes of the version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveScheme {
    /// The scheme.
    pub scheme: Scheme,
    /// Why this version (`按市考核办通知调整权重`).
    #[serde(default)]
    pub note: Option<String>,
}

/// A reason (to withdraw, to review).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// The words.
    pub reason: String,
}

/// The scheme plan `id` scores `year` by: its latest version, or the defaults.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/scheme", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 200, body = SchemeVersion), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_scheme(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<SchemeVersion>> {
    let (plan, year) = plan_year(path.0)?;
    Ok(Json(s.store.scoring_scheme(&auth.actor, plan, year).await?))
}

/// Save the scheme as its next version (the office); earlier versions stay.
#[utoipa::path(put, path = "/api/plans/{id}/assessment/{year}/scheme", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)), request_body = SaveScheme,
    responses((status = 200, body = SchemeVersion), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_scheme(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
    Body(body): Body<SaveScheme>,
) -> ApiResult<Json<SchemeVersion>> {
    let (plan, year) = plan_year(path.0)?;
    let saved =
        s.store.save_scoring_scheme(&auth.actor, plan, year, &body.scheme, body.note.as_deref(), s.clock.now()).await?;
    Ok(Json(saved))
}

/// Every saved version of the scheme, the newest first.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/scheme/versions", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<SchemeVersion>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn scheme_versions(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<Vec<SchemeVersion>>> {
    let (plan, year) = plan_year(path.0)?;
    Ok(Json(s.store.scoring_scheme_versions(&auth.actor, plan, year).await?))
}

/// The scheme as a workbook to fill offline: one row per item (key, name,
/// points, how it is scored and its figures), the kinds as a drop-down list.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/scheme.xlsx", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn scheme_xlsx(State(s): State<AppState>, auth: Auth, path: Path<(String, String)>) -> ApiResult<Response> {
    let (plan, year) = plan_year(path.0)?;
    let version = s.store.scoring_scheme(&auth.actor, plan, year).await?;
    let bytes = scheme_book::workbook(&version.scheme).map_err(|_| ApiError::from(Reason::Internal {}))?;
    let name = s.store.plan(plan).await?.name().to_string();
    Ok(super::attachment(&format!("{name}_{year}年度考核方案.xlsx"), super::XLSX, bytes))
}

/// Import the scheme's items from a filled workbook (the office): every
/// wrong cell is named and nothing is saved from a file with one; the caps,
/// bands and quota stay as the current version has them.
#[utoipa::path(post, path = "/api/plans/{id}/assessment/{year}/scheme.xlsx", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The workbook"),
    responses((status = 200, body = SchemeVersion), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_scheme(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
    req: axum::extract::Request,
) -> ApiResult<Json<SchemeVersion>> {
    let (plan, year) = plan_year(path.0)?;
    if let Err(e) = auth.require(&s, Action::Assess, &format!("plan:{plan}")).await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let bytes = crate::extract::upload(req).await?;
    Ok(Json(import(&s, &auth, plan, year, &bytes).await?))
}

/// Reads a scheme workbook over the current version and saves it.
pub(crate) async fn import(s: &AppState, auth: &Auth, plan: i64, year: i64, bytes: &[u8]) -> ApiResult<SchemeVersion> {
    let current = s.store.scoring_scheme(&auth.actor, plan, year).await?;
    let scheme = scheme_book::read(bytes, &current.scheme).map_err(|r| ApiError::from(r.reason).field("file"))?;
    Ok(s.store.save_scoring_scheme(&auth.actor, plan, year, &scheme, Some("由考核方案表导入"), s.clock.now()).await?)
}

/// The year assessed: as published if it is, else scored now from the
/// year's reports, targets, tasks, projects, supervision items and the
/// office's entries — every unit ranked in its group and graded, every
/// item with its sentence and the facts it came from.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 200, body = Assessment), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_assessment(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<Assessment>> {
    let (plan, year) = plan_year(path.0)?;
    Ok(Json(s.store.assessment(&auth.actor, plan, year, s.clock.now()).await?))
}

/// One unit's result, every item explained down to the records behind it.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/units/{unit}", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1), ("unit" = i64, Path, minimum = 1)),
    responses((status = 200, body = UnitResult), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn unit_result(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, year, unit)): Path<(String, String, String)>,
) -> ApiResult<Json<UnitResult>> {
    let (plan, year) = plan_year((id, year))?;
    let unit = crate::extract::positive_id(&unit, "unit")?;
    let a = s.store.assessment(&auth.actor, plan, year, s.clock.now()).await?;
    a.unit(unit).cloned().map(Json).ok_or_else(|| ApiError::from(Reason::not_found(Object::Unit, unit)))
}

/// The office's entries of the year, withdrawn ones too.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/entries", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<AssessmentEntry>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn entries(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<Vec<AssessmentEntry>>> {
    let (plan, year) = plan_year(path.0)?;
    Ok(Json(s.store.assessment_entries(&auth.actor, plan, year).await?))
}

/// Enter a checklist item's points, a bonus, a deduction or a veto for a
/// unit (the office), with its reason.
#[utoipa::path(post, path = "/api/plans/{id}/assessment/{year}/entries", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)), request_body = NewEntry,
    responses((status = 201, body = AssessmentEntry), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn add_entry(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
    Body(new): Body<NewEntry>,
) -> ApiResult<(StatusCode, Json<AssessmentEntry>)> {
    let (plan, year) = plan_year(path.0)?;
    let e = s.store.add_assessment_entry(&auth.actor, plan, year, &new, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Withdraw an entry (the office): it stays, marked, with the reason.
#[utoipa::path(post, path = "/api/assessment-entries/{id}/withdraw", tag = "assessment",
    params(("id" = i64, Path, minimum = 1)), request_body = ReasonBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn withdraw_entry(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(body): Body<ReasonBody>,
) -> ApiResult<StatusCode> {
    s.store.withdraw_assessment_entry(&auth.actor, id, &body.reason, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FileQuery {
    /// The file's name (its ending tells a .docx from a .xlsx).
    name: String,
}

/// Attach evidence to an entry (the office): a PDF, image, .docx or .xlsx.
#[utoipa::path(post, path = "/api/assessment-entries/{id}/files", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = EvidenceFile), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn attach_entry_file(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    crate::extract::Q(q): crate::extract::Q<FileQuery>,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<EvidenceFile>)> {
    attach(&s, &auth, FileOwner::Entry, id, &q.name, req).await
}

/// Attach evidence to a self-assessment (its unit's reporter).
#[utoipa::path(post, path = "/api/self-assessments/{id}/files", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = EvidenceFile), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn attach_self_file(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    crate::extract::Q(q): crate::extract::Q<FileQuery>,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<EvidenceFile>)> {
    attach(&s, &auth, FileOwner::SelfAssessment, id, &q.name, req).await
}

async fn attach(
    s: &AppState,
    auth: &Auth,
    owner: FileOwner,
    id: i64,
    name: &str,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<EvidenceFile>)> {
    let action = if owner == FileOwner::Entry { Action::Assess } else { Action::Report };
    if let Err(e) = auth.require(s, action, &format!("assessment_file:{id}")).await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let bytes = crate::extract::upload(req).await?;
    let f = s.store.attach_assessment_file(&auth.actor, owner, id, name, &bytes, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// An evidence file, byte for byte.
#[utoipa::path(get, path = "/api/assessment-files/{id}", tag = "assessment", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn evidence_file(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (name, content_type, bytes) = s.store.assessment_file(&auth.actor, id).await?;
    Ok(super::attachment(&name, &content_type, bytes))
}

/// The self-assessments of the year, every submission (a reporter: its own).
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/self-assessments", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<SelfAssessment>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn self_assessments(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<Vec<SelfAssessment>>> {
    let (plan, year) = plan_year(path.0)?;
    Ok(Json(s.store.self_assessments(&auth.actor, plan, year).await?))
}

/// Submit a unit's self-assessment (自评; its reporter): points per item.
#[utoipa::path(post, path = "/api/plans/{id}/assessment/{year}/self-assessments/{unit}", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1), ("unit" = i64, Path, minimum = 1)),
    request_body = NewSelfAssessment,
    responses((status = 201, body = SelfAssessment), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn submit_self(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, year, unit)): Path<(String, String, String)>,
    Body(new): Body<NewSelfAssessment>,
) -> ApiResult<(StatusCode, Json<SelfAssessment>)> {
    let (plan, year) = plan_year((id, year))?;
    let unit = crate::extract::positive_id(&unit, "unit")?;
    let a = s.store.submit_self_assessment(&auth.actor, plan, year, unit, &new, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Review (复核) a self-assessment (the office): the note is kept beside
/// the unit's figures; the office's score stands.
#[utoipa::path(post, path = "/api/self-assessments/{id}/review", tag = "assessment",
    params(("id" = i64, Path, minimum = 1)), request_body = ReasonBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn review_self(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(body): Body<ReasonBody>,
) -> ApiResult<StatusCode> {
    s.store.review_self_assessment(&auth.actor, id, &body.reason, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish the year's result (the office): scored as it stands, kept
/// unchanged with its 通报 (.docx, .pdf), the scheme and entries frozen,
/// a 限期整改 supervision item opened for each unit the rules name.
#[utoipa::path(post, path = "/api/plans/{id}/assessment/{year}/publish", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)),
    responses((status = 201, body = Assessment), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn publish(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<Assessment>)> {
    let (plan, year) = plan_year(path.0)?;
    Ok((StatusCode::CREATED, Json(publish_year(&s, &auth, plan, year).await?)))
}

/// Scores the year, writes its 通报 and publishes both.
pub async fn publish_year(s: &AppState, auth: &Auth, plan: i64, year: i64) -> ApiResult<Assessment> {
    auth.actor.require(Action::Assess).map_err(ApiError::from)?;
    let now = s.clock.now();
    let result = s.store.assessment(&auth.actor, plan, year, now).await?;
    if result.published.is_some() {
        return Err(ApiError::from(Reason::AssessmentPublished { year }));
    }
    let number = s.store.next_assessment_number(plan, year).await?;
    let doc = bulletin::document(&result, &super::letterhead(s, plan, now).await?, &number);
    let docx = doc.to_docx().map_err(|_| ApiError::from(Reason::Internal {}))?;
    let pdf = tokio::task::spawn_blocking(move || doc.to_pdf())
        .await
        .map_err(|_| ApiError::from(Reason::Internal {}))?
        .map_err(|detail| ApiError::from(Reason::PdfUnavailable { detail }))?;
    let files = [("docx", docx), ("pdf", pdf)];
    Ok(s.store.publish_assessment(&auth.actor, &result, &number, &files, now).await?)
}

/// Withdraw the published result (the office), with the reason; it stays,
/// marked, and the year can be scored again.
#[utoipa::path(post, path = "/api/plans/{id}/assessment/{year}/withdraw", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1)), request_body = ReasonBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn withdraw(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
    Body(body): Body<ReasonBody>,
) -> ApiResult<StatusCode> {
    let (plan, year) = plan_year(path.0)?;
    s.store.withdraw_assessment(&auth.actor, plan, year, &body.reason, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The published 通报 (`docx` or `pdf`), byte for byte as published.
#[utoipa::path(get, path = "/api/plans/{id}/assessment/{year}/bulletin/{format}", tag = "assessment",
    params(("id" = i64, Path, minimum = 1), ("year" = i64, Path, minimum = 1),
           ("format" = String, Path, description = "`docx` or `pdf`")),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"))),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn bulletin_file(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, year, format)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let (plan, year) = plan_year((id, year))?;
    let content_type = match format.as_str() {
        "docx" => super::DOCX,
        "pdf" => "application/pdf",
        _ => {
            return Err(ApiError::from(Reason::NotOneOf {
                value: format.chars().take(10).collect(),
                allowed: "docx、pdf".into(),
            })
            .field("format"));
        }
    };
    let (a, bytes) = s.store.assessment_result_file(&auth.actor, plan, year, &format).await?;
    let number = a.published.as_ref().map(|p| p.number.clone()).unwrap_or_default();
    Ok(super::attachment(&format!("{}_{number}.{format}", bulletin::file_stem(&a)), content_type, bytes))
}

/// The assessment routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_scheme, put_scheme))
        .routes(routes!(scheme_versions))
        .routes(routes!(scheme_xlsx, import_scheme))
        .routes(routes!(get_assessment))
        .routes(routes!(unit_result))
        .routes(routes!(entries, add_entry))
        .routes(routes!(withdraw_entry))
        .routes(routes!(attach_entry_file))
        .routes(routes!(attach_self_file))
        .routes(routes!(evidence_file))
        .routes(routes!(self_assessments))
        .routes(routes!(submit_self))
        .routes(routes!(review_self))
        .routes(routes!(publish))
        .routes(routes!(withdraw))
        .routes(routes!(bulletin_file))
}
