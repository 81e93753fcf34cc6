//! html
use crate::{error::ReadError, source::Source};
/// Whether decoded text is an HTML page.
pub fn looks_like_html(_text: &str) -> bool {
    false
}
/// Reads an HTML page.
pub fn read(_text: &str) -> Result<Source, ReadError> {
    Err(ReadError::Unsupported("not yet".into()))
}
