//! Project tables (项目储备库 / 重点项目表).
//!
//! The header names the columns (序号, 项目名称, 建设性质, 所属行业, 建设规模
//! 及内容, 总投资（万元）, 建设周期, 投资方式, 责任单位). Rows without a
//! number are group headings ("医疗卫生服务业（16个）" with the group's
//! subtotal) or the grand total ("合计（36）个"); they are checked against
//! the rows, not read as projects.

use crate::reading::{Finding, Project};
use crate::source::{Cell, Span, Table, find_column, is_blank, squash};
use crate::units::split_units;

/// Which column holds what.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    /// The header row's index.
    pub header_row: usize,
    seq: Option<usize>,
    name: usize,
    nature: Option<usize>,
    industry: Option<usize>,
    content: Option<usize>,
    investment: Option<usize>,
    /// Multiplier from the investment column's unit to 万元.
    to_wan: f64,
    period: Option<usize>,
    funding: Option<usize>,
    units: Option<usize>,
    /// The header's cells.
    pub names: Vec<String>,
}

/// Recognises a project table by its header.
pub fn columns(table: &Table) -> Option<Columns> {
    table.header(|r, names| {
        let find = |words: &[&str]| find_column(names, words, 16);
        let name = find(&["项目名称", "项目"])?;
        let investment = find(&["总投资", "投资额", "计划投资", "投资（", "投资("])?;
        let inv_name = &names[investment];
        let to_wan = if inv_name.contains("亿元") {
            10_000.0
        } else if inv_name.contains("万元") {
            1.0
        } else if inv_name.contains("元") {
            0.0001
        } else {
            1.0
        };
        Some(Columns {
            header_row: r,
            seq: find(&["序号", "编号"]),
            name,
            nature: find(&["建设性质", "性质", "类型"]),
            industry: find(&["所属行业", "行业", "产业"]),
            content: find(&["建设内容", "规模", "主要内容"]),
            investment: Some(investment),
            to_wan,
            period: find(&["建设周期", "建设年限", "起止年限", "周期", "年限", "起止"]),
            funding: find(&["投资方式", "资金来源", "筹资方式", "融资方式", "投资主体"]),
            units: find(&["责任单位", "牵头单位", "业主单位", "实施单位", "责任主体"]),
            names: names.to_vec(),
        })
    })
}

fn get(cells: &[Cell], col: Option<usize>) -> Option<&Cell> {
    col.and_then(|c| cells.get(c))
}

fn text_of(cells: &[Cell], col: Option<usize>) -> Option<String> {
    get(cells, col).map(|c| c.text.clone()).filter(|t| !t.is_empty())
}

/// A number as printed in a cell ("2790637 ", "5.138", "1,200").
pub fn number(s: &str) -> Option<f64> {
    let t: String = s.chars().filter(|c| !is_blank(*c) && *c != ',' && *c != '，').collect();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok()
}

/// A group heading or total row: its label, count (from "（16个）") and
/// the first number after the label.
struct GroupRow {
    label: String,
    count: Option<usize>,
    value: Option<f64>,
    is_total: bool,
    span: Span,
}

fn group_row(cells: &[Cell], span: Span) -> Option<GroupRow> {
    let filled: Vec<&Cell> = cells.iter().filter(|c| !c.text.is_empty()).collect();
    let first = filled.first()?;
    if number(&first.text).is_some() {
        return None;
    }
    let raw = squash(&first.text);
    let is_total = raw.starts_with("合计") || raw.starts_with("总计") || raw.starts_with("总 计");
    // "医疗卫生服务业(16个）", "合计（36）个".
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    let count = if raw.contains('个') || raw.contains('项') { digits.parse().ok() } else { None };
    // "一、医疗卫生服务业（16个）" → "医疗卫生服务业".
    let unlabelled: String = match crate::numerals::parse_label(&raw) {
        Some(l) => raw.chars().skip(l.len).collect(),
        None => raw.clone(),
    };
    let label: String = match unlabelled.find(['(', '（']) {
        Some(p) => unlabelled[..p].to_string(),
        None => unlabelled.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '个' | '项')).to_string(),
    };
    let value = filled.iter().skip(1).find_map(|c| number(&c.text));
    Some(GroupRow { label, count, value, is_total, span })
}

