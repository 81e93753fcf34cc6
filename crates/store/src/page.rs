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

/// Every item of a paged list: asks `fetch(offset)` for page after page
/// (each of at most [`MAX_LIMIT`]) until the total is reached.
pub async fn all_pages<T, F, Fut>(mut fetch: F) -> crate::Result<Vec<T>>
where
    F: FnMut(i64) -> Fut,
    Fut: std::future::Future<Output = crate::Result<Page<T>>>,
{
    let mut all = Vec::new();
    loop {
        let page = fetch(all.len() as i64).await?;
        let done = page.items.is_empty() || all.len() as i64 + page.items.len() as i64 >= page.total;
        all.extend(page.items);
        if done {
            return Ok(all);
        }
    }
}

/// `IN (…)` list of ids for SQL (ids are integers, so this is safe to inline).
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "(NULL)".into();
    }
    let parts: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("({})", parts.join(", "))
}
