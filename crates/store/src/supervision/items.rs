//! Supervision items (督办事项): opened by hand or by a rule, numbered per
//! plan and year, moved step by step, every step kept with who and when;
//! read one at a time with its timeline, in the ledger (督办台账) with
//! filters and counts, in a unit's inbox, and in the leader's view.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::{Backend, Store};
use crate::error::{Object, Reason, Result, StoreError};
use crate::page::{Page, bounds, id_list};
use bighealth_rules::calendar::date_of;
use bighealth_rules::check;
use bighealth_rules::supervision::workflow::{self, State, Step};
use bighealth_rules::supervision::{Level, Light, RuleKind, Settings, Source, light};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sqlx::{Any, FromRow, Transaction};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// The urgencies of an item (紧急程度).
pub const URGENCIES: [&str; 3] = ["normal", "rush", "urgent"];

/// The Chinese name of an urgency.
pub fn urgency_label(code: &str) -> &'static str {
    match code {
        "urgent" => "特急",
        "rush" => "加急",
        _ => "一般",
    }
}

/// A unit by id and name.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = ItemUnit)]
pub struct UnitName {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// An item as the ledger shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Item {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// Its number (`督办〔2026〕17号`).
    pub number: String,
    /// The year of the number.
    pub year: i64,
    /// Where it comes from.
    pub source: Source,
    /// The instruction, meeting or finding it refers to.
    pub reference: Option<String>,
    /// The rule that opened it.
    pub rule: Option<RuleKind>,
    /// The cause's key, for an item a rule opened.
    pub cause: Option<String>,
    /// `task`, `project` or `unit`: what the cause is about.
    pub item_kind: Option<String>,
    /// The task's, project's or unit's id.
    pub item_id: Option<i64>,
    /// 督办事项.
    pub title: String,
    /// The text: the evidence of a rule, or the instruction.
    pub body: String,
    /// 办理要求.
    pub requirement: Option<String>,
    /// 承办（牵头）单位.
    pub lead_unit: UnitName,
    /// 协办单位.
    pub helpers: Vec<UnitName>,
    /// 责任领导 (an account holding 领导).
    pub leader_id: Option<i64>,
    /// The leader's name.
    pub leader_name: Option<String>,
    /// `normal`, `rush` or `urgent`.
    pub urgency: String,
    /// 黄, 橙 or 红.
    pub level: Level,
    /// Where it stands.
    pub state: State,
    /// 交办 day.
    pub opened_on: String,
    /// 签收时限.
    pub sign_due: String,
    /// 整改方案 due.
    pub plan_due: String,
    /// 办结时限 (moved by an extension granted).
    pub due: String,
    /// A pending extension's new date.
    pub extension_due: Option<String>,
    /// A pending extension's reason.
    pub extension_reason: Option<String>,
    /// The last period a rule found its cause in.
    pub period: Option<String>,
    /// When signed (ms).
    pub signed_at: Option<i64>,
    /// When the rectification plan came (ms).
    pub planned_at: Option<i64>,
    /// When closed (ms).
    pub closed_at: Option<i64>,
    /// When escalated to the leader (ms).
    pub escalated_at: Option<i64>,
    /// When opened (ms).
    pub opened_at: Option<i64>,
    /// Overdue now: which deadlines are past (`sign`, `plan`, `fix`).
    pub overdue: Vec<String>,
    /// Working (or calendar) days to the running deadline; negative when past.
    pub days_left: i64,
    /// The ledger's light.
    pub light: Light,
}

#[derive(FromRow)]
struct ItemRow {
    id: i64,
    plan_id: i64,
    number: String,
    year: i64,
    source: String,
    reference: Option<String>,
    rule: Option<String>,
    cause: Option<String>,
    item_kind: Option<String>,
    item_id: Option<i64>,
    title: String,
    body: String,
    requirement: Option<String>,
    lead_unit: i64,
    lead_name: String,
    helpers: String,
    leader_id: Option<i64>,
    leader_name: Option<String>,
    urgency: String,
    level: String,
    state: String,
    opened_on: String,
    sign_due: String,
    plan_due: String,
    due: String,
    extension_due: Option<String>,
    extension_reason: Option<String>,
    period: Option<String>,
    signed_at: Option<i64>,
    planned_at: Option<i64>,
    closed_at: Option<i64>,
    escalated_at: Option<i64>,
    opened_at: Option<i64>,
}

