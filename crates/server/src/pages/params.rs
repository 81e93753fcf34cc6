//! What a page's address may carry (`?plan=3&segment=医&page=2`), read
//! with refusals naming the parameter, and the pager of a list.

use super::{PageError, PageResult};
use bighealth_rules::refusal::Reason;
use serde_json::{Value, json};

/// An optional number in a page's address (`?plan=3`); empty means none.
pub fn opt_id(field: &str, raw: &Option<String>) -> PageResult<Option<i64>> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| {
            PageError::bad_parameter(field, Reason::ParamNotANumber { name: field.into(), raw: s.into() })
        }),
    }
}

/// The plan a page of a plan is about (`?plan=3`), required.
pub fn plan_of(raw: &Option<String>) -> PageResult<i64> {
    opt_id("plan", raw)?.ok_or_else(|| {
        PageError::bad_parameter("plan", Reason::QueryParameter { name: "plan".into(), detail: "请先选择规划".into() })
    })
}

/// An optional text in a page's address; empty means none.
pub fn opt_text(raw: &Option<String>) -> Option<String> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The segments as pages list them: key (the character) and name.
pub fn segments() -> Value {
    bighealth_reader::segment::Segment::ALL
        .iter()
        .map(|s| json!({"key": s.as_char(), "name": s.name()}))
        .collect::<Vec<_>>()
        .into()
}

/// Checks that a segment given in the address is one of 医药养健管游食.
pub fn opt_segment(raw: &Option<String>) -> PageResult<Option<String>> {
    match opt_text(raw) {
        None => Ok(None),
        Some(s) if bighealth_reader::segment::Segment::parse(&s).is_some() => Ok(Some(s)),
        Some(s) => Err(PageError::bad_parameter(
            "segment",
            Reason::NotOneOf { value: s, allowed: "医、药、养、健、管、游、食".into() },
        )),
    }
}

/// The 1-based page number in a page's address, as an offset.
pub fn offset_of(page: &Option<String>, per_page: i64) -> PageResult<(i64, i64)> {
    let page = opt_id("page", page)?.unwrap_or(1).max(1);
    Ok((page, (page - 1) * per_page))
}

/// Links to the pages of a list: the current query with another `page`.
pub fn pager(path: &str, query: &[(&str, Option<String>)], page: i64, per_page: i64, total: i64) -> Value {
    let pages = ((total + per_page - 1) / per_page).max(1);
    let link = |p: i64| {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in query {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                ser.append_pair(k, v);
            }
        }
        if p > 1 {
            ser.append_pair("page", &p.to_string());
        }
        let q = ser.finish();
        if q.is_empty() { path.to_string() } else { format!("{path}?{q}") }
    };
    json!({
        "page": page,
        "pages": pages,
        "total": total,
        "prev": (page > 1).then(|| link(page - 1)),
        "next": (page < pages).then(|| link(page + 1)),
    })
}
