//! A plan's supervision settings (代字, deadlines, the lag rules and their
//! thresholds), a dry run with settings as typed, a run with the saved
//! ones; and the holiday calendar the deadlines count over.

use super::{day_zh, plan_choices, refusal_under, whole};
use crate::AppState;
use crate::pages::form::{FieldErrors, Fields, read_multipart};
use crate::pages::plan_of;
use crate::pages::{PageResult, Viewer, hx_redirect, opt_id, render};
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bighealth_documents::supervision as docs;
use bighealth_rules::calendar::date_of;
use bighealth_rules::refusal::Reason;
use bighealth_rules::supervision::{RuleKind, RuleSetting, Settings};
use bighealth_store::Action;
use bighealth_store::supervision::rules::{Outcome, RunReport, RunRules};
use bighealth_store::supervision::templates::TEMPLATE_KINDS;
use serde::Deserialize;
use serde_json::{Value, json};

/// The page's address: `?plan=3&year=2027&note=saved`.
#[derive(Debug, Deserialize)]
pub(super) struct RulesQuery {
    plan: Option<String>,
    year: Option<String>,
    note: Option<String>,
}

/// The number fields of the settings, each with its label.
const DAYS: [(&str, &str); 4] = [
    ("sign_days", "签收时限（天数）"),
    ("plan_days", "整改方案时限（天数）"),
    ("fix_days", "办结时限（天数）"),
    ("remind_days", "到期前提醒（天数）"),
];

/// The form field of a rule's setting: `rule.task_stalled.threshold`.
fn rule_field(rule: RuleKind, what: &str) -> String {
    format!("rule.{}.{what}", rule.as_str())
}

/// The values the settings form shows: the settings, or what was typed.
fn values(settings: &Settings, typed: Option<&Fields>) -> Value {
    let text = |field: &str, saved: String| match typed {
        Some(t) => t.text(field).to_string(),
        None => saved,
    };
    let rules: Vec<Value> = settings
        .all_rules()
        .iter()
        .map(|r| {
            let (before, after) = r.rule.threshold_label().split_once("{n}").unwrap_or((r.rule.threshold_label(), ""));
            json!({
                "key": r.rule.as_str(), "label": r.rule.label(), "before": before, "after": after,
                "threshold": text(&rule_field(r.rule, "threshold"), bighealth_rules::labels::number(r.threshold)),
                "enabled": match typed { Some(t) => t.text(&rule_field(r.rule, "enabled")) == "1", None => r.enabled },
                "threshold_field": rule_field(r.rule, "threshold"), "enabled_field": rule_field(r.rule, "enabled"),
            })
        })
        .collect();
    let days: Vec<Value> = DAYS
        .iter()
        .map(|(field, label)| {
            let saved = match *field {
                "sign_days" => settings.sign_days,
                "plan_days" => settings.plan_days,
                "fix_days" => settings.fix_days,
                _ => settings.remind_days,
            };
            json!({"field": field, "label": label, "value": text(field, saved.to_string())})
        })
        .collect();
    json!({
        "prefix": text("prefix", settings.prefix.clone()),
        "workdays": match typed { Some(t) => t.text("workdays") == "1", None => settings.workdays },
        "leader_id": text("leader_id", settings.leader_id.map(|l| l.to_string()).unwrap_or_default()),
        "period": typed.map(|t| t.text("period").to_string()).unwrap_or_default(),
        "days": days, "rules": rules,
    })
}

