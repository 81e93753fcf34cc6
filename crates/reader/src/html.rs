//! Reads a web page (a government site's article page, usually) into a
//! [`Source`]: the article, without the site's chrome.
//!
//! The page is parsed with `scraper` (html5ever), then copied into a small
//! arena without scripts, styles, navigation, headers, footers,
//! forms and the like. The article container is found by descending from
//! `<body>` into the child that holds most (≥ 70 %) of the text that is not
//! link text. The page title (`<h1>`, or an element whose id/class says
//! "title") is kept when it stands outside the container. Block elements
//! become paragraphs, tables become [`SourceBuilder::table`]s with spans
//! padded. Every walk is iterative, so a deeply nested page cannot overflow
//! the stack.

use std::collections::HashMap;

use scraper::{Html, Node};

use crate::error::ReadError;
use crate::source::{CellIn, Format, Source, SourceBuilder};

/// The most table cells a page may have (spans included).
pub const MAX_CELLS: usize = 1_000_000;
/// Tables nested deeper than this are read as plain text.
const MAX_TABLE_DEPTH: usize = 8;
/// The share of the text a child must hold for the article to be sought in it.
const DESCEND_SHARE: f64 = 0.7;

/// The most work a page's nesting may cost the parser, counted before
/// parsing as the depth of open elements summed over every tag: the HTML
/// parser checks the stack of open elements for most tags, so a page of a
/// million nested `<div>`s would take hours. Past it the page is refused.
pub const MAX_NESTING_COST: u64 = 100_000_000;

/// Elements that are never part of an article.
const CHROME_TAGS: [&str; 15] = [
    "head", "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe", "select",
    "button", "svg", "object",
];
/// Words in an id or class that mark site chrome.
const CHROME_WORDS: [&str; 13] = [
    "nav",
    "menu",
    "footer",
    "header",
    "breadcrumb",
    "crumb",
    "share",
    "copyright",
    "sidebar",
    "toolbar",
    "banner",
    "login",
    "search",
];
/// Words in an id or class that keep an element even if it has a chrome word
/// (`article-header` holds the title).
const KEEP_WORDS: [&str; 3] = ["title", "article", "detail"];
/// Elements that end a paragraph before and after them.
const BLOCK_TAGS: [&str; 30] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "center",
    "hr",
    "address",
    "figure",
    "figcaption",
    "fieldset",
    "details",
    "summary",
    "caption",
    "body",
    "html",
];
/// Elements the article container is never sought inside (their text is one
/// paragraph or one link).
const LEAF_TAGS: [&str; 11] = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "a"];

/// Whether decoded text is an HTML page.
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
    let head: String = t.chars().take(2048).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return true;
    }
    if head.starts_with('<')
        && ["<html", "<body", "<head", "<div", "<p>", "<p ", "<table"].iter().any(|t| head.contains(t))
    {
        return true;
    }
    ["<body", "<p>", "<div"].iter().any(|t| head.contains(t))
}

/// Reads an HTML page.
pub fn read(text: &str) -> Result<Source, ReadError> {
    let cost = nesting_cost(text);
    if cost > MAX_NESTING_COST {
        return Err(ReadError::TooLarge {
            what: format!("the nesting of the page's elements (about {cost} steps to parse)"),
            limit: MAX_NESTING_COST.to_string(),
        });
    }
    let page = Html::parse_document(text);
    let dom = Dom::build(&page, true);
    let source = render_page(&dom)?;
    if !source.blocks.is_empty() {
        return Ok(source);
    }
    // Everything looked like chrome: read again keeping ids and classes.
    let dom = Dom::build(&page, false);
    render_page(&dom)
}

/// Elements that hold no content or that the parser closes by itself: they
/// do not deepen the nesting.
const FLAT_TAGS: [&str; 27] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p",
    "li", "dt", "dd", "td", "th", "tr", "option", "thead", "tbody", "tfoot", "colgroup", "frame",
];

