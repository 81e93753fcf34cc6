//! Request extractors that answer bad input with an [`ApiError`] naming the
//! field: a JSON body ([`Body`]), a query string ([`Q`]), an id in the path
//! ([`Id`]), and an uploaded file ([`upload`]) read once the right is checked.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use bighealth_rules::refusal::Reason;
use serde::de::DeserializeOwned;

/// A JSON body, parsed with the path of any field that does not fit.
#[derive(Debug)]
pub struct Body<T>(pub T);

fn too_large(limit: &str) -> ApiError {
    ApiError::from(Reason::BodyTooLarge { limit: limit.into() }).field("body")
}

/// Most bytes of a JSON body.
pub const JSON_LIMIT: usize = 1024 * 1024;

/// Most bytes of an oversized body read (and dropped) before answering 413.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

async fn bytes(req: Request, limit: usize) -> Result<Bytes, ApiError> {
    let human = bighealth_reader::limits::human(limit as u64);
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > limit as u64) {
        // Read a moderately oversized body to its end before answering, so
        // that the client, still sending, gets the answer rather than a
        // closed connection; a huge one is cut off.
        if n <= DRAIN_LIMIT as u64 {
            let _ = axum::body::to_bytes(req.into_body(), DRAIN_LIMIT).await;
        }
        return Err(too_large(&human));
    }
    axum::body::to_bytes(req.into_body(), limit).await.map_err(|e| {
        if format!("{e:?}").contains("LengthLimit") {
            too_large(&human)
        } else {
            ApiError::from(Reason::BodyUnreadable { detail: e.to_string() })
        }
    })
}

/// Parses JSON bytes into `T`, naming the field that does not fit.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::from(Reason::JsonMalformed {
                line: inner.line() as i64,
                column: inner.column() as i64,
                detail: inner.to_string(),
            })
            .field("body"),
            Category::Data => {
                let msg = inner.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                let field = if path == "." { missing_field(&msg).unwrap_or_else(|| "body".into()) } else { path };
                ApiError::from(Reason::JsonField { detail: msg }).field(field)
            }
        }
    })
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(ApiError::from(Reason::NotJson {}).field("Content-Type"));
        }
        let bytes = bytes(req, JSON_LIMIT).await?;
        parse_json(&bytes).map(Body)
    }
}

/// A query string, parsed with the name of any parameter that does not fit.
#[derive(Debug)]
pub struct Q<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Q<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(Q).map_err(|e| {
            let msg = e.inner().to_string();
            let field = match e.path().to_string() {
                p if p == "." => missing_field(&msg).unwrap_or_else(|| "query".into()),
                p => p,
            };
            ApiError::from(Reason::QueryParameter { name: field.clone(), detail: msg }).field(field)
        })
    }
}

/// The field serde names in "missing field `name`".
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.split("missing field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// A numeric id in the path (`/api/tasks/{id}`).
#[derive(Debug, Clone, Copy)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::from(Reason::IdMalformed { raw: e.body_text() }).field("id"))?;
        positive_id(&raw, "id").map(Id)
    }
}

/// An id in an address (`/api/tasks/{id}`, a form's `{unit}`): a positive
/// whole number, or `id_malformed` about `field`.
pub fn positive_id(raw: &str, field: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ApiError::from(Reason::IdMalformed { raw: raw.chars().take(40).collect() }).field(field))
}

/// Refuses an upload the asker may not make: its body is read and dropped
/// chunk by chunk (never held; at most four times the file limit, within
/// the request's time limit), so that a client still sending gets the
/// answer instead of a broken connection.
pub async fn refuse_upload(req: Request, refusal: ApiError) -> ApiError {
    let cap = 4 * bighealth_reader::limits::MAX_FILE_BYTES;
    use axum::body::HttpBody;
    let mut body = req.into_body();
    let mut seen: u64 = 0;
    while let Some(Ok(frame)) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        seen += frame.data_ref().map(|d| d.len() as u64).unwrap_or(0);
        if seen > cap {
            break;
        }
    }
    refusal
}

/// An uploaded file: the raw request body (at most the reader's file
/// limit). Not an extractor, on purpose: a handler checks the right first and
/// only then reads the body, so that who may not upload cannot make the
/// server hold megabytes.
pub async fn upload(req: Request) -> Result<Bytes, ApiError> {
    let bytes = bytes(req, bighealth_reader::limits::MAX_FILE_BYTES as usize).await?;
    if bytes.is_empty() {
        return Err(ApiError::from(Reason::UploadEmpty {}).field("file"));
    }
    Ok(bytes)
}
