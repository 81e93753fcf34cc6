//! Third-party evaluation (第三方评估): the office grants an evaluating
//! body's account (one holding the 第三方评估机构 role, made by the 安全管理员)
//! one plan to read until a day; the body uploads its evaluation report,
//! kept byte for byte with its SHA-256 beside the plan, and states its
//! findings, each answered by the office. Past the day the account's
//! sessions end and it cannot log in.

use crate::access::{Action, Actor};
use crate::assessment::entries::{EvidenceFile, FileOwner};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use bighealth_rules::Role;
use bighealth_rules::calendar::date_of;
use bighealth_rules::check;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An evaluator's grant: the plan it reads and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Grant {
    /// The evaluator's account.
    pub user_id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The evaluating body (某某评估中心).
    pub body: String,
    /// The last day it may read (`2027-03-31`).
    pub valid_until: String,
    /// When it was granted (ms).
    pub granted_at: i64,
}

impl Grant {
    /// Whether the grant has ended by `now`.
    pub fn ended(&self, now: i64) -> bool {
        self.valid_until.parse::<Date>().map_or(true, |until| date_of(now) > until)
    }
}

/// What the office grants.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    /// The evaluator's account name (made by the 安全管理员 with the 第三方评估机构 role).
    pub username: String,
    /// The evaluating body.
    pub body: String,
    /// The last day it may read (`2027-03-31`).
    pub valid_until: String,
}

/// A finding of an evaluation and the office's answer.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
#[schema(as = EvaluationFinding)]
pub struct Finding {
    /// Id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The report it comes from.
    pub report_file: Option<i64>,
    /// What the evaluation found.
    pub finding: String,
    /// When (ms).
    pub created_at: i64,
    /// The office's answer.
    pub answer: Option<String>,
    /// When it answered (ms).
    pub answered_at: Option<i64>,
}

/// A plan's evaluation: who evaluates, the reports, the findings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evaluation {
    /// The plan.
    pub plan_id: i64,
    /// The evaluators granted the plan.
    pub grants: Vec<Grant>,
    /// The evaluation reports uploaded.
    pub reports: Vec<EvidenceFile>,
    /// The findings, the oldest first.
    pub findings: Vec<Finding>,
}

type GrantRow = (i64, i64, String, String, i64);

fn grant_of((user_id, plan_id, body, valid_until, granted_at): GrantRow) -> Grant {
    Grant { user_id, plan_id, body, valid_until, granted_at }
}

