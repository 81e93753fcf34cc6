//! Analysis (季分析): a plan's status at the end of a period — every
//! target, task and project against 序时 with its reason, and the counts a
//! leader reads first — and the office's status thresholds. Read from the
//! approved figures themselves: an approval counts at the next request.
//! The quarterly analysis (季度运行分析): the office's paragraphs, the
//! document as .docx and .pdf and the figures as .xlsx as they stand, the
//! issue that keeps them unchanged, and the versions issued.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bighealth_documents::gongwen::Gongwen;
use bighealth_documents::quarterly;
use bighealth_documents::regional;
use bighealth_documents::supervision::Letterhead;
use bighealth_rules::analysis::Settings;
use bighealth_rules::analysis::quarter::Quarter;
use bighealth_rules::calendar::date_of;
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::reporting::rates::{Rates, combined};
use bighealth_store::analysis::quarterly::{FORMATS, Kind, Narrative, QuarterReport, Subject};
use bighealth_store::analysis::regions::RegionProgress;
use bighealth_store::analysis::status::PlanStatus;
use bighealth_store::enterprises::Fall;
use bighealth_store::indicators::rollup::RegionFigures;
use bighealth_store::{Action, Reason};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
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

/// The data behind the status page's chart and table as an Excel workbook
/// (the counts by status with their chart, every item with its reason).
#[utoipa::path(get, path = "/api/plans/{id}/analysis.xlsx", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), PeriodQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn plan_status_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Q(q): Q<PeriodQuery>,
) -> ApiResult<Response> {
    let status = s.store.plan_status(&auth.actor, id, q.period.as_deref(), s.clock.now()).await?;
    let name = s.store.plan(id).await?.name().to_string();
    let view = quarterly::Quarter {
        plan: &name,
        label: status.period.label.clone(),
        status: &status,
        previous: None,
        rates: None,
    };
    let book = quarterly::workbook(&view).map_err(|_| ApiError::from(Reason::Internal {}))?;
    Ok(super::attachment(&format!("{name}_{}推进状态.xlsx", status.period.label), super::XLSX, book))
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

/// A plan and a quarter: `/api/plans/{id}/analysis/quarters/{quarter}`.
async fn quarter_of(Path((id, quarter)): Path<(String, String)>) -> ApiResult<(i64, Quarter)> {
    let id = crate::extract::positive_id(&id, "id")?;
    let q = Quarter::parse(&quarter).map_err(|r| ApiError::from(r.reason).field("quarter"))?;
    Ok((id, q))
}

/// A quarter's draft: the office's paragraphs (or those drafted from the
/// figures), and the versions issued so far.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuarterDraft {
    /// The quarter (`2026-Q3`).
    pub quarter: String,
    /// Its name (`2026年第三季度`).
    pub label: String,
    /// The paragraphs.
    pub narrative: Narrative,
    /// Whether the office saved them (else they are drafted from the figures).
    pub saved: bool,
    /// The number the next issue takes.
    pub next_number: String,
    /// The versions of this quarter issued so far, the newest first.
    pub issued: Vec<QuarterReport>,
}

/// What a quarter's analysis is written from: the status at its end and
/// at the end of the quarter before, and the reporting rates of its periods.
async fn figures(
    s: &AppState,
    auth: &Auth,
    plan: i64,
    q: Quarter,
) -> ApiResult<(String, PlanStatus, Option<PlanStatus>, Option<Rates>)> {
    let now = s.clock.now();
    let schedule = s.store.reporting_schedule(plan).await?;
    let holidays = s.store.holidays();
    let key = |day| schedule.period_holding(day, &holidays).key;
    let status = s.store.plan_status(&auth.actor, plan, Some(&key(q.end())), now).await?;
    let previous = s.store.plan_status(&auth.actor, plan, Some(&key(q.before().end())), now).await.ok();
    let rates = s.store.reporting_rates(&auth.actor, plan, i64::from(q.year), now).await?;
    let parts: Vec<_> = rates
        .periods
        .iter()
        .filter(|p| p.counted && p.period.end >= q.start() && p.period.end <= q.end())
        .map(|p| &p.rates)
        .collect();
    let rates = (!parts.is_empty()).then(|| combined(parts));
    let name = s.store.plan(plan).await?.name().to_string();
    Ok((name, status, previous, rates))
}

