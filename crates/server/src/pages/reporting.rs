//! 月度调度 pages: a reporter's month (what is due and late, the reminders,
//! each form to fill, save, submit and fix when returned), the office's
//! queue of a period (who reported, approve, return with reasons per item,
//! remind, reopen a locked period), the calendar with the reporting rates,
//! and a form's versions side by side. The store checks every right; the
//! pages only show what the viewer's role may do.

use super::form::{FieldErrors, Fields};
use super::{PageError, PageResult, Viewer, hx_redirect, render};
use crate::AppState;
use crate::extract::Id;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::calendar::date_of;
use bighealth_rules::refusal::Reason;
use bighealth_rules::reporting::entry::{self, Entry, ItemKind, Milestone};
use bighealth_rules::reporting::workflow::{State as FormState, Step};
use bighealth_store::reporting::forms::{Form, ItemReason, Review, SaveForm};
use bighealth_store::reporting::parts::{PartInput, Parts};
use bighealth_store::reporting::reminders::NewReminder;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Action, Role, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

/// A form's place in a page's address: `/reporting/{plan}/{period}/{unit}…`.
struct FormAt {
    plan: i64,
    period: String,
    unit: i64,
}

impl axum::extract::FromRequestParts<AppState> for FormAt {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> PageResult<FormAt> {
        let Path((plan, period, unit)) = Path::<(String, String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| PageError::bad_parameter("id", Reason::IdMalformed { raw: e.body_text() }))?;
        Ok(FormAt {
            plan: crate::extract::positive_id(&plan, "id")?,
            period,
            unit: crate::extract::positive_id(&unit, "unit")?,
        })
    }
}

/// The task statuses and project stages, for the selects.
fn choices(schedule: &bighealth_rules::reporting::Schedule) -> Value {
    json!({
        "statuses": entry::STATUSES.iter().map(|c| json!({"key": c, "name": schedule.status_name(c)})).collect::<Vec<_>>(),
        "stages": entry::STAGES.iter().map(|c| json!({"key": c, "name": entry::stage_label(c)})).collect::<Vec<_>>(),
        "milestones": entry::MILESTONES,
    })
}

/// 月度调度: a reporter's due forms and reminders; the office's and a
/// leader's plans with their period to review.
async fn index(State(s): State<AppState>, viewer: Viewer) -> PageResult<Html<String>> {
    let actor = &viewer.0.actor;
    let now = s.clock.now();
    if actor.has(Role::Reporter) {
        let due = s.store.my_due(actor, now).await?;
        let parts_due = s.store.my_parts_due(actor, now).await?;
        let reminders = s.store.my_reminders(actor).await?;
        let plans = s.store.plans(None, false).await?;
        let names: std::collections::HashMap<i64, &str> = plans.iter().map(|p| (p.id, p.name())).collect();
        let units = s
            .store
            .object_names(
                &actor
                    .units
                    .iter()
                    .map(|u| format!("unit:{u}"))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            )
            .await?;
        let due: Vec<Value> = due
            .iter()
            .map(|d| {
                let mut v = json!(d);
                v["unit_name"] = json!(units.get(&format!("unit:{}", d.unit_id)));
                v["state_label"] = json!(d.state.map(FormState::label).unwrap_or("未填报"));
                v
            })
            .collect();
        let parts_due: Vec<Value> = parts_due
            .iter()
            .map(|d| {
                let mut v = json!(d);
                v["unit_name"] = json!(units.get(&format!("unit:{}", d.unit_id)));
                v
            })
            .collect();
        let reminders: Vec<Value> = reminders
            .iter()
            .map(|r| {
                let mut v = json!(r);
                v["plan_name"] = json!(names.get(&r.plan_id));
                v
            })
            .collect();
        return render(
            "reporting/index.html",
            json!({"frame": viewer.frame("reporting"), "reporter": true, "due": due, "parts_due": parts_due, "reminders": reminders,
                   "today": date_of(now).to_string()}),
        );
    }
    viewer.require(&s, Action::ReadPlans, "reporting").await?;
    let mut rows = Vec::new();
    for plan in s.store.plans(None, false).await? {
        let schedule = s.store.reporting_schedule(plan.id).await?;
        let period = schedule.period_to_report(date_of(now), &s.store.holidays());
        rows.push(json!({"plan": plan, "name": plan.name(), "cycle": schedule.cycle.label(), "period": period}));
    }
    render(
        "reporting/index.html",
        json!({"frame": viewer.frame("reporting"), "reporter": false, "plans": rows, "today": date_of(now).to_string()}),
    )
}

