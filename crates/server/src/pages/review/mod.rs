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
use crate::pages::{PageError, PageResult, Viewer, opt_id, render, segments};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use bighealth_rules::refusal::Reason;
use bighealth_store::findings::FindingQuery;
use bighealth_store::page::Page;
use bighealth_store::projects::ProjectQuery;
use bighealth_store::proposals::{Proposal, ProposalQuery};
use bighealth_store::targets::TargetQuery;
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
/// Items of one kind a page shows at a time; more load on demand.
const PER_PAGE: i64 = 100;

/// The kinds of item the review page lists, with what an empty list says.
const KINDS: [(&str, &str); 5] = [
    ("tasks", "未识别出任务。"),
    ("targets", "未识别出目标。"),
    ("projects", "未识别出项目。"),
    ("findings", "没有需要核对的问题。"),
    ("units", "未识别出单位。"),
];

#[derive(Debug, Deserialize)]
struct ReviewQuery {
    same: Option<String>,
}

/// The review page: the source, the counts of each kind, the first page of
/// tasks and the index of every item's words. The other kinds load when
/// their tab opens, and more items when asked, so that a plan of a
/// thousand tasks opens at once.
async fn review(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    Query(q): Query<ReviewQuery>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let plan = s.store.plan(id).await?;
    let (text, _) = s.store.plan_source(id).await?;
    let targets = s.store.targets(&TargetQuery { plan: Some(id), limit: Some(1), ..Default::default() }).await?.total;
    let projects =
        s.store.projects(&ProjectQuery { plan: Some(id), limit: Some(1), ..Default::default() }).await?.total;
    let findings = s.store.findings(&FindingQuery { plan: Some(id), ..Default::default() }).await?;
    let units = s.store.plan_units(id).await?;
    let open_findings = findings.iter().filter(|f| f.state == "open").count();
    let to_confirm = units.iter().filter(|u| !u.confirmed && u.merged_into.is_none()).count();
    let first = items_of(&s, &viewer, id, "tasks", 0, None).await?;
    let index: Vec<Value> = s.store.plan_spans(id).await?.into_iter().map(|(k, i, a, b)| json!([k, i, a, b])).collect();
    render(
        "review/review.html",
        json!({
            "frame": viewer.frame("plans"),
            "plan": plan,
            "text": text,
            "counts": {"tasks": first["total"], "targets": targets, "projects": projects, "findings": findings.len(), "units": units.len()},
            "first": first,
            "index": index,
            "open_findings": open_findings,
            "to_confirm": to_confirm,
            "same": q.same.is_some(),
        }),
    )
}

/// A list of the one item asked for by id.
fn one<T>(item: T) -> Page<T> {
    Page { total: 1, limit: 1, offset: 0, items: vec![item] }
}

/// The page of `all` from `offset`, or the one whose `id` is `only`.
fn slice<T>(all: &[T], offset: i64, only: Option<i64>, id: impl Fn(&T) -> i64) -> Vec<&T> {
    match only {
        Some(o) => all.iter().filter(|x| id(x) == o).collect(),
        None => all.iter().skip(offset.max(0) as usize).take(PER_PAGE as usize).collect(),
    }
}

