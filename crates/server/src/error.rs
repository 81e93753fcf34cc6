//! Errors as the API answers them: the status of the refusal's kind and a
//! JSON body `{"error": {"code", "message", "field", "args"}}`. The code and
//! its arguments come from the catalogue of `bighealth-rules`; the message
//! is in Chinese unless the client prefers English (`Accept-Language`),
//! which the [`localize`] layer settles for every answer.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bighealth_rules::refusal::{Kind, Lang, Reason, Refusal};
use bighealth_store::StoreError;
use bighealth_store::audit::Event;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A code of the catalogue (`target_year_before_base`, `role_may_not`,
    /// `not_found`, `csrf_missing`, `internal` …): stable, for programs.
    pub code: &'static str,
    /// What is wrong and how to put it right, in Chinese (or English when
    /// the request's `Accept-Language` prefers it).
    pub message: String,
    /// The field concerned (`value`, `lead[1]`, `file`, a query parameter…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The code's arguments (`{"year": 2019, "base": 2020}`).
    #[schema(value_type = Object)]
    pub args: serde_json::Value,
}

/// An error answer: a refusal, and whether it was written to the audit log
/// already.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The refusal.
    pub refusal: Refusal,
    /// Whether the refusal is in the audit log already.
    pub audited: bool,
}

impl ApiError {
    /// The same error, about `field`.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.refusal.field = Some(field.into());
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.refusal.reason.kind().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The message in Chinese.
    pub fn message(&self) -> String {
        self.refusal.message(Lang::Zh)
    }

    /// The body in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let r = &self.refusal;
        ErrorBody {
            error: ErrorDetail {
                code: r.reason.code(),
                message: r.message(lang),
                field: r.field.clone(),
                args: r.reason.args(),
            },
        }
    }
}

impl From<Reason> for ApiError {
    fn from(reason: Reason) -> Self {
        ApiError { refusal: reason.into(), audited: false }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        ApiError { refusal, audited: false }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(r) => r.into(),
            e => {
                tracing::error!("{e}");
                Reason::Internal {}.into()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (self.status(), axum::Json(self.body(Lang::Zh))).into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// Answers every API refusal in the client's language, and writes a
/// refusal of a right (403) that no handler wrote to the audit log — a
/// store method refusing a reporter, say — to the audit log with the
/// session's account.
pub async fn localize(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    let lang = Lang::from_accept_language(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let session = crate::auth::session_token(&state, req.headers());
    let object = req.uri().path().to_string();
    let remote = crate::client::written(&state, req.headers(), req.extensions());
    let mut resp = next.run(req).await;
    let Some(err) = resp.extensions_mut().remove::<ApiError>() else { return resp };
    if err.refusal.reason.kind() == Kind::Forbidden && !err.audited {
        let now = state.clock.now();
        if let Some(token) = session
            && let Ok(Some(s)) = state.store.session(&token, now).await
        {
            let actor = bighealth_store::Store::actor_of(&s.user, &remote);
            let detail = serde_json::to_string(&err.refusal.reason).unwrap_or_default();
            let event = Event { action: "refused", object: &object, detail: &detail, outcome: "denied" };
            if let Err(e) = state.store.audit_now(&actor, event, now).await {
                tracing::error!("writing a refusal to the audit log: {e}");
            }
        }
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if lang == Lang::En && is_json {
        let status = resp.status();
        let mut english = (status, axum::Json(err.body(Lang::En))).into_response();
        for (k, v) in resp.headers() {
            if k != header::CONTENT_LENGTH && k != header::CONTENT_TYPE {
                english.headers_mut().insert(k.clone(), v.clone());
            }
        }
        return english;
    }
    resp
}
