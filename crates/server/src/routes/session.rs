//! The session routes: log in, the current session, log out, change one's
//! own password.

use crate::AppState;
use crate::auth::{Auth, log_in, session_cookie};
use crate::client::ClientAddr;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Body;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bighealth_store::accounts::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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

fn info(user: User, csrf: String) -> SessionInfo {
    let role_labels = user.roles.iter().map(|r| r.label().to_string()).collect();
    SessionInfo { user, csrf_token: csrf, role_labels }
}

/// Log in.
#[utoipa::path(post, path = "/api/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo, description = "Logged in; the session cookie is set"),
              (status = 401, body = ErrorBody, description = "Wrong username or password"),
              (status = 429, body = ErrorBody, description = "Too many failed logins from this address: wait")))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    Body(req): Body<LoginRequest>,
) -> ApiResult<Response> {
    let s = log_in(&state, &req.username, &req.password, ip).await?;
    let mut resp = Json(info(s.user, s.csrf)).into_response();
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&state, &s.token, None));
    Ok(resp)
}

/// The current session.
#[utoipa::path(get, path = "/api/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
async fn me(auth: Auth) -> Json<SessionInfo> {
    let csrf = auth.csrf().to_string();
    Json(info(auth.user, csrf))
}

/// Log out.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    responses((status = 204, description = "Logged out; the cookie is cleared"), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    state.store.end_session(&auth.actor, auth.token(), state.clock.now()).await?;
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
    state
        .store
        .change_own_password(&auth.actor, &req.old_password, &req.new_password, Some(auth.token()), state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login, me, logout)).routes(routes!(change_password))
}
