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

/// Checks a year: a plan year between 1949 and 2100.
pub fn check_year(field: &str, year: i64) -> crate::Result<()> {
    if (1949..=2100).contains(&year) {
        Ok(())
    } else {
        Err(crate::StoreError::invalid(field, format!("{year} is not a plan year (1949–2100)")))
    }
}

/// Checks a number: finite.
pub fn check_number(field: &str, value: f64) -> crate::Result<()> {
    if value.is_finite() { Ok(()) } else { Err(crate::StoreError::invalid(field, "must be a finite number")) }
}
