//! 年度考核 pages: the plans and their years; a year's result ranked by
//! group with its grades, published with its 通报 or withdrawn; each unit's
//! score explained item by item down to the records behind it, with the
//! office's entries (checklist points, bonus, deduction, veto, each with
//! evidence) and the unit's self-assessment with the office's review; the
//! scheme, edited on the page or imported from its workbook, its versions.
//! The store scores; the page shows.

use super::form::{FieldErrors, Fields, Upload, read_multipart};
use super::{PageError, PageResult, Viewer, hx_redirect, opt_text, render};
use crate::AppState;
use crate::extract::positive_id;
use crate::routes::assessment as assessment_routes;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::calendar::date_of;
use bighealth_rules::refusal::Reason;
use bighealth_rules::reporting::entry::attachment_type;
use bighealth_rules::scoring::rank::Grade;
use bighealth_rules::scoring::score::{Entry, Evidence};
use bighealth_rules::scoring::{BonusLevel, Item, Rule, Scheme};
use bighealth_store::Action;
use bighealth_store::assessment::entries::{FileOwner, NewEntry, NewSelfAssessment};
use bighealth_store::assessment::results::Assessment;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// What an address may carry.
#[derive(Debug, Deserialize)]
pub(super) struct NoteQuery {
    note: Option<String>,
    year: Option<String>,
}

/// Where the record behind a piece of evidence is shown.
fn href(plan: i64, unit: i64, e: &Evidence) -> Option<String> {
    Some(match e.kind.as_str() {
        "target" => format!("/plans/{plan}/items/targets?id={}", e.id),
        "task" => format!("/plans/{plan}/items/tasks?id={}", e.id),
        "project" => format!("/plans/{plan}/items/projects?id={}", e.id),
        "supervision_item" => format!("/supervision/{}", e.id),
        "report" => format!("/reporting/{plan}/{}/{unit}", e.period.as_deref()?),
        "entry" => format!("#entry-{}", e.id),
        _ => return None,
    })
}

fn grade_class(g: Grade) -> &'static str {
    match g {
        Grade::Excellent => "ok",
        Grade::Good => "info",
        Grade::Pass => "muted",
        Grade::Fail => "bad",
    }
}

/// The evidence a form sent, its type checked before anything is stored:
/// its name and bytes, or none; a file of another type is an error on `file`.
fn evidence_of(upload: &Upload, default_name: &str, errors: &mut FieldErrors) -> Option<(String, Vec<u8>)> {
    if upload.bytes.is_empty() {
        return None;
    }
    let name = if upload.file_name.is_empty() { default_name.to_string() } else { upload.file_name.clone() };
    match attachment_type(&name, &upload.bytes) {
        Ok(_) => Some((name, upload.bytes.clone())),
        Err(r) => {
            errors.add("file", r.reason);
            None
        }
    }
}

/// The year a page opens on: the year of the last day passed.
fn this_year(s: &AppState) -> i64 {
    i64::from(date_of(s.clock.now()).year())
}

/// `/assessment`: every plan, with its year's state.
async fn index(State(s): State<AppState>, viewer: Viewer, Query(q): Query<NoteQuery>) -> PageResult<Response> {
    viewer.require(&s, Action::ReadPlans, "assessment").await?;
    let year = super::opt_id("year", &q.year)?.unwrap_or_else(|| this_year(&s));
    let mut rows = Vec::new();
    for p in s.store.plans(None, false).await? {
        let version = s.store.scoring_scheme(&viewer.0.actor, p.id, year).await?;
        rows.push(json!({"id": p.id, "name": p.name(), "region": p.region_name, "version": version.version}));
    }
    let years: Vec<i64> = (0..5).map(|k| this_year(&s) - k).collect();
    render(
        "assessment/plans.html",
        json!({"frame": viewer.frame("assessment"), "plans": rows, "year": year, "years": years}),
    )
    .map(IntoResponse::into_response)
}

fn plan_year(path: &(String, String)) -> PageResult<(i64, i64)> {
    Ok((positive_id(&path.0, "plan")?, positive_id(&path.1, "year")?))
}

/// `/assessment/{plan}/{year}`: the year's result.
async fn year_page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(path): Path<(String, String)>,
    Query(q): Query<NoteQuery>,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&path)?;
    year_view(&s, &viewer, plan, year, opt_text(&q.note), &FieldErrors::default()).await
}

