//! Public disclosure (政务公开): what of a plan the office makes public, and
//! the public page built from it for anyone, without a login — the
//! targets with their status and its sentence of figures, the projects with
//! their investment this year, the tasks counted by status, the grades of a
//! published assessment. Built from statuses and figures only: no person,
//! no contact, no report's text, no internal note ever reaches it.

use crate::access::{Action, Actor};
use crate::db::Store;
use crate::error::{Object, Result, StoreError};
use crate::plan_settings::SettingsTable;
use bighealth_rules::analysis::Status;
use bighealth_rules::calendar::date_of;
use bighealth_rules::disclosure::Settings;
use serde::Serialize;
use utoipa::ToSchema;

/// A plan the public may read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPlanSummary {
    /// The plan.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its region's name.
    pub region: String,
}

/// A target as the public reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicTarget {
    /// What it is.
    pub title: String,
    /// Its status.
    pub status: Status,
    /// The status's name.
    pub status_label: String,
    /// Its colour.
    pub colour: String,
    /// The sentence of figures behind it.
    pub reason: String,
}

/// A project as the public reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicProject {
    /// Its name.
    pub name: String,
    /// Its status.
    pub status_label: String,
    /// Its colour.
    pub colour: String,
    /// Invested this year so far, 万元.
    pub invested: Option<f64>,
    /// Due by now this year, 万元.
    pub due: Option<f64>,
}

/// How many tasks stand in a status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCount {
    /// The status's name.
    pub label: String,
    /// Its colour.
    pub colour: String,
    /// How many.
    pub count: i64,
}

/// A unit's grade in a published assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicGrade {
    /// The unit (a public body).
    pub unit: String,
    /// Its group.
    pub group: String,
    /// Its total.
    pub total: f64,
    /// Its grade.
    pub grade: String,
}

/// A published assessment as the public reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicAssessment {
    /// The year assessed.
    pub year: i64,
    /// Each unit's total and grade.
    pub grades: Vec<PublicGrade>,
}

/// A plan's public page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPlan {
    /// The plan.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its region's name.
    pub region: String,
    /// The office's words at the top.
    pub intro: String,
    /// The period the statuses are at (2026年10月).
    pub period: String,
    /// The targets, when public.
    pub targets: Option<Vec<PublicTarget>>,
    /// The projects, when public.
    pub projects: Option<Vec<PublicProject>>,
    /// The tasks by status, when public.
    pub tasks: Option<Vec<PublicCount>>,
    /// The latest published assessment's year and grades, when public.
    pub assessment: Option<PublicAssessment>,
}

impl Store {
    /// What of plan `plan_id` is public.
    pub async fn disclosure(&self, actor: &Actor, plan_id: i64) -> Result<Settings> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        self.plan_settings(SettingsTable::Disclosure, plan_id).await
    }

    /// The office sets what of plan `plan_id` is public (audited).
    pub async fn set_disclosure(&self, actor: &Actor, plan_id: i64, settings: &Settings, now: i64) -> Result<Settings> {
        actor.require(Action::ManagePlans)?;
        self.live_plan(plan_id).await?;
        settings.check()?;
        let old: Settings = self.plan_settings(SettingsTable::Disclosure, plan_id).await?;
        self.set_plan_settings(actor, SettingsTable::Disclosure, plan_id, &old, settings, "set_disclosure", now)
            .await?;
        Ok(settings.clone())
    }

    /// The plans with a public page, for anyone.
    pub async fn public_plans(&self) -> Result<Vec<PublicPlanSummary>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT d.plan_id, d.settings FROM disclosure_settings d JOIN plans p ON p.id = d.plan_id \
             WHERE p.deleted_at IS NULL ORDER BY d.plan_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for (id, text) in rows {
            let public = serde_json::from_str::<Settings>(&text).is_ok_and(|s| s.public);
            if public {
                let plan = self.plan(id).await?;
                out.push(PublicPlanSummary { id, title: plan.name().to_string(), region: plan.region_name.clone() });
            }
        }
        Ok(out)
    }

    /// Plan `plan_id`'s public page, for anyone; a plan the office has not
    /// made public is not found, as if it did not exist.
    pub async fn public_plan(&self, plan_id: i64, now: i64) -> Result<PublicPlan> {
        let settings: Settings = self.plan_settings(SettingsTable::Disclosure, plan_id).await?;
        let hidden = || StoreError::not_found(Object::Plan, plan_id);
        if !settings.public || self.live_plan(plan_id).await.is_err() {
            return Err(hidden());
        }
        let plan = self.plan(plan_id).await?;
        let schedule = self.reporting_schedule(plan_id).await?;
        let period = schedule.period_to_report(date_of(now), &self.holidays());
        self.ensure_assignments(plan_id, now).await?;
        let status = self.judge_plan(plan_id, &period, !settings.projects && !settings.tasks).await?;
        let of_kind = |kind: &'static str| status.items.iter().filter(move |i| i.kind == kind);
        let targets = settings.targets.then(|| {
            of_kind("target")
                .map(|i| PublicTarget {
                    title: i.title.clone(),
                    status: i.judgement.status,
                    status_label: i.judgement.status.label().into(),
                    colour: i.judgement.status.colour().into(),
                    reason: i.judgement.reason.clone(),
                })
                .collect()
        });
        let projects = settings.projects.then(|| {
            of_kind("project")
                .map(|i| PublicProject {
                    name: i.title.clone(),
                    status_label: i.judgement.status.label().into(),
                    colour: i.judgement.status.colour().into(),
                    invested: i.judgement.actual,
                    due: i.judgement.expected,
                })
                .collect()
        });
        let tasks = settings.tasks.then(|| {
            status
                .kinds
                .iter()
                .filter(|k| k.kind == "task")
                .flat_map(|k| k.counts.iter())
                .filter(|c| c.count > 0)
                .map(|c| PublicCount { label: c.label.clone(), colour: c.status.colour().into(), count: c.count })
                .collect()
        });
        let assessment = if settings.assessment {
            let year: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(year) FROM assessment_results WHERE plan_id = $1 AND withdrawn_at IS NULL",
            )
            .bind(plan_id)
            .fetch_one(self.pool())
            .await?;
            match year {
                Some(y) => {
                    let a = self.published_assessment(plan_id, y).await?.ok_or_else(hidden)?;
                    let grades = a
                        .units
                        .iter()
                        .map(|u| PublicGrade {
                            unit: u.unit_name.clone(),
                            group: u.group.clone(),
                            total: u.score.total,
                            grade: u.place.grade.label().into(),
                        })
                        .collect();
                    Some(PublicAssessment { year: y, grades })
                }
                None => None,
            }
        } else {
            None
        };
        Ok(PublicPlan {
            id: plan_id,
            title: plan.name().to_string(),
            region: plan.region_name.clone(),
            intro: settings.intro,
            period: period.label,
            targets,
            projects,
            tasks,
            assessment,
        })
    }
}
