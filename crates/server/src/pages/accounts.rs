//! The 安全管理员's 账号 page: every account with its roles, units and state;
//! creating an account, granting roles and units, unlocking, disabling and
//! enabling, resetting a password (the new one shown once). Nobody else sees
//! it; the store checks the right on every change and audits it.

use super::form::{FieldErrors, Fields};
use super::{PageResult, Viewer, render};
use crate::AppState;
use crate::extract::Id;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use bighealth_rules::refusal::Reason;
use bighealth_store::accounts::{Applied, NewUser, User, UserPatch, generate_password};
use bighealth_store::units::UnitQuery;
use bighealth_store::{Action, Role};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The names of every live unit, for showing and picking the units of a
/// reporter.
async fn unit_names(s: &AppState) -> PageResult<Vec<(i64, String)>> {
    let mut units: Vec<(i64, String)> =
        s.store.units(&UnitQuery::default()).await?.into_iter().map(|u| (u.id, u.name)).collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(units)
}

/// An account as its row shows it: roles and units by name, its state.
fn row(user: &User, names: &HashMap<i64, String>, now: i64) -> Value {
    json!({
        "user": user,
        "roles": user.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
        "role_keys": user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "units": user.units.iter().map(|u| names.get(u).cloned().unwrap_or_else(|| format!("单位 {u}"))).collect::<Vec<_>>(),
        "locked": user.locked_until.is_some_and(|t| t > now),
    })
}

fn roles() -> Vec<Value> {
    Role::ALL.iter().map(|r| json!({"key": r.as_str(), "label": r.label()})).collect()
}

/// The roles and units ticked in a form.
fn picked(form_pairs: &[(String, String)]) -> (Vec<Role>, Vec<i64>) {
    let roles = form_pairs.iter().filter(|(k, _)| k == "role").filter_map(|(_, v)| Role::parse(v)).collect();
    let units = form_pairs.iter().filter(|(k, _)| k == "unit").filter_map(|(_, v)| v.parse().ok()).collect();
    (roles, units)
}

async fn page(
    s: &AppState,
    viewer: &Viewer,
    created: Option<Value>,
    errors: &FieldErrors,
    given: Value,
) -> PageResult<Html<String>> {
    let users = s.store.users(&viewer.0.actor).await?;
    let requests = s.store.account_requests(&viewer.0.actor).await?;
    let units = unit_names(s).await?;
    let names: HashMap<i64, String> = units.iter().cloned().collect();
    let now = s.clock.now();
    let rows: Vec<Value> = users.iter().map(|u| row(u, &names, now)).collect();
    let policy = s.store.password_policy().await?;
    render(
        "accounts/accounts.html",
        json!({
            "frame": viewer.frame("accounts"), "rows": rows, "policy": policy, "roles": roles(),
            "units": units.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
            "created": created, "errors": errors.0, "given": given, "requests": requests,
            "me": viewer.0.actor.user_id,
        }),
    )
}

async fn accounts(State(s): State<AppState>, viewer: Viewer) -> PageResult<Html<String>> {
    viewer.require(&s, Action::ManageAccounts, "accounts").await?;
    page(&s, &viewer, None, &FieldErrors::default(), json!({})).await
}

/// Creates an account with a generated password, shown once.
async fn create(State(s): State<AppState>, viewer: Viewer, body: axum::body::Bytes) -> PageResult<Response> {
    viewer.require(&s, Action::ManageAccounts, "accounts").await?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let form = Fields(pairs.iter().cloned().collect());
    let (roles, units) = picked(&pairs);
    let mut errors = FieldErrors::default();
    let username = errors.required(&form, "username");
    if roles.is_empty() {
        errors.add("roles", Reason::NoRole {});
    }
    let given = json!({"username": form.text("username"), "display_name": form.text("display_name"),
        "roles": roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(), "units": units});
    if errors.is_empty() {
        let password = generate_password();
        let new =
            NewUser { username, display_name: form.opt("display_name"), password: password.clone(), roles, units };
        match s.store.create_user(&viewer.0.actor, &new, s.clock.now()).await {
            Ok(Applied::Done(user)) => {
                let created = json!({"username": user.username, "password": password});
                return Ok(page(&s, &viewer, Some(created), &errors, json!({})).await?.into_response());
            }
            Ok(Applied::Pending(request)) => {
                let created = json!({"pending": request.summary});
                return Ok(page(&s, &viewer, Some(created), &errors, json!({})).await?.into_response());
            }
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&s, &viewer, None, &errors, given).await?).into_response())
}

