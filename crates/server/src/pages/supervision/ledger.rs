//! The ledger (督办台账) with its filters, counts and pager; a unit's inbox
//! (我的督办); a leader's alerts (督办预警).

use super::{items_json, plan_choices, require_reader};
use crate::AppState;
use crate::pages::form::FieldErrors;
use crate::pages::{PageError, PageResult, Viewer, offset_of, opt_id, opt_text, pager, render};
use axum::extract::{Query, State};
use axum::response::Html;
use bighealth_rules::calendar::date_of;
use bighealth_rules::refusal::Reason;
use bighealth_rules::supervision::workflow::State as ItemState;
use bighealth_rules::supervision::{Level, RuleKind, Source};
use bighealth_store::supervision::items::LedgerFilter;
use bighealth_store::units::UnitQuery;
use bighealth_store::{Action, Role};
use serde::Deserialize;
use serde_json::{Value, json};

/// Rows per page of the ledger.
const PER_PAGE: i64 = 50;

/// The ledger's filters, as the address carries them.
#[derive(Debug, Deserialize)]
pub(super) struct LedgerQuery {
    plan: Option<String>,
    state: Option<String>,
    level: Option<String>,
    unit: Option<String>,
    rule: Option<String>,
    source: Option<String>,
    due_from: Option<String>,
    due_to: Option<String>,
    overdue: Option<String>,
    open: Option<String>,
    q: Option<String>,
    offset: Option<String>,
    page: Option<String>,
}