const ITEM_SELECT: &str = "SELECT i.id, i.plan_id, i.number, i.year, i.source, i.reference, i.rule, i.cause, \
     i.item_kind, i.item_id, i.title, i.body, i.requirement, i.lead_unit, u.name AS lead_name, i.helpers, \
     i.leader_id, l.display_name AS leader_name, i.urgency, i.level, i.state, i.opened_on, i.sign_due, i.plan_due, \
     i.due, i.extension_due, i.extension_reason, i.period, i.signed_at, i.planned_at, i.closed_at, i.escalated_at, \
     i.opened_at FROM supervision_items i JOIN units u ON u.id = i.lead_unit LEFT JOIN users l ON l.id = i.leader_id";

/// The SQL condition of an item overdue on day `$today` (an ISO date bound as text).
fn overdue_sql(today: &str) -> String {
    format!(
        "(i.state NOT IN ('closed', 'archived') AND (i.due < {today} OR (i.state = 'assigned' AND i.sign_due < {today}) \
         OR (i.state IN ('assigned', 'signed') AND i.plan_due < {today})))"
    )
}

/// The deadlines an item has missed on `today` (`sign`, `plan`, `fix`), the
/// running deadline and whether it is finished.
pub(crate) fn deadlines_missed(state: State, sign_due: &str, plan_due: &str, due: &str, today: &str) -> Vec<String> {
    if state.finished() {
        return vec![];
    }
    let mut out = vec![];
    if state == State::Assigned && sign_due < today {
        out.push("sign".to_string());
    }
    if matches!(state, State::Assigned | State::Signed) && plan_due < today {
        out.push("plan".to_string());
    }
    if due < today {
        out.push("fix".to_string());
    }
    out
}

/// The deadline an item runs against now: signing, then the plan, then the rectification.
pub(crate) fn running_deadline<'a>(state: State, sign_due: &'a str, plan_due: &'a str, due: &'a str) -> &'a str {
    match state {
        State::Assigned if sign_due >= plan_due.min(due) => plan_due.min(due),
        State::Assigned => sign_due,
        State::Signed => plan_due.min(due),
        _ => due,
    }
}

/// A step on an item, as its timeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct ItemStep {
    /// Id.
    pub id: i64,
    /// The step (`sign`, `plan` …).
    pub step: String,
    /// The state after it.
    pub state: String,
    /// The level after it.
    pub level: String,
    /// What was written.
    pub note: Option<String>,
    /// What else it carried (a new date, a share), as JSON text.
    pub data: Option<String>,
    /// When (ms).
    pub at: i64,
    /// Who.
    pub by_name: String,
}

/// A file attached to an item.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct ItemFile {
    /// Id.
    pub id: i64,
    /// The step it came with (none until the unit takes one).
    pub step_id: Option<i64>,
    /// The file's name.
    pub file_name: String,
    /// Its type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its SHA-256.
    pub sha256: String,
    /// When (ms).
    pub uploaded_at: i64,
}

/// An item with its timeline, its files and the steps the reader may take.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemDetail {
    /// The item.
    pub item: Item,
    /// Every step, oldest first.
    pub steps: Vec<ItemStep>,
    /// Its files.
    pub files: Vec<ItemFile>,
    /// The steps the reader may take now.
    pub may: Vec<Step>,
}

/// An item the office opens by hand.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// `instruction` (领导批示), `meeting` (会议议定事项), `inspection` or `assessment`.
    pub source: Source,
    /// The instruction, meeting or finding it refers to (`市长批示〔2026〕3号`).
    #[serde(default)]
    pub reference: Option<String>,
    /// 督办事项.
    pub title: String,
    /// The text of the instruction or finding.
    pub body: String,
    /// 办理要求.
    #[serde(default)]
    pub requirement: Option<String>,
    /// 承办（牵头）单位.
    pub lead_unit: i64,
    /// 协办单位.
    #[serde(default)]
    pub helpers: Vec<i64>,
    /// 责任领导 (an account holding 领导).
    #[serde(default)]
    pub leader_id: Option<i64>,
    /// `normal` (default), `rush` or `urgent`.
    #[serde(default)]
    pub urgency: Option<String>,
    /// The level it starts at (黄 by default).
    #[serde(default)]
    pub level: Option<Level>,
    /// 办结时限 (`2026-07-31`); by default the plan's settings give it.
    #[serde(default)]
    pub due: Option<String>,
}

