//! 统计监测 pages: a region's figures and its children's, ranked, with a
//! chart first (map-free) and the drill-down to the plans of the region
//! (their units and items on the 进度分析 page); the indicator system, with
//! the office's new indicators and imported statistics; the key
//! enterprises, each one's figures typed by its own account. The store
//! rolls up; the page shows.

use super::form::{FieldErrors, Fields, read_multipart};
use super::{PageError, PageResult, Viewer, hx_redirect, opt_id, opt_text, render};
use crate::AppState;
use crate::routes::indicators::{period_of, this_month};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::analysis::Status;
use bighealth_rules::indicators::enterprise::{Measure, Size};
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::indicators::{Definition, OverRegions, OverTime, Periodicity, Polarity};
use bighealth_rules::refusal::{Kind, Reason};
use bighealth_store::enterprises::{NewEnterprise, PeriodFigures};
use bighealth_store::indicators::rollup::IndicatorFigures;
use bighealth_store::{Action, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

/// What the region page's address may carry.
#[derive(Debug, Deserialize)]
pub(super) struct RegionQuery {
    region: Option<String>,
    period: Option<String>,
    indicator: Option<String>,
}

/// A refusal of a value (or a taken code) next to its field; any other failure is the page's.
fn field_errors(e: StoreError) -> PageResult<FieldErrors> {
    match &e {
        StoreError::Refused(r) if r.reason.kind() == Kind::Conflict && r.field.is_some() => {
            let mut errors = FieldErrors::default();
            errors.add(r.field.as_deref().unwrap_or_default(), r.reason.clone());
            Ok(errors)
        }
        _ => FieldErrors::from_store(e),
    }
}

/// The file of an upload form, with `file_missing` when none was chosen.
async fn file_of(multipart: axum::extract::Multipart) -> PageResult<(Vec<u8>, FieldErrors)> {
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    if errors.is_empty() && upload.bytes.is_empty() {
        errors.add("file", Reason::FileMissing {});
    }
    Ok((upload.bytes, errors))
}

/// Two decimal places at most.
fn round(v: Option<f64>) -> Option<f64> {
    v.map(|v| (v * 100.0).round() / 100.0)
}

fn figure_row(i: &IndicatorFigures) -> Value {
    let f = &i.region;
    json!({"code": i.indicator.code, "name": i.indicator.name, "unit": i.indicator.unit,
        "value": round(f.value), "last_year": round(f.last_year), "growth": round(f.growth), "per_10k": round(f.per_10k),
        "own": f.own, "children": i.children.iter().filter(|c| c.value.is_some()).count()})
}

/// The region a page opens on: the one asked for, else the widest region
/// with a plan, else the first province.
async fn default_region(s: &AppState) -> PageResult<String> {
    let plans = s.store.plans(None, false).await?;
    let mut codes: Vec<String> = plans.iter().map(|p| p.region.clone()).collect();
    codes.sort_by_key(|c| (c.trim_end_matches('0').len(), c.clone()));
    Ok(codes.into_iter().next().unwrap_or_else(|| "110000".into()))
}

/// `/statistics?region=…&period=…&indicator=…`: a region's figures.
async fn region_page(State(s): State<AppState>, viewer: Viewer, Query(q): Query<RegionQuery>) -> PageResult<Response> {
    viewer.require(&s, Action::ReadPlans, "statistics").await?;
    let code = match opt_text(&q.region) {
        Some(c) => c,
        None => default_region(&s).await?,
    };
    let today = this_month(s.clock.now());
    let at = period_of(q.period.as_deref()).map_err(PageError::Api)?;
    let f = s.store.region_figures(&viewer.0.actor, &code, at, today).await?;
    let chosen = opt_text(&q.indicator)
        .and_then(|c| f.indicators.iter().find(|i| i.indicator.code == c))
        .or_else(|| f.indicators.iter().find(|i| i.children.iter().any(|c| c.value.is_some())))
        .or(f.indicators.first());
    let chart = chosen.map(|i| {
        let kids: Vec<_> = i.children.iter().filter(|c| c.value.is_some()).collect();
        json!({"kind": "hbar", "title": format!("{} {}（{}）", f.period_label, i.indicator.name, i.indicator.unit.clone().unwrap_or_default()),
            "unit": i.indicator.unit, "labels": kids.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
            "values": kids.iter().map(|c| round(c.value)).collect::<Vec<_>>()})
    });
    let ranking: Vec<Value> = chosen
        .map(|i| {
            i.children
                .iter()
                .map(|c| {
                    json!({"code": c.region, "name": c.name, "value": round(c.value), "growth": round(c.growth),
                    "per_10k": round(c.per_10k), "rank": c.rank, "own": c.own})
                })
                .collect()
        })
        .unwrap_or_default();
    let plans: Vec<Value> = s
        .store
        .plans(Some(&code), false)
        .await?
        .iter()
        .map(|p| json!({"id": p.id, "name": p.name(), "region": p.region_name}))
        .collect();
    let progress: Vec<Value> = s
        .store
        .region_progress(&viewer.0.actor, &code, s.clock.now())
        .await?
        .iter()
        .map(|r| {
            let n = |st: Status| r.statuses.iter().find(|c| c.status == st).map_or(0, |c| c.count);
            json!({"code": r.region, "name": r.name, "plans": r.plans, "tasks": r.tasks,
                "red": n(Status::Red), "yellow": n(Status::Yellow), "green": n(Status::Green),
                "invested": round(Some(r.invested)), "due": round(Some(r.due)),
                "reported": (r.rates.expected > 0).then(|| round(Some(r.rates.reported_pct))),
                "timely": (r.rates.expected > 0).then(|| round(Some(r.rates.timely_pct)))})
        })
        .collect();
    let falls = s.store.falling_enterprises(&viewer.0.actor, &code, f.period).await?;
    let mut months = Vec::new();
    let mut m = today;
    for _ in 0..24 {
        months.push(json!({"key": m.key(), "label": m.label(Periodicity::Month)}));
        m = if m.month == 1 {
            PeriodEnd { year: m.year - 1, month: 12 }
        } else {
            PeriodEnd { month: m.month - 1, ..m }
        };
    }
    render(
        "statistics/region.html",
        json!({
            "frame": viewer.frame("statistics"), "f": f, "period": f.period.key(), "months": months,
            "rows": f.indicators.iter().map(figure_row).collect::<Vec<_>>(),
            "chosen": chosen.map(|i| json!({"code": i.indicator.code, "name": i.indicator.name, "unit": i.indicator.unit})),
            "chart": chart, "ranking": ranking, "plans": plans, "progress": progress,
            "falls": falls.iter().map(|x| json!({"name": x.name, "label": x.label, "now": round(Some(x.now)), "before": round(Some(x.before)), "change": round(Some(x.change))})).collect::<Vec<_>>(),
        }),
    )
    .map(IntoResponse::into_response)
}

/// `/statistics/indicators`: the indicator system, and the office's forms.
async fn indicators(State(s): State<AppState>, viewer: Viewer, Query(q): Query<NoteQuery>) -> PageResult<Response> {
    let note = opt_text(&q.note).map(|_| "已新增指标".to_string());
    indicators_page(&s, &viewer, None, &FieldErrors::default(), note).await
}

async fn indicators_page(
    s: &AppState,
    viewer: &Viewer,
    typed: Option<&Fields>,
    errors: &FieldErrors,
    note: Option<String>,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, "indicators").await?;
    let all = s.store.indicators(&viewer.0.actor).await?;
    let rows: Vec<Value> = all
        .iter()
        .map(|i| {
            let d = &i.definition;
            json!({"code": d.code, "name": d.name, "unit": d.unit, "polarity": d.polarity.label(),
                "over_regions": d.over_regions.label(), "over_time": d.over_time.label(), "periodicity": d.periodicity.label(),
                "formula": d.formula, "class": i.industry_class_name, "targets": i.targets})
        })
        .collect();
    let text = |name: &str| typed.map(|f| f.text(name).to_string()).unwrap_or_default();
    let choices = |all: Vec<(&'static str, &'static str)>| {
        all.into_iter().map(|(k, l)| json!({"key": k, "label": l})).collect::<Vec<_>>()
    };
    render(
        "statistics/indicators.html",
        json!({
            "frame": viewer.frame("statistics"), "rows": rows, "classes": s.store.industry_classes().await?,
            "may_manage": viewer.may(Action::ManagePlans), "errors": errors.0, "note": note,
            "typed": {"code": text("code"), "name": text("name"), "unit": text("unit"), "formula": text("formula"),
                "polarity": text("polarity"), "over_regions": text("over_regions"), "over_time": text("over_time"),
                "periodicity": text("periodicity"), "industry_class": text("industry_class")},
            "polarities": choices(Polarity::ALL.iter().map(|p| (p.as_str(), p.label())).collect()),
            "over_regions": choices(OverRegions::ALL.iter().map(|p| (p.as_str(), p.label())).collect()),
            "over_time": choices(OverTime::ALL.iter().map(|p| (p.as_str(), p.label())).collect()),
            "periodicities": choices(Periodicity::ALL.iter().map(|p| (p.as_str(), p.label())).collect()),
        }),
    )
    .map(IntoResponse::into_response)
}

