//! Plans: import, list, read (meta, sections, source, original file), delete
//! and restore, and adding a project or division table.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Id, Q, upload};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bighealth_store::Action;
use bighealth_store::plans::{ImportRequest, Imported, Plan, Section};
use bighealth_store::regions::Region;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Filters for the plan list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// Only plans of this region and the regions under it (GB/T 2260).
    #[param(pattern = "^[0-9]{6}$")]
    pub region: Option<String>,
    /// Include deleted plans.
    #[serde(default)]
    pub deleted: bool,
}

/// Where an uploaded plan goes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The plan's region (GB/T 2260 code).
    #[param(pattern = "^[0-9]{6}$")]
    pub region: String,
    /// The plan this one implements.
    #[param(minimum = 1)]
    pub parent: Option<i64>,
    /// The file's name (its extension helps recognise the format).
    pub name: String,
}

/// The name of an uploaded table.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// The file's name.
    pub name: String,
}

/// A plan's text and reading.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanSource {
    /// The text that spans index (characters).
    pub text: String,
    /// The reading as stored at import.
    pub reading: serde_json::Value,
}

/// A region with the regions under it and its plans.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionView {
    /// The region.
    pub region: Region,
    /// The regions above it, nearest first.
    pub ancestors: Vec<Region>,
    /// The regions directly under it.
    pub children: Vec<Region>,
    /// Plans of this region and the regions under it.
    pub plans: Vec<Plan>,
}

/// List plans.
#[utoipa::path(get, path = "/api/plans", tag = "plans", params(PlanQuery),
    responses((status = 200, body = Vec<Plan>), (status = 403, body = ErrorBody)))]
async fn list_plans(State(s): State<AppState>, auth: Auth, Q(q): Q<PlanQuery>) -> ApiResult<Json<Vec<Plan>>> {
    auth.require(&s, Action::ReadPlans, "plans").await?;
    // Deleted plans are the office's to see.
    if q.deleted {
        auth.require(&s, Action::ManagePlans, "plans?deleted=true").await?;
    }
    Ok(Json(s.store.plans(q.region.as_deref(), q.deleted).await?))
}

/// Import a plan document: the request body is the file's bytes.
#[utoipa::path(post, path = "/api/plans", tag = "plans", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The plan document (.txt, .docx, .html, .xlsx)"),
    responses((status = 201, body = Imported, description = "Stored"),
              (status = 200, body = Imported, description = "Imported before: nothing changed"),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody, description = "Not a plan, or unreadable")))]
async fn import_plan(
    State(s): State<AppState>,
    auth: Auth,
    Q(q): Q<ImportQuery>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    if let Err(e) = auth.require(&s, Action::ManagePlans, "plans").await {
        return Err(crate::extract::refuse_upload(request, e).await);
    }
    let bytes = upload(request).await?;
    let req = ImportRequest { name: &q.name, bytes: &bytes, region: &q.region, parent: q.parent };
    let name = q.name.clone();
    let mut log = move |step: bighealth_store::plans::Step| {
        tracing::info!("importing: {} {}/{} ({name})", step.stage, step.done, step.total);
    };
    let imported = s.store.import_plan(&auth.actor, req, &mut log, s.clock.now()).await?;
    let status = if matches!(imported, Imported::Stored(_)) { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(imported)).into_response())
}

/// One plan.
#[utoipa::path(get, path = "/api/plans/{id}", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Plan), (status = 404, body = ErrorBody)))]
async fn get_plan(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Plan>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.plan(id).await?))
}

/// Delete a plan (undo with restore).
#[utoipa::path(delete, path = "/api/plans/{id}", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Plan), (status = 404, body = ErrorBody)))]
async fn delete_plan(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Plan>> {
    auth.require(&s, Action::ManagePlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.set_plan_deleted(&auth.actor, id, true, s.clock.now()).await?))
}

/// Restore a deleted plan.
#[utoipa::path(post, path = "/api/plans/{id}/restore", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Plan), (status = 404, body = ErrorBody)))]
async fn restore_plan(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Plan>> {
    auth.require(&s, Action::ManagePlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.set_plan_deleted(&auth.actor, id, false, s.clock.now()).await?))
}

/// The sections of a plan, in document order.
#[utoipa::path(get, path = "/api/plans/{id}/sections", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<Section>), (status = 404, body = ErrorBody)))]
async fn plan_sections(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<Section>>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    Ok(Json(s.store.sections(id).await?))
}

