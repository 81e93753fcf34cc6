//! Supervision (督查督办): a plan's settings and lag rules (run, or tried
//! in a dry run), items opened by hand, the steps of the loop, evidence
//! files, the ledger, a unit's inbox, the leader's alerts, the day's
//! reminders and escalations, the holiday calendars, and the documents
//! (督办通知单, 督办情况通报, as .docx and .pdf) with the templates the
//! office edits. The store
//! checks who may do each.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use bighealth_documents::gongwen::Gongwen;
use bighealth_documents::supervision as docs;
use bighealth_rules::calendar::{date_of, start_of};
use bighealth_rules::supervision::Settings;
use bighealth_store::supervision::HolidayCalendar;
use bighealth_store::supervision::items::{Item, ItemDetail, ItemFile, Ledger, LedgerFilter, NewItem, TakeStep};
use bighealth_store::supervision::rules::{RunReport, RunRules};
use bighealth_store::supervision::sweep::Swept;
use bighealth_store::supervision::templates::TEMPLATE_KINDS;
use bighealth_store::{Action, Reason};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A plan's supervision settings: the 代字, deadlines and lag rules.
#[utoipa::path(get, path = "/api/plans/{id}/supervision", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Settings), (status = 404, body = ErrorBody)))]
async fn get_settings(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Settings>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.supervision_settings(id).await?))
}

