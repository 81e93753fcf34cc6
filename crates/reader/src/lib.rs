//! bighealth-reader: reads a Big Health plan document and gives back its
//! structure — the plan's meta, its sections, its tasks with their lead and
//! responsible units, its targets, its project table, and findings a careful
//! reader would raise — every piece pointing at the words it came from.
//!
//! The reading is a plain data type ([`Reading`]); it knows nothing of
//! storage or HTTP.
//!
//! # How it fits together
//! - [`load`] turns bytes into a [`Source`]: decoded text plus paragraphs and
//!   tables ([`decode`] for plain text, [`docx`], [`html`], [`xlsx`] for the
//!   rest, with [`limits`] guarding archives).
//! - [`analyse`] reads a `Source`: [`outline`] finds the numbered sections,
//!   [`units`] the unit lines, [`division`] a task division table,
//!   [`projects`] a project table, [`indicators`] an indicator table,
//!   [`targets`] the quantified targets,
//!   [`meta`] the title, 文号, issuer and dates, and [`findings`] the checks.
//!
//! # Glossary
//! One English name for each Chinese term, used the same way everywhere:
//!
//! | 中文 | identifier |
//! |---|---|
//! | 规划 / 行动计划 / 方案 | `plan` |
//! | 重点任务 | `task` |
//! | 分工表 | `division table` ([`division`]) |
//! | 牵头单位 | `lead` (lead unit) |
//! | 责任单位 / 配合单位 | `responsible` (responsible unit) |
//! | 目标 / 指标 | `target` / `indicator` |
//! | 基期 | `baseline` |
//! | 力争 / 确保 / 争取 | `qualifier` |
//! | 项目储备库 | `project` table |
//! | 总投资（万元） | `investment_wan` |
//! | 文号 | `doc_number` |
//! | 发现 (问题) | `finding` |

pub mod analysis;
pub mod deadlines;
pub mod decode;
pub mod division;
pub mod docx;
pub mod error;
pub mod findings;
pub mod html;
pub mod indicators;
pub mod limits;
pub mod meta;
pub mod numerals;
pub mod outline;
pub mod projects;
pub mod reading;
pub mod segment;
pub mod source;
pub mod table;
pub mod targets;
pub mod txt;
pub mod units;
pub mod xlsx;

pub use error::ReadError;
pub use reading::{Finding, Meta, Project, Reading, Section, TableInfo, Target, Task, sha256_hex};
pub use source::{Block, Format, Source, Span};

use std::path::Path;

/// Reads a plan document from a file.
pub fn read_path(path: &Path) -> Result<Reading, ReadError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > limits::MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            what: format!("the file ({} bytes)", meta.len()),
            limit: limits::human(limits::MAX_FILE_BYTES),
        });
    }
    let bytes = std::fs::read(path)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    read_bytes(&name, &bytes)
}

/// Reads a plan document from bytes; `name` is its file name (the extension
/// helps tell an HTML page from plain text).
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Reading, ReadError> {
    let source = load(name, bytes)?;
    Ok(analyse(name, bytes, &source))
}

/// Bytes to a [`Source`], by content first and extension second.
pub fn load(name: &str, bytes: &[u8]) -> Result<Source, ReadError> {
    if bytes.len() as u64 > limits::MAX_FILE_BYTES {
        return Err(ReadError::TooLarge {
            what: format!("the file ({} bytes)", bytes.len()),
            limit: limits::human(limits::MAX_FILE_BYTES),
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let lower = name.to_ascii_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return match limits::zip_kind(bytes)? {
            limits::ZipKind::Docx => docx::read(bytes),
            limits::ZipKind::Xlsx => xlsx::read(bytes),
        };
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(ReadError::Unsupported(
            "this is an old binary Word/Excel file (.doc/.xls) or a password-protected .docx/.xlsx; remove the password and save it as .docx or .xlsx, then try again".into(),
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ReadError::Unsupported(
            "this is a PDF; bighealth reads .txt, .docx, .html and .xlsx — export the PDF's text or the original Word file".into(),
        ));
    }
    if lower.ends_with(".docx") || lower.ends_with(".xlsx") {
        return Err(ReadError::Corrupt {
            kind: if lower.ends_with(".docx") { ".docx" } else { ".xlsx" },
            detail: "it is not a zip package (the file is truncated or not really a Word/Excel file)".into(),
        });
    }
    let (text, encoding) = decode::decode(bytes)?;
    if lower.ends_with(".html") || lower.ends_with(".htm") || html::looks_like_html(&text) {
        let mut source = html::read(&text)?;
        source.encoding = Some(encoding);
        return Ok(source);
    }
    Ok(txt::read(text, encoding))
}

/// Reads the structure of a loaded document. `name` and `bytes` identify the
/// document in the reading (its name and hash).
pub fn analyse(name: &str, bytes: &[u8], source: &Source) -> Reading {
    analysis::build(name, bytes, source)
}
