//! Paging of list queries.

use serde::Serialize;
use utoipa::ToSchema;

/// Default rows per page.
pub const DEFAULT_LIMIT: i64 = 100;
/// Most rows per page.
pub const MAX_LIMIT: i64 = 1000;

/// One page of a list, with the number of rows in all.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Page<T> {
    /// Rows matching, in all.
    pub total: i64,
    /// Rows asked for.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
    /// This page.
    pub items: Vec<T>,
}

/// The limit and offset to use, within bounds.
pub fn bounds(limit: Option<i64>, offset: Option<i64>) -> (i64, i64) {
    (limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT), offset.unwrap_or(0).max(0))
}

/// `IN (…)` list of ids for SQL (ids are integers, so this is safe to inline).
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "(NULL)".into();
    }
    let parts: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("({})", parts.join(", "))
}
