//! A target on the review page: its item, and the form that corrects its
//! indicator, value, unit, year and baseline (or proposes to).

use super::edit::{Mode, Saved, mode, pending_of, require_mode, submit};
use crate::AppState;
use crate::extract::Id;
use crate::pages::form::{FieldErrors, Fields};
use crate::pages::{PageResult, Viewer, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use bighealth_rules::refusal::Reason;
use bighealth_store::targets::{Target, TargetPatch};
use bighealth_store::tasks::Task;
use bighealth_store::{Action, Store};
use serde_json::{Value, json};

pub(super) fn target_view(viewer: &Viewer, target: &Target, task: Option<&Task>) -> Value {
    let mut v = json!(target);
    let units = Store::target_units(target, task);
    v["can_edit"] = json!(mode(viewer, &units).is_some());
    v["proposing"] = json!(mode(viewer, &units) == Some(Mode::Propose));
    v["pending"] = json!([]);
    v["spans"] = json!([[target.span_start, target.span_end]]);
    v
}

fn opt_num(v: Option<f64>) -> String {
    v.map(crate::pages::templates::number).unwrap_or_default()
}

fn target_given(t: &Target) -> Value {
    json!({
        "indicator": t.indicator, "comparator": t.comparator, "value": crate::pages::templates::number(t.value),
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
        "review/target_form.html",
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
    render("review/target.html", json!({"frame": viewer.frame("plans"), "target": v, "note": note}))
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
    let indicator = errors.required(&form, "indicator");
    let comparator = form.text("comparator").to_string();
    let value = match form.text("value") {
        "" => {
            errors.add("value", Reason::Required { field: "value".into() });
            None
        }
        _ => errors.number(&form, "value").flatten(),
    };
    let value_max = errors.number(&form, "value_max");
    let baseline_value = errors.number(&form, "baseline_value");
    let year = errors.year(&form, "year");
    let baseline_year = errors.year(&form, "baseline_year");
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

/// Its routes.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/review/targets/{id}", get(show_target).post(save_target))
        .route("/review/targets/{id}/edit", get(edit_target))
}
