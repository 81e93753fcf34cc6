//! Projects: the library, its totals; corrections keep history.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Body, Id, Q};
use axum::Json;
use axum::extract::State;
use bighealth_store::Action;
use bighealth_store::history::HistoryEntry;
use bighealth_store::page::Page;
use bighealth_store::projects::{Project, ProjectPatch, ProjectQuery, ProjectTotals};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// List projects (filter by plan, status, group, nature, funding, unit, segment, words; sort).
#[utoipa::path(get, path = "/api/projects", tag = "projects", params(ProjectQuery),
    responses((status = 200, body = Page<Project>), (status = 400, body = ErrorBody)))]
async fn list_projects(State(s): State<AppState>, auth: Auth, Q(q): Q<ProjectQuery>) -> ApiResult<Json<Page<Project>>> {
    auth.require(&s, Action::ReadPlans, "projects").await?;
    Ok(Json(s.store.projects(&q).await?))
}

/// Totals of the projects matching the filters: in all, by group, by unit, by status, by funding.
#[utoipa::path(get, path = "/api/projects/totals", tag = "projects", params(ProjectQuery),
    responses((status = 200, body = ProjectTotals), (status = 400, body = ErrorBody)))]
async fn project_totals(
    State(s): State<AppState>,
    auth: Auth,
    Q(q): Q<ProjectQuery>,
) -> ApiResult<Json<ProjectTotals>> {
    auth.require(&s, Action::ReadPlans, "projects").await?;
    Ok(Json(s.store.project_totals(&q).await?))
}

/// One project.
#[utoipa::path(get, path = "/api/projects/{id}", tag = "projects", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Project), (status = 404, body = ErrorBody)))]
async fn get_project(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Project>> {
    auth.require(&s, Action::ReadPlans, &format!("project:{id}")).await?;
    Ok(Json(s.store.project(id).await?))
}

/// Correct a project: investment, status, nature, funding…
#[utoipa::path(patch, path = "/api/projects/{id}", tag = "projects", params(("id" = i64, Path, minimum = 1)), request_body = ProjectPatch,
    responses((status = 200, body = Project), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_project(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Body(p): Body<ProjectPatch>,
) -> ApiResult<Json<Project>> {
    auth.require(&s, Action::ReportOwn, &format!("project:{id}")).await?;
    Ok(Json(s.store.update_project(&auth.actor, id, &p, s.clock.now()).await?))
}

/// Delete a project (undo with restore).
#[utoipa::path(delete, path = "/api/projects/{id}", tag = "projects", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Project), (status = 403, body = ErrorBody)))]
async fn delete_project(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Project>> {
    auth.require(&s, Action::ReportOwn, &format!("project:{id}")).await?;
    Ok(Json(s.store.set_project_deleted(&auth.actor, id, true, s.clock.now()).await?))
}

/// Restore a deleted project.
#[utoipa::path(post, path = "/api/projects/{id}/restore", tag = "projects", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Project), (status = 403, body = ErrorBody)))]
async fn restore_project(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Project>> {
    auth.require(&s, Action::ReportOwn, &format!("project:{id}")).await?;
    Ok(Json(s.store.set_project_deleted(&auth.actor, id, false, s.clock.now()).await?))
}

/// The changes made to a project.
#[utoipa::path(get, path = "/api/projects/{id}/history", tag = "projects", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 404, body = ErrorBody)))]
async fn project_history(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<HistoryEntry>>> {
    auth.require(&s, Action::ReadPlans, &format!("project:{id}")).await?;
    s.store.project(id).await?;
    Ok(Json(s.store.history("project", id).await?))
}

/// The project routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projects))
        .routes(routes!(project_totals))
        .routes(routes!(get_project, update_project, delete_project))
        .routes(routes!(restore_project))
        .routes(routes!(project_history))
}