impl Store {
    /// The grant of account `user_id`, if it has one.
    pub(crate) async fn evaluator_grant(&self, user_id: i64) -> Result<Option<Grant>> {
        let row: Option<GrantRow> = sqlx::query_as(
            "SELECT user_id, plan_id, body, valid_until, granted_at FROM evaluator_grants WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(grant_of))
    }

    /// The office grants an evaluator's account plan `plan_id` until a day
    /// (a later grant replaces the earlier one; both are audited).
    pub async fn grant_evaluator(&self, actor: &Actor, plan_id: i64, new: &NewGrant, now: i64) -> Result<Grant> {
        actor.require(Action::Assess)?;
        self.live_plan(plan_id).await?;
        let body = new.body.trim();
        check::not_empty("body", body)?;
        check::max_chars("body", body, check::SHORT)?;
        let until: Date = new.valid_until.trim().parse().map_err(|_| {
            StoreError::invalid("valid_until", Reason::NotADate { value: new.valid_until.chars().take(20).collect() })
        })?;
        let today = date_of(now);
        if until < today {
            return Err(StoreError::invalid(
                "valid_until",
                Reason::DateNotAfter { date: until.to_string(), after: today.to_string() },
            ));
        }
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(new.username.trim())
            .fetch_optional(self.pool())
            .await?;
        let user = match id {
            Some(id) => self.user(id).await?,
            None => {
                let value = new.username.chars().take(40).collect();
                return Err(StoreError::invalid(
                    "username",
                    Reason::NotOneOf { value, allowed: Role::Evaluator.label().into() },
                ));
            }
        };
        if !user.roles.contains(&Role::Evaluator) {
            return Err(StoreError::invalid(
                "username",
                Reason::NotOneOf { value: user.username.clone(), allowed: Role::Evaluator.label().into() },
            ));
        }
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM evaluator_grants WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO evaluator_grants (user_id, plan_id, body, valid_until, granted_at, granted_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user.id)
        .bind(plan_id)
        .bind(body)
        .bind(until.to_string())
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"plan": plan_id, "user": user.username, "body": body,
            "valid_until": until.to_string()})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("grant_evaluator", &format!("user:{}", user.id), &detail), now).await?;
        tx.commit().await?;
        Ok(Grant { user_id: user.id, plan_id, body: body.into(), valid_until: until.to_string(), granted_at: now })
    }

    /// Plan `plan_id`'s evaluation.
    pub async fn evaluation(&self, actor: &Actor, plan_id: i64) -> Result<Evaluation> {
        actor.require(Action::ReadPlans)?;
        actor.reaches_plan(plan_id)?;
        self.live_plan(plan_id).await?;
        let grants: Vec<GrantRow> = sqlx::query_as(
            "SELECT user_id, plan_id, body, valid_until, granted_at FROM evaluator_grants WHERE plan_id = $1 ORDER BY user_id",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        let reports = self.evidence_files(FileOwner::Evaluation, plan_id).await?.remove(&plan_id).unwrap_or_default();
        let findings: Vec<Finding> = sqlx::query_as(
            "SELECT id, plan_id, report_file, finding, created_at, answer, answered_at FROM evaluation_findings \
             WHERE plan_id = $1 ORDER BY id",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        Ok(Evaluation { plan_id, grants: grants.into_iter().map(grant_of).collect(), reports, findings })
    }

    /// The evaluator (or the office, from a report on paper) states a finding.
    pub async fn add_evaluation_finding(
        &self,
        actor: &Actor,
        plan_id: i64,
        finding: &str,
        report_file: Option<i64>,
        now: i64,
    ) -> Result<Finding> {
        if !actor.may(Action::Assess) {
            actor.require(Action::Evaluate)?;
        }
        actor.reaches_plan(plan_id)?;
        self.live_plan(plan_id).await?;
        let finding = finding.trim();
        check::not_empty("finding", finding)?;
        check::max_chars("finding", finding, check::LONG)?;
        if let Some(f) = report_file {
            let of_plan: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM assessment_files WHERE id = $1 AND owner_kind = 'evaluation' AND owner_id = $2",
            )
            .bind(f)
            .bind(plan_id)
            .fetch_optional(self.pool())
            .await?;
            if of_plan.is_none() {
                return Err(StoreError::invalid("report_file", Reason::Missing { object: Object::Attachment, id: f }));
            }
        }
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO evaluation_findings (plan_id, report_file, finding, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(plan_id)
        .bind(report_file)
        .bind(finding)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let detail = serde_json::json!({"plan": plan_id, "finding": finding}).to_string();
        self.audit(&mut tx, actor, Event::ok("add_evaluation_finding", &format!("plan:{plan_id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(Finding {
            id,
            plan_id,
            report_file,
            finding: finding.into(),
            created_at: now,
            answer: None,
            answered_at: None,
        })
    }

    /// The office answers a finding (a later answer replaces it; each is audited).
    pub async fn answer_evaluation_finding(&self, actor: &Actor, id: i64, answer: &str, now: i64) -> Result<Finding> {
        actor.require(Action::Assess)?;
        let answer = answer.trim();
        check::not_empty("answer", answer)?;
        check::max_chars("answer", answer, check::LONG)?;
        let mut tx = self.write().await?;
        let row: Option<Finding> = sqlx::query_as(
            "UPDATE evaluation_findings SET answer = $1, answered_at = $2, answered_by = $3 WHERE id = $4 \
             RETURNING id, plan_id, report_file, finding, created_at, answer, answered_at",
        )
        .bind(answer)
        .bind(now)
        .bind(actor.user_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let row = row.ok_or_else(|| StoreError::not_found(Object::EvaluationFinding, id))?;
        let detail = serde_json::json!({"finding": id, "answer": answer}).to_string();
        self.audit(
            &mut tx,
            actor,
            Event::ok("answer_evaluation_finding", &format!("plan:{}", row.plan_id), &detail),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }
}
