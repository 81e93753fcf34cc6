//! The consolidated table (汇总表) of a period: every unit's report in one
//! workbook, one sheet per kind of item, one row per unit and item, with
//! the form's state; for the office to send up or file.

use crate::sheet::{self, sheet_name};
use bighealth_rules::reporting::Schedule;
use bighealth_rules::reporting::entry::{self, ItemKind};
use bighealth_store::reporting::forms::Form;
use rust_xlsxwriter::{Workbook, XlsxError};

/// The file name of a period's consolidated table.
pub fn file_name(plan_title: &str, period_label: &str) -> String {
    format!("{plan_title}_{period_label}_汇总表.xlsx")
}

/// The consolidated table of `forms` (one per unit due in the period).
pub fn write(forms: &[Form], plan_title: &str, schedule: &Schedule) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let label = forms.first().map(|f| f.period.label.clone()).unwrap_or_default();
    {
        let ws = book.add_worksheet();
        ws.set_name("报送情况")?;
        ws.write_string(0, 0, format!("{plan_title} {label} 报送情况"))?;
        for (c, h) in ["单位", "状态", "首次报送时间", "是否及时", "事项数"].iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &sheet::header())?;
        }
        ws.set_column_width(0, 28)?;
        ws.set_column_width(2, 18)?;
        for (r, f) in forms.iter().enumerate() {
            let row = r as u32 + 2;
            ws.write_string(row, 0, &f.unit_name)?;
            ws.write_string(row, 1, &f.state_label)?;
            if let Some(at) = f.first_submitted_at {
                let d = bighealth_rules::calendar::date_of(at);
                ws.write_string(row, 2, d.to_string())?;
            }
            ws.write_string(
                row,
                3,
                match f.on_time {
                    Some(true) => "及时",
                    Some(false) => "迟报",
                    None => "未报",
                },
            )?;
            ws.write_number(row, 4, f.items.len() as f64)?;
        }
    }
    for kind in [ItemKind::Task, ItemKind::Target, ItemKind::Project] {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(kind))?;
        let headers: &[&str] = match kind {
            ItemKind::Task => {
                &["单位", "编号", "任务", "状态", "完成进度（%）", "累计完成值", "进展情况", "存在问题", "下步打算"]
            }
            ItemKind::Target => &["单位", "编号", "指标", "目标", "本期末数值", "单位", "数据来源"],
            ItemKind::Project => &[
                "单位",
                "编号",
                "项目名称",
                "总投资（万元）",
                "本月完成投资（万元）",
                "年累（万元）",
                "开累（万元）",
                "建设状态",
                "形象进度",
                "存在问题",
            ],
        };
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &sheet::header())?;
            ws.set_column_width(c as u16, if c == 2 || c >= 6 { 30 } else { 12 })?;
        }
        let mut row = 1;
        for f in forms {
            for item in f.items.iter().filter(|i| i.kind == kind) {
                let e = item.entry.clone().unwrap_or_default();
                ws.write_string(row, 0, &f.unit_name)?;
                ws.write_number(row, 1, item.item_id as f64)?;
                ws.write_string(row, 2, &item.label)?;
                let number = |ws: &mut rust_xlsxwriter::Worksheet, col: u16, v: Option<f64>| -> Result<(), XlsxError> {
                    if let Some(v) = v {
                        ws.write_number(row, col, v)?;
                    }
                    Ok(())
                };
                match kind {
                    ItemKind::Task => {
                        ws.write_string(row, 3, e.status.as_deref().map(|s| schedule.status_name(s)).unwrap_or(""))?;
                        number(ws, 4, e.share)?;
                        number(ws, 5, e.cumulative)?;
                        ws.write_string(row, 6, e.progress.as_deref().unwrap_or(""))?;
                        ws.write_string(row, 7, e.problems.as_deref().unwrap_or(""))?;
                        ws.write_string(row, 8, e.next_steps.as_deref().unwrap_or(""))?;
                    }
                    ItemKind::Target => {
                        ws.write_string(row, 3, item.detail.as_deref().unwrap_or(""))?;
                        number(ws, 4, e.value)?;
                        ws.write_string(row, 5, item.unit.as_deref().unwrap_or(""))?;
                        ws.write_string(row, 6, e.source.as_deref().unwrap_or(""))?;
                    }
                    ItemKind::Project => {
                        number(ws, 3, item.total_wan)?;
                        number(ws, 4, e.amount)?;
                        number(ws, 5, item.year_amount)?;
                        number(ws, 6, item.total_amount)?;
                        ws.write_string(row, 7, e.stage.as_deref().map(entry::stage_label).unwrap_or(""))?;
                        ws.write_string(row, 8, e.progress.as_deref().unwrap_or(""))?;
                        ws.write_string(row, 9, e.problems.as_deref().unwrap_or(""))?;
                    }
                }
                row += 1;
            }
        }
    }
    book.save_to_buffer()
}
