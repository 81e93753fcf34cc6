//! Tasks, with their units; corrections keep history.

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
use bighealth_store::tasks::{Task, TaskPatch, TaskQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

record_endpoints! {
    tag: "tasks", entity: "task",
    item: Task, patch: TaskPatch, query: TaskQuery,
    list: list_tasks("/api/tasks", "List tasks (filter by plan, unit, segment, section, words).", tasks),
    get: get_task("/api/tasks/{id}", "One task.", task),
    update: update_task("Correct a task's units (by id or by name), segment or deadline.", update_task),
    delete: delete_task("Delete a task (undo with restore).", set_task_deleted),
    restore: restore_task("/api/tasks/{id}/restore", "Restore a deleted task."),
    history: task_history("/api/tasks/{id}/history", "The changes made to a task."),
}

/// The task routes.
pub fn routes() -> OpenApiRouter<AppState> {
    record_routes()
}
