//! Plan review: the source document beside the machine's reading of it.
//! Clicking a task, target, project or finding marks its words in the source
//! and clicking the source finds what was read from there (`assets/app.js`).
//! The clerk corrects tasks and targets, confirms or merges the units the
//! plan names, marks findings resolved or accepted, and sees each record's
//! history. Every correction goes through the store, which keeps the old
//! value and writes the audit log.

use super::form::{FieldErrors, Fields};
use super::{PageError, PageResult, Viewer, render, segments};
use crate::AppState;
use crate::extract::Id;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::refusal::Reason;
use bighealth_store::findings::{FindingPatch, FindingQuery};
use bighealth_store::page::{MAX_LIMIT, all_pages};
use bighealth_store::projects::ProjectQuery;
use bighealth_store::proposals::{NewProposal, Proposal, ProposalQuery};
use bighealth_store::targets::{Target, TargetPatch, TargetQuery};
use bighealth_store::tasks::{Task, TaskPatch, TaskQuery, UnitGiven};
use bighealth_store::units::{Unit, UnitQuery};
use bighealth_store::{Action, Store};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Every task of a plan.
async fn all_tasks(store: &Store, plan: i64) -> PageResult<Vec<Task>> {
    let q = |offset| TaskQuery { plan: Some(plan), limit: Some(MAX_LIMIT), offset: Some(offset), ..Default::default() };
    Ok(all_pages(|offset| async move { store.tasks(&q(offset)).await }).await?)
}

/// Every target of a plan.
async fn all_targets(store: &Store, plan: i64) -> PageResult<Vec<Target>> {
    let q =
        |offset| TargetQuery { plan: Some(plan), limit: Some(MAX_LIMIT), offset: Some(offset), ..Default::default() };
    Ok(all_pages(|offset| async move { store.targets(&q(offset)).await }).await?)
}

/// How the viewer may change what the plan says of a record held by
/// `units`: directly (the office) or by proposing (a reporter of one of
/// them); `None` when not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Edit,
    Propose,
}

fn mode(viewer: &Viewer, units: &[i64]) -> Option<Mode> {
    if viewer.may(Action::ManagePlans) {
        Some(Mode::Edit)
    } else if viewer.may(Action::Propose) && viewer.0.actor.holds_any(units) {
        Some(Mode::Propose)
    } else {
        None
    }
}

/// Refuses (403, audited) a viewer who may neither change nor propose.
async fn require_mode(s: &AppState, viewer: &Viewer, units: &[i64], object: &str) -> PageResult<Mode> {
    match mode(viewer, units) {
        Some(m) => Ok(m),
        None => {
            viewer.require(s, Action::ManagePlans, object).await?;
            Ok(Mode::Edit)
        }
    }
}

/// The pending proposals of one record.
async fn pending_of(store: &Store, entity: &str, id: i64) -> PageResult<Vec<Proposal>> {
    let q = ProposalQuery {
        entity: Some(entity.into()),
        entity_id: Some(id),
        state: Some("pending".into()),
        ..Default::default()
    };
    Ok(store.proposals(&q).await?)
}

/// What saving a form did.
enum Saved<T> {
    /// The office changed the record.
    Changed(T),
    /// A reporter proposed the change; the record is as it was.
    Proposed,
}

/// Saves a form's `patch` of record `entity` `id`: the office's change
/// (`apply`), or a reporter's proposal with the form's reason.
async fn submit<T, F>(
    s: &AppState,
    viewer: &Viewer,
    mode: Mode,
    (entity, id): (&str, i64),
    patch: &impl serde::Serialize,
    form: &Fields,
    apply: F,
) -> Result<Saved<T>, bighealth_store::StoreError>
where
    F: std::future::Future<Output = Result<T, bighealth_store::StoreError>>,
{
    match mode {
        Mode::Edit => apply.await.map(Saved::Changed),
        Mode::Propose => {
            let new = NewProposal {
                entity: entity.into(),
                entity_id: id,
                patch: serde_json::to_value(patch).unwrap_or_default(),
                reason: form.text("reason").into(),
            };
            s.store.propose(&viewer.0.actor, &new, s.clock.now()).await.map(|_| Saved::Proposed)
        }
    }
}

