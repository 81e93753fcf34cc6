//! The audit log: the 审计员 reads it; nobody changes it.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Q;
use axum::Json;
use axum::extract::State;
use bighealth_store::Action;
use bighealth_store::audit::{AuditEntry, AuditQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Filters for the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only this account name.
    pub username: Option<String>,
    /// Only this action (`login`, `update_target`, …).
    pub action: Option<String>,
    /// Only rows before this id (paging backwards).
    pub before: Option<i64>,
    /// Rows (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The result of checking the log's hash chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    /// Whether every row is as written.
    pub intact: bool,
    /// The first row that is not, if any.
    pub first_bad_row: Option<i64>,
}

/// Rows of the audit log, newest first.
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditFilter),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ErrorBody)))]
async fn list_audit(State(s): State<AppState>, auth: Auth, Q(q): Q<AuditFilter>) -> ApiResult<Json<Vec<AuditEntry>>> {
    auth.require(&s, Action::ReadAudit, "audit_log").await?;
    let q = AuditQuery { username: q.username, action: q.action, before: q.before, limit: q.limit };
    Ok(Json(s.store.audit_log(&q).await?))
}

/// Check that no row of the audit log was altered.
#[utoipa::path(get, path = "/api/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 403, body = ErrorBody)))]
async fn verify_audit(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Verification>> {
    auth.require(&s, Action::ReadAudit, "audit_log").await?;
    let bad = s.store.verify_audit().await?;
    Ok(Json(Verification { intact: bad.is_none(), first_bad_row: bad }))
}

/// The audit routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit)).routes(routes!(verify_audit))
}