/// A step a person takes on an item.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeStep {
    /// The step.
    pub step: Step,
    /// What is written: the plan, the progress, the reason.
    #[serde(default)]
    pub note: Option<String>,
    /// The new deadline an extension asks for (`2026-08-31`).
    #[serde(default)]
    pub date: Option<String>,
    /// The share done, 0–100, with progress.
    #[serde(default)]
    pub share: Option<f64>,
}

/// What the ledger is filtered by.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerFilter {
    /// Only this plan.
    pub plan_id: Option<i64>,
    /// Only this state.
    pub state: Option<State>,
    /// Only this level.
    pub level: Option<Level>,
    /// Only items this unit leads or helps with.
    pub unit: Option<i64>,
    /// Only items this rule opened.
    pub rule: Option<RuleKind>,
    /// Only this source.
    pub source: Option<Source>,
    /// Due on or after (`2026-07-01`).
    pub due_from: Option<String>,
    /// Due on or before.
    pub due_to: Option<String>,
    /// Only overdue items (or only those not overdue).
    pub overdue: Option<bool>,
    /// Only open items (not 办结 or 销号).
    pub open: Option<bool>,
    /// Words in the number, title or text.
    pub q: Option<String>,
    /// Rows per page.
    pub limit: Option<i64>,
    /// Rows skipped.
    pub offset: Option<i64>,
}

/// The ledger: a page of items and the counts of all that match.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Ledger {
    /// The page.
    pub page: Page<Item>,
    /// Matching items per state.
    pub by_state: BTreeMap<String, i64>,
    /// Open matching items per level.
    pub by_level: BTreeMap<String, i64>,
    /// Matching items overdue now.
    pub overdue: i64,
}

/// Deadlines written as dates.
fn day(s: &str, field: &str) -> Result<Date> {
    s.trim()
        .parse::<Date>()
        .map_err(|_| StoreError::invalid(field, Reason::NotADate { value: s.chars().take(20).collect() }))
}

impl Store {
    /// Refuses unless the actor may read items at all; answers the units a
    /// reporter is limited to (`None`: every item).
    fn items_scope(actor: &Actor) -> Result<Option<Vec<i64>>> {
        if actor.may(Action::Supervise) || actor.roles.contains(&bighealth_rules::Role::Leader) {
            return Ok(None);
        }
        actor.require(Action::Report)?;
        Ok(Some(actor.units.clone()))
    }

