//! Targets with their baseline, value, year and owner, grouped by segment;
//! and the same indicator compared across the plans of different regions.

use super::{PageResult, Viewer, opt_id, opt_segment, opt_text, render, segments};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_store::Action;
use bighealth_store::targets::TargetQuery;
use serde::Deserialize;
use serde_json::{Value, json};

/// Most targets one page lists.
const SHOWN: i64 = 1000;

#[derive(Debug, Deserialize)]
struct Filter {
    plan: Option<String>,
    segment: Option<String>,
    year: Option<String>,
    q: Option<String>,
}

async fn list(State(s): State<AppState>, viewer: Viewer, Query(f): Query<Filter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "targets").await?;
    let plan = opt_id("plan", &f.plan)?;
    let year = opt_id("year", &f.year)?;
    let segment = opt_segment(&f.segment)?;
    let q = TargetQuery {
        plan,
        segment: segment.clone(),
        year,
        q: opt_text(&f.q),
        limit: Some(SHOWN),
        ..Default::default()
    };
    let page = s.store.targets(&q).await?;
    let plans = s.store.plans(None, false).await?;
    let plan_titles: serde_json::Map<String, Value> =
        plans.iter().map(|p| (p.id.to_string(), json!(format!("{} · {}", p.region_name, p.name())))).collect();
    // Groups in the order 医药养健管游食, then the unclassified.
    let mut groups: Vec<Value> = Vec::new();
    for seg in bighealth_reader::segment::Segment::ALL {
        let items: Vec<_> = page.items.iter().filter(|t| t.segment.as_deref() == Some(seg.as_char())).collect();
        if !items.is_empty() {
            groups.push(json!({"key": seg.as_char(), "name": seg.name(), "targets": items}));
        }
    }
    let other: Vec<_> = page.items.iter().filter(|t| t.segment.is_none()).collect();
    if !other.is_empty() {
        groups.push(json!({"key": "", "name": "未分类", "targets": other}));
    }
    render(
        "targets/targets.html",
        json!({
            "frame": viewer.frame("targets"),
            "groups": groups, "total": page.total, "shown": page.items.len(),
            "plans": plans, "plan_titles": plan_titles, "segments": segments(),
            "f": {"plan": plan, "segment": segment, "year": year, "q": opt_text(&f.q).unwrap_or_default()},
        }),
    )
}

#[derive(Debug, Deserialize)]
struct CompareFilter {
    q: Option<String>,
    key: Option<String>,
}

async fn compare(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(f): Query<CompareFilter>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "targets").await?;
    let q = opt_text(&f.q);
    let key = opt_text(&f.key);
    // A search shows every match, even one region's; the list shows shared indicators.
    let min_regions = if q.is_some() { 1 } else { 2 };
    let comparisons = s.store.compare_indicators(q.as_deref(), min_regions).await?;
    let chosen = key.as_ref().and_then(|k| comparisons.iter().find(|c| &c.key == k));
    // A chart of the values per region, for the targets in the chosen group's most common unit.
    let chart = chosen.map(|c| {
        let mut units: Vec<(Option<&str>, usize)> = Vec::new();
        for t in &c.targets {
            let u = t.target.unit.as_deref();
            match units.iter_mut().find(|(k, _)| *k == u) {
                Some(slot) => slot.1 += 1,
                None => units.push((u, 1)),
            }
        }
        let unit = units.iter().max_by_key(|(_, n)| *n).and_then(|(u, _)| *u);
        let shown: Vec<_> = c.targets.iter().filter(|t| t.target.unit.as_deref() == unit).collect();
        json!({
            "kind": "bar",
            "title": format!("{}（{}）", c.indicator, unit.unwrap_or("无单位")),
            "labels": shown.iter().map(|t| format!("{} {}", t.region_name, t.target.year.map(|y| y.to_string()).unwrap_or_default())).collect::<Vec<_>>(),
            "values": shown.iter().map(|t| t.target.value).collect::<Vec<_>>(),
            "unit": unit,
        })
    });
    render(
        "targets/compare.html",
        json!({
            "frame": viewer.frame("targets"),
            "comparisons": comparisons, "chosen": chosen, "chart": chart,
            "q": q.unwrap_or_default(), "key": key.unwrap_or_default(),
        }),
    )
}

/// The target routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/targets", get(list)).route("/targets/compare", get(compare))
}
