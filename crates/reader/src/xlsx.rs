//! xlsx
use crate::{error::ReadError, source::Source};
/// Reads a xlsx package.
pub fn read(_bytes: &[u8]) -> Result<Source, ReadError> {
    Err(ReadError::Unsupported("not yet".into()))
}
