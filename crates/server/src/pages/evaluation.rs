//! 第三方评估 page (`/evaluation?plan=…`): the evaluators the office
//! granted the plan, their reports and findings with the office's answers;
//! an evaluator's own page, its plan's only.

use super::form::{FieldErrors, Fields, read_multipart};
use super::{PageResult, Viewer, hx_redirect, opt_text, render};
use crate::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::calendar::date_of;
use bighealth_rules::refusal::Reason;
use bighealth_store::Action;
use bighealth_store::assessment::entries::FileOwner;
use bighealth_store::evaluation::NewGrant;
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

/// What the address may carry.
#[derive(Debug, Deserialize)]
pub(super) struct EvalQuery {
    plan: Option<String>,
    note: Option<String>,
}

/// The plan of the page: the evaluator's own, or the one asked for.
fn plan_of(viewer: &Viewer, q: &EvalQuery) -> PageResult<i64> {
    if let Some(p) = viewer.0.actor.plan {
        return Ok(p);
    }
    super::plan_of(&q.plan)
}

async fn page(State(s): State<AppState>, viewer: Viewer, Query(q): Query<EvalQuery>) -> PageResult<Response> {
    let plan = plan_of(&viewer, &q)?;
    show(&s, &viewer, plan, opt_text(&q.note), &HashMap::new(), &FieldErrors::default()).await
}

async fn show(
    s: &AppState,
    viewer: &Viewer,
    plan: i64,
    note: Option<String>,
    typed: &HashMap<String, String>,
    errors: &FieldErrors,
) -> PageResult<Response> {
    viewer.require(s, Action::ReadPlans, &format!("plan:{plan}")).await?;
    let e = s.store.evaluation(&viewer.0.actor, plan).await?;
    let name = s.store.plan(plan).await?.name().to_string();
    let year = date_of(s.clock.now()).year();
    // Every field the forms show, as typed or empty.
    let typed: HashMap<&str, &str> = ["username", "body", "valid_until", "finding"]
        .into_iter()
        .map(|k| (k, typed.get(k).map(String::as_str).unwrap_or("")))
        .collect();
    render(
        "evaluation/plan.html",
        json!({"frame": viewer.frame("evaluation"), "plan": plan, "name": name, "e": e, "year": year,
            "may_grant": viewer.may(Action::Assess), "may_evaluate": viewer.may(Action::Evaluate),
            "note": note, "typed": typed, "errors": errors.0}),
    )
    .map(IntoResponse::into_response)
}

/// The office grants an evaluator's account the plan.
async fn grant(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<EvalQuery>,
    form: Fields,
) -> PageResult<Response> {
    let plan = plan_of(&viewer, &q)?;
    viewer.require(&s, Action::Assess, &format!("plan:{plan}")).await?;
    let new = NewGrant {
        username: form.text("username").into(),
        body: form.text("body").into(),
        valid_until: form.text("valid_until").into(),
    };
    match s.store.grant_evaluator(&viewer.0.actor, plan, &new, s.clock.now()).await {
        Ok(_) => Ok(hx_redirect(&format!("/evaluation?plan={plan}&note=granted"))),
        Err(e) => show(&s, &viewer, plan, None, &form.0, &FieldErrors::from_store(e)?).await,
    }
}

/// The evaluator uploads its report.
async fn upload(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<EvalQuery>,
    multipart: axum::extract::Multipart,
) -> PageResult<Response> {
    let plan = plan_of(&viewer, &q)?;
    viewer.require(&s, Action::Evaluate, &format!("plan:{plan}")).await?;
    let mut errors = FieldErrors::default();
    let upload = read_multipart(multipart, &mut errors).await?;
    if errors.is_empty() && upload.bytes.is_empty() {
        errors.add("file", Reason::FileMissing {});
    }
    if errors.is_empty() {
        let name = if upload.file_name.is_empty() { "评估报告".to_string() } else { upload.file_name.clone() };
        let now = s.clock.now();
        match s
            .store
            .attach_assessment_file(&viewer.0.actor, FileOwner::Evaluation, plan, &name, &upload.bytes, now)
            .await
        {
            Ok(_) => return Ok(hx_redirect(&format!("/evaluation?plan={plan}&note=uploaded"))),
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    show(&s, &viewer, plan, None, &HashMap::new(), &errors).await
}

/// The evaluator (or the office) states a finding.
async fn finding(
    State(s): State<AppState>,
    viewer: Viewer,
    Query(q): Query<EvalQuery>,
    form: Fields,
) -> PageResult<Response> {
    let plan = plan_of(&viewer, &q)?;
    match s.store.add_evaluation_finding(&viewer.0.actor, plan, form.text("finding"), None, s.clock.now()).await {
        Ok(_) => Ok(hx_redirect(&format!("/evaluation?plan={plan}&note=found"))),
        Err(e) => show(&s, &viewer, plan, None, &form.0, &FieldErrors::from_store(e)?).await,
    }
}

/// The office answers a finding.
async fn answer(
    State(s): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<EvalQuery>,
    form: Fields,
) -> PageResult<Response> {
    let plan = plan_of(&viewer, &q)?;
    let id = crate::extract::positive_id(&id, "id")?;
    viewer.require(&s, Action::Assess, &format!("evaluation_finding:{id}")).await?;
    match s.store.answer_evaluation_finding(&viewer.0.actor, id, form.text("answer"), s.clock.now()).await {
        Ok(_) => Ok(hx_redirect(&format!("/evaluation?plan={plan}&note=answered"))),
        Err(e) => show(&s, &viewer, plan, None, &form.0, &FieldErrors::from_store(e)?).await,
    }
}

/// The 第三方评估 routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/evaluation", get(page))
        .route("/evaluation/grant", post(grant))
        .route("/evaluation/reports", post(upload))
        .route("/evaluation/findings", post(finding))
        .route("/evaluation/findings/{id}/answer", post(answer))
}