#[derive(Debug, Deserialize)]
struct YearQuery {
    year: Option<String>,
    note: Option<String>,
}

/// A plan's calendar and reporting rates in a year.
async fn calendar(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<YearQuery>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let now = s.clock.now();
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        Some(y) => y.parse::<i64>().map_err(|_| {
            PageError::bad_parameter(
                "year",
                Reason::ParamNotANumber { name: "year".into(), raw: y.chars().take(20).collect() },
            )
        })?,
        None => {
            let schedule = s.store.reporting_schedule(id).await?;
            i64::from(schedule.period_to_report(date_of(now), &s.store.holidays()).start.year())
        }
    };
    let plan = s.store.plan(id).await?;
    let rates = s.store.reporting_rates(&viewer.0.actor, id, year, now).await?;
    let schedule = s.store.reporting_schedule(id).await?;
    let counted: Vec<_> = rates.periods.iter().filter(|p| p.counted).collect();
    // The plan's office (its calendar's default unit): chosen among the
    // units of the plan's region; it reports for the region in the parent
    // plan, as the children's offices report here.
    let units = s.store.units(&UnitQuery { region: Some(plan.region.clone()), ..Default::default() }).await?;
    let office = schedule.default_unit.and_then(|u| units.iter().find(|x| x.id == u)).map(|u| u.name.clone());
    let parent = match plan.parent_id {
        Some(p) => Some(s.store.plan(p).await?),
        None => None,
    };
    let mut children = Vec::new();
    for (child, office) in s.store.child_plan_offices(id).await? {
        let office = match office {
            Some(u) => Some(s.store.unit(u).await?.name),
            None => None,
        };
        children.push(json!({"id": child.id, "name": child.name(), "region": child.region_name, "office": office}));
    }
    let chart = json!({
        "kind": "bar", "title": format!("{year}年各期报送率"), "unit": "%",
        "labels": counted.iter().map(|p| p.period.label.clone()).collect::<Vec<_>>(),
        "values": counted.iter().map(|p| p.rates.reported_pct).collect::<Vec<_>>(),
    });
    render(
        "reporting/calendar.html",
        json!({
            "frame": viewer.frame("reporting"), "plan": plan, "name": plan.name(), "year": year,
            "rates": rates, "chart": chart, "schedule": schedule, "cycle": schedule.cycle.label(),
            "may_set": viewer.may(Action::ReviewReports), "choices": choices(&schedule),
            "webhooks": bighealth_rules::reporting::WEBHOOK_KINDS.iter().map(|k| json!({
                "kind": k, "name": if *k == "wecom" { "企业微信群机器人" } else { "钉钉群机器人" },
                "url": schedule.webhooks.iter().find(|w| w.kind == *k).map(|w| w.url.clone()).unwrap_or_default(),
            })).collect::<Vec<_>>(),
            "cycles": [["monthly", "月报"], ["quarterly", "季报"], ["yearly", "年报"]],
            "saved": q.note.as_deref() == Some("saved"),
            "today": date_of(now).to_string(),
            "units": units.iter().map(|u| json!({"id": u.id, "name": u.name})).collect::<Vec<_>>(),
            "office": office,
            "office_id": schedule.default_unit,
            "parent": parent.as_ref().map(|p| json!({"id": p.id, "name": p.name()})),
            "children": children,
        }),
    )
}

