//! A unit's report form for a period: read with the items it reports, what
//! it reported before and the investment sums computed; saved as a draft,
//! submitted, returned with reasons, approved, accepted. Every step but a
//! draft's save writes a version (the entries as they stood, who, when,
//! why) that is never changed; the same submission sent twice is stored
//! once. Nothing invalid is stored: a refusal names the item's field.

use super::assignments::Assignment;
use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::{Num, ROWS_AT_ONCE, Store};
use crate::error::{Reason, Refusal, Result, StoreError};
use bighealth_rules::calendar::date_of;
use bighealth_rules::check;
use bighealth_rules::reporting::entry::{Entry, ItemFacts, ItemKind, unusual};
use bighealth_rules::reporting::workflow::{self, State, Step};
use bighealth_rules::reporting::{Period, Schedule};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utoipa::ToSchema;

/// One item of a form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormItem {
    /// `task`, `target` or `project`.
    pub kind: ItemKind,
    /// The item's id.
    pub item_id: i64,
    /// What it is: the task's number and title, the indicator, the project's name.
    pub label: String,
    /// What the plan asks: the target value, the project's total investment.
    pub detail: Option<String>,
    /// A target's unit.
    pub unit: Option<String>,
    /// A project's total investment, in 万元.
    pub total_wan: Option<f64>,
    /// What this form holds for it.
    pub entry: Option<Entry>,
    /// What was reported for it in the last earlier period.
    pub previous: Option<Entry>,
    /// The previous entry's period.
    pub previous_period: Option<String>,
    /// A project's investment this year up to this period (年累), in 万元.
    pub year_amount: Option<f64>,
    /// A project's investment up to this period (开累), in 万元.
    pub total_amount: Option<f64>,
    /// The office's reason for returning this item.
    pub returned_reason: Option<String>,
    /// The status's name on this plan.
    pub status_name: Option<String>,
    /// Evidence attached (佐证材料).
    pub attachments: Vec<super::attachments::Attachment>,
    /// A task's responsible units' parts of the period (配合单位报送), for
    /// the lead unit that answers for the whole.
    pub parts: Vec<super::parts::Part>,
}

/// A unit's form for a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Form {
    /// Id, once saved.
    pub id: Option<i64>,
    /// The plan.
    pub plan_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The period.
    pub period: Period,
    /// Where it stands (`None`: nothing saved yet).
    pub state: Option<State>,
    /// The state's name.
    pub state_label: String,
    /// The number of its latest version (0 before the first submission).
    pub version: i64,
    /// Whether the period is locked for the unit now.
    pub locked: bool,
    /// Whether the office reopened the period for the unit.
    pub reopened: bool,
    /// When it was first submitted (ms).
    pub first_submitted_at: Option<i64>,
    /// When it was last submitted (ms).
    pub submitted_at: Option<i64>,
    /// Whether its first submission was on time.
    pub on_time: Option<bool>,
    /// The office's reason for returning it.
    pub return_reason: Option<String>,
    /// The items, tasks first, then targets, then projects.
    pub items: Vec<FormItem>,
}

/// A save or a submission.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveForm {
    /// The entries typed (items left out keep what the form held).
    #[serde(default)]
    pub entries: Vec<Entry>,
    /// Why a report the office approved is changed (修改原因; required then).
    #[serde(default)]
    pub reason: Option<String>,
    /// The unusual values were checked (数值已核对).
    #[serde(default)]
    pub confirm: bool,
}

/// The office's reason for returning one item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemReason {
    /// `task`, `target` or `project`.
    pub kind: ItemKind,
    /// The item.
    pub item_id: i64,
    /// What to fix.
    pub reason: String,
}

/// The office's decision on a form.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// `return`, `approve` or `accept`.
    pub step: Step,
    /// For the whole form (a return needs this or an item's reason).
    #[serde(default)]
    pub reason: Option<String>,
    /// Per item, for a return.
    #[serde(default)]
    pub items: Vec<ItemReason>,
}