/// One change to an account, answered with its row: `do` is `unlock`,
/// `disable`, `enable`, `reset` (a new password, shown once) or `grant`
/// (the roles and units ticked).
async fn change(
    State(s): State<AppState>,
    viewer: Viewer,
    Id(id): Id,
    body: axum::body::Bytes,
) -> PageResult<Response> {
    viewer.require(&s, Action::ManageAccounts, &format!("user:{id}")).await?;
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let form = Fields(pairs.iter().cloned().collect());
    let mut patch = UserPatch::default();
    let mut password = None;
    match form.text("do") {
        "unlock" => patch.unlock = Some(true),
        "disable" => patch.disabled = Some(true),
        "enable" => patch.disabled = Some(false),
        "reset" => {
            let p = generate_password();
            patch.password = Some(p.clone());
            password = Some(p);
        }
        "grant" => {
            let (roles, units) = picked(&pairs);
            patch.roles = Some(roles);
            patch.units = Some(units);
        }
        other => {
            return Err(Reason::NotOneOf {
                value: other.into(),
                allowed: "unlock、disable、enable、reset、grant".into(),
            }
            .into());
        }
    }
    let units = unit_names(&s).await?;
    let names: HashMap<i64, String> = units.iter().cloned().collect();
    let mut pending = None;
    let (status, user, error) = match s.store.update_user(&viewer.0.actor, id, &patch, s.clock.now()).await {
        Ok(Applied::Done(user)) => (StatusCode::OK, user, None),
        Ok(Applied::Pending(request)) => {
            pending = Some(request.summary);
            password = None;
            (StatusCode::ACCEPTED, s.store.user(id).await?, None)
        }
        Err(e) => {
            let errors = FieldErrors::from_store(e)?;
            (StatusCode::UNPROCESSABLE_ENTITY, s.store.user(id).await?, errors.0.into_values().next())
        }
    };
    let html = render(
        "accounts/account.html",
        json!({
            "frame": viewer.frame("accounts"), "r": row(&user, &names, s.clock.now()), "roles": roles(),
            "units": units.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
            "password": password, "error": error, "pending": pending,
        }),
    )?;
    Ok((status, html).into_response())
}

/// A second 安全管理员 approves or rejects a change to an administrator's
/// account; the page comes back with the outcome (and a generated password,
/// shown once).
async fn decide(State(s): State<AppState>, viewer: Viewer, Id(id): Id, form: Fields) -> PageResult<Response> {
    viewer.require(&s, Action::ManageAccounts, &format!("account_request:{id}")).await?;
    let approve = form.text("approve") == "1";
    let mut errors = FieldErrors::default();
    let decided = match s.store.decide_account_request(&viewer.0.actor, id, approve, s.clock.now()).await {
        Ok(d) => Some(json!({
            "decided": d.request.summary, "approved": approve,
            "username": d.user.map(|u| u.username), "password": d.password,
        })),
        Err(bighealth_store::StoreError::Refused(r)) => {
            errors.add("request", r.reason);
            None
        }
        Err(e) => return Err(e.into()),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    Ok((status, page(&s, &viewer, decided, &errors, json!({})).await?).into_response())
}

/// The account routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(accounts).post(create))
        .route("/accounts/{id}", post(change))
        .route("/accounts/requests/{id}", post(decide))
}
