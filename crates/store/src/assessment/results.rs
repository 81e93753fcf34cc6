//! A plan's year scored: the facts of every assessed unit gathered from
//! what the year holds — the targets, tasks and projects judged at the
//! year's last period whose reports are due, the monthly reports owed and how they were
//! filed, the supervision items led (late, returned), the office's entries,
//! the self-assessments — scored by the year's scheme, ranked and graded by
//! `bighealth_rules::scoring`. The same data give the same result on either
//! backend. Publishing keeps the result and its 通报 files unchanged and
//! opens a 限期整改 item for each unit the rules name.

use super::SchemeVersion;
use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::issued::{Issued, ReportFile};
use crate::supervision::items::Opening;
use bighealth_rules::calendar::date_of;
use bighealth_rules::check;
use bighealth_rules::reporting::Period;
use bighealth_rules::scoring::Scheme;
use bighealth_rules::scoring::rank::{Grade, Place, Ranked, group_of, places};
use bighealth_rules::scoring::score::{
    EntryFact, Filed, ItemFact, ReportFact, Score, TargetFact, TaskFact, UnitFacts, score,
};
use bighealth_rules::supervision::{Level, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// A unit's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitResult {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The group it is ranked in.
    pub group: String,
    /// Its score, item by item.
    pub score: Score,
    /// Its rank and grade.
    pub place: Place,
    /// Its latest self-assessment's total, if it submitted one.
    pub self_total: Option<f64>,
    /// That self-assessment.
    pub self_assessment_id: Option<i64>,
}

/// A published result's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Published {
    /// Its id.
    pub id: i64,
    /// The 通报's number (`健考〔2027〕1号`).
    pub number: String,
    /// When (ms).
    pub published_at: i64,
    /// The 通报's files.
    pub files: Vec<ReportFile>,
    /// The 限期整改 items it opened (their numbers).
    pub rectification: Vec<String>,
}

/// A plan's year assessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Assessment {
    /// The plan.
    pub plan_id: i64,
    /// Its title.
    pub title: Option<String>,
    /// The year.
    pub year: i64,
    /// The period the statuses were judged at (the year's last one due).
    pub period: Period,
    /// The scheme's version (0: the defaults).
    pub scheme_version: i64,
    /// The scheme.
    pub scheme: Scheme,
    /// Every unit, group by group, the first first.
    pub units: Vec<UnitResult>,
    /// Set once the result is published: it is then read as published.
    pub published: Option<Published>,
}

impl Assessment {
    /// The unit `id`'s result.
    pub fn unit(&self, id: i64) -> Option<&UnitResult> {
        self.units.iter().find(|u| u.unit_id == id)
    }

    /// How many units each grade has.
    pub fn grade_counts(&self) -> Vec<(Grade, usize)> {
        Grade::ALL.iter().map(|g| (*g, self.units.iter().filter(|u| u.place.grade == *g).count())).collect()
    }
}

type ItemRow = (i64, String, String, i64, String, String, Option<i64>, i64);

