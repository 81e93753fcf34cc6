//! The reading: what bighealth found in a plan document.
//!
//! Its JSON is the format of the gold readings (`fixtures/gold/GUIDELINES.md`)
//! plus, for every task, its `text` and `span`; for every target, its `span`;
//! the tree of `sections`; the `tables` recognised; and `findings`. Spans are
//! `[start, end)` offsets in Unicode characters into the text as it was read
//! (see [`crate::source`]).

use crate::source::Span;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Everything read from one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reading {
    /// The document's file name.
    pub document: String,
    /// What was read: format, encoding, size, hash.
    pub source: SourceInfo,
    /// Title, 文号, issuer, dates, region.
    pub meta: Meta,
    /// Tasks at their deepest numbered level.
    pub tasks: Vec<Task>,
    /// Quantified targets.
    pub targets: Vec<Target>,
    /// Rows of a project table.
    pub projects: Vec<Project>,
    /// The numbered headings, as a tree.
    pub sections: Vec<Section>,
    /// The tables recognised.
    pub tables: Vec<TableInfo>,
    /// What a careful reader would point out.
    pub findings: Vec<Finding>,
}

/// Facts about the bytes read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceInfo {
    /// `text`, `docx`, `html` or `xlsx`.
    pub format: String,
    /// The character encoding of a text or HTML file.
    pub encoding: Option<String>,
    /// Length of the text that spans index, in characters.
    pub chars: usize,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// The plan's meta. Any field the document does not state is `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The plan's own title, without 《》 and without the covering notice.
    pub title: Option<String>,
    /// 文号, as printed (黔江府发〔2020〕53号).
    pub doc_number: Option<String>,
    /// The body whose name stands over the signing date.
    pub issuer: Option<String>,
    /// ISO date of signing.
    pub issued_on: Option<String>,
    /// The region the plan is for, as named.
    pub region: Option<String>,
    /// Base year, where stated.
    pub base_year: Option<i32>,
    /// Target year, where stated.
    pub target_year: Option<i32>,
}

/// A task (重点任务) at its deepest numbered level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Numbering labels from the top heading down (`["二", "（一）", "1", "（1）"]`).
    pub path: Vec<String>,
    /// The item's heading words, or its first clause.
    pub title: String,
    /// A short exact substring of the body (for locating it by eye).
    pub quote: String,
    /// The whole body as printed.
    pub text: String,
    /// Where the body stands.
    pub span: Span,
    /// 牵头单位, as printed.
    pub lead: Vec<String>,
    /// 责任单位 / 配合单位, as printed.
    pub responsible: Vec<String>,
    /// A deadline (完成时限) where a division table gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// `text` when read from the plan's paragraphs, `table` when from a
    /// division table.
    pub origin: String,
}

/// A quantified target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// The shortest exact substring holding the number and its indicator.
    pub quote: String,
    /// Where the quote stands.
    pub span: Span,
    /// The thing measured.
    pub indicator: String,
    /// `>=`, `<=`, `=`, `range` or `x` (a multiple of the baseline).
    pub comparator: String,
    /// The number, in the unit as printed.
    pub value: f64,
    /// Upper end of a range.
    pub value_max: Option<f64>,
    /// The unit as printed (张, 个, 亿元, %, …).
    pub unit: Option<String>,
    /// The year by which it holds, where stated.
    pub year: Option<i32>,
    /// Starting value, where stated.
    pub baseline_value: Option<f64>,
    /// Starting year, where stated.
    pub baseline_year: Option<i32>,
    /// 力争 / 确保 / 争取.
    pub qualifier: Option<String>,
    /// Index into `tasks` of the task whose text holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<usize>,
}

/// A row of a project table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// 序号.
    pub seq: Option<u32>,
    /// 项目名称.
    pub name: String,
    /// 建设性质 (新建/在建/扩建/续建 …).
    pub nature: Option<String>,
    /// 所属行业.
    pub industry: Option<String>,
    /// The table's group heading the row stands under.
    pub category: Option<String>,
    /// 建设规模及内容.
    pub content: Option<String>,
    /// 总投资 in 万元.
    pub investment_wan: Option<f64>,
    /// 建设周期, as printed.
    pub period: Option<String>,
    /// 投资方式.
    pub funding: Option<String>,
    /// 责任单位.
    pub units: Vec<String>,
    /// The row.
    pub span: Span,
}

/// A numbered heading and what stands under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The label as normalised (`（一）`, `1`, `一是`).
    pub label: String,
    /// The label as printed, with its punctuation.
    pub printed: String,
    /// The heading words.
    pub title: String,
    /// From the label to the end of the section.
    pub span: Span,
    /// Sub-sections.
    pub children: Vec<Section>,
}

/// A table the reader recognised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    /// `division` (分工表), `project` (项目表), `indicator` (指标表) or `other`.
    pub kind: String,
    /// The caption above it, where there is one.
    pub caption: Option<String>,
    /// The header cells.
    pub columns: Vec<String>,
    /// Number of rows, header included.
    pub rows: usize,
    /// The whole table.
    pub span: Span,
}

/// Something a careful reader would point out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable snake_case code (`total_mismatch`, `annex_number_mismatch`,
    /// `duplicate_item`, `unit_near_miss`, `unit_two_forms`, …).
    pub code: String,
    /// What is wrong, in Chinese, for the clerk.
    pub message: String,
    /// The places concerned.
    pub spans: Vec<Span>,
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let [start, end] = <[usize; 2]>::deserialize(d)?;
        Ok(Span::new(start, end))
    }
}

/// The SHA-256 of `bytes` in lower-case hex (how bighealth names a document's bytes).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
