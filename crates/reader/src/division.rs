//! Task division tables (重点任务分工表).
//!
//! A division table assigns each task its lead and responsible units. Its
//! header names the columns (序号, 主要内容, 重点任务, 牵头单位, 责任单位,
//! 完成时限 …). A row holding one cell numbered `一、` opens a section. A
//! blank (or merged) numbering or content cell continues the row above; a
//! blank unit cell means the row names no unit, unless the source marks the
//! cell as merged with the one above.

use crate::numerals::{Style, parse_label};
use crate::reading::Task;
use crate::source::{Cell, Span, Table, Text, find_column, is_blank};
use crate::units::{Role, split_marked, split_units};

/// Which column holds what.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    /// The header row's index.
    pub header_row: usize,
    seq: Option<usize>,
    title: Option<usize>,
    text: Option<usize>,
    lead: Option<usize>,
    responsible: Option<usize>,
    deadline: Option<usize>,
    /// The header's cells.
    pub names: Vec<String>,
}

/// Recognises a division table: a header row (within the first rows) with a
/// lead-unit column and a content column.
pub fn columns(table: &Table) -> Option<Columns> {
    table.header(|r, names| {
        let find = |words: &[&str]| find_column(names, words, 12);
        let lead = find(&["牵头", "主办单位", "负责单位", "责任主体"]);
        let content: Vec<usize> = names
            .iter()
            .enumerate()
            .filter(|(_, n)| {
                n.chars().count() <= 12
                    && ["任务", "内容", "措施", "工作", "事项"].iter().any(|w| n.contains(w))
                    && !n.contains("单位")
                    && !n.contains("时限")
            })
            .map(|(i, _)| i)
            .collect();
        let responsible = names.iter().enumerate().position(|(i, n)| {
            Some(i) != lead
                && n.chars().count() <= 12
                && ["责任单位", "配合单位", "协办单位", "参与单位", "责任部门", "配合部门"]
                    .iter()
                    .any(|w| n.contains(w))
        });
        // A table naming only 责任单位 still divides the tasks.
        if content.is_empty() || (lead.is_none() && responsible.is_none()) {
            return None;
        }
        let seq = find(&["序号", "编号"]);
        let deadline = find(&["时限", "完成时间", "时间节点", "进度安排"]);
        // With two content columns, the longer cells are the task text.
        let (title, text) = if content.len() >= 2 {
            let avg = |col: usize| {
                let cells: Vec<usize> = table.rows[r + 1..]
                    .iter()
                    .filter_map(|row| row.cells.get(col))
                    .map(|c| c.text.chars().count())
                    .collect();
                cells.iter().sum::<usize>() as f64 / cells.len().max(1) as f64
            };
            let (a, b) = (content[0], content[1]);
            if avg(a) >= avg(b) { (Some(b), Some(a)) } else { (Some(a), Some(b)) }
        } else {
            (None, Some(content[0]))
        };
        Some(Columns { header_row: r, seq, title, text, lead, responsible, deadline, names: names.to_vec() })
    })
}

/// The cells of a row by column, filling merged cells from the row above.
fn cell(cells: &[Cell], col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| cells.get(c))
}

/// A section row of a division table ("一、加强功能承接…").
#[derive(Debug, Clone)]
pub struct TableSection {
    /// Its ordinal (一 → 1).
    pub n: u32,
    /// Its label, normalised.
    pub label: String,
    /// Its heading words.
    pub title: String,
    /// The row.
    pub span: Span,
}