    async fn item_rows(&self, condition: &str, binds: &[String], order: &str) -> Result<Vec<ItemRow>> {
        let sql = format!("{ITEM_SELECT} WHERE {condition} ORDER BY {order}");
        let mut q = sqlx::query_as::<_, ItemRow>(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b.clone());
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// The items of rows, with helpers' names and what `now` makes of their deadlines.
    async fn items_of(&self, rows: Vec<ItemRow>, now: i64) -> Result<Vec<Item>> {
        let today = date_of(now);
        let today_s = today.to_string();
        let holidays = self.holidays();
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let helper_rows: Vec<(i64, i64, String)> = if ids.is_empty() {
            vec![]
        } else {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT h.item_id, h.unit_id, u.name FROM supervision_helpers h JOIN units u ON u.id = h.unit_id \
                 WHERE h.item_id IN {} ORDER BY h.item_id, u.name",
                id_list(&ids)
            )))
            .fetch_all(self.pool())
            .await?
        };
        let mut helpers: HashMap<i64, Vec<UnitName>> = HashMap::new();
        for (item, id, name) in helper_rows {
            helpers.entry(item).or_default().push(UnitName { id, name });
        }
        let mut settings: HashMap<i64, Settings> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let s = self.supervision_settings_in(&mut settings, r.plan_id).await;
            let state = State::parse(&r.state).unwrap_or(State::Assigned);
            let level = Level::parse(&r.level).unwrap_or_default();
            let overdue = deadlines_missed(state, &r.sign_due, &r.plan_due, &r.due, &today_s);
            let running = running_deadline(state, &r.sign_due, &r.plan_due, &r.due);
            let days_left = running.parse::<Date>().map(|d| s.days_left(today, d, &holidays)).unwrap_or(0);
            let near = (0..=s.remind_days).contains(&days_left);
            out.push(Item {
                id: r.id,
                plan_id: r.plan_id,
                number: r.number,
                year: r.year,
                source: Source::parse(&r.source).unwrap_or_default(),
                reference: r.reference,
                rule: r.rule.as_deref().and_then(RuleKind::parse),
                cause: r.cause,
                item_kind: r.item_kind,
                item_id: r.item_id,
                title: r.title,
                body: r.body,
                requirement: r.requirement,
                lead_unit: UnitName { id: r.lead_unit, name: r.lead_name },
                helpers: helpers.remove(&r.id).unwrap_or_default(),
                leader_id: r.leader_id,
                leader_name: r.leader_name,
                urgency: r.urgency,
                light: light(state.finished(), level, !overdue.is_empty(), near),
                level,
                state,
                opened_on: r.opened_on,
                sign_due: r.sign_due,
                plan_due: r.plan_due,
                due: r.due,
                extension_due: r.extension_due,
                extension_reason: r.extension_reason,
                period: r.period,
                signed_at: r.signed_at,
                planned_at: r.planned_at,
                closed_at: r.closed_at,
                escalated_at: r.escalated_at,
                opened_at: r.opened_at,
                overdue,
                days_left,
            });
            let _ = r.helpers;
        }
        Ok(out)
    }

    /// One item with its timeline and files, for who may read it.
    pub async fn supervision_item(&self, actor: &Actor, id: i64, now: i64) -> Result<ItemDetail> {
        let scope = Store::items_scope(actor)?;
        let rows = self.item_rows_by_id(id).await?;
        let item =
            self.items_of(rows, now).await?.pop().ok_or_else(|| StoreError::not_found(Object::SupervisionItem, id))?;
        if let Some(units) = &scope {
            let involved = units.contains(&item.lead_unit.id) || item.helpers.iter().any(|h| units.contains(&h.id));
            if !involved {
                return Err(Reason::NotYourSupervision {}.into());
            }
        }
        let steps = sqlx::query_as::<_, ItemStep>(
            "SELECT id, step, state, level, note, data, at, by_name FROM supervision_steps WHERE item_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let files = sqlx::query_as::<_, ItemFile>(
            "SELECT id, step_id, file_name, content_type, size, sha256, uploaded_at FROM supervision_files \
             WHERE item_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let helper_ids: Vec<i64> = item.helpers.iter().map(|h| h.id).collect();
        let may = Step::ALL
            .into_iter()
            .filter(|s| s.by_hand())
            .filter(|s| {
                workflow::next(actor, item.lead_unit.id, &helper_ids, item.state, *s, item.extension_due.is_some())
                    .is_ok()
            })
            .collect();
        Ok(ItemDetail { item, steps, files, may })
    }

    async fn item_rows_by_id(&self, id: i64) -> Result<Vec<ItemRow>> {
        Ok(sqlx::query_as::<_, ItemRow>(sqlx::AssertSqlSafe(format!("{ITEM_SELECT} WHERE i.id = $1")))
            .bind(id)
            .fetch_all(self.pool())
            .await?)
    }

    /// The ledger (督办台账): the items matching `f`, a page at a time, most
    /// urgent first (overdue, then red, then by deadline), with counts.
    pub async fn supervision_ledger(&self, actor: &Actor, f: &LedgerFilter, now: i64) -> Result<Ledger> {
        let scope = Store::items_scope(actor)?;
        let today = date_of(now).to_string();
        let mut conds: Vec<String> = vec!["1 = 1".into()];
        let mut binds: Vec<String> = vec![];
        let bind = |v: String, binds: &mut Vec<String>| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if let Some(p) = f.plan_id {
            conds.push(format!("i.plan_id = {p}"));
        }
        if let Some(s) = f.state {
            conds.push(format!("i.state = '{}'", s.as_str()));
        }
        if let Some(l) = f.level {
            conds.push(format!("i.level = '{}'", l.as_str()));
        }
        if let Some(r) = f.rule {
            conds.push(format!("i.rule = '{}'", r.as_str()));
        }
        if let Some(s) = f.source {
            conds.push(format!("i.source = '{}'", s.as_str()));
        }
        let units = match (&scope, f.unit) {
            (Some(mine), Some(u)) => Some(mine.iter().copied().filter(|m| *m == u).collect::<Vec<_>>()),
            (Some(mine), None) => Some(mine.clone()),
            (None, Some(u)) => Some(vec![u]),
            (None, None) => None,
        };
        if let Some(units) = units {
            let list = id_list(&units);
            conds.push(format!(
                "(i.lead_unit IN {list} OR i.id IN (SELECT item_id FROM supervision_helpers WHERE unit_id IN {list}))"
            ));
        }
        if let Some(d) = &f.due_from {
            day(d, "due_from")?;
            let p = bind(d.trim().to_string(), &mut binds);
            conds.push(format!("i.due >= {p}"));
        }
        if let Some(d) = &f.due_to {
            day(d, "due_to")?;
            let p = bind(d.trim().to_string(), &mut binds);
            conds.push(format!("i.due <= {p}"));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            check::max_chars("q", q, check::SHORT)?;
            let p = bind(format!("%{}%", q.replace(['%', '_'], "")), &mut binds);
            conds.push(format!("(i.number LIKE {p} OR i.title LIKE {p} OR i.body LIKE {p})"));
        }
        if let Some(open) = f.open {
            conds.push(format!("i.state {} ('closed', 'archived')", if open { "NOT IN" } else { "IN" }));
        }
        let t = bind(today.clone(), &mut binds);
        let overdue = overdue_sql(&t);
        let base = conds.join(" AND ");
        let filtered = match f.overdue {
            Some(true) => format!("{base} AND {overdue}"),
            Some(false) => format!("{base} AND NOT {overdue}"),
            None => base.clone(),
        };
        let counts_sql = format!(
            "SELECT i.state, i.level, SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END), COUNT(*) \
             FROM supervision_items i WHERE {filtered} GROUP BY i.state, i.level"
        );
        let mut q = sqlx::query_as::<_, (String, String, i64, i64)>(sqlx::AssertSqlSafe(counts_sql));
        for b in &binds {
            q = q.bind(b.clone());
        }
        let counts = q.fetch_all(self.pool()).await?;
        let (mut by_state, mut by_level, mut late, mut total) = (BTreeMap::new(), BTreeMap::new(), 0, 0);
        for (state, level, o, n) in counts {
            *by_state.entry(state.clone()).or_insert(0) += n;
            if !matches!(state.as_str(), "closed" | "archived") {
                *by_level.entry(level).or_insert(0) += n;
            }
            late += o;
            total += n;
        }
        let (limit, offset) = bounds(f.limit, f.offset);
        let order = format!(
            "CASE WHEN {overdue} THEN 0 WHEN i.state IN ('closed', 'archived') THEN 2 ELSE 1 END, \
             CASE i.level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END, i.due, i.id LIMIT {limit} OFFSET {offset}"
        );
        let rows = self.item_rows(&filtered, &binds, &order).await?;
        let items = self.items_of(rows, now).await?;
        Ok(Ledger { page: Page { total, limit, offset, items }, by_state, by_level, overdue: late })
    }

    /// A unit's inbox: the open items its units lead or help with, the most
    /// urgent first, then the last ones finished.
    pub async fn supervision_inbox(&self, actor: &Actor, now: i64) -> Result<Vec<Item>> {
        actor.require(Action::Report)?;
        let f = LedgerFilter { limit: Some(200), ..LedgerFilter::default() };
        Ok(self.supervision_ledger(actor, &f, now).await?.page.items)
    }

    /// The leader's view: the open items that are overdue or red, the
    /// leader's own first.
    pub async fn supervision_alerts(&self, actor: &Actor, now: i64) -> Result<Vec<Item>> {
        let scope = Store::items_scope(actor)?;
        let today = date_of(now).to_string();
        let overdue = overdue_sql("$1");
        let me = actor.user_id.unwrap_or(-1);
        let rows = self
            .item_rows(
                &format!("i.state NOT IN ('closed', 'archived') AND ({overdue} OR i.level = 'red')"),
                std::slice::from_ref(&today),
                &format!("CASE WHEN i.leader_id = {me} THEN 0 ELSE 1 END, i.due, i.id LIMIT 500"),
            )
            .await?;
        let mut items = self.items_of(rows, now).await?;
        if let Some(units) = scope {
            items.retain(|i| units.contains(&i.lead_unit.id) || i.helpers.iter().any(|h| units.contains(&h.id)));
        }
        Ok(items)
    }

    /// The office opens an item by hand (a leader's instruction, a
    /// meeting's decision, an inspection's finding).
    pub async fn open_supervision_item(
        &self,
        actor: &Actor,
        plan_id: i64,
        new: &NewItem,
        now: i64,
    ) -> Result<ItemDetail> {
        actor.require(Action::Supervise)?;
        self.live_plan(plan_id).await?;
        if new.source == Source::Rule {
            return Err(StoreError::invalid(
                "source",
                Reason::NotOneOf {
                    value: "rule".into(),
                    allowed: "instruction, meeting, inspection, assessment".into(),
                },
            ));
        }
        check::not_empty("title", &new.title)?;
        check::max_chars("title", &new.title, check::SHORT)?;
        check::not_empty("body", &new.body)?;
        check::max_chars("body", &new.body, check::LONG)?;
        check::max_chars("reference", new.reference.as_deref().unwrap_or(""), check::SHORT)?;
        check::max_chars("requirement", new.requirement.as_deref().unwrap_or(""), check::LONG)?;
        check::max_items("helpers", new.helpers.len(), 50)?;
        let urgency = new.urgency.clone().unwrap_or_else(|| "normal".into());
        check::one_of("urgency", &urgency, &URGENCIES)?;
        for (field, id) in
            std::iter::once(("lead_unit", new.lead_unit)).chain(new.helpers.iter().map(|h| ("helpers", *h)))
        {
            self.unit(id)
                .await
                .map_err(|_| StoreError::invalid(field, Reason::Missing { object: Object::Unit, id }))?;
        }
        if let Some(l) = new.leader_id {
            self.check_leader(l).await.map_err(|e| match e {
                StoreError::Refused(r) => StoreError::Refused(r.reason.on("leader_id")),
                e => e,
            })?;
        }
        let settings = self.supervision_settings(plan_id).await?;
        let today = date_of(now);
        let mut deadlines = settings.deadlines(today, &self.holidays());
        if let Some(d) = &new.due {
            let d = day(d, "due")?;
            if d <= today {
                return Err(StoreError::invalid(
                    "due",
                    Reason::DateNotAfter { date: d.to_string(), after: today.to_string() },
                ));
            }
            deadlines.fix = d;
            deadlines.plan = deadlines.plan.min(d);
            deadlines.sign = deadlines.sign.min(d);
        }
        let opening = Opening {
            plan_id,
            source: new.source,
            reference: new.reference.as_deref().map(str::trim).filter(|r| !r.is_empty()),
            rule: None,
            cause: None,
            item_kind: None,
            item_id: None,
            title: new.title.trim(),
            body: new.body.trim(),
            requirement: new.requirement.as_deref().map(str::trim).filter(|r| !r.is_empty()),
            lead_unit: new.lead_unit,
            helpers: &new.helpers,
            leader_id: new.leader_id,
            urgency: &urgency,
            level: new.level.unwrap_or_default(),
            period: None,
            sign_due: deadlines.sign,
            plan_due: deadlines.plan,
            due: deadlines.fix,
        };
        let mut tx = self.write().await?;
        let (id, _) = self.insert_item(&mut tx, actor, &settings, &opening, now).await?;
        tx.commit().await?;
        self.supervision_item(actor, id, now).await
    }

    /// Inserts an item, numbered next in its plan and year, with its
    /// opening step and audit row.
    pub(crate) async fn insert_item(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        settings: &Settings,
        o: &Opening<'_>,
        now: i64,
    ) -> Result<(i64, String)> {
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind((2262_i64 << 32) | o.plan_id)
                .execute(&mut **tx)
                .await?;
        }
        let today = date_of(now);
        let year = i64::from(today.year());
        let serial: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(serial), 0) + 1 FROM supervision_items WHERE plan_id = $1 AND year = $2",
        )
        .bind(o.plan_id)
        .bind(year)
        .fetch_one(&mut **tx)
        .await?;
        let number = settings.number(year as i16, serial);
        let helpers = serde_json::to_string(o.helpers).unwrap_or_else(|_| "[]".into());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO supervision_items (plan_id, year, serial, number, source, reference, rule, cause, open_cause, \
             item_kind, item_id, title, body, requirement, lead_unit, helpers, leader_id, urgency, level, state, \
             opened_on, sign_due, plan_due, due, period, opened_at, opened_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'assigned', \
             $19, $20, $21, $22, $23, $24, $25, $24) RETURNING id",
        )
        .bind(o.plan_id)
        .bind(year)
        .bind(serial)
        .bind(&number)
        .bind(o.source.as_str())
        .bind(o.reference)
        .bind(o.rule.map(RuleKind::as_str))
        .bind(o.cause)
        .bind(o.item_kind)
        .bind(o.item_id)
        .bind(o.title)
        .bind(o.body)
        .bind(o.requirement)
        .bind(o.lead_unit)
        .bind(&helpers)
        .bind(o.leader_id)
        .bind(o.urgency)
        .bind(o.level.as_str())
        .bind(today.to_string())
        .bind(o.sign_due.to_string())
        .bind(o.plan_due.to_string())
        .bind(o.due.to_string())
        .bind(o.period)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut **tx)
        .await?;
        let mut seen = std::collections::BTreeSet::new();
        for h in o.helpers.iter().filter(|h| **h != o.lead_unit) {
            if seen.insert(*h) {
                sqlx::query("INSERT INTO supervision_helpers (item_id, unit_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*h)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        let data = serde_json::json!({"due": o.due.to_string(), "plan_due": o.plan_due.to_string(),
            "sign_due": o.sign_due.to_string()});
        self.insert_step(tx, actor, id, Step::Open, State::Assigned, o.level, Some(o.body), Some(&data), now).await?;
        let detail =
            serde_json::json!({"number": number, "source": o.source.as_str(), "rule": o.rule.map(RuleKind::as_str),
            "cause": o.cause, "lead_unit": o.lead_unit, "title": o.title})
            .to_string();
        self.audit(tx, actor, Event::ok("open_supervision_item", &format!("supervision_item:{id}"), &detail), now)
            .await?;
        Ok((id, number))
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn insert_step(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        item: i64,
        step: Step,
        state: State,
        level: Level,
        note: Option<&str>,
        data: Option<&serde_json::Value>,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO supervision_steps (item_id, step, state, level, note, data, at, by_user, by_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(item)
        .bind(step.as_str())
        .bind(state.as_str())
        .bind(level.as_str())
        .bind(note)
        .bind(data.map(|d| d.to_string()))
        .bind(now)
        .bind(actor.user_id)
        .bind(&actor.username)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// A person takes a step on an item: the unit signs, plans, reports,
    /// asks to close or for more time; the office accepts, returns,
    /// archives, decides an extension or raises the level; a leader comments.
    pub async fn take_supervision_step(&self, actor: &Actor, id: i64, take: &TakeStep, now: i64) -> Result<ItemDetail> {
        let detail = self.supervision_item(actor, id, now).await?;
        let item = &detail.item;
        let helpers: Vec<i64> = item.helpers.iter().map(|h| h.id).collect();
        let state =
            workflow::next(actor, item.lead_unit.id, &helpers, item.state, take.step, item.extension_due.is_some())?;
        let note = take.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if take.step.needs_note() && note.is_none() {
            return Err(StoreError::invalid("note", Reason::Required { field: "note".into() }));
        }
        check::max_chars("note", note.unwrap_or(""), check::LONG)?;
        let today = date_of(now);
        let mut level = item.level;
        let mut data = serde_json::json!({});
        let mut sets: Vec<String> = vec![];
        match take.step {
            Step::Sign => sets.push(format!("signed_at = {now}")),
            Step::Plan => sets.push(format!("planned_at = COALESCE(planned_at, {now})")),
            Step::Progress => {
                if let Some(s) = take.share {
                    if !(0.0..=100.0).contains(&s) {
                        return Err(StoreError::invalid("share", Reason::ShareRange {}));
                    }
                    data["share"] = serde_json::json!(s);
                }
            }
            Step::Accept => sets.push(format!("closed_at = {now}, open_cause = NULL")),
            Step::AskExtension => {
                let due = day(&item.due, "due")?;
                if today > due {
                    return Err(Reason::ExtensionLate { due: bighealth_rules::supervision::date_zh(due) }.into());
                }
                let wanted = day(take.date.as_deref().unwrap_or(""), "date")?;
                if wanted <= due {
                    return Err(StoreError::invalid(
                        "date",
                        Reason::DateNotAfter { date: wanted.to_string(), after: due.to_string() },
                    ));
                }
                data["date"] = serde_json::json!(wanted.to_string());
                sets.push(format!("extension_due = '{wanted}'"));
                sets.push("extension_reason = $2".into());
            }
            Step::GrantExtension => {
                let new = item.extension_due.clone().unwrap_or_else(|| item.due.clone());
                day(&new, "date")?;
                data = serde_json::json!({"old": item.due, "new": new});
                sets.push(format!("due = '{new}', extension_due = NULL, extension_reason = NULL"));
            }
            Step::RefuseExtension => sets.push("extension_due = NULL, extension_reason = NULL".into()),
            Step::Raise => {
                level = level.raised();
                sets.push(format!("level = '{}'", level.as_str()));
            }
            _ => {}
        }
        let mut tx = self.write().await?;
        sets.push(format!("state = '{}', updated_at = {now}", state.as_str()));
        let sql = format!("UPDATE supervision_items SET {} WHERE id = $1 AND state = $3", sets.join(", "));
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(note.unwrap_or(""))
            .bind(item.state.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Reason::ItemStep { step: take.step.label().into(), state: item.state.label().into() }.into());
        }
        let step_id = self.insert_step(&mut tx, actor, id, take.step, state, level, note, Some(&data), now).await?;
        if matches!(take.step, Step::Plan | Step::Progress | Step::AskClose) {
            sqlx::query("UPDATE supervision_files SET step_id = $1 WHERE item_id = $2 AND step_id IS NULL")
                .bind(step_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({"number": item.number, "step": take.step.as_str(), "state": state.as_str(),
            "note": note, "data": data})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("supervision_step", &format!("supervision_item:{id}"), &detail), now)
            .await?;
        tx.commit().await?;
        self.supervision_item(actor, id, now).await
    }

    /// The lead or a helping unit (or the office) attaches evidence to an
    /// item; it goes with the unit's next plan, progress or closing step.
    pub async fn attach_supervision_file(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<ItemFile> {
        let detail = self.supervision_item(actor, id, now).await?;
        if !actor.may(Action::Supervise) {
            let helpers: Vec<i64> = detail.item.helpers.iter().map(|h| h.id).collect();
            workflow::next(actor, detail.item.lead_unit.id, &helpers, detail.item.state, Step::Progress, false)?;
        }
        check::not_empty("name", name)?;
        check::max_chars("name", name, check::SHORT)?;
        let content_type = bighealth_rules::reporting::entry::attachment_type(name, bytes)?;
        let sha = bighealth_reader::sha256_hex(bytes);
        let mut tx = self.write().await?;
        let file_id: i64 = sqlx::query_scalar(
            "INSERT INTO supervision_files (item_id, file_name, content_type, size, sha256, bytes, uploaded_at, uploaded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id)
        .bind(name.trim())
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(&sha)
        .bind(bytes)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let audit =
            serde_json::json!({"item": id, "file": name.trim(), "sha256": sha, "size": bytes.len()}).to_string();
        self.audit(
            &mut tx,
            actor,
            Event::ok("attach_supervision_file", &format!("supervision_item:{id}"), &audit),
            now,
        )
        .await?;
        tx.commit().await?;
        let files = self.supervision_item(actor, id, now).await?.files;
        files.into_iter().find(|f| f.id == file_id).ok_or_else(|| Reason::Internal {}.into())
    }

    /// A file of an item, for who may read the item.
    pub async fn supervision_file(&self, actor: &Actor, file: i64, now: i64) -> Result<(String, String, Vec<u8>)> {
        let row: Option<(i64, String, String, Vec<u8>)> =
            sqlx::query_as("SELECT item_id, file_name, content_type, bytes FROM supervision_files WHERE id = $1")
                .bind(file)
                .fetch_optional(self.pool())
                .await?;
        let Some((item, name, content_type, bytes)) = row else {
            return Err(StoreError::not_found(Object::Attachment, file));
        };
        self.supervision_item(actor, item, now).await?;
        Ok((name, content_type, bytes))
    }
}

/// What an item is opened with.
pub(crate) struct Opening<'a> {
    pub plan_id: i64,
    pub source: Source,
    pub reference: Option<&'a str>,
    pub rule: Option<RuleKind>,
    pub cause: Option<&'a str>,
    pub item_kind: Option<&'a str>,
    pub item_id: Option<i64>,
    pub title: &'a str,
    pub body: &'a str,
    pub requirement: Option<&'a str>,
    pub lead_unit: i64,
    pub helpers: &'a [i64],
    pub leader_id: Option<i64>,
    pub urgency: &'a str,
    pub level: Level,
    pub period: Option<&'a str>,
    pub sign_due: Date,
    pub plan_due: Date,
    pub due: Date,
}
