//! Plan review: the source document beside the machine's reading of it.
//! Clicking a task, target, project or finding marks its words in the source
//! and clicking the source finds what was read from there (`assets/app.js`).
//! The clerk corrects tasks and targets, confirms or merges the units the
//! plan names, marks findings resolved or accepted, and sees each record's
//! history. Every correction goes through the store, which keeps the old
//! value and writes the audit log.
//!
//! The page itself is here; each kind of item has its module.

use crate::AppState;
use crate::extract::Id;
use crate::pages::{PageResult, Viewer, render, segments};
use axum::extract::{Query, State};
use axum::response::Html;
use bighealth_store::findings::FindingQuery;
use bighealth_store::page::{MAX_LIMIT, all_pages};
use bighealth_store::projects::ProjectQuery;
use bighealth_store::proposals::{Proposal, ProposalQuery};
use bighealth_store::targets::{Target, TargetQuery};
use bighealth_store::tasks::{Task, TaskQuery};
use bighealth_store::{Action, Store};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

mod edit;
mod findings;
mod history;
mod targets;
mod tasks;
mod units;

use axum::Router;
use axum::routing::get;
use findings::finding_view;
use targets::target_view;
use tasks::task_view;
use units::{merge_choices, unit_view};
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
        "review/review.html",
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

/// The review routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}", get(review))
        .merge(tasks::routes())
        .merge(targets::routes())
        .merge(findings::routes())
        .merge(units::routes())
        .merge(history::routes())
}