/// One of a list of codes in the address (`?state=signed`), or a refusal
/// naming the allowed ones by their Chinese names.
fn code<T: Copy>(
    field: &str,
    raw: &Option<String>,
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> PageResult<Option<T>> {
    let Some(raw) = opt_text(raw) else { return Ok(None) };
    match all.iter().copied().find(|c| as_str(*c) == raw) {
        Some(c) => Ok(Some(c)),
        None => Err(PageError::bad_parameter(
            field,
            Reason::NotOneOf {
                value: raw.chars().take(20).collect(),
                allowed: all.iter().map(|c| label(*c)).collect::<Vec<_>>().join("、"),
            },
        )),
    }
}

/// A yes or no in the address (`1`/`0`); empty means either.
fn yes_no(field: &str, raw: &Option<String>) -> PageResult<Option<bool>> {
    match opt_text(raw).as_deref() {
        None => Ok(None),
        Some("1" | "true") => Ok(Some(true)),
        Some("0" | "false") => Ok(Some(false)),
        Some(other) => Err(PageError::bad_parameter(
            field,
            Reason::NotOneOf { value: other.chars().take(20).collect(), allowed: "1（是）、0（否）".into() },
        )),
    }
}

/// A day in the address; a wrong one is shown under its filter and dropped.
fn date_param(field: &str, raw: &Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let raw = opt_text(raw)?;
    match raw.parse::<jiff::civil::Date>() {
        Ok(d) => Some(d.to_string()),
        Err(_) => {
            errors.add(field, Reason::NotADate { value: raw.chars().take(20).collect() });
            None
        }
    }
}

/// Codes and their Chinese names, for a select.
fn options<T: Copy>(all: &[T], as_str: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Value> {
    all.iter().map(|c| json!({"key": as_str(*c), "label": label(*c)})).collect()
}

/// 督办台账: the items the viewer may read, filtered, most urgent first,
/// with the counts of all that match.
pub(super) async fn ledger(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(f): Query<LedgerQuery>,
) -> PageResult<Html<String>> {
    require_reader(&s, &viewer, "supervision").await?;
    let actor = &viewer.0.actor;
    let now = s.clock.now();
    let mut errors = FieldErrors::default();
    let plan = opt_id("plan", &f.plan)?;
    let unit = opt_id("unit", &f.unit)?;
    let state = code("state", &f.state, &ItemState::ALL, ItemState::as_str, ItemState::label)?;
    let level = code("level", &f.level, &Level::ALL, Level::as_str, Level::label)?;
    let rule = code("rule", &f.rule, &RuleKind::ALL, RuleKind::as_str, RuleKind::label)?;
    let source = code("source", &f.source, &Source::ALL, Source::as_str, Source::label)?;
    let overdue = yes_no("overdue", &f.overdue)?;
    let open = yes_no("open", &f.open)?;
    let due_from = date_param("due_from", &f.due_from, &mut errors);
    let due_to = date_param("due_to", &f.due_to, &mut errors);
    let q = opt_text(&f.q);
    let (page, offset) = match opt_id("offset", &f.offset)? {
        Some(o) => (o.max(0) / PER_PAGE + 1, o.max(0)),
        None => offset_of(&f.page, PER_PAGE)?,
    };
    let filter = LedgerFilter {
        plan_id: plan,
        state,
        level,
        unit,
        rule,
        source,
        due_from: due_from.clone(),
        due_to: due_to.clone(),
        overdue,
        open,
        q: q.clone(),
        limit: Some(PER_PAGE),
        offset: Some(offset),
    };
    let ledger = s.store.supervision_ledger(actor, &filter, now).await?;
    let items = items_json(&s, &ledger.page.items, &viewer).await;
    let by_state: Vec<Value> = ItemState::ALL
        .iter()
        .map(|st| {
            let n = ledger.by_state.get(st.as_str()).copied().unwrap_or(0);
            json!({"key": st.as_str(), "label": st.label(), "count": n})
        })
        .collect();
    let by_level: Vec<Value> = Level::ALL
        .iter()
        .map(|l| json!({"key": l.as_str(), "label": l.label(), "count": ledger.by_level.get(l.as_str()).copied().unwrap_or(0)}))
        .collect();
    let units = if actor.may(Action::Supervise) || actor.has(Role::Leader) {
        match plan {
            Some(p) => s.store.plan_units(p).await?,
            None => s.store.units(&UnitQuery::default()).await?,
        }
    } else {
        let mut mine = Vec::new();
        for u in &actor.units {
            mine.push(s.store.unit(*u).await?);
        }
        mine
    };
    let units: Vec<Value> = units.iter().map(|u| json!({"id": u.id, "name": u.name})).collect();
    let flag = |b: Option<bool>| b.map(|b| if b { "1" } else { "0" }.to_string());
    let query = [
        ("plan", plan.map(|p| p.to_string())),
        ("state", state.map(|x| x.as_str().to_string())),
        ("level", level.map(|x| x.as_str().to_string())),
        ("unit", unit.map(|u| u.to_string())),
        ("rule", rule.map(|x| x.as_str().to_string())),
        ("source", source.map(|x| x.as_str().to_string())),
        ("due_from", due_from.clone()),
        ("due_to", due_to.clone()),
        ("overdue", flag(overdue)),
        ("open", flag(open)),
        ("q", q.clone()),
    ];
    render(
        "supervision/ledger.html",
        json!({
            "frame": viewer.frame(super::active(&viewer)),
            "items": items,
            "by_state": by_state, "by_level": by_level, "overdue_count": ledger.overdue, "total": ledger.page.total,
            "pager": pager("/supervision", &query, page, PER_PAGE, ledger.page.total),
            "plans": plan_choices(&s).await?, "units": units,
            "states": options(&ItemState::ALL, ItemState::as_str, ItemState::label),
            "levels": options(&Level::ALL, Level::as_str, Level::label),
            "rules": options(&RuleKind::ALL, RuleKind::as_str, RuleKind::label),
            "sources": options(&Source::ALL, Source::as_str, Source::label),
            "f": {
                "plan": plan, "state": state.map(ItemState::as_str), "level": level.map(Level::as_str),
                "unit": unit, "rule": rule.map(RuleKind::as_str), "source": source.map(Source::as_str),
                "due_from": due_from.unwrap_or_default(), "due_to": due_to.unwrap_or_default(),
                "overdue": flag(overdue), "open": flag(open), "q": q.unwrap_or_default(),
            },
            "errors": errors.0,
            "may_supervise": viewer.may(Action::Supervise),
            "today": date_of(now).to_string(),
        }),
    )
}

/// 我的督办: the items a reporter's units lead or help with, open ones
/// first, each with what to do next.
pub(super) async fn inbox(State(s): State<AppState>, viewer: Viewer) -> PageResult<Html<String>> {
    viewer.require(&s, Action::Report, "supervision-inbox").await?;
    let items = s.store.supervision_inbox(&viewer.0.actor, s.clock.now()).await?;
    let (finished, open): (Vec<_>, Vec<_>) = items.into_iter().partition(|i| i.state.finished());
    render(
        "supervision/inbox.html",
        json!({
            "frame": viewer.frame("inbox"),
            "open": items_json(&s, &open, &viewer).await,
            "finished": items_json(&s, &finished, &viewer).await,
        }),
    )
}

/// 督办预警: the open items overdue or red, the leader's own first.
pub(super) async fn alerts(State(s): State<AppState>, viewer: Viewer) -> PageResult<Html<String>> {
    let leader = viewer.0.actor.has(Role::Leader);
    if !leader {
        viewer.require(&s, Action::Supervise, "supervision-alerts").await?;
    }
    let items = s.store.supervision_alerts(&viewer.0.actor, s.clock.now()).await?;
    let items = items_json(&s, &items, &viewer).await;
    let mine = items.iter().filter(|i| i["mine"] == json!(true)).count();
    render(
        "supervision/alerts.html",
        json!({"frame": viewer.frame(if leader { "alerts" } else { "supervision" }), "items": items, "mine": mine}),
    )
}
