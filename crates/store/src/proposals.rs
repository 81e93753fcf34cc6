//! Proposed changes to the issued plan. The plan is the office's: a reporter
//! does not change what it says of a task, target or project, but proposes
//! a change with a reason ([`Store::propose`]); the proposal shows beside the
//! item until the office approves it — the change is then applied as the
//! office's correction, with its history — or rejects it
//! ([`Store::decide_proposal`]). Until then the plan is unchanged.
//!
//! A proposal is checked as the change itself would be (a target year
//! before the plan's base year is refused at once), and a reporter names
//! only units the registry knows: proposing never registers a unit.

use crate::access::Actor;
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::history::Change;
use crate::projects::ProjectPatch;
use crate::targets::TargetPatch;
use crate::tasks::{TaskPatch, UnitGiven};
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::{IntoParams, ToSchema};

/// The states of a proposal.
pub const STATES: [&str; 3] = ["pending", "approved", "rejected"];

/// A proposed change, about to be made.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProposal {
    /// `task`, `target` or `project`.
    pub entity: String,
    /// The record's id.
    pub entity_id: i64,
    /// The change, as the record's correction (`PATCH /api/tasks/{id}` …) takes it.
    #[schema(value_type = Object)]
    pub patch: serde_json::Value,
    /// Why (required).
    pub reason: String,
}

/// A decision of the office on a proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// `true` applies the change, `false` rejects it.
    pub approve: bool,
    /// A note to the proposer.
    #[serde(default)]
    pub note: Option<String>,
}

/// One field a proposal would change.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProposedField {
    /// The field (`value`, `lead` …).
    pub field: String,
    /// Its value now.
    #[schema(value_type = Value)]
    pub old: serde_json::Value,
    /// The value proposed.
    #[schema(value_type = Value)]
    pub new: serde_json::Value,
}

/// A proposal.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Proposal {
    /// Id.
    pub id: i64,
    /// The plan of the record.
    pub plan_id: i64,
    /// `task`, `target` or `project`.
    pub entity: String,
    /// The record's id.
    pub entity_id: i64,
    /// The change as proposed.
    #[schema(value_type = Object)]
    pub patch: serde_json::Value,
    /// The fields it changes, with their values now and proposed.
    pub fields: Vec<ProposedField>,
    /// Why.
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    /// Who proposed it.
    pub proposed_by: Option<i64>,
    /// Their account name.
    pub proposed_by_name: Option<String>,
    /// When (ms since the epoch).
    pub proposed_at: i64,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// Their account name.
    pub decided_by_name: Option<String>,
    /// When.
    pub decided_at: Option<i64>,
    /// The office's note.
    pub decision_note: Option<String>,
}

/// Which proposals to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    /// Of this plan.
    pub plan: Option<i64>,
    /// `pending`, `approved` or `rejected`.
    pub state: Option<String>,
    /// Of this kind of record (`task`, `target`, `project`).
    pub entity: Option<String>,
    /// Of this record (with `entity`).
    pub entity_id: Option<i64>,
}

#[derive(FromRow)]
struct ProposalRow {
    id: i64,
    plan_id: i64,
    entity: String,
    entity_id: i64,
    patch: String,
    reason: String,
    state: String,
    proposed_by: Option<i64>,
    proposed_by_name: Option<String>,
    proposed_at: i64,
    decided_by: Option<i64>,
    decided_by_name: Option<String>,
    decided_at: Option<i64>,
    decision_note: Option<String>,
}

const SELECT: &str = "SELECT p.id, p.plan_id, p.entity, p.entity_id, p.patch, p.reason, p.state, \
     p.proposed_by, a.username AS proposed_by_name, p.proposed_at, p.decided_by, d.username AS decided_by_name, \
     p.decided_at, p.decision_note FROM proposals p LEFT JOIN users a ON a.id = p.proposed_by \
     LEFT JOIN users d ON d.id = p.decided_by";

/// The record a proposal is about, read.
enum Record {
    Task(crate::tasks::Task),
    Target(crate::targets::Target),
    Project(crate::projects::Project),
}

impl Record {
    fn plan_id(&self) -> i64 {
        match self {
            Record::Task(t) => t.plan_id,
            Record::Target(t) => t.plan_id,
            Record::Project(p) => p.plan_id,
        }
    }

