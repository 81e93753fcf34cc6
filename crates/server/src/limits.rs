//! What a connection and a request may take: the time to send a request's
//! headers, the time a whole request may run, and the connections open at
//! once. A client that sends half a request and waits, or opens thousands of
//! connections, holds the server for no longer than these allow.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bighealth_rules::refusal::Reason;
use std::time::Duration;

/// What a connection and a request may take.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's headers, from the connection's first byte
    /// (or the end of the request before it).
    pub headers: Duration,
    /// Time a whole request may run, its body and its work included; longer
    /// than an import may read (`bighealth_store::IMPORT_LIMIT`).
    pub request: Duration,
    /// Connections open at once.
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { headers: Duration::from_secs(10), request: Duration::from_secs(180), connections: 1024 }
    }
}

/// Stops a request that runs longer than [`Limits::request`] and answers
/// `request_timed_out` (408). Its work is dropped where it stands: a store
/// change is one transaction, so nothing half-written stays.
pub async fn request_time(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.limits.request;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => ApiError::from(Reason::RequestTimedOut { seconds: limit.as_secs().max(1) as i64 }).into_response(),
    }
}

/// Answers a connection over the cap with 503 and closes it, without reading
/// its request.
pub async fn refuse_connection(mut stream: tokio::net::TcpStream, cap: usize) {
    use tokio::io::AsyncWriteExt;
    let refusal = ApiError::from(Reason::TooManyConnections { max: cap as i64 });
    let body = serde_json::to_string(&refusal.body(bighealth_rules::refusal::Lang::Zh)).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 5\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let answer = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), answer).await;
}
