//! The quarterly analysis (季度运行分析) in the store: the office's
//! paragraphs while it drafts a quarter (one draft per plan and quarter,
//! every save audited), and each issued version with its number and its
//! files (.docx, .xlsx, .pdf with their SHA-256), kept unchanged and listed.
//! The documents themselves are written by `bighealth-documents`; the store
//! keeps what was issued.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::issued::Issued;
use bighealth_rules::analysis::quarter::Quarter;
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The paragraphs the office writes (and may rewrite) before issuing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// 导语: the verdict in a sentence or two.
    pub lead: String,
    /// 存在问题.
    pub problems: String,
    /// 下步工作建议.
    pub suggestions: String,
}

impl Narrative {
    fn check(&self) -> Result<()> {
        for (field, text) in [("lead", &self.lead), ("problems", &self.problems), ("suggestions", &self.suggestions)] {
            check::not_empty(field, text)?;
            check::max_chars(field, text, check::LONG)?;
        }
        Ok(())
    }
}

/// An issued quarterly analysis.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuarterReport {
    /// Its id.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// The quarter (`2026-Q3`).
    pub quarter: String,
    /// Its number (`健析〔2026〕3号`).
    pub number: String,
    /// The paragraphs as issued.
    pub narrative: Narrative,
    /// When it was issued (ms).
    pub issued_at: i64,
    /// Who issued it.
    pub issued_by: Option<i64>,
    /// Its files: format and SHA-256.
    pub files: Vec<ReportFile>,
}

pub use crate::issued::ReportFile;

/// The formats an analysis is issued in.
pub const FORMATS: [&str; 3] = ["docx", "xlsx", "pdf"];

type ReportRow = (i64, i64, String, Option<String>, String, Option<i64>, Option<i64>);

