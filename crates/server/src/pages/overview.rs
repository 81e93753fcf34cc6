//! The leaders' overview: per region, its plans and its children's plans;
//! per plan, its tasks and targets by segment and by lead unit, its
//! investment and its open findings.

use super::{PageResult, Viewer, opt_text, render};
use crate::AppState;
use crate::extract::Id;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_store::Action;
use bighealth_store::overview::Count;
use bighealth_store::plans::{Plan, region_prefix};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
struct RegionFilter {
    region: Option<String>,
}

/// The plans whose region lies under `code` (or is it).
fn under<'a>(plans: &'a [Plan], code: &str) -> Vec<&'a Plan> {
    let prefix = region_prefix(code);
    let prefix = prefix.trim_end_matches('%');
    plans.iter().filter(|p| p.region.starts_with(prefix)).collect()
}

async fn region(State(s): State<AppState>, viewer: Viewer, Query(f): Query<RegionFilter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "overview").await?;
    let all = s.store.plans(None, false).await?;
    let Some(code) = opt_text(&f.region) else {
        // No region chosen: the provinces that have plans.
        let mut provinces: Vec<String> = all.iter().map(|p| format!("{}0000", &p.region[..2])).collect();
        provinces.sort();
        provinces.dedup();
        let mut rows = Vec::new();
        for code in provinces {
            let region = s.store.region(&code).await?;
            let plans = under(&all, &code);
            rows.push(json!({
                "region": region,
                "plans": plans.len(),
                "tasks": plans.iter().map(|p| p.tasks).sum::<i64>(),
                "targets": plans.iter().map(|p| p.targets).sum::<i64>(),
                "projects": plans.iter().map(|p| p.projects).sum::<i64>(),
                "open_findings": plans.iter().map(|p| p.open_findings).sum::<i64>(),
            }));
        }
        return render(
            "overview/overview.html",
            json!({"frame": viewer.frame("overview"), "top": rows, "region": Value::Null}),
        );
    };
    let mut chain = s.store.region_chain(&code).await?;
    let region = chain.remove(0);
    chain.reverse();
    let own: Vec<&Plan> = all.iter().filter(|p| p.region == code).collect();
    let mut children = Vec::new();
    for child in s.store.region_children(&code).await? {
        let plans = under(&all, &child.code);
        if plans.is_empty() {
            continue;
        }
        children.push(json!({"region": child, "plans": plans}));
    }
    let total = under(&all, &code);
    let sum = |f: fn(&Plan) -> i64| total.iter().map(|p| f(p)).sum::<i64>();
    render(
        "overview/overview.html",
        json!({
            "frame": viewer.frame("overview"),
            "region": region, "ancestors": chain, "own": own, "children": children,
            "sums": {"plans": total.len(), "tasks": sum(|p| p.tasks), "targets": sum(|p| p.targets),
                     "projects": sum(|p| p.projects), "open_findings": sum(|p| p.open_findings)},
            "top": Value::Null,
        }),
    )
}

fn segment_label(key: &str) -> String {
    bighealth_reader::segment::Segment::parse(key)
        .map(|s| format!("{} {}", s.as_char(), s.name()))
        .unwrap_or_else(|| "未分类".into())
}

fn count_chart(kind: &str, title: &str, rows: &[Count], label: fn(&str) -> String) -> Value {
    json!({
        "kind": kind, "title": title, "unit": "项",
        "labels": rows.iter().map(|c| label(&c.key)).collect::<Vec<_>>(),
        "values": rows.iter().map(|c| c.count).collect::<Vec<_>>(),
    })
}

async fn plan(State(s): State<AppState>, viewer: Viewer, Id(id): Id) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let o = s.store.plan_overview(id).await?;
    let children = s.store.child_plans(id).await?;
    let leads: Vec<Count> = o.tasks_by_lead.iter().take(15).cloned().collect();
    let charts = [
        count_chart("bar", "任务数（按板块）", &o.tasks_by_segment, segment_label),
        count_chart("bar", "目标数（按板块）", &o.targets_by_segment, segment_label),
        count_chart("hbar", "牵头任务最多的单位", &leads, |k| k.to_string()),
        json!({
            "kind": "pie", "title": "项目投资（按类别，万元）", "unit": "万元",
            "labels": o.projects.by_category.iter().map(|r| if r.key.is_empty() { "未分类".into() } else { r.key.clone() }).collect::<Vec<String>>(),
            "values": o.projects.by_category.iter().map(|r| r.investment_wan).collect::<Vec<_>>(),
        }),
    ];
    let segment_rows: Vec<Value> = o
        .tasks_by_segment
        .iter()
        .map(|c| c.key.clone())
        .chain(o.targets_by_segment.iter().map(|c| c.key.clone()))
        .fold(Vec::<String>::new(), |mut keys, k| {
            if !keys.contains(&k) {
                keys.push(k);
            }
            keys
        })
        .into_iter()
        .map(|k| {
            let n = |rows: &[Count]| rows.iter().find(|c| c.key == k).map(|c| c.count).unwrap_or(0);
            json!({"key": k, "label": segment_label(&k), "tasks": n(&o.tasks_by_segment), "targets": n(&o.targets_by_segment)})
        })
        .collect();
    render(
        "overview/plan_overview.html",
        json!({
            "frame": viewer.frame("overview"), "o": o, "charts": charts, "segment_rows": segment_rows,
            "children": children,
        }),
    )
}

/// The overview routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/overview", get(region)).route("/plans/{id}/overview", get(plan))
}
