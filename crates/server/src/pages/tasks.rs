//! Tasks by plan, section, segment and unit; and a department's own page
//! (我的任务): what its units lead and what they support.

use super::{PageError, PageResult, Viewer, offset_of, opt_id, opt_segment, opt_text, pager, render, segments};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_store::tasks::TaskQuery;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Action, Role};
use serde::Deserialize;
use serde_json::json;

const PER_PAGE: i64 = 50;

#[derive(Debug, Deserialize)]
struct Filter {
    plan: Option<String>,
    section: Option<String>,
    segment: Option<String>,
    unit: Option<String>,
    role: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

async fn list(State(s): State<AppState>, viewer: Viewer, Query(f): Query<Filter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "tasks").await?;
    let plan = opt_id("plan", &f.plan)?;
    let section = opt_id("section", &f.section)?;
    let unit = opt_id("unit", &f.unit)?;
    let segment = opt_segment(&f.segment)?;
    let role = opt_text(&f.role);
    if let Some(r) = &role
        && r != "lead"
        && r != "responsible"
    {
        return Err(PageError::bad_parameter(
            "role",
            bighealth_rules::refusal::Reason::NotOneOf { value: r.clone(), allowed: "lead、responsible".into() },
        ));
    }
    let (page, offset) = offset_of(&f.page, PER_PAGE)?;
    let q = TaskQuery {
        plan,
        section,
        unit,
        role: role.clone(),
        segment: segment.clone(),
        q: opt_text(&f.q),
        limit: Some(PER_PAGE),
        offset: Some(offset),
        ..Default::default()
    };
    let tasks = s.store.tasks(&q).await?;
    let plans = s.store.plans(None, false).await?;
    let sections = match plan {
        Some(p) => s.store.sections(p).await?,
        None => Vec::new(),
    };
    let units = s.store.units(&UnitQuery::default()).await?;
    let query = [
        ("plan", f.plan.clone()),
        ("section", f.section.clone()),
        ("segment", segment.clone()),
        ("unit", f.unit.clone()),
        ("role", role.clone()),
        ("q", opt_text(&f.q)),
    ];
    render(
        "tasks/tasks.html",
        json!({
            "frame": viewer.frame("tasks"),
            "tasks": tasks.items,
            "pager": pager("/tasks", &query, page, PER_PAGE, tasks.total),
            "plans": plans, "sections": sections, "units": units, "segments": segments(),
            "f": {"plan": plan, "section": section, "segment": segment, "unit": unit, "role": role, "q": opt_text(&f.q).unwrap_or_default()},
        }),
    )
}

#[derive(Debug, Deserialize)]
struct MyFilter {
    unit: Option<String>,
}

async fn my_tasks(State(s): State<AppState>, viewer: Viewer, Query(f): Query<MyFilter>) -> PageResult<Html<String>> {
    let actor = &viewer.0.actor;
    if !actor.has(Role::Reporter) {
        // The office may look at any department's page; others may not.
        viewer.require(&s, Action::ManagePlans, "my-tasks").await?;
    }
    let chosen = opt_id("unit", &f.unit)?;
    let unit_ids: Vec<i64> = match chosen {
        Some(u) if actor.may(Action::ManagePlans) || actor.units.contains(&u) => vec![u],
        Some(u) => {
            return Err(bighealth_rules::refusal::Reason::NotYourUnit { unit: u }.into());
        }
        None => actor.units.clone(),
    };
    let mut groups = Vec::new();
    for id in &unit_ids {
        let unit = s.store.unit(*id).await?;
        let mut roles = Vec::new();
        for (role, label) in [("lead", "牵头"), ("responsible", "配合")] {
            let q = TaskQuery { unit: Some(*id), role: Some(role.into()), limit: Some(1000), ..Default::default() };
            let page = s.store.tasks(&q).await?;
            roles.push(json!({"role": role, "label": label, "tasks": page.items, "total": page.total}));
        }
        groups.push(json!({"unit": unit, "roles": roles}));
    }
    let plans = s.store.plans(None, false).await?;
    let plan_titles: serde_json::Map<String, serde_json::Value> =
        plans.iter().map(|p| (p.id.to_string(), json!(p.name()))).collect();
    let choices = if actor.may(Action::ManagePlans) {
        s.store.units(&UnitQuery { confirmed: Some(true), ..Default::default() }).await?
    } else {
        Vec::new()
    };
    render(
        "tasks/my.html",
        json!({"frame": viewer.frame("my"), "groups": groups, "plan_titles": plan_titles, "choices": choices, "chosen": chosen}),
    )
}

/// The task routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/tasks", get(list)).route("/my", get(my_tasks))
}
