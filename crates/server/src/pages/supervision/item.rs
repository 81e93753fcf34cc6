//! One item: its header, text, timeline and files, a form for each step
//! the viewer may take, an upload of evidence; and an item the office opens
//! by hand.

use super::{active, day_zh, item_json, plan_choices, refusal_under, size_zh, whole};
use crate::AppState;
use crate::extract::Id;
use crate::pages::form::{FieldErrors, Fields, read_multipart};
use crate::pages::{PageResult, Viewer, hx_redirect, opt_id, plan_of, render};
use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bighealth_rules::refusal::Reason;
use bighealth_rules::supervision::workflow::{State as ItemState, Step};
use bighealth_rules::supervision::{Level, Source};
use bighealth_store::Action;
use bighealth_store::supervision::items::{ItemDetail, ItemStep, NewItem, TakeStep, URGENCIES, urgency_label};
use serde::Deserialize;
use serde_json::{Value, json};

/// What the note of a step is called on its form.
fn note_label(step: Step) -> &'static str {
    match step {
        Step::Plan => "整改方案（措施、责任人、完成时限）",
        Step::Progress => "进展情况",
        Step::AskClose => "办结情况（整改结果、佐证材料说明）",
        Step::Return => "退回理由",
        Step::AskExtension => "延期理由",
        Step::RefuseExtension => "不同意延期的理由",
        Step::Raise => "提级理由",
        Step::Comment => "批示意见",
        _ => "说明",
    }
}

/// What a step carried besides its note, in words (a new date, a share).
fn data_text(step: &ItemStep) -> String {
    let Some(data) = step.data.as_deref().and_then(|d| serde_json::from_str::<Value>(d).ok()) else {
        return String::new();
    };
    let day = |k: &str| data[k].as_str().map(day_zh);
    let mut parts = Vec::new();
    if let (Some(old), Some(new)) = (day("old"), day("new")) {
        parts.push(format!("办结时限由 {old} 延至 {new}"));
    }
    if let Some(d) = day("date") {
        parts.push(format!("申请延期至 {d}"));
    }
    if let Some(share) = data["share"].as_f64() {
        parts.push(format!("完成 {}%", bighealth_rules::labels::number(share)));
    }
    if let (Some(sign), Some(plan), Some(due)) = (day("sign_due"), day("plan_due"), day("due")) {
        parts.push(format!("签收时限 {sign}，整改方案时限 {plan}，办结时限 {due}"));
    }
    parts.join("；")
}

/// The item page's context; `failed` names the step whose form `errors` are about.
async fn item_context(
    s: &AppState,
    viewer: &Viewer,
    detail: &ItemDetail,
    errors: &FieldErrors,
    given: &Fields,
    failed: &str,
    note: &str,
) -> PageResult<Value> {
    let item = &detail.item;
    let workdays = s.store.supervision_settings(item.plan_id).await.map(|st| st.workdays).unwrap_or(true);
    let label_of = |code: &str| Step::parse(code).map(Step::label).unwrap_or("其他");
    let steps: Vec<Value> = detail
        .steps
        .iter()
        .map(|st| {
            json!({
                "id": st.id, "step": st.step, "label": label_of(&st.step), "at": st.at, "by": st.by_name,
                "note": st.note, "data": data_text(st),
                "state_label": ItemState::parse(&st.state).map(ItemState::label),
                "level_label": Level::parse(&st.level).map(Level::label),
            })
        })
        .collect();
    let files: Vec<Value> = detail
        .files
        .iter()
        .map(|f| {
            let with = f.step_id.and_then(|id| detail.steps.iter().find(|st| st.id == id)).map(|st| label_of(&st.step));
            json!({"id": f.id, "name": f.file_name, "size": size_zh(f.size),
                   "at": f.uploaded_at, "with": with})
        })
        .collect();
    let forms: Vec<Value> = detail
        .may
        .iter()
        .map(|st| {
            json!({
                "step": st.as_str(), "label": st.label(), "needs_note": st.needs_note(), "note_label": note_label(*st),
                "date": *st == Step::AskExtension, "share": *st == Step::Progress,
                "danger": matches!(st, Step::Return | Step::RefuseExtension | Step::Raise),
            })
        })
        .collect();
    let late = |k: &str| item.overdue.iter().any(|o| o == k);
    Ok(json!({
        "frame": viewer.frame(active(viewer)),
        "back": if active(viewer) == "inbox" { ["/supervision/inbox", "我的督办"] } else { ["/supervision", "督办台账"] },
        "item": item_json(item, workdays, viewer),
        "late": {"sign": late("sign"), "plan": late("plan"), "fix": late("fix")},
        "steps": steps, "files": files, "forms": forms,
        "may_attach": viewer.may(Action::Supervise) || detail.may.contains(&Step::Progress),
        "errors": errors.0, "given": given.0, "failed": failed, "note": note,
        "done": Step::parse(note).map(Step::label),
    }))
}

