//! What people write into a year's assessment: the office's entries for a
//! unit (a checklist item's points, a bonus, a deduction, a veto — each with
//! its reason, withdrawn but never deleted), the units' self-assessments
//! (自评) with the office's review (复核), and the evidence files of both,
//! kept byte for byte with their SHA-256.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use bighealth_rules::check;
use bighealth_rules::reporting::entry::attachment_type;
use bighealth_rules::scoring::score::Entry;
use bighealth_rules::scoring::{Rule, round};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An evidence file, without its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, ToSchema)]
#[schema(as = AssessmentFile)]
pub struct EvidenceFile {
    /// Id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// Its type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: i64,
    /// Its SHA-256.
    pub sha256: String,
    /// When it was uploaded (ms).
    pub uploaded_at: i64,
}

/// What an evidence file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileOwner {
    /// An office's entry.
    Entry,
    /// A unit's self-assessment.
    SelfAssessment,
    /// A third-party evaluation report of a plan (the owner is the plan).
    Evaluation,
}

impl FileOwner {
    fn as_str(self) -> &'static str {
        match self {
            FileOwner::Entry => "entry",
            FileOwner::SelfAssessment => "self_assessment",
            FileOwner::Evaluation => "evaluation",
        }
    }
}

/// An entry of the office for a unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentEntry {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The year.
    pub year: i64,
    /// The unit.
    pub unit_id: i64,
    /// What it is.
    pub entry: Entry,
    /// Why.
    pub reason: String,
    /// When (ms).
    pub created_at: i64,
    /// Withdrawn when (ms), if it was.
    pub withdrawn_at: Option<i64>,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<String>,
    /// Its evidence.
    pub files: Vec<EvidenceFile>,
}

/// An entry the office makes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    /// The unit.
    pub unit_id: i64,
    /// What it is.
    pub entry: Entry,
    /// Why: the checklist's findings, the achievement and who recognised
    /// it, the criticism, the incident.
    pub reason: String,
}

/// A unit's self-assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SelfAssessment {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The year.
    pub year: i64,
    /// The unit.
    pub unit_id: i64,
    /// Its points per scheme item.
    pub scores: BTreeMap<String, f64>,
    /// Their sum.
    pub total: f64,
    /// What the unit wrote.
    pub note: String,
    /// When it was submitted (ms).
    pub submitted_at: i64,
    /// When the office reviewed it (ms).
    pub reviewed_at: Option<i64>,
    /// The office's review.
    pub review_note: Option<String>,
    /// Its evidence.
    pub files: Vec<EvidenceFile>,
}

/// A self-assessment a unit submits.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSelfAssessment {
    /// Points per scheme item key.
    pub scores: BTreeMap<String, f64>,
    /// What the unit wants the office to know.
    pub note: String,
}

type EntryRow = (i64, i64, i64, i64, String, String, i64, Option<i64>, Option<String>);
type SelfRow = (i64, i64, i64, i64, String, f64, String, i64, Option<i64>, Option<String>);

