//! Submitted forms: their fields, and the errors shown next to them. A form
//! with an error is shown again with what the user typed and a message under
//! each wrong field; nothing is stored until every field is right.

use super::{PageError, PageResult};
use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use bighealth_rules::refusal::{Kind, Lang, Reason};
use bighealth_store::StoreError;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The fields of a submitted form (`application/x-www-form-urlencoded`).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Fields(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = PageError;

    async fn from_request(req: Request, _: &S) -> Result<Self, PageError> {
        let bytes = axum::body::to_bytes(req.into_body(), crate::extract::JSON_LIMIT)
            .await
            .map_err(|_| PageError::Api(ApiError::from(Reason::FormTooLarge {}).field("body")))?;
        Ok(Fields(form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}

impl Fields {
    /// A field's value, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.0.get(name).map(|s| s.trim()).unwrap_or("")
    }

    /// A field's value, or `None` when empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|s| !s.is_empty()).map(str::to_string)
    }
}

/// A multipart form with one file (`file`) and text fields.
#[derive(Debug, Default)]
pub struct Upload {
    /// The file's name as the browser sent it.
    pub file_name: String,
    /// Its bytes (empty when too large: the error says so).
    pub bytes: Vec<u8>,
    /// The other fields, trimmed.
    pub fields: HashMap<String, String>,
}

/// Most bytes of an oversized upload read (and dropped) before answering,
/// so that the browser, still sending, gets the answer.
const DRAIN_LIMIT: u64 = 4 * bighealth_reader::limits::MAX_FILE_BYTES;

/// Reads a multipart form: the file's bytes only up to the reader's file
/// limit (a larger file is an error on `file`, its rest read and dropped).
pub async fn read_multipart(mut multipart: axum::extract::Multipart, errors: &mut FieldErrors) -> PageResult<Upload> {
    use bighealth_reader::limits::{MAX_FILE_BYTES, human};
    let mut upload = Upload::default();
    let broken = |e: axum::extract::multipart::MultipartError| {
        PageError::bad_parameter("file", Reason::UploadBroken { detail: e.to_string() })
    };
    while let Some(mut field) = multipart.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or("").to_string();
            let mut seen: u64 = 0;
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                seen += chunk.len() as u64;
                if seen <= MAX_FILE_BYTES {
                    upload.bytes.extend_from_slice(&chunk);
                } else if seen > DRAIN_LIMIT {
                    break;
                }
            }
            if seen > MAX_FILE_BYTES {
                errors.add("file", Reason::FileTooBig { limit: human(MAX_FILE_BYTES) });
                upload.bytes.clear();
                if seen > DRAIN_LIMIT {
                    break;
                }
            }
        } else if upload.fields.len() < 50 {
            let text = field.text().await.map_err(broken)?;
            upload.fields.insert(name, text.trim().chars().take(bighealth_rules::check::LONG).collect());
        }
    }
    Ok(upload)
}

/// Errors by field name, in Chinese: each a refusal of the catalogue.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

/// Full-width digits and punctuation as ASCII: "１２．５" → "12.5".
fn ascii_digits(s: &str) -> String {
    s.chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            c => c,
        })
        .collect()
}

impl FieldErrors {
    /// Records a refusal of `field`'s value.
    pub fn add(&mut self, field: &str, reason: Reason) {
        self.0.entry(field.to_string()).or_insert_with(|| reason.message(Lang::Zh));
    }