impl Store {
    /// The office's saved paragraphs of a quarter's draft, if it saved any.
    pub async fn quarter_narrative(&self, actor: &Actor, plan_id: i64, quarter: &str) -> Result<Option<Narrative>> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        let q = Quarter::parse(quarter)?;
        let text: Option<String> = sqlx::query_scalar(
            "SELECT narrative FROM analysis_reports WHERE plan_id = $1 AND quarter = $2 AND state = 'draft'",
        )
        .bind(plan_id)
        .bind(q.key())
        .fetch_optional(self.pool())
        .await?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// The office saves the paragraphs of a quarter's draft (audited, the old ones kept in the row).
    pub async fn save_quarter_narrative(
        &self,
        actor: &Actor,
        plan_id: i64,
        quarter: &str,
        narrative: &Narrative,
        now: i64,
    ) -> Result<Narrative> {
        actor.require(Action::ReviewReports)?;
        self.live_plan(plan_id).await?;
        let q = Quarter::parse(quarter)?;
        narrative.check()?;
        let old = self.quarter_narrative(actor, plan_id, quarter).await?;
        let text =
            serde_json::to_string(narrative).map_err(|_| StoreError::invalid("narrative", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM analysis_reports WHERE plan_id = $1 AND quarter = $2 AND state = 'draft'")
            .bind(plan_id)
            .bind(q.key())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO analysis_reports (plan_id, quarter, state, narrative, updated_at, updated_by) \
             VALUES ($1, $2, 'draft', $3, $4, $5)",
        )
        .bind(plan_id)
        .bind(q.key())
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"quarter": q.key(), "old": old, "new": narrative}).to_string();
        self.audit(&mut tx, actor, Event::ok("save_quarter_narrative", &format!("plan:{plan_id}"), &detail), now)
            .await?;
        tx.commit().await?;
        Ok(narrative.clone())
    }

    /// The number the next analysis of plan `plan_id` in `year` takes.
    pub async fn next_quarter_number(&self, plan_id: i64, year: i16) -> Result<String> {
        let issued: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM analysis_reports WHERE plan_id = $1 AND state = 'issued' AND quarter LIKE $2",
        )
        .bind(plan_id)
        .bind(format!("{year}-Q%"))
        .fetch_one(self.pool())
        .await?;
        Ok(format!("健析〔{year}〕{}号", issued + 1))
    }

    /// The office issues a quarter's analysis: its number, paragraphs and
    /// files are kept unchanged from now on; the draft is done with.
    #[allow(clippy::too_many_arguments)]
    pub async fn issue_quarter_report(
        &self,
        actor: &Actor,
        plan_id: i64,
        quarter: &str,
        number: &str,
        narrative: &Narrative,
        files: &[(&str, Vec<u8>)],
        now: i64,
    ) -> Result<QuarterReport> {
        actor.require(Action::ReviewReports)?;
        self.live_plan(plan_id).await?;
        let q = Quarter::parse(quarter)?;
        narrative.check()?;
        let text =
            serde_json::to_string(narrative).map_err(|_| StoreError::invalid("narrative", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM analysis_reports WHERE plan_id = $1 AND quarter = $2 AND state = 'draft'")
            .bind(plan_id)
            .bind(q.key())
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO analysis_reports (plan_id, quarter, state, number, narrative, updated_at, updated_by, issued_at, issued_by) \
             VALUES ($1, $2, 'issued', $3, $4, $5, $6, $5, $6) RETURNING id",
        )
        .bind(plan_id)
        .bind(q.key())
        .bind(number)
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let hashes = self.keep_files(&mut tx, Issued::QuarterReport, id, files).await?;
        let detail = serde_json::json!({"quarter": q.key(), "number": number, "files": hashes}).to_string();
        self.audit(&mut tx, actor, Event::ok("issue_quarter_report", &format!("analysis_report:{id}"), &detail), now)
            .await?;
        tx.commit().await?;
        self.quarter_report(actor, id).await
    }

    /// One issued analysis.
    pub async fn quarter_report(&self, actor: &Actor, id: i64) -> Result<QuarterReport> {
        actor.require(Action::ReadPlans)?;
        let row: Option<ReportRow> = sqlx::query_as(
            "SELECT id, plan_id, quarter, number, narrative, issued_at, issued_by FROM analysis_reports \
             WHERE id = $1 AND state = 'issued'",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let row = row.ok_or_else(|| StoreError::not_found(Object::AnalysisReport, id))?;
        self.report_of(row).await
    }

    /// The issued analyses of plan `plan_id`, the newest first.
    pub async fn quarter_reports(&self, actor: &Actor, plan_id: i64) -> Result<Vec<QuarterReport>> {
        actor.require(Action::ReadPlans)?;
        self.live_plan(plan_id).await?;
        let rows: Vec<ReportRow> = sqlx::query_as(
            "SELECT id, plan_id, quarter, number, narrative, issued_at, issued_by FROM analysis_reports \
             WHERE plan_id = $1 AND state = 'issued' ORDER BY issued_at DESC, id DESC",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.report_of(row).await?);
        }
        Ok(out)
    }

    /// A file of an issued analysis, as issued: its bytes and its report.
    pub async fn quarter_report_file(&self, actor: &Actor, id: i64, format: &str) -> Result<(QuarterReport, Vec<u8>)> {
        let report = self.quarter_report(actor, id).await?;
        let bytes = self.kept_file(Issued::QuarterReport, id, format).await?;
        let bytes = bytes.ok_or_else(|| StoreError::not_found(Object::AnalysisReport, id))?;
        Ok((report, bytes))
    }

    async fn report_of(
        &self,
        (id, plan_id, quarter, number, narrative, issued_at, issued_by): ReportRow,
    ) -> Result<QuarterReport> {
        let files = self.kept_files(Issued::QuarterReport, id).await?;
        Ok(QuarterReport {
            id,
            plan_id,
            quarter,
            number: number.unwrap_or_default(),
            narrative: serde_json::from_str(&narrative).unwrap_or_default(),
            issued_at: issued_at.unwrap_or_default(),
            issued_by,
            files,
        })
    }
}