/// An upper bound of the parser's work on the nesting of elements: the
/// depth of open elements summed over every tag.
fn nesting_cost(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let (mut cost, mut depth, mut at) = (0u64, 0u64, 0usize);
    while let Some(lt) = bytes.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'<')) {
        let start = at + lt + 1;
        let rest = bytes.get(start..).unwrap_or_default();
        if rest.starts_with(b"!--") {
            at = skip_past(bytes, start, b"-->");
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name: String = bytes
            .get(name_start..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .take(16)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
        at = start;
        if name.is_empty() || !name.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let end = skip_past(bytes, name_start, b">");
        let self_closing = end >= 2 && bytes.get(end - 2) == Some(&b'/');
        at = end;
        cost = cost.saturating_add(depth);
        if FLAT_TAGS.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if matches!(name.as_str(), "script" | "style" | "textarea" | "title" | "xmp") {
                // Raw text: no tags inside until the matching end tag.
                at = skip_past(bytes, at, format!("</{name}").as_bytes());
                depth = depth.saturating_sub(1);
            }
        }
    }
    cost
}

/// The index just past the first `needle` at or after `from` (the end of
/// the text when there is none); case-insensitive.
fn skip_past(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    let hay = bytes.get(from..).unwrap_or_default();
    hay.windows(needle.len().max(1))
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map_or(bytes.len(), |i| from + i + needle.len())
}

// ---------------------------------------------------------------------------
// The arena

/// One node of the page, as kept.
#[derive(Debug)]
enum Kind {
    /// An element: its lowercase name, and its id and classes in lowercase.
    Element { name: String, marks: String, colspan: usize, rowspan: usize },
    /// Text.
    Text(String),
}

#[derive(Debug)]
struct DNode {
    kind: Kind,
    children: Vec<usize>,
    /// One past the last node of this node's subtree (nodes are in document
    /// order, so the subtree is `index..end`).
    end: usize,
}

/// The page without its chrome, in document order.
#[derive(Debug, Default)]
struct Dom {
    nodes: Vec<DNode>,
}

impl Dom {
    /// Copies the page, leaving out chrome (by tag always, and by id/class
    /// words when `by_marks`).
    fn build(page: &Html, by_marks: bool) -> Dom {
        let mut dom = Dom::default();
        let mut index_of: HashMap<_, usize> = HashMap::new();
        for node in page.tree.root().descendants() {
            let parent = match node.parent() {
                Some(p) => match index_of.get(&p.id()) {
                    Some(&i) => Some(i),
                    None => continue, // inside a node left out
                },
                None => None,
            };
            let kind = match node.value() {
                Node::Element(e) => {
                    let name = e.name().to_ascii_lowercase();
                    let marks = marks(e.id(), e.attr("class"));
                    if is_chrome(&name, &marks, by_marks) {
                        continue;
                    }
                    let colspan = span_attr(e.attr("colspan"), 1000);
                    let rowspan = span_attr(e.attr("rowspan"), 65_534);
                    Kind::Element { name, marks, colspan, rowspan }
                }
                Node::Text(t) => Kind::Text(t.to_string()),
                Node::Document | Node::Fragment => {
                    Kind::Element { name: "#document".into(), marks: String::new(), colspan: 1, rowspan: 1 }
                }
                _ => continue,
            };
            let index = dom.nodes.len();
            dom.nodes.push(DNode { kind, children: Vec::new(), end: index + 1 });
            if let Some(p) = parent.and_then(|p| dom.nodes.get_mut(p)) {
                p.children.push(index);
            }
            index_of.insert(node.id(), index);
        }
        dom.close_subtrees();
        dom
    }

    /// Sets every node's `end` from its children's.
    fn close_subtrees(&mut self) {
        for i in (0..self.nodes.len()).rev() {
            let end = self.nodes.get(i).and_then(|n| n.children.last()).and_then(|&c| self.nodes.get(c)).map(|c| c.end);
            if let Some(end) = end
                && let Some(n) = self.nodes.get_mut(i)
            {
                n.end = n.end.max(end);
            }
        }
    }

    fn name(&self, i: usize) -> &str {
        match self.nodes.get(i).map(|n| &n.kind) {
            Some(Kind::Element { name, .. }) => name,
            _ => "",
        }
    }

    fn children(&self, i: usize) -> &[usize] {
        self.nodes.get(i).map_or(&[], |n| n.children.as_slice())
    }