fn task_view(viewer: &Viewer, task: &Task) -> Value {
    let mut v = json!(task);
    v["can_edit"] = json!(mode(viewer, &task.unit_ids()).is_some());
    v["proposing"] = json!(mode(viewer, &task.unit_ids()) == Some(Mode::Propose));
    v["pending"] = json!([]);
    v["spans"] = json!([[task.span_start, task.span_end]]);
    v
}

fn target_view(viewer: &Viewer, target: &Target, task: Option<&Task>) -> Value {
    let mut v = json!(target);
    let units = Store::target_units(target, task);
    v["can_edit"] = json!(mode(viewer, &units).is_some());
    v["proposing"] = json!(mode(viewer, &units) == Some(Mode::Propose));
    v["pending"] = json!([]);
    v["spans"] = json!([[target.span_start, target.span_end]]);
    v
}

fn unit_view(unit: &Unit, names: &HashMap<i64, String>) -> Value {
    let mut v = json!(unit);
    v["similar_name"] = json!(unit.similar_to.and_then(|id| names.get(&id)));
    v["merged_name"] = json!(unit.merged_into.and_then(|id| names.get(&id)));
    v
}

/// Units a plan's unit could be merged into: the confirmed units of the
/// plan's region and the regions above it, and any unit it resembles.
async fn merge_choices(store: &Store, region: &str, units: &[Unit]) -> PageResult<Vec<Unit>> {
    let mut choices: Vec<Unit> = Vec::new();
    for r in store.region_chain(region).await? {
        let q = UnitQuery { region: Some(r.code), confirmed: Some(true), ..Default::default() };
        choices.extend(store.units(&q).await?);
    }
    for u in units {
        if let Some(similar) = u.similar_to
            && !choices.iter().any(|c| c.id == similar)
        {
            choices.push(store.unit(similar).await?);
        }
    }
    choices.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    choices.dedup_by_key(|u| u.id);
    Ok(choices)
}

#[derive(Debug, Deserialize)]
struct ReviewQuery {
    same: Option<String>,
}

