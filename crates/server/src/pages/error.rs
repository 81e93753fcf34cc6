//! A page that cannot be shown ([`PageError`]): the login page for who is
//! not logged in, or an HTML page with the status and the refusal in
//! Chinese; for htmx, a status its error handler shows.

use super::{assets, templates};
use crate::error::ApiError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bighealth_rules::refusal::Reason;
use bighealth_store::StoreError;
use serde::Serialize;

/// A page that cannot be shown.
#[derive(Debug)]
pub enum PageError {
    /// Not logged in: go to the login page, then back to `next`.
    Login {
        /// Where to return.
        next: String,
        /// Asked by htmx.
        htmx: bool,
    },
    /// Refused, missing or failed, as the API would answer.
    Api(ApiError),
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError::Api(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Api(e.into())
    }
}

impl From<Reason> for PageError {
    fn from(r: Reason) -> Self {
        PageError::Api(r.into())
    }
}

impl PageError {
    /// A refusal about a parameter in the address.
    pub fn bad_parameter(field: &str, reason: Reason) -> Self {
        PageError::Api(ApiError::from(reason).field(field))
    }
}

/// A Chinese title for an error status.
fn title_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "请求有误",
        403 => "无权访问",
        404 => "未找到",
        409 => "操作冲突",
        413 => "文件过大",
        422 => "输入有误",
        423 => "账号已锁定",
        _ => "系统错误",
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login { next, htmx } => {
                let to =
                    format!("/login?next={}", form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>());
                if htmx {
                    let mut resp = StatusCode::UNAUTHORIZED.into_response();
                    if let Ok(v) = HeaderValue::from_str(&to) {
                        resp.headers_mut().insert("hx-redirect", v);
                    }
                    resp
                } else {
                    Redirect::to(&to).into_response()
                }
            }
            PageError::Api(e) => {
                #[derive(Serialize)]
                struct Shown<'a> {
                    status: u16,
                    title: &'a str,
                    message: &'a str,
                    field: Option<&'a str>,
                    assets: &'a str,
                }
                let (status, message) = (e.status(), e.message());
                let shown = Shown {
                    status: status.as_u16(),
                    title: title_of(status),
                    message: &message,
                    field: e.refusal.field.as_deref(),
                    assets: assets::base(),
                };
                let body = templates::render_str("error.html", &shown)
                    .unwrap_or_else(|_| format!("{} {message}", status.as_u16()));
                let mut resp = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
                resp.extensions_mut().insert(e);
                resp
            }
        }
    }
}

/// The result of a page handler.
pub type PageResult<T> = Result<T, PageError>;

/// An answer that sends the browser elsewhere: `HX-Redirect` for htmx.
pub fn hx_redirect(to: &str) -> Response {
    let mut resp = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        resp.headers_mut().insert("hx-redirect", v);
    }
    resp
}