/// A quarter's draft: the paragraphs and the versions issued.
#[utoipa::path(get, path = "/api/plans/{id}/analysis/quarters/{quarter}", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 200, body = QuarterDraft), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_quarter(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<QuarterDraft>> {
    let (plan, q) = quarter_of(path).await?;
    Ok(Json(draft(&s, &auth, plan, q).await?))
}

/// A quarter's draft: the paragraphs saved, else drafted from the figures.
pub(crate) async fn draft(s: &AppState, auth: &Auth, plan: i64, q: Quarter) -> ApiResult<QuarterDraft> {
    auth.require(s, Action::ReadPlans, &format!("plan:{plan}")).await?;
    let saved = s.store.quarter_narrative(&auth.actor, &Subject::Plan(plan), &q.key()).await?;
    let narrative = match &saved {
        Some(n) => n.clone(),
        None => {
            let (name, status, previous, rates) = figures(s, auth, plan, q).await?;
            let quarter = quarterly::Quarter {
                plan: &name,
                label: q.label(),
                status: &status,
                previous: previous.as_ref(),
                rates,
            };
            quarterly::drafted(&quarter)
        }
    };
    let issued = s
        .store
        .quarter_reports(&auth.actor, &Subject::Plan(plan))
        .await?
        .into_iter()
        .filter(|r| r.quarter == q.key())
        .collect();
    Ok(QuarterDraft {
        quarter: q.key(),
        label: q.label(),
        narrative,
        saved: saved.is_some(),
        next_number: s.store.next_quarter_number(&Subject::Plan(plan), q.year).await?,
        issued,
    })
}

/// Save a quarter's paragraphs (the office).
#[utoipa::path(put, path = "/api/plans/{id}/analysis/quarters/{quarter}", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("quarter" = String, Path, description = "`2026-Q3`")),
    request_body = Narrative,
    responses((status = 200, body = Narrative), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_quarter(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
    Body(narrative): Body<Narrative>,
) -> ApiResult<Json<Narrative>> {
    let (plan, q) = quarter_of(path).await?;
    Ok(Json(
        s.store.save_quarter_narrative(&auth.actor, &Subject::Plan(plan), &q.key(), &narrative, s.clock.now()).await?,
    ))
}

/// The document and workbook of a quarter as they stand, and their number and name.
async fn quarter_files(
    s: &AppState,
    auth: &Auth,
    plan: i64,
    q: Quarter,
) -> ApiResult<(Gongwen, Vec<u8>, Narrative, String, String)> {
    auth.require(s, Action::ReadPlans, &format!("plan:{plan}")).await?;
    let (name, status, previous, rates) = figures(s, auth, plan, q).await?;
    let quarter =
        quarterly::Quarter { plan: &name, label: q.label(), status: &status, previous: previous.as_ref(), rates };
    let narrative = match s.store.quarter_narrative(&auth.actor, &Subject::Plan(plan), &q.key()).await? {
        Some(n) => n,
        None => quarterly::drafted(&quarter),
    };
    let number = s.store.next_quarter_number(&Subject::Plan(plan), q.year).await?;
    let head = super::letterhead(s, plan, s.clock.now()).await?;
    let doc = quarterly::document(&quarter, &narrative, &head, &number);
    let book = quarterly::workbook(&quarter).map_err(|_| ApiError::from(Reason::Internal {}))?;
    Ok((doc, book, narrative, number, format!("{name}_{}运行分析", q.label())))
}

/// A quarter's analysis as a Word file, as it stands (the draft).
#[utoipa::path(get, path = "/api/plans/{id}/analysis/quarters/{quarter}/analysis.docx", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn quarter_docx(State(s): State<AppState>, auth: Auth, path: Path<(String, String)>) -> ApiResult<Response> {
    let (plan, q) = quarter_of(path).await?;
    let (doc, _, _, _, name) = quarter_files(&s, &auth, plan, q).await?;
    super::docx(&doc, &name)
}

/// A quarter's analysis as a PDF (fonts embedded), as it stands.
#[utoipa::path(get, path = "/api/plans/{id}/analysis/quarters/{quarter}/analysis.pdf", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn quarter_pdf(State(s): State<AppState>, auth: Auth, path: Path<(String, String)>) -> ApiResult<Response> {
    let (plan, q) = quarter_of(path).await?;
    let (doc, _, _, _, name) = quarter_files(&s, &auth, plan, q).await?;
    super::pdf(doc, &name).await
}

