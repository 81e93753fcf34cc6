//! A unit's report form for a period as an Excel workbook, both ways.
//!
//! Written: one sheet per kind of item (进度表, 指标表, 项目表) with the
//! item's id and label locked, the status and stage as drop-down lists,
//! shares limited to 0–100 and amounts to numbers not below zero, last
//! period's figures beside the cells to fill, and what the form holds
//! already filled in; a 说明 sheet says how; a hidden sheet names the
//! plan, period and unit the file is for.
//!
//! Read back: a file for another plan, period or unit, or whose layout was
//! changed, is refused with the reason; otherwise every cell is read into
//! the entries, and every wrong cell is named (`进度表!E7：…`). Nothing is
//! stored here: the caller checks and stores through the store.

use crate::sheet::{self, cell_name, columns, sheet_name};
use bighealth_rules::refusal::{Lang, Reason, Refusal};
use bighealth_rules::reporting::Schedule;
use bighealth_rules::reporting::entry::{self, Entry, ItemKind};
use bighealth_store::reporting::forms::Form;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Workbook, XlsxError};
use std::collections::HashMap;

/// What the hidden sheet's first cell says: the layout of this version.
pub const LAYOUT: &str = "bighealth-report-form/1";
/// The hidden sheet naming what the file is for.
const IDENTITY: &str = "表单信息";
const KINDS: [ItemKind; 3] = [ItemKind::Task, ItemKind::Target, ItemKind::Project];

/// The file name a form is downloaded under.
pub fn file_name(form: &Form) -> String {
    format!("{}_{}_填报表.xlsx", form.period.label, form.unit_name)
}

fn num(v: Option<f64>) -> String {
    v.map(bighealth_rules::labels::number).unwrap_or_default()
}