/// The office sets a plan's calendar: cycle, due day, grace, lock, the
/// names of the task statuses, the plan's office (it reports the items
/// naming no unit, and its region's part of the parent plan), the group
/// robots.
async fn save_calendar(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Response> {
    viewer.require(&s, Action::ReviewReports, &format!("plan:{id}")).await?;
    let mut errors = FieldErrors::default();
    let mut schedule = s.store.reporting_schedule(id).await?;
    schedule.cycle = bighealth_rules::reporting::Cycle::parse(form.text("cycle")).unwrap_or(schedule.cycle);
    for (field, slot) in [
        ("due_day", &mut schedule.due_day),
        ("grace_days", &mut schedule.grace_days),
        ("lock_days", &mut schedule.lock_days),
    ] {
        if let Some(Some(v)) = errors.number(&form, field) {
            *slot = v as i64;
        }
    }
    schedule.status_names.clear();
    for code in entry::STATUSES {
        if let Some(name) = form.opt(&format!("status_names.{code}"))
            && name != entry::status_label(code)
        {
            schedule.status_names.insert(code.to_string(), name);
        }
    }
    if form.0.contains_key("default_unit") {
        schedule.default_unit = errors.picked(form.text("default_unit"), "default_unit");
    }
    schedule.webhooks = bighealth_rules::reporting::WEBHOOK_KINDS
        .iter()
        .filter_map(|kind| {
            form.opt(&format!("webhook.{kind}"))
                .map(|url| bighealth_rules::reporting::Webhook { kind: kind.to_string(), url })
        })
        .collect();
    if errors.is_empty() {
        match s.store.set_reporting_schedule(&viewer.0.actor, id, &schedule, s.clock.now()).await {
            Ok(_) => return Ok(hx_redirect(&format!("/reporting/{id}?note=saved"))),
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    let mut body = String::from("<div id=\"calendar-errors\" class=\"notice danger\" role=\"alert\">");
    for message in errors.0.values() {
        body.push_str(&format!("<p>{}</p>", minijinja::HtmlEscape(message)));
    }
    body.push_str("</div>");
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(body)).into_response())
}

/// The office's queue of a period: one row per unit due.
#[derive(Debug, Deserialize)]
struct RemindedQuery {
    reminded: Option<String>,
    sent: Option<String>,
}

async fn queue(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, period)): Path<(String, String)>,
    Query(q): Query<RemindedQuery>,
) -> PageResult<Html<String>> {
    let plan = crate::extract::positive_id(&plan, "id")?;
    let forms = s.store.report_forms(&viewer.0.actor, plan, &period, s.clock.now()).await?;
    let p = s.store.plan(plan).await?;
    let reported = forms.iter().filter(|f| f.state.is_some_and(FormState::reported)).count();
    render(
        "reporting/queue.html",
        json!({
            "frame": viewer.frame("reporting"), "plan": p, "name": p.name(), "key": period,
            "period": forms.first().map(|f| f.period.clone()), "forms": forms, "reported": reported,
            "may_review": viewer.may(Action::ReviewReports),
            "reminded": q.reminded.and_then(|r| r.parse::<i64>().ok()),
            "sent": q.sent.and_then(|r| r.parse::<i64>().ok()).unwrap_or(0),
        }),
    )
}

/// Remind every unit that has not reported the period.
async fn remind(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, period)): Path<(String, String)>,
    form: Fields,
) -> PageResult<Response> {
    let plan = crate::extract::positive_id(&plan, "id")?;
    let new = NewReminder { units: vec![], note: form.opt("note") };
    let now = s.clock.now();
    let units = s.store.remind(&viewer.0.actor, plan, &period, &new, now).await?;
    let sent = crate::notify::deliver(&s, now).await?;
    let out = sent.iter().filter(|d| d.outcome == "sent").count();
    Ok(hx_redirect(&format!("/reporting/{plan}/{period}?reminded={}&sent={out}", units.len())))
}

/// Every field of an entry, so that the page reads each (null when empty).
const ENTRY_FIELDS: [&str; 13] = [
    "status",
    "share",
    "cumulative",
    "progress",
    "problems",
    "next_steps",
    "note",
    "value",
    "value_unit",
    "source",
    "amount",
    "stage",
    "milestones",
];