/// Reads the tasks of a division table, and its section rows.
pub fn tasks(text: &Text, table: &Table, cols: &Columns, sections: &mut Vec<TableSection>) -> Vec<Task> {
    let mut out: Vec<Task> = Vec::new();
    let mut section: Option<String> = None;
    let mut seq: Option<String> = None;
    let mut title: Option<String> = None;
    let mut prev_units: (Vec<String>, Vec<String>) = (vec![], vec![]);
    for row in &table.rows[cols.header_row + 1..] {
        let filled: Vec<&Cell> = row.filled().collect();
        if filled.is_empty() {
            continue;
        }
        // A section row: a single cell numbered 一、 (or 第一部分).
        if filled.len() == 1
            && let Some(l) = parse_label(&filled[0].text)
            && matches!(l.style, Style::Cn | Style::Chapter)
        {
            let after: String = filled[0].text.chars().skip(l.len).collect();
            sections.push(TableSection {
                n: l.n,
                label: l.normalised(),
                title: crate::outline::heading_title(&after),
                span: filled[0].span,
            });
            section = Some(l.normalised());
            seq = None;
            title = None;
            continue;
        }
        let seq_cell = cell(&row.cells, cols.seq);
        if let Some(c) = seq_cell.filter(|c| !c.text.is_empty()) {
            seq = Some(seq_label(&c.text));
            title = None;
        }
        if let Some(c) = cell(&row.cells, cols.title).filter(|c| !c.text.is_empty()) {
            title = Some(c.text.clone());
        }
        let Some(body) = cell(&row.cells, cols.text).filter(|c| !c.text.is_empty()) else { continue };
        let units = |col: Option<usize>, prev: &Vec<String>| -> Vec<String> {
            match cell(&row.cells, col) {
                Some(c) if c.merged_above && c.text.is_empty() => prev.clone(),
                Some(c) => split_units(&c.text),
                None => vec![],
            }
        };
        let (mut lead, marked) = split_marked(units(cols.lead, &prev_units.0), Role::Lead);
        let (marked_lead, mut responsible) = split_marked(units(cols.responsible, &prev_units.1), Role::Responsible);
        lead.extend(marked_lead);
        responsible.splice(0..0, marked);
        prev_units = (lead.clone(), responsible.clone());
        let sub = parse_label(&body.text).filter(|l| matches!(l.style, Style::NumParen | Style::Circled | Style::Num));
        let mut path: Vec<String> = section.iter().chain(seq.iter()).cloned().collect();
        if let Some(l) = &sub {
            path.push(l.normalised());
        }
        let body_text = text.slice(body.span).to_string();
        let after_label: String = body.text.chars().skip(sub.as_ref().map_or(0, |l| l.len)).collect();
        // A row without its own number continues the item above.
        if sub.is_none()
            && seq_cell.is_none_or(|c| c.text.is_empty())
            && let Some(last) = out.last_mut()
            && last.path == path
        {
            last.span = last.span.cover(body.span);
            last.text = text.slice(last.span).to_string();
            merge(&mut last.lead, lead);
            merge(&mut last.responsible, responsible);
            continue;
        }
        let task_title = title.clone().unwrap_or_else(|| crate::outline::heading_title(&after_label));
        let deadline = cell(&row.cells, cols.deadline)
            .map(|c| c.text.clone())
            .filter(|t| !t.is_empty())
            .or_else(|| crate::deadlines::of(&body_text));
        out.push(Task {
            path,
            quote: quote_of(&after_label),
            title: task_title,
            text: body_text,
            span: body.span,
            lead,
            responsible,
            deadline,
            origin: "table".into(),
        });
    }
    out
}

fn merge(into: &mut Vec<String>, more: Vec<String>) {
    for m in more {
        if !into.contains(&m) {
            into.push(m);
        }
    }
}

/// "1" → "1", "（一）" → "（一）", "一、" → "一".
fn seq_label(s: &str) -> String {
    if let Some(l) = parse_label(s) {
        return l.normalised();
    }
    s.trim_matches(|c: char| is_blank(c) || matches!(c, '.' | '．' | '、')).to_string()
}

/// The first words of a body (up to 20 characters, within its first sentence).
pub fn quote_of(body: &str) -> String {
    let b = body.trim_matches(is_blank);
    let first: String = b.chars().take_while(|&c| c != '\n').collect();
    first.chars().take(20).collect()
}

/// The span of a table's caption, if the paragraph before it is one.
pub fn is_caption(s: &str) -> bool {
    let n = s.chars().count();
    n <= 40
        && (s.ends_with('表')
            || s.contains("分工")
            || s.contains("清单")
            || s.contains("项目库")
            || s.contains("储备库"))
}
