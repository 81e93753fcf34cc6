//! Partial updates: a field left out is kept, a field given as `null` is
//! cleared, a field given a value is set.

use serde::{Deserialize, Deserializer};

/// Deserializes a field that may be absent (`None`), null (`Some(None)`) or
/// set (`Some(Some(v))`). Use with `#[serde(default, deserialize_with = "patch::field")]`.
pub fn field<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