/// The settings typed on the form over `base`; what is not a number is an
/// error under its field.
fn settings_of(form: &Fields, base: Settings, errors: &mut FieldErrors) -> Settings {
    let mut st = base;
    st.prefix = form.text("prefix").to_string();
    st.workdays = form.text("workdays") == "1";
    for (field, _) in DAYS {
        let value = whole(errors, form, field);
        if value.is_none() && !errors.0.contains_key(field) {
            errors.add(field, Reason::Empty {});
        }
        let slot = match field {
            "sign_days" => &mut st.sign_days,
            "plan_days" => &mut st.plan_days,
            "fix_days" => &mut st.fix_days,
            _ => &mut st.remind_days,
        };
        *slot = value.unwrap_or(*slot);
    }
    st.leader_id = whole(errors, form, "leader_id");
    st.rules = RuleKind::ALL
        .iter()
        .map(|rule| {
            let field = rule_field(*rule, "threshold");
            let threshold = match errors.number(form, &field) {
                Some(Some(v)) => v,
                Some(None) => {
                    errors.add(&field, Reason::Empty {});
                    rule.default_threshold()
                }
                None => rule.default_threshold(),
            };
            RuleSetting { rule: *rule, enabled: form.text(&rule_field(*rule, "enabled")) == "1", threshold }
        })
        .collect();
    st
}

/// The form field of a store's refusal: `rules[1].threshold` is the
/// threshold of the second rule, as the form lists them.
fn form_field(store_field: &str) -> String {
    let Some(rest) = store_field.strip_prefix("rules[") else { return store_field.to_string() };
    let (index, what) = rest.split_once("].").unwrap_or((rest, "threshold"));
    match index.parse::<usize>().ok().and_then(|i| RuleKind::ALL.get(i)) {
        Some(rule) => rule_field(*rule, what),
        None => "rules".to_string(),
    }
}

/// A run's findings as the page lists them.
fn report_json(report: &RunReport) -> Value {
    let count = |o: Outcome| report.found.iter().filter(|f| f.outcome == o).count();
    let found: Vec<Value> = report
        .found
        .iter()
        .map(|f| {
            let (key, label) = match f.outcome {
                Outcome::Open => ("open", "新开"),
                Outcome::Raise => ("raise", "提级"),
                Outcome::Seen => ("seen", "已有"),
            };
            json!({
                "rule": f.cause.rule.label(), "unit": f.cause.unit, "title": f.cause.title,
                "evidence": f.cause.evidence, "outcome": key, "outcome_label": label,
                "level_label": f.level.label(), "item_id": f.item_id, "number": f.number,
            })
        })
        .collect();
    let off: Vec<Value> = report.off.iter().map(|o| json!({"rule": o.rule.label(), "why": o.why})).collect();
    json!({
        "period": report.period.label, "dry_run": report.dry_run, "found": found, "off": off,
        "opened": count(Outcome::Open), "raised": count(Outcome::Raise), "seen": count(Outcome::Seen),
    })
}

/// What the page shows besides its form's values.
struct Shown<'a> {
    plan: Option<i64>,
    year: Option<i64>,
    typed: Option<&'a Fields>,
    errors: &'a FieldErrors,
    report: Option<&'a RunReport>,
    holidays_text: &'a str,
    /// A template's text as typed (its kind, its text), when refused.
    template: Option<(&'a str, &'a str)>,
    note: &'a str,
}

/// The rules page's context.
async fn context(s: &AppState, viewer: &Viewer, shown: Shown<'_>) -> PageResult<Value> {
    let now = s.clock.now();
    let year = shown.year.unwrap_or_else(|| i64::from(date_of(now).year()));
    let (name, settings) = match shown.plan {
        Some(p) => {
            let plan = s.store.plan(p).await?;
            let settings = s.store.supervision_settings(p).await?;
            (Some(plan.name().to_string()), Some(values(&settings, shown.typed)))
        }
        None => (None, None),
    };
    let mut templates = Vec::new();
    if let Some(p) = shown.plan {
        for kind in TEMPLATE_KINDS {
            let own = s.store.document_template(p, kind).await?;
            let text = match shown.template {
                Some((k, typed)) if k == kind => typed.to_string(),
                _ => own.clone().unwrap_or_else(|| docs::shipped(kind).to_string()),
            };
            let label = if kind == "supervision_bulletin" { "督办情况通报" } else { "督办通知单" };
            templates.push(json!({"kind": kind, "label": label, "text": text, "own": own.is_some()}));
        }
    }
    let calendar = s.store.holiday_calendar(year).await?;
    let days: Vec<Value> = calendar
        .days
        .iter()
        .map(|d| json!({"date": d.date, "date_zh": day_zh(&d.date), "kind": if d.kind == "off" { "休" } else { "班" }, "name": d.name}))
        .collect();
    Ok(json!({
        "frame": viewer.frame("supervision"),
        "plan": shown.plan, "plan_name": name, "plans": plan_choices(s).await?, "v": settings,
        "report": shown.report.map(report_json),
        "year": year, "calendar": {"imported": calendar.imported, "days": days},
        "holidays_text": shown.holidays_text, "templates": templates,
        "errors": shown.errors.0, "note": shown.note,
    }))
}