async fn year_view(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    year: i64,
    note: Option<String>,
    errors: &FieldErrors,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, &format!("plan:{plan}")).await?;
    let a = s.store.assessment(&viewer.0.actor, plan, year, s.clock.now()).await?;
    let name = s.store.plan(plan).await?.name().to_string();
    let units: Vec<Value> = a
        .units
        .iter()
        .map(|u| {
            json!({"id": u.unit_id, "name": u.unit_name, "group": u.group, "rank": u.place.rank, "of": u.place.of,
                "items": u.score.items.iter().map(|i| i.points).collect::<Vec<_>>(),
                "bonus": u.score.bonus, "deduction": u.score.deduction, "total": u.score.total,
                "veto": u.score.veto, "self_total": u.self_total, "grade": u.place.grade.label(),
                "grade_class": grade_class(u.place.grade), "rectify": u.place.rectify, "quota": u.place.quota_limited})
        })
        .collect();
    let chart = json!({"kind": "bar", "title": format!("{year}年度考核得分"), "unit": "分",
        "labels": a.units.iter().map(|u| u.unit_name.clone()).collect::<Vec<_>>(),
        "values": a.units.iter().map(|u| u.score.total).collect::<Vec<_>>()});
    let counts: Vec<Value> = a
        .grade_counts()
        .into_iter()
        .map(|(g, n)| json!({"label": g.label(), "count": n, "class": grade_class(g)}))
        .collect();
    let next_number =
        if a.published.is_none() { Some(s.store.next_assessment_number(plan, year).await?) } else { None };
    render(
        "assessment/year.html",
        json!({"frame": viewer.frame("assessment"), "plan": plan, "name": name, "year": year, "a": a,
            "units": units, "chart": chart, "counts": counts, "next_number": next_number,
            "may_assess": viewer.may(Action::Assess), "note": note, "errors": errors.0}),
    )
    .map(IntoResponse::into_response)
}

/// The office publishes the year as it stands.
async fn publish(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(path): Path<(String, String)>,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&path)?;
    viewer.require(&s, Action::Assess, &format!("plan:{plan}")).await?;
    assessment_routes::publish_year(&s, &viewer.0, plan, year).await?;
    Ok(hx_redirect(&format!("/assessment/{plan}/{year}?note=published")))
}

/// The office withdraws the published result, with its reason.
async fn withdraw(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(path): Path<(String, String)>,
    form: Fields,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&path)?;
    viewer.require(&s, Action::Assess, &format!("plan:{plan}")).await?;
    match s.store.withdraw_assessment(&viewer.0.actor, plan, year, form.text("reason"), s.clock.now()).await {
        Ok(()) => Ok(hx_redirect(&format!("/assessment/{plan}/{year}?note=withdrawn"))),
        Err(e) => year_view(&s, &viewer, plan, year, None, &FieldErrors::from_store(e)?).await,
    }
}

/// `/assessment/{plan}/{year}/units/{unit}`: one unit's score explained.
async fn unit_page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, year, unit)): Path<(String, String, String)>,
    Query(q): Query<NoteQuery>,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&(plan, year))?;
    let unit = positive_id(&unit, "unit")?;
    unit_view(&s, &viewer, plan, year, unit, opt_text(&q.note), None, &FieldErrors::default()).await
}

