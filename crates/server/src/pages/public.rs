//! 政务公开: the office's choice of what of a plan is public
//! (`/plans/{id}/disclosure`), and the public pages themselves (`/public`,
//! `/public/plans/{id}`), the only pages shown without a login — built
//! from the store's public read, which holds no person and no note.

use super::form::{FieldErrors, Fields};
use super::{PageResult, Viewer, hx_redirect, opt_text, render};
use crate::AppState;
use crate::extract::positive_id;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use bighealth_rules::disclosure::Settings;
use bighealth_store::Action;
use serde::Deserialize;
use serde_json::json;

/// What an address may carry.
#[derive(Debug, Deserialize)]
pub(super) struct NoteQuery {
    note: Option<String>,
}

/// `/public`: the plans with a public page.
async fn index(State(s): State<AppState>) -> PageResult<Html<String>> {
    let plans = s.store.public_plans().await?;
    render("public/plan.html", json!({"assets": super::assets::base(), "p": null, "plans": plans}))
}

/// `/public/plans/{id}`: a plan's public page.
async fn plan(State(s): State<AppState>, Path(id): Path<String>) -> PageResult<Html<String>> {
    let p = s.store.public_plan(positive_id(&id, "id")?, s.clock.now()).await?;
    render("public/plan.html", json!({"assets": super::assets::base(), "p": p}))
}

/// `/plans/{id}/disclosure`: what of the plan is public.
async fn settings(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoteQuery>,
) -> PageResult<Response> {
    let plan = positive_id(&id, "id")?;
    let current = s.store.disclosure(&viewer.0.actor, plan).await?;
    show(&s, &viewer, plan, &current, opt_text(&q.note), &FieldErrors::default()).await
}

async fn show(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    settings: &Settings,
    note: Option<String>,
    errors: &FieldErrors,
) -> PageResult<Response> {
    let name = s.store.plan(plan).await?.name().to_string();
    render(
        "public/settings.html",
        json!({"frame": viewer.frame("plans"), "plan": plan, "name": name, "s": settings,
            "may_edit": viewer.may(Action::ManagePlans), "note": note, "errors": errors.0}),
    )
    .map(IntoResponse::into_response)
}

/// The office saves what is public.
async fn save(State(s): State<AppState>, viewer: Viewer, Path(id): Path<String>, form: Fields) -> PageResult<Response> {
    let plan = positive_id(&id, "id")?;
    viewer.require(&s, Action::ManagePlans, &format!("plan:{plan}")).await?;
    let on = |f: &str| !form.text(f).is_empty();
    let settings = Settings {
        public: on("public"),
        targets: on("targets"),
        projects: on("projects"),
        tasks: on("tasks"),
        assessment: on("assessment"),
        intro: form.text("intro").to_string(),
    };
    match s.store.set_disclosure(&viewer.0.actor, plan, &settings, s.clock.now()).await {
        Ok(_) => Ok(hx_redirect(&format!("/plans/{plan}/disclosure?note=saved"))),
        Err(e) => show(&s, &viewer, plan, &settings, None, &FieldErrors::from_store(e)?).await,
    }
}

/// The 政务公开 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public", get(index))
        .route("/public/plans/{id}", get(plan))
        .route("/plans/{id}/disclosure", get(settings).post(save))
}
