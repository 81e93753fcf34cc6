//! The files pages load — htmx and ECharts (from npm, copied into
//! `assets/vendor` by `scripts/vendor`), our script and style sheet — built
//! into the binary and served under a path that changes with their content,
//! so browsers may keep them for good. No page loads anything from
//! elsewhere: these networks are closed.

use crate::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::OnceLock;
use tower_http::compression::CompressionLayer;

/// Every asset: (name, content type, bytes).
pub const ASSETS: [(&str, &str, &[u8]); 4] = [
    ("htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/vendor/htmx.min.js")),
    ("echarts.min.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/vendor/echarts.min.js")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/app.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../assets/app.css")),
];

/// Where the assets are served: `/assets/<first 12 hex digits of their SHA-256>`.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let all: Vec<u8> = ASSETS.iter().flat_map(|(_, _, bytes)| bytes.iter().copied()).collect();
        format!("/assets/{}", &bighealth_reader::sha256_hex(&all)[..12])
    })
}

async fn asset(Path((version, name)): Path<(String, String)>) -> Response {
    let Some((_, mime, bytes)) = ASSETS.iter().find(|(n, _, _)| *n == name) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    // An old page asking for an earlier version gets today's file, not kept.
    let cache = if base().ends_with(&version) { "public, max-age=31536000, immutable" } else { "no-cache" };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        *bytes,
    )
        .into_response()
}

/// The asset route (compressed for browsers that accept gzip).
pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{version}/{name}", get(asset)).layer(CompressionLayer::new())
}
