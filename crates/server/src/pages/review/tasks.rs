//! A task on the review page: its item, and the form that corrects its
//! units, segment and deadline (or proposes to).

use super::edit::{Mode, Saved, mode, pending_of, require_mode, submit};
use crate::AppState;
use crate::extract::Id;
use crate::pages::form::{FieldErrors, Fields};
use crate::pages::{PageResult, Viewer, render, segments};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use bighealth_rules::refusal::Reason;
use bighealth_store::Action;
use bighealth_store::tasks::{Task, TaskPatch, UnitGiven};
use serde_json::{Value, json};

pub(super) fn task_view(viewer: &Viewer, task: &Task) -> Value {
    let mut v = json!(task);
    v["can_edit"] = json!(mode(viewer, &task.unit_ids()).is_some());
    v["proposing"] = json!(mode(viewer, &task.unit_ids()) == Some(Mode::Propose));
    v["pending"] = json!([]);
    v["spans"] = json!([[task.span_start, task.span_end]]);
    v
}

fn split_units(raw: &str) -> Vec<String> {
    raw.split(['\n', '、', '，', ',', ';', '；']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn task_given(task: &Task) -> Value {
    let names = |units: &[bighealth_store::tasks::UnitRef]| {
        units.iter().map(|u| u.written.clone()).collect::<Vec<_>>().join("\n")
    };
    json!({
        "lead": names(&task.lead),
        "responsible": names(&task.responsible),
        "segment": task.segment.clone().unwrap_or_default(),
        "deadline": task.deadline.clone().unwrap_or_default(),
    })
}

fn task_form(
    viewer: &Viewer,
    task: &Task,
    given: Value,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult<Response> {
    let html = render(
        "review/task_form.html",
        json!({"frame": viewer.frame("plans"), "task": task_view(viewer, task), "given": given, "errors": errors.0, "segments": segments()}),
    )?;
    Ok((status, html).into_response())
}

/// A task as its item shows it, with its pending proposals.
async fn task_item(s: &AppState, viewer: &Viewer, task: &Task, note: &str) -> PageResult<Html<String>> {
    let mut v = task_view(viewer, task);
    v["pending"] = json!(pending_of(&s.store, "task", task.id).await?);
    render("review/task.html", json!({"frame": viewer.frame("plans"), "task": v, "note": note}))
}

async fn show_task(State(s): State<AppState>, viewer: Viewer, Id(id): Id) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, &format!("task:{id}")).await?;
    let task = s.store.task(id).await?;
    task_item(&s, &viewer, &task, "").await
}

async fn edit_task(State(s): State<AppState>, viewer: Viewer, Id(id): Id) -> PageResult<Response> {
    let task = s.store.task(id).await?;
    require_mode(&s, &viewer, &task.unit_ids(), &format!("task:{id}")).await?;
    task_form(&viewer, &task, task_given(&task), &FieldErrors::default(), StatusCode::OK)
}

async fn save_task(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Response> {
    let task = s.store.task(id).await?;
    let mode = require_mode(&s, &viewer, &task.unit_ids(), &format!("task:{id}")).await?;
    let mut errors = FieldErrors::default();
    let lead = split_units(form.text("lead"));
    let responsible = split_units(form.text("responsible"));
    if lead.is_empty() {
        errors.add("lead", Reason::Required { field: "lead".into() });
    }
    let segment = form.opt("segment");
    let given = json!({
        "lead": form.text("lead"), "responsible": form.text("responsible"),
        "segment": form.text("segment"), "deadline": form.text("deadline"), "reason": form.text("reason"),
    });
    if !errors.is_empty() {
        return task_form(&viewer, &task, given, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let written =
        |units: &[bighealth_store::tasks::UnitRef]| units.iter().map(|u| u.written.clone()).collect::<Vec<_>>();
    let names = |v: Vec<String>| v.into_iter().map(UnitGiven::Name).collect::<Vec<_>>();
    let patch = TaskPatch {
        lead: (lead != written(&task.lead)).then(|| names(lead)),
        responsible: (responsible != written(&task.responsible)).then(|| names(responsible)),
        segment: (segment != task.segment).then_some(segment),
        deadline: Some(form.opt("deadline")).filter(|d| *d != task.deadline),
    };
    let apply = s.store.update_task(&viewer.0.actor, id, &patch, s.clock.now());
    match submit(&s, &viewer, mode, ("task", id), &patch, &form, apply).await {
        Ok(Saved::Changed(task)) => Ok(task_item(&s, &viewer, &task, "saved").await?.into_response()),
        Ok(Saved::Proposed) => Ok(task_item(&s, &viewer, &task, "proposed").await?.into_response()),
        Err(e) => task_form(&viewer, &task, given, &FieldErrors::from_store(e)?, StatusCode::UNPROCESSABLE_ENTITY),
    }
}

/// Its routes.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/review/tasks/{id}", get(show_task).post(save_task))
        .route("/review/tasks/{id}/edit", get(edit_task))
}
