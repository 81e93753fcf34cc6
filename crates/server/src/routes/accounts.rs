//! Accounts and the password policy: the 安全管理员's work.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bighealth_store::Action;
use bighealth_store::accounts::{NewUser, PasswordPolicy, User, UserPatch};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List accounts.
#[utoipa::path(get, path = "/api/users", tag = "accounts",
    responses((status = 200, body = Vec<User>), (status = 403, body = ErrorBody)))]
async fn list_users(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<User>>> {
    auth.require(&s, Action::ManageAccounts, "users").await?;
    Ok(Json(s.store.users(&auth.actor).await?))
}

/// Create an account.
#[utoipa::path(post, path = "/api/users", tag = "accounts", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_user(
    State(s): State<AppState>,
    auth: Auth,
    Body(u): Body<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    auth.require(&s, Action::ManageAccounts, "users").await?;
    Ok((StatusCode::CREATED, Json(s.store.create_user(&auth.actor, &u, s.clock.now()).await?)))
}

/// Change an account: roles, units, a password reset, disable, unlock.
#[utoipa::path(patch, path = "/api/users/{id}", tag = "accounts", params(("id" = i64, Path, minimum = 1)), request_body = UserPatch,
    responses((status = 200, body = User), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_user(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<UserPatch>,
) -> ApiResult<Json<User>> {
    auth.require(&s, Action::ManageAccounts, &format!("user:{id}")).await?;
    Ok(Json(s.store.update_user(&auth.actor, id, &p, s.clock.now()).await?))
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
        .routes(routes!(get_password_policy, set_password_policy))
}