    fn deleted(&self) -> bool {
        match self {
            Record::Task(t) => t.deleted_at.is_some(),
            Record::Target(t) => t.deleted_at.is_some(),
            Record::Project(p) => p.deleted_at.is_some(),
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Record::Task(t) => serde_json::to_value(t),
            Record::Target(t) => serde_json::to_value(t),
            Record::Project(p) => serde_json::to_value(p),
        }
        .unwrap_or_default()
    }
}

/// Parses a patch as the correction of its kind of record, naming the field
/// that does not fit.
fn parse_patch<T: serde::de::DeserializeOwned>(patch: &serde_json::Value) -> Result<T> {
    T::deserialize(patch).map_err(|e| StoreError::invalid("patch", Reason::JsonField { detail: e.to_string() }))
}

fn object_of(entity: &str) -> Result<Object> {
    match entity {
        "task" => Ok(Object::Task),
        "target" => Ok(Object::Target),
        "project" => Ok(Object::Project),
        other => Err(StoreError::invalid(
            "entity",
            Reason::NotOneOf { value: other.into(), allowed: "task、target、project".into() },
        )),
    }
}

impl Store {
    async fn record_of(&self, object: Object, id: i64) -> Result<Record> {
        Ok(match object {
            Object::Task => Record::Task(self.task(id).await?),
            Object::Target => Record::Target(self.target(id).await?),
            _ => Record::Project(self.project(id).await?),
        })
    }

    /// The units that answer for a record (who may propose a change to it).
    async fn units_of(&self, record: &Record) -> Result<Vec<i64>> {
        Ok(match record {
            Record::Task(t) => t.unit_ids(),
            Record::Target(t) => {
                let task = match t.task_id {
                    Some(id) => Some(self.task(id).await?),
                    None => None,
                };
                Store::target_units(t, task.as_ref())
            }
            Record::Project(p) => p.units.iter().map(|u| u.unit_id).collect(),
        })
    }

    /// Checks a proposed change as the change itself would be checked, and
    /// that every unit it names is in the registry.
    async fn check_proposed(&self, record: &Record, patch: &serde_json::Value) -> Result<()> {
        match record {
            Record::Task(t) => {
                let p: TaskPatch = parse_patch(patch)?;
                if let Some(Some(segment)) = &p.segment {
                    crate::tags::check_segment(segment)?;
                }
                let plan = self.plan(t.plan_id).await?;
                let regions = self.region_chain(&plan.region).await?;
                let mut conn = self.pool().acquire().await?;
                for (role, given) in [("lead", &p.lead), ("responsible", &p.responsible)] {
                    for (i, g) in given.iter().flatten().enumerate() {
                        let field = format!("{role}[{i}]");
                        match g {
                            UnitGiven::Id(u) => {
                                self.unit(*u).await.map_err(|_| {
                                    StoreError::invalid(&field, Reason::Missing { object: Object::Unit, id: *u })
                                })?;
                            }
                            UnitGiven::Name(name) => {
                                check::not_empty(&field, name)?;
                                if Store::find_unit(&mut conn, &regions, name).await?.is_none() {
                                    return Err(StoreError::invalid(
                                        &field,
                                        Reason::UnitUnknownName { name: name.trim().into() },
                                    ));
                                }
                            }
                        }
                    }
                }
                if p.lead.as_ref().is_some_and(|l| l.is_empty()) {
                    return Err(StoreError::invalid("lead", Reason::Empty {}));
                }
            }
            Record::Target(t) => self.check_target_patch(t, &parse_patch::<TargetPatch>(patch)?).await?,
            Record::Project(_) => crate::projects::check_project_patch(&parse_patch::<ProjectPatch>(patch)?)?,
        }
        Ok(())
    }