    fn end(&self, i: usize) -> usize {
        self.nodes.get(i).map_or(i, |n| n.end)
    }

    /// Whether node `inner` lies in the subtree of `outer`.
    fn within(&self, inner: usize, outer: usize) -> bool {
        outer <= inner && inner < self.end(outer)
    }

    /// The first element called `name`.
    fn first(&self, name: &str) -> Option<usize> {
        (0..self.nodes.len()).find(|&i| self.name(i) == name)
    }

    /// For every node, the characters of its text that are not link text
    /// (blanks not counted).
    fn weights(&self) -> Vec<usize> {
        let mut w = vec![0usize; self.nodes.len()];
        for i in (0..self.nodes.len()).rev() {
            let own = match self.nodes.get(i).map(|n| &n.kind) {
                Some(Kind::Text(t)) => t.chars().filter(|c| !is_space(*c) && *c != '\u{3000}').count(),
                Some(Kind::Element { name, .. }) if name == "a" => 0,
                _ => self.children(i).iter().map(|&c| w.get(c).copied().unwrap_or(0)).sum(),
            };
            if let Some(slot) = w.get_mut(i) {
                *slot = own;
            }
        }
        w
    }
}

/// Id and classes, lowercase, space-separated.
fn marks(id: Option<&str>, class: Option<&str>) -> String {
    let mut s = String::new();
    for part in [id, class].into_iter().flatten() {
        s.push_str(&part.to_lowercase());
        s.push(' ');
    }
    s
}

/// Whether an element is site chrome.
fn is_chrome(name: &str, marks: &str, by_marks: bool) -> bool {
    if CHROME_TAGS.contains(&name) {
        return true;
    }
    if !by_marks || marks.is_empty() || name == "body" || name == "html" {
        return false;
    }
    if KEEP_WORDS.iter().any(|w| marks.contains(w)) {
        return false;
    }
    CHROME_WORDS.iter().any(|w| marks.contains(w) && !(*w == "search" && marks.contains("research")))
}

/// A `colspan`/`rowspan` value, 1 when absent or nonsense.
fn span_attr(v: Option<&str>, max: usize) -> usize {
    let digits: String = v.unwrap_or("").trim().chars().take_while(char::is_ascii_digit).take(6).collect();
    digits.parse::<usize>().unwrap_or(1).clamp(1, max)
}

/// Whitespace that collapses (ASCII blanks and the no-break space).
fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{a0}'
}

// ---------------------------------------------------------------------------
// Finding the article

/// The article container: from `<body>`, down into any child holding at
/// least 70 % of the node's non-link text.
fn container(dom: &Dom, weights: &[usize]) -> usize {
    let mut cur = dom.first("body").unwrap_or(0);
    loop {
        let total = weights.get(cur).copied().unwrap_or(0);
        if total == 0 {
            return cur;
        }
        let next = dom.children(cur).iter().copied().find(|&c| {
            let name = dom.name(c);
            !name.is_empty()
                && !LEAF_TAGS.contains(&name)
                && (name != "table" || !is_data_table(dom, c))
                && weights.get(c).copied().unwrap_or(0) as f64 >= DESCEND_SHARE * total as f64
        });
        match next {
            Some(c) => cur = c,
            None => return cur,
        }
    }
}

/// The page title when it stands outside the container: the first `<h1>`
/// with text of its own (a logo's `<h1>` holds only a link), else the first
/// element before the container whose id/class says "title".
fn title_outside(dom: &Dom, article: usize, weights: &[usize]) -> Option<usize> {
    let outside = |i: usize| !dom.within(i, article) && !dom.within(article, i);
    let has_text = |i: usize| weights.get(i).is_some_and(|&w| w > 0);
    if let Some(h1) = (0..dom.nodes.len()).find(|&i| dom.name(i) == "h1" && has_text(i)) {
        return outside(h1).then_some(h1);
    }
    (0..article).find(|&i| {
        matches!(&dom.nodes.get(i).map(|n| &n.kind), Some(Kind::Element { marks, .. }) if marks.contains("title"))
            && has_text(i)
            && outside(i)
            && (4..=200).contains(&inline_text(dom, i).chars().count())
    })
}