/// Reads the projects of a table; checks group subtotals, the grand total
/// and group counts against the rows.
pub fn read(table: &Table, cols: &Columns) -> (Vec<Project>, Vec<Finding>) {
    let mut projects: Vec<Project> = Vec::new();
    let mut findings = Vec::new();
    let mut groups: Vec<(GroupRow, Vec<usize>)> = Vec::new();
    let mut total: Option<GroupRow> = None;
    let mut next_seq = 1u32;
    for row in &table.rows[cols.header_row + 1..] {
        let cells = &row.cells;
        if cells.iter().all(|c| c.text.is_empty()) {
            continue;
        }
        let seq = text_of(cells, cols.seq).and_then(|s| s.trim_end_matches(['.', '、']).parse::<u32>().ok());
        let name = text_of(cells, Some(cols.name));
        let is_project =
            seq.is_some() || (cols.seq.is_none() && name.is_some() && text_of(cells, cols.investment).is_some());
        if !is_project {
            if let Some(g) = group_row(cells, row.span) {
                if g.is_total {
                    total = Some(g);
                } else {
                    groups.push((g, vec![]));
                }
            }
            continue;
        }
        let Some(name) = name else { continue };
        let investment = text_of(cells, cols.investment).and_then(|s| number(&s)).map(|v| v * cols.to_wan);
        let idx = projects.len();
        projects.push(Project {
            seq: seq.or(Some(next_seq)),
            name,
            nature: text_of(cells, cols.nature),
            industry: text_of(cells, cols.industry),
            category: groups.last().map(|(g, _)| g.label.clone()),
            content: text_of(cells, cols.content),
            investment_wan: investment,
            period: text_of(cells, cols.period),
            funding: text_of(cells, cols.funding),
            units: text_of(cells, cols.units).map(|s| split_units(&s)).unwrap_or_default(),
            span: row.span,
        });
        next_seq = seq.unwrap_or(next_seq) + 1;
        if let Some((_, members)) = groups.last_mut() {
            members.push(idx);
        }
    }
    let sum = |idx: &[usize]| idx.iter().filter_map(|&i| projects[i].investment_wan).sum::<f64>();
    for (g, members) in &groups {
        if let Some(v) = g.value {
            let s = sum(members);
            if (v * cols.to_wan - s).abs() > 0.5 {
                findings.push(Finding {
                    code: "subtotal_mismatch".into(),
                    message: format!(
                        "项目表“{}”小计为 {}，但其下 {} 个项目总投资之和为 {}。",
                        g.label,
                        fmt(v),
                        members.len(),
                        fmt(s / cols.to_wan)
                    ),
                    spans: vec![g.span],
                });
            }
        }
        if let Some(c) = g.count
            && c != members.len()
        {
            findings.push(Finding {
                code: "count_mismatch".into(),
                message: format!("项目表“{}”标明 {c} 个项目，实际列出 {} 个。", g.label, members.len()),
                spans: vec![g.span],
            });
        }
    }
    if let Some(t) = &total {
        let all: Vec<usize> = (0..projects.len()).collect();
        let s = sum(&all);
        if let Some(v) = t.value
            && (v * cols.to_wan - s).abs() > 0.5
        {
            findings.push(Finding {
                code: "total_mismatch".into(),
                message: format!(
                    "项目表合计为 {}，但 {} 个项目总投资之和为 {}。",
                    fmt(v),
                    projects.len(),
                    fmt(s / cols.to_wan)
                ),
                spans: vec![t.span],
            });
        }
        let groups_sum: f64 = groups.iter().filter_map(|(g, _)| g.value).sum();
        if let Some(v) = t.value
            && !groups.is_empty()
            && groups.iter().all(|(g, _)| g.value.is_some())
            && (v - groups_sum).abs() > 0.5
        {
            findings.push(Finding {
                code: "total_mismatch".into(),
                message: format!("项目表合计为 {}，但各组小计之和为 {}。", fmt(v), fmt(groups_sum)),
                spans: vec![t.span],
            });
        }
        if let Some(c) = t.count
            && c != projects.len()
        {
            findings.push(Finding {
                code: "count_mismatch".into(),
                message: format!("项目表合计标明 {c} 个项目，实际列出 {} 个。", projects.len()),
                spans: vec![t.span],
            });
        }
    }
    (projects, findings)
}

fn fmt(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v:.2}") }
}
