//! 督查督办 pages: the ledger with its filters and counts ([`ledger`]), a
//! unit's inbox and a leader's alerts; one item with its timeline, the steps
//! the viewer may take and its files, and an item opened by hand
//! ([`item`]); a plan's rules with a dry run and a run, and the holiday
//! calendar deadlines count over ([`rules`]). The store checks every right
//! and every value; the pages show what the viewer's role may do and put
//! each refusal under its field.

mod item;
mod ledger;
mod rules;

use super::form::FieldErrors;
use super::{PageResult, Viewer};
use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use bighealth_rules::refusal::{Kind, Reason};
use bighealth_rules::supervision::date_zh;
use bighealth_rules::supervision::workflow::State as ItemState;
use bighealth_store::supervision::items::{Item, urgency_label};
use bighealth_store::{Action, Role, StoreError};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Lets in who reads items at all (the office, a leader, a reporter);
/// anyone else is refused, audited.
async fn require_reader(s: &AppState, viewer: &Viewer, object: &str) -> PageResult<()> {
    let actor = &viewer.0.actor;
    if actor.may(Action::Supervise) || actor.has(Role::Leader) {
        return Ok(());
    }
    viewer.require(s, Action::Report, object).await
}

/// The menu entry an item's pages light: a reporter's 我的督办, else 督查督办.
fn active(viewer: &Viewer) -> &'static str {
    let actor = &viewer.0.actor;
    if actor.has(Role::Reporter) && !actor.may(Action::Supervise) { "inbox" } else { "supervision" }
}

/// A day stored as `2026-09-30`, written 2026年9月30日 (as stored when it is no date).
fn day_zh(s: &str) -> String {
    s.parse::<jiff::civil::Date>().map(date_zh).unwrap_or_else(|_| s.to_string())
}

/// Whether each plan of `items` counts its deadlines in working days.
async fn workdays_of(s: &AppState, items: &[Item]) -> HashMap<i64, bool> {
    let mut out = HashMap::new();
    for item in items {
        if let std::collections::hash_map::Entry::Vacant(e) = out.entry(item.plan_id) {
            e.insert(s.store.supervision_settings(item.plan_id).await.map(|st| st.workdays).unwrap_or(true));
        }
    }
    out
}

/// What the viewer's unit does next on an item, in a few words.
fn next_of(item: &Item, viewer: &Viewer) -> &'static str {
    let lead = viewer.0.actor.units.contains(&item.lead_unit.id);
    match item.state {
        ItemState::Assigned if lead => "请签收",
        ItemState::Assigned => "待承办单位签收",
        ItemState::Signed if lead => "请提交整改方案",
        ItemState::Handling if lead => "报送进展或申请办结",
        ItemState::Signed | ItemState::Handling => "可报送进展",
        ItemState::Closing => "待大健康办审核",
        ItemState::Closed => "已办结",
        ItemState::Archived => "已销号",
    }
}

/// The deadline an item runs against now (as the store counts its days
/// left): signing, then the rectification plan, then the rectification.
fn running(item: &Item) -> &'static str {
    let next = item.plan_due.as_str().min(item.due.as_str());
    match item.state {
        ItemState::Assigned if item.sign_due.as_str() < next => "签收",
        ItemState::Assigned | ItemState::Signed if item.plan_due <= item.due => "整改方案",
        _ => "办结",
    }
}

