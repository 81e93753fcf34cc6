//! Limits that keep a hostile file from exhausting memory or time, and the
//! guarded way into the zip packages `.docx` and `.xlsx` files are.
//!
//! Every byte taken out of a package goes through [`read_entry`] (or
//! [`inflate_all`] for a pre-scan): it counts the bytes actually inflated —
//! never the sizes the zip headers claim — and stops one byte past the cap.
//! A [`Budget`] caps the inflated bytes of a whole document, and
//! [`open_zip`] caps the number of entries. [`reject_doctype`] refuses XML
//! that declares entities.

use std::io::{self, Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::error::ReadError;

/// The largest file read at all.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most entries a package may hold.
pub const MAX_ENTRIES: usize = 10_000;

/// The most bytes one part of a package may inflate to.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// The most bytes all the parts of one package may inflate to together.
pub const MAX_TOTAL_INFLATED: u64 = 256 * 1024 * 1024;

/// A zip package read from memory.
pub type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Which Office package a zip holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    /// Word.
    Docx,
    /// Excel.
    Xlsx,
}

impl ZipKind {
    /// The file extension, as error messages name the format.
    pub fn ext(self) -> &'static str {
        match self {
            ZipKind::Docx => ".docx",
            ZipKind::Xlsx => ".xlsx",
        }
    }
}