/// The plans implementing this one.
#[utoipa::path(get, path = "/api/plans/{id}/children", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Vec<Plan>), (status = 404, body = ErrorBody)))]
async fn child_plans(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<Vec<Plan>>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    s.store.plan(id).await?;
    Ok(Json(s.store.child_plans(id).await?))
}

/// The plan's text (what spans index) and its reading.
#[utoipa::path(get, path = "/api/plans/{id}/source", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = PlanSource), (status = 404, body = ErrorBody)))]
async fn plan_source(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Json<PlanSource>> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let (text, reading) = s.store.plan_source(id).await?;
    Ok(Json(PlanSource { text, reading }))
}

/// The original file, byte for byte.
#[utoipa::path(get, path = "/api/plans/{id}/document", tag = "plans", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn plan_document(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    auth.require(&s, Action::ReadPlans, &format!("plan:{id}")).await?;
    let (file_name, bytes) = s.store.plan_document(id).await?;
    let plan = s.store.plan(id).await?;
    let name = download_name(plan.title.as_deref(), &file_name);
    Ok(super::attachment(&name, "application/octet-stream", bytes))
}

/// The name an original is downloaded under: the plan's title with the
/// file's extension (`黔江区大健康产业发展行动计划.docx`), characters a file
/// name cannot hold replaced; the file's own name when there is no title.
fn download_name(title: Option<&str>, file_name: &str) -> String {
    let title: String = title
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if r#"/\:*?"<>|"#.contains(c) { '_' } else { c })
        .take(80)
        .collect();
    let title = title.trim();
    if title.is_empty() {
        return file_name.to_string();
    }
    match file_name.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 5 => format!("{title}.{ext}"),
        _ => title.to_string(),
    }
}

/// Add a project table or division table (.xlsx) to a plan: the body is the file.
#[utoipa::path(post, path = "/api/plans/{id}/tables", tag = "plans", params(("id" = i64, Path, minimum = 1), TableQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Imported), (status = 200, body = Imported), (status = 422, body = ErrorBody)))]
async fn add_table(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Q(q): Q<TableQuery>,
    request: axum::extract::Request,
) -> ApiResult<Response> {
    if let Err(e) = auth.require(&s, Action::ManagePlans, &format!("plan:{id}")).await {
        return Err(crate::extract::refuse_upload(request, e).await);
    }
    let bytes = upload(request).await?;
    let imported = s.store.import_table(&auth.actor, id, &q.name, &bytes, &mut |_| {}, s.clock.now()).await?;
    let status = if matches!(imported, Imported::Stored(_)) { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(imported)).into_response())
}

/// A region, its neighbours in the hierarchy, and its plans.
#[utoipa::path(get, path = "/api/regions/{code}", tag = "plans", params(("code" = String, Path, pattern = "^[0-9]{6}$", description = "GB/T 2260 code")),
    responses((status = 200, body = RegionView), (status = 422, body = ErrorBody)))]
async fn get_region(
    State(s): State<AppState>,
    auth: Auth,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> ApiResult<Json<RegionView>> {
    auth.require(&s, Action::ReadPlans, &format!("region:{code}")).await?;
    bighealth_store::regions::check_code(&code)?;
    // A well-formed code the list does not hold is a missing record here,
    // not a wrong value.
    let mut chain = s.store.region_chain(&code).await.map_err(|e| match e {
        bighealth_store::StoreError::Refused(_) => {
            bighealth_store::StoreError::not_found(bighealth_store::Object::Region, &code).into()
        }
        e => crate::error::ApiError::from(e),
    })?;
    let region = chain.remove(0);
    Ok(Json(RegionView {
        children: s.store.region_children(&code).await?,
        plans: s.store.plans(Some(&code), false).await?,
        region,
        ancestors: chain,
    }))
}

/// The plan routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, import_plan))
        .routes(routes!(get_plan, delete_plan))
        .routes(routes!(restore_plan))
        .routes(routes!(plan_sections))
        .routes(routes!(child_plans))
        .routes(routes!(plan_source))
        .routes(routes!(plan_document))
        .routes(routes!(add_table))
        .routes(routes!(get_region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_original_is_downloaded_under_its_title() {
        assert_eq!(
            download_name(Some("黔江区大健康产业发展行动计划"), "upload 3.docx"),
            "黔江区大健康产业发展行动计划.docx"
        );
        assert_eq!(download_name(Some("关于印发《方案》的通知/附件"), "a.txt"), "关于印发《方案》的通知_附件.txt");
        assert_eq!(download_name(None, "seed002.docx"), "seed002.docx");
        assert_eq!(download_name(Some("  "), "x.html"), "x.html");
    }
}
