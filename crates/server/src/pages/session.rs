//! Logging in and out in the browser, and the start page of each role.

use super::form::FieldErrors;
use super::form::Fields;
use super::{PageResult, Viewer, assets, home_of, hx_redirect, render};
use crate::AppState;
use crate::auth::{log_in, session_cookie, session_token};
use crate::client::ClientAddr;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use bighealth_rules::refusal::Reason;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only a path on this site may be returned to after logging in: one slash,
/// then no second slash or backslash, and nothing a browser would drop or
/// read as another site (tabs, line breaks, any control or blank).
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\')
            && !n[1..].starts_with('/')
    })
    .map(str::to_string)
}

fn login_page(status: StatusCode, next: Option<&str>, username: &str, error: Option<&str>) -> PageResult<Response> {
    let html = render(
        "session/login.html",
        json!({"assets": assets::base(), "next": next.unwrap_or(""), "username": username, "error": error}),
    )?;
    Ok((status, html).into_response())
}

/// The start page of whoever holds a live session cookie, if anyone does.
async fn home_of_session(s: &AppState, headers: &HeaderMap) -> PageResult<Option<&'static str>> {
    let Some(token) = session_token(s, headers) else { return Ok(None) };
    let session = s.store.session(&token, s.clock.now()).await?;
    Ok(session.map(|session| home_of(&bighealth_store::Store::actor_of(&session.user, ""))))
}

async fn show_login(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Next>) -> PageResult<Response> {
    // Already logged in: straight on.
    if let Some(home) = home_of_session(&s, &headers).await? {
        let to = safe_next(q.next.as_deref()).unwrap_or_else(|| home.to_string());
        return Ok(Redirect::to(&to).into_response());
    }
    login_page(StatusCode::OK, safe_next(q.next.as_deref()).as_deref(), "", None)
}

async fn do_login(State(s): State<AppState>, ClientAddr(ip): ClientAddr, form: Fields) -> PageResult<Response> {
    let username = form.text("username").to_string();
    let password = form.0.get("password").cloned().unwrap_or_default();
    let next = safe_next(Some(form.text("next")));
    if username.is_empty() || password.is_empty() {
        return login_page(StatusCode::UNPROCESSABLE_ENTITY, next.as_deref(), &username, Some("请输入用户名和密码"));
    }
    match log_in(&s, &username, &password, ip).await {
        Ok(session) => {
            let actor = bighealth_store::Store::actor_of(&session.user, "");
            let to = next.unwrap_or_else(|| home_of(&actor).to_string());
            let mut resp = Redirect::to(&to).into_response();
            resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, &session.token, None));
            Ok(resp)
        }
        Err(e) => login_page(e.status(), next.as_deref(), &username, Some(&e.message())),
    }
}

fn password_page(viewer: &Viewer, errors: &FieldErrors, done: bool, status: StatusCode) -> PageResult<Response> {
    let html = render("session/password.html", json!({"frame": viewer.frame(""), "errors": errors.0, "done": done}))?;
    Ok((status, html).into_response())
}

async fn show_password(viewer: Viewer) -> PageResult<Response> {
    password_page(&viewer, &FieldErrors::default(), false, StatusCode::OK)
}

/// Changes one's own password: the current one, the new one twice.
async fn change_password(State(s): State<AppState>, viewer: Viewer, form: Fields) -> PageResult<Response> {
    let mut errors = FieldErrors::default();
    let raw = |name: &str| form.0.get(name).cloned().unwrap_or_default();
    let (old, new, again) = (raw("old_password"), raw("new_password"), raw("new_password_again"));
    for (field, value) in [("old_password", &old), ("new_password", &new)] {
        if value.is_empty() {
            errors.add(field, Reason::Required { field: field.into() });
        }
    }
    if new != again {
        errors.add("new_password_again", Reason::PasswordsDiffer {});
    }
    if errors.is_empty() {
        match s.store.change_own_password(&viewer.0.actor, &old, &new, Some(viewer.0.token()), s.clock.now()).await {
            Ok(()) => return password_page(&viewer, &errors, true, StatusCode::OK),
            Err(e) => errors = FieldErrors::from_store(e)?,
        }
    }
    password_page(&viewer, &errors, false, StatusCode::UNPROCESSABLE_ENTITY)
}

async fn logout(State(s): State<AppState>, Viewer(auth): Viewer) -> PageResult<Response> {
    s.store.end_session(&auth.actor, auth.token(), s.clock.now()).await?;
    let mut resp = hx_redirect("/login");
    resp.headers_mut().insert(header::SET_COOKIE, session_cookie(&s, "", Some(0)));
    Ok(resp)
}

async fn home(State(s): State<AppState>, headers: HeaderMap) -> PageResult<Response> {
    Ok(Redirect::to(home_of_session(&s, &headers).await?.unwrap_or("/login")).into_response())
}

async fn favicon() -> impl IntoResponse {
    (StatusCode::NO_CONTENT, Html(""))
}

/// The session pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(show_login).post(do_login))
        .route("/logout", post(logout))
        .route("/password", get(show_password).post(change_password))
        .route("/favicon.ico", get(favicon))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_a_path_of_this_site_is_returned_to() {
        for ok in ["/", "/plans/3?same=1", "/tasks?plan=2&segment=%E5%8C%BB", "/规划"] {
            assert_eq!(safe_next(Some(ok)).as_deref(), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example/",
            "/\t/evil.example/",
            "/\n",
            "/%0a\n",
            "/\\evil.example",
            "https://evil.example/",
            "",
            "/ /x",
            "evil",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
    }
}