/// Renders the page; with errors, as a 422.
async fn page(s: &AppState, viewer: &Viewer, shown: Shown<'_>) -> PageResult<Response> {
    let status = if shown.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = render("supervision/rules.html", context(s, viewer, shown).await?)?;
    Ok((status, html).into_response())
}

/// The year in the address (`?year=2027`), if any.
fn year_of(raw: &Option<String>) -> PageResult<Option<i64>> {
    opt_id("year", raw)
}

/// 规则设置: a plan's settings and rules, the holiday calendar of a year.
pub(super) async fn rules(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RulesQuery>,
) -> PageResult<Html<String>> {
    viewer.require(&s, Action::Supervise, "supervision-rules").await?;
    let shown = Shown {
        plan: opt_id("plan", &q.plan)?,
        year: year_of(&q.year)?,
        typed: None,
        errors: &FieldErrors::default(),
        report: None,
        holidays_text: "",
        template: None,
        note: q.note.as_deref().unwrap_or(""),
    };
    render("supervision/rules.html", context(&s, &viewer, shown).await?)
}

/// 保存: the settings as typed.
pub(super) async fn save(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RulesQuery>,
    form: Fields,
) -> PageResult<Response> {
    viewer.require(&s, Action::Supervise, "supervision-rules").await?;
    let plan = plan_of(&q.plan)?;
    let mut errors = FieldErrors::default();
    let settings = settings_of(&form, s.store.supervision_settings(plan).await?, &mut errors);
    if errors.is_empty() {
        match s.store.set_supervision_settings(&viewer.0.actor, plan, &settings, s.clock.now()).await {
            Ok(_) => return Ok(hx_redirect(&format!("/supervision/rules?plan={plan}&note=saved"))),
            Err(e) => errors = refusal_under(e, "prefix", form_field)?,
        }
    }
    let shown = Shown {
        plan: Some(plan),
        year: year_of(&q.year)?,
        typed: Some(&form),
        errors: &errors,
        report: None,
        holidays_text: "",
        template: None,
        note: "",
    };
    page(&s, &viewer, shown).await
}

/// 试运行 (`dry_run`) with the settings as typed, or 运行 with the saved ones.
async fn run_rules(s: AppState, viewer: Viewer, q: RulesQuery, form: Fields, dry_run: bool) -> PageResult<Response> {
    viewer.require(&s, Action::Supervise, "supervision-rules").await?;
    let plan = plan_of(&q.plan)?;
    let mut errors = FieldErrors::default();
    let settings =
        if dry_run { Some(settings_of(&form, s.store.supervision_settings(plan).await?, &mut errors)) } else { None };
    let mut report = None;
    if errors.is_empty() {
        let run = RunRules { period: form.opt("period"), dry_run, settings };
        match s.store.run_supervision_rules(&viewer.0.actor, plan, &run, s.clock.now()).await {
            Ok(r) => report = Some(r),
            Err(e) => errors = refusal_under(e, "period", form_field)?,
        }
    }
    let note = if dry_run { "" } else { "run" };
    let shown = Shown {
        plan: Some(plan),
        year: year_of(&q.year)?,
        typed: Some(&form),
        errors: &errors,
        report: report.as_ref(),
        holidays_text: "",
        template: None,
        note,
    };
    page(&s, &viewer, shown).await
}