/// The form as an `.xlsx` workbook.
pub fn write(form: &Form, plan_title: &str, schedule: &Schedule) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let statuses: Vec<&str> = entry::STATUSES.iter().map(|c| schedule.status_name(c)).collect();
    let stages: Vec<&str> = entry::STAGES.iter().map(|c| entry::stage_label(c)).collect();
    {
        let about = book.add_worksheet();
        about.set_name("说明")?;
        about.set_column_width(0, 90)?;
        let lines = [
            plan_title.to_string(),
            format!("{} 月报填报表 · {} · 截止 {}", form.period.label, form.unit_name, form.period.due),
            "填写方法：只在白色单元格中填写；灰色单元格为规划内容和上期数据，不能修改。".into(),
            "进度表：每项任务选择状态，填写完成进度（0–100）或累计完成值和进展情况；滞后、未启动的须填写存在问题。"
                .into(),
            "指标表：填写本期末达到的数值（按“单位”列的单位）及数据来源。".into(),
            "项目表：填写本月完成投资（万元，没有则填 0）、建设状态和形象进度；年累和开累由平台计算。".into(),
            "填好后在平台“月度调度”中本期报表页上传本文件。请勿增删行列、改动表头或改名后上传其他单位的文件。".into(),
        ];
        for (i, line) in lines.iter().enumerate() {
            about.write_string(i as u32, 0, line)?;
        }
    }
    for kind in KINDS {
        let items: Vec<_> = form.items.iter().filter(|i| i.kind == kind).collect();
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(kind))?;
        let cols = columns(kind);
        for (c, col) in cols.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.header, &sheet::header())?;
            ws.set_column_width(c as u16, col.width)?;
        }
        ws.set_freeze_panes(1, 2)?;
        let last = items.len() as u32;
        for (r, item) in items.iter().enumerate() {
            let row = r as u32 + 1;
            let e = item.entry.clone().unwrap_or_default();
            let prev = item.previous.clone().unwrap_or_default();
            let values: Vec<String> = match kind {
                ItemKind::Task => vec![
                    item.item_id.to_string(),
                    item.label.clone(),
                    prev.status.as_deref().map(|s| schedule.status_name(s).to_string()).unwrap_or_default(),
                    e.status.as_deref().map(|s| schedule.status_name(s).to_string()).unwrap_or_default(),
                    num(e.share),
                    num(prev.share),
                    num(e.cumulative),
                    e.progress.unwrap_or_default(),
                    e.problems.unwrap_or_default(),
                    e.next_steps.unwrap_or_default(),
                    e.note.unwrap_or_default(),
                ],
                ItemKind::Target => vec![
                    item.item_id.to_string(),
                    item.label.clone(),
                    item.detail.clone().unwrap_or_default(),
                    item.unit.clone().unwrap_or_default(),
                    num(prev.value),
                    num(e.value),
                    e.source.unwrap_or_default(),
                ],
                ItemKind::Project => vec![
                    item.item_id.to_string(),
                    item.label.clone(),
                    num(item.total_wan),
                    num(item.total_amount.map(|t| t - e.amount.unwrap_or(0.0))),
                    num(prev.amount),
                    num(e.amount),
                    e.stage.as_deref().map(|s| entry::stage_label(s).to_string()).unwrap_or_default(),
                    e.progress.unwrap_or_default(),
                    e.problems.unwrap_or_default(),
                    e.next_steps.unwrap_or_default(),
                ],
            };
            for (c, (col, value)) in cols.iter().zip(values).enumerate() {
                let c = c as u16;
                let is_number = matches!(col.field, Some("share" | "cumulative" | "value" | "amount"))
                    || (col.field.is_none() && c > 1 && value.parse::<f64>().is_ok() && !col.header.contains("单位"));
                let format = match (col.field, is_number) {
                    (Some(_), true) => sheet::open_number(),
                    (Some(_), false) => sheet::open(),
                    (None, _) => sheet::locked(),
                };
                match (is_number, value.replace(',', "").parse::<f64>()) {
                    (true, Ok(n)) if c > 0 => ws.write_number_with_format(row, c, n, &format)?,
                    _ if value.is_empty() => ws.write_blank(row, c, &format)?,
                    _ => ws.write_string_with_format(row, c, &value, &format)?,
                };
            }
        }
        if last > 0 {
            let index = |f: &str| cols.iter().position(|c| c.field == Some(f)).map(|i| i as u16);
            if let Some(c) = index("status") {
                let dv =
                    DataValidation::new().allow_list_strings(&statuses)?.set_error_message("请从下拉列表中选择状态")?;
                ws.add_data_validation(1, c, last, c, &dv)?;
            }
            if let Some(c) = index("stage") {
                let dv = DataValidation::new()
                    .allow_list_strings(&stages)?
                    .set_error_message("请从下拉列表中选择建设状态")?;
                ws.add_data_validation(1, c, last, c, &dv)?;
            }
            if let Some(c) = index("share") {
                let dv = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
                    .set_error_message("进度应为 0–100 之间的数")?;
                ws.add_data_validation(1, c, last, c, &dv)?;
            }
            if let Some(c) = index("amount") {
                let dv = DataValidation::new()
                    .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
                    .set_error_message("本月完成投资应为不小于 0 的数（万元）")?;
                ws.add_data_validation(1, c, last, c, &dv)?;
            }
        }
        ws.protect();
    }
    let id = book.add_worksheet();
    id.set_name(IDENTITY)?;
    for (r, (k, v)) in [
        ("layout", LAYOUT.to_string()),
        ("plan", form.plan_id.to_string()),
        ("period", form.period.key.clone()),
        ("unit", form.unit_id.to_string()),
        ("unit_name", form.unit_name.clone()),
    ]
    .into_iter()
    .enumerate()
    {
        id.write_string(r as u32, 0, k)?;
        id.write_string(r as u32, 1, &v)?;
    }
    id.protect();
    id.set_hidden(true);
    book.save_to_buffer()
}

/// What a filled form holds.
#[derive(Debug, Clone, Default)]
pub struct Filled {
    /// The entries, one per row with anything typed.
    pub entries: Vec<Entry>,
    /// The cell of each entry field (`task.12.share` → `进度表!E7`).
    pub cells: HashMap<String, String>,
    /// Cells that could not be read (a word where a number goes, a status
    /// not in the list), with what is wrong.
    pub wrong: Vec<(String, String)>,
}