/// Set a plan's supervision settings (the office).
#[utoipa::path(put, path = "/api/plans/{id}/supervision", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    request_body = Settings,
    responses((status = 200, body = Settings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_settings(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(settings): Body<Settings>,
) -> ApiResult<Json<Settings>> {
    Ok(Json(s.store.set_supervision_settings(&auth.actor, id, &settings, s.clock.now()).await?))
}

/// Run the lag rules over a period (the office): new causes open items,
/// persisting ones raise their item's level. With `dry_run` nothing is
/// written, and `settings` may be tried before they are saved.
#[utoipa::path(post, path = "/api/plans/{id}/supervision/run", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    request_body = RunRules,
    responses((status = 200, body = RunReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn run_rules(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(run): Body<RunRules>,
) -> ApiResult<Json<RunReport>> {
    Ok(Json(s.store.run_supervision_rules(&auth.actor, id, &run, s.clock.now()).await?))
}

/// Open an item by hand (the office): a leader's instruction, a meeting's
/// decision, an inspection's finding.
#[utoipa::path(post, path = "/api/plans/{id}/supervision/items", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    request_body = NewItem,
    responses((status = 201, body = ItemDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_item(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(new): Body<NewItem>,
) -> ApiResult<(StatusCode, Json<ItemDetail>)> {
    Ok((StatusCode::CREATED, Json(s.store.open_supervision_item(&auth.actor, id, &new, s.clock.now()).await?)))
}

/// The ledger (督办台账): items by state, level, unit, rule, source, due
/// date, overdue; the most urgent first, with counts.
#[utoipa::path(get, path = "/api/supervision/items", tag = "supervision", params(LedgerFilter),
    responses((status = 200, body = Ledger), (status = 403, body = ErrorBody)))]
async fn ledger(State(s): State<AppState>, auth: Auth, Q(f): Q<LedgerFilter>) -> ApiResult<Json<Ledger>> {
    Ok(Json(s.store.supervision_ledger(&auth.actor, &f, s.clock.now()).await?))
}

/// One item with its timeline, files and the steps the caller may take.
#[utoipa::path(get, path = "/api/supervision/items/{id}", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = ItemDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_item(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<ItemDetail>> {
    Ok(Json(s.store.supervision_item(&auth.actor, id, s.clock.now()).await?))
}

/// Take a step: the unit signs, plans, reports progress, asks to close or
/// for an extension; the office accepts, returns, archives, decides an
/// extension or raises the level; a leader comments.
#[utoipa::path(post, path = "/api/supervision/items/{id}/steps", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    request_body = TakeStep,
    responses((status = 200, body = ItemDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn take_step(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(step): Body<TakeStep>,
) -> ApiResult<Json<ItemDetail>> {
    Ok(Json(s.store.take_supervision_step(&auth.actor, id, &step, s.clock.now()).await?))
}

/// A file's name.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FileQuery {
    /// The file's name (its ending tells a .docx from a .xlsx).
    name: String,
}

/// Attach evidence to an item (its units or the office): a PDF, JPG, PNG,
/// .docx or .xlsx of at most 20 MB; it goes with the unit's next step.
#[utoipa::path(post, path = "/api/supervision/items/{id}/files", tag = "supervision",
    params(("id" = i64, Path, minimum = 1), FileQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file"),
    responses((status = 201, body = ItemFile), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn attach_file(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Q(q): Q<FileQuery>,
    req: axum::extract::Request,
) -> ApiResult<(StatusCode, Json<ItemFile>)> {
    let now = s.clock.now();
    if let Err(e) = s.store.supervision_item(&auth.actor, id, now).await {
        return Err(crate::extract::refuse_upload(req, e.into()).await);
    }
    let bytes = crate::extract::upload(req).await?;
    Ok((StatusCode::CREATED, Json(s.store.attach_supervision_file(&auth.actor, id, &q.name, &bytes, now).await?)))
}

/// An item's file, byte for byte, for who may read the item.
#[utoipa::path(get, path = "/api/supervision/files/{id}", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn get_file(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (name, content_type, bytes) = s.store.supervision_file(&auth.actor, id, s.clock.now()).await?;
    Ok(super::attachment(&name, &content_type, bytes))
}

/// The open items of the caller's units, the most urgent first (a reporter).
#[utoipa::path(get, path = "/api/supervision/inbox", tag = "supervision",
    responses((status = 200, body = Vec<Item>), (status = 403, body = ErrorBody)))]
async fn inbox(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Item>>> {
    Ok(Json(s.store.supervision_inbox(&auth.actor, s.clock.now()).await?))
}

/// The open items overdue or red, the caller's own first (leaders, the office).
#[utoipa::path(get, path = "/api/supervision/alerts", tag = "supervision",
    responses((status = 200, body = Vec<Item>), (status = 403, body = ErrorBody)))]
async fn alerts(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Item>>> {
    Ok(Json(s.store.supervision_alerts(&auth.actor, s.clock.now()).await?))
}

/// Remind the units of deadlines near and escalate the items overdue, as
/// the server does each hour (the office runs it now).
#[utoipa::path(post, path = "/api/supervision/sweep", tag = "supervision",
    responses((status = 200, body = Vec<Swept>), (status = 403, body = ErrorBody)))]
async fn sweep(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Swept>>> {
    auth.require(&s, Action::Supervise, "supervision").await?;
    Ok(Json(s.store.supervision_sweep(s.clock.now()).await?))
}

/// A year as a path segment.
fn year_of(raw: &str) -> Result<i64, ApiError> {
    let year = raw
        .parse::<i64>()
        .map_err(|_| ApiError::from(Reason::IdMalformed { raw: raw.chars().take(20).collect() }).field("year"))?;
    bighealth_rules::check::plan_year("year", year).map_err(ApiError::from)?;
    Ok(year)
}

/// The holiday calendar of a year: the days off and the weekend days worked.
#[utoipa::path(get, path = "/api/holidays/{year}", tag = "supervision", params(("year" = i64, Path)),
    responses((status = 200, body = HolidayCalendar), (status = 422, body = ErrorBody)))]
async fn get_holidays(
    State(s): State<AppState>,
    auth: Auth,
    Path(year): Path<String>,
) -> ApiResult<Json<HolidayCalendar>> {
    auth.require(&s, Action::ReadPlans, "calendar").await?;
    Ok(Json(s.store.holiday_calendar(year_of(&year)?).await?))
}

/// A calendar file.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    /// The lines `2027-01-01<TAB>休<TAB>元旦` (休: a day off; 班: a weekend day worked).
    text: String,
}