/// A byte count for people.
pub fn human(n: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= KIB && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// The inflated bytes a document may still use: one budget per document,
/// shared by all the parts read from it.
#[derive(Debug, Clone)]
pub struct Budget {
    total: u64,
    left: u64,
}

impl Budget {
    /// A budget of `total` inflated bytes.
    pub fn new(total: u64) -> Self {
        Budget { total, left: total }
    }

    /// The budget for one document ([`MAX_TOTAL_INFLATED`]).
    pub fn document() -> Self {
        Self::new(MAX_TOTAL_INFLATED)
    }

    /// Bytes still allowed.
    pub fn left(&self) -> u64 {
        self.left
    }

    fn spend(&mut self, n: u64) {
        self.left = self.left.saturating_sub(n);
    }
}

/// Tells a `.docx` from a `.xlsx`.
pub fn zip_kind(bytes: &[u8]) -> Result<ZipKind, ReadError> {
    let archive = open_zip(bytes, guess_kind(bytes))?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("word/document.xml") {
        return Ok(ZipKind::Docx);
    }
    if has("xl/workbook.xml") {
        return Ok(ZipKind::Xlsx);
    }
    Err(ReadError::Unsupported(not_office_message(&archive)))
}

/// What to say of a zip that is neither a `.docx` nor a `.xlsx`.
fn not_office_message(archive: &Archive<'_>) -> String {
    let has = |name: &str| archive.index_for_name(name).is_some();
    let what = if has("xl/workbook.bin") {
        "a binary Excel workbook (.xlsb)"
    } else if has("ppt/presentation.xml") {
        "a PowerPoint file (.pptx)"
    } else if has("content.xml") && has("mimetype") {
        "an OpenDocument file (.odt/.ods)"
    } else {
        "a zip archive that is neither a .docx nor a .xlsx"
    };
    format!(
        "this is {what}; bighealth reads .txt, .docx, .html and .xlsx — save the document as .docx or .xlsx and try again"
    )
}

/// The kind a damaged package most likely is, from the file names its local
/// headers carry (used only to name the format in an error).
fn guess_kind(bytes: &[u8]) -> ZipKind {
    if find(bytes, b"xl/workbook.xml").is_some() && find(bytes, b"word/document.xml").is_none() {
        ZipKind::Xlsx
    } else {
        ZipKind::Docx
    }
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(i) = hay.get(from..)?.iter().position(|&b| b == first) {
        let at = from + i;
        if hay.get(at..at + needle.len()) == Some(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// How many central-directory headers the bytes seem to hold (an upper
/// bound, counted before the zip reader builds its index of them).
fn count_central_headers(bytes: &[u8]) -> usize {
    let mut n = 0;
    let mut from = 0;
    while let Some(at) = bytes.get(from..).and_then(|rest| find(rest, b"PK\x01\x02")) {
        n += 1;
        from += at + 4;
        if n > MAX_ENTRIES {
            break;
        }
    }
    n
}

/// Opens a zip package held in memory, refusing one with more than
/// [`MAX_ENTRIES`] entries; `kind` names the format in errors.
pub fn open_zip(bytes: &[u8], kind: ZipKind) -> Result<Archive<'_>, ReadError> {
    if count_central_headers(bytes) > MAX_ENTRIES {
        return Err(too_many_entries());
    }
    let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(kind, "the zip directory", e))?;
    if archive.len() > MAX_ENTRIES {
        return Err(too_many_entries());
    }
    Ok(archive)
}

fn too_many_entries() -> ReadError {
    ReadError::TooLarge { what: "the number of entries in the zip package".into(), limit: MAX_ENTRIES.to_string() }
}

/// A zip error met while reading `what`, as a [`ReadError`].
fn zip_error(kind: ZipKind, what: &str, e: ZipError) -> ReadError {
    let ext = kind.ext();
    match e {
        ZipError::UnsupportedArchive(msg) if msg == ZipError::PASSWORD_REQUIRED => ReadError::Unsupported(format!(
            "the {ext} file is password-protected; remove the password in Word/WPS/Excel, save it and try again"
        )),
        ZipError::InvalidPassword => ReadError::Unsupported(format!(
            "the {ext} file is password-protected; remove the password in Word/WPS/Excel, save it and try again"
        )),
        ZipError::CompressionMethodNotSupported(m) => ReadError::Unsupported(format!(
            "{what} in the {ext} file uses zip compression method {m}, which bighealth does not read; open it in Word/WPS/Excel and save it again"
        )),
        ZipError::UnsupportedArchive(msg) => ReadError::Unsupported(format!(
            "{what} in the {ext} file uses an unsupported zip feature ({msg}); open it in Word/WPS/Excel and save it again"
        )),
        other => ReadError::Corrupt { kind: ext, detail: format!("{what}: {}", one_line(&other.to_string())) },
    }
}

/// Text on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inflates the entry `name` into memory, refusing more than `max` bytes
/// (and more than the budget has left). A missing entry is an error.
pub fn read_entry(
    archive: &mut Archive<'_>,
    kind: ZipKind,
    name: &str,
    max: u64,
    budget: &mut Budget,
) -> Result<Vec<u8>, ReadError> {
    read_entry_opt(archive, kind, name, max, budget)?
        .ok_or_else(|| ReadError::Corrupt { kind: kind.ext(), detail: format!("the package has no {name}") })
}

/// Like [`read_entry`], but a missing entry is `None`.
pub fn read_entry_opt(
    archive: &mut Archive<'_>,
    kind: ZipKind,
    name: &str,
    max: u64,
    budget: &mut Budget,
) -> Result<Option<Vec<u8>>, ReadError> {
    let Some(index) = archive.index_for_name(name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    inflate(archive, kind, index, name, max, budget, &mut out)?;
    Ok(Some(out))
}

/// Inflates entry `index` into `out` with the caps; returns the byte count.
fn inflate<W: io::Write>(
    archive: &mut Archive<'_>,
    kind: ZipKind,
    index: usize,
    name: &str,
    max: u64,
    budget: &mut Budget,
    out: &mut W,
) -> Result<u64, ReadError> {
    let cap = max.min(budget.left());
    let file = archive.by_index(index).map_err(|e| zip_error(kind, name, e))?;
    let mut limited = file.take(cap.saturating_add(1));
    let n = io::copy(&mut limited, out).map_err(|e| inflate_error(kind, name, &e))?;
    if n > cap {
        return Err(if cap < max {
            ReadError::TooLarge {
                what: format!("the inflated size of the {} package (all its parts together)", kind.ext()),
                limit: human(budget.total),
            }
        } else {
            ReadError::TooLarge { what: format!("the inflated size of {name}"), limit: human(max) }
        });
    }
    budget.spend(n);
    Ok(n)
}

/// An error met while inflating `name`, as a [`ReadError`].
fn inflate_error(kind: ZipKind, name: &str, e: &io::Error) -> ReadError {
    let msg = one_line(&e.to_string());
    let detail = if msg.contains("larger than its declared") {
        format!("{name} inflates to more bytes than its zip header declares")
    } else {
        format!("{name} cannot be inflated ({msg})")
    };
    ReadError::Corrupt { kind: kind.ext(), detail }
}

/// Counts the bytes written to it and drops them.
struct CountingSink;

impl io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether a part is XML (and so is checked for a DOCTYPE).
fn is_xml_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".vml")
}

/// Inflates every entry of the package once, with the caps, so a reader that
/// does its own unzipping afterwards (calamine) never meets a zip bomb; the
/// XML parts are also checked with [`reject_doctype`].
pub fn inflate_all(bytes: &[u8], kind: ZipKind) -> Result<(), ReadError> {
    inflate_all_with(bytes, kind, MAX_PART_BYTES, &mut Budget::document())
}

/// [`inflate_all`] with the caps given.
pub(crate) fn inflate_all_with(
    bytes: &[u8],
    kind: ZipKind,
    max_part: u64,
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let mut archive = open_zip(bytes, kind)?;
    for index in 0..archive.len() {
        let name = match archive.name_for_index(index) {
            Some(Ok(name)) => name.into_owned(),
            _ => format!("entry {index}"),
        };
        if is_xml_part(&name) {
            let mut xml = Vec::new();
            inflate(&mut archive, kind, index, &name, max_part, budget, &mut xml)?;
            reject_doctype(&name, &xml)?;
        } else {
            inflate(&mut archive, kind, index, &name, max_part, budget, &mut CountingSink)?;
        }
    }
    Ok(())
}

/// Refuses XML that has a `<!DOCTYPE` (and so may declare entities); the
/// check also sees through UTF-16.
pub fn reject_doctype(part: &str, xml: &[u8]) -> Result<(), ReadError> {
    let found = match utf16_order(xml) {
        Some(enc) => has_doctype(enc.decode_without_bom_handling(xml.get(2..).unwrap_or_default()).0.as_bytes()),
        None => has_doctype(xml),
    };
    if found { Err(ReadError::XmlEntities { part: part.to_string() }) } else { Ok(()) }
}

/// The UTF-16 encoding of XML that starts with a UTF-16 byte-order mark.
fn utf16_order(xml: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match xml {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Whether `<!DOCTYPE` (any case) occurs in the bytes.
fn has_doctype(xml: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = xml.get(from..).and_then(|rest| find(rest, b"<!")) {
        let start = from + at + 2;
        if xml.get(start..start + 7).is_some_and(|w| w.eq_ignore_ascii_case(b"doctype")) {
            return true;
        }
        from = start;
    }
    false
}

/// XML part bytes as text: UTF-8 (a BOM is dropped; the bytes are not
/// copied) or UTF-16 with a BOM.
pub fn xml_text(kind: ZipKind, part: &str, mut xml: Vec<u8>) -> Result<String, ReadError> {
    if let Some(enc) = utf16_order(&xml) {
        let (text, had_errors) = enc.decode_without_bom_handling(xml.get(2..).unwrap_or_default());
        if had_errors {
            return Err(ReadError::Corrupt { kind: kind.ext(), detail: format!("{part} is not valid UTF-16") });
        }
        return Ok(text.into_owned());
    }
    if xml.starts_with(b"\xEF\xBB\xBF") {
        xml.drain(..3);
    }
    String::from_utf8(xml).map_err(|e| ReadError::Corrupt {
        kind: kind.ext(),
        detail: format!("{part} is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(body).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(64 * 1024 * 1024), "64 MiB");
        assert_eq!(human(4096), "4 KiB");
        assert_eq!(human(100), "100 bytes");
    }

    #[test]
    fn kinds_are_told_apart() {
        let d = package(&[("word/document.xml", b"<w:document/>")]);
        let x = package(&[("xl/workbook.xml", b"<workbook/>")]);
        let p = package(&[("ppt/presentation.xml", b"<p/>")]);
        assert_eq!(zip_kind(&d).unwrap(), ZipKind::Docx);
        assert_eq!(zip_kind(&x).unwrap(), ZipKind::Xlsx);
        let err = zip_kind(&p).unwrap_err();
        assert!(matches!(&err, ReadError::Unsupported(m) if m.contains(".pptx")), "{err}");
        let other = package(&[("a.txt", b"hello")]);
        assert!(
            matches!(zip_kind(&other), Err(ReadError::Unsupported(m)) if m.contains("neither a .docx nor a .xlsx"))
        );
    }

    #[test]
    fn entry_cap_counts_inflated_bytes() {
        let body = vec![b' '; 10_000];
        let z = package(&[("word/document.xml", &body)]);
        let mut a = open_zip(&z, ZipKind::Docx).unwrap();
        let err = read_entry(&mut a, ZipKind::Docx, "word/document.xml", 9_999, &mut Budget::document()).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { .. }), "{err}");
        let ok = read_entry(&mut a, ZipKind::Docx, "word/document.xml", 10_000, &mut Budget::document()).unwrap();
        assert_eq!(ok.len(), 10_000);
    }

    #[test]
    fn budget_is_shared_between_parts() {
        let body = vec![b'a'; 600];
        let z = package(&[("a.xml", &body), ("b.xml", &body)]);
        let mut budget = Budget::new(1_000);
        let err = inflate_all_with(&z, ZipKind::Xlsx, 1_000, &mut budget).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge { what, .. } if what.contains("all its parts")), "{err}");
    }

    #[test]
    fn doctype_is_refused_in_utf8_and_utf16() {
        let x = b"<?xml version=\"1.0\"?><!doctype a [<!ENTITY e \"x\">]><a/>";
        assert!(matches!(reject_doctype("p.xml", x), Err(ReadError::XmlEntities { .. })));
        let mut u16 = vec![0xFF, 0xFE];
        for c in "<!DOCTYPE a><a/>".encode_utf16() {
            u16.extend_from_slice(&c.to_le_bytes());
        }
        assert!(reject_doctype("p.xml", &u16).is_err());
        assert!(reject_doctype("p.xml", b"<a><!-- x --><![CDATA[y]]></a>").is_ok());
    }

    #[test]
    fn missing_entry_is_corrupt_or_none() {
        let z = package(&[("word/document.xml", b"<a/>")]);
        let mut a = open_zip(&z, ZipKind::Docx).unwrap();
        let mut b = Budget::document();
        assert!(read_entry_opt(&mut a, ZipKind::Docx, "word/numbering.xml", 100, &mut b).unwrap().is_none());
        assert!(matches!(read_entry(&mut a, ZipKind::Docx, "nope.xml", 100, &mut b), Err(ReadError::Corrupt { .. })));
    }

    #[test]
    fn garbage_is_an_error() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        assert!(zip_kind(&bytes).is_err());
        let many_eocd: Vec<u8> = b"PK\x03\x04".iter().chain(b"PK\x05\x06".repeat(20_000).iter()).copied().collect();
        assert!(zip_kind(&many_eocd).is_err());
    }

    #[test]
    fn too_many_entries_is_refused() {
        let fake: Vec<u8> = b"PK\x03\x04".iter().chain(b"PK\x01\x02".repeat(MAX_ENTRIES + 1).iter()).copied().collect();
        assert!(matches!(open_zip(&fake, ZipKind::Docx), Err(ReadError::TooLarge { .. })));
    }
}
