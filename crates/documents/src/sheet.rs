//! What the report form and the consolidated table share: the sheet names
//! and columns of each kind of item, cell names, formats.

use bighealth_rules::reporting::entry::ItemKind;
use rust_xlsxwriter::{Color, Format, FormatBorder};

/// The sheet of each kind of item.
pub fn sheet_name(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Task => "进度表",
        ItemKind::Target => "指标表",
        ItemKind::Project => "项目表",
    }
}

/// A column: its header, the entry field it fills (`None`: shown, not
/// typed), and its width.
pub struct Column {
    pub header: &'static str,
    pub field: Option<&'static str>,
    pub width: f64,
}

const fn shown(header: &'static str, width: f64) -> Column {
    Column { header, field: None, width }
}

const fn typed(header: &'static str, field: &'static str, width: f64) -> Column {
    Column { header, field: Some(field), width }
}

/// The columns of each kind's sheet; the first is always the item's id.
pub fn columns(kind: ItemKind) -> &'static [Column] {
    const TASK: [Column; 11] = [
        shown("编号", 8.0),
        shown("任务", 40.0),
        shown("上期状态", 10.0),
        typed("状态", "status", 10.0),
        typed("完成进度（%）", "share", 10.0),
        shown("上期进度（%）", 10.0),
        typed("累计完成值", "cumulative", 10.0),
        typed("进展情况", "progress", 40.0),
        typed("存在问题", "problems", 28.0),
        typed("下步打算", "next_steps", 28.0),
        typed("说明", "note", 16.0),
    ];
    const TARGET: [Column; 7] = [
        shown("编号", 8.0),
        shown("指标", 30.0),
        shown("目标", 18.0),
        shown("单位", 8.0),
        shown("上期数值", 10.0),
        typed("本期末数值", "value", 12.0),
        typed("数据来源", "source", 20.0),
    ];
    const PROJECT: [Column; 10] = [
        shown("编号", 8.0),
        shown("项目名称", 32.0),
        shown("总投资（万元）", 12.0),
        shown("此前累计完成（万元）", 14.0),
        shown("上期完成投资（万元）", 14.0),
        typed("本月完成投资（万元）", "amount", 14.0),
        typed("建设状态", "stage", 10.0),
        typed("形象进度", "progress", 36.0),
        typed("存在问题", "problems", 28.0),
        typed("下步打算", "next_steps", 28.0),
    ];
    match kind {
        ItemKind::Task => &TASK,
        ItemKind::Target => &TARGET,
        ItemKind::Project => &PROJECT,
    }
}

pub use bighealth_reader::xlsx::cell_name;

/// The header cells.
pub fn header() -> Format {
    Format::new().set_bold().set_text_wrap().set_background_color(Color::RGB(0xDDE7EE)).set_border(FormatBorder::Thin)
}

/// Cells shown, not typed (locked on a protected sheet).
pub fn locked() -> Format {
    Format::new().set_text_wrap().set_background_color(Color::RGB(0xF2F4F6)).set_border(FormatBorder::Thin)
}

/// Cells to type in (unlocked).
pub fn open() -> Format {
    Format::new().set_unlocked().set_text_wrap().set_border(FormatBorder::Thin)
}

/// Number cells to type in.
pub fn open_number() -> Format {
    Format::new().set_unlocked().set_num_format("#,##0.##").set_border(FormatBorder::Thin)
}

#[cfg(test)]
mod tests {
    use super::cell_name;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(6, 4), "E7");
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(0, 26), "AA1");
    }
}
