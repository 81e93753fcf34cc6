//! Accounts and the password policy: the 安全管理员's work.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bighealth_store::Action;
use bighealth_store::accounts::{AccountRequest, Applied, Decided, NewUser, PasswordPolicy, User, UserPatch};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List accounts.
#[utoipa::path(get, path = "/api/users", tag = "accounts",
    responses((status = 200, body = Vec<User>), (status = 403, body = ErrorBody)))]
async fn list_users(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<User>>> {
    auth.require(&s, Action::ManageAccounts, "users").await?;
    Ok(Json(s.store.users(&auth.actor).await?))
}

/// The answer to a change of an account: the account, or (202) the request
/// waiting for a second 安全管理员.
fn answer(applied: Applied<User>, done: StatusCode) -> Response {
    match applied {
        Applied::Done(user) => (done, Json(user)).into_response(),
        Applied::Pending(request) => (StatusCode::ACCEPTED, Json(request)).into_response(),
    }
}

/// Create an account. A 系统管理员, 安全管理员 or 审计员 account is not made at
/// once: the request (202) waits for a second 安全管理员.
#[utoipa::path(post, path = "/api/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 202, body = AccountRequest, description = "An administrator's account: waiting for a second 安全管理员"),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(State(s): State<AppState>, auth: Auth, Body(u): Body<NewUser>) -> ApiResult<Response> {
    auth.require(&s, Action::ManageAccounts, "users").await?;
    Ok(answer(s.store.create_user(&auth.actor, &u, s.clock.now()).await?, StatusCode::CREATED))
}

/// Change an account: roles, units, a password reset, disable, unlock.
/// Granting an administrator's role, or resetting, re-enabling or unlocking
/// an administrator, waits (202) for a second 安全管理员.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "accounts", params(("id" = i64, Path, minimum = 1)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 202, body = AccountRequest, description = "Waiting for a second 安全管理员"),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_user(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<UserPatch>,
) -> ApiResult<Response> {
    auth.require(&s, Action::ManageAccounts, &format!("user:{id}")).await?;
    Ok(answer(s.store.update_user(&auth.actor, id, &p, s.clock.now()).await?, StatusCode::OK))
}

/// The changes to administrators' accounts, pending first.
#[utoipa::path(get, path = "/api/account-requests", tag = "accounts",
    responses((status = 200, body = Vec<AccountRequest>), (status = 403, body = ErrorBody)))]
async fn list_account_requests(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<AccountRequest>>> {
    auth.require(&s, Action::ManageAccounts, "account_requests").await?;
    Ok(Json(s.store.account_requests(&auth.actor).await?))
}

/// A decision on a request.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestDecision {
    /// `true` makes the change, `false` rejects it.
    pub approve: bool,
}

/// A second 安全管理员 approves (the change is made; a generated password is
/// answered once) or rejects a request.
#[utoipa::path(post, path = "/api/account-requests/{id}/decision", tag = "accounts", params(("id" = i64, Path, minimum = 1)),
    request_body = RequestDecision,
    responses((status = 200, body = Decided), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn decide_account_request(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(d): Body<RequestDecision>,
) -> ApiResult<Json<Decided>> {
    Ok(Json(s.store.decide_account_request(&auth.actor, id, d.approve, s.clock.now()).await?))
}

/// The password policy in force.
#[utoipa::path(get, path = "/api/password-policy", tag = "accounts",
    responses((status = 200, body = PasswordPolicy), (status = 403, body = ErrorBody)))]
async fn get_password_policy(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<PasswordPolicy>> {
    auth.require(&s, Action::ManageAccounts, "password_policy").await?;
    Ok(Json(s.store.password_policy().await?))
}

/// Set the password policy.
#[utoipa::path(put, path = "/api/password-policy", tag = "accounts", request_body = PasswordPolicy,
    responses((status = 200, body = PasswordPolicy), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_password_policy(
    State(s): State<AppState>,
    auth: Auth,
    Body(p): Body<PasswordPolicy>,
) -> ApiResult<Json<PasswordPolicy>> {
    auth.require(&s, Action::ManageAccounts, "password_policy").await?;
    Ok(Json(s.store.set_password_policy(&auth.actor, p, s.clock.now()).await?))
}

/// The account routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(update_user))
        .routes(routes!(list_account_requests))
        .routes(routes!(decide_account_request))
        .routes(routes!(get_password_policy, set_password_policy))
}
