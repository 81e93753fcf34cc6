//! The units a plan names, on the review page: confirmed, merged into the
//! unit they are another name of, or unmerged.

use crate::AppState;
use crate::extract::Id;
use crate::pages::form::Fields;
use crate::pages::{PageError, PageResult, Viewer, render};
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::post;
use bighealth_rules::refusal::Reason;
use bighealth_store::units::{Unit, UnitQuery};
use bighealth_store::{Action, Store};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

pub(super) fn unit_view(unit: &Unit, names: &HashMap<i64, String>) -> Value {
    let mut v = json!(unit);
    v["similar_name"] = json!(unit.similar_to.and_then(|id| names.get(&id)));
    v["merged_name"] = json!(unit.merged_into.and_then(|id| names.get(&id)));
    v
}

/// Units a plan's unit could be merged into: the confirmed units of the
/// plan's region and the regions above it, and any unit it resembles.
pub(super) async fn merge_choices(store: &Store, region: &str, units: &[Unit]) -> PageResult<Vec<Unit>> {
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
        "review/unit.html",
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
    let into = form
        .text("into")
        .parse::<i64>()
        .map_err(|_| PageError::bad_parameter("into", Reason::PickFromList { field: "into".into() }))?;
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

/// Its routes.
pub(super) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/review/units/{id}/confirm", post(confirm_unit))
        .route("/review/units/{id}/merge", post(merge_unit))
        .route("/review/units/{id}/unmerge", post(unmerge_unit))
}