    /// A reporter proposes a change to what the plan says of a record its
    /// units answer for; the plan is unchanged until the office decides.
    pub async fn propose(&self, actor: &Actor, new: &NewProposal, now: i64) -> Result<Proposal> {
        let object = object_of(&new.entity)?;
        let record = self.record_of(object, new.entity_id).await?;
        actor.may_propose(object, new.entity_id, &self.units_of(&record).await?)?;
        if record.deleted() {
            return Err(Reason::Deleted { object, id: new.entity_id }.into());
        }
        check::not_empty("reason", &new.reason)?;
        check::max_chars("reason", &new.reason, check::LONG)?;
        let current = record.json();
        let changes = new
            .patch
            .as_object()
            .map(|m| m.iter().filter(|(k, v)| current.get(k.as_str()) != Some(v)).count())
            .unwrap_or(0);
        if changes == 0 {
            return Err(StoreError::invalid("patch", Reason::ProposalEmpty {}));
        }
        self.check_proposed(&record, &new.patch).await?;
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proposals (plan_id, entity, entity_id, patch, reason, state, proposed_by, proposed_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) RETURNING id",
        )
        .bind(record.plan_id())
        .bind(object.as_str())
        .bind(new.entity_id)
        .bind(new.patch.to_string())
        .bind(new.reason.trim())
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let object_ref = format!("{}:{}", object.as_str(), new.entity_id);
        let detail = serde_json::json!({"proposal": id, "patch": new.patch, "reason": new.reason.trim()}).to_string();
        self.audit(&mut tx, actor, Event::ok("propose", &object_ref, &detail), now).await?;
        tx.commit().await?;
        self.proposal(id).await
    }

    /// The office approves (the change is applied as its correction, with
    /// history) or rejects a pending proposal.
    pub async fn decide_proposal(&self, actor: &Actor, id: i64, decision: &Decision, now: i64) -> Result<Proposal> {
        actor.may_decide()?;
        if let Some(note) = &decision.note {
            check::max_chars("note", note, check::LONG)?;
        }
        let p = self.proposal(id).await?;
        if p.state != "pending" {
            return Err(Reason::ProposalDecided { id }.into());
        }
        if decision.approve {
            // Applied first: a change the plan no longer takes (a record
            // deleted meanwhile) leaves the proposal pending, with the reason.
            match object_of(&p.entity)? {
                Object::Task => {
                    self.update_task(actor, p.entity_id, &parse_patch(&p.patch)?, now).await?;
                }
                Object::Target => {
                    self.update_target(actor, p.entity_id, &parse_patch(&p.patch)?, now).await?;
                }
                _ => {
                    self.update_project(actor, p.entity_id, &parse_patch(&p.patch)?, now).await?;
                }
            }
        }
        let state = if decision.approve { "approved" } else { "rejected" };
        let note = decision.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE proposals SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5",
        )
        .bind(state)
        .bind(actor.user_id)
        .bind(now)
        .bind(note)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        self.record(&mut tx, actor, Change::new("proposal", id, "state", &p.state, state), now).await?;
        tx.commit().await?;
        self.proposal(id).await
    }

    /// One proposal.
    pub async fn proposal(&self, id: i64) -> Result<Proposal> {
        let row = sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE p.id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Proposal, id))?;
        self.proposal_of(row).await
    }

    /// Proposals matching `q`, newest first.
    pub async fn proposals(&self, q: &ProposalQuery) -> Result<Vec<Proposal>> {
        if let Some(s) = &q.state {
            check::one_of("state", s, &STATES)?;
        }
        if let Some(e) = &q.entity {
            object_of(e)?;
        }
        let rows = sqlx::query_as::<_, ProposalRow>(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE ($1 IS NULL OR p.plan_id = $1) AND ($2 IS NULL OR p.state = $2) \
             AND ($3 IS NULL OR p.entity = $3) AND ($4 IS NULL OR p.entity_id = $4) ORDER BY p.id DESC"
        )))
        .bind(q.plan)
        .bind(&q.state)
        .bind(&q.entity)
        .bind(q.entity_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.proposal_of(row).await?);
        }
        Ok(out)
    }

    async fn proposal_of(&self, r: ProposalRow) -> Result<Proposal> {
        let patch: serde_json::Value = serde_json::from_str(&r.patch).unwrap_or_default();
        let current = match object_of(&r.entity) {
            Ok(object) => self.record_of(object, r.entity_id).await.map(|rec| rec.json()).unwrap_or_default(),
            Err(_) => serde_json::Value::Null,
        };
        let fields = patch
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| ProposedField {
                        field: k.clone(),
                        old: current.get(k.as_str()).cloned().unwrap_or_default(),
                        new: v.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Proposal {
            id: r.id,
            plan_id: r.plan_id,
            entity: r.entity,
            entity_id: r.entity_id,
            patch,
            fields,
            reason: r.reason,
            state: r.state,
            proposed_by: r.proposed_by,
            proposed_by_name: r.proposed_by_name,
            proposed_at: r.proposed_at,
            decided_by: r.decided_by,
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
        })
    }
}