    /// Whether every field was right.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The id picked in a select (`raw`, empty for none); anything else
    /// is refused as not one of the list's.
    pub fn picked(&mut self, raw: &str, field: &str) -> Option<i64> {
        match raw.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    self.add(field, Reason::PickFromList { field: field.into() });
                    None
                }
            },
        }
    }

    /// A required text field.
    pub fn required(&mut self, form: &Fields, field: &str) -> String {
        let v = form.text(field);
        if v.is_empty() {
            self.add(field, Reason::Required { field: field.into() });
        }
        v.to_string()
    }

    /// An optional number: `Some(None)` when empty, `None` (and an error)
    /// when it is not a number.
    pub fn number(&mut self, form: &Fields, field: &str) -> Option<Option<f64>> {
        let raw = form.text(field);
        if raw.is_empty() {
            return Some(None);
        }
        match ascii_digits(raw).parse::<f64>() {
            Ok(v) if v.is_finite() => Some(Some(v)),
            _ => {
                self.add(field, Reason::TypedNotANumber { raw: raw.into() });
                None
            }
        }
    }

    /// An optional year (four digits).
    pub fn year(&mut self, form: &Fields, field: &str) -> Option<Option<i64>> {
        let raw = form.text(field);
        if raw.is_empty() {
            return Some(None);
        }
        let digits = ascii_digits(raw.trim_end_matches('年'));
        match digits.parse::<i64>() {
            Ok(y) if (1949..=2100).contains(&y) => Some(Some(y)),
            _ => {
                self.add(field, Reason::TypedNotAYear { raw: raw.into() });
                None
            }
        }
    }

    /// Turns a store's refusal of a value (one about a field, of the kind
    /// "a value is wrong") into its Chinese message next to the field; any
    /// other failure stays a page error.
    pub fn from_store(e: StoreError) -> PageResult<FieldErrors> {
        match e {
            StoreError::Refused(r) if r.reason.kind() == Kind::Invalid && r.field.is_some() => {
                let mut errors = FieldErrors::default();
                let field = r.field.as_deref().unwrap_or_default();
                let field = field.split('[').next().unwrap_or(field).to_string();
                errors.add(&field, r.reason);
                Ok(errors)
            }
            e => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Fields {
        Fields(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn numbers_in_any_width() {
        let f = form(&[("a", "１２．５"), ("b", "1,200"), ("c", "十二"), ("d", " ")]);
        let mut e = FieldErrors::default();
        assert_eq!(e.number(&f, "a"), Some(Some(12.5)));
        assert_eq!(e.number(&f, "b"), Some(Some(1200.0)));
        assert_eq!(e.number(&f, "d"), Some(None));
        assert!(e.is_empty());
        assert_eq!(e.number(&f, "c"), None);
        assert!(e.0["c"].contains("十二"), "{:?}", e.0);
    }

    #[test]
    fn years_are_four_digits() {
        let f = form(&[("a", "2025年"), ("b", "25"), ("c", "二〇二五")]);
        let mut e = FieldErrors::default();
        assert_eq!(e.year(&f, "a"), Some(Some(2025)));
        assert_eq!(e.year(&f, "b"), None);
        assert_eq!(e.year(&f, "c"), None);
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn every_refusal_a_form_can_meet_shows_in_chinese_beside_its_field() {
        let chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for reason in Reason::examples() {
            let code = reason.code();
            match FieldErrors::from_store(StoreError::invalid("value", reason.clone())) {
                Ok(errors) => {
                    assert_eq!(reason.kind(), Kind::Invalid, "{code}");
                    assert_eq!(errors.0["value"], reason.message(Lang::Zh), "{code}");
                    assert!(chinese(&errors.0["value"]), "{code}: {}", errors.0["value"]);
                }
                // Any other refusal is a page of its own, worded the same way.
                Err(PageError::Api(e)) => {
                    assert_ne!(reason.kind(), Kind::Invalid, "{code}");
                    assert!(chinese(&e.message()), "{code}: {}", e.message());
                }
                Err(_) => panic!("{code} became neither a field error nor an error page"),
            }
        }
    }

    #[test]
    fn store_refusals_land_on_their_field() {
        let e = FieldErrors::from_store(StoreError::invalid(
            "year",
            Reason::TargetYearBeforeBase { year: 2019, base: 2020 },
        ))
        .unwrap();
        assert_eq!(e.0["year"], "目标年份 2019 早于规划的基期年份 2020");
        let e = FieldErrors::from_store(StoreError::invalid("lead[2]", Reason::Empty {})).unwrap();
        assert!(e.0.contains_key("lead"));
        assert!(FieldErrors::from_store(Reason::NotMerged { unit: 3 }.into()).is_err());
    }
}
