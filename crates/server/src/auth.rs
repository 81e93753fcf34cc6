//! Logins, sessions and the checks every request passes: the session cookie
//! (HttpOnly, SameSite=Strict), the CSRF token on every state-changing
//! request, and the Origin / Sec-Fetch-Site check against cross-site posts.

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Body;
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bighealth_rules::refusal::Reason;
use bighealth_store::accounts::User;
use bighealth_store::audit::Event;
use bighealth_store::{Action, Actor, Store};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The session cookie's name.
pub const COOKIE: &str = "bh_session";
/// The header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A logged-in request.
#[derive(Debug, Clone)]
pub struct Auth {
    /// Who acts, as the store sees them.
    pub actor: Actor,
    /// Their account.
    pub user: User,
    /// The session token (to end it).
    token: String,
    /// The CSRF token of the session.
    csrf: String,
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The value of cookie `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// The client's address, for the audit log.
pub fn remote(parts: &Parts) -> String {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Auth> {
        let token = cookie(&parts.headers, COOKIE).ok_or_else(|| ApiError::from(Reason::LoginRequired {}))?;
        let session = state
            .store
            .session(&token, state.clock.now())
            .await?
            .ok_or_else(|| ApiError::from(Reason::LoginRequired {}))?;
        if is_unsafe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if sent != session.csrf {
                return Err(ApiError::from(Reason::CsrfMissing {}).field("X-CSRF-Token"));
            }
        }
        let actor = Store::actor_of(&session.user, &remote(parts));
        Ok(Auth { actor, user: session.user, token, csrf: session.csrf })
    }
}

impl Auth {
    /// The session token (to end the session).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The session's CSRF token (pages put it where htmx sends it from).
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// Refuses (403, audited) unless the actor may do `action`.
    pub async fn require(&self, state: &AppState, action: Action, object: &str) -> ApiResult<()> {
        let Err(reason) = self.actor.require(action) else { return Ok(()) };
        state
            .store
            .audit_now(
                &self.actor,
                Event { action: "access", object, detail: action.as_str(), outcome: "denied" },
                state.clock.now(),
            )
            .await?;
        Err(ApiError { refusal: reason.into(), audited: true })
    }
}

/// Refuses state-changing requests sent from another site: an `Origin` that
/// is not this host, or a `Sec-Fetch-Site` other than same-origin.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if is_unsafe(req.method()) {
        let h = req.headers();
        let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_site = matches!(site, Some(s) if s != "same-origin" && s != "none");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let foreign_origin = match (origin, host) {
            (Some(o), Some(host)) => o.split_once("://").map(|(_, rest)| rest) != Some(host),
            (Some(_), None) => true,
            _ => false,
        };
        if cross_site || foreign_origin {
            return ApiError::from(Reason::CrossSite {}).field("Origin").into_response();
        }
    }
    next.run(req).await
}

/// A login.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A session: the account and the CSRF token to send with every change.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    /// The account.
    pub user: User,
    /// Send this in the `X-CSRF-Token` header of every POST, PUT, PATCH and DELETE.
    pub csrf_token: String,
    /// The roles' Chinese names.
    pub role_labels: Vec<String>,
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The current password.
    pub old_password: String,
    /// The new one (checked against the policy).
    pub new_password: String,
}

/// The `Set-Cookie` value of a session (`max_age` 0 clears it).
pub(crate) fn session_cookie(state: &AppState, token: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}{age}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn info(user: User, csrf: String) -> SessionInfo {
    let role_labels = user.roles.iter().map(|r| r.label().to_string()).collect();
    SessionInfo { user, csrf_token: csrf, role_labels }
}

/// Log in.
#[utoipa::path(post, path = "/api/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo, description = "Logged in; the session cookie is set"),
              (status = 401, body = ErrorBody, description = "Wrong username or password"),
              (status = 423, body = ErrorBody, description = "Locked after too many failed logins")))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Body(req): Body<LoginRequest>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    match state.store.login(&req.username, &req.password, &addr.ip().to_string(), now).await? {
        Ok(s) => {
            let mut resp = Json(info(s.user, s.csrf)).into_response();
            resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, &s.token, None));
            Ok(resp)
        }
        // The store wrote the refused login to the audit log.
        Err(refused) => Err(ApiError { refusal: refused.reason(now).into(), audited: true }),
    }
}

/// The current session.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
async fn me(auth: Auth) -> Json<SessionInfo> {
    Json(info(auth.user, auth.csrf))
}

/// Log out.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses((status = 204, description = "Logged out; the cookie is cleared"), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    state.store.end_session(&auth.actor, &auth.token, state.clock.now()).await?;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, "", Some(0)));
    Ok(resp)
}

/// Change one's own password.
#[utoipa::path(put, path = "/api/session/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    auth: Auth,
    Body(req): Body<PasswordChange>,
) -> ApiResult<StatusCode> {
    state.store.change_own_password(&auth.actor, &req.old_password, &req.new_password, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login, me, logout)).routes(routes!(change_password))
}