/// A quarter's figures as an Excel workbook with its charts, as they stand.
#[utoipa::path(get, path = "/api/plans/{id}/analysis/quarters/{quarter}/analysis.xlsx", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn quarter_xlsx(State(s): State<AppState>, auth: Auth, path: Path<(String, String)>) -> ApiResult<Response> {
    let (plan, q) = quarter_of(path).await?;
    let (_, book, _, _, name) = quarter_files(&s, &auth, plan, q).await?;
    Ok(super::attachment(&format!("{name}.xlsx"), super::XLSX, book))
}

/// Issue a quarter's analysis (the office): numbered, its paragraphs and
/// its .docx, .xlsx and .pdf kept unchanged from now on.
#[utoipa::path(post, path = "/api/plans/{id}/analysis/quarters/{quarter}/issue", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 201, body = QuarterReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
async fn issue_quarter(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<QuarterReport>)> {
    let (plan, q) = quarter_of(path).await?;
    Ok((StatusCode::CREATED, Json(issue(&s, &auth, plan, q).await?)))
}

/// Issues a quarter's analysis as it stands: the document and workbook
/// written, typeset and kept with their number.
pub async fn issue(s: &AppState, auth: &Auth, plan: i64, q: Quarter) -> ApiResult<QuarterReport> {
    auth.actor.require(Action::ReviewReports).map_err(ApiError::from)?;
    let (doc, book, narrative, number, _) = quarter_files(s, auth, plan, q).await?;
    issue_files(s, auth, &Subject::Plan(plan), q, doc, book, &narrative, &number).await
}

/// Writes the document's .docx and .pdf beside its workbook and issues them.
#[allow(clippy::too_many_arguments)]
async fn issue_files(
    s: &AppState,
    auth: &Auth,
    subject: &Subject,
    q: Quarter,
    doc: Gongwen,
    book: Vec<u8>,
    narrative: &Narrative,
    number: &str,
) -> ApiResult<QuarterReport> {
    let docx = doc.to_docx().map_err(|_| ApiError::from(Reason::Internal {}))?;
    let pdf = tokio::task::spawn_blocking(move || doc.to_pdf())
        .await
        .map_err(|_| ApiError::from(Reason::Internal {}))?
        .map_err(|detail| ApiError::from(Reason::PdfUnavailable { detail }))?;
    let files = [("docx", docx), ("xlsx", book), ("pdf", pdf)];
    Ok(s.store.issue_quarter_report(&auth.actor, subject, &q.key(), number, narrative, &files, s.clock.now()).await?)
}

/// The quarterly analyses issued for a plan, the newest first.
#[utoipa::path(get, path = "/api/plans/{id}/analysis/reports", tag = "analysis",
    params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<QuarterReport>), (status = 404, body = ErrorBody)))]
async fn quarter_reports(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<QuarterReport>>> {
    Ok(Json(s.store.quarter_reports(&auth.actor, &Subject::Plan(id)).await?))
}

/// A file of an issued analysis, byte for byte as issued.
#[utoipa::path(get, path = "/api/analysis/reports/{id}/{format}", tag = "analysis",
    params(("id" = i64, Path, minimum = 1), ("format" = String, Path, description = "`docx`, `xlsx` or `pdf`")),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn quarter_report_file(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, format)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = crate::extract::positive_id(&id, "id")?;
    let (report, bytes) = s.store.quarter_report_file(&auth.actor, Kind::Plan, id, &format_of(&format)?).await?;
    let plan = s.store.plan(report.plan_id.unwrap_or_default()).await?;
    Ok(report_file(plan.name(), &report, &format, bytes))
}

/// A format of an issued analysis, checked.
fn format_of(format: &str) -> ApiResult<String> {
    if FORMATS.contains(&format) {
        Ok(format.to_string())
    } else {
        Err(ApiError::from(Reason::NotOneOf { value: format.chars().take(10).collect(), allowed: FORMATS.join("、") })
            .field("format"))
    }
}

/// An issued analysis's file, named for whose it is, its quarter and number.
fn report_file(whose: &str, report: &QuarterReport, format: &str, bytes: Vec<u8>) -> Response {
    let label = Quarter::parse(&report.quarter).map(Quarter::label).unwrap_or(report.quarter.clone());
    let content_type = match format {
        "docx" => super::DOCX,
        "xlsx" => super::XLSX,
        _ => "application/pdf",
    };
    super::attachment(&format!("{whose}_{label}运行分析_{}.{format}", report.number), content_type, bytes)
}