/// Import the holiday calendar of a year (the office): it replaces that
/// year's days; a wrong line is named.
#[utoipa::path(put, path = "/api/holidays/{year}", tag = "supervision", params(("year" = i64, Path)),
    request_body = CalendarFile,
    responses((status = 200, body = HolidayCalendar), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_holidays(
    State(s): State<AppState>,
    auth: Auth,
    Path(year): Path<String>,
    Body(file): Body<CalendarFile>,
) -> ApiResult<Json<HolidayCalendar>> {
    let year = year_of(&year)?;
    Ok(Json(s.store.set_holiday_calendar(&auth.actor, year, &file.text, s.clock.now()).await?))
}

/// A template's text.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TemplateText {
    /// The text (minijinja; one paragraph per line). `null` goes back to the shipped one.
    text: Option<String>,
    /// Whether it is the office's own (else the shipped one).
    #[serde(default)]
    own: bool,
}

fn template_kind(raw: &str) -> Result<&'static str, ApiError> {
    TEMPLATE_KINDS.into_iter().find(|k| *k == raw).ok_or_else(|| {
        ApiError::from(Reason::NotOneOf { value: raw.chars().take(40).collect(), allowed: TEMPLATE_KINDS.join("、") })
            .field("kind")
    })
}

/// The text a document of a plan is filled from: `supervision_notice` (督办通知单)
/// or `supervision_bulletin` (督办情况通报).
#[utoipa::path(get, path = "/api/plans/{id}/templates/{kind}", tag = "supervision",
    params(("id" = i64, Path, minimum = 1), ("kind" = String, Path)),
    responses((status = 200, body = TemplateText), (status = 404, body = ErrorBody)))]
async fn get_template(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, kind)): Path<(String, String)>,
) -> ApiResult<Json<TemplateText>> {
    let id = crate::extract::positive_id(&id, "id")?;
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let kind = template_kind(&kind)?;
    let own = s.store.document_template(id, kind).await?;
    Ok(Json(TemplateText { own: own.is_some(), text: Some(own.unwrap_or_else(|| docs::shipped(kind).to_string())) }))
}

/// Set the text of a plan's document (the office); it must fill: an
/// unknown name or a broken tag is refused with its line.
#[utoipa::path(put, path = "/api/plans/{id}/templates/{kind}", tag = "supervision",
    params(("id" = i64, Path, minimum = 1), ("kind" = String, Path)), request_body = TemplateText,
    responses((status = 200, body = TemplateText), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_template(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, kind)): Path<(String, String)>,
    Body(t): Body<TemplateText>,
) -> ApiResult<Json<TemplateText>> {
    let id = crate::extract::positive_id(&id, "id")?;
    auth.require(&s, Action::Supervise, &format!("plan:{id}")).await?;
    let kind = template_kind(&kind)?;
    if let Some(text) = &t.text {
        docs::check_template(kind, text)
            .map_err(|detail| ApiError::from(Reason::TemplateBroken { detail }).field("text"))?;
    }
    s.store.set_document_template(&auth.actor, id, kind, t.text.as_deref(), s.clock.now()).await?;
    Ok(Json(TemplateText {
        own: t.text.is_some(),
        text: Some(t.text.unwrap_or_else(|| docs::shipped(kind).to_string())),
    }))
}

fn broken(detail: String) -> ApiError {
    ApiError::from(Reason::TemplateBroken { detail }).field("template")
}

/// An item's 督办通知单, filled from the plan's template, and its file name
/// without the ending.
async fn notice_of(s: &AppState, auth: &Auth, id: i64) -> ApiResult<(Gongwen, String)> {
    let now = s.clock.now();
    let item = s.store.supervision_item(&auth.actor, id, now).await?.item;
    let plan = s.store.plan(item.plan_id).await?;
    let template = s.store.document_template(item.plan_id, "supervision_notice").await?;
    let head = super::letterhead(s, item.plan_id, now).await?;
    let doc = docs::notice(template.as_deref(), plan.name(), &item, &head).map_err(broken)?;
    Ok((doc, format!("督办通知单_{}", item.number)))
}

/// The 督办通知单 of an item as a Word file, filled from the plan's template.
#[utoipa::path(get, path = "/api/supervision/items/{id}/notice.docx", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn notice(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (doc, name) = notice_of(&s, &auth, id).await?;
    super::docx(&doc, &name)
}

