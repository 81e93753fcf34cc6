//! Targets; corrections keep history.

use super::records::record_endpoints;
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use bighealth_store::Action;
use bighealth_store::history::HistoryEntry;
use bighealth_store::page::Page;
use bighealth_store::targets::{Target, TargetPatch, TargetQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

record_endpoints! {
    tag: "targets", entity: "target",
    item: Target, patch: TargetPatch, query: TargetQuery,
    list: list_targets("/api/targets", "List targets (filter by plan, owner unit, segment, task, year, words).", targets),
    get: get_target("/api/targets/{id}", "One target.", target),
    update: update_target("Correct a target: value, unit, year, baseline, qualifier, owner, segment.", update_target),
    delete: delete_target("Delete a target (undo with restore).", set_target_deleted),
    restore: restore_target("/api/targets/{id}/restore", "Restore a deleted target."),
    history: target_history("/api/targets/{id}/history", "The changes made to a target."),
}

/// The target routes.
pub fn routes() -> OpenApiRouter<AppState> {
    record_routes()
}
