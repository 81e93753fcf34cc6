//! The list of plans, and uploading a new one (.docx, .txt, .html, .xlsx):
//! the office's way in to reviewing it.

use super::form::FieldErrors;
use super::{PageResult, Viewer, hx_redirect, opt_text, render};
use crate::AppState;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use bighealth_reader::limits::{MAX_FILE_BYTES, human};
use bighealth_rules::refusal::Reason;
use bighealth_store::Action;
use bighealth_store::plans::{ImportRequest, Imported};
use serde::Deserialize;
use serde_json::{Value, json};

/// The formats a plan may be uploaded in, by extension.
pub const PLAN_EXTENSIONS: [&str; 5] = ["docx", "txt", "html", "htm", "xlsx"];

#[derive(Debug, Deserialize)]
struct PlanFilter {
    region: Option<String>,
}

async fn list(State(s): State<AppState>, viewer: Viewer, Query(q): Query<PlanFilter>) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ReadPlans, "plans").await?;
    let region = opt_text(&q.region);
    if let Some(code) = &region {
        s.store.region(code).await?;
    }
    let plans = s.store.plans(region.as_deref(), false).await?;
    render("plans/plans.html", json!({"frame": viewer.frame("plans"), "plans": plans, "region": region}))
}

/// What the upload form was given, to show it again.
#[derive(Debug, Default, serde::Serialize)]
struct Given {
    region: String,
    parent: String,
    file_name: String,
}

async fn upload_form(
    s: &AppState,
    viewer: &Viewer,
    given: &Given,
    errors: &FieldErrors,
    status: StatusCode,
) -> PageResult<Response> {
    let plans = s.store.plans(None, false).await?;
    let regions: Vec<Value> =
        s.store.region_choices().await?.into_iter().map(|(code, path)| json!({"code": code, "path": path})).collect();
    let html = render(
        "plans/upload.html",
        json!({
            "frame": viewer.frame("plans"),
            "plans": plans,
            "regions": regions,
            "given": given,
            "errors": errors.0,
            "extensions": PLAN_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(","),
            "max_size": human(MAX_FILE_BYTES),
            "max_bytes": MAX_FILE_BYTES,
        }),
    )?;
    Ok((status, html).into_response())
}

async fn new_plan(State(s): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    viewer.require(&s, Action::ManagePlans, "plans").await?;
    upload_form(&s, &viewer, &Given::default(), &FieldErrors::default(), StatusCode::OK).await
}

async fn upload(State(s): State<AppState>, viewer: Viewer, multipart: Multipart) -> PageResult<Response> {
    viewer.require(&s, Action::ManagePlans, "plans").await?;
    let mut given = Given::default();
    let mut errors = FieldErrors::default();
    let upload = super::form::read_multipart(multipart, &mut errors).await?;
    given.file_name = upload.file_name;
    given.region = upload.fields.get("region").cloned().unwrap_or_default();
    given.parent = upload.fields.get("parent").cloned().unwrap_or_default();
    let bytes = upload.bytes;
    if !errors.0.contains_key("file") {
        let extension = given.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if given.file_name.is_empty() {
            errors.add("file", Reason::FileMissing {});
        } else if !PLAN_EXTENSIONS.contains(&extension.as_str()) {
            errors.add("file", Reason::FileType { name: given.file_name.clone() });
        } else if bytes.is_empty() {
            errors.add("file", Reason::FileEmpty { name: given.file_name.clone() });
        }
    }
    let region = match s.store.find_region(&given.region).await {
        Ok(r) => r.code,
        Err(e) => {
            errors.0.extend(FieldErrors::from_store(e)?.0);
            String::new()
        }
    };
    let parent = errors.picked(&given.parent, "parent");
    if !errors.is_empty() {
        return upload_form(&s, &viewer, &given, &errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let req = ImportRequest { name: &given.file_name, bytes: &bytes, region: &region, parent };
    let name = given.file_name.clone();
    let mut log = move |step: bighealth_store::plans::Step| {
        tracing::info!("importing: {} {}/{} ({name})", step.stage, step.done, step.total);
    };
    match s.store.import_plan(&viewer.0.actor, req, &mut log, s.clock.now()).await {
        Ok(Imported::Stored(report)) => Ok(hx_redirect(&format!("/plans/{}", report.plan_id))),
        Ok(Imported::Unchanged { plan_id, deleted: false }) => Ok(hx_redirect(&format!("/plans/{plan_id}?same=1"))),
        Ok(Imported::Unchanged { plan_id, deleted: true }) => {
            errors.add("file", Reason::AlreadyImportedDeleted { plan: plan_id });
            upload_form(&s, &viewer, &given, &errors, StatusCode::CONFLICT).await
        }
        Err(e) => {
            let mut errors = FieldErrors::from_store(e)?;
            if let Some(m) = errors.0.remove("name") {
                errors.0.entry("file".into()).or_insert(m);
            }
            upload_form(&s, &viewer, &given, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// The plan list and upload routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/plans", get(list)).route("/plans/new", get(new_plan).post(upload))
}