/// The 督办通知单 of an item as a PDF (fonts embedded).
#[utoipa::path(get, path = "/api/supervision/items/{id}/notice.pdf", tag = "supervision", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn notice_pdf(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (doc, name) = notice_of(&s, &auth, id).await?;
    super::pdf(doc, &name).await
}

/// A month.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MonthQuery {
    /// The month (`2026-06`); the last one ended by default.
    month: Option<String>,
}

/// The monthly 督办情况通报 of a plan and its file name without the ending:
/// the month's new, closed, open and overdue items, the ledger as its 附件.
async fn bulletin_of(s: &AppState, auth: &Auth, id: i64, month: Option<&str>) -> ApiResult<(Gongwen, String)> {
    auth.require(s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let now = s.clock.now();
    let monthly = bighealth_rules::reporting::Schedule::default();
    let holidays = s.store.holidays();
    let month = match month {
        Some(key) => monthly.period(key, &holidays).map_err(|r| ApiError::from(r.reason).field("month"))?,
        None => monthly.period_to_report(date_of(now), &holidays),
    };
    // The ledger as it stood at the month's end (or now, for the month running).
    let at = now.min(start_of(month.end.tomorrow().unwrap_or(month.end)) - 1);
    let f = LedgerFilter { plan_id: Some(id), limit: Some(1000), ..LedgerFilter::default() };
    let items: Vec<Item> = s
        .store
        .supervision_ledger(&auth.actor, &f, at)
        .await?
        .page
        .items
        .into_iter()
        .filter(|i| i.opened_at.is_some_and(|o| o <= at))
        .collect();
    let plan = s.store.plan(id).await?;
    let settings = s.store.supervision_settings(id).await?;
    let template = s.store.document_template(id, "supervision_bulletin").await?;
    let mut head = super::letterhead(s, id, now).await?;
    head.date = date_of(at);
    let number = format!("{}通〔{}〕{}号", settings.prefix, month.end.year(), month.end.month());
    let doc = docs::bulletin(template.as_deref(), plan.name(), &month.label, &items, &head, &number).map_err(broken)?;
    Ok((doc, format!("{}_督办情况通报_{}", plan.name(), month.label)))
}

/// The monthly 督办情况通报 of a plan as a Word file: the month's new,
/// closed, open and overdue items, and the ledger as its 附件.
#[utoipa::path(get, path = "/api/plans/{id}/supervision/bulletin.docx", tag = "supervision",
    params(("id" = i64, Path, minimum = 1), MonthQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn bulletin(State(s): State<AppState>, auth: Auth, Id(id): Id, Q(q): Q<MonthQuery>) -> ApiResult<Response> {
    let (doc, name) = bulletin_of(&s, &auth, id, q.month.as_deref()).await?;
    super::docx(&doc, &name)
}

/// The monthly 督办情况通报 of a plan as a PDF (fonts embedded).
#[utoipa::path(get, path = "/api/plans/{id}/supervision/bulletin.pdf", tag = "supervision",
    params(("id" = i64, Path, minimum = 1), MonthQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
async fn bulletin_pdf(State(s): State<AppState>, auth: Auth, Id(id): Id, Q(q): Q<MonthQuery>) -> ApiResult<Response> {
    let (doc, name) = bulletin_of(&s, &auth, id, q.month.as_deref()).await?;
    super::pdf(doc, &name).await
}

/// The supervision routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(run_rules))
        .routes(routes!(open_item))
        .routes(routes!(ledger))
        .routes(routes!(get_item))
        .routes(routes!(take_step))
        .routes(routes!(attach_file))
        .routes(routes!(get_file))
        .routes(routes!(inbox))
        .routes(routes!(alerts))
        .routes(routes!(sweep))
        .routes(routes!(get_holidays, put_holidays))
        .routes(routes!(get_template, put_template))
        .routes(routes!(notice))
        .routes(routes!(notice_pdf))
        .routes(routes!(bulletin))
        .routes(routes!(bulletin_pdf))
}
