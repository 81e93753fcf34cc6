//! The web pages: HTML rendered on the server, in Chinese, with htmx for
//! interaction and ECharts for charts, every asset served by the binary
//! itself ([`assets`]). A page checks the same rules as the API: it takes
//! the same session ([`Viewer`] wraps [`Auth`]) and asks [`Auth::require`]
//! for the same [`Action`]; what a role may not see answers 403 with a page
//! that says so. Forms answer bad input next to the field (`form`) and
//! change nothing.

mod admin;
pub mod assets;
mod form;
mod overview;
mod plans;
mod projects;
mod proposals;
mod review;
mod session;
mod targets;
mod tasks;
mod templates;

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bighealth_rules::refusal::Reason;
use bighealth_store::{Action, Role, StoreError};
use serde::Serialize;
use serde_json::{Value, json};
pub use templates::render;

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(session::routes())
        .merge(plans::routes())
        .merge(review::routes())
        .merge(tasks::routes())
        .merge(targets::routes())
        .merge(projects::routes())
        .merge(proposals::routes())
        .merge(overview::routes())
        .merge(admin::routes())
}

/// Whether the request came from htmx (it then wants a fragment, and a
/// redirect as an `HX-Redirect` header).
fn is_htmx(parts: &Parts) -> bool {
    parts.headers.contains_key("hx-request")
}

/// The logged-in user of a page. Without a live session a page sends the
/// browser to the login page (and back afterwards).
#[derive(Debug, Clone)]
pub struct Viewer(pub Auth);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, PageError> {
        match Auth::from_request_parts(parts, state).await {
            Ok(auth) => Ok(Viewer(auth)),
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => {
                let next = if parts.method == axum::http::Method::GET && !is_htmx(parts) {
                    parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into())
                } else {
                    "/".into()
                };
                Err(PageError::Login { next, htmx: is_htmx(parts) })
            }
            Err(e) => Err(PageError::Api(e)),
        }
    }
}

impl Viewer {
    /// Refuses (403, audited, as the API does) unless the viewer may do `action`.
    pub async fn require(&self, state: &AppState, action: Action, object: &str) -> Result<(), PageError> {
        Ok(self.0.require(state, action, object).await?)
    }

    /// Whether the viewer may do `action` (to show or hide a button).
    pub fn may(&self, action: Action) -> bool {
        self.0.actor.may(action)
    }

    /// What every page's frame shows: the user, the menu of what their roles
    /// may open, the CSRF token htmx sends, where the assets are.
    pub fn frame(&self, active: &str) -> Value {
        let user = &self.0.user;
        let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
        let nav: Vec<Value> = menu(&self.0.actor)
            .into_iter()
            .map(|(href, label, key)| json!({"href": href, "label": label, "active": key == active}))
            .collect();
        json!({
            "username": user.username,
            "display_name": if user.display_name.is_empty() { &user.username } else { &user.display_name },
            "roles": roles.join("、"),
            "csrf": self.0.csrf(),
            "nav": nav,
            "assets": assets::base(),
            "may": {
                "read": self.may(Action::ReadPlans),
                "manage": self.may(Action::ManagePlans),
                "propose": self.may(Action::Propose),
            },
        })
    }
}

/// The pages a role may open, as (path, label, key).
fn menu(actor: &bighealth_store::Actor) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut items = Vec::new();
    if actor.may(Action::ReadPlans) {
        items.extend([
            ("/overview", "总览", "overview"),
            ("/plans", "规划", "plans"),
            ("/tasks", "任务", "tasks"),
            ("/targets", "目标", "targets"),
            ("/projects", "项目", "projects"),
        ]);
    }
    if actor.has(Role::Reporter) || actor.may(Action::ManagePlans) {
        items.push(("/my", "我的任务", "my"));
        items.push(("/proposals", "变更申请", "proposals"));
    }
    if actor.may(Action::ManageAccounts) {
        items.push(("/accounts", "账号", "accounts"));
    }
    if actor.may(Action::ReadAudit) {
        items.push(("/audit", "审计日志", "audit"));
    }
    items
}

/// The page a user starts on: the first of their menu.
pub fn home_of(actor: &bighealth_store::Actor) -> &'static str {
    if actor.has(Role::Reporter) {
        return "/my";
    }
    menu(actor).first().map(|m| m.0).unwrap_or("/login")
}

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

/// An optional number in a page's address (`?plan=3`); empty means none.
pub fn opt_id(field: &str, raw: &Option<String>) -> PageResult<Option<i64>> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| {
            PageError::bad_parameter(field, Reason::ParamNotANumber { name: field.into(), raw: s.into() })
        }),
    }
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
