//! Who is asking: the session cookie (HttpOnly, SameSite=Strict) behind
//! every request ([`Auth`]), the CSRF token every state-changing request
//! carries, and the Origin / Sec-Fetch-Site check against cross-site posts.
//! Logging in and out are the session routes (`routes::session`).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bighealth_rules::refusal::Reason;
use bighealth_store::accounts::User;
use bighealth_store::audit::Event;
use bighealth_store::{Action, Actor, Store};

/// The session cookie's name.
pub const COOKIE: &str = "bh_session";
/// The session cookie's name behind HTTPS (`--secure-cookies`): the
/// `__Host-` prefix makes a browser keep it to this host, path `/`, Secure.
pub const SECURE_COOKIE: &str = "__Host-bh_session";

/// The session cookie's name a server uses.
pub fn cookie_name(state: &AppState) -> &'static str {
    if state.secure_cookies { SECURE_COOKIE } else { COOKIE }
}

/// The session token a request carries, under the server's cookie name.
pub fn session_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    cookie(headers, cookie_name(state))
}

/// Whether two secrets are equal, in a time that does not tell how much of
/// them matched.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
/// The header carrying the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A logged-in request.
#[derive(Debug, Clone)]
pub struct Auth {
    /// Who acts, as the store sees them.
    pub actor: Actor,
    /// Their account.
    pub user: User,
    /// The session token (to end it).
    token: String,
    /// The CSRF token of the session.
    csrf: String,
}

impl Auth {
    /// A command run on the server's own machine (`bighealth demo`), acting
    /// as `actor` without a session: it writes the documents the office
    /// issues as the pages and the API would.
    pub fn local(actor: Actor) -> Auth {
        let user = User {
            id: 0,
            username: actor.username.clone(),
            display_name: actor.username.clone(),
            roles: actor.roles.clone(),
            units: actor.units.clone(),
            grant: None,
            locked_until: None,
            disabled_at: None,
        };
        Auth { actor, user, token: String::new(), csrf: String::new() }
    }
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The value of cookie `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Auth> {
        let token = session_token(state, &parts.headers).ok_or_else(|| ApiError::from(Reason::LoginRequired {}))?;
        let session = state
            .store
            .session(&token, state.clock.now())
            .await?
            .ok_or_else(|| ApiError::from(Reason::LoginRequired {}))?;
        if is_unsafe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if !same_secret(sent, &session.csrf) {
                return Err(ApiError::from(Reason::CsrfMissing {}).field("X-CSRF-Token"));
            }
        }
        let actor = Store::actor_of(&session.user, &crate::client::written(state, &parts.headers, &parts.extensions));
        // A third-party evaluator reaches its one plan only (audited when refused).
        let (path, query) = (parts.uri.path(), parts.uri.query().unwrap_or(""));
        if let Err(reason) = actor.may_open(!is_unsafe(&parts.method), path, query) {
            let detail = Action::ReadPlans.as_str();
            let event = Event { action: "access", object: path, detail, outcome: "denied" };
            state.store.audit_now(&actor, event, state.clock.now()).await?;
            return Err(ApiError { refusal: reason.into(), audited: true });
        }
        Ok(Auth { actor, user: session.user, token, csrf: session.csrf })
    }
}

impl Auth {
    /// The session token (to end the session).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The session's CSRF token (pages put it where htmx sends it from).
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// Refuses (403, audited) unless the actor may do `action`.
    pub async fn require(&self, state: &AppState, action: Action, object: &str) -> ApiResult<()> {
        let Err(reason) = self.actor.require(action) else { return Ok(()) };
        state
            .store
            .audit_now(
                &self.actor,
                Event { action: "access", object, detail: action.as_str(), outcome: "denied" },
                state.clock.now(),
            )
            .await?;
        Err(ApiError { refusal: reason.into(), audited: true })
    }
}

/// Refuses state-changing requests sent from another site: an `Origin`
/// whose scheme, host and port are not this server's (https behind
/// `--secure-cookies`), or a `Sec-Fetch-Site` other than same-origin.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_unsafe(req.method()) {
        let h = req.headers();
        let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross_site = matches!(site, Some(s) if s != "same-origin" && s != "none");
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = h.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let scheme = if state.secure_cookies { "https" } else { "http" };
        let foreign_origin = match (origin, host) {
            (Some(o), Some(host)) => o != format!("{scheme}://{host}"),
            (Some(_), None) => true,
            _ => false,
        };
        if cross_site || foreign_origin {
            return ApiError::from(Reason::CrossSite {}).field("Origin").into_response();
        }
    }
    next.run(req).await
}

/// The `Set-Cookie` value of a session (`max_age` 0 clears it).
pub(crate) fn session_cookie(state: &AppState, token: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    let name = cookie_name(state);
    HeaderValue::from_str(&format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict{secure}{age}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Logs in from `ip` — the API's and the login page's one way in: an address
/// with too many failures in a row waits first ([`crate::throttle`]); a
/// refusal is answered alike for an unknown name, a wrong password and a
/// locked account, and is in the audit log already.
pub async fn log_in(
    state: &AppState,
    username: &str,
    password: &str,
    ip: std::net::IpAddr,
) -> ApiResult<bighealth_store::accounts::NewSession> {
    let now = state.clock.now();
    if let Some(seconds) = state.logins.wait(ip, now) {
        return Err(Reason::LoginsThrottled { seconds }.into());
    }
    match state.store.login(username, password, &ip.to_string(), now).await? {
        Ok(session) => {
            state.logins.succeeded(ip);
            Ok(session)
        }
        Err(refused) => {
            state.logins.failed(ip, now);
            Err(ApiError { refusal: refused.reason().into(), audited: true })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc123", "abc123"));
        assert!(!same_secret("abc123", "abc124"));
        assert!(!same_secret("abc", "abc123"));
        assert!(!same_secret("", "x"));
    }
}