async fn review(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<ReviewQuery>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let plan = s.store.plan(id).await?;
    let (text, _) = s.store.plan_source(id).await?;
    let sections = s.store.sections(id).await?;
    let tasks = all_tasks(&s.store, id).await?;
    let targets = all_targets(&s.store, id).await?;
    let projects =
        s.store.projects(&ProjectQuery { plan: Some(id), limit: Some(1000), ..Default::default() }).await?.items;
    let findings = s.store.findings(&FindingQuery { plan: Some(id), ..Default::default() }).await?;
    let units = s.store.plan_units(id).await?;
    let by_id: HashMap<i64, &Task> = tasks.iter().map(|t| (t.id, t)).collect();
    let choices =
        if viewer.may(Action::ManagePlans) { merge_choices(&s.store, &plan.region, &units).await? } else { Vec::new() };
    let mut names: HashMap<i64, String> = choices.iter().map(|u| (u.id, u.name.clone())).collect();
    names.extend(units.iter().map(|u| (u.id, u.name.clone())));
    let section_titles: HashMap<i64, String> =
        sections.iter().map(|s| (s.id, format!("{} {}", s.printed, s.title).trim().to_string())).collect();
    let tasks_v: Vec<Value> = tasks
        .iter()
        .map(|t| {
            let mut v = task_view(&viewer, t);
            v["section_title"] = json!(t.section_id.and_then(|id| section_titles.get(&id)));
            v
        })
        .collect();
    let targets_v: Vec<Value> =
        targets.iter().map(|g| target_view(&viewer, g, g.task_id.and_then(|t| by_id.get(&t).copied()))).collect();
    let projects_v: Vec<Value> = projects
        .iter()
        .map(|p| {
            let mut v = json!(p);
            v["spans"] = json!(if p.document_id.is_none() { vec![[p.span_start, p.span_end]] } else { vec![] });
            v
        })
        .collect();
    let pending = s
        .store
        .proposals(&ProposalQuery { plan: Some(id), state: Some("pending".into()), ..Default::default() })
        .await?;
    let attach = |items: &mut Vec<Value>, entity: &str| {
        for item in items.iter_mut() {
            let of: Vec<&Proposal> =
                pending.iter().filter(|p| p.entity == entity && json!(p.entity_id) == item["id"]).collect();
            item["pending"] = json!(of);
        }
    };
    let (mut tasks_v, mut targets_v) = (tasks_v, targets_v);
    attach(&mut tasks_v, "task");
    attach(&mut targets_v, "target");
    let findings_v: Vec<Value> = findings.iter().map(finding_view).collect();
    let mut units_sorted = units.clone();
    // Units to review first: unconfirmed, then merged, then confirmed.
    units_sorted.sort_by_key(|u| (u.confirmed, u.merged_into.is_some()));
    let units_v: Vec<Value> = units_sorted.iter().map(|u| unit_view(u, &names)).collect();
    let open_findings = findings.iter().filter(|f| f.state == "open").count();
    let to_confirm = units.iter().filter(|u| !u.confirmed && u.merged_into.is_none()).count();
    render(
        "review.html",
        json!({
            "frame": viewer.frame("plans"),
            "plan": plan,
            "text": text,
            "tasks": tasks_v,
            "targets": targets_v,
            "projects": projects_v,
            "findings": findings_v,
            "units": units_v,
            "choices": choices,
            "open_findings": open_findings,
            "to_confirm": to_confirm,
            "same": q.same.is_some(),
            "segments": segments(),
        }),
    )
}

fn finding_view(f: &bighealth_store::findings::Finding) -> Value {
    let mut v = json!(f);
    v["spans"] = f.spans.clone();
    v
}

// ---- tasks

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
        "task_form.html",
        json!({"frame": viewer.frame("plans"), "task": task_view(viewer, task), "given": given, "errors": errors.0, "segments": segments()}),
    )?;
    Ok((status, html).into_response())
}

/// A task as its item shows it, with its pending proposals.
async fn task_item(s: &AppState, viewer: &Viewer, task: &Task, note: &str) -> PageResult<Html<String>> {
    let mut v = task_view(viewer, task);
    v["pending"] = json!(pending_of(&s.store, "task", task.id).await?);
    render("task.html", json!({"frame": viewer.frame("plans"), "task": v, "note": note}))
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
        errors.add("lead", "请填写至少一个牵头单位");
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

// ---- targets

fn opt_num(v: Option<f64>) -> String {
    v.map(super::templates::number).unwrap_or_default()
}

fn target_given(t: &Target) -> Value {
    json!({
        "indicator": t.indicator, "comparator": t.comparator, "value": super::templates::number(t.value),
        "value_max": opt_num(t.value_max), "unit": t.unit.clone().unwrap_or_default(),
        "year": t.year.map(|y| y.to_string()).unwrap_or_default(),
        "baseline_value": opt_num(t.baseline_value),
        "baseline_year": t.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
    })
}

async fn target_task(store: &Store, t: &Target) -> PageResult<Option<Task>> {
    Ok(match t.task_id {
        Some(id) => Some(store.task(id).await?),
        None => None,
    })
}

fn target_form(
    viewer: &Viewer,
    target: &Target,
    task: Option<&Task>,
    given: Value,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult<Response> {
    let html = render(
        "target_form.html",
        json!({
            "frame": viewer.frame("plans"), "target": target_view(viewer, target, task), "given": given,
            "errors": errors.0, "comparators": bighealth_store::targets::COMPARATORS,
        }),
    )?;
    Ok((status, html).into_response())
}

/// A target as its item shows it, with its pending proposals.
async fn target_item(
    s: &AppState,
    viewer: &Viewer,
    target: &Target,
    task: Option<&Task>,
    note: &str,
) -> PageResult<Html<String>> {
    let mut v = target_view(viewer, target, task);
    v["pending"] = json!(pending_of(&s.store, "target", target.id).await?);
    render("target.html", json!({"frame": viewer.frame("plans"), "target": v, "note": note}))
}

async fn show_target(State(s): State<AppState>, viewer: Viewer, Id(id): Id) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, &format!("target:{id}")).await?;
    let target = s.store.target(id).await?;
    let task = target_task(&s.store, &target).await?;
    target_item(&s, &viewer, &target, task.as_ref(), "").await
}

