//! Who looks at a page: the session ([`Viewer`]), what their roles may
//! open (the menu) and the page they start on.

use super::PageError;
use super::assets;
use crate::AppState;
use crate::auth::Auth;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use bighealth_store::{Action, Role};
use serde_json::{Value, json};

/// Whether the request came from htmx (it then wants a fragment, and a
/// redirect as an `HX-Redirect` header).
fn is_htmx(parts: &Parts) -> bool {
    parts.headers.contains_key("hx-request")
}

/// The logged-in user of a page. Without a live session a page sends the
/// browser to the login page (and back afterwards).
#[derive(Debug, Clone)]
pub struct Viewer(pub Auth);

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Viewer, PageError> {
        match Auth::from_request_parts(parts, state).await {
            Ok(auth) => Ok(Viewer(auth)),
            Err(e) if e.status() == StatusCode::UNAUTHORIZED => {
                let next = if parts.method == axum::http::Method::GET && !is_htmx(parts) {
                    parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into())
                } else {
                    "/".into()
                };
                Err(PageError::Login { next, htmx: is_htmx(parts) })
            }
            Err(e) => Err(PageError::Api(e)),
        }
    }
}

impl Viewer {
    /// Refuses (403, audited, as the API does) unless the viewer may do `action`.
    pub async fn require(&self, state: &AppState, action: Action, object: &str) -> Result<(), PageError> {
        Ok(self.0.require(state, action, object).await?)
    }

    /// Whether the viewer may do `action` (to show or hide a button).
    pub fn may(&self, action: Action) -> bool {
        self.0.actor.may(action)
    }

    /// What every page's frame shows: the user, the menu of what their roles
    /// may open, the CSRF token htmx sends, where the assets are.
    pub fn frame(&self, active: &str) -> Value {
        let user = &self.0.user;
        let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
        let nav: Vec<Value> = menu(&self.0.actor)
            .into_iter()
            .map(|(href, label, key)| json!({"href": href, "label": label, "active": key == active}))
            .collect();
        json!({
            "username": user.username,
            "display_name": if user.display_name.is_empty() { &user.username } else { &user.display_name },
            "roles": roles.join("、"),
            "csrf": self.0.csrf(),
            "nav": nav,
            "assets": assets::base(),
            "may": {
                "read": self.may(Action::ReadPlans),
                "manage": self.may(Action::ManagePlans),
                "propose": self.may(Action::Propose),
            },
        })
    }
}

/// The pages a role may open, as (path, label, key).
fn menu(actor: &bighealth_store::Actor) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut items = Vec::new();
    // A third-party evaluator reaches its one plan from its own page.
    if actor.has(Role::Evaluator) {
        return vec![("/evaluation", "第三方评估", "evaluation")];
    }
    if actor.may(Action::ReadPlans) {
        items.extend([
            ("/overview", "总览", "overview"),
            ("/plans", "规划", "plans"),
            ("/tasks", "任务", "tasks"),
            ("/targets", "目标", "targets"),
            ("/projects", "项目", "projects"),
        ]);
    }
    if actor.may(Action::ReadPlans) {
        items.push(("/reporting", "月度调度", "reporting"));
        items.push(("/analysis", "进度分析", "analysis"));
        items.push(("/statistics", "统计监测", "statistics"));
        items.push(("/assessment", "年度考核", "assessment"));
    }
    if actor.may(Action::Supervise) || actor.has(Role::Leader) {
        items.push(("/supervision", "督查督办", "supervision"));
    }
    if actor.has(Role::Leader) {
        items.push(("/supervision/alerts", "督办预警", "alerts"));
    }
    if actor.has(Role::Reporter) {
        items.push(("/supervision/inbox", "我的督办", "inbox"));
    }
    if actor.has(Role::Reporter) || actor.may(Action::ManagePlans) {
        items.push(("/my", "我的任务", "my"));
        items.push(("/proposals", "变更申请", "proposals"));
    }
    if actor.may(Action::ManageAccounts) {
        items.push(("/accounts", "账号", "accounts"));
    }
    if actor.may(Action::ReadAudit) {
        items.push(("/audit", "审计日志", "audit"));
    }
    items
}

/// The page a user starts on: the first of their menu.
pub fn home_of(actor: &bighealth_store::Actor) -> &'static str {
    if actor.has(Role::Reporter) {
        return "/my";
    }
    menu(actor).first().map(|m| m.0).unwrap_or("/login")
}
