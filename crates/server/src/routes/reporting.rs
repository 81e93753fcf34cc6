//! Monthly dispatch (月调度): a plan's reporting calendar, the units' forms
//! for each period (save, submit, return, approve, accept, versions), locks
//! reopened for one unit, reminders, what a reporter has due, and the
//! reporting rates. The store checks who may do each.

use super::XLSX;
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use bighealth_documents::{report_form, summary};
use bighealth_rules::reporting::entry::ItemKind;
use bighealth_rules::reporting::{Period, Schedule};
use bighealth_store::Action;
use bighealth_store::Reason;
use bighealth_store::reporting::attachments::Attachment;
use bighealth_store::reporting::digests::Contacts;
use bighealth_store::reporting::forms::{Form, Review, SaveForm, Version};
use bighealth_store::reporting::parts::{self, PartInput};
use bighealth_store::reporting::rates::PlanRates;
use bighealth_store::reporting::reminders::{Due, NewReminder, Reminder};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A form's place: `/api/plans/{id}/reports/{period}/{unit}`.
struct FormAt {
    plan: i64,
    period: String,
    unit: i64,
}

impl FromRequestParts<AppState> for FormAt {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path((plan, period, unit)) = Path::<(String, String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::from(Reason::IdMalformed { raw: e.body_text() }).field("id"))?;
        Ok(FormAt {
            plan: crate::extract::positive_id(&plan, "id")?,
            period,
            unit: crate::extract::positive_id(&unit, "unit")?,
        })
    }
}

/// A plan id and a period: `/api/plans/{id}/reports/{period}`.
struct PeriodAt {
    plan: i64,
    period: String,
}

impl FromRequestParts<AppState> for PeriodAt {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Path((plan, period)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::from(Reason::IdMalformed { raw: e.body_text() }).field("id"))?;
        Ok(PeriodAt { plan: crate::extract::positive_id(&plan, "id")?, period })
    }
}

/// A year.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct YearQuery {
    /// The year (this year by default).
    year: Option<i64>,
}

/// Why a period is reopened.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Reopen {
    /// Why (required; kept in the audit log).
    reason: String,
}

fn this_year(s: &AppState) -> i64 {
    i64::from(bighealth_rules::calendar::date_of(s.clock.now()).year())
}

/// A plan's reporting calendar settings.
#[utoipa::path(get, path = "/api/plans/{id}/reporting", tag = "reporting", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Schedule), (status = 404, body = ErrorBody)))]
async fn get_schedule(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Schedule>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.reporting_schedule(id).await?))
}

/// Set a plan's reporting calendar: cycle, due day, grace, lock, the names
/// of the task statuses, the plan's office (`default_unit`: it reports what
/// names no unit, and its region's part of the parent plan), the group
/// robots (the office).
#[utoipa::path(put, path = "/api/plans/{id}/reporting", tag = "reporting", params(("id" = i64, Path, minimum = 1)),
    request_body = Schedule,
    responses((status = 200, body = Schedule), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_schedule(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(schedule): Body<Schedule>,
) -> ApiResult<Json<Schedule>> {
    Ok(Json(s.store.set_reporting_schedule(&auth.actor, id, &schedule, s.clock.now()).await?))
}

/// The periods of a plan in a year, with their due and lock days.
#[utoipa::path(get, path = "/api/plans/{id}/periods", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), YearQuery),
    responses((status = 200, body = Vec<Period>), (status = 404, body = ErrorBody)))]
async fn periods(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Q(q): Q<YearQuery>,
) -> ApiResult<Json<Vec<Period>>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let year = q.year.unwrap_or_else(|| this_year(&s));
    bighealth_rules::check::plan_year("year", year).map_err(ApiError::from)?;
    let schedule = s.store.reporting_schedule(id).await?;
    Ok(Json(schedule.periods_of_year(year as i16, &s.store.holidays())))
}