/// A subtree's text on one line.
fn inline_text(dom: &Dom, root: usize) -> String {
    let mut cell = CellText::default();
    // A title cannot hold tables worth keeping: depth at the limit.
    if render(dom, root, &mut cell, MAX_TABLE_DEPTH).is_err() {
        return String::new();
    }
    cell.text.split('\n').map(str::trim).collect::<Vec<_>>().join("")
}

// ---------------------------------------------------------------------------
// Rendering

/// Where rendered paragraphs and tables go.
trait Out {
    fn para(&mut self, text: &str);
    fn table(&mut self, rows: Vec<Vec<CellIn>>);
}

impl Out for SourceBuilder {
    fn para(&mut self, text: &str) {
        SourceBuilder::para(self, text);
    }
    fn table(&mut self, rows: Vec<Vec<CellIn>>) {
        SourceBuilder::table(self, rows);
    }
}

/// A table cell's text: one line per paragraph, nested tables flattened.
#[derive(Default)]
struct CellText {
    text: String,
}

impl CellText {
    fn line(&mut self, line: &str) {
        for l in line.split('\n').filter(|l| !l.trim().is_empty()) {
            if !self.text.is_empty() {
                self.text.push('\n');
            }
            self.text.push_str(l.trim());
        }
    }
}

impl Out for CellText {
    fn para(&mut self, text: &str) {
        self.line(text);
    }
    fn table(&mut self, rows: Vec<Vec<CellIn>>) {
        for row in rows {
            let cells: Vec<String> =
                row.into_iter().map(|c| c.text.replace('\n', " ")).filter(|t| !t.trim().is_empty()).collect();
            self.line(&cells.join(" "));
        }
    }
}

/// The paragraph being assembled, with whitespace collapsed.
#[derive(Default)]
struct Line {
    buf: String,
    /// The last thing written was a (collapsed) blank or a line start.
    blank: bool,
}

impl Line {
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if is_space(c) {
                if !self.buf.is_empty() && !self.blank {
                    self.buf.push(' ');
                }
                self.blank = true;
            } else {
                self.buf.push(c);
                self.blank = false;
            }
        }
    }

    fn line_break(&mut self) {
        self.trim_end();
        self.buf.push('\n');
        self.blank = true;
    }

    fn trim_end(&mut self) {
        while self.buf.ends_with(' ') {
            self.buf.pop();
        }
    }

    fn flush(&mut self, out: &mut dyn Out) {
        self.trim_end();
        if !self.buf.trim().is_empty() {
            out.para(&self.buf);
        }
        self.buf.clear();
        self.blank = false;
    }
}

/// Renders the page: the title if it stands apart, then the article.
fn render_page(dom: &Dom) -> Result<Source, ReadError> {
    let weights = dom.weights();
    let article = container(dom, &weights);
    let mut out = SourceBuilder::new();
    if let Some(title) = title_outside(dom, article, &weights) {
        let text = inline_text(dom, title);
        if !text.is_empty() {
            out.para(&text);
        }
    }
    let mut cells = 0usize;
    render_counted(dom, article, &mut out, 0, &mut cells)?;
    Ok(out.finish(Format::Html))
}

/// Renders the subtree at `root` into `out`; `depth` counts the tables
/// around it.
fn render(dom: &Dom, root: usize, out: &mut dyn Out, depth: usize) -> Result<(), ReadError> {
    let mut cells = 0usize;
    render_counted(dom, root, out, depth, &mut cells)
}

/// [`render`] with a running count of table cells.
fn render_counted(dom: &Dom, root: usize, out: &mut dyn Out, depth: usize, cells: &mut usize) -> Result<(), ReadError> {
    let mut line = Line::default();
    // (node, closing): a block is visited again when it closes.
    let mut stack = vec![(root, false)];
    while let Some((i, closing)) = stack.pop() {
        if closing {
            line.flush(out);
            continue;
        }
        let Some(node) = dom.nodes.get(i) else { continue };
        let name = match &node.kind {
            Kind::Text(t) => {
                line.text(t);
                continue;
            }
            Kind::Element { name, .. } => name.as_str(),
        };
        match name {
            "br" => line.line_break(),
            "hr" => line.flush(out),
            "table" if depth < MAX_TABLE_DEPTH && is_data_table(dom, i) => {
                line.flush(out);
                let (caption, rows) = table_rows(dom, i, depth, cells)?;
                if let Some(c) = caption {
                    out.para(&c);
                }
                out.table(rows);
            }
            _ => {
                let block = BLOCK_TAGS.contains(&name) || matches!(name, "table" | "tr" | "td" | "th");
                if block {
                    line.flush(out);
                    stack.push((i, true));
                }
                stack.extend(node.children.iter().rev().map(|&c| (c, false)));
            }
        }
    }
    line.flush(out);
    Ok(())
}