#[allow(clippy::too_many_arguments)]
async fn unit_view(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    year: i64,
    unit: i64,
    note: Option<String>,
    typed: Option<&BTreeMap<String, String>>,
    errors: &FieldErrors,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, &format!("plan:{plan}")).await?;
    let actor = &viewer.0.actor;
    let a: Assessment = s.store.assessment(actor, plan, year, s.clock.now()).await?;
    let Some(u) = a.unit(unit) else {
        return Err(PageError::bad_parameter("unit", Reason::NotAssessed { unit }));
    };
    let items: Vec<Value> = u
        .score
        .items
        .iter()
        .map(|i| {
            json!({"key": i.key, "name": i.name, "max": i.max, "points": i.points, "reason": i.reason,
                "evidence": i.evidence.iter().map(|e| json!({"label": e.label, "effect": e.effect, "href": href(plan, unit, e)})).collect::<Vec<_>>()})
        })
        .collect();
    let adjustments: Vec<Value> = u
        .score
        .adjustments
        .iter()
        .map(|e| json!({"label": e.label, "effect": e.effect, "href": href(plan, unit, e)}))
        .collect();
    let entries: Vec<Value> = s
        .store
        .assessment_entries(actor, plan, year)
        .await?
        .into_iter()
        .filter(|e| e.unit_id == unit)
        .map(|e| {
            let what = match &e.entry {
                Entry::Points { item, points } => {
                    let name = a.scheme.item(item).map(|i| i.name.clone()).unwrap_or_else(|| item.clone());
                    format!("{name}评分 {}", bighealth_rules::labels::number(*points))
                }
                Entry::Bonus { level } => format!("加分（{}）", level.label()),
                Entry::Deduction { points } => format!("扣分 {}", bighealth_rules::labels::number(*points)),
                Entry::Veto {} => "一票否决".into(),
            };
            json!({"id": e.id, "what": what, "reason": e.reason, "at": e.created_at, "withdrawn_at": e.withdrawn_at,
                "withdrawn_reason": e.withdrawn_reason, "files": e.files})
        })
        .collect();
    let selves: Vec<Value> = s
        .store
        .self_assessments(actor, plan, year)
        .await?
        .into_iter()
        .filter(|x| x.unit_id == unit)
        .rev()
        .map(|x| {
            // Each item by its name, as the scheme calls it.
            let scores: Vec<Value> = x
                .scores
                .iter()
                .map(|(k, v)| json!({"name": a.scheme.item(k).map_or(k.as_str(), |i| i.name.as_str()), "points": v}))
                .collect();
            let mut shown = json!(x);
            shown["scores"] = json!(scores);
            shown
        })
        .collect();
    let manual: Vec<Value> = a
        .scheme
        .items
        .iter()
        .filter(|i| matches!(i.rule, Rule::Manual {}))
        .map(|i| json!({"key": i.key, "name": i.name, "points": i.points}))
        .collect();
    let scheme_items: Vec<Value> = a
        .scheme
        .items
        .iter()
        .map(|i| {
            let typed = typed.and_then(|t| t.get(&format!("score_{}", i.key))).cloned();
            json!({"key": i.key, "name": i.name, "points": i.points, "typed": typed})
        })
        .collect();
    let levels: Vec<Value> = BonusLevel::ALL
        .iter()
        .map(|l| json!({"key": l.as_str(), "label": l.label(), "points": a.scheme.bonus_levels.points(*l)}))
        .collect();
    let name = s.store.plan(plan).await?.name().to_string();
    let open = a.published.is_none();
    // Every field the two forms show, as typed or empty (the templates are strict).
    let typed: Option<BTreeMap<String, String>> = typed.map(|t| {
        let mut all = t.clone();
        for k in ["kind", "item", "level", "points", "reason", "note"] {
            all.entry(k.to_string()).or_default();
        }
        all
    });
    render(
        "assessment/unit.html",
        json!({"frame": viewer.frame("assessment"), "plan": plan, "name": name, "year": year, "u": u,
            "grade_class": grade_class(u.place.grade), "grade_label": u.place.grade.label(), "items": items, "adjustments": adjustments, "entries": entries,
            "selves": selves, "manual": manual, "scheme_items": scheme_items, "levels": levels,
            "published": !open, "may_assess": open && viewer.may(Action::Assess),
            "may_self": open && viewer.may(Action::Report) && actor.units.contains(&unit),
            "typed": typed, "note": note, "errors": errors.0}),
    )
    .map(IntoResponse::into_response)
}