/// One page of the items of `kind` read from plan `plan` (from `offset`),
/// or the one item `only`, as the items template shows them.
async fn items_of(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    kind: &str,
    offset: i64,
    only: Option<i64>,
) -> PageResult<Value> {
    let page = |total: i64, shown: usize| {
        let next = offset + shown as i64;
        (total, (only.is_none() && next < total).then_some(next))
    };
    let limit = Some(PER_PAGE);
    // The units a unit may be merged into (the units tab only).
    let mut choices = Vec::new();
    let (items, (total, next)): (Vec<Value>, (i64, Option<i64>)) = match kind {
        "tasks" => {
            let list = match only {
                Some(t) => one(s.store.task(t).await?),
                None => {
                    s.store
                        .tasks(&TaskQuery { plan: Some(plan), limit, offset: Some(offset), ..Default::default() })
                        .await?
                }
            };
            let sections: HashMap<i64, String> = s
                .store
                .sections(plan)
                .await?
                .into_iter()
                .map(|sec| (sec.id, format!("{} {}", sec.printed, sec.title).trim().to_string()))
                .collect();
            let pending = pending_of_plan(&s.store, plan, "task").await?;
            let views = list
                .items
                .iter()
                .map(|t| {
                    let mut v = task_view(viewer, t);
                    v["section_title"] = json!(t.section_id.and_then(|id| sections.get(&id)));
                    v["pending"] = json!(pending.get(&t.id).cloned().unwrap_or_default());
                    v
                })
                .collect();
            (views, page(list.total, list.items.len()))
        }
        "targets" => {
            let list = match only {
                Some(t) => one(s.store.target(t).await?),
                None => {
                    s.store
                        .targets(&TargetQuery { plan: Some(plan), limit, offset: Some(offset), ..Default::default() })
                        .await?
                }
            };
            let pending = pending_of_plan(&s.store, plan, "target").await?;
            let mut tasks: HashMap<i64, Task> = HashMap::new();
            let mut views = Vec::with_capacity(list.items.len());
            for t in &list.items {
                if let Some(task) = t.task_id
                    && !tasks.contains_key(&task)
                {
                    tasks.insert(task, s.store.task(task).await?);
                }
                let mut v = target_view(viewer, t, t.task_id.and_then(|k| tasks.get(&k)));
                v["pending"] = json!(pending.get(&t.id).cloned().unwrap_or_default());
                views.push(v);
            }
            (views, page(list.total, list.items.len()))
        }
        "projects" => {
            let list = match only {
                Some(p) => one(s.store.project(p).await?),
                None => {
                    s.store
                        .projects(&ProjectQuery { plan: Some(plan), limit, offset: Some(offset), ..Default::default() })
                        .await?
                }
            };
            let views = list
                .items
                .iter()
                .map(|p| {
                    let mut v = json!(p);
                    v["spans"] = json!(if p.document_id.is_none() { vec![[p.span_start, p.span_end]] } else { vec![] });
                    v
                })
                .collect();
            (views, page(list.total, list.items.len()))
        }
        "findings" => {
            let all = s.store.findings(&FindingQuery { plan: Some(plan), ..Default::default() }).await?;
            let shown: Vec<Value> = slice(&all, offset, only, |f| f.id).into_iter().map(finding_view).collect();
            let n = shown.len();
            (shown, page(all.len() as i64, n))
        }
        "units" => {
            let plan_row = s.store.plan(plan).await?;
            let mut units = s.store.plan_units(plan).await?;
            if viewer.may(Action::ManagePlans) {
                choices = merge_choices(&s.store, &plan_row.region, &units).await?;
            }
            let mut names: HashMap<i64, String> = choices.iter().map(|u| (u.id, u.name.clone())).collect();
            names.extend(units.iter().map(|u| (u.id, u.name.clone())));
            // Units to review first: unconfirmed, then merged, then confirmed.
            units.sort_by_key(|u| (u.confirmed, u.merged_into.is_some()));
            let shown: Vec<Value> =
                slice(&units, offset, only, |u| u.id).into_iter().map(|u| unit_view(u, &names)).collect();
            let n = shown.len();
            (shown, page(units.len() as i64, n))
        }
        other => return Err(Reason::NoSuchHistory { kind: other.into() }.into()),
    };
    let shown = items.len() as i64;
    Ok(json!({
        "kind": kind, "plan": plan, "items": items, "total": total, "offset": offset, "next": next,
        "more": total - offset - shown, "segments": segments(), "choices": choices,
        "empty": KINDS.iter().find(|k| k.0 == kind).map(|k| k.1).unwrap_or(""),
    }))
}

/// The pending proposals of a plan's records of one kind, by record.
async fn pending_of_plan(store: &Store, plan: i64, entity: &str) -> PageResult<HashMap<i64, Vec<Proposal>>> {
    let q = ProposalQuery {
        plan: Some(plan),
        state: Some("pending".into()),
        entity: Some(entity.into()),
        ..Default::default()
    };
    let mut by: HashMap<i64, Vec<Proposal>> = HashMap::new();
    for p in store.proposals(&q).await? {
        by.entry(p.entity_id).or_default().push(p);
    }
    Ok(by)
}

#[derive(Debug, Deserialize)]
struct ItemsQuery {
    offset: Option<String>,
    id: Option<String>,
}

/// A page of one kind of item (`/plans/3/items/targets?offset=100`), or one
/// item by id (`?id=17`), as a fragment of the review page.
async fn items(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, kind)): Path<(String, String)>,
    Query(q): Query<ItemsQuery>,
) -> PageResult<Html<String>> {
    let plan: i64 = plan.parse().map_err(|_| PageError::bad_parameter("id", Reason::IdMalformed { raw: plan }))?;
    let action = if kind == "units" { Action::ReadUnits } else { Action::ReadPlans };
    viewer.require(&s, action, &format!("plan:{plan}")).await?;
    let offset = opt_id("offset", &q.offset)?.unwrap_or(0).max(0);
    let only = opt_id("id", &q.id)?;
    let list = items_of(&s, &viewer, plan, &kind, offset, only).await?;
    render("review/items.html", json!({"frame": viewer.frame("plans"), "list": list}))
}

/// The review routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}", get(review))
        .route("/plans/{id}/items/{kind}", get(items))
        .merge(tasks::routes())
        .merge(targets::routes())
        .merge(findings::routes())
        .merge(units::routes())
        .merge(history::routes())
}