/// The rows (`tr`) of a table, not those of tables nested in it.
fn rows_of(dom: &Dom, table: usize) -> Vec<usize> {
    let mut rows = Vec::new();
    for &c in dom.children(table) {
        match dom.name(c) {
            "tr" => rows.push(c),
            "thead" | "tbody" | "tfoot" => {
                rows.extend(dom.children(c).iter().copied().filter(|&r| dom.name(r) == "tr"))
            }
            _ => {}
        }
    }
    rows
}

/// The cells (`td`, `th`) of a row.
fn cells_of(dom: &Dom, row: usize) -> impl Iterator<Item = usize> + '_ {
    dom.children(row).iter().copied().filter(|&c| matches!(dom.name(c), "td" | "th"))
}

/// Whether a table holds data rather than laying out the page: it has a row
/// with two cells or more, and no table inside.
fn is_data_table(dom: &Dom, table: usize) -> bool {
    let rows = rows_of(dom, table);
    let wide = rows.iter().any(|&r| cells_of(dom, r).nth(1).is_some());
    let nested = (table + 1..dom.end(table)).any(|i| dom.name(i) == "table");
    wide && !nested
}

/// A table's caption and its rows, spans expanded: `colspan=n` gives the
/// cell and n−1 empty cells; `rowspan=n` gives the n−1 cells below
/// `merged_above`.
fn table_rows(
    dom: &Dom,
    table: usize,
    depth: usize,
    count: &mut usize,
) -> Result<(Option<String>, Vec<Vec<CellIn>>), ReadError> {
    let caption = dom.children(table).iter().find(|&&c| dom.name(c) == "caption").map(|&c| inline_text(dom, c));
    let mut pending: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    for r in rows_of(dom, table) {
        let mut row: Vec<CellIn> = Vec::new();
        for c in cells_of(dom, r) {
            take_pending(&mut row, &mut pending, false);
            let (colspan, rowspan) = match dom.nodes.get(c).map(|n| &n.kind) {
                Some(Kind::Element { colspan, rowspan, .. }) => (*colspan, *rowspan),
                _ => (1, 1),
            };
            let mut text = CellText::default();
            render_counted(dom, c, &mut text, depth + 1, count)?;
            let col = row.len();
            row.push(CellIn::new(text.text));
            row.extend((1..colspan).map(|_| CellIn::default()));
            if rowspan > 1 {
                if pending.len() < col + colspan {
                    pending.resize(col + colspan, 0);
                }
                for p in pending.iter_mut().skip(col).take(colspan) {
                    *p = rowspan - 1;
                }
            }
        }
        take_pending(&mut row, &mut pending, true);
        *count = count.saturating_add(row.len());
        if *count > MAX_CELLS {
            return Err(ReadError::TooLarge {
                what: "the number of table cells in the page".into(),
                limit: MAX_CELLS.to_string(),
            });
        }
        rows.push(row);
    }
    Ok((caption, rows))
}