/// The forms of every unit due in a period (the office's queue; a leader reads).
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path, description = "2026-03, 2026-Q1 or 2026")),
    responses((status = 200, body = Vec<Form>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn queue(State(s): State<AppState>, auth: Auth, at: PeriodAt) -> ApiResult<Json<Vec<Form>>> {
    Ok(Json(s.store.report_forms(&auth.actor, at.plan, &at.period, s.clock.now()).await?))
}

/// What a reminder did.
#[derive(Debug, serde::Serialize, ToSchema)]
struct Reminded {
    /// The units reminded.
    units: Vec<i64>,
    /// The day's digests sent by e-mail and to group robots.
    sent: Vec<crate::notify::Sent>,
}

/// Remind the units that have not reported a period (催报); all of them
/// unless `units` names some. Each unit's digest of the day then goes out
/// by e-mail and to the plan's group robots, once per unit and day.
#[utoipa::path(post, path = "/api/plans/{id}/reports/{period}/reminders", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path)), request_body = NewReminder,
    responses((status = 201, body = Reminded), (status = 403, body = ErrorBody)))]
async fn remind(
    State(s): State<AppState>,
    auth: Auth,
    at: PeriodAt,
    Body(new): Body<NewReminder>,
) -> ApiResult<(StatusCode, Json<Reminded>)> {
    let now = s.clock.now();
    let units = s.store.remind(&auth.actor, at.plan, &at.period, &new, now).await?;
    let sent = crate::notify::deliver(&s, now).await?;
    Ok((StatusCode::CREATED, Json(Reminded { units, sent })))
}

/// Where a unit's reminders go (the office).
#[utoipa::path(get, path = "/api/units/{id}/contacts", tag = "reporting", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Contacts), (status = 403, body = ErrorBody)))]
async fn get_contacts(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Contacts>> {
    auth.require(&s, Action::ReviewReports, &format!("unit:{id}")).await?;
    s.store.unit(id).await?;
    Ok(Json(s.store.unit_contacts(id).await?))
}

/// Set where a unit's reminders go: its e-mail addresses (the office).
#[utoipa::path(put, path = "/api/units/{id}/contacts", tag = "reporting", params(("id" = i64, Path, minimum = 1)),
    request_body = Contacts,
    responses((status = 200, body = Contacts), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_contacts(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(c): Body<Contacts>,
) -> ApiResult<Json<Contacts>> {
    Ok(Json(s.store.set_unit_contacts(&auth.actor, id, &c, s.clock.now()).await?))
}

/// A unit's form for a period, with what it reported before.
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}/{unit}", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    responses((status = 200, body = Form), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_form(State(s): State<AppState>, auth: Auth, at: FormAt) -> ApiResult<Json<Form>> {
    Ok(Json(s.store.report_form(&auth.actor, at.plan, at.unit, &at.period, s.clock.now()).await?))
}

/// Save the form as a draft (the unit's reporter).
#[utoipa::path(put, path = "/api/plans/{id}/reports/{period}/{unit}", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    request_body = SaveForm,
    responses((status = 200, body = Form), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn save_form(
    State(s): State<AppState>,
    auth: Auth,
    at: FormAt,
    Body(save): Body<SaveForm>,
) -> ApiResult<Json<Form>> {
    Ok(Json(s.store.save_report(&auth.actor, at.plan, at.unit, &at.period, save, false, s.clock.now()).await?))
}

/// Submit the form (the unit's reporter). The same submission sent again is
/// stored once; a value far from the unit's history is refused with
/// `confirm_unusual` until sent with `confirm: true`.
#[utoipa::path(post, path = "/api/plans/{id}/reports/{period}/{unit}/submit", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    request_body = SaveForm,
    responses((status = 200, body = Form), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn submit_form(
    State(s): State<AppState>,
    auth: Auth,
    at: FormAt,
    Body(save): Body<SaveForm>,
) -> ApiResult<Json<Form>> {
    Ok(Json(s.store.save_report(&auth.actor, at.plan, at.unit, &at.period, save, true, s.clock.now()).await?))
}

/// The tasks a unit is a responsible unit (责任单位) of, with its parts of
/// the period: what it did of each, which the lead unit sees on its form.
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}/{unit}/parts", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    responses((status = 200, body = parts::Parts), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_parts(State(s): State<AppState>, auth: Auth, at: FormAt) -> ApiResult<Json<parts::Parts>> {
    Ok(Json(s.store.report_parts(&auth.actor, at.plan, at.unit, &at.period, s.clock.now()).await?))
}

