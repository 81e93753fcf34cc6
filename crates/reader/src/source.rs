//! The document as read: its decoded text and the blocks found in it.
//!
//! Every reader (plain text, `.docx`, `.html`, `.xlsx`) ends in a [`Source`]:
//! one text in which every span is counted, in Unicode characters, plus a list
//! of [`Block`]s — paragraphs and tables — each pointing into that text.
//! For a plain-text file the text is the file itself, decoded. For the other
//! formats the reader renders the document as text in the same shape a
//! government web page or a Word table pasted as text has: one paragraph per
//! line, and a table as one cell per line (each cell line starting with a tab)
//! with a blank line between rows. [`SourceBuilder`] does that rendering.

use serde::Serialize;

/// A `[start, end)` range of Unicode characters in [`Source::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Whether the span holds no character.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// Whether `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A span is written as the pair `[start, end]`.
impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text (UTF-8, UTF-16 or GB18030/GBK).
    Text,
    /// Word 2007+ (`.docx`).
    Docx,
    /// A web page (`.html`, `.htm`).
    Html,
    /// Excel 2007+ (`.xlsx`).
    Xlsx,
}

/// The decoded text with a character index, so spans in characters can be
/// sliced without rescanning.
#[derive(Debug, Clone, Default)]
pub struct Text {
    s: String,
    /// Byte offset of every character, plus the length at the end.
    starts: Vec<u32>,
}

impl Text {
    /// Indexes `s`.
    pub fn new(s: String) -> Self {
        let mut starts: Vec<u32> = s.char_indices().map(|(i, _)| i as u32).collect();
        starts.push(s.len() as u32);
        Text { s, starts }
    }

    /// The whole text.
    pub fn as_str(&self) -> &str {
        &self.s
    }

    /// Number of characters.
    pub fn len_chars(&self) -> usize {
        self.starts.len() - 1
    }

    /// Byte offset of character `c` (clamped to the end).
    pub fn byte(&self, c: usize) -> usize {
        self.starts[c.min(self.starts.len() - 1)] as usize
    }

    /// Character index of byte offset `b` (which must fall on a boundary).
    pub fn char_of_byte(&self, b: usize) -> usize {
        match self.starts.binary_search(&(b as u32)) {
            Ok(i) | Err(i) => i,
        }
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.s[self.byte(span.start)..self.byte(span.end.max(span.start))]
    }
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Where the cell's content stands in the text (empty for an empty cell).
    pub span: Span,
    /// The content with its lines joined and outer whitespace trimmed.
    pub text: String,
    /// The cell continues the cell above it (a vertically merged cell in the
    /// source). A plain-text table cannot say this: there a blank cell is
    /// just blank, and the table readers decide what blank means.
    pub merged_above: bool,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cells, left to right.
    pub cells: Vec<Cell>,
    /// From the first cell's line to the last cell's end.
    pub span: Span,
}

impl Row {
    /// The non-empty cells.
    pub fn filled(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(|c| !c.text.is_empty())
    }
}

/// A table as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its rows, top to bottom.
    pub rows: Vec<Row>,
    /// The whole table.
    pub span: Span,
}

/// A paragraph or a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One line of text (never empty, never only whitespace). Its span
    /// excludes the line break.
    Para(Span),
    /// A table.
    Table(Table),
}

/// A document as read.
#[derive(Debug, Clone)]
pub struct Source {
    /// The decoded (or rendered) text; every span counts characters in it.
    pub text: Text,
    /// What the bytes were.
    pub format: Format,
    /// The character encoding of a plain-text file (`"UTF-8"`, `"GB18030"` …).
    pub encoding: Option<&'static str>,
    /// Paragraphs and tables, in order.
    pub blocks: Vec<Block>,
    /// Problems met while reading that did not stop it (shown as findings).
    pub notes: Vec<String>,
}

/// Renders paragraphs and tables as text and records their spans.
#[derive(Debug, Default)]
pub struct SourceBuilder {
    out: String,
    chars: usize,
    blocks: Vec<Block>,
    notes: Vec<String>,
}

/// One cell handed to [`SourceBuilder::table`].
#[derive(Debug, Clone, Default)]
pub struct CellIn {
    /// Its text; line breaks inside a cell are kept.
    pub text: String,
    /// Continues the cell above (vertical merge).
    pub merged_above: bool,
}

impl CellIn {
    /// A plain cell.
    pub fn new(text: impl Into<String>) -> Self {
        CellIn { text: text.into(), merged_above: false }
    }
}