/// The form page's context.
fn form_context(
    viewer: &Viewer,
    form: &Form,
    schedule: &bighealth_rules::reporting::Schedule,
    given: &Fields,
    errors: &FieldErrors,
    note: &str,
) -> Value {
    let actor = &viewer.0.actor;
    let mine = actor.has(Role::Reporter) && actor.units.contains(&form.unit_id);
    let editable = mine && !form.locked && form.state != Some(FormState::Submitted);
    let mut form_json = json!(form);
    if let Some(items) = form_json["items"].as_array_mut() {
        for item in items {
            for key in ["entry", "previous"] {
                let mut full = json!({});
                for field in ENTRY_FIELDS {
                    full[field] = item[key].get(field).cloned().unwrap_or(Value::Null);
                }
                let dates: serde_json::Map<String, Value> = full["milestones"]
                    .as_array()
                    .map(|a| {
                        a.iter().filter_map(|m| Some((m["name"].as_str()?.to_string(), m["date"].clone()))).collect()
                    })
                    .unwrap_or_default();
                full["milestone_dates"] = Value::Object(dates);
                full["status_name"] = json!(full["status"].as_str().map(|c| schedule.status_name(c)));
                item[key] = full;
            }
        }
    }
    json!({
        "frame": viewer.frame("reporting"), "form": form_json, "choices": choices(schedule), "given": given.0,
        "errors": errors.0, "editable": editable, "mine": mine,
        "correction": bighealth_rules::reporting::workflow::is_correction(form.state),
        "may_review": viewer.may(Action::ReviewReports), "note": note,
        "error_count": errors.0.len(),
    })
}

#[derive(Debug, Deserialize)]
struct NoteQuery {
    note: Option<String>,
}

async fn show_form(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    Query(q): Query<NoteQuery>,
) -> PageResult<Html<String>> {
    let form = s.store.report_form(&viewer.0.actor, plan, unit, &period, s.clock.now()).await?;
    let schedule = s.store.reporting_schedule(plan).await?;
    let note = q.note.unwrap_or_default();
    render(
        "reporting/form.html",
        form_context(&viewer, &form, &schedule, &Fields::default(), &FieldErrors::default(), &note),
    )
}

/// 配合任务: the tasks a unit is a responsible unit of, its parts of the
/// period to write (its reporter) or read.
async fn show_parts(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    Query(q): Query<NoteQuery>,
) -> PageResult<Html<String>> {
    let parts = s.store.report_parts(&viewer.0.actor, plan, unit, &period, s.clock.now()).await?;
    let note = q.note.unwrap_or_default();
    parts_page(&s, &viewer, &parts, &Fields::default(), &FieldErrors::default(), &note).await
}

async fn parts_page(
    s: &AppState,
    viewer: &Viewer,
    parts: &Parts,
    given: &Fields,
    errors: &FieldErrors,
    note: &str,
) -> PageResult<Html<String>> {
    let actor = &viewer.0.actor;
    let plan = s.store.plan(parts.plan_id).await?;
    let editable = actor.has(Role::Reporter) && actor.units.contains(&parts.unit_id) && !parts.locked;
    render(
        "reporting/parts.html",
        json!({"frame": viewer.frame("reporting"), "parts": parts, "plan_name": plan.name(), "given": given.0,
               "errors": errors.0, "error_count": errors.0.len(), "editable": editable, "note": note}),
    )
}

