//! A scoring scheme as a workbook, both ways: written for the office to
//! fill offline (one row per item: key, name, points, how it is scored and
//! its two figures; the ways to score as a drop-down list; the meaning of
//! the figures on a second sheet) and read back, every wrong cell named
//! (`考核方案!C3：…`); from a file with one, nothing is taken.

use crate::sheet;
use bighealth_rules::refusal::{Lang, Reason, Refusal};
use bighealth_rules::scoring::{Item, Rule, Scheme};
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

/// The sheet's name.
pub const SHEET: &str = "考核方案";

const HEADERS: [&str; 6] = ["代码", "考核项目", "分值", "计分方式", "参数一", "参数二"];

/// The workbook of `scheme`.
pub fn workbook(scheme: &Scheme) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &sheet::header())?;
    }
    for (c, w) in [14.0, 20.0, 8.0, 26.0, 10.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let number = Format::new().set_num_format("0.##");
    for (r, item) in scheme.items.iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, &item.key)?;
        ws.write_string(row, 1, &item.name)?;
        ws.write_number_with_format(row, 2, item.points, &number)?;
        ws.write_string(row, 3, item.rule.label())?;
        for (c, p) in item.rule.params().iter().enumerate() {
            if let Some((_, v)) = p {
                ws.write_number_with_format(row, 4 + c as u16, *v, &number)?;
            }
        }
    }
    let labels: Vec<&str> = Rule::choices().iter().map(Rule::label).collect();
    let list = DataValidation::new().allow_list_strings(&labels)?;
    ws.add_data_validation(1, 3, 200, 3, &list)?;
    let notes = book.add_worksheet();
    notes.set_name("填写说明")?;
    notes.set_column_width(0, 26.0)?;
    notes.set_column_width(1, 60.0)?;
    notes.write_string_with_format(0, 0, "计分方式", &sheet::header())?;
    notes.write_string_with_format(0, 1, "参数一、参数二（不填按默认值）", &sheet::header())?;
    for (r, rule) in Rule::choices().iter().enumerate() {
        let params: Vec<String> =
            rule.params().iter().flatten().map(|(name, v)| format!("{name}，默认 {}", num(*v))).collect();
        notes.write_string(r as u32 + 1, 0, rule.label())?;
        notes.write_string(r as u32 + 1, 1, if params.is_empty() { "无".into() } else { params.join("；") })?;
    }
    book.save_to_buffer()
}

fn num(v: f64) -> String {
    bighealth_rules::labels::number(v)
}

/// The scheme a filled workbook gives: its items, with the caps, bands and
/// quota of `base`. Every wrong cell is named in one refusal.
pub fn read(bytes: &[u8], base: &Scheme) -> Result<Scheme, Refusal> {
    let table = bighealth_reader::table::read(bytes).map_err(|e| Reason::of_read_error(SHEET, &e))?;
    let mut cols = Vec::new();
    for name in HEADERS {
        match table.column(&[name]) {
            Some(c) => cols.push(Some(c)),
            None if name.starts_with("参数") => cols.push(None),
            None => {
                let detail = format!("第 1 行没有“{name}”列（现有：{}）", table.header.join("、"));
                return Err(Reason::SchemeFileLayout { detail }.into());
            }
        }
    }
    if table.rows.is_empty() {
        return Err(Reason::SchemeFileLayout { detail: "表头下没有任何考核项目".into() }.into());
    }
    let mut errors: Vec<String> = Vec::new();
    let mut items = Vec::new();
    for row in &table.rows {
        let text = |i: usize| cols[i].and_then(|c| row.cells.get(c)).cloned().unwrap_or_default();
        let cell = |i: usize| table.cell(row.index, cols[i].unwrap_or(0));
        let mut wrong = |i: usize, reason: Reason| errors.push(format!("{}：{}", cell(i), reason.message(Lang::Zh)));
        let key = text(0);
        let name = text(1);
        if key.is_empty() {
            wrong(0, Reason::Required { field: "key".into() });
        } else if items.iter().any(|i: &Item| i.key == key) {
            wrong(0, Reason::SchemeItemTwice { key: key.clone() });
        }
        if name.is_empty() {
            wrong(1, Reason::Required { field: "name".into() });
        }
        let points = match text(2).parse::<f64>() {
            Ok(p) if p.is_finite() && p > 0.0 && p <= 1000.0 => Some(p),
            Ok(p) => {
                wrong(2, Reason::PointsRange { points: num(p), max: "1000".into() });
                None
            }
            Err(_) => {
                wrong(2, Reason::TypedNotANumber { raw: text(2).chars().take(20).collect() });
                None
            }
        };
        let rule = Rule::of_kind(&text(3));
        if rule.is_none() {
            let allowed = Rule::choices().iter().map(Rule::label).collect::<Vec<_>>().join("、");
            wrong(3, Reason::NotOneOf { value: text(3).chars().take(20).collect(), allowed });
        }
        let mut params = [None, None];
        for (n, slot) in params.iter_mut().enumerate() {
            let raw = text(4 + n);
            if raw.is_empty() {
                continue;
            }
            match raw.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => *slot = Some(v),
                _ => wrong(4 + n, Reason::TypedNotANumber { raw: raw.chars().take(20).collect() }),
            }
        }
        if let (Some(points), Some(rule)) = (points, rule) {
            items.push(Item { key, name, points, rule: rule.with_params(params[0], params[1]) });
        }
    }
    if !errors.is_empty() {
        return Err(Reason::SchemeFileCells { count: errors.len() as i64, cells: errors.join("；") }.into());
    }
    let scheme = Scheme { items, ..base.clone() };
    scheme.check().map_err(|r| {
        let cells = format!("{}：{}", r.field.clone().unwrap_or_default(), r.message(Lang::Zh));
        Refusal::from(Reason::SchemeFileCells { count: 1, cells })
    })?;
    Ok(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_goes_out_and_comes_back() {
        let mut s = Scheme::default();
        s.items[4].rule = Rule::Reporting { late_deduct: 0.5, missing_deduct: 3.0 };
        s.bonus_cap = 4.0;
        let bytes = workbook(&s).unwrap();
        let back = read(&bytes, &Scheme { bonus_cap: 4.0, ..Scheme::default() }).unwrap();
        assert_eq!(back, s);
    }
}
