//! bighealth-server: the HTTP server. Web pages in Chinese for the office,
//! the departments and the leaders ([`pages`]), and a JSON API for plans,
//! sections, tasks, targets, projects, units, findings, accounts and the
//! audit log, with its OpenAPI document at `/api/openapi.json`; logins with
//! a session cookie and CSRF protection. The logic lives in
//! `bighealth-store`; this crate turns requests into store calls and store
//! answers into responses.

pub mod auth;
pub mod client;
pub mod clock;
pub mod error;
pub mod extract;
pub mod limits;
pub mod notify;
pub mod pages;
pub mod routes;
pub mod throttle;

pub use clock::Clock;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use bighealth_rules::refusal::Reason;
use bighealth_store::Store;
use error::ApiError;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// The clock.
    pub clock: Clock,
    /// Mark the session cookie `Secure` (when served over HTTPS, as behind a
    /// TLS-terminating proxy).
    pub secure_cookies: bool,
    /// Failed logins per client address.
    pub logins: Arc<throttle::LoginThrottle>,
    /// What a connection and a request may take.
    pub limits: limits::Limits,
    /// The addresses of reverse proxies whose `X-Forwarded-For` is believed
    /// ([`client::address`]).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// How reminders leave the server (e-mail, group robots).
    pub notifier: Arc<notify::Notifier>,
}

impl AppState {
    /// The state of a server on `store`, with the default [`limits::Limits`]
    /// and no trusted proxy.
    pub fn new(store: Store, clock: Clock, secure_cookies: bool) -> AppState {
        AppState {
            store,
            clock,
            secure_cookies,
            logins: Arc::default(),
            limits: limits::Limits::default(),
            trusted_proxies: Arc::new([]),
            notifier: Arc::default(),
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    components(schemas(error::ErrorBody)),
    info(
        title = "bighealth API",
        description = "大健康产业规划管理平台: plans, tasks, targets, projects, units, findings, accounts and the audit log. \
Log in with POST /api/session; send the session's csrf_token in the X-CSRF-Token header of every POST, PUT, PATCH and DELETE. \
Errors answer {\"error\": {\"code\", \"message\", \"field\", \"args\"}}: the code and its args come from one catalogue; \
the message is in Chinese, or in English when Accept-Language prefers it."
    ),
    tags(
        (name = "session", description = "Logging in and out"),
        (name = "plans", description = "Plans, their sections, sources and regions"),
        (name = "tasks", description = "Tasks (重点任务) and their units"),
        (name = "targets", description = "Targets (目标/指标)"),
        (name = "projects", description = "The project library (项目储备库)"),
        (name = "units", description = "The unit registry"),
        (name = "findings", description = "The reader's findings"),
        (name = "reporting", description = "Monthly dispatch (月调度): reporting calendars, the units' forms and their review, reminders, reporting rates"),
        (name = "supervision", description = "Supervision (督查督办): lag rules, items and their loop from 交办 to 销号, the ledger, reminders and escalation, holiday calendars, the 督办通知单 and 督办情况通报"),
        (name = "analysis", description = "Analysis (季分析): where each target, task and project stands against 序时进度, with its reason; the office's status thresholds"),
        (name = "assessment", description = "Annual assessment (年考核): scoring schemes per plan and year (versioned, as .xlsx both ways), the year scored with every point explained, the office's entries, self-assessments and their review, the result published with its 通报 and the 限期整改 items it opens"),
        (name = "public", description = "Public disclosure (政务公开): what of a plan the office makes public, and the public page read without a login"),
        (name = "proposals", description = "Changes to the issued plan proposed by reporters, decided by the office"),
        (name = "accounts", description = "Accounts and the password policy (安全管理员)"),
        (name = "audit", description = "The audit log (审计员)"),
    )
)]
struct ApiDoc;

/// The error answers any operation may give, with what they mean.
const ERRORS: [(&str, &str); 13] = [
    ("400", "The request cannot be parsed: malformed JSON, a query parameter or id of the wrong type"),
    ("401", "Not logged in, or the session ended"),
    ("403", "The role may not do this, the CSRF token is missing or wrong, or the request came from another site"),
    ("404", "No such record or endpoint"),
    ("408", "The request took longer than the server allows; nothing was stored"),
    ("409", "The change conflicts with what is stored"),
    ("413", "The body is too large"),
    ("415", "The body is not sent as JSON"),
    ("422", "A value is wrong: the error names the field"),
    ("429", "Too many failed logins from this address: wait the seconds the error says"),
    ("423", "The account is locked after too many failed logins"),
    ("500", "The database failed; nothing was changed"),
    ("503", "The server has as many connections open as it keeps: try again in a few seconds"),
];

/// Adds the error answers to every operation that does not list them, so
/// that the document says every status the API gives.
fn document_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    for item in doc.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for op in ops.into_iter().flatten() {
            for (status, what) in ERRORS {
                op.responses.responses.entry(status.to_string()).or_insert_with(|| {
                    ResponseBuilder::new()
                        .description(what)
                        .content(
                            "application/json",
                            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                        )
                        .build()
                        .into()
                });
            }
        }
    }
}

/// The API's routes and its OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::session::routes())
        .merge(routes::plans::routes())
        .merge(routes::tasks::routes())
        .merge(routes::targets::routes())
        .merge(routes::projects::routes())
        .merge(routes::units::routes())
        .merge(routes::findings::routes())
        .merge(routes::proposals::routes())
        .merge(routes::reporting::routes())
        .merge(routes::supervision::routes())
        .merge(routes::analysis::routes())
        .merge(routes::assessment::routes())
        .merge(routes::public::routes())
        .merge(routes::evaluation::routes())
        .merge(routes::indicators::routes())
        .merge(routes::enterprises::routes())
        .merge(routes::accounts::routes())
        .merge(routes::audit::routes())
        .split_for_parts();
    document_errors(&mut doc);
    (router, doc)
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::from(Reason::NoEndpoint { path: uri.path().into() }).into_response()
    } else {
        pages::PageError::Api(Reason::NoEndpoint { path: uri.path().into() }.into()).into_response()
    }
}

/// What pages may load: only this site's own files (the JSON in
/// `<script type="application/json">` is data, not run); ECharts sets
/// inline styles.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api();
    let doc = Arc::new(doc);
    api.route("/api/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
        .route("/api/health", get(|| async { Json(serde_json::json!({"status": "ok"})) }))
        .merge(pages::routes())
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::same_origin))
        .layer(middleware::from_fn_with_state(state.clone(), error::localize))
        .layer(middleware::from_fn_with_state(state.clone(), limits::request_time))
        .layer(DefaultBodyLimit::disable())
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes: one
/// HTTP/1.1 connection per task, at most [`limits::Limits::connections`] at
/// once (one more is answered 503 and closed), each given
/// [`limits::Limits::headers`] to send a request's headers.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // A signed checkpoint of the audit log every minute, outside the database.
    let store = state.store.clone();
    let checkpoints = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            if let Err(e) = store.checkpoint_audit().await {
                tracing::error!("writing an audit checkpoint: {e}");
            }
        }
    });
    let limits = state.limits;
    let app = app(state);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.headers);
    tokio::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait for connections to close.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tokio::spawn(limits::refuse_connection(stream, limits.connections));
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
            tower::ServiceExt::oneshot(app.clone(), req.map(axum::body::Body::new))
        });
        let conn = graceful.watch(http.serve_connection(hyper_util::rt::TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection from {addr}: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    checkpoints.abort();
    Ok(())
}
