//! The project library: filters (status, group, nature, funding, unit,
//! segment, plan), totals that add up the whole filtered table, and charts
//! of investment by group, by funding method and by year.

use super::{PageError, PageResult, Viewer, offset_of, opt_id, opt_segment, opt_text, pager, render, segments};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use bighealth_store::Action;
use bighealth_store::projects::{ProjectQuery, STATUSES, TotalRow};
use bighealth_store::units::UnitQuery;
use serde::Deserialize;
use serde_json::{Value, json};

const PER_PAGE: i64 = 100;

#[derive(Debug, Deserialize)]
struct Filter {
    plan: Option<String>,
    status: Option<String>,
    category: Option<String>,
    nature: Option<String>,
    funding: Option<String>,
    unit: Option<String>,
    segment: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// A chart's data: labels and investment (万元) per row.
fn chart(kind: &str, title: &str, rows: &[TotalRow], blank: &str) -> Value {
    json!({
        "kind": kind,
        "title": title,
        "unit": "万元",
        "labels": rows.iter().map(|r| if r.key.is_empty() { blank.to_string() } else { r.key.clone() }).collect::<Vec<_>>(),
        "values": rows.iter().map(|r| (r.investment_wan * 100.0).round() / 100.0).collect::<Vec<_>>(),
    })
}

async fn list(State(s): State<AppState>, viewer: Viewer, Query(f): Query<Filter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "projects").await?;
    let plan = opt_id("plan", &f.plan)?;
    let unit = opt_id("unit", &f.unit)?;
    let status = opt_text(&f.status);
    if let Some(st) = &status {
        bighealth_rules::check::one_of("status", st, &STATUSES).map_err(|r| PageError::Api(r.into()))?;
    }
    let sort = opt_text(&f.sort);
    if let Some(so) = &sort
        && !["position", "investment", "-investment", "name", "status"].contains(&so.as_str())
    {
        return Err(PageError::bad_parameter(
            "sort",
            bighealth_rules::refusal::Reason::NotOneOf {
                value: so.clone(),
                allowed: "position、investment、-investment、name、status".into(),
            },
        ));
    }
    let (page, offset) = offset_of(&f.page, PER_PAGE)?;
    let q = ProjectQuery {
        plan,
        status: status.clone(),
        category: opt_text(&f.category),
        nature: opt_text(&f.nature),
        funding: opt_text(&f.funding),
        unit,
        segment: opt_segment(&f.segment)?,
        q: opt_text(&f.q),
        sort: sort.clone(),
        limit: Some(PER_PAGE),
        offset: Some(offset),
        ..Default::default()
    };
    let projects = s.store.projects(&q).await?;
    let totals = s.store.project_totals(&q).await?;
    // What the filters may choose from: the values of the plan's (or all) projects.
    let all = s.store.project_totals(&ProjectQuery { plan, ..Default::default() }).await?;
    let keys = |rows: &[TotalRow]| rows.iter().map(|r| r.key.clone()).filter(|k| !k.is_empty()).collect::<Vec<_>>();
    let page_sum: f64 = projects.items.iter().filter_map(|p| p.investment_wan).sum();
    let plans = s.store.plans(None, false).await?;
    let units: Vec<_> = s
        .store
        .units(&UnitQuery::default())
        .await?
        .into_iter()
        .filter(|u| all.by_unit.iter().any(|r| r.unit_id == Some(u.id)))
        .collect();
    let query = [
        ("plan", f.plan.clone()),
        ("status", status.clone()),
        ("category", opt_text(&f.category)),
        ("nature", opt_text(&f.nature)),
        ("funding", opt_text(&f.funding)),
        ("unit", f.unit.clone()),
        ("segment", opt_text(&f.segment)),
        ("q", opt_text(&f.q)),
        ("sort", sort.clone()),
    ];
    let charts = [
        chart("bar", "按项目类别的投资（万元）", &totals.by_category, "未分类"),
        chart("pie", "按资金筹措方式的投资（万元）", &totals.by_funding, "未注明"),
        chart("bar", "按开工年份的投资（万元）", &totals.by_year, "未注明"),
    ];
    render(
        "projects/projects.html",
        json!({
            "frame": viewer.frame("projects"),
            "projects": projects.items,
            "totals": totals,
            "page_sum": page_sum,
            "charts": charts,
            "pager": pager("/projects", &query, page, PER_PAGE, projects.total),
            "plans": plans, "units": units, "segments": segments(), "statuses": STATUSES,
            "categories": keys(&all.by_category), "natures": keys(&all.by_nature), "fundings": keys(&all.by_funding),
            "f": {
                "plan": plan, "status": status, "category": opt_text(&f.category), "nature": opt_text(&f.nature),
                "funding": opt_text(&f.funding), "unit": unit, "segment": opt_text(&f.segment),
                "q": opt_text(&f.q).unwrap_or_default(), "sort": sort,
            },
        }),
    )
}

/// The project routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/projects", get(list))
}