async fn edit_target(State(s): State<AppState>, viewer: Viewer, Id(id): Id) -> PageResult<Response> {
    let target = s.store.target(id).await?;
    let task = target_task(&s.store, &target).await?;
    require_mode(&s, &viewer, &Store::target_units(&target, task.as_ref()), &format!("target:{id}")).await?;
    target_form(&viewer, &target, task.as_ref(), target_given(&target), &FieldErrors::default(), StatusCode::OK)
}

async fn save_target(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Response> {
    let t = s.store.target(id).await?;
    let task = target_task(&s.store, &t).await?;
    let mode = require_mode(&s, &viewer, &Store::target_units(&t, task.as_ref()), &format!("target:{id}")).await?;
    let mut errors = FieldErrors::default();
    let indicator = errors.required(&form, "indicator", "指标名称");
    let comparator = form.text("comparator").to_string();
    let value = match form.text("value") {
        "" => {
            errors.add("value", "请填写目标值");
            None
        }
        _ => errors.number(&form, "value", "目标值").flatten(),
    };
    let value_max = errors.number(&form, "value_max", "区间上限");
    let baseline_value = errors.number(&form, "baseline_value", "基期值");
    let year = errors.year(&form, "year", "目标年份");
    let baseline_year = errors.year(&form, "baseline_year", "基期年份");
    let given: Value =
        ["indicator", "comparator", "value", "value_max", "unit", "year", "baseline_value", "baseline_year", "reason"]
            .iter()
            .map(|f| (f.to_string(), json!(form.text(f))))
            .collect::<serde_json::Map<_, _>>()
            .into();
    let (Some(value), Some(value_max), Some(baseline_value), Some(year), Some(baseline_year)) =
        (value, value_max, baseline_value, year, baseline_year)
    else {
        return target_form(&viewer, &t, task.as_ref(), given, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if !errors.is_empty() {
        return target_form(&viewer, &t, task.as_ref(), given, &errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let unit = form.opt("unit");
    let patch = TargetPatch {
        indicator: (indicator != t.indicator).then_some(indicator),
        comparator: (comparator != t.comparator && !comparator.is_empty()).then_some(comparator),
        value: (value != t.value).then_some(value),
        value_max: (value_max != t.value_max).then_some(value_max),
        unit: (unit != t.unit).then_some(unit),
        year: (year != t.year).then_some(year),
        baseline_value: (baseline_value != t.baseline_value).then_some(baseline_value),
        baseline_year: (baseline_year != t.baseline_year).then_some(baseline_year),
        ..Default::default()
    };
    let apply = s.store.update_target(&viewer.0.actor, id, &patch, s.clock.now());
    match submit(&s, &viewer, mode, ("target", id), &patch, &form, apply).await {
        Ok(Saved::Changed(target)) => {
            Ok(target_item(&s, &viewer, &target, task.as_ref(), "saved").await?.into_response())
        }
        Ok(Saved::Proposed) => Ok(target_item(&s, &viewer, &t, task.as_ref(), "proposed").await?.into_response()),
        Err(e) => target_form(
            &viewer,
            &t,
            task.as_ref(),
            given,
            &FieldErrors::from_store(e)?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

// ---- findings and units

async fn set_finding(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ManagePlans, &format!("finding:{id}")).await?;
    let patch = FindingPatch { state: form.text("state").to_string(), note: form.opt("note") };
    let finding = s.store.update_finding(&viewer.0.actor, id, &patch, s.clock.now()).await?;
    render("finding.html", json!({"frame": viewer.frame("plans"), "finding": finding_view(&finding), "saved": true}))
}

async fn unit_fragment(s: &AppState, viewer: &Viewer, unit: Unit, plan: i64) -> PageResult<Html<String>> {
    let plan = s.store.plan(plan).await?;
    let choices = merge_choices(&s.store, &plan.region, std::slice::from_ref(&unit)).await?;
    let mut names: HashMap<i64, String> = choices.iter().map(|u| (u.id, u.name.clone())).collect();
    if let Some(m) = unit.merged_into
        && let std::collections::hash_map::Entry::Vacant(e) = names.entry(m)
    {
        e.insert(s.store.unit(m).await?.name);
    }
    render(
        "unit.html",
        json!({"frame": viewer.frame("plans"), "unit": unit_view(&unit, &names), "choices": choices, "plan": plan, "saved": true}),
    )
}

#[derive(Debug, Deserialize)]
struct UnitAction {
    plan: i64,
}

async fn confirm_unit(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<UnitAction>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    let unit = s.store.confirm_unit(&viewer.0.actor, id, s.clock.now()).await?;
    unit_fragment(&s, &viewer, unit, q.plan).await
}

async fn merge_unit(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<UnitAction>,
    form: Fields,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    let into = form.text("into").parse::<i64>().map_err(|_| PageError::bad_parameter("into", Reason::PickUnit {}))?;
    let unit = s.store.merge_unit(&viewer.0.actor, id, into, s.clock.now()).await?;
    unit_fragment(&s, &viewer, unit, q.plan).await
}

async fn unmerge_unit(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<UnitAction>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ManagePlans, &format!("unit:{id}")).await?;
    let unit = s.store.unmerge_unit(&viewer.0.actor, id, s.clock.now()).await?;
    unit_fragment(&s, &viewer, unit, q.plan).await
}

// ---- history

/// The kinds of record that keep a history, with their Chinese names.
const HISTORIES: [(&str, &str); 5] =
    [("task", "任务"), ("target", "目标"), ("project", "项目"), ("finding", "问题"), ("unit", "单位")];

async fn history(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((entity, id)): Path<(String, String)>,
) -> PageResult<Html<String>> {
    let Some((entity, label)) = HISTORIES.iter().find(|(e, _)| *e == entity) else {
        return Err(Reason::NoSuchHistory { kind: entity }.into());
    };
    let id: i64 = id.parse().map_err(|_| PageError::bad_parameter("id", Reason::IdMalformed { raw: id }))?;
    let action = if *entity == "unit" { Action::ReadUnits } else { Action::ReadPlans };
    viewer.require(&s, action, &format!("{entity}:{id}")).await?;
    let entries = s.store.history(entity, id).await?;
    render("history.html", json!({"entries": entries, "label": label, "entity": entity, "id": id}))
}

/// The review routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}", get(review))
        .route("/review/tasks/{id}", get(show_task).post(save_task))
        .route("/review/tasks/{id}/edit", get(edit_task))
        .route("/review/targets/{id}", get(show_target).post(save_target))
        .route("/review/targets/{id}/edit", get(edit_target))
        .route("/review/findings/{id}", post(set_finding))
        .route("/review/units/{id}/confirm", post(confirm_unit))
        .route("/review/units/{id}/merge", post(merge_unit))
        .route("/review/units/{id}/unmerge", post(unmerge_unit))
        .route("/review/history/{entity}/{id}", get(history))
}
