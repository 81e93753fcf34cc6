//! 进度分析 pages: every plan at a glance, and one plan's status at the end
//! of a period — each target, task and project against 序时 with its reason,
//! the most urgent first, filtered by kind and status, the counts as a
//! chart — with the office's thresholds. The store judges; the page shows.

use super::form::{FieldErrors, Fields};
use super::{PageError, PageResult, Viewer, hx_redirect, opt_id, opt_text, plan_of, render};
use crate::AppState;
use crate::routes::analysis as analysis_routes;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::analysis::quarter::Quarter;
use bighealth_rules::analysis::{Settings, Status};
use bighealth_rules::calendar::date_of;
use bighealth_rules::refusal::Reason;
use bighealth_store::Action;
use bighealth_store::analysis::quarterly::{Narrative, Subject};
use bighealth_store::analysis::status::PlanStatus;
use serde::Deserialize;
use serde_json::{Value, json};

/// What the address may carry.
#[derive(Debug, Deserialize)]
pub(super) struct AnalysisQuery {
    plan: Option<String>,
    period: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    unit: Option<String>,
    note: Option<String>,
}

/// The kinds of item and their names.
const KINDS: [(&str, &str); 3] = [("target", "目标"), ("task", "任务"), ("project", "项目")];

/// A stacked bar of the counts per kind, coloured by status.
fn status_chart(status: &PlanStatus) -> Value {
    let series: Vec<Value> = Status::ALL
        .iter()
        .map(|s| {
            let values: Vec<i64> = status
                .kinds
                .iter()
                .map(|k| k.counts.iter().find(|c| c.status == *s).map(|c| c.count).unwrap_or(0))
                .collect();
            json!({"name": s.label(), "colour": s.colour(), "values": values})
        })
        .collect();
    json!({
        "kind": "stack", "title": format!("{}末推进状态", status.period.label), "unit": "项",
        "labels": status.kinds.iter().map(|k| k.label.clone()).collect::<Vec<_>>(),
        "values": status.kinds.iter().map(|k| k.total).collect::<Vec<_>>(),
        "series": series,
    })
}

/// The counts of one plan as the list shows them.
fn counts(status: &PlanStatus) -> Value {
    status
        .kinds
        .iter()
        .map(|k| {
            json!({"kind": k.kind, "label": k.label, "total": k.total,
                "counts": k.counts.iter().filter(|c| c.count > 0).map(|c| json!({
                    "status": c.status.as_str(), "label": c.label, "count": c.count, "colour": c.status.colour()})).collect::<Vec<_>>()})
        })
        .collect::<Vec<_>>()
        .into()
}

fn one_of<'a>(field: &str, raw: &Option<String>, allowed: &[(&'a str, &'a str)]) -> PageResult<Option<&'a str>> {
    let Some(raw) = opt_text(raw) else { return Ok(None) };
    allowed.iter().find(|(k, _)| *k == raw).map(|(k, _)| Some(*k)).ok_or_else(|| {
        PageError::bad_parameter(
            field,
            Reason::NotOneOf {
                value: raw.chars().take(20).collect(),
                allowed: allowed.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("、"),
            },
        )
    })
}

/// `/analysis`: every plan's counts; `/analysis?plan=…`: one plan.
async fn analysis(State(s): State<AppState>, viewer: Viewer, Query(q): Query<AnalysisQuery>) -> PageResult<Response> {
    viewer.require(&s, Action::ReadPlans, "analysis").await?;
    let Some(plan) = opt_id("plan", &q.plan)? else {
        let mut rows = Vec::new();
        for p in s.store.plans(None, false).await? {
            let status = s.store.plan_status(&viewer.0.actor, p.id, None, s.clock.now()).await?;
            rows.push(json!({"id": p.id, "name": p.name(), "region": p.region_name,
                "period": status.period.label, "counts": counts(&status)}));
        }
        return Ok(
            render("analysis/plans.html", json!({"frame": viewer.frame("analysis"), "plans": rows}))?.into_response()
        );
    };
    show(&s, &viewer, plan, &q, None, &FieldErrors::default()).await
}