/// A region and a quarter: `/api/regions/{code}/analysis/quarters/{quarter}`.
fn region_quarter_of((code, quarter): (String, String)) -> ApiResult<(String, Quarter)> {
    let q = Quarter::parse(&quarter).map_err(|r| ApiError::from(r.reason).field("quarter"))?;
    Ok((code, q))
}

/// What a region's analysis of a quarter is written from: its figures at
/// the quarter's end, the plans' progress, the enterprises whose figures fall.
struct RegionData {
    figures: RegionFigures,
    progress: Vec<RegionProgress>,
    falls: Vec<Fall>,
}

impl RegionData {
    async fn read(s: &AppState, auth: &Auth, code: &str, q: Quarter) -> ApiResult<RegionData> {
        let at = PeriodEnd::of_date(q.end());
        Ok(RegionData {
            figures: s.store.region_figures(&auth.actor, code, Some(at), at).await?,
            progress: s.store.region_progress(&auth.actor, code, s.clock.now()).await?,
            falls: s.store.falling_enterprises(&auth.actor, code, at).await?,
        })
    }

    fn view(&self, q: Quarter) -> regional::Region<'_> {
        regional::Region { label: q.label(), figures: &self.figures, progress: &self.progress, falls: &self.falls }
    }
}

/// A region's analysis of a quarter as it stands: the document (with the
/// office's paragraphs, or those drafted from the figures), the workbook,
/// the paragraphs, the number the next issue takes, the file name.
async fn region_files(
    s: &AppState,
    auth: &Auth,
    code: &str,
    q: Quarter,
) -> ApiResult<(Gongwen, Vec<u8>, Narrative, String, String)> {
    let data = RegionData::read(s, auth, code, q).await?;
    let view = data.view(q);
    let subject = Subject::Region(code.to_string());
    let narrative = match s.store.quarter_narrative(&auth.actor, &subject, &q.key()).await? {
        Some(n) => n,
        None => regional::drafted(&view),
    };
    let number = s.store.next_quarter_number(&subject, q.year).await?;
    let issuer = "大健康产业发展工作领导小组办公室".to_string();
    let head = Letterhead { issuer: issuer.clone(), signature: issuer, date: date_of(s.clock.now()), contact: None };
    let doc = regional::document(&view, &narrative, &head, &number);
    let book = regional::workbook(&view).map_err(|_| ApiError::from(Reason::Internal {}))?;
    Ok((doc, book, narrative, number, regional::file_stem(&view)))
}

/// A region's quarter: the paragraphs saved, else drafted from the figures, and the versions issued.
pub(crate) async fn region_draft(s: &AppState, auth: &Auth, code: &str, q: Quarter) -> ApiResult<QuarterDraft> {
    let subject = Subject::Region(code.to_string());
    let saved = s.store.quarter_narrative(&auth.actor, &subject, &q.key()).await?;
    let narrative = match &saved {
        Some(n) => n.clone(),
        None => regional::drafted(&RegionData::read(s, auth, code, q).await?.view(q)),
    };
    let issued =
        s.store.quarter_reports(&auth.actor, &subject).await?.into_iter().filter(|r| r.quarter == q.key()).collect();
    Ok(QuarterDraft {
        quarter: q.key(),
        label: q.label(),
        narrative,
        saved: saved.is_some(),
        next_number: s.store.next_quarter_number(&subject, q.year).await?,
        issued,
    })
}

/// A region's quarter (地区季度运行分析): the paragraphs and the versions issued.
#[utoipa::path(get, path = "/api/regions/{code}/analysis/quarters/{quarter}", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 200, body = QuarterDraft), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_region_quarter(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<Json<QuarterDraft>> {
    let (code, q) = region_quarter_of(path.0)?;
    Ok(Json(region_draft(&s, &auth, &code, q).await?))
}

/// Save a region's quarter's paragraphs (the office).
#[utoipa::path(put, path = "/api/regions/{code}/analysis/quarters/{quarter}", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), ("quarter" = String, Path, description = "`2026-Q3`")),
    request_body = Narrative,
    responses((status = 200, body = Narrative), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_region_quarter(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
    Body(narrative): Body<Narrative>,
) -> ApiResult<Json<Narrative>> {
    let (code, q) = region_quarter_of(path.0)?;
    let subject = Subject::Region(code);
    Ok(Json(s.store.save_quarter_narrative(&auth.actor, &subject, &q.key(), &narrative, s.clock.now()).await?))
}

/// Issue a region's quarterly analysis (the office): numbered, its
/// paragraphs and its .docx, .xlsx and .pdf kept unchanged from now on.
#[utoipa::path(post, path = "/api/regions/{code}/analysis/quarters/{quarter}/issue", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), ("quarter" = String, Path, description = "`2026-Q3`")),
    responses((status = 201, body = QuarterReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 503, body = ErrorBody)))]
