//! The API's routes, one module per kind of record.

pub mod accounts;
pub mod analysis;
pub mod audit;
pub mod findings;
pub mod plans;
pub mod projects;
pub mod proposals;
mod records;
pub mod reporting;
pub mod session;
pub mod supervision;
pub mod targets;
pub mod tasks;
pub mod units;

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