/// The office enters points, a bonus, a deduction or a veto, with evidence.
async fn add_entry(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, year, unit)): Path<(String, String, String)>,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&(plan, year))?;
    let unit = positive_id(&unit, "unit")?;
    viewer.require(&s, Action::Assess, &format!("plan:{plan}")).await?;
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    let f = &upload.fields;
    let text = |k: &str| f.get(k).cloned().unwrap_or_default();
    let form = Fields(f.clone().into_iter().collect());
    let evidence = evidence_of(&upload, "佐证材料", &mut errors);
    let points = errors.number(&form, "points").flatten();
    let entry = match text("kind").as_str() {
        "points" => points.map(|points| Entry::Points { item: text("item"), points }),
        "bonus" => BonusLevel::parse(&text("level")).map(|level| Entry::Bonus { level }),
        "deduction" => points.map(|points| Entry::Deduction { points }),
        "veto" => Some(Entry::Veto {}),
        _ => None,
    };
    let entry = match entry {
        Some(e) => Some(e),
        None if errors.is_empty() => {
            let field = if text("kind") == "bonus" {
                "level"
            } else if text("kind").is_empty() {
                "kind"
            } else {
                "points"
            };
            errors.add(&format!("entry.{field}"), Reason::Required { field: field.into() });
            None
        }
        None => None,
    };
    if let Some(entry) = entry.filter(|_| errors.is_empty()) {
        let now = s.clock.now();
        let new = NewEntry { unit_id: unit, entry, reason: text("reason") };
        match s.store.add_assessment_entry(&viewer.0.actor, plan, year, &new, now).await {
            Ok(e) => {
                if let Some((name, bytes)) = &evidence {
                    s.store.attach_assessment_file(&viewer.0.actor, FileOwner::Entry, e.id, name, bytes, now).await?;
                }
                return Ok(hx_redirect(&format!("/assessment/{plan}/{year}/units/{unit}?note=entered")));
            }
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    let fields: BTreeMap<String, String> = f.clone().into_iter().collect();
    unit_view(&s, &viewer, plan, year, unit, None, Some(&fields), &errors).await
}

/// The office withdraws an entry, with its reason.
async fn withdraw_entry(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, year, unit, id)): Path<(String, String, String, String)>,
    form: Fields,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&(plan, year))?;
    let (unit, id) = (positive_id(&unit, "unit")?, positive_id(&id, "id")?);
    viewer.require(&s, Action::Assess, &format!("assessment_entry:{id}")).await?;
    match s.store.withdraw_assessment_entry(&viewer.0.actor, id, form.text("reason"), s.clock.now()).await {
        Ok(()) => Ok(hx_redirect(&format!("/assessment/{plan}/{year}/units/{unit}?note=withdrawn"))),
        Err(e) => {
            let mut errors = FieldErrors::default();
            for (k, v) in FieldErrors::from_store(e)?.0 {
                errors.0.insert(format!("withdraw.{id}.{k}"), v);
            }
            unit_view(&s, &viewer, plan, year, unit, None, None, &errors).await
        }
    }
}

/// A unit's reporter submits its self-assessment, with evidence.
async fn self_assess(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, year, unit)): Path<(String, String, String)>,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&(plan, year))?;
    let unit = positive_id(&unit, "unit")?;
    viewer.require(&s, Action::Report, &format!("plan:{plan}")).await?;
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    let form = Fields(upload.fields.clone().into_iter().collect());
    let evidence = evidence_of(&upload, "自评佐证", &mut errors);
    let mut scores = BTreeMap::new();
    for (k, _) in upload.fields.iter().filter(|(k, _)| k.starts_with("score_")) {
        if let Some(Some(v)) = errors.number(&form, k) {
            scores.insert(k.trim_start_matches("score_").to_string(), v);
        }
    }
    let fields: BTreeMap<String, String> = upload.fields.clone().into_iter().collect();
    if errors.is_empty() {
        let now = s.clock.now();
        let new = NewSelfAssessment { scores, note: form.text("note").to_string() };
        match s.store.submit_self_assessment(&viewer.0.actor, plan, year, unit, &new, now).await {
            Ok(x) => {
                if let Some((name, bytes)) = &evidence {
                    let owner = FileOwner::SelfAssessment;
                    s.store.attach_assessment_file(&viewer.0.actor, owner, x.id, name, bytes, now).await?;
                }
                return Ok(hx_redirect(&format!("/assessment/{plan}/{year}/units/{unit}?note=self")));
            }
            Err(e) => {
                for (k, v) in FieldErrors::from_store(e)?.0 {
                    let k = k.replace("scores.", "score_");
                    errors.0.insert(k, v);
                }
            }
        }
    }
    unit_view(&s, &viewer, plan, year, unit, None, Some(&fields), &errors).await
}

/// The office reviews a self-assessment.
async fn review_self(
    State(s): State<AppState>,
    viewer: Viewer,
    Path((plan, year, unit, id)): Path<(String, String, String, String)>,
    form: Fields,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&(plan, year))?;
    let (unit, id) = (positive_id(&unit, "unit")?, positive_id(&id, "id")?);
    viewer.require(&s, Action::Assess, &format!("self_assessment:{id}")).await?;
    match s.store.review_self_assessment(&viewer.0.actor, id, form.text("review_note"), s.clock.now()).await {
        Ok(()) => Ok(hx_redirect(&format!("/assessment/{plan}/{year}/units/{unit}?note=reviewed"))),
        Err(e) => unit_view(&s, &viewer, plan, year, unit, None, None, &FieldErrors::from_store(e)?).await,
    }
}