async fn issue_region_quarter(
    State(s): State<AppState>,
    auth: Auth,
    path: Path<(String, String)>,
) -> ApiResult<(StatusCode, Json<QuarterReport>)> {
    let (code, q) = region_quarter_of(path.0)?;
    Ok((StatusCode::CREATED, Json(issue_region(&s, &auth, &code, q).await?)))
}

/// Issues a region's quarterly analysis as it stands.
pub(crate) async fn issue_region(s: &AppState, auth: &Auth, code: &str, q: Quarter) -> ApiResult<QuarterReport> {
    auth.actor.require(Action::ReviewReports).map_err(ApiError::from)?;
    let (doc, book, narrative, number, _) = region_files(s, auth, code, q).await?;
    issue_files(s, auth, &Subject::Region(code.to_string()), q, doc, book, &narrative, &number).await
}

/// A region's quarterly analyses issued, the newest first.
#[utoipa::path(get, path = "/api/regions/{code}/analysis/reports", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code")),
    responses((status = 200, body = Vec<QuarterReport>), (status = 422, body = ErrorBody)))]
async fn region_reports(
    State(s): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<QuarterReport>>> {
    Ok(Json(s.store.quarter_reports(&auth.actor, &Subject::Region(code)).await?))
}

/// A file of a region's issued analysis, byte for byte as issued.
#[utoipa::path(get, path = "/api/regions/{code}/analysis/reports/{id}/{format}", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), ("id" = i64, Path, minimum = 1),
           ("format" = String, Path, description = "`docx`, `xlsx` or `pdf`")),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn region_report_file(
    State(s): State<AppState>,
    auth: Auth,
    Path((code, id, format)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let id = crate::extract::positive_id(&id, "id")?;
    let (report, bytes) = s.store.quarter_report_file(&auth.actor, Kind::Region, id, &format_of(&format)?).await?;
    if report.region.as_deref() != Some(code.as_str()) {
        return Err(ApiError::from(Reason::not_found(bighealth_store::Object::AnalysisReport, id)));
    }
    let region = s.store.region(&code).await?;
    Ok(report_file(&region.name, &report, &format, bytes))
}

/// A region's quarterly analysis (地区季度运行分析) as it stands: the
/// office's paragraphs (or those drafted from the figures), its indicators
/// at the quarter's end against a year earlier and its children ranked, the
/// plans' progress of the region and of each child, the key enterprises
/// whose figures fall — as a 公文 with its charts (`docx`, `pdf`) or the
/// figures as a workbook (`xlsx`).
#[utoipa::path(get, path = "/api/regions/{code}/analysis/{quarter}/{format}", tag = "analysis",
    params(("code" = String, Path, description = "GB/T 2260 code"), ("quarter" = String, Path, description = "`2026-Q2`"),
           ("format" = String, Path, description = "`docx`, `pdf` or `xlsx`")),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 422, body = ErrorBody)))]
async fn region_analysis(
    State(s): State<AppState>,
    auth: Auth,
    Path((code, quarter, format)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    let (code, q) = region_quarter_of((code, quarter))?;
    let format = format_of(&format)?;
    let (doc, book, _, _, name) = region_files(&s, &auth, &code, q).await?;
    match format.as_str() {
        "docx" => super::docx(&doc, &name),
        "pdf" => super::pdf(doc, &name).await,
        _ => Ok(super::attachment(&format!("{name}.xlsx"), super::XLSX, book)),
    }
}

/// The analysis routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plan_status))
        .routes(routes!(plan_status_xlsx))
        .routes(routes!(get_analysis_settings, put_analysis_settings))
        .routes(routes!(get_quarter, put_quarter))
        .routes(routes!(quarter_docx))
        .routes(routes!(quarter_pdf))
        .routes(routes!(quarter_xlsx))
        .routes(routes!(issue_quarter))
        .routes(routes!(quarter_reports))
        .routes(routes!(quarter_report_file))
        .routes(routes!(get_region_quarter, put_region_quarter))
        .routes(routes!(issue_region_quarter))
        .routes(routes!(region_reports))
        .routes(routes!(region_report_file))
        .routes(routes!(region_analysis))
}
