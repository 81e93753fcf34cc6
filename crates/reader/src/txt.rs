//! Plain text to blocks.
//!
//! Lines are paragraphs, except where a Word table was pasted as text: each
//! cell on a line of its own starting with a tab, rows separated by a blank
//! line, a cell's further lines following without a tab (seed 002's annexes).
//! A line holding tab-separated values (`a\tb\tc`) is a row on its own.

use crate::source::{Block, Cell, Format, Row, Source, Span, Table, Text, clean_cell, trim_span};

/// Reads decoded plain text.
pub fn read(text: String, encoding: &'static str) -> Source {
    let text = Text::new(text);
    let blocks = blocks(&text);
    Source { text, format: Format::Text, encoding: Some(encoding), blocks, notes: vec![] }
}

struct Line<'a> {
    s: &'a str,
    span: Span,
}

fn lines(text: &Text) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for raw in text.as_str().split('\n') {
        let n = raw.chars().count();
        let s = raw.strip_suffix('\r').unwrap_or(raw);
        let len = if s.len() == raw.len() { n } else { n - 1 };
        out.push(Line { s, span: Span::new(start, start + len) });
        start += n + 1;
    }
    out
}

fn is_blank_line(s: &str) -> bool {
    s.chars().all(crate::source::is_blank)
}

/// Splits the text into paragraphs and tables.
pub fn blocks(text: &Text) -> Vec<Block> {
    let lines = lines(text);
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.s.starts_with('\t') {
            let (table, next) = cell_table(&lines, i);
            if table.rows.len() >= 2 {
                blocks.push(Block::Table(table));
            } else {
                for row in table.rows {
                    for cell in row.cells.into_iter().filter(|c| !c.text.is_empty()) {
                        blocks.push(Block::Para(cell.span));
                    }
                }
            }
            i = next;
            continue;
        }
        if is_tsv(line.s) {
            let mut rows = Vec::new();
            let mut j = i;
            while j < lines.len() && is_tsv(lines[j].s) {
                rows.push(tsv_row(&lines[j]));
                j += 1;
            }
            if rows.len() >= 2 {
                let span = rows[0].span.cover(rows[rows.len() - 1].span);
                blocks.push(Block::Table(Table { rows, span }));
                i = j;
                continue;
            }
        }
        if !is_blank_line(line.s) {
            blocks.push(Block::Para(trim_span(line.s, line.span)));
        }
        i += 1;
    }
    blocks
}

/// A line with at least two non-empty tab-separated fields.
fn is_tsv(s: &str) -> bool {
    !s.starts_with('\t') && s.contains('\t') && s.split('\t').filter(|f| !is_blank_line(f)).count() >= 2
}

fn tsv_row(line: &Line<'_>) -> Row {
    let mut cells = Vec::new();
    let mut start = line.span.start;
    for field in line.s.split('\t') {
        let n = field.chars().count();
        let span = trim_span(field, Span::new(start, start + n));
        cells.push(Cell { span, text: clean_cell(field), merged_above: false });
        start += n + 1;
    }
    Row { cells, span: line.span }
}

/// Reads rows of tab-led cell lines from line `i`; returns the table and the
/// index of the first line after it.
///
/// Blank lines separate rows, but pasted tables also break a row with blank
/// lines; groups of cells are joined while they add up to no more cells than
/// the header row has.
fn cell_table(lines: &[Line<'_>], i: usize) -> (Table, usize) {
    let (groups, next) = cell_groups(lines, i);
    let width = groups.first().map_or(0, Vec::len);
    let mut rows: Vec<Row> = Vec::new();
    let mut cur: Vec<Cell> = Vec::new();
    for group in groups {
        if !cur.is_empty() && (cur.len() >= width || cur.len() + group.len() > width) {
            rows.push(make_row(std::mem::take(&mut cur)));
        }
        cur.extend(group);
    }
    if !cur.is_empty() {
        rows.push(make_row(cur));
    }
    let span = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) => a.span.cover(b.span),
        _ => Span::default(),
    };
    (Table { rows, span }, next)
}

fn make_row(cells: Vec<Cell>) -> Row {
    let start = cells.first().map_or(0, |c| c.span.start);
    let end = cells.iter().map(|c| c.span.end).max().unwrap_or(start);
    Row { cells, span: Span::new(start, end) }
}