/// `/assessment/{plan}/{year}/scheme`: the scheme to edit or import, its versions.
async fn scheme_page(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(path): Path<(String, String)>,
    Query(q): Query<NoteQuery>,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&path)?;
    scheme_view(&s, &viewer, plan, year, opt_text(&q.note), None, &FieldErrors::default()).await
}

async fn scheme_view(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    year: i64,
    note: Option<String>,
    typed: Option<&Fields>,
    errors: &FieldErrors,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, &format!("plan:{plan}")).await?;
    let current = s.store.scoring_scheme(&viewer.0.actor, plan, year).await?;
    let versions = s.store.scoring_scheme_versions(&viewer.0.actor, plan, year).await?;
    let sc = &current.scheme;
    let shown = |field: &str, v: String| typed.map(|t| t.text(field).to_string()).unwrap_or(v);
    let num = bighealth_rules::labels::number;
    let mut rows: Vec<Value> = sc
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let p = i.rule.params();
            json!({"n": n, "key": shown(&format!("key_{n}"), i.key.clone()), "name": shown(&format!("name_{n}"), i.name.clone()),
                "points": shown(&format!("points_{n}"), num(i.points)), "rule": shown(&format!("rule_{n}"), i.rule.label().to_string()),
                "p1": shown(&format!("p1_{n}"), p[0].map(|x| num(x.1)).unwrap_or_default()),
                "p2": shown(&format!("p2_{n}"), p[1].map(|x| num(x.1)).unwrap_or_default())})
        })
        .collect();
    let n = rows.len();
    rows.push(json!({"n": n, "key": shown(&format!("key_{n}"), String::new()), "name": shown(&format!("name_{n}"), String::new()),
        "points": shown(&format!("points_{n}"), String::new()), "rule": shown(&format!("rule_{n}"), String::new()),
        "p1": shown(&format!("p1_{n}"), String::new()), "p2": shown(&format!("p2_{n}"), String::new())}));
    let settings = json!({
        "bonus_cap": shown("bonus_cap", num(sc.bonus_cap)), "deduction_cap": shown("deduction_cap", num(sc.deduction_cap)),
        "national": shown("national", num(sc.bonus_levels.national)), "provincial": shown("provincial", num(sc.bonus_levels.provincial)),
        "municipal": shown("municipal", num(sc.bonus_levels.municipal)),
        "excellent": shown("excellent", num(sc.bands.excellent)), "good": shown("good", num(sc.bands.good)),
        "pass": shown("pass", num(sc.bands.pass)),
        "quota": shown("quota", sc.excellent_quota_pct.map(num).unwrap_or_default()),
        "rectify_bottom": shown("rectify_bottom", sc.rectify_bottom.to_string()),
        "note": shown("note", String::new()),
    });
    let rules: Vec<Value> = Rule::choices()
        .iter()
        .map(|r| {
            let p: Vec<String> = r.params().iter().flatten().map(|(n, v)| format!("{n}（默认 {}）", num(*v))).collect();
            json!({"label": r.label(), "params": p.join("；")})
        })
        .collect();
    let name = s.store.plan(plan).await?.name().to_string();
    render(
        "assessment/scheme.html",
        json!({"frame": viewer.frame("assessment"), "plan": plan, "name": name, "year": year, "current": current,
            "rows": rows, "settings": settings, "rules": rules, "versions": versions, "full": sc.full(),
            "may_edit": viewer.may(Action::Assess), "note": note, "errors": errors.0}),
    )
    .map(IntoResponse::into_response)
}