/// Puts `merged_above` cells where cells above still span into this row:
/// at the row's current end (`to_end`: through the last spanning column).
fn take_pending(row: &mut Vec<CellIn>, pending: &mut [usize], to_end: bool) {
    loop {
        let col = row.len();
        let spans_later = to_end && pending.iter().skip(col).any(|&p| p > 0);
        match pending.get_mut(col) {
            Some(p) if *p > 0 => {
                *p -= 1;
                row.push(CellIn { text: String::new(), merged_above: true });
            }
            Some(_) if spans_later => row.push(CellIn::default()),
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Block;

    fn paras(src: &Source) -> Vec<String> {
        src.paragraphs().map(str::to_string).collect()
    }

    #[test]
    fn recognises_pages() {
        assert!(looks_like_html("\u{feff}  <!DOCTYPE html><html>"));
        assert!(looks_like_html("<HTML><BODY>x"));
        assert!(looks_like_html("<div class=a>一、总体要求</div>"));
        assert!(!looks_like_html("一、总体要求\n（一）指导思想"));
        assert!(!looks_like_html("a < b and c > d"));
    }

    #[test]
    fn whitespace_collapses_but_ideographic_space_stays() {
        let src = read("<body><p>  一、\n  总体 &nbsp; 要求 </p><p>\u{3000}\u{3000}正文<br>第二行</p></body>").unwrap();
        assert_eq!(paras(&src), ["一、 总体 要求", "正文", "第二行"]);
        assert!(src.text.as_str().contains("\u{3000}\u{3000}正文"));
    }

    #[test]
    fn colspan_pads_and_rowspan_marks() {
        let page = r#"<body><table>
            <tr><th colspan="2">任务</th><th>牵头单位</th></tr>
            <tr><td>1</td><td>甲</td><td rowspan="2">区卫健委</td></tr>
            <tr><td>2</td><td>乙</td></tr></table></body>"#;
        let src = read(page).unwrap();
        let Some(Block::Table(t)) = src.blocks.first() else { panic!("{:?}", src.blocks) };
        let grid: Vec<Vec<(&str, bool)>> =
            t.rows.iter().map(|r| r.cells.iter().map(|c| (c.text.as_str(), c.merged_above)).collect()).collect();
        assert_eq!(grid[0], [("任务", false), ("", false), ("牵头单位", false)]);
        assert_eq!(grid[2], [("2", false), ("乙", false), ("", true)]);
    }

    #[test]
    fn rowspan_in_first_column_shifts_the_row() {
        let page = r#"<table><tr><td rowspan="2">一</td><td>a</td></tr><tr><td>b</td></tr></table>"#;
        let src = read(page).unwrap();
        let Some(Block::Table(t)) = src.blocks.first() else { panic!() };
        assert!(t.rows[1].cells[0].merged_above);
        assert_eq!(t.rows[1].cells[1].text, "b");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let page = format!("<body>{}正文{}</body>", "<div>".repeat(3_000), "</div>".repeat(3_000));
        let src = read(&page).unwrap();
        assert_eq!(paras(&src), ["正文"]);
        let hostile = format!("<body>{}正文</body>", "<div>".repeat(1_000_000));
        assert!(matches!(read(&hostile), Err(ReadError::TooLarge { .. })));
        let tables = format!("{}x{}", "<table><tr><td>a</td><td>".repeat(300), "</td></tr></table>".repeat(300));
        assert!(read(&tables).is_ok());
    }

    #[test]
    fn nesting_cost_counts_open_elements() {
        assert_eq!(nesting_cost("<div><div></div></div>"), 1 + 2 + 1);
        assert_eq!(nesting_cost("<p>a<p>b<br><img src=x/>"), 0);
        assert_eq!(nesting_cost("<div><script>if (a<div) {}</script><div>"), 2);
        assert_eq!(nesting_cost("<!-- <div><div> --><b>"), 0);
    }

    #[test]
    fn a_logo_h1_is_not_the_title() {
        let page = r#"<body><div class="logo"><h1><a href="/">XX区人民政府</a></h1></div>
            <div class="wrap"><div class="art-title">关于印发健康规划的通知</div>
            <div class="txt"><p>一、总体要求，推进健康产业发展。</p><p>二、重点任务，提升医疗服务能力。</p></div></div></body>"#;
        let src = read(page).unwrap();
        assert_eq!(
            paras(&src),
            ["关于印发健康规划的通知", "一、总体要求，推进健康产业发展。", "二、重点任务，提升医疗服务能力。"]
        );
    }

    #[test]
    fn research_is_not_search() {
        assert!(!is_chrome("div", "research-report ", true));
        assert!(is_chrome("div", "top-search ", true));
        assert!(!is_chrome("div", "article-header ", true));
    }
}