/// One plan's page, with the thresholds as typed and their errors.
async fn show(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    q: &AnalysisQuery,
    typed: Option<&Fields>,
    errors: &FieldErrors,
) -> PageResult<Response> {
    let now = s.clock.now();
    let statuses: Vec<(&str, &str)> = Status::ALL.iter().map(|s| (s.as_str(), s.label())).collect();
    let kind = one_of("kind", &q.kind, &KINDS)?;
    let wanted = one_of("status", &q.status, &statuses)?;
    let period = opt_text(&q.period);
    let unit = opt_id("unit", &q.unit)?;
    let status = s.store.plan_status(&viewer.0.actor, plan, period.as_deref(), now).await?;
    let mut units: Vec<(i64, String)> =
        status.items.iter().filter_map(|i| Some((i.unit_id?, i.unit.clone().unwrap_or_default()))).collect();
    units.sort();
    units.dedup();
    let schedule = s.store.reporting_schedule(plan).await?;
    let holidays = s.store.holidays();
    let today = date_of(now);
    let mut periods: Vec<Value> = Vec::new();
    for year in [status.period.end.year() - 1, status.period.end.year(), today.year()] {
        for p in schedule.periods_of_year(year, &holidays) {
            // Every period begun, the running one too, and the one shown.
            let shown = p.key == status.period.key;
            if (p.start <= today || shown) && !periods.iter().any(|v| v["key"] == p.key.as_str()) {
                periods.push(json!({"key": p.key, "label": p.label}));
            }
        }
    }
    periods.reverse();
    let items: Vec<Value> = status
        .items
        .iter()
        .filter(|i| kind.is_none_or(|k| i.kind == k))
        .filter(|i| wanted.is_none_or(|w| i.judgement.status.as_str() == w))
        .filter(|i| unit.is_none() || i.unit_id == unit)
        .map(|i| {
            let j = &i.judgement;
            let href = format!("/plans/{plan}#{}-{}", i.kind, i.item_id);
            let tenth = |v: Option<f64>| v.map(|v| (v * 10.0).round() / 10.0);
            json!({
                "kind": i.kind, "kind_label": KINDS.iter().find(|(k, _)| *k == i.kind).map(|(_, l)| *l),
                "id": i.item_id, "title": i.title, "href": href, "unit": i.unit,
                "status": j.status.as_str(), "status_label": j.status.label(), "colour": j.status.colour(),
                "schedule": tenth(j.schedule), "progress": tenth(j.progress), "gap": tenth(j.gap),
                "year": j.year.map(|y| json!({"year": y.year, "source": y.source.label()})),
                "reason": j.reason,
            })
        })
        .collect();
    let name = s.store.plans(None, false).await?.into_iter().find(|p| p.id == plan).map(|p| p.name().to_string());
    let field = |name: &str, saved: f64| match typed {
        Some(f) => f.text(name).to_string(),
        None => bighealth_rules::labels::number(saved),
    };
    let settings = json!({
        "yellow_behind": field("yellow_behind", status.settings.yellow_behind),
        "red_behind": field("red_behind", status.settings.red_behind),
        "red_from_month": field("red_from_month", f64::from(status.settings.red_from_month)),
    });
    render(
        "analysis/plan.html",
        json!({
            "frame": viewer.frame("analysis"), "plan": plan, "name": name, "status": status,
            "chart": status_chart(&status), "counts": counts(&status), "items": items, "periods": periods,
            "kinds": KINDS.iter().map(|(k, l)| json!({"key": k, "label": l})).collect::<Vec<_>>(),
            "statuses": statuses.iter().map(|(k, l)| json!({"key": k, "label": l})).collect::<Vec<_>>(),
            "kind": kind, "wanted": wanted, "may_set": viewer.may(Action::ReviewReports),
            "units": units.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(), "unit": unit,
            "settings": settings, "errors": errors.0, "note": opt_text(&q.note),
        }),
    )
    .map(IntoResponse::into_response)
}