/// The office saves the scheme typed on the page as its next version.
async fn save_scheme(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(path): Path<(String, String)>,
    form: Fields,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&path)?;
    viewer.require(&s, Action::Assess, &format!("plan:{plan}")).await?;
    let mut errors = FieldErrors::default();
    let mut items = Vec::new();
    for n in 0..50 {
        let key = form.text(&format!("key_{n}")).to_string();
        let name = form.text(&format!("name_{n}")).to_string();
        let (points_f, rule_f) = (format!("points_{n}"), format!("rule_{n}"));
        if key.is_empty() && name.is_empty() && form.text(&points_f).is_empty() {
            continue;
        }
        let points = errors.number(&form, &points_f).flatten();
        let p1 = errors.number(&form, &format!("p1_{n}")).flatten();
        let p2 = errors.number(&form, &format!("p2_{n}")).flatten();
        let rule = Rule::of_kind(form.text(&rule_f));
        if rule.is_none() {
            errors.add(&rule_f, Reason::PickFromList { field: "rule".into() });
        }
        if points.is_none() && !errors.0.contains_key(&points_f) {
            errors.add(&points_f, Reason::Required { field: "points".into() });
        }
        if let (Some(points), Some(rule)) = (points, rule) {
            items.push((n, Item { key, name, points, rule: rule.with_params(p1, p2) }));
        }
    }
    let mut value = |f: &str| errors.number(&form, f).flatten();
    let base = s.store.scoring_scheme(&viewer.0.actor, plan, year).await?.scheme;
    let scheme = Scheme {
        items: items.iter().map(|(_, i)| i.clone()).collect(),
        bonus_cap: value("bonus_cap").unwrap_or(base.bonus_cap),
        deduction_cap: value("deduction_cap").unwrap_or(base.deduction_cap),
        bonus_levels: bighealth_rules::scoring::BonusLevels {
            national: value("national").unwrap_or(base.bonus_levels.national),
            provincial: value("provincial").unwrap_or(base.bonus_levels.provincial),
            municipal: value("municipal").unwrap_or(base.bonus_levels.municipal),
        },
        bands: bighealth_rules::scoring::Bands {
            excellent: value("excellent").unwrap_or(base.bands.excellent),
            good: value("good").unwrap_or(base.bands.good),
            pass: value("pass").unwrap_or(base.bands.pass),
        },
        excellent_quota_pct: value("quota"),
        rectify_bottom: value("rectify_bottom").map_or(base.rectify_bottom, |v| v as i64),
    };
    if errors.is_empty() {
        let note = form.opt("note");
        match s.store.save_scoring_scheme(&viewer.0.actor, plan, year, &scheme, note.as_deref(), s.clock.now()).await {
            Ok(_) => return Ok(hx_redirect(&format!("/assessment/{plan}/{year}/scheme?note=saved"))),
            Err(bighealth_store::StoreError::Refused(r))
                if r.field.as_deref().is_some_and(|f| f.starts_with("items[")) =>
            {
                // items[2].points → the row's field as typed (points_5).
                let f = r.field.clone().unwrap_or_default();
                let k: usize = f["items[".len()..].split(']').next().and_then(|x| x.parse().ok()).unwrap_or(0);
                let which = f.rsplit('.').next().unwrap_or("key");
                let which = if which.ends_with("deduct") || which.ends_with("pct") { "p1" } else { which };
                let row = items.get(k).map_or(0, |(n, _)| *n);
                errors.add(&format!("{which}_{row}"), r.reason);
            }
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    scheme_view(&s, &viewer, plan, year, None, Some(&form), &errors).await
}

/// The office imports the scheme's items from its workbook.
async fn import_scheme(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(path): Path<(String, String)>,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    let (plan, year) = plan_year(&path)?;
    viewer.require(&s, Action::Assess, &format!("plan:{plan}")).await?;
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    if errors.is_empty() && upload.bytes.is_empty() {
        errors.add("file", Reason::FileMissing {});
    }
    if errors.is_empty() {
        match assessment_routes::import(&s, &viewer.0, plan, year, &upload.bytes).await {
            Ok(_) => return Ok(hx_redirect(&format!("/assessment/{plan}/{year}/scheme?note=imported"))),
            Err(e) => errors.0.insert("file".into(), e.message()),
        };
    }
    scheme_view(&s, &viewer, plan, year, None, None, &errors).await
}

/// The 年度考核 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/assessment", get(index))
        .route("/assessment/{plan}/{year}", get(year_page))
        .route("/assessment/{plan}/{year}/publish", post(publish))
        .route("/assessment/{plan}/{year}/withdraw", post(withdraw))
        .route("/assessment/{plan}/{year}/scheme", get(scheme_page).post(save_scheme))
        .route("/assessment/{plan}/{year}/scheme/import", post(import_scheme))
        .route("/assessment/{plan}/{year}/units/{unit}", get(unit_page))
        .route("/assessment/{plan}/{year}/units/{unit}/entries", post(add_entry))
        .route("/assessment/{plan}/{year}/units/{unit}/entries/{id}/withdraw", post(withdraw_entry))
        .route("/assessment/{plan}/{year}/units/{unit}/self", post(self_assess))
        .route("/assessment/{plan}/{year}/units/{unit}/self/{id}/review", post(review_self))
}
