//! Indicator tables (主要指标表): one target per row.
//!
//! Development plans often list their targets in a table: the indicator, its
//! unit, a value for the base year and one for the target year, and whether
//! it is 预期性 or 约束性. The header names the indicator column (指标) and
//! the year columns ("2020年", "2025年", or 基期值 / 目标值).

use crate::reading::Target;
use crate::source::{Span, Table, Text, is_blank, squash};

/// Which column holds what.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The header row's index.
    pub header_row: usize,
    indicator: usize,
    unit: Option<usize>,
    /// The base-year column and its year, where there is one.
    base: Option<(usize, Option<i32>)>,
    /// The target-year column and its year.
    target: (usize, Option<i32>),
    /// The header's cells.
    pub names: Vec<String>,
}

/// A year named in a header cell ("2025年", "2025年目标值").
fn header_year(s: &str) -> Option<i32> {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &s[digits.len()..];
    (digits.len() == 4 && rest.starts_with('年')).then(|| digits.parse().ok()).flatten()
}

/// Recognises an indicator table by its header.
pub fn columns(table: &Table) -> Option<Columns> {
    table.header(|r, names| {
        let indicator =
            names.iter().position(|n| n.chars().count() <= 10 && n.contains("指标") && !n.contains("属性"))?;
        let unit = names.iter().position(|n| n == "单位" || n == "计量单位" || n.starts_with("单位"));
        let mut years: Vec<(usize, Option<i32>)> =
            names.iter().enumerate().filter_map(|(i, n)| header_year(n).map(|y| (i, Some(y)))).collect();
        if years.is_empty() {
            let base = names.iter().position(|n| n.contains("基期") || n.contains("现状"));
            let target = names.iter().position(|n| n.contains("目标"));
            if let Some(t) = target {
                years = base.map(|b| (b, None)).into_iter().chain([(t, None)]).collect();
            }
        }
        if years.is_empty() {
            return None;
        }
        years.sort_by_key(|(i, y)| (y.unwrap_or(i32::MAX), *i));
        let target = *years.last()?;
        let base = (years.len() >= 2).then(|| years[0]);
        Some(Columns { header_row: r, indicator, unit, base, target, names: names.to_vec() })
    })
}

/// A value as printed in a cell: ">1000", "≥90", "1000以上", "≤5", "3-5", "约80".
fn value(s: &str) -> Option<(&'static str, f64, Option<f64>)> {
    let t = squash(s);
    let (cmp, body) = if let Some(b) = t.strip_prefix(['>', '＞', '≥']).or_else(|| t.strip_prefix("不低于")) {
        (">=", b.to_string())
    } else if let Some(b) = t.strip_prefix(['<', '＜', '≤']).or_else(|| t.strip_prefix("不高于")) {
        ("<=", b.to_string())
    } else if let Some(b) = t.strip_suffix("以上") {
        (">=", b.to_string())
    } else if let Some(b) = t.strip_suffix("以下").or_else(|| t.strip_suffix("以内")) {
        ("<=", b.to_string())
    } else {
        ("=", t.trim_start_matches('约').trim_end_matches("左右").to_string())
    };
    let body = body.trim_end_matches(['%', '％']);
    if let Some((a, b)) = body.split_once(['-', '—', '~', '～']) {
        let (a, b) = (a.parse::<f64>().ok()?, b.trim_start_matches('—').parse::<f64>().ok()?);
        return Some(("range", a, Some(b)));
    }
    body.parse::<f64>().ok().map(|v| (cmp, v, None))
}

/// "健康产业增加值（亿元）" → ("健康产业增加值", Some("亿元")).
fn split_unit(s: &str) -> (String, Option<String>) {
    let t = s.trim_matches(is_blank);
    if let Some(open) = t.rfind(['（', '('])
        && t.ends_with(['）', ')'])
    {
        let inner: String = t[open..].chars().skip(1).collect::<String>();
        let inner = inner.trim_end_matches(['）', ')']).to_string();
        if !inner.is_empty() && inner.chars().count() <= 6 {
            return (t[..open].to_string(), Some(inner));
        }
    }
    (t.to_string(), None)
}

/// Reads one target per row.
pub fn targets(text: &Text, table: &Table, cols: &Columns) -> Vec<Target> {
    let mut out = Vec::new();
    for row in &table.rows[cols.header_row + 1..] {
        let cell = |i: usize| row.cells.get(i);
        let (Some(ind), Some(tv)) = (cell(cols.indicator), cell(cols.target.0)) else { continue };
        let Some((comparator, v, vmax)) = value(&tv.text) else { continue };
        let (indicator, unit_in_name) = split_unit(&ind.text);
        // Drop a leading number ("1.健康产业增加值").
        let indicator = match crate::numerals::parse_label(&indicator) {
            Some(l) => indicator.chars().skip(l.len).collect(),
            None => indicator,
        };
        if indicator.is_empty() {
            continue;
        }
        let unit =
            cols.unit.and_then(cell).map(|c| c.text.clone()).filter(|u| !u.is_empty() && u != "—").or(unit_in_name);
        let unit = unit.or_else(|| tv.text.contains(['%', '％']).then(|| "%".to_string()));
        let baseline = cols.base.and_then(|(i, y)| cell(i).and_then(|c| value(&c.text)).map(|(_, b, _)| (b, y)));
        let span = Span::new(ind.span.start, tv.span.end.max(ind.span.end));
        out.push(Target {
            quote: text.slice(span).trim_matches(is_blank).to_string(),
            span,
            indicator,
            comparator: comparator.into(),
            value: v,
            value_max: vmax,
            unit,
            year: cols.target.1,
            baseline_value: baseline.map(|b| b.0),
            baseline_year: baseline.and_then(|b| b.1),
            qualifier: None,
            task: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_values_with_bounds_and_ranges() {
        assert_eq!(value(">1000"), Some((">=", 1000.0, None)));
        assert_eq!(value("90%以上"), Some((">=", 90.0, None)));
        assert_eq!(value("≤5"), Some(("<=", 5.0, None)));
        assert_eq!(value("3-5"), Some(("range", 3.0, Some(5.0))));
        assert_eq!(value("预期性"), None);
    }

    #[test]
    fn unit_in_the_indicator_name() {
        assert_eq!(split_unit("健康产业增加值（亿元）"), ("健康产业增加值".to_string(), Some("亿元".to_string())));
        assert_eq!(split_unit("人均预期寿命"), ("人均预期寿命".to_string(), None));
    }
}