/// 试运行: what the settings as typed would open or raise; nothing is written.
pub(super) async fn dry_run(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RulesQuery>,
    form: Fields,
) -> PageResult<Response> {
    run_rules(s, viewer, q, form, true).await
}

/// 运行: the saved rules open and raise items.
pub(super) async fn run(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RulesQuery>,
    form: Fields,
) -> PageResult<Response> {
    run_rules(s, viewer, q, form, false).await
}

/// 导入节假日: a year's calendar, typed (`text`) or as a .txt file (`file`),
/// of lines `2027-01-01<TAB>休<TAB>元旦`.
pub(super) async fn holidays(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RulesQuery>,
    multipart: Multipart,
) -> PageResult<Response> {
    viewer.require(&s, Action::Supervise, "holidays").await?;
    let plan = opt_id("plan", &q.plan)?;
    let year = year_of(&q.year)?.unwrap_or_else(|| i64::from(date_of(s.clock.now()).year()));
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    let typed = upload.fields.get("text").cloned().unwrap_or_default();
    let text = if upload.bytes.is_empty() {
        typed.clone()
    } else {
        match bighealth_reader::decode::decode(&upload.bytes) {
            Ok((text, _)) => text,
            Err(e) => {
                errors.add("file", Reason::of_read_error(&upload.file_name, &e));
                String::new()
            }
        }
    };
    if errors.is_empty() && text.trim().is_empty() {
        errors.add("file", Reason::Empty {});
    }
    if errors.is_empty() {
        match s.store.set_holiday_calendar(&viewer.0.actor, year, &text, s.clock.now()).await {
            Ok(_) => {
                let plan = plan.map(|p| format!("plan={p}&")).unwrap_or_default();
                return Ok(hx_redirect(&format!("/supervision/rules?{plan}year={year}&note=holidays#holidays")));
            }
            Err(e) => errors = refusal_under(e, "file", |f| if f == "year" { "year".into() } else { "file".into() })?,
        }
    }
    let shown = Shown {
        plan,
        year: Some(year),
        typed: None,
        errors: &errors,
        report: None,
        holidays_text: &typed,
        template: None,
        note: "",
    };
    page(&s, &viewer, shown).await
}

/// 公文模板: the office saves its wording of a document (checked: it must
/// fill), or goes back to the shipped one (`reset`).
pub(super) async fn template(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<RulesQuery>,
    form: Fields,
) -> PageResult<Response> {
    viewer.require(&s, Action::Supervise, "supervision-templates").await?;
    let plan = plan_of(&q.plan)?;
    let kind = form.opt("kind").unwrap_or_default();
    let Some(kind) = TEMPLATE_KINDS.into_iter().find(|k| *k == kind) else {
        return Err(Reason::NotOneOf {
            value: kind.chars().take(40).collect(),
            allowed: "督办通知单、督办情况通报".into(),
        }
        .into());
    };
    let text = form.opt("text").unwrap_or_default();
    let reset = form.opt("reset").is_some();
    let mut errors = FieldErrors::default();
    let field = format!("template.{kind}");
    if !reset && let Err(detail) = docs::check_template(kind, &text) {
        errors.add(&field, Reason::TemplateBroken { detail });
    }
    if errors.is_empty() {
        let given = (!reset).then_some(text.as_str());
        match s.store.set_document_template(&viewer.0.actor, plan, kind, given, s.clock.now()).await {
            Ok(()) => return Ok(hx_redirect(&format!("/supervision/rules?plan={plan}&note=template#templates"))),
            Err(e) => errors = refusal_under(e, &field, |_| field.clone())?,
        }
    }
    let shown = Shown {
        plan: Some(plan),
        year: year_of(&q.year)?,
        typed: None,
        errors: &errors,
        report: None,
        holidays_text: "",
        template: Some((kind, &text)),
        note: "",
    };
    page(&s, &viewer, shown).await
}