/// The office adds an indicator; a wrong field comes back under it.
async fn create_indicator(State(s): State<AppState>, viewer: Viewer, form: Fields) -> PageResult<Response> {
    viewer.require(&s, Action::ManagePlans, "indicators").await?;
    let def = Definition {
        code: form.text("code").trim().to_string(),
        name: form.text("name").trim().to_string(),
        unit: form.opt("unit"),
        polarity: Polarity::parse(form.text("polarity")).unwrap_or_default(),
        over_regions: OverRegions::parse(form.text("over_regions")).unwrap_or_default(),
        over_time: OverTime::parse(form.text("over_time")).unwrap_or_default(),
        periodicity: Periodicity::parse(form.text("periodicity")).unwrap_or_default(),
        formula: form.opt("formula"),
        industry_class: form.opt("industry_class"),
    };
    match s.store.create_indicator(&viewer.0.actor, &def, s.clock.now()).await {
        Ok(_) => Ok(hx_redirect("/statistics/indicators?note=created")),
        Err(e) => {
            let errors = field_errors(e)?;
            let page = indicators_page(&s, &viewer, Some(&form), &errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The office uploads a statistics table; every wrong cell is listed above the form.
async fn import_values(
    State(s): State<AppState>,
    viewer: Viewer,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    viewer.require(&s, Action::ManagePlans, "indicators").await?;
    let (bytes, mut errors) = file_of(multipart).await?;
    if errors.is_empty() {
        match s.store.import_indicator_values(&viewer.0.actor, &bytes, s.clock.now()).await {
            Ok(stored) => {
                let note = format!(
                    "已导入 {} 个数值（{} 个指标、{} 个地区），其中替换 {} 个",
                    stored.values, stored.indicators, stored.regions, stored.replaced
                );
                return indicators_page(&s, &viewer, None, &FieldErrors::default(), Some(note)).await;
            }
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    let page = indicators_page(&s, &viewer, None, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// What the enterprise pages' addresses carry.
#[derive(Debug, Deserialize)]
pub(super) struct NoteQuery {
    note: Option<String>,
}

/// `/statistics/enterprises`: the registry (an enterprise's account sees its own).
async fn enterprises(State(s): State<AppState>, viewer: Viewer, Query(q): Query<NoteQuery>) -> PageResult<Response> {
    enterprises_page(&s, &viewer, None, &FieldErrors::default(), opt_text(&q.note)).await
}

async fn enterprises_page(
    s: &AppState,
    viewer: &Viewer,
    typed: Option<&Fields>,
    errors: &FieldErrors,
    note: Option<String>,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, "enterprises").await?;
    let list = s.store.enterprises(&viewer.0.actor).await?;
    let text = |name: &str| typed.map(|f| f.text(name).to_string()).unwrap_or_default();
    render(
        "statistics/enterprises.html",
        json!({
            "frame": viewer.frame("statistics"),
            "rows": list.iter().map(|e| json!({"id": e.id, "name": e.name, "code": e.credit_code, "region": e.region_name,
                "class": e.industry_class_name, "size": e.size.label()})).collect::<Vec<_>>(),
            "classes": s.store.industry_classes().await?, "sizes": Size::ALL.iter().map(|z| z.label()).collect::<Vec<_>>(),
            "measures": Measure::ALL.iter().map(|m| m.label()).collect::<Vec<_>>(),
            "may_manage": viewer.may(Action::ManagePlans), "errors": errors.0, "note": note,
            "typed": {"credit_code": text("credit_code"), "name": text("name"), "region": text("region"),
                "industry_class": text("industry_class"), "size": text("size")},
        }),
    )
    .map(IntoResponse::into_response)
}

/// The office adds an enterprise; a wrong field comes back under it.
async fn create_enterprise(State(s): State<AppState>, viewer: Viewer, form: Fields) -> PageResult<Response> {
    viewer.require(&s, Action::ManagePlans, "enterprises").await?;
    let new = NewEnterprise {
        credit_code: form.text("credit_code").to_string(),
        name: form.text("name").to_string(),
        region: form.text("region").trim().to_string(),
        industry_class: form.text("industry_class").to_string(),
        size: form.text("size").to_string(),
    };
    match s.store.create_enterprise(&viewer.0.actor, &new, s.clock.now()).await {
        Ok(e) => Ok(hx_redirect(&format!("/statistics/enterprises/{}", e.id))),
        Err(e) => {
            let errors = field_errors(e)?;
            let page = enterprises_page(&s, &viewer, Some(&form), &errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The office uploads the statistics bureau's table of the enterprises' figures.
async fn import_figures(
    State(s): State<AppState>,
    viewer: Viewer,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    viewer.require(&s, Action::ManagePlans, "enterprises").await?;
    let (bytes, mut errors) = file_of(multipart).await?;
    if errors.is_empty() {
        match s.store.import_enterprise_figures(&viewer.0.actor, &bytes, s.clock.now()).await {
            Ok(n) => {
                return enterprises_page(
                    &s,
                    &viewer,
                    None,
                    &FieldErrors::default(),
                    Some(format!("已导入 {n} 项企业数据")),
                )
                .await;
            }
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    let page = enterprises_page(&s, &viewer, None, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `/statistics/enterprises/{id}`: one enterprise's figures and the form to add a period's.
async fn enterprise(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoteQuery>,
) -> PageResult<Response> {
    let id = opt_id("id", &Some(id))?.unwrap_or_default();
    enterprise_page(&s, &viewer, id, None, &FieldErrors::default(), opt_text(&q.note)).await
}

async fn enterprise_page(
    s: &AppState,
    viewer: &Viewer,
    id: i64,
    typed: Option<&Fields>,
    errors: &FieldErrors,
    note: Option<String>,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, "enterprises").await?;
    let e = s.store.enterprise(&viewer.0.actor, id).await?;
    let figures = s.store.enterprise_figures(&viewer.0.actor, id).await?;
    let measures: Vec<Value> = Measure::ALL
        .iter()
        .map(|m| {
            json!({"key": m.as_str(), "label": m.label(), "unit": m.unit(),
            "typed": typed.map(|f| f.text(m.as_str()).to_string()).unwrap_or_default()})
        })
        .collect();
    let rows: Vec<Value> = figures
        .iter()
        .map(|p| {
            json!({"period": PeriodEnd::of_key(&p.period).map(|e| e.label(Periodicity::Month)).unwrap_or_default(),
                "values": Measure::ALL.iter().map(|m| p.values.get(m.as_str()).copied()).collect::<Vec<_>>()})
        })
        .collect();
    let may_enter = viewer.may(Action::ManagePlans) || viewer.0.actor.units.contains(&e.unit_id);
    let period = typed.map(|f| f.text("period").to_string()).unwrap_or_else(|| this_month(s.clock.now()).key());
    render(
        "statistics/enterprise.html",
        json!({"frame": viewer.frame("statistics"), "e": e, "size": e.size.label(), "rows": rows, "measures": measures,
            "may_enter": may_enter, "period": period, "errors": errors.0, "note": note}),
    )
    .map(IntoResponse::into_response)
}

/// The enterprise's account (or the office) saves a period's figures.
async fn save_figures(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Fields,
) -> PageResult<Response> {
    let id = opt_id("id", &Some(id))?.unwrap_or_default();
    viewer.require(&s, Action::ReadPlans, "enterprises").await?;
    let mut errors = FieldErrors::default();
    let mut values = std::collections::BTreeMap::new();
    for m in Measure::ALL {
        if let Some(Some(v)) = errors.number(&form, m.as_str()) {
            values.insert(m.as_str().to_string(), v);
        }
    }
    if errors.is_empty() {
        let figures = PeriodFigures { period: form.text("period").to_string(), values };
        match s.store.save_enterprise_figures(&viewer.0.actor, id, &figures, s.clock.now()).await {
            Ok(_) => return Ok(hx_redirect(&format!("/statistics/enterprises/{id}?note=saved"))),
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    let page = enterprise_page(&s, &viewer, id, Some(&form), &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The 统计监测 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(region_page))
        .route("/statistics/indicators", get(indicators).post(create_indicator))
        .route("/statistics/indicators/values", post(import_values))
        .route("/statistics/enterprises", get(enterprises).post(create_enterprise))
        .route("/statistics/enterprises/figures", post(import_figures))
        .route("/statistics/enterprises/{id}", get(enterprise).post(save_figures))
}
