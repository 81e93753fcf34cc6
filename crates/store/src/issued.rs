//! The files of an issued document — a quarterly analysis, a year's 通报 —
//! kept byte for byte with their SHA-256 beside the record that issued them,
//! listed and read back as they were issued.

use crate::db::Store;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};
use utoipa::ToSchema;

/// A file of an issued document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReportFile {
    /// `docx`, `xlsx` or `pdf`.
    pub format: String,
    /// Its SHA-256.
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
}

/// Where a kind of issued document keeps its files.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Issued {
    /// A quarterly analysis (`analysis_reports`).
    QuarterReport,
    /// A region's quarterly analysis (`region_analysis_reports`).
    RegionQuarterReport,
    /// A year's published assessment (`assessment_results`).
    Assessment,
}

impl Issued {
    /// The table and the column naming the record.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Issued::QuarterReport => ("analysis_report_files", "report_id"),
            Issued::RegionQuarterReport => ("region_analysis_report_files", "report_id"),
            Issued::Assessment => ("assessment_result_files", "result_id"),
        }
    }
}

impl Store {
    /// Keeps `files` of record `id`, in the issuing transaction; answers
    /// each one's format, SHA-256 and size for the audit row.
    pub(crate) async fn keep_files(
        &self,
        tx: &mut Transaction<'static, Any>,
        kind: Issued,
        id: i64,
        files: &[(&str, Vec<u8>)],
    ) -> Result<Vec<serde_json::Value>> {
        let (table, key) = kind.table();
        let mut kept = Vec::new();
        for (format, bytes) in files {
            let sha = bighealth_reader::sha256_hex(bytes);
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} ({key}, format, sha256, bytes) VALUES ($1, $2, $3, $4)"
            )))
            .bind(id)
            .bind(*format)
            .bind(&sha)
            .bind(bytes.as_slice())
            .execute(&mut **tx)
            .await?;
            kept.push(serde_json::json!({"format": format, "sha256": sha, "size": bytes.len()}));
        }
        Ok(kept)
    }

    /// The files of record `id`.
    pub(crate) async fn kept_files(&self, kind: Issued, id: i64) -> Result<Vec<ReportFile>> {
        let (table, key) = kind.table();
        let rows: Vec<(String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT format, sha256, LENGTH(bytes) FROM {table} WHERE {key} = $1 ORDER BY format"
        )))
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(format, sha256, size)| ReportFile { format, sha256, size }).collect())
    }

    /// The bytes of record `id`'s file in `format`, as issued.
    pub(crate) async fn kept_file(&self, kind: Issued, id: i64, format: &str) -> Result<Option<Vec<u8>>> {
        let (table, key) = kind.table();
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT bytes FROM {table} WHERE {key} = $1 AND format = $2"
        )))
        .bind(id)
        .bind(format)
        .fetch_optional(self.pool())
        .await?)
    }
}