impl Filled {
    /// Whether every cell could be read.
    pub fn readable(&self) -> bool {
        self.wrong.is_empty()
    }

    /// One refusal naming every wrong cell: those that could not be read,
    /// then the store's `refusals` of the entries, worded with the cells
    /// they came from (a cell named once).
    pub fn name_cells(&self, refusals: &[Refusal]) -> Refusal {
        let mut listed: Vec<(String, String)> = self.wrong.clone();
        for r in refusals {
            let field = r.field.clone().unwrap_or_default();
            let cell = self.cells.get(&field).cloned().unwrap_or(field);
            if !listed.iter().any(|(c, _)| *c == cell) {
                listed.push((cell, r.reason.message(Lang::Zh)));
            }
        }
        let text: Vec<String> = listed.iter().map(|(c, m)| format!("{c}：{m}")).collect();
        Reason::FormFileCells { count: text.len() as i64, cells: text.join("；") }.on("file")
    }
}

/// What is wrong with a word not in a cell's drop-down list.
fn not_listed(text: &str, names: &[&str]) -> String {
    Reason::NotOneOf { value: text.chars().take(20).collect(), allowed: names.join("、") }.message(Lang::Zh)
}

fn file_error(reason: Reason) -> Refusal {
    reason.on("file")
}

/// Reads a filled form back, for `form` (the plan, period and unit it must
/// be for). A file for something else or with its layout changed is
/// refused with why; cells that cannot be read are listed in
/// [`Filled::wrong`], for [`Filled::name_cells`] to name with the store's
/// refusals of the rest.
pub fn read(bytes: &[u8], form: &Form, schedule: &Schedule) -> Result<Filled, Refusal> {
    let name = "填报表.xlsx";
    let sheets = bighealth_reader::xlsx::cells(bytes).map_err(|e| file_error(Reason::of_read_error(name, &e)))?;
    let sheet = |n: &str| sheets.iter().find(|(s, _)| s == n).map(|(_, c)| c);
    let layout_error =
        |sheet: &str, detail: &str| file_error(Reason::FormFileLayout { sheet: sheet.into(), detail: detail.into() });
    let identity = sheet(IDENTITY).ok_or_else(|| layout_error("表单信息", "缺少标识表，不是本平台下载的填报表"))?;
    let value = |key: &str| {
        let row = identity.iter().find(|(_, c, t)| *c == 0 && t == key).map(|(r, _, _)| *r)?;
        identity.iter().find(|(r, c, _)| *r == row && *c == 1).map(|(_, _, t)| t.clone())
    };
    if value("layout").as_deref() != Some(LAYOUT) {
        return Err(layout_error("表单信息", "版本不符"));
    }
    let found_unit = value("unit_name").unwrap_or_default();
    for (what, key, expected, found_label) in [
        ("规划", "plan", form.plan_id.to_string(), format!("规划 {}", value("plan").unwrap_or_default())),
        ("报送期", "period", form.period.key.clone(), value("period").unwrap_or_default()),
        ("单位", "unit", form.unit_id.to_string(), found_unit.clone()),
    ] {
        if value(key).as_deref() != Some(expected.as_str()) {
            let expected_label = match key {
                "plan" => format!("规划 {}", form.plan_id),
                "period" => form.period.key.clone(),
                _ => form.unit_name.clone(),
            };
            return Err(file_error(Reason::FormFileOther {
                what: what.into(),
                expected: expected_label,
                found: found_label,
            }));
        }
    }
    let status_of: HashMap<&str, &str> = entry::STATUSES
        .iter()
        .flat_map(|c| [(schedule.status_name(c), *c), (entry::status_label(c), *c), (*c, *c)])
        .collect();
    let stage_of: HashMap<&str, &str> =
        entry::STAGES.iter().flat_map(|c| [(entry::stage_label(c), *c), (*c, *c)]).collect();
    let status_names: Vec<&str> = entry::STATUSES.iter().map(|c| schedule.status_name(c)).collect();
    let stage_names: Vec<&str> = entry::STAGES.iter().map(|c| entry::stage_label(c)).collect();
    let mut filled = Filled::default();
    for kind in KINDS {
        let title = sheet_name(kind);
        let cols = columns(kind);
        let expected: Vec<_> = form.items.iter().filter(|i| i.kind == kind).collect();
        let Some(cells) = sheet(title) else {
            if expected.is_empty() {
                continue;
            }
            return Err(layout_error(title, "缺少此工作表"));
        };
        let mut rows: std::collections::BTreeMap<u32, HashMap<u16, &str>> = Default::default();
        for (r, c, t) in cells {
            rows.entry(*r).or_default().insert(*c as u16, t.as_str());
        }
        let header = rows.remove(&0).unwrap_or_default();
        for (c, col) in cols.iter().enumerate() {
            if header.get(&(c as u16)).copied() != Some(col.header) {
                return Err(layout_error(title, &format!("第 1 行 {} 列应为“{}”", cell_name(0, c as u16), col.header)));
            }
        }
        if let Some(extra) = header.keys().find(|c| usize::from(**c) >= cols.len()) {
            return Err(layout_error(title, &format!("多出了 {} 列", cell_name(0, *extra))));
        }
        if rows.len() != expected.len() || rows.keys().any(|r| *r as usize > expected.len()) {
            return Err(layout_error(title, &format!("应有 {} 行事项，现为 {} 行", expected.len(), rows.len())));
        }
        for (r, item) in expected.iter().enumerate() {
            let row = r as u32 + 1;
            let cells = rows.get(&row).cloned().unwrap_or_default();
            if cells.get(&0).copied() != Some(item.item_id.to_string().as_str()) {
                return Err(layout_error(title, &format!("{} 的编号应为 {}", cell_name(row, 0), item.item_id)));
            }
            let mut e = Entry { kind: Some(kind), item_id: item.item_id, ..Entry::default() };
            let mut any = false;
            for (c, col) in cols.iter().enumerate() {
                let Some(field) = col.field else { continue };
                let at = format!("{title}!{}", cell_name(row, c as u16));
                filled.cells.insert(e.field(field), at.clone());
                let Some(text) = cells.get(&(c as u16)).map(|t| t.trim()).filter(|t| !t.is_empty()) else { continue };
                any = true;
                let number = || text.replace([',', '，'], "").parse::<f64>().ok().filter(|v| v.is_finite());
                match field {
                    "share" | "cumulative" | "value" | "amount" => match number() {
                        Some(v) => match field {
                            "share" => e.share = Some(v),
                            "cumulative" => e.cumulative = Some(v),
                            "value" => e.value = Some(v),
                            _ => e.amount = Some(v),
                        },
                        None => filled.wrong.push((
                            at.clone(),
                            Reason::TypedNotANumber { raw: text.chars().take(20).collect() }.message(Lang::Zh),
                        )),
                    },
                    "status" => match status_of.get(text) {
                        Some(code) => e.status = Some((*code).into()),
                        None => filled.wrong.push((at.clone(), not_listed(text, &status_names))),
                    },
                    "stage" => match stage_of.get(text) {
                        Some(code) => e.stage = Some((*code).into()),
                        None => filled.wrong.push((at.clone(), not_listed(text, &stage_names))),
                    },
                    "progress" => e.progress = Some(text.into()),
                    "problems" => e.problems = Some(text.into()),
                    "next_steps" => e.next_steps = Some(text.into()),
                    "note" => e.note = Some(text.into()),
                    "source" => e.source = Some(text.into()),
                    _ => {}
                }
            }
            if any {
                filled.entries.push(e);
            }
        }
    }
    Ok(filled)
}

/// Several files in one `.zip` (every unit's form of a period).
pub fn bundle(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}
