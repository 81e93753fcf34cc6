//! The API's routes, one module per kind of record.

pub mod accounts;
pub mod analysis;
pub mod assessment;
pub mod audit;
pub mod enterprises;
pub mod evaluation;
pub mod findings;
pub mod indicators;
pub mod plans;
pub mod projects;
pub mod proposals;
pub mod public;
mod records;
pub mod reporting;
pub mod session;
pub mod supervision;
pub mod targets;
pub mod tasks;
pub mod units;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::response::Response;
use bighealth_documents::gongwen::Gongwen;
use bighealth_documents::supervision::Letterhead;
use bighealth_rules::calendar::date_of;
use bighealth_store::Reason;

/// The content type of a Word file.
pub(crate) const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// The content type of an Excel file.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Who issues a plan's documents: its calendar's default unit (the 大健康办), if set.
pub(crate) async fn letterhead(s: &AppState, plan: i64, now: i64) -> ApiResult<Letterhead> {
    let schedule = s.store.reporting_schedule(plan).await?;
    let issuer = match schedule.default_unit {
        Some(u) => s.store.unit(u).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let issuer =
        if issuer.is_empty() { "大健康产业发展工作领导小组办公室".to_string() } else { issuer };
    Ok(Letterhead { signature: issuer.clone(), issuer, date: date_of(now), contact: None })
}

/// A document as a Word file named `name`.docx.
pub(crate) fn docx(doc: &Gongwen, name: &str) -> ApiResult<Response> {
    let bytes = doc.to_docx().map_err(|_| ApiError::from(Reason::Internal {}))?;
    Ok(attachment(&format!("{name}.docx"), DOCX, bytes))
}

/// A document as a PDF named `name`.pdf, typeset on a blocking thread.
pub(crate) async fn pdf(doc: Gongwen, name: &str) -> ApiResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || doc.to_pdf())
        .await
        .map_err(|_| ApiError::from(Reason::Internal {}))?
        .map_err(|detail| ApiError::from(Reason::PdfUnavailable { detail }))?;
    Ok(attachment(&format!("{name}.pdf"), "application/pdf", bytes))
}

/// A file to download under `name` (a Chinese name kept for browsers that
/// read `filename*`, an ASCII one for the rest).
pub(crate) fn attachment(name: &str, content_type: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let name: String =
        name.chars().filter(|c| !c.is_control()).map(|c| if r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).collect();
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    let percent: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{percent}");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}
