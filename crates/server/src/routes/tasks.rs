//! Tasks, with their units; corrections keep history.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use bighealth_store::Action;
use bighealth_store::history::HistoryEntry;
use bighealth_store::page::Page;
use bighealth_store::tasks::{Task, TaskPatch, TaskQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List tasks (filter by plan, unit, segment, section, words).
#[utoipa::path(get, path = "/api/tasks", tag = "tasks", params(TaskQuery),
    responses((status = 200, body = Page<Task>), (status = 400, body = ErrorBody)))]
async fn list_tasks(State(s): State<AppState>, auth: Auth, Q(q): Q<TaskQuery>) -> ApiResult<Json<Page<Task>>> {
    auth.require(&s, Action::ReadPlans, "tasks").await?;
    Ok(Json(s.store.tasks(&q).await?))
}

/// One task.
#[utoipa::path(get, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Task), (status = 404, body = ErrorBody)))]
async fn get_task(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Task>> {
    auth.require(&s, Action::ReadPlans, &format!("task:{id}")).await?;
    Ok(Json(s.store.task(id).await?))
}

/// Correct a task's units, segment or deadline.
#[utoipa::path(patch, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, minimum = 1)), request_body = TaskPatch,
    responses((status = 200, body = Task), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_task(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<TaskPatch>,
) -> ApiResult<Json<Task>> {
    auth.require(&s, Action::ReportOwn, &format!("task:{id}")).await?;
    Ok(Json(s.store.update_task(&auth.actor, id, &p, s.clock.now()).await?))
}

/// Delete a task (undo with restore).
#[utoipa::path(delete, path = "/api/tasks/{id}", tag = "tasks", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Task), (status = 403, body = ErrorBody)))]
async fn delete_task(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Task>> {
    auth.require(&s, Action::ReportOwn, &format!("task:{id}")).await?;
    Ok(Json(s.store.set_task_deleted(&auth.actor, id, true, s.clock.now()).await?))
}

/// Restore a deleted task.
#[utoipa::path(post, path = "/api/tasks/{id}/restore", tag = "tasks", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Task), (status = 403, body = ErrorBody)))]
async fn restore_task(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Task>> {
    auth.require(&s, Action::ReportOwn, &format!("task:{id}")).await?;
    Ok(Json(s.store.set_task_deleted(&auth.actor, id, false, s.clock.now()).await?))
}

/// The changes made to a task.
#[utoipa::path(get, path = "/api/tasks/{id}/history", tag = "tasks", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorBody)))]
async fn task_history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
    auth.require(&s, Action::ReadPlans, &format!("task:{id}")).await?;
    s.store.task(id).await?;
    Ok(Json(s.store.history("task", id).await?))
}

/// The task routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tasks))
        .routes(routes!(get_task, update_task, delete_task))
        .routes(routes!(restore_task))
        .routes(routes!(task_history))
}