/// A version of a form, as it stood after a step.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Version {
    /// Its number.
    pub version: i64,
    /// The step (`submit`, `return`, `approve`, `accept`).
    pub step: String,
    /// The state after it.
    pub state: String,
    /// The entries as they stood.
    pub entries: Vec<Entry>,
    /// Why (a return's reasons, a correction's reason).
    pub reason: Option<String>,
    /// When (ms).
    pub at: i64,
    /// Who.
    pub by_name: String,
}

#[derive(FromRow)]
struct FormRow {
    id: i64,
    state: String,
    version: i64,
    first_submitted_at: Option<i64>,
    submitted_at: Option<i64>,
    return_reason: Option<String>,
}

#[derive(FromRow)]
struct TargetLine {
    id: i64,
    indicator: String,
    comparator: String,
    value: f64,
    unit: Option<String>,
    year: Option<i64>,
}

#[derive(FromRow)]
struct VersionRow {
    version: i64,
    step: String,
    state: String,
    entries: String,
    reason: Option<String>,
    at: i64,
    by_name: String,
}

#[derive(FromRow)]
struct EntryRow {
    kind: String,
    item_id: i64,
    entry: String,
    returned_reason: Option<String>,
}

/// What the plan says of an item, for its form line.
struct ItemInfo {
    label: String,
    detail: Option<String>,
    unit: Option<String>,
    total_wan: Option<f64>,
}

fn digest(entries: &[Entry]) -> String {
    bighealth_reader::sha256_hex(serde_json::to_string(entries).unwrap_or_default().as_bytes())
}