/// A file's size in words: 14 字节, 1.2 KB, 3.4 MB.
fn size_zh(bytes: i64) -> String {
    match bytes {
        ..1024 => format!("{} 字节", bytes.max(0)),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// An item as the pages show it: its fields and their Chinese words, its
/// dates written out, the days left (`workdays`: counted in working days).
fn item_json(item: &Item, workdays: bool, viewer: &Viewer) -> Value {
    let word = if workdays { "个工作日" } else { "天" };
    let finished = item.state.finished();
    let which = running(item);
    let (days_text, days_class) = if finished {
        ("—".to_string(), "")
    } else if item.days_left < 0 {
        (format!("{which}逾期 {} {word}", -item.days_left), "overdue-days")
    } else if item.days_left == 0 {
        (format!("{which}今天到期"), "near-days")
    } else {
        (format!("{which}剩 {} {word}", item.days_left), "")
    };
    let mut v = json!(item);
    v["light_label"] = json!(item.light.label());
    v["level_label"] = json!(item.level.label());
    v["state_label"] = json!(item.state.label());
    v["source_label"] = json!(item.source.label());
    v["rule_label"] = json!(item.rule.map(|r| r.label()));
    v["urgency_label"] = json!(urgency_label(&item.urgency));
    v["opened_on_zh"] = json!(day_zh(&item.opened_on));
    v["sign_due_zh"] = json!(day_zh(&item.sign_due));
    v["plan_due_zh"] = json!(day_zh(&item.plan_due));
    v["due_zh"] = json!(day_zh(&item.due));
    v["extension_due_zh"] = json!(item.extension_due.as_deref().map(day_zh));
    v["helper_names"] = json!(item.helpers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>().join("、"));
    v["finished"] = json!(finished);
    v["late"] = json!(!item.overdue.is_empty());
    v["days_text"] = json!(days_text);
    v["days_class"] = json!(days_class);
    v["days_word"] = json!(word);
    v["next"] = json!(next_of(item, viewer));
    v["lead"] = json!(viewer.0.actor.units.contains(&item.lead_unit.id));
    v["mine"] = json!(item.leader_id.is_some() && item.leader_id == viewer.0.actor.user_id);
    v
}

/// The items as the pages show them.
async fn items_json(s: &AppState, items: &[Item], viewer: &Viewer) -> Vec<Value> {
    let workdays = workdays_of(s, items).await;
    items.iter().map(|i| item_json(i, workdays.get(&i.plan_id).copied().unwrap_or(true), viewer)).collect()
}

/// A store's refusal of a value as a message under its field (`rename`
/// names the page's field of a store's one); a conflict (a step the item's
/// state no longer allows) under `fallback`; anything else a page error.
fn refusal_under(e: StoreError, fallback: &str, rename: impl Fn(&str) -> String) -> PageResult<FieldErrors> {
    match e {
        StoreError::Refused(r) if matches!(r.reason.kind(), Kind::Invalid | Kind::Conflict) => {
            let mut errors = FieldErrors::default();
            let field = r.field.as_deref().map(&rename).unwrap_or_else(|| fallback.to_string());
            errors.add(&field, r.reason);
            Ok(errors)
        }
        e => Err(e.into()),
    }
}

/// A whole number typed in a form field (`None` when empty); a fraction or
/// a word is an error under the field.
fn whole(errors: &mut FieldErrors, form: &super::form::Fields, field: &str) -> Option<i64> {
    match errors.number(form, field)? {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => Some(v as i64),
        Some(_) => {
            errors.add(field, Reason::TypedNotANumber { raw: form.text(field).into() });
            None
        }
        None => None,
    }
}

/// The plans, for the choosers: id and name.
async fn plan_choices(s: &AppState) -> PageResult<Vec<Value>> {
    Ok(s.store
        .plans(None, false)
        .await?
        .iter()
        .map(|p| json!({"id": p.id, "name": p.name(), "region": p.region_name}))
        .collect())
}

/// The 督查督办 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/supervision", get(ledger::ledger))
        .route("/supervision/inbox", get(ledger::inbox))
        .route("/supervision/alerts", get(ledger::alerts))
        .route("/supervision/new", get(item::new_item).post(item::open_item))
        .route("/supervision/rules", get(rules::rules).post(rules::save))
        .route("/supervision/rules/dry-run", post(rules::dry_run))
        .route("/supervision/rules/run", post(rules::run))
        .route("/supervision/holidays", post(rules::holidays))
        .route("/supervision/templates", post(rules::template))
        .route("/supervision/{id}", get(item::show))
        .route("/supervision/{id}/steps", post(item::take_step))
        .route("/supervision/{id}/files", post(item::attach))
}