/// A responsible unit saves its parts of the period (its reporter); an
/// unchanged part is not saved again, a changed one is kept beside the
/// earlier.
#[utoipa::path(put, path = "/api/plans/{id}/reports/{period}/{unit}/parts", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    request_body = Vec<PartInput>,
    responses((status = 200, body = parts::Parts), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn save_parts(
    State(s): State<AppState>,
    auth: Auth,
    at: FormAt,
    Body(given): Body<Vec<PartInput>>,
) -> ApiResult<Json<parts::Parts>> {
    Ok(Json(s.store.save_report_parts(&auth.actor, at.plan, at.unit, &at.period, &given, s.clock.now()).await?))
}

/// Return (with reasons for the form or per item), approve or accept a form (the office).
#[utoipa::path(post, path = "/api/plans/{id}/reports/{period}/{unit}/review", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    request_body = Review,
    responses((status = 200, body = Form), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn review_form(
    State(s): State<AppState>,
    auth: Auth,
    at: FormAt,
    Body(review): Body<Review>,
) -> ApiResult<Json<Form>> {
    Ok(Json(s.store.review_report(&auth.actor, at.plan, at.unit, &at.period, &review, s.clock.now()).await?))
}

/// Every version of a form (each submission, return, approval, acceptance), oldest first.
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}/{unit}/versions", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<Version>), (status = 403, body = ErrorBody)))]
async fn versions(State(s): State<AppState>, auth: Auth, at: FormAt) -> ApiResult<Json<Vec<Version>>> {
    Ok(Json(s.store.report_versions(&auth.actor, at.plan, at.unit, &at.period).await?))
}

/// Reopen a locked period for one unit, with a reason (the office).
#[utoipa::path(post, path = "/api/plans/{id}/reports/{period}/{unit}/reopen", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    request_body = Reopen,
    responses((status = 204, description = "Reopened"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reopen(State(s): State<AppState>, auth: Auth, at: FormAt, Body(r): Body<Reopen>) -> ApiResult<StatusCode> {
    s.store.reopen_period(&auth.actor, at.plan, at.unit, &at.period, &r.reason, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Lock again a period reopened for one unit (the office).
#[utoipa::path(delete, path = "/api/plans/{id}/reports/{period}/{unit}/reopen", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    responses((status = 204, description = "Locked again"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn relock(State(s): State<AppState>, auth: Auth, at: FormAt) -> ApiResult<StatusCode> {
    s.store.relock_period(&auth.actor, at.plan, at.unit, &at.period, s.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A plan's reporting rates in a year: 及时率, 迟报率, 缺报率 and 报送率 per
/// period and unit.
#[utoipa::path(get, path = "/api/plans/{id}/rates", tag = "reporting", params(("id" = i64, Path, minimum = 1), YearQuery),
    responses((status = 200, body = PlanRates), (status = 404, body = ErrorBody)))]
async fn rates(State(s): State<AppState>, auth: Auth, Id(id): Id, Q(q): Q<YearQuery>) -> ApiResult<Json<PlanRates>> {
    let year = q.year.unwrap_or_else(|| this_year(&s));
    Ok(Json(s.store.reporting_rates(&auth.actor, id, year, s.clock.now()).await?))
}

/// What the reporter's units have to report now, late ones flagged.
#[utoipa::path(get, path = "/api/reporting/due", tag = "reporting",
    responses((status = 200, body = Vec<Due>), (status = 403, body = ErrorBody)))]
async fn due(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Due>>> {
    Ok(Json(s.store.my_due(&auth.actor, s.clock.now()).await?))
}

/// The reminders sent to the reporter's units, newest first.
#[utoipa::path(get, path = "/api/reporting/reminders", tag = "reporting",
    responses((status = 200, body = Vec<Reminder>), (status = 403, body = ErrorBody)))]
async fn reminders(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Reminder>>> {
    Ok(Json(s.store.my_reminders(&auth.actor).await?))
}

/// What an upload of a filled form does.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct UploadQuery {
    /// Submit the form (else it is saved as a draft).
    #[serde(default)]
    submit: bool,
    /// The unusual values were checked.
    #[serde(default)]
    confirm: bool,
}

/// The unit's form for the period as an Excel file to fill offline: labels
/// and ids locked, drop-down lists, last period's figures beside the cells.
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}/{unit}/xlsx", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 403, body = ErrorBody)))]
async fn form_xlsx(State(s): State<AppState>, auth: Auth, at: FormAt) -> ApiResult<Response> {
    let form = s.store.report_form(&auth.actor, at.plan, at.unit, &at.period, s.clock.now()).await?;
    let plan = s.store.plan(at.plan).await?;
    let schedule = s.store.reporting_schedule(at.plan).await?;
    let title = plan.name();
    let bytes = report_form::write(&form, title, &schedule).map_err(|_| ApiError::from(Reason::Internal {}))?;
    Ok(super::attachment(&report_form::file_name(&form), XLSX, bytes))
}