impl Store {
    /// Plan `plan_id`'s `year` assessed: as published, if it is; else
    /// scored now from what the year holds.
    pub async fn assessment(&self, actor: &Actor, plan_id: i64, year: i64, now: i64) -> Result<Assessment> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        check::plan_year("year", year)?;
        if let Some(a) = self.published_assessment(plan_id, year).await? {
            return Ok(a);
        }
        let version = self.scoring_scheme(actor, plan_id, year).await?;
        self.score_year(plan_id, year, &version, now).await
    }

    /// The units assessed in plan `plan_id`'s `year`: every unit due to
    /// report in it, and every unit that led a supervision item of it.
    pub(crate) async fn assessed_units(&self, plan_id: i64, year: i64) -> Result<BTreeSet<i64>> {
        let (first, last) = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
        let units: Vec<i64> = sqlx::query_scalar(
            "SELECT unit_id FROM report_assignments WHERE plan_id = $1 AND from_day < $3 \
             AND (until_day IS NULL OR until_day > $2) \
             UNION SELECT lead_unit FROM supervision_items WHERE plan_id = $1 AND year = $4",
        )
        .bind(plan_id)
        .bind(&first)
        .bind(&last)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        Ok(units.into_iter().collect())
    }

    async fn score_year(&self, plan_id: i64, year: i64, version: &SchemeVersion, now: i64) -> Result<Assessment> {
        self.ensure_assignments(plan_id, now).await?;
        let schedule = self.reporting_schedule(plan_id).await?;
        let holidays = self.holidays();
        let today = date_of(now);
        let periods = schedule.periods_of_year(year as i16, &holidays);
        // The year's last period whose reports are due (its on-time day
        // passed), else the last ended, else the first.
        let period = periods
            .iter()
            .rev()
            .find(|p| p.on_time_until < today)
            .or_else(|| periods.iter().rev().find(|p| p.end < today))
            .or(periods.first())
            .cloned()
            .ok_or_else(|| StoreError::invalid("year", Reason::NotAPlanYear { year }))?;
        let mut facts: BTreeMap<i64, UnitFacts> = BTreeMap::new();
        for unit in self.assessed_units(plan_id, year).await? {
            facts.insert(unit, UnitFacts::default());
        }

        // Targets, tasks and projects at that period.
        let status = self.judge_plan(plan_id, &period, false).await?;
        for item in status.items {
            let Some(f) = item.unit_id.and_then(|u| facts.get_mut(&u)) else { continue };
            let j = item.judgement;
            match item.kind.as_str() {
                "target" => f.targets.push(TargetFact {
                    id: item.item_id,
                    title: item.title,
                    status: j.status,
                    progress: j.progress,
                    reason: j.reason,
                }),
                kind => f.tasks.push(TaskFact {
                    kind: kind.into(),
                    id: item.item_id,
                    title: item.title,
                    status: j.status,
                    reason: j.reason,
                }),
            }
        }
        for f in facts.values_mut() {
            f.targets.sort_by_key(|t| t.id);
            f.tasks.sort_by(|a, b| (&a.kind, a.id).cmp(&(&b.kind, b.id)));
        }

        // The monthly reports owed, counted once their on-time day passed.
        for owed in self.filings(plan_id, year, now).await?.into_iter().filter(|f| f.counted) {
            for (unit, e) in owed.units {
                let filed = match e.filed_on {
                    Some(day) if day <= e.on_time_until => Filed::Timely,
                    Some(_) => Filed::Late,
                    None => Filed::Missing,
                };
                if let Some(f) = facts.get_mut(&unit) {
                    f.reports.push(ReportFact {
                        period: owed.period.key.clone(),
                        label: owed.period.label.clone(),
                        filed,
                    });
                }
            }
        }

        // The supervision items led: late (closed after the deadline, or
        // open past it), and the times sent back.
        let rows: Vec<ItemRow> = sqlx::query_as(
            "SELECT i.id, i.number, i.title, i.lead_unit, i.due, i.state, i.closed_at, \
             (SELECT COUNT(*) FROM supervision_steps s WHERE s.item_id = i.id AND s.step = 'return') \
             FROM supervision_items i WHERE i.plan_id = $1 AND i.year = $2 ORDER BY i.id",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        for (id, number, title, unit, due, state, closed_at, returned) in rows {
            let finished = matches!(state.as_str(), "closed" | "archived");
            let done_on = match closed_at {
                Some(at) if finished => date_of(at).to_string(),
                _ => today.to_string(),
            };
            let late = done_on > due;
            if let Some(f) = facts.get_mut(&unit) {
                f.items.push(ItemFact { id, number, title, late, returned });
            }
        }

        // The office's live entries.
        let entries: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT id, unit_id, entry, reason FROM assessment_entries \
             WHERE plan_id = $1 AND year = $2 AND withdrawn_at IS NULL ORDER BY id",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        for (id, unit, entry, reason) in entries {
            if let (Some(f), Ok(entry)) = (facts.get_mut(&unit), serde_json::from_str(&entry)) {
                f.entries.push(EntryFact { id, entry, reason });
            }
        }

        // The latest self-assessment of each unit.
        let selves: Vec<(i64, i64, f64)> = sqlx::query_as(
            "SELECT id, unit_id, total FROM self_assessments WHERE plan_id = $1 AND year = $2 ORDER BY id",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_all(self.pool())
        .await?;
        let selves: BTreeMap<i64, (i64, f64)> = selves.into_iter().map(|(id, u, t)| (u, (id, t))).collect();

        let names: BTreeMap<i64, (String, String)> = {
            let ids: Vec<String> = facts.keys().map(i64::to_string).collect();
            let rows: Vec<(i64, String, String)> = if ids.is_empty() {
                vec![]
            } else {
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT id, name, kind FROM units WHERE id IN ({})",
                    ids.join(", ")
                )))
                .fetch_all(self.pool())
                .await?
            };
            rows.into_iter().map(|(id, name, kind)| (id, (name, kind))).collect()
        };
        let scheme = &version.scheme;
        // The child plans' offices answer for their regions.
        let offices = self.child_offices(plan_id).await?;
        let scored: Vec<(i64, String, String, Score)> = facts
            .iter()
            .map(|(unit, f)| {
                let (name, kind) = names.get(unit).cloned().unwrap_or_default();
                (*unit, name, group_of(&kind, offices.contains(unit)).to_string(), score(scheme, f))
            })
            .collect();
        let ranked: Vec<Ranked> = scored
            .iter()
            .map(|(_, _, group, s)| Ranked { group: group.clone(), total: s.total, vetoed: s.veto.is_some() })
            .collect();
        let mut units: Vec<UnitResult> = scored
            .into_iter()
            .zip(places(scheme, &ranked))
            .map(|((unit_id, unit_name, group, score), place)| UnitResult {
                self_total: selves.get(&unit_id).map(|s| s.1),
                self_assessment_id: selves.get(&unit_id).map(|s| s.0),
                unit_id,
                unit_name,
                group,
                score,
                place,
            })
            .collect();
        units.sort_by(|a, b| (&a.group, a.place.rank, a.unit_id).cmp(&(&b.group, b.place.rank, b.unit_id)));
        let title: Option<String> =
            sqlx::query_scalar("SELECT title FROM plans WHERE id = $1").bind(plan_id).fetch_one(self.pool()).await?;
        Ok(Assessment {
            plan_id,
            title,
            year,
            period,
            scheme_version: version.version,
            scheme: version.scheme.clone(),
            units,
            published: None,
        })
    }

    /// The number the 通报 of plan `plan_id`'s `year` takes.
    pub async fn next_assessment_number(&self, plan_id: i64, year: i64) -> Result<String> {
        let published: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assessment_results WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(self.pool())
            .await?;
        Ok(format!("健考〔{}〕{}号", year + 1, published + 1))
    }

    /// The office publishes `result` (scored by [`Store::assessment`] a
    /// moment before) with its 通报 files: kept unchanged from now on, the
    /// year's scheme and entries frozen, and a 限期整改 item opened for every
    /// unit the rules name (every 不合格 one, the last of each group).
    #[allow(clippy::too_many_arguments)]
    pub async fn publish_assessment(
        &self,
        actor: &Actor,
        result: &Assessment,
        number: &str,
        files: &[(&str, Vec<u8>)],
        now: i64,
    ) -> Result<Assessment> {
        actor.require(Action::Assess)?;
        let (plan_id, year) = (result.plan_id, result.year);
        self.live_plan(plan_id).await?;
        self.refuse_if_published(plan_id, year).await?;
        let scheme_id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM scoring_schemes WHERE plan_id = $1 AND year = $2 AND version = $3")
                .bind(plan_id)
                .bind(year)
                .bind(result.scheme_version)
                .fetch_optional(self.pool())
                .await?;
        let settings = self.supervision_settings(plan_id).await?;
        let today = date_of(now);
        let deadlines = settings.deadlines(today, &self.holidays());
        // A 不合格 unit files its 整改报告 within a month (CYCLE.md §3).
        let due = today.checked_add(jiff::Span::new().months(1)).unwrap_or(deadlines.fix);
        let mut tx = self.write().await?;
        let mut rectification = Vec::new();
        for u in result.units.iter().filter(|u| u.place.rectify) {
            let grade = u.place.grade.label();
            let title = format!("{year}年度考核{grade}整改：{}", u.unit_name);
            let body = format!(
                "{}在{year}年度考核中得分 {}，在{}中排名第 {}（共 {} 个），等次为{grade}。请对照考核扣分事项逐项整改，并于 {} 前报送整改报告。",
                u.unit_name,
                bighealth_rules::labels::number(u.score.total),
                u.group,
                u.place.rank,
                u.place.of,
                bighealth_rules::supervision::date_zh(due)
            );
            let cause = format!("assessment:{year}:{}", u.unit_id);
            let level = if u.place.grade == Grade::Fail { Level::Orange } else { Level::Yellow };
            let opening = Opening {
                plan_id,
                source: Source::Assessment,
                reference: Some(number),
                rule: None,
                cause: Some(&cause),
                item_kind: None,
                item_id: None,
                title: &title,
                body: &body,
                requirement: Some("限期整改，按时报送整改报告"),
                lead_unit: u.unit_id,
                helpers: &[],
                leader_id: settings.leader_id,
                urgency: "normal",
                level,
                period: None,
                sign_due: deadlines.sign.min(due),
                plan_due: deadlines.plan.min(due),
                due,
            };
            let (_, item_number) = self.insert_item(&mut tx, actor, &settings, &opening, now).await?;
            rectification.push(item_number);
        }
        let published = Published { id: 0, number: number.into(), published_at: now, files: vec![], rectification };
        let mut kept = result.clone();
        kept.published = Some(published);
        let text = serde_json::to_string(&kept).map_err(|_| StoreError::invalid("result", Reason::Internal {}))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_results (plan_id, year, scheme_id, number, result, published_at, published_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(plan_id)
        .bind(year)
        .bind(scheme_id)
        .bind(number)
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let hashes = self.keep_files(&mut tx, Issued::Assessment, id, files).await?;
        let detail = serde_json::json!({"plan": plan_id, "year": year, "number": number,
            "scheme_version": result.scheme_version, "files": hashes,
            "rectification": kept.published.as_ref().map(|p| &p.rectification)})
        .to_string();
        self.audit(&mut tx, actor, Event::ok("publish_assessment", &format!("assessment:{id}"), &detail), now).await?;
        tx.commit().await?;
        self.published_assessment(plan_id, year)
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Assessment, format!("{plan_id}/{year}")))
    }

    /// The office withdraws a published result (a ruling against it, a
    /// mistake found): it stays, marked, and the year can be scored again.
    pub async fn withdraw_assessment(
        &self,
        actor: &Actor,
        plan_id: i64,
        year: i64,
        reason: &str,
        now: i64,
    ) -> Result<()> {
        actor.require(Action::Assess)?;
        self.live_plan(plan_id).await?;
        let reason = reason.trim();
        check::not_empty("reason", reason)?;
        check::max_chars("reason", reason, check::LONG)?;
        let mut tx = self.write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE assessment_results SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 \
             WHERE plan_id = $4 AND year = $5 AND withdrawn_at IS NULL RETURNING id",
        )
        .bind(now)
        .bind(actor.user_id)
        .bind(reason)
        .bind(plan_id)
        .bind(year)
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or_else(|| StoreError::not_found(Object::Assessment, format!("{plan_id}/{year}")))?;
        let detail = serde_json::json!({"reason": reason}).to_string();
        self.audit(&mut tx, actor, Event::ok("withdraw_assessment", &format!("assessment:{id}"), &detail), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live published result of plan `plan_id`'s `year`, as published.
    pub(crate) async fn published_assessment(&self, plan_id: i64, year: i64) -> Result<Option<Assessment>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, result FROM assessment_results WHERE plan_id = $1 AND year = $2 AND withdrawn_at IS NULL",
        )
        .bind(plan_id)
        .bind(year)
        .fetch_optional(self.pool())
        .await?;
        let Some((id, text)) = row else { return Ok(None) };
        let mut a: Assessment =
            serde_json::from_str(&text).map_err(|_| StoreError::invalid("result", Reason::Internal {}))?;
        let files = self.kept_files(Issued::Assessment, id).await?;
        if let Some(p) = a.published.as_mut() {
            p.id = id;
            p.files = files;
        }
        Ok(Some(a))
    }

    /// A file of the live published 通报 of plan `plan_id`'s `year`, byte for byte.
    pub async fn assessment_result_file(
        &self,
        actor: &Actor,
        plan_id: i64,
        year: i64,
        format: &str,
    ) -> Result<(Assessment, Vec<u8>)> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        let a = self
            .published_assessment(plan_id, year)
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Assessment, format!("{plan_id}/{year}")))?;
        let id = a.published.as_ref().map(|p| p.id).unwrap_or_default();
        let bytes = self.kept_file(Issued::Assessment, id, format).await?;
        let bytes = bytes.ok_or_else(|| StoreError::not_found(Object::Assessment, format!("{plan_id}/{year}")))?;
        Ok((a, bytes))
    }
}