/// `?note=` after a step or an upload.
#[derive(Debug, Deserialize)]
pub(super) struct NoteQuery {
    note: Option<String>,
}

/// One item.
pub(super) async fn show(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<NoteQuery>,
) -> PageResult<Html<String>> {
    let detail = s.store.supervision_item(&viewer.0.actor, id, s.clock.now()).await?;
    let note = q.note.unwrap_or_default();
    let ctx = item_context(&s, &viewer, &detail, &FieldErrors::default(), &Fields::default(), "", &note).await?;
    render("supervision/item.html", ctx)
}

/// The item page again, with the errors under the fields of `failed`'s form.
async fn again(
    s: &AppState,
    viewer: &Viewer,
    id: i64,
    errors: &FieldErrors,
    given: &Fields,
    failed: &str,
) -> PageResult<Response> {
    let detail = s.store.supervision_item(&viewer.0.actor, id, s.clock.now()).await?;
    let ctx = item_context(s, viewer, &detail, errors, given, failed, "").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render("supervision/item.html", ctx)?).into_response())
}

/// Takes a step (`step`, with `note`, `date` or `share` as it needs).
pub(super) async fn take_step(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    form: Fields,
) -> PageResult<Response> {
    let mut errors = FieldErrors::default();
    let raw = form.text("step").to_string();
    let Some(step) = Step::parse(&raw).filter(|st| st.by_hand()) else {
        errors.add(
            "step",
            Reason::NotOneOf { value: raw.chars().take(20).collect(), allowed: "sign、plan、progress…".into() },
        );
        return again(&s, &viewer, id, &errors, &form, &raw).await;
    };
    let share = errors.number(&form, "share").flatten();
    if errors.is_empty() {
        let take = TakeStep { step, note: form.opt("note"), date: form.opt("date"), share };
        match s.store.take_supervision_step(&viewer.0.actor, id, &take, s.clock.now()).await {
            Ok(_) => return Ok(hx_redirect(&format!("/supervision/{id}?note={}", step.as_str()))),
            Err(e) => errors = refusal_under(e, "step", |f| if f == "due" { "date".into() } else { f.into() })?,
        }
    }
    again(&s, &viewer, id, &errors, &form, step.as_str()).await
}

/// Attaches a file (`file`) to the item; it goes with the unit's next step.
pub(super) async fn attach(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    multipart: Multipart,
) -> PageResult<Response> {
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    if errors.is_empty() {
        let now = s.clock.now();
        match s.store.attach_supervision_file(&viewer.0.actor, id, &upload.file_name, &upload.bytes, now).await {
            Ok(_) => return Ok(hx_redirect(&format!("/supervision/{id}?note=file"))),
            Err(e) => errors = refusal_under(e, "file", |_| "file".into())?,
        }
    }
    again(&s, &viewer, id, &errors, &Fields::default(), "file").await
}

/// `?plan=` of the pages of a plan.
#[derive(Debug, Deserialize)]
pub(super) struct PlanQuery {
    plan: Option<String>,
}