impl SourceBuilder {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        self.chars += s.chars().count();
    }

    /// Adds one paragraph. Line breaks inside it make several paragraphs;
    /// blank lines are kept in the text but make no block.
    pub fn para(&mut self, text: &str) {
        for line in text.split('\n') {
            let line = line.trim_end_matches('\r');
            let start = self.chars;
            self.push(line);
            let end = self.chars;
            self.push("\n");
            if !line.trim().is_empty() {
                self.blocks.push(Block::Para(trim_span(line, Span::new(start, end))));
            }
        }
    }

    /// Adds a table: a blank line, then for each row one line per cell
    /// (starting with a tab) and a blank line.
    pub fn table(&mut self, rows: Vec<Vec<CellIn>>) {
        if rows.iter().all(|r| r.iter().all(|c| c.text.trim().is_empty())) {
            return;
        }
        let table_start = self.chars;
        let mut out_rows = Vec::new();
        self.push("\n");
        for row in rows {
            let row_start = self.chars;
            let mut cells = Vec::new();
            for cell in row {
                self.push("\t");
                let start = self.chars;
                let body = cell.text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', " ");
                self.push(&body);
                let span = trim_span(&body, Span::new(start, self.chars));
                self.push("\n");
                cells.push(Cell { span, text: clean_cell(&body), merged_above: cell.merged_above });
            }
            let row_end = self.chars;
            self.push("\n");
            out_rows.push(Row { cells, span: Span::new(row_start, row_end) });
        }
        let span = Span::new(table_start, self.chars);
        self.blocks.push(Block::Table(Table { rows: out_rows, span }));
    }

    /// Records a problem met while reading.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// The finished document.
    pub fn finish(self, format: Format) -> Source {
        Source { text: Text::new(self.out), format, encoding: None, blocks: self.blocks, notes: self.notes }
    }
}

impl Source {
    /// The paragraphs' texts, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Para(s) => Some(self.text.slice(*s)),
            Block::Table(_) => None,
        })
    }

    /// The tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Para(_) => None,
        })
    }
}

impl Table {
    /// The first row (among the top four) whose cells name columns as
    /// `recognise` wants, with those names blank-free; `recognise` returns
    /// what it made of them.
    pub fn header<T>(&self, mut recognise: impl FnMut(usize, &[String]) -> Option<T>) -> Option<T> {
        self.rows.iter().enumerate().take(4).find_map(|(r, row)| {
            let names: Vec<String> = row.cells.iter().map(|c| squash(&c.text)).collect();
            recognise(r, &names)
        })
    }
}

/// The first header name (at most `max_chars` long) holding any of `words`.
pub fn find_column(names: &[String], words: &[&str], max_chars: usize) -> Option<usize> {
    names.iter().position(|n| n.chars().count() <= max_chars && words.iter().any(|w| n.contains(w)))
}

/// A text without any blank (spaces, ideographic spaces, line breaks).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !is_blank(*c)).collect()
}

/// A cell's text as the readers want it: lines joined, outer blanks trimmed.
pub fn clean_cell(s: &str) -> String {
    let mut out = String::new();
    for line in s.split('\n') {
        let line = line.trim_matches(is_blank);
        if line.is_empty() {
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Whitespace as Chinese documents have it (including the ideographic space
/// and the no-break space).
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}'
}

/// Narrows `span` (whose text is `s`) to exclude leading and trailing blanks.
pub fn trim_span(s: &str, span: Span) -> Span {
    let lead = s.chars().take_while(|&c| is_blank(c)).count();
    let total = s.chars().count();
    if lead == total {
        return Span::new(span.start, span.start);
    }
    let trail = s.chars().rev().take_while(|&c| is_blank(c)).count();
    Span::new(span.start + lead, span.end - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_spans_point_at_their_text() {
        let mut b = SourceBuilder::new();
        b.para("一、总体要求");
        b.table(vec![
            vec![CellIn::new("序号"), CellIn::new("牵头单位")],
            vec![CellIn::new("1"), CellIn::new("区卫生健康委")],
        ]);
        b.para("  二、保障措施 ");
        let src = b.finish(Format::Docx);
        let texts: Vec<String> = src
            .blocks
            .iter()
            .map(|b| match b {
                Block::Para(s) => src.text.slice(*s).to_string(),
                Block::Table(t) => t.rows[1].cells[1].text.clone(),
            })
            .collect();
        assert_eq!(texts, ["一、总体要求", "区卫生健康委", "二、保障措施"]);
        let Block::Table(t) = &src.blocks[1] else { panic!("no table") };
        assert_eq!(src.text.slice(t.rows[1].cells[1].span), "区卫生健康委");
    }

    #[test]
    fn text_index_maps_chars_to_bytes() {
        let t = Text::new("甲a乙".to_string());
        assert_eq!(t.len_chars(), 3);
        assert_eq!(t.slice(Span::new(1, 3)), "a乙");
        assert_eq!(t.char_of_byte(4), 2);
    }
}