/// Upload a filled Excel form: saved as a draft, or submitted with
/// `submit=true`. A file of another plan, period or unit, or whose layout
/// was changed, is refused; from a file with any wrong cell nothing is
/// stored and every wrong cell is named (`进度表!E7：…`).
#[utoipa::path(post, path = "/api/plans/{id}/reports/{period}/{unit}/xlsx", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The filled .xlsx form, as downloaded"),
    responses((status = 200, body = Form), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    at: FormAt,
    Q(q): Q<UploadQuery>,
    req: axum::extract::Request,
) -> ApiResult<Json<Form>> {
    // Who may not report is refused before the body is read.
    if let Err(e) = auth.require(&s, Action::Report, &format!("report:{}:{}:{}", at.plan, at.period, at.unit)).await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let now = s.clock.now();
    let form = match s.store.report_form(&auth.actor, at.plan, at.unit, &at.period, now).await {
        Ok(f) => f,
        Err(e) => return Err(crate::extract::refuse_upload(req, e.into()).await),
    };
    let bytes = crate::extract::upload(req).await?;
    let schedule = s.store.reporting_schedule(at.plan).await?;
    let filled = report_form::read(&bytes, &form, &schedule)?;
    let problems = s
        .store
        .report_problems(&auth.actor, at.plan, at.unit, &at.period, filled.entries.clone(), q.submit, q.confirm, now)
        .await?;
    if !problems.is_empty() || !filled.readable() {
        return Err(filled.name_cells(&problems).into());
    }
    let save = SaveForm { entries: filled.entries, reason: None, confirm: q.confirm };
    Ok(Json(s.store.save_report(&auth.actor, at.plan, at.unit, &at.period, save, q.submit, now).await?))
}

/// Every unit's form of the period, one Excel file each, in one `.zip` (the office).
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}/forms.zip", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path)),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>), (status = 403, body = ErrorBody)))]
async fn forms_zip(State(s): State<AppState>, auth: Auth, at: PeriodAt) -> ApiResult<Response> {
    auth.require(&s, Action::ReviewReports, &format!("plan:{}", at.plan)).await?;
    let forms = s.store.report_forms(&auth.actor, at.plan, &at.period, s.clock.now()).await?;
    let plan = s.store.plan(at.plan).await?;
    let schedule = s.store.reporting_schedule(at.plan).await?;
    let title = plan.name();
    let mut files = Vec::new();
    for form in &forms {
        let bytes = report_form::write(form, title, &schedule).map_err(|_| ApiError::from(Reason::Internal {}))?;
        files.push((report_form::file_name(form), bytes));
    }
    let zip = report_form::bundle(&files).map_err(|_| ApiError::from(Reason::Internal {}))?;
    let label = forms.first().map(|f| f.period.label.clone()).unwrap_or(at.period.clone());
    Ok(super::attachment(&format!("{title}_{label}_填报表.zip"), "application/zip", zip))
}