/// The office saves a plan's thresholds; a wrong value comes back under its field.
async fn save_settings(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<AnalysisQuery>,
    form: Fields,
) -> PageResult<Response> {
    viewer.require(&s, Action::ReviewReports, "analysis-settings").await?;
    let plan = plan_of(&q.plan)?;
    let mut errors = FieldErrors::default();
    let mut value = |name: &str| match errors.number(&form, name) {
        Some(Some(v)) => Some(v),
        Some(None) => {
            errors.add(name, Reason::Required { field: name.into() });
            None
        }
        None => None,
    };
    let (yellow, red, month) = (value("yellow_behind"), value("red_behind"), value("red_from_month"));
    if let (Some(yellow_behind), Some(red_behind), Some(month)) = (yellow, red, month) {
        let settings = Settings { yellow_behind, red_behind, red_from_month: month.clamp(-1.0, 13.0) as i8 };
        match s.store.set_analysis_settings(&viewer.0.actor, plan, &settings, s.clock.now()).await {
            Ok(_) => return Ok(hx_redirect(&format!("/analysis?plan={plan}&note=saved"))),
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    show(&s, &viewer, plan, &q, Some(&form), &errors).await
}

/// `/analysis/midterm?plan=…`: each target's way so far, its projection at
/// its year's end at the pace so far and its bin (中期评估); the office
/// adjusts a target on the review page, where the change is kept with its history.
async fn midterm(State(s): State<AppState>, viewer: Viewer, Query(q): Query<AnalysisQuery>) -> PageResult<Response> {
    viewer.require(&s, Action::ReadPlans, "analysis").await?;
    let plan = plan_of(&q.plan)?;
    let status = s.store.plan_status(&viewer.0.actor, plan, opt_text(&q.period).as_deref(), s.clock.now()).await?;
    let tenth = |v: f64| (v * 10.0).round() / 10.0;
    let rows: Vec<Value> = status
        .items
        .iter()
        .filter(|i| i.kind == "target")
        .map(|i| {
            let j = &i.judgement;
            let p = j.projection.as_ref();
            json!({
                "id": i.item_id, "title": i.title, "unit": i.unit, "href": format!("/plans/{plan}#target-{}", i.item_id),
                "year": j.year.map(|y| json!({"year": y.year, "source": y.source.label()})),
                "actual": j.actual, "goal": j.trajectory.map(|t| t.end.value),
                "done": p.map(|p| tenth(p.done)), "elapsed": p.map(|p| tenth(p.elapsed)),
                "projected": p.map(|p| tenth(p.projected)), "outlook": p.map(|p| p.outlook.label()),
                "will_meet": p.map(|p| p.will_meet), "reason": p.map(|p| p.reason.clone()).unwrap_or_else(|| j.reason.clone()),
            })
        })
        .collect();
    let name = s.store.plan(plan).await?.name().to_string();
    render(
        "analysis/midterm.html",
        json!({"frame": viewer.frame("analysis"), "plan": plan, "name": name, "status": status, "rows": rows,
            "may_adjust": viewer.may(Action::ManagePlans)}),
    )
    .map(IntoResponse::into_response)
}

/// What the quarterly page's address carries: a plan or a region, a quarter.
#[derive(Debug, Deserialize)]
pub(super) struct QuarterQuery {
    plan: Option<String>,
    region: Option<String>,
    quarter: Option<String>,
    note: Option<String>,
}

fn subject_and_quarter(s: &AppState, q: &QuarterQuery) -> PageResult<(Subject, Quarter)> {
    let subject = match opt_text(&q.region) {
        Some(code) if q.plan.is_none() => Subject::Region(code),
        _ => Subject::Plan(plan_of(&q.plan)?),
    };
    let quarter = match opt_text(&q.quarter) {
        Some(k) => Quarter::parse(&k).map_err(|r| PageError::bad_parameter("quarter", r.reason))?,
        None => Quarter::ended_by(date_of(s.clock.now())),
    };
    Ok((subject, quarter))
}

/// The page's own parameter: (`plan`, `2`) or (`region`, `500114`).
fn which(subject: &Subject) -> (&'static str, String) {
    match subject {
        Subject::Plan(id) => ("plan", id.to_string()),
        Subject::Region(code) => ("region", code.clone()),
    }
}

/// `/analysis/quarterly?plan=…&quarter=2026-Q3` (or `?region=…`): the
/// quarter's paragraphs to edit, the document as it stands, the versions
/// issued.
async fn quarterly(State(s): State<AppState>, viewer: Viewer, Query(q): Query<QuarterQuery>) -> PageResult<Response> {
    let (subject, quarter) = subject_and_quarter(&s, &q)?;
    quarterly_page(&s, &viewer, &subject, quarter, None, &FieldErrors::default(), opt_text(&q.note)).await
}

async fn quarterly_page(
    s: &AppState,
    viewer: &Viewer,
    subject: &Subject,
    quarter: Quarter,
    typed: Option<&Fields>,
    errors: &FieldErrors,
    note: Option<String>,
) -> PageResult<Response> {
    let key = quarter.key();
    let (draft, name, crumb, docs, files) = match subject {
        Subject::Plan(plan) => {
            let draft = analysis_routes::draft(s, &viewer.0, *plan, quarter).await?;
            let name = s.store.plan(*plan).await?.name().to_string();
            let base = format!("/api/plans/{plan}/analysis/quarters/{key}/analysis");
            let crumb = json!({"href": format!("/analysis?plan={plan}"), "top": "/analysis", "top_label": "进度分析"});
            (
                draft,
                name,
                crumb,
                [format!("{base}.docx"), format!("{base}.pdf"), format!("{base}.xlsx")],
                "/api/analysis/reports".to_string(),
            )
        }
        Subject::Region(code) => {
            let draft = analysis_routes::region_draft(s, &viewer.0, code, quarter).await?;
            let name = s.store.region(code).await?.name;
            let base = format!("/api/regions/{code}/analysis/{key}");
            let crumb =
                json!({"href": format!("/statistics?region={code}"), "top": "/statistics", "top_label": "统计监测"});
            (
                draft,
                name,
                crumb,
                [format!("{base}/docx"), format!("{base}/pdf"), format!("{base}/xlsx")],
                format!("/api/regions/{code}/analysis/reports"),
            )
        }
    };
    let text = |field: &str, saved: &str| typed.map(|f| f.text(field).to_string()).unwrap_or_else(|| saved.to_string());
    let narrative = json!({
        "lead": text("lead", &draft.narrative.lead),
        "problems": text("problems", &draft.narrative.problems),
        "suggestions": text("suggestions", &draft.narrative.suggestions),
    });
    let mut quarters = Vec::new();
    let mut k = Quarter::ended_by(date_of(s.clock.now()));
    for _ in 0..8 {
        quarters.push(json!({"key": k.key(), "label": k.label()}));
        k = k.before();
    }
    let all = s.store.quarter_reports(&viewer.0.actor, subject).await?;
    let (which_name, which_value) = which(subject);
    let issued: Vec<Value> = all
        .iter()
        .map(|r| {
            json!({"id": r.id, "number": r.number, "quarter": Quarter::parse(&r.quarter).map(Quarter::label).unwrap_or_default(),
                "issued_at": r.issued_at, "files": r.files})
        })
        .collect();
    render(
        "analysis/quarterly.html",
        json!({
            "frame": viewer.frame(if matches!(subject, Subject::Region(_)) { "statistics" } else { "analysis" }),
            "which": format!("{which_name}={which_value}"), "which_name": which_name, "which_value": which_value,
            "crumb": crumb, "docs": docs, "files": files,
            "name": name, "draft": draft, "narrative": narrative,
            "quarters": quarters, "issued": issued, "may_edit": viewer.may(Action::ReviewReports),
            "errors": errors.0, "note": note,
        }),
    )
    .map(IntoResponse::into_response)
}

/// The office saves the quarter's paragraphs; an empty one comes back under its field.
async fn save_narrative(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<QuarterQuery>,
    form: Fields,
) -> PageResult<Response> {
    viewer.require(&s, Action::ReviewReports, "analysis-quarterly").await?;
    let (subject, quarter) = subject_and_quarter(&s, &q)?;
    let narrative = Narrative {
        lead: form.text("lead").to_string(),
        problems: form.text("problems").to_string(),
        suggestions: form.text("suggestions").to_string(),
    };
    match s.store.save_quarter_narrative(&viewer.0.actor, &subject, &quarter.key(), &narrative, s.clock.now()).await {
        Ok(_) => {
            let (name, value) = which(&subject);
            Ok(hx_redirect(&format!("/analysis/quarterly?{name}={value}&quarter={}&note=saved", quarter.key())))
        }
        Err(e) => {
            let errors = FieldErrors::from_store(e)?;
            quarterly_page(&s, &viewer, &subject, quarter, Some(&form), &errors, None).await
        }
    }
}

/// The office issues the quarter's analysis as it stands.
async fn issue(State(s): State<AppState>, viewer: Viewer, Query(q): Query<QuarterQuery>) -> PageResult<Response> {
    viewer.require(&s, Action::ReviewReports, "analysis-quarterly").await?;
    let (subject, quarter) = subject_and_quarter(&s, &q)?;
    match &subject {
        Subject::Plan(plan) => analysis_routes::issue(&s, &viewer.0, *plan, quarter).await?,
        Subject::Region(code) => analysis_routes::issue_region(&s, &viewer.0, code, quarter).await?,
    };
    let (name, value) = which(&subject);
    Ok(hx_redirect(&format!("/analysis/quarterly?{name}={value}&quarter={}&note=issued", quarter.key())))
}

/// The 进度分析 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/analysis", get(analysis))
        .route("/analysis/settings", post(save_settings))
        .route("/analysis/midterm", get(midterm))
        .route("/analysis/quarterly", get(quarterly))
        .route("/analysis/quarterly/narrative", post(save_narrative))
        .route("/analysis/quarterly/issue", post(issue))
}