/// The form of an item opened by hand.
async fn new_context(
    s: &AppState,
    viewer: &Viewer,
    plan: Option<i64>,
    given: &Fields,
    helpers: &[i64],
    errors: &FieldErrors,
) -> PageResult<Value> {
    let (name, units, settings) = match plan {
        Some(p) => {
            let plan = s.store.plan(p).await?;
            let units: Vec<Value> = s
                .store
                .plan_units(p)
                .await?
                .iter()
                .filter(|u| u.merged_into.is_none() && !u.deleted)
                .map(|u| json!({"id": u.id, "name": u.name}))
                .collect();
            (Some(plan.name().to_string()), units, Some(s.store.supervision_settings(p).await?))
        }
        None => (None, vec![], None),
    };
    let sources: Vec<Value> = Source::ALL
        .iter()
        .filter(|x| **x != Source::Rule)
        .map(|x| json!({"key": x.as_str(), "label": x.label()}))
        .collect();
    Ok(json!({
        "frame": viewer.frame("supervision"),
        "plan": plan, "plan_name": name, "plans": plan_choices(s).await?, "units": units,
        "fix_days": settings.as_ref().map(|st| st.fix_days),
        "days_word": settings.as_ref().map(|st| if st.workdays { "个工作日" } else { "天" }),
        "sources": sources,
        "urgencies": URGENCIES.iter().map(|u| json!({"key": u, "label": urgency_label(u)})).collect::<Vec<_>>(),
        "levels": Level::ALL.iter().map(|l| json!({"key": l.as_str(), "label": l.label()})).collect::<Vec<_>>(),
        "given": given.0, "helpers": helpers, "errors": errors.0,
    }))
}

/// 新建督办事项 (the office), for a plan chosen in the address.
pub(super) async fn new_item(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PlanQuery>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::Supervise, "supervision-new").await?;
    let plan = opt_id("plan", &q.plan)?;
    render(
        "supervision/new.html",
        new_context(&s, &viewer, plan, &Fields::default(), &[], &FieldErrors::default()).await?,
    )
}

/// Opens the item typed; a refusal shows the form again with what was
/// typed and the message under its field.
pub(super) async fn open_item(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PlanQuery>,
    body: Bytes,
) -> PageResult<Response> {
    viewer.require(&s, Action::Supervise, "supervision-new").await?;
    let plan = plan_of(&q.plan)?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let helpers: Vec<i64> =
        pairs.iter().filter(|(k, _)| k == "helpers").filter_map(|(_, v)| v.trim().parse().ok()).collect();
    let form = Fields(pairs.into_iter().filter(|(k, _)| k != "helpers").collect());
    let mut errors = FieldErrors::default();
    let source = match Source::parse(form.text("source")).filter(|x| *x != Source::Rule) {
        Some(x) => x,
        None => {
            errors.add("source", Reason::PickFromList { field: "category".into() });
            Source::default()
        }
    };
    let lead_unit = whole(&mut errors, &form, "lead_unit");
    if lead_unit.is_none() && !errors.0.contains_key("lead_unit") {
        errors.add("lead_unit", Reason::PickFromList { field: "lead".into() });
    }
    for field in ["title", "body"] {
        if form.text(field).is_empty() {
            errors.add(field, Reason::Empty {});
        }
    }
    let leader_id = whole(&mut errors, &form, "leader_id");
    let level = match form.opt("level") {
        Some(l) => Level::parse(&l).or_else(|| {
            errors.add(
                "level",
                Reason::NotOneOf { value: l.chars().take(20).collect(), allowed: "yellow、orange、red".into() },
            );
            None
        }),
        None => None,
    };
    if let (Some(lead_unit), true) = (lead_unit, errors.is_empty()) {
        let new = NewItem {
            source,
            reference: form.opt("reference"),
            title: form.text("title").to_string(),
            body: form.text("body").to_string(),
            requirement: form.opt("requirement"),
            lead_unit,
            helpers: helpers.clone(),
            leader_id,
            urgency: form.opt("urgency"),
            level,
            due: form.opt("due"),
        };
        match s.store.open_supervision_item(&viewer.0.actor, plan, &new, s.clock.now()).await {
            Ok(detail) => return Ok(hx_redirect(&format!("/supervision/{}?note=opened", detail.item.id))),
            Err(e) => errors = refusal_under(e, "title", |f| f.into())?,
        }
    }
    let ctx = new_context(&s, &viewer, Some(plan), &form, &helpers, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render("supervision/new.html", ctx)?).into_response())
}
