//! Projects: the library and its totals; corrections keep history.

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
use bighealth_store::projects::{Project, ProjectPatch, ProjectQuery, ProjectTotals};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

record_endpoints! {
    tag: "projects", entity: "project",
    item: Project, patch: ProjectPatch, query: ProjectQuery,
    list: list_projects("/api/projects", "List projects (filter by plan, status, group, nature, funding, unit, segment, words; sort).", projects),
    get: get_project("/api/projects/{id}", "One project.", project),
    update: update_project("Correct a project: investment, status, nature, funding, period, group, content.", update_project),
    delete: delete_project("Delete a project (undo with restore).", set_project_deleted),
    restore: restore_project("/api/projects/{id}/restore", "Restore a deleted project."),
    history: project_history("/api/projects/{id}/history", "The changes made to a project."),
}

/// Totals of the projects matching the filters: in all, by group, by unit, by status, by funding.
#[utoipa::path(get, path = "/api/projects/totals", tag = "projects", params(ProjectQuery),
    responses((status = 200, body = ProjectTotals)))]
async fn project_totals(
    State(s): State<AppState>,
    auth: Auth,
    Q(q): Q<ProjectQuery>,
) -> ApiResult<Json<ProjectTotals>> {
    auth.require(&s, Action::ReadPlans, "projects").await?;
    if q.deleted {
        auth.require(&s, Action::ManagePlans, "projects?deleted=true").await?;
    }
    Ok(Json(s.store.project_totals(&q).await?))
}

/// The project routes.
pub fn routes() -> OpenApiRouter<AppState> {
    record_routes().routes(routes!(project_totals))
}