/// The cells from line `i` on, in groups separated by blank lines.
fn cell_groups(lines: &[Line<'_>], mut i: usize) -> (Vec<Vec<Cell>>, usize) {
    let mut groups: Vec<Vec<Cell>> = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    let mut cur: Option<(Span, String)> = None; // the open cell: span and raw text
    let flush = |cur: &mut Option<(Span, String)>, cells: &mut Vec<Cell>| {
        if let Some((span, raw)) = cur.take() {
            cells.push(Cell { span: trim_span(&raw, span), text: clean_cell(&raw), merged_above: false });
        }
    };
    while i < lines.len() {
        let line = &lines[i];
        if let Some(rest) = line.s.strip_prefix('\t') {
            flush(&mut cur, &mut cells);
            // A cell line may itself hold further tabs: more cells.
            let mut start = line.span.start + 1;
            let mut parts = rest.split('\t').peekable();
            while let Some(part) = parts.next() {
                let n = part.chars().count();
                let span = Span::new(start, start + n);
                if parts.peek().is_some() {
                    cells.push(Cell { span: trim_span(part, span), text: clean_cell(part), merged_above: false });
                } else {
                    cur = Some((span, part.to_string()));
                }
                start += n + 1;
            }
            i += 1;
        } else if is_blank_line(line.s) {
            flush(&mut cur, &mut cells);
            if !cells.is_empty() {
                groups.push(std::mem::take(&mut cells));
            }
            // The table goes on only if a cell line follows the blank lines.
            let mut j = i;
            while j < lines.len() && is_blank_line(lines[j].s) && !lines[j].s.starts_with('\t') {
                j += 1;
            }
            i = j;
            if !(j < lines.len() && lines[j].s.starts_with('\t')) {
                break;
            }
        } else if let Some((span, raw)) = cur.as_mut() {
            // A further line of the open cell.
            raw.push('\n');
            raw.push_str(line.s);
            span.end = line.span.end;
            i += 1;
        } else {
            break;
        }
    }
    flush(&mut cur, &mut cells);
    if !cells.is_empty() {
        groups.push(cells);
    }
    (groups, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(s: &str) -> (Text, Table) {
        let text = Text::new(s.to_string());
        let blocks = blocks(&text);
        let t = blocks.into_iter().find_map(|b| if let Block::Table(t) = b { Some(t) } else { None });
        (text, t.expect("a table"))
    }

    #[test]
    fn tab_led_cells_make_rows_split_by_blank_lines() {
        let (text, t) = table_of("标题\n\t序号\n\t牵头单位\n\n\t1\n\t区卫生健康委\n\n后文\n");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells[1].text, "区卫生健康委");
        assert_eq!(text.slice(t.rows[1].cells[1].span), "区卫生健康委");
    }

    #[test]
    fn untabbed_line_continues_the_open_cell() {
        let (text, t) = table_of("\t总投资\n（万元）\n\t责任单位\n\n\t1\n\t2\n");
        assert_eq!(t.rows[0].cells[0].text, "总投资（万元）");
        assert_eq!(text.slice(t.rows[0].cells[0].span), "总投资\n（万元）");
    }

    #[test]
    fn a_row_broken_by_blank_lines_is_joined_up_to_the_header_width() {
        let (_, t) = table_of(
            "\t序号\n\t内容\n\t牵头单位\n\n\t（四）\n\n\n\t优化环境\n\n\t区商务委\n\n\t一、保障\n\n\t1\n\t推进\n\t区民政局\n",
        );
        let widths: Vec<usize> = t.rows.iter().map(|r| r.cells.len()).collect();
        assert_eq!(widths, [3, 3, 1, 3]);
        assert_eq!(t.rows[1].cells[2].text, "区商务委");
    }

    #[test]
    fn tsv_lines_make_a_table() {
        let (_, t) = table_of("序号\t项目名称\t总投资\n1\t中医院\t100\n");
        assert_eq!(t.rows[1].cells[2].text, "100");
    }

    #[test]
    fn paragraphs_exclude_blank_lines_and_crlf() {
        let text = Text::new("一、目标\r\n\r\n\u{3000}\u{3000}正文。\r\n".to_string());
        let b = blocks(&text);
        let paras: Vec<&str> = b.iter().map(|b| if let Block::Para(s) = b { text.slice(*s) } else { "" }).collect();
        assert_eq!(paras, ["一、目标", "正文。"]);
    }
}
