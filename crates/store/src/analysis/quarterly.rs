//! The quarterly analysis (季度运行分析) in the store, of a plan or of a
//! region (its plans and its statistics together): the office's paragraphs
//! while it drafts a quarter (one draft per plan or region and quarter,
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
    /// Its id (among its kind's: plans' or regions').
    pub id: i64,
    /// The plan, for a plan's analysis.
    pub plan_id: Option<i64>,
    /// The region (GB/T 2260), for a region's analysis.
    pub region: Option<String>,
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

/// Whose quarterly analysis it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A plan's.
    Plan(i64),
    /// A region's (GB/T 2260 code): its plans' progress and its statistics.
    Region(String),
}

/// Which analyses: plans' or regions'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plans'.
    Plan,
    /// Regions'.
    Region,
}

impl Kind {
    /// The table and the column of the subject.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Kind::Plan => ("analysis_reports", "plan_id"),
            Kind::Region => ("region_analysis_reports", "region"),
        }
    }

    fn issued(self) -> Issued {
        match self {
            Kind::Plan => Issued::QuarterReport,
            Kind::Region => Issued::RegionQuarterReport,
        }
    }
}

impl Subject {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Subject::Plan(_) => Kind::Plan,
            Subject::Region(_) => Kind::Region,
        }
    }

    /// The subject as bound: text, read back as the column's type by [`Subject::param`].
    fn key(&self) -> String {
        match self {
            Subject::Plan(id) => id.to_string(),
            Subject::Region(code) => code.clone(),
        }
    }

    /// Placeholder `$n` as the column's type.
    fn param(&self, n: u8) -> String {
        match self {
            Subject::Plan(_) => format!("CAST(${n} AS BIGINT)"),
            Subject::Region(_) => format!("${n}"),
        }
    }

    /// The audit log's object (`plan:2`, `region:500114`).
    pub fn object(&self) -> String {
        match self {
            Subject::Plan(id) => format!("plan:{id}"),
            Subject::Region(code) => format!("region:{code}"),
        }
    }
}

type ReportRow = (i64, String, String, Option<String>, String, Option<i64>, Option<i64>);

impl Store {
    /// Refuses a plan deleted or unknown, a region unknown.
    async fn check_subject(&self, subject: &Subject) -> Result<()> {
        match subject {
            Subject::Plan(id) => self.live_plan(*id).await.map(|_| ()),
            Subject::Region(code) => self.region(code).await.map(|_| ()),
        }
    }