/// Saves the parts typed (a task left empty is left as it was); a refusal
/// shows the page again with what was typed and the message beside the field.
async fn save_parts(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    typed: Fields,
) -> PageResult<Response> {
    let now = s.clock.now();
    let parts = s.store.report_parts(&viewer.0.actor, plan, unit, &period, now).await?;
    let given: Vec<PartInput> = parts
        .tasks
        .iter()
        .filter_map(|t| {
            let progress = typed.opt(&format!("progress.{}", t.task_id));
            let problems = typed.opt(&format!("problems.{}", t.task_id));
            (progress.is_some() || problems.is_some()).then(|| PartInput {
                task_id: t.task_id,
                progress: progress.unwrap_or_default(),
                problems,
            })
        })
        .collect();
    let mut errors = FieldErrors::default();
    match s.store.save_report_parts(&viewer.0.actor, plan, unit, &period, &given, now).await {
        Ok(_) => return Ok(hx_redirect(&format!("/reporting/{plan}/{period}/{unit}/parts?note=saved"))),
        Err(StoreError::Refused(r))
            if r.field.is_some() && r.reason.kind() != bighealth_rules::refusal::Kind::Forbidden =>
        {
            // `parts[2].progress` is the field `progress.{task}` of the page.
            let field = r.field.clone().unwrap_or_default();
            let index =
                field.strip_prefix("parts[").and_then(|f| f.split(']').next()).and_then(|i| i.parse::<usize>().ok());
            let name = field.rsplit('.').next().unwrap_or_default();
            match index.and_then(|i| given.get(i)) {
                Some(p) if matches!(name, "progress" | "problems") => {
                    errors.add(&format!("{name}.{}", p.task_id), r.reason)
                }
                _ => errors.add(&field, r.reason),
            }
        }
        Err(e) => return Err(e.into()),
    }
    let html = parts_page(&s, &viewer, &parts, &typed, &errors, "").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// The entries typed on the form page, with the errors of what is not a number.
fn entries_of(form: &Form, typed: &Fields, errors: &mut FieldErrors) -> Vec<Entry> {
    let mut out = Vec::new();
    for item in &form.items {
        let name = |f: &str| format!("{}.{}.{}", item.kind.as_str(), item.item_id, f);
        let mut e = Entry { kind: Some(item.kind), item_id: item.item_id, ..Entry::default() };
        let number = |errors: &mut FieldErrors, f: &str| errors.number(typed, &name(f)).flatten();
        match item.kind {
            ItemKind::Task => {
                e.status = typed.opt(&name("status"));
                e.share = number(errors, "share");
                e.cumulative = number(errors, "cumulative");
                e.note = typed.opt(&name("note"));
            }
            ItemKind::Target => {
                e.value = number(errors, "value");
                e.value_unit = typed.opt(&name("value_unit"));
                e.source = typed.opt(&name("source"));
            }
            ItemKind::Project => {
                e.amount = number(errors, "amount");
                e.stage = typed.opt(&name("stage"));
                for m in entry::MILESTONES {
                    if let Some(date) = typed.opt(&name(&format!("ms-{m}"))) {
                        e.milestones.push(Milestone { name: m.into(), date });
                    }
                }
            }
        }
        e.progress = typed.opt(&name("progress"));
        e.problems = typed.opt(&name("problems"));
        e.next_steps = typed.opt(&name("next_steps"));
        out.push(e);
    }
    out
}

/// Saves (`action=save`) or submits (`action=submit`) the form; a refusal
/// shows the form again with what was typed and the message beside the field.
async fn save_form(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    typed: Fields,
) -> PageResult<Response> {
    let now = s.clock.now();
    let form = s.store.report_form(&viewer.0.actor, plan, unit, &period, now).await?;
    let schedule = s.store.reporting_schedule(plan).await?;
    let submit = typed.text("action") == "submit";
    let mut errors = FieldErrors::default();
    let entries = entries_of(&form, &typed, &mut errors);
    if errors.is_empty() {
        let save = SaveForm { entries, reason: typed.opt("reason"), confirm: typed.text("confirm") == "1" };
        match s.store.save_report(&viewer.0.actor, plan, unit, &period, save, submit, now).await {
            Ok(_) => {
                let note = if submit { "submitted" } else { "saved" };
                return Ok(hx_redirect(&format!("/reporting/{plan}/{period}/{unit}?note={note}")));
            }
            Err(StoreError::Refused(r))
                if r.field.is_some() && r.reason.kind() != bighealth_rules::refusal::Kind::Forbidden =>
            {
                let field = r.field.clone().unwrap_or_default();
                let field = field.split('[').next().unwrap_or(&field).to_string();
                errors.add(&field, r.reason);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let html = render("reporting/form.html", form_context(&viewer, &form, &schedule, &typed, &errors, ""))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// A filled Excel form uploaded on the form page: saved as a draft, or
/// submitted; a refusal (every wrong cell named) shown above the form.
async fn upload_xlsx(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    viewer.require(&s, Action::Report, &format!("report:{plan}:{period}:{unit}")).await?;
    let now = s.clock.now();
    let form = s.store.report_form(&viewer.0.actor, plan, unit, &period, now).await?;
    let schedule = s.store.reporting_schedule(plan).await?;
    let mut errors = FieldErrors::default();
    let upload = super::form::read_multipart(multipart, &mut errors).await?;
    let submit = upload.fields.get("action").is_some_and(|a| a == "submit");
    let confirm = upload.fields.get("confirm").is_some_and(|c| c == "1");
    if errors.is_empty() && upload.bytes.is_empty() {
        errors.add("file", Reason::FileMissing {});
    }
    if errors.is_empty() {
        let outcome = match bighealth_documents::report_form::read(&upload.bytes, &form, &schedule) {
            Err(refusal) => Err(refusal),
            Ok(filled) => {
                let problems = s
                    .store
                    .report_problems(&viewer.0.actor, plan, unit, &period, filled.entries.clone(), submit, confirm, now)
                    .await?;
                if problems.is_empty() && filled.readable() {
                    let save = SaveForm { entries: filled.entries, reason: None, confirm };
                    s.store.save_report(&viewer.0.actor, plan, unit, &period, save, submit, now).await?;
                    Ok(())
                } else {
                    Err(filled.name_cells(&problems))
                }
            }
        };
        match outcome {
            Ok(()) => {
                let note = if submit { "submitted" } else { "saved" };
                return Ok(hx_redirect(&format!("/reporting/{plan}/{period}/{unit}?note={note}")));
            }
            Err(r) => errors.add("file", r.reason),
        }
    }
    let html = render("reporting/form.html", form_context(&viewer, &form, &schedule, &Fields::default(), &errors, ""))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// What the evidence upload of an item carries in its address.
#[derive(Debug, Deserialize)]
pub(super) struct AttachQuery {
    kind: Option<String>,
    item: Option<String>,
}

/// Evidence (佐证材料) uploaded for one item on the form page: kept with its
/// SHA-256; a file of a type not taken is refused beside its item.
async fn attach(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    Query(q): Query<AttachQuery>,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    viewer.require(&s, Action::Report, &format!("report:{plan}:{period}:{unit}")).await?;
    let now = s.clock.now();
    let kind = q.kind.as_deref().and_then(ItemKind::parse).ok_or_else(|| {
        PageError::bad_parameter(
            "kind",
            Reason::NotOneOf { value: String::new(), allowed: "task、target、project".into() },
        )
    })?;
    let item = super::opt_id("item", &q.item)?.unwrap_or_default();
    let field = format!("attach.{}.{item}", kind.as_str());
    let mut errors = FieldErrors::default();
    let upload = super::form::read_multipart(multipart, &mut errors).await?;
    if errors.is_empty() && upload.bytes.is_empty() {
        errors.add(&field, Reason::FileMissing {});
    }
    if let Some(e) = errors.0.remove("file") {
        errors.0.insert(field.clone(), e);
    }
    if errors.is_empty() {
        let name = if upload.file_name.is_empty() { "佐证材料".to_string() } else { upload.file_name.clone() };
        match s.store.attach(&viewer.0.actor, plan, unit, &period, kind, item, &name, &upload.bytes, now).await {
            Ok(_) => {
                return Ok(hx_redirect(&format!(
                    "/reporting/{plan}/{period}/{unit}?note=attached#item-{}-{item}",
                    kind.as_str()
                )));
            }
            Err(e) => match e.refusal() {
                Some(r) if r.reason.kind() == bighealth_rules::refusal::Kind::Invalid => {
                    errors.add(&field, r.reason.clone())
                }
                _ => return Err(e.into()),
            },
        }
    }
    let form = s.store.report_form(&viewer.0.actor, plan, unit, &period, now).await?;
    let schedule = s.store.reporting_schedule(plan).await?;
    let html = render("reporting/form.html", form_context(&viewer, &form, &schedule, &Fields::default(), &errors, ""))?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// The office approves, returns (with reasons per item) or accepts.
async fn review(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    typed: Fields,
) -> PageResult<Response> {
    let now = s.clock.now();
    let step = match typed.text("step") {
        "approve" => Step::Approve,
        "accept" => Step::Accept,
        _ => Step::Return,
    };
    let form = s.store.report_form(&viewer.0.actor, plan, unit, &period, now).await?;
    let items: Vec<ItemReason> = form
        .items
        .iter()
        .filter_map(|i| {
            let reason = typed.opt(&format!("reason.{}.{}", i.kind.as_str(), i.item_id))?;
            Some(ItemReason { kind: i.kind, item_id: i.item_id, reason })
        })
        .collect();
    let review = Review { step, reason: typed.opt("reason"), items: if step == Step::Return { items } else { vec![] } };
    match s.store.review_report(&viewer.0.actor, plan, unit, &period, &review, now).await {
        Ok(_) => Ok(hx_redirect(&format!("/reporting/{plan}/{period}/{unit}?note={}", step.as_str()))),
        Err(StoreError::Refused(r))
            if r.field.is_some() && r.reason.kind() == bighealth_rules::refusal::Kind::Invalid =>
        {
            let schedule = s.store.reporting_schedule(plan).await?;
            let mut errors = FieldErrors::default();
            errors.add("review", r.reason);
            let html = render("reporting/form.html", form_context(&viewer, &form, &schedule, &typed, &errors, ""))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Reopens (with a reason) or locks again a period for the unit.
async fn reopen(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
    typed: Fields,
) -> PageResult<Response> {
    let now = s.clock.now();
    if typed.text("relock") == "1" {
        s.store.relock_period(&viewer.0.actor, plan, unit, &period, now).await?;
    } else {
        s.store.reopen_period(&viewer.0.actor, plan, unit, &period, typed.text("reason"), now).await?;
    }
    Ok(hx_redirect(&format!("/reporting/{plan}/{period}/{unit}")))
}

/// Every version of a form side by side, what changed marked.
async fn versions(
    State(s): State<AppState>,
    viewer: Viewer,
    FormAt { plan, period, unit }: FormAt,
) -> PageResult<Html<String>> {
    let form = s.store.report_form(&viewer.0.actor, plan, unit, &period, s.clock.now()).await?;
    let versions = s.store.report_versions(&viewer.0.actor, plan, unit, &period).await?;
    let schedule = s.store.reporting_schedule(plan).await?;
    // One row per item and field, one column per version.
    let mut rows = Vec::new();
    for item in &form.items {
        for field in ["status", "share", "cumulative", "value", "amount", "stage", "progress", "problems", "next_steps"]
        {
            let cells: Vec<String> = versions
                .iter()
                .map(|v| {
                    let e = v.entries.iter().find(|e| e.kind == Some(item.kind) && e.item_id == item.item_id);
                    let value = e.map(|e| serde_json::to_value(e).unwrap_or_default()).unwrap_or_default();
                    match &value[field] {
                        Value::Null => String::new(),
                        Value::String(t) if field == "status" => schedule.status_name(t).to_string(),
                        Value::String(t) if field == "stage" => entry::stage_label(t).to_string(),
                        Value::String(t) => t.clone(),
                        Value::Number(n) => bighealth_rules::labels::number(n.as_f64().unwrap_or_default()),
                        other => other.to_string(),
                    }
                })
                .collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let changed: Vec<bool> = cells.iter().enumerate().map(|(i, c)| i > 0 && *c != cells[i - 1]).collect();
            rows.push(json!({"item": item.label, "kind": item.kind.label(), "field": entry::report_word(field),
                             "cells": cells, "changed": changed}));
        }
    }
    let steps: Vec<Value> = versions
        .iter()
        .map(|v| {
            let reason = v.reason.as_deref().map(|r| match serde_json::from_str::<Value>(r) {
                Ok(j) => j["items"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|i| i["reason"].as_str()).collect::<Vec<_>>().join("；"))
                    .unwrap_or_else(|| r.to_string()),
                Err(_) => r.to_string(),
            });
            let step = match v.step.as_str() {
                "submit" => Step::Submit,
                "return" => Step::Return,
                "approve" => Step::Approve,
                "accept" => Step::Accept,
                _ => Step::Save,
            };
            json!({"version": v.version, "step": step.label(), "at": v.at, "by": v.by_name, "reason": reason})
        })
        .collect();
    render(
        "reporting/versions.html",
        json!({"frame": viewer.frame("reporting"), "form": form, "versions": steps, "rows": rows}),
    )
}

/// The 月度调度 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reporting", get(index))
        .route("/reporting/{id}", get(calendar).post(save_calendar))
        .route("/reporting/{plan}/{period}", get(queue))
        .route("/reporting/{plan}/{period}/remind", post(remind))
        .route("/reporting/{plan}/{period}/{unit}", get(show_form).post(save_form))
        .route("/reporting/{plan}/{period}/{unit}/parts", get(show_parts).post(save_parts))
        .route("/reporting/{plan}/{period}/{unit}/review", post(review))
        .route("/reporting/{plan}/{period}/{unit}/xlsx", post(upload_xlsx))
        .route("/reporting/{plan}/{period}/{unit}/attach", post(attach))
        .route("/reporting/{plan}/{period}/{unit}/reopen", post(reopen))
        .route("/reporting/{plan}/{period}/{unit}/versions", get(versions))
}