impl Store {
    /// The office's entries of plan `plan_id` in `year`, withdrawn ones
    /// too, the oldest first.
    pub async fn assessment_entries(&self, actor: &Actor, plan_id: i64, year: i64) -> Result<Vec<AssessmentEntry>> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT id, plan_id, year, unit_id, entry, reason, created_at, withdrawn_at, withdrawn_reason \
             FROM assessment_entries WHERE plan_id = $1 AND year = $2 ORDER BY id",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        let mut files = self.evidence_files(FileOwner::Entry, plan_id).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, plan_id, year, unit_id, entry, reason, created_at, withdrawn_at, withdrawn_reason)| {
                Some(AssessmentEntry {
                    id,
                    plan_id,
                    year,
                    unit_id,
                    entry: serde_json::from_str(&entry).ok()?,
                    reason,
                    created_at,
                    withdrawn_at,
                    withdrawn_reason,
                    files: files.remove(&id).unwrap_or_default(),
                })
            })
            .collect())
    }

    /// The office enters points, a bonus, a deduction or a veto for a unit.
    pub async fn add_assessment_entry(
        &self,
        actor: &Actor,
        plan_id: i64,
        year: i64,
        new: &NewEntry,
        now: i64,
    ) -> Result<AssessmentEntry> {
        actor.require(Action::Assess)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        self.refuse_if_published(plan_id, year).await?;
        self.check_assessed(plan_id, year, new.unit_id, "unit_id").await?;
        let reason = new.reason.trim();
        check::not_empty("reason", reason)?;
        check::max_chars("reason", reason, check::LONG)?;
        let scheme = self.scoring_scheme(actor, plan_id, year).await?.scheme;
        match &new.entry {
            Entry::Points { item, points } => {
                let Some(it) = scheme.item(item) else {
                    return Err(StoreError::invalid("entry.item", Reason::SchemeItemUnknown { key: item.clone() }));
                };
                if !matches!(it.rule, Rule::Manual {}) {
                    return Err(StoreError::invalid("entry.item", Reason::SchemeItemNotManual { key: item.clone() }));
                }
                points_within("entry.points", *points, it.points, true)?;
            }
            Entry::Deduction { points } => points_within("entry.points", *points, 100.0, false)?,
            Entry::Bonus { .. } | Entry::Veto {} => {}
        }
        let text = serde_json::to_string(&new.entry).map_err(|_| StoreError::invalid("entry", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_entries (plan_id, year, unit_id, entry, reason, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(plan_id)
        .bind(year)
        .bind(new.unit_id)
        .bind(&text)
        .bind(reason)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({"plan": plan_id, "year": year, "unit": new.unit_id, "entry": new.entry,
            "reason": reason})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("add_assessment_entry", &format!("assessment_entry:{id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(AssessmentEntry {
            id,
            plan_id,
            year,
            unit_id: new.unit_id,
            entry: new.entry.clone(),
            reason: reason.into(),
            created_at: now,
            withdrawn_at: None,
            withdrawn_reason: None,
            files: vec![],
        })
    }

    /// The office withdraws an entry; it stays, marked, with the reason.
    pub async fn withdraw_assessment_entry(&self, actor: &Actor, id: i64, reason: &str, now: i64) -> Result<()> {
        actor.require(Action::Assess)?;
        let reason = reason.trim();
        check::not_empty("reason", reason)?;
        check::max_chars("reason", reason, check::LONG)?;
        let row: Option<(i64, i64, Option<i64>)> =
            sqlx::query_as("SELECT plan_id, year, withdrawn_at FROM assessment_entries WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        let Some((plan_id, year, None)) = row else {
            return Err(StoreError::not_found(Object::AssessmentEntry, id));
        };
        self.refuse_if_published(plan_id, year).await?;
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE assessment_entries SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 WHERE id = $4",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(reason)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"reason": reason}).to_string();
        self.audit(
            &mut tx,
            actor,
            Event::ok("withdraw_assessment_entry", &format!("assessment_entry:{id}"), &detail),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The self-assessments of plan `plan_id` in `year`, every submission,
    /// the oldest first; a reporter sees its own units' only.
    pub async fn self_assessments(&self, actor: &Actor, plan_id: i64, year: i64) -> Result<Vec<SelfAssessment>> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        let rows: Vec<SelfRow> = sqlx::query_as(
            "SELECT id, plan_id, year, unit_id, scores, total, note, submitted_at, reviewed_at, review_note \
             FROM self_assessments WHERE plan_id = $1 AND year = $2 ORDER BY id",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        let mut files = self.evidence_files(FileOwner::SelfAssessment, plan_id).await?;
        let office = !actor.may(Action::Report);
        Ok(rows
            .into_iter()
            .filter(|r| office || actor.units.contains(&r.3))
            .map(|(id, plan_id, year, unit_id, scores, total, note, submitted_at, reviewed_at, review_note)| {
                SelfAssessment {
                    id,
                    plan_id,
                    year,
                    unit_id,
                    scores: serde_json::from_str(&scores).unwrap_or_default(),
                    total,
                    note,
                    submitted_at,
                    reviewed_at,
                    review_note,
                    files: files.remove(&id).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// A unit's reporter submits its self-assessment: points per item of
    /// the year's scheme. Each submission is kept; the latest is reviewed.
    pub async fn submit_self_assessment(
        &self,
        actor: &Actor,
        plan_id: i64,
        year: i64,
        unit: i64,
        new: &NewSelfAssessment,
        now: i64,
    ) -> Result<SelfAssessment> {
        actor.require(Action::Report)?;
        if !actor.units.contains(&unit) {
            return Err(Reason::NotYourUnit { unit }.into());
        }
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        self.refuse_if_published(plan_id, year).await?;
        self.check_assessed(plan_id, year, unit, "unit").await?;
        let note = new.note.trim();
        check::not_empty("note", note)?;
        check::max_chars("note", note, check::LONG)?;
        let scheme = self.scoring_scheme(actor, plan_id, year).await?.scheme;
        for (key, points) in &new.scores {
            let field = format!("scores.{key}");
            let Some(item) = scheme.item(key) else {
                return Err(StoreError::invalid(field, Reason::SchemeItemUnknown { key: key.clone() }));
            };
            points_within(&field, *points, item.points, true)?;
        }
        let total = round(new.scores.values().sum());
        let scores =
            serde_json::to_string(&new.scores).map_err(|_| StoreError::invalid("scores", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO self_assessments (plan_id, year, unit_id, scores, total, note, submitted_at, submitted_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(plan_id)
        .bind(year)
        .bind(unit)
        .bind(&scores)
        .bind(total)
        .bind(note)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({"plan": plan_id, "year": year, "unit": unit, "scores": new.scores,
            "total": total})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("submit_self_assessment", &format!("self_assessment:{id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(SelfAssessment {
            id,
            plan_id,
            year,
            unit_id: unit,
            scores: new.scores.clone(),
            total,
            note: note.into(),
            submitted_at: now,
            reviewed_at: None,
            review_note: None,
            files: vec![],
        })
    }

    /// The office reviews (复核) a self-assessment: its note is kept beside
    /// the unit's figures; the office's score is the one that stands.
    pub async fn review_self_assessment(&self, actor: &Actor, id: i64, note: &str, now: i64) -> Result<()> {
        actor.require(Action::Assess)?;
        let note = note.trim();
        check::not_empty("review_note", note)?;
        check::max_chars("review_note", note, check::LONG)?;
        let row: Option<(i64, i64)> = sqlx::query_as("SELECT plan_id, year FROM self_assessments WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        let Some((plan_id, year)) = row else {
            return Err(StoreError::not_found(Object::SelfAssessment, id));
        };
        self.refuse_if_published(plan_id, year).await?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE self_assessments SET reviewed_at = $1, reviewed_by = $2, review_note = $3 WHERE id = $4")
            .bind(now)
            .bind(actor.user_id)
            .bind(note)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"review_note": note}).to_string();
        self.audit(&mut tx, actor, Event::ok("review_self_assessment", &format!("self_assessment:{id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Attaches evidence to an office's entry (the office), to a
    /// self-assessment (its unit's reporter), or a plan's evaluation report
    /// (the evaluator granted the plan).
    pub async fn attach_assessment_file(
        &self,
        actor: &Actor,
        owner: FileOwner,
        owner_id: i64,
        name: &str,
        bytes: &[u8],
        now: i64,
    ) -> Result<EvidenceFile> {
        check::not_empty("name", name)?;
        check::max_chars("name", name, check::SHORT)?;
        let plan_id: i64 = match owner {
            FileOwner::Entry => {
                actor.require(Action::Assess)?;
                let plan: Option<i64> = sqlx::query_scalar("SELECT plan_id FROM assessment_entries WHERE id = $1")
                    .bind(owner_id)
                    .fetch_optional(self.pool())
                    .await?;
                plan.ok_or_else(|| StoreError::not_found(Object::AssessmentEntry, owner_id))?
            }
            FileOwner::SelfAssessment => {
                actor.require(Action::Report)?;
                let row: Option<(i64, i64)> =
                    sqlx::query_as("SELECT plan_id, unit_id FROM self_assessments WHERE id = $1")
                        .bind(owner_id)
                        .fetch_optional(self.pool())
                        .await?;
                let (plan, unit) = row.ok_or_else(|| StoreError::not_found(Object::SelfAssessment, owner_id))?;
                if !actor.units.contains(&unit) {
                    return Err(Reason::NotYourUnit { unit }.into());
                }
                plan
            }
            FileOwner::Evaluation => {
                actor.require(Action::Evaluate)?;
                actor.reaches_plan(owner_id)?;
                self.live_plan(owner_id).await?;
                owner_id
            }
        };
        let content_type = attachment_type(name, bytes)?;
        let sha256 = bighealth_reader::sha256_hex(bytes);
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_files (plan_id, owner_kind, owner_id, file_name, content_type, size, sha256, bytes, \
             uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(plan_id)
        .bind(owner.as_str())
        .bind(owner_id)
        .bind(name)
        .bind(content_type)
        .bind(bytes.len() as i64)
        .bind(&sha256)
        .bind(bytes)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({"owner": owner.as_str(), "owner_id": owner_id, "name": name,
            "sha256": sha256, "size": bytes.len()})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("attach_assessment_file", &format!("plan:{plan_id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(EvidenceFile {
            id,
            file_name: name.into(),
            content_type: content_type.into(),
            size: bytes.len() as i64,
            sha256,
            uploaded_at: now,
        })
    }

    /// An evidence file's name, type and bytes, for who may read the plan
    /// (a reporter: its own units' self-assessments and the office's
    /// entries about them).
    pub async fn assessment_file(&self, actor: &Actor, id: i64) -> Result<(String, String, Vec<u8>)> {
        actor.require(Action::ReadPlans)?;
        let row: Option<(i64, String, i64, String, String, Vec<u8>)> = sqlx::query_as(
            "SELECT plan_id, owner_kind, owner_id, file_name, content_type, bytes FROM assessment_files WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some((plan, kind, owner, name, content_type, bytes)) = row else {
            return Err(StoreError::not_found(Object::Attachment, id));
        };
        actor.reaches_plan(plan)?;
        if actor.may(Action::Report) && kind != "evaluation" {
            let table = if kind == "entry" { "assessment_entries" } else { "self_assessments" };
            let unit: Option<i64> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT unit_id FROM {table} WHERE id = $1")))
                    .bind(owner)
                    .fetch_optional(self.pool())
                    .await?;
            if !unit.is_some_and(|u| actor.units.contains(&u)) {
                return Err(Reason::NotYourRecord { object: Object::Attachment, id }.into());
            }
        }
        Ok((name, content_type, bytes))
    }

    /// The files of every owner of kind `owner` in plan `plan_id`, by owner.
    pub(crate) async fn evidence_files(
        &self,
        owner: FileOwner,
        plan_id: i64,
    ) -> Result<BTreeMap<i64, Vec<EvidenceFile>>> {
        let rows: Vec<(i64, i64, String, String, i64, String, i64)> = sqlx::query_as(
            "SELECT owner_id, id, file_name, content_type, size, sha256, uploaded_at FROM assessment_files \
             WHERE plan_id = $1 AND owner_kind = $2 ORDER BY id",
        )
        .bind(plan_id)
        .bind(owner.as_str())
        .fetch_all(self.pool())
        .await?;
        let mut out: BTreeMap<i64, Vec<EvidenceFile>> = BTreeMap::new();
        for (owner, id, file_name, content_type, size, sha256, uploaded_at) in rows {
            out.entry(owner).or_default().push(EvidenceFile { id, file_name, content_type, size, sha256, uploaded_at });
        }
        Ok(out)
    }

    /// Refuses a change to a year whose result is published.
    pub(crate) async fn refuse_if_published(&self, plan_id: i64, year: i64) -> Result<()> {
        let live: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM assessment_results WHERE plan_id = $1 AND year = $2 AND withdrawn_at IS NULL",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_one(self.pool())
        .await?;
        if live > 0 { Err(Reason::AssessmentPublished { year }.into()) } else { Ok(()) }
    }

    /// Refuses a unit that is not assessed in the plan's year.
    async fn check_assessed(&self, plan_id: i64, year: i64, unit: i64, field: &str) -> Result<()> {
        if self.assessed_units(plan_id, year).await?.contains(&unit) {
            Ok(())
        } else {
            Err(StoreError::invalid(field, Reason::NotAssessed { unit }))
        }
    }
}

/// Refuses points outside 0 (or above 0) to `max`.
fn points_within(field: &str, points: f64, max: f64, zero: bool) -> Result<()> {
    let low_ok = if zero { points >= 0.0 } else { points > 0.0 };
    if points.is_finite() && low_ok && points <= max {
        Ok(())
    } else {
        let reason = Reason::PointsRange {
            points: bighealth_rules::labels::number(points),
            max: bighealth_rules::labels::number(max),
        };
        Err(StoreError::invalid(field, reason))
    }
}