    /// The office's saved paragraphs of a quarter's draft, if it saved any.
    pub async fn quarter_narrative(
        &self,
        actor: &Actor,
        subject: &Subject,
        quarter: &str,
    ) -> Result<Option<Narrative>> {
        actor.require(Action::ReadPlans)?;
        self.check_subject(subject).await?;
        let q = Quarter::parse(quarter)?;
        let (table, column) = subject.kind().table();
        let text: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT narrative FROM {table} WHERE {column} = {} AND quarter = $2 AND state = 'draft'",
            subject.param(1)
        )))
        .bind(subject.key())
        .bind(q.key())
        .fetch_optional(self.pool())
        .await?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// The office saves the paragraphs of a quarter's draft (audited, the old ones kept in the row).
    pub async fn save_quarter_narrative(
        &self,
        actor: &Actor,
        subject: &Subject,
        quarter: &str,
        narrative: &Narrative,
        now: i64,
    ) -> Result<Narrative> {
        actor.require(Action::ReviewReports)?;
        self.check_subject(subject).await?;
        let q = Quarter::parse(quarter)?;
        narrative.check()?;
        let old = self.quarter_narrative(actor, subject, quarter).await?;
        let text =
            serde_json::to_string(narrative).map_err(|_| StoreError::invalid("narrative", Reason::Internal {}))?;
        let (table, column) = subject.kind().table();
        let mut tx = self.write().await?;
        self.drop_draft(&mut tx, subject, &q).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} ({column}, quarter, state, narrative, updated_at, updated_by) \
             VALUES ({}, $2, 'draft', $3, $4, $5)",
            subject.param(1)
        )))
        .bind(subject.key())
        .bind(q.key())
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"quarter": q.key(), "old": old, "new": narrative}).to_string();
        self.audit(&mut tx, actor, Event::ok("save_quarter_narrative", &subject.object(), &detail), now).await?;
        tx.commit().await?;
        Ok(narrative.clone())
    }

    async fn drop_draft(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        subject: &Subject,
        q: &Quarter,
    ) -> Result<()> {
        let (table, column) = subject.kind().table();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE {column} = {} AND quarter = $2 AND state = 'draft'",
            subject.param(1)
        )))
        .bind(subject.key())
        .bind(q.key())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The number the next analysis of `subject` in `year` takes.
    pub async fn next_quarter_number(&self, subject: &Subject, year: i16) -> Result<String> {
        let (table, column) = subject.kind().table();
        let issued: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE {column} = {} AND state = 'issued' AND quarter LIKE $2",
            subject.param(1)
        )))
        .bind(subject.key())
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
        subject: &Subject,
        quarter: &str,
        number: &str,
        narrative: &Narrative,
        files: &[(&str, Vec<u8>)],
        now: i64,
    ) -> Result<QuarterReport> {
        actor.require(Action::ReviewReports)?;
        self.check_subject(subject).await?;
        let q = Quarter::parse(quarter)?;
        narrative.check()?;
        let text =
            serde_json::to_string(narrative).map_err(|_| StoreError::invalid("narrative", Reason::Internal {}))?;
        let kind = subject.kind();
        let (table, column) = kind.table();
        let mut tx = self.write().await?;
        self.drop_draft(&mut tx, subject, &q).await?;
        let id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} ({column}, quarter, state, number, narrative, updated_at, updated_by, issued_at, issued_by) \
             VALUES ({}, $2, 'issued', $3, $4, $5, $6, $5, $6) RETURNING id",
            subject.param(1)
        )))
        .bind(subject.key())
        .bind(q.key())
        .bind(number)
        .bind(&text)
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        let hashes = self.keep_files(&mut tx, kind.issued(), id, files).await?;
        let detail = serde_json::json!({"quarter": q.key(), "number": number, "files": hashes,
            "of": subject.object()})
        .to_string();
        let object = match kind {
            Kind::Plan => format!("analysis_report:{id}"),
            Kind::Region => format!("region_analysis_report:{id}"),
        };
        self.audit(&mut tx, actor, Event::ok("issue_quarter_report", &object, &detail), now).await?;
        tx.commit().await?;
        self.quarter_report(actor, kind, id).await
    }

    /// One issued analysis of its kind.
    pub async fn quarter_report(&self, actor: &Actor, kind: Kind, id: i64) -> Result<QuarterReport> {
        actor.require(Action::ReadPlans)?;
        let rows = self.report_rows(kind, "id = CAST($1 AS BIGINT)", &id.to_string()).await?;
        let row = rows.into_iter().next().ok_or_else(|| StoreError::not_found(Object::AnalysisReport, id))?;
        self.report_of(kind, row).await
    }

    /// The issued analyses of `subject`, the newest first.
    pub async fn quarter_reports(&self, actor: &Actor, subject: &Subject) -> Result<Vec<QuarterReport>> {
        actor.require(Action::ReadPlans)?;
        self.check_subject(subject).await?;
        let (_, column) = subject.kind().table();
        let rows =
            self.report_rows(subject.kind(), &format!("{column} = {}", subject.param(1)), &subject.key()).await?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.report_of(subject.kind(), row).await?);
        }
        Ok(out)
    }

    /// The issued rows of `kind` where `condition` holds of `$1` (`key`), the newest first.
    async fn report_rows(&self, kind: Kind, condition: &str, key: &str) -> Result<Vec<ReportRow>> {
        let (table, column) = kind.table();
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, CAST({column} AS TEXT), quarter, number, narrative, issued_at, issued_by FROM {table} \
             WHERE {condition} AND state = 'issued' ORDER BY issued_at DESC, id DESC"
        )))
        .bind(key)
        .fetch_all(self.pool())
        .await?)
    }

    /// A file of an issued analysis, as issued: its bytes and its report.
    pub async fn quarter_report_file(
        &self,
        actor: &Actor,
        kind: Kind,
        id: i64,
        format: &str,
    ) -> Result<(QuarterReport, Vec<u8>)> {
        let report = self.quarter_report(actor, kind, id).await?;
        let bytes = self.kept_file(kind.issued(), id, format).await?;
        let bytes = bytes.ok_or_else(|| StoreError::not_found(Object::AnalysisReport, id))?;
        Ok((report, bytes))
    }

    async fn report_of(
        &self,
        kind: Kind,
        (id, subject, quarter, number, narrative, issued_at, issued_by): ReportRow,
    ) -> Result<QuarterReport> {
        let files = self.kept_files(kind.issued(), id).await?;
        let (plan_id, region) = match kind {
            Kind::Plan => (subject.parse().ok(), None),
            Kind::Region => (None, Some(subject)),
        };
        Ok(QuarterReport {
            id,
            plan_id,
            region,
            quarter,
            number: number.unwrap_or_default(),
            narrative: serde_json::from_str(&narrative).unwrap_or_default(),
            issued_at: issued_at.unwrap_or_default(),
            issued_by,
            files,
        })
    }
}