/// The period's consolidated table (汇总表): every unit's report in one workbook.
#[utoipa::path(get, path = "/api/plans/{id}/reports/{period}/summary.xlsx", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
              (status = 403, body = ErrorBody)))]
async fn summary_xlsx(State(s): State<AppState>, auth: Auth, at: PeriodAt) -> ApiResult<Response> {
    let forms = s.store.report_forms(&auth.actor, at.plan, &at.period, s.clock.now()).await?;
    let plan = s.store.plan(at.plan).await?;
    let schedule = s.store.reporting_schedule(at.plan).await?;
    let title = plan.name();
    let bytes = summary::write(&forms, title, &schedule).map_err(|_| ApiError::from(Reason::Internal {}))?;
    let label = forms.first().map(|f| f.period.label.clone()).unwrap_or(at.period.clone());
    Ok(super::attachment(&summary::file_name(title, &label), XLSX, bytes))
}

/// Which item an attachment is for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AttachQuery {
    /// `task`, `target` or `project`.
    kind: String,
    /// The item's id.
    item: i64,
    /// The file's name (its ending tells a .docx from a .xlsx).
    name: String,
}

/// Attach evidence (佐证材料) to an item of the form: a PDF, a JPG or PNG
/// image, a .docx or .xlsx file of at most 20 MB, kept with its SHA-256.
#[utoipa::path(post, path = "/api/plans/{id}/reports/{period}/{unit}/attachments", tag = "reporting",
    params(("id" = i64, Path, minimum = 1), ("period" = String, Path), ("unit" = i64, Path, minimum = 1), AttachQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = Attachment), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn attach(
    State(s): State<AppState>,
    auth: Auth,
    at: FormAt,
    Q(q): Q<AttachQuery>,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    if let Err(e) = auth.require(&s, Action::Report, &format!("report:{}:{}:{}", at.plan, at.period, at.unit)).await {
        return Err(crate::extract::refuse_upload(req, e).await);
    }
    let Some(kind) = ItemKind::parse(&q.kind) else {
        let e = ApiError::from(Reason::NotOneOf {
            value: q.kind.chars().take(20).collect(),
            allowed: "task、target、project".into(),
        })
        .field("kind");
        return Err(crate::extract::refuse_upload(req, e).await);
    };
    let bytes = crate::extract::upload(req).await?;
    let a =
        s.store.attach(&auth.actor, at.plan, at.unit, &at.period, kind, q.item, &q.name, &bytes, s.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// An attachment, byte for byte, for who may read its form.
#[utoipa::path(get, path = "/api/attachments/{id}", tag = "reporting", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn get_attachment(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (name, content_type, bytes) = s.store.attachment(&auth.actor, id).await?;
    Ok(super::attachment(&name, &content_type, bytes))
}

/// The reporting routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_schedule, put_schedule))
        .routes(routes!(periods))
        .routes(routes!(queue))
        .routes(routes!(remind))
        .routes(routes!(get_contacts, put_contacts))
        .routes(routes!(get_form, save_form))
        .routes(routes!(submit_form))
        .routes(routes!(get_parts, save_parts))
        .routes(routes!(review_form))
        .routes(routes!(versions))
        .routes(routes!(form_xlsx, upload_xlsx))
        .routes(routes!(attach))
        .routes(routes!(get_attachment))
        .routes(routes!(forms_zip))
        .routes(routes!(summary_xlsx))
        .routes(routes!(reopen, relock))
        .routes(routes!(rates))
        .routes(routes!(due))
        .routes(routes!(reminders))
}