impl Store {
    /// What the plan says of each item `unit` reports (ever), or of every
    /// item of the plan.
    async fn item_infos(&self, plan_id: i64, unit: Option<i64>) -> Result<HashMap<(ItemKind, i64), ItemInfo>> {
        let mut out = HashMap::new();
        let of_unit = |kind: &str, alias: &str| {
            format!(
                "($2 IS NULL OR {alias}.id IN (SELECT a.item_id FROM report_assignments a WHERE a.plan_id = $1 \
                 AND a.kind = '{kind}' AND a.unit_id = $2))"
            )
        };
        let tasks: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT t.id, t.path, t.title FROM tasks t WHERE t.plan_id = $1 AND {}",
            of_unit("task", "t")
        )))
        .bind(plan_id)
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        for (id, path, title) in tasks {
            out.insert(
                (ItemKind::Task, id),
                ItemInfo { label: format!("{path} {title}"), detail: None, unit: None, total_wan: None },
            );
        }
        let targets: Vec<TargetLine> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT g.id, g.indicator, g.comparator, g.value, g.unit, g.year FROM targets g WHERE g.plan_id = $1 AND {}",
                of_unit("target", "g")
            )))
            .bind(plan_id)
            .bind(unit)
            .fetch_all(self.pool())
            .await?;
        for TargetLine { id, indicator, comparator, value, unit, year } in targets {
            let word = bighealth_rules::labels::comparator(&comparator);
            let when = year.map(|y| format!("（{y}年）")).unwrap_or_default();
            let detail =
                format!("{word}{}{}{when}", bighealth_rules::labels::number(value), unit.clone().unwrap_or_default());
            out.insert(
                (ItemKind::Target, id),
                ItemInfo { label: indicator, detail: Some(detail), unit, total_wan: None },
            );
        }
        let projects: Vec<(i64, String, Option<f64>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.name, p.investment_wan FROM projects p WHERE p.plan_id = $1 AND {}",
            of_unit("project", "p")
        )))
        .bind(plan_id)
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        for (id, name, total) in projects {
            let detail = total.map(|t| format!("总投资 {} 万元", bighealth_rules::labels::number(t)));
            out.insert((ItemKind::Project, id), ItemInfo { label: name, detail, unit: None, total_wan: total });
        }
        Ok(out)
    }

    async fn form_row(&self, plan_id: i64, unit: i64, period: &str) -> Result<Option<FormRow>> {
        Ok(sqlx::query_as(
            "SELECT id, state, version, first_submitted_at, submitted_at, return_reason FROM report_forms \
             WHERE plan_id = $1 AND unit_id = $2 AND period = $3",
        )
        .bind(plan_id)
        .bind(unit)
        .bind(period)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Reported entries of `unit`'s items in periods before `period` (by
    /// any unit: an item reassigned keeps its past), oldest first, with
    /// their period: one query for the whole form, read from the unit's
    /// items outwards (SQLite keeps the order of a CROSS JOIN; left to
    /// itself it read every entry of every plan for each form).
    async fn reported_before(
        &self,
        plan_id: i64,
        unit: i64,
        period: &Period,
    ) -> Result<HashMap<(ItemKind, i64), Vec<(String, Entry)>>> {
        let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
            "SELECT e.kind, e.item_id, f.period, e.entry \
             FROM (SELECT DISTINCT kind, item_id FROM report_assignments WHERE plan_id = $1 AND unit_id = $3) a \
             CROSS JOIN report_entries e CROSS JOIN report_forms f \
             WHERE e.item_id = a.item_id AND e.kind = a.kind AND f.id = e.form_id \
             AND f.plan_id = $1 AND f.period < $2 AND f.state IN ('submitted', 'approved', 'accepted') \
             ORDER BY f.period",
        )
        .bind(plan_id)
        .bind(&period.key)
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        let mut out: HashMap<(ItemKind, i64), Vec<(String, Entry)>> = HashMap::new();
        for (kind, item, p, e) in rows {
            if let (Some(kind), Ok(e)) = (ItemKind::parse(&kind), serde_json::from_str(&e)) {
                out.entry((kind, item)).or_default().push((p, e));
            }
        }
        Ok(out)
    }

    /// Refuses unless `actor` may read the forms of `unit`: the unit's
    /// reporter, the office, a leader.
    pub(crate) fn may_read_form(actor: &Actor, unit: i64) -> Result<()> {
        if actor.may(Action::ReviewReports) || actor.may(Action::ReadPlans) && !actor.may(Action::Report) {
            return Ok(());
        }
        actor.require(Action::Report)?;
        if actor.units.contains(&unit) { Ok(()) } else { Err(Reason::NotYourForm {}.into()) }
    }

    /// The form of `unit` for period `key` of plan `plan_id`, as it stands.
    pub async fn report_form(&self, actor: &Actor, plan_id: i64, unit: i64, key: &str, now: i64) -> Result<Form> {
        Store::may_read_form(actor, unit)?;
        self.live_plan(plan_id).await?;
        let (schedule, period) = self.period(plan_id, key).await?;
        self.ensure_assignments(plan_id, now).await?;
        self.build_form(plan_id, unit, &schedule, period, now).await
    }

    async fn build_form(&self, plan_id: i64, unit: i64, schedule: &Schedule, period: Period, now: i64) -> Result<Form> {
        let unit_name = self.unit(unit).await?.name;
        let assigned = self.assignments(plan_id, Some(unit), &period).await?;
        let row = self.form_row(plan_id, unit, &period.key).await?;
        let mut entries: HashMap<(ItemKind, i64), (Entry, Option<String>)> = HashMap::new();
        if let Some(r) = &row {
            let rows: Vec<EntryRow> =
                sqlx::query_as("SELECT kind, item_id, entry, returned_reason FROM report_entries WHERE form_id = $1")
                    .bind(r.id)
                    .fetch_all(self.pool())
                    .await?;
            for e in rows {
                if let (Some(kind), Ok(entry)) = (ItemKind::parse(&e.kind), serde_json::from_str::<Entry>(&e.entry)) {
                    entries.insert((kind, e.item_id), (entry, e.returned_reason));
                }
            }
        }
        let infos = self.item_infos(plan_id, Some(unit)).await?;
        let mut attached = self.attachments(plan_id, unit, &period.key).await?;
        let mut past = self.reported_before(plan_id, unit, &period).await?;
        let mut parts = self.latest_parts(plan_id, &period.key).await?;
        let year_start = format!("{}", period.start.year());
        let mut items = Vec::new();
        for a in &assigned {
            let kind = Store::kind_of(a);
            let info = infos.get(&(kind, a.item_id));
            let history = past.remove(&(kind, a.item_id)).unwrap_or_default();
            let (entry, returned_reason) = entries.remove(&(kind, a.item_id)).unzip();
            let (mut year_amount, mut total_amount) = (None, None);
            if kind == ItemKind::Project {
                let before: f64 = history.iter().filter_map(|(_, e)| e.amount).sum();
                let this_year: f64 =
                    history.iter().filter(|(p, _)| p.starts_with(&year_start)).filter_map(|(_, e)| e.amount).sum();
                let now_amount = entry.as_ref().and_then(|e| e.amount).unwrap_or(0.0);
                year_amount = Some(this_year + now_amount);
                total_amount = Some(before + now_amount);
            }
            let status_name =
                entry.as_ref().and_then(|e| e.status.as_deref()).map(|s| schedule.status_name(s).to_string());
            let previous = history.last().cloned();
            items.push(FormItem {
                kind,
                item_id: a.item_id,
                label: info.map(|i| i.label.clone()).unwrap_or_default(),
                detail: info.and_then(|i| i.detail.clone()),
                unit: info.and_then(|i| i.unit.clone()),
                total_wan: info.and_then(|i| i.total_wan),
                entry,
                previous_period: previous.as_ref().map(|(p, _)| p.clone()),
                previous: previous.map(|(_, e)| e),
                year_amount,
                total_amount,
                returned_reason: returned_reason.flatten(),
                status_name,
                attachments: {
                    let (mine, rest) =
                        attached.into_iter().partition(|x| x.kind == kind.as_str() && x.item_id == a.item_id);
                    attached = rest;
                    mine
                },
                parts: if kind == ItemKind::Task { parts.remove(&a.item_id).unwrap_or_default() } else { Vec::new() },
            });
        }
        let today = date_of(now);
        let reopened = self.reopened(plan_id, unit, &period.key).await?;
        let state = row.as_ref().and_then(|r| State::parse(&r.state));
        Ok(Form {
            id: row.as_ref().map(|r| r.id),
            plan_id,
            unit_id: unit,
            unit_name,
            locked: period.locked_on(today) && !reopened,
            reopened,
            state,
            state_label: state.map(State::label).unwrap_or("未填报").into(),
            version: row.as_ref().map(|r| r.version).unwrap_or(0),
            first_submitted_at: row.as_ref().and_then(|r| r.first_submitted_at),
            submitted_at: row.as_ref().and_then(|r| r.submitted_at),
            on_time: row.as_ref().and_then(|r| r.first_submitted_at).map(|at| period.on_time(date_of(at))),
            return_reason: row.and_then(|r| r.return_reason),
            period,
            items,
        })
    }

    /// Checks typed entries against the form: each an item the unit
    /// reports, once, valid; with `complete`, every item filled.
    /// Checks typed entries against the form and stops at the first
    /// refusal; see [`Store::entry_problems`].
    async fn check_entries(
        &self,
        form: &Form,
        given: Vec<Entry>,
        complete: bool,
        confirm: bool,
    ) -> Result<BTreeMap<(ItemKind, i64), Entry>> {
        let (merged, problems) = self.entry_problems(form, given, complete, confirm).await?;
        match problems.into_iter().next() {
            Some(r) => Err(StoreError::Refused(r)),
            None => Ok(merged),
        }
    }

    /// Checks typed entries against the form: each an item the unit
    /// reports, once, valid; with `complete`, every item filled; without
    /// `confirm`, no value far from the unit's history. Answers the form's
    /// entries with the typed ones merged in, and every refusal (one per
    /// entry at most).
    async fn entry_problems(
        &self,
        form: &Form,
        given: Vec<Entry>,
        complete: bool,
        confirm: bool,
    ) -> Result<(BTreeMap<(ItemKind, i64), Entry>, Vec<Refusal>)> {
        check::max_items("entries", given.len(), 5_000)?;
        let mut problems = Vec::new();
        let mut merged: BTreeMap<(ItemKind, i64), Entry> =
            form.items.iter().filter_map(|i| i.entry.clone().map(|e| ((i.kind, i.item_id), e))).collect();
        let mut seen = BTreeSet::new();
        let lines: HashMap<(ItemKind, i64), &FormItem> = form.items.iter().map(|i| ((i.kind, i.item_id), i)).collect();
        for e in given {
            let e = e.tidy();
            let Some(kind) = e.kind else {
                problems.push(Reason::Empty {}.on(e.field("kind")));
                continue;
            };
            let key = (kind, e.item_id);
            if !seen.insert(key) {
                problems
                    .push(Reason::DuplicateItem { kind: kind.label().into(), id: e.item_id }.on(e.field("item_id")));
            } else if !lines.contains_key(&key) {
                problems.push(Reason::NotYourItem { kind: kind.label().into(), id: e.item_id }.on(e.field("item_id")));
            } else {
                merged.insert(key, e);
            }
        }
        let mut past = self.reported_before(form.plan_id, form.unit_id, &form.period).await?;
        for (key, e) in merged.iter_mut() {
            let Some(line) = lines.get(key).copied() else { continue };
            let history = past.remove(key).unwrap_or_default();
            let facts = ItemFacts {
                previous_cumulative: history.iter().filter_map(|(_, e)| e.cumulative).reduce(f64::max),
                target_unit: line.unit.clone(),
                total_wan: line.total_wan,
                invested_before: history.iter().filter_map(|(_, e)| e.amount).sum(),
            };
            if let Err(r) = e.check(&facts, complete) {
                problems.push(r);
                continue;
            }
            if complete && !confirm {
                let (value, past): (Option<f64>, Vec<f64>) = match key.0 {
                    ItemKind::Project => (e.amount, history.iter().filter_map(|(_, h)| h.amount).collect()),
                    ItemKind::Target => (e.value, history.iter().filter_map(|(_, h)| h.value).collect()),
                    ItemKind::Task => (e.cumulative, Vec::new()),
                };
                if let Some(v) = value
                    && let Some(median) = unusual(v, &past)
                {
                    let field = e.field(if key.0 == ItemKind::Project { "amount" } else { "value" });
                    problems.push(Reason::ConfirmUnusual { value: v, median }.on(field));
                }
            }
        }
        if complete {
            for line in &form.items {
                if !merged.contains_key(&(line.kind, line.item_id)) {
                    let e = Entry { kind: Some(line.kind), item_id: line.item_id, ..Entry::default() };
                    let what = match line.kind {
                        ItemKind::Project => "amount",
                        ItemKind::Target => "value",
                        ItemKind::Task => "status",
                    };
                    problems.push(
                        Reason::ReportNeeds { what: bighealth_rules::reporting::entry::report_word(what).into() }
                            .on(e.field(what)),
                    );
                }
            }
        }
        Ok((merged, problems))
    }

    /// Every refusal the store would give `entries` saved (or, with
    /// `submit`, submitted) on the form of `unit` for period `key` — for a
    /// file whose every wrong cell is named at once. Nothing is stored.
    #[allow(clippy::too_many_arguments)]
    pub async fn report_problems(
        &self,
        actor: &Actor,
        plan_id: i64,
        unit: i64,
        key: &str,
        entries: Vec<Entry>,
        submit: bool,
        confirm: bool,
        now: i64,
    ) -> Result<Vec<Refusal>> {
        let form = self.report_form(actor, plan_id, unit, key, now).await?;
        Ok(self.entry_problems(&form, entries, submit, confirm).await?.1)
    }

    /// Saves a draft (`submit` false) or submits the form of `unit` for
    /// period `key`; answers the form as stored.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_report(
        &self,
        actor: &Actor,
        plan_id: i64,
        unit: i64,
        key: &str,
        save: SaveForm,
        submit: bool,
        now: i64,
    ) -> Result<Form> {
        let plan = self.live_plan(plan_id).await?;
        let (schedule, period) = self.period(plan_id, key).await?;
        let row = self.form_row(plan_id, unit, key).await?;
        let state = row.as_ref().and_then(|r| State::parse(&r.state));
        let step = if submit { Step::Submit } else { Step::Save };
        // The same submission again (a double click, a retry): stored once.
        if submit
            && state == Some(State::Submitted)
            && let Some(r) = &row
        {
            workflow::next(actor, None, Step::Save, unit, plan.parent_id.is_some())?;
            let form = self.build_form(plan_id, unit, &schedule, period.clone(), now).await?;
            let mut current: Vec<Entry> = form.items.iter().filter_map(|i| i.entry.clone()).collect();
            let last: Option<String> =
                sqlx::query_scalar("SELECT digest FROM report_versions WHERE form_id = $1 AND version = $2")
                    .bind(r.id)
                    .bind(r.version)
                    .fetch_optional(self.pool())
                    .await?;
            let mut again = current.clone();
            for e in save.entries.iter().cloned().map(Entry::tidy) {
                if let Some(slot) = again.iter_mut().find(|x| x.kind == e.kind && x.item_id == e.item_id) {
                    *slot = e;
                }
            }
            current.sort_by_key(|e| (e.kind, e.item_id));
            again.sort_by_key(|e| (e.kind, e.item_id));
            if last.as_deref() == Some(digest(&again).as_str()) && again == current {
                return Ok(form);
            }
        }
        workflow::next(actor, state, step, unit, plan.parent_id.is_some())?;
        self.check_open(plan_id, unit, &period, now).await?;
        let reason = save.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        if let Some(r) = &reason {
            check::max_chars("reason", r, check::LONG)?;
        }
        if workflow::is_correction(state) && reason.is_none() {
            return Err(StoreError::invalid("reason", Reason::ReportNeeds { what: "修改原因".into() }));
        }
        self.ensure_assignments(plan_id, now).await?;
        let form = self.build_form(plan_id, unit, &schedule, period.clone(), now).await?;
        let entries = self.check_entries(&form, save.entries, submit, save.confirm).await?;
        let list: Vec<Entry> = entries.values().cloned().collect();
        let new_state = if submit { State::Submitted } else { State::Draft };
        let mut tx = self.write().await?;
        let (form_id, version) = match &row {
            Some(r) => (r.id, r.version),
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO report_forms (plan_id, unit_id, period, state, version, updated_at) \
                     VALUES ($1, $2, $3, 'draft', 0, $4) RETURNING id",
                )
                .bind(plan_id)
                .bind(unit)
                .bind(key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                (id, 0)
            }
        };
        // A correction of an approved report keeps the approved version:
        // it is in report_versions already.
        sqlx::query("DELETE FROM report_entries WHERE form_id = $1").bind(form_id).execute(&mut *tx).await?;
        let mut rows = Vec::with_capacity(list.len());
        for e in &list {
            let json = serde_json::to_string(e).map_err(|_| StoreError::invalid("entries", Reason::Internal {}))?;
            let keep_reason = form
                .items
                .iter()
                .find(|i| Some(i.kind) == e.kind && i.item_id == e.item_id)
                .and_then(|i| i.returned_reason.clone())
                .filter(|_| !submit);
            rows.push((e, json, keep_reason));
        }
        for chunk in rows.chunks(ROWS_AT_ONCE) {
            let sql = format!(
                "INSERT INTO report_entries (form_id, kind, item_id, entry, status, share, value, amount, returned_reason) \
                 VALUES {}",
                self.backend().values_list(chunk.len(), 9)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (e, json, keep_reason) in chunk {
                q = q
                    .bind(form_id)
                    .bind(e.kind.map(ItemKind::as_str).unwrap_or("task"))
                    .bind(e.item_id)
                    .bind(json.as_str())
                    .bind(&e.status)
                    .bind(Num(e.share))
                    .bind(Num(e.value.or(e.cumulative)))
                    .bind(Num(e.amount))
                    .bind(keep_reason);
            }
            q.execute(&mut *tx).await?;
        }
        let version = if submit { version + 1 } else { version };
        sqlx::query(
            "UPDATE report_forms SET state = $1, version = $2, updated_at = $3, \
             submitted_at = CASE WHEN $4 THEN $3 ELSE submitted_at END, \
             first_submitted_at = CASE WHEN $4 AND first_submitted_at IS NULL THEN $3 ELSE first_submitted_at END, \
             return_reason = CASE WHEN $4 THEN NULL ELSE return_reason END WHERE id = $5",
        )
        .bind(new_state.as_str())
        .bind(version)
        .bind(now)
        .bind(submit)
        .bind(form_id)
        .execute(&mut *tx)
        .await?;
        if submit {
            self.add_version(
                &mut tx,
                actor,
                form_id,
                version,
                Step::Submit,
                State::Submitted,
                &list,
                reason.as_deref(),
                now,
            )
            .await?;
        }
        let action = if submit { "submit_report" } else { "save_report" };
        let detail =
            serde_json::json!({"period": key, "unit": unit, "entries": list.len(), "version": version, "reason": reason})
                .to_string();
        self.audit(&mut tx, actor, Event::ok(action, &format!("report:{form_id}"), &detail), now).await?;
        tx.commit().await?;
        self.build_form(plan_id, unit, &schedule, period, now).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn add_version(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        actor: &Actor,
        form_id: i64,
        version: i64,
        step: Step,
        state: State,
        entries: &[Entry],
        reason: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let json = serde_json::to_string(entries).map_err(|_| StoreError::invalid("entries", Reason::Internal {}))?;
        sqlx::query(
            "INSERT INTO report_versions (form_id, version, step, state, entries, digest, reason, at, by_user, by_name) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(form_id)
        .bind(version)
        .bind(step.as_str())
        .bind(state.as_str())
        .bind(json)
        .bind(digest(entries))
        .bind(reason)
        .bind(now)
        .bind(actor.user_id)
        .bind(&actor.username)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The office returns (with reasons), approves or accepts a form.
    pub async fn review_report(
        &self,
        actor: &Actor,
        plan_id: i64,
        unit: i64,
        key: &str,
        review: &Review,
        now: i64,
    ) -> Result<Form> {
        let plan = self.live_plan(plan_id).await?;
        let (schedule, period) = self.period(plan_id, key).await?;
        let row = self.form_row(plan_id, unit, key).await?;
        let state = row.as_ref().and_then(|r| State::parse(&r.state));
        if matches!(review.step, Step::Save | Step::Submit) {
            return Err(StoreError::invalid(
                "step",
                Reason::NotOneOf { value: review.step.as_str().into(), allowed: "return、approve、accept".into() },
            ));
        }
        let new_state = workflow::next(actor, state, review.step, unit, plan.parent_id.is_some())?;
        let Some(row) = row else { return Err(Reason::Internal {}.into()) };
        let reason = review.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        if let Some(r) = &reason {
            check::max_chars("reason", r, check::LONG)?;
        }
        check::max_items("items", review.items.len(), 5_000)?;
        let form = self.build_form(plan_id, unit, &schedule, period.clone(), now).await?;
        for (i, item) in review.items.iter().enumerate() {
            let field = format!("items[{i}].reason");
            check::not_empty(&field, &item.reason)?;
            check::max_chars(&field, &item.reason, check::LONG)?;
            if !form.items.iter().any(|l| l.kind == item.kind && l.item_id == item.item_id) {
                return Err(StoreError::invalid(
                    format!("items[{i}].item_id"),
                    Reason::NotYourItem { kind: item.kind.label().into(), id: item.item_id },
                ));
            }
        }
        if review.step == Step::Return && reason.is_none() && review.items.is_empty() {
            return Err(StoreError::invalid("reason", Reason::ReportNeeds { what: "退回原因".into() }));
        }
        let entries: Vec<Entry> = form.items.iter().filter_map(|i| i.entry.clone()).collect();
        let version = row.version + 1;
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "UPDATE report_forms SET state = $1, version = $2, updated_at = $3, \
             decided_at = CASE WHEN $4 THEN $3 ELSE decided_at END, \
             decided_by = CASE WHEN $4 THEN $5 ELSE decided_by END, \
             accepted_at = CASE WHEN $6 THEN $3 ELSE accepted_at END, \
             accepted_by = CASE WHEN $6 THEN $5 ELSE accepted_by END, \
             return_reason = CASE WHEN $7 THEN $8 ELSE return_reason END \
             WHERE id = $9 AND state = $10",
        )
        .bind(new_state.as_str())
        .bind(version)
        .bind(now)
        .bind(review.step != Step::Accept)
        .bind(actor.user_id)
        .bind(review.step == Step::Accept)
        .bind(review.step == Step::Return)
        .bind(&reason)
        .bind(row.id)
        .bind(&row.state)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            // Someone else moved the form meanwhile.
            return Err(Reason::FormStep { step: review.step.label().into(), state: "已变化".into() }.into());
        }
        if review.step == Step::Return {
            sqlx::query("UPDATE report_entries SET returned_reason = NULL WHERE form_id = $1")
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            for item in &review.items {
                sqlx::query(
                    "UPDATE report_entries SET returned_reason = $1 WHERE form_id = $2 AND kind = $3 AND item_id = $4",
                )
                .bind(item.reason.trim())
                .bind(row.id)
                .bind(item.kind.as_str())
                .bind(item.item_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        // The approved figures the analysis reads: the form's entries as
        // approved; withdrawn when the office returns an approved form.
        if review.step == Step::Approve || state == Some(State::Approved) && review.step == Step::Return {
            sqlx::query("DELETE FROM approved_entries WHERE form_id = $1").bind(row.id).execute(&mut *tx).await?;
        }
        if review.step == Step::Approve {
            sqlx::query(
                "INSERT INTO approved_entries (form_id, plan_id, unit_id, period, kind, item_id, status, share, value, amount, approved_at) \
                 SELECT f.id, f.plan_id, f.unit_id, f.period, e.kind, e.item_id, e.status, e.share, e.value, e.amount, $2 \
                 FROM report_forms f JOIN report_entries e ON e.form_id = f.id WHERE f.id = $1",
            )
            .bind(row.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let why = match (&reason, review.items.is_empty()) {
            (_, false) => Some(serde_json::json!({"form": reason, "items": review.items}).to_string()),
            (Some(r), true) => Some(r.clone()),
            (None, true) => None,
        };
        self.add_version(&mut tx, actor, row.id, version, review.step, new_state, &entries, why.as_deref(), now)
            .await?;
        let action = format!("{}_report", review.step.as_str());
        let detail = serde_json::json!({"period": key, "unit": unit, "version": version, "reason": reason, "items": review.items.len()})
            .to_string();
        self.audit(&mut tx, actor, Event::ok(&action, &format!("report:{}", row.id), &detail), now).await?;
        tx.commit().await?;
        self.build_form(plan_id, unit, &schedule, period, now).await
    }

    /// Every version of a form, oldest first.
    pub async fn report_versions(&self, actor: &Actor, plan_id: i64, unit: i64, key: &str) -> Result<Vec<Version>> {
        Store::may_read_form(actor, unit)?;
        self.period(plan_id, key).await?;
        let Some(row) = self.form_row(plan_id, unit, key).await? else { return Ok(Vec::new()) };
        let rows: Vec<VersionRow> = sqlx::query_as(
            "SELECT version, step, state, entries, reason, at, by_name FROM report_versions WHERE form_id = $1 \
             ORDER BY version",
        )
        .bind(row.id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|VersionRow { version, step, state, entries, reason, at, by_name }| Version {
                version,
                step,
                state,
                entries: serde_json::from_str(&entries).unwrap_or_default(),
                reason,
                at,
                by_name,
            })
            .collect())
    }

    /// The forms of a plan for a period, one per unit due (with those not
    /// yet begun), for the office's queue.
    pub async fn report_forms(&self, actor: &Actor, plan_id: i64, key: &str, now: i64) -> Result<Vec<Form>> {
        if !(actor.may(Action::ReviewReports) || actor.may(Action::ReadPlans) && !actor.may(Action::Report)) {
            actor.require(Action::ReviewReports)?;
        }
        self.live_plan(plan_id).await?;
        let (schedule, period) = self.period(plan_id, key).await?;
        self.ensure_assignments(plan_id, now).await?;
        let units: BTreeSet<i64> =
            self.assignments(plan_id, None, &period).await?.iter().map(|a: &Assignment| a.unit_id).collect();
        let mut out = Vec::new();
        for unit in units {
            out.push(self.build_form(plan_id, unit, &schedule, period.clone(), now).await?);
        }
        Ok(out)
    }
}
