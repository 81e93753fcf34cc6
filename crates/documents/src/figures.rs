//! A region's figures as a workbook: every indicator of the region and of
//! its children for a period, with the year before, the growth, the value
//! per 万人 and the rank — the data behind the region page's chart.

use crate::sheet;
use bighealth_store::indicators::rollup::{Figure, RegionFigures};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The file name of a region's figures.
pub fn file_name(f: &RegionFigures) -> String {
    format!("{}_{}_指标数据.xlsx", f.region.name, f.period_label)
}

const HEADERS: [&str; 11] =
    ["指标代码", "指标", "单位", "地区代码", "地区", "层级", "数值", "上年同期", "同比（%）", "每万人", "排名"];

/// The workbook of `f`.
pub fn workbook(f: &RegionFigures) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("指标数据")?;
    ws.write_string(0, 0, format!("{} {} 指标数据", f.region.name, f.period_label))?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &sheet::header())?;
    }
    for (c, w) in [10.0, 28.0, 8.0, 10.0, 22.0, 10.0, 12.0, 12.0, 10.0, 10.0, 6.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let number = Format::new().set_num_format("#,##0.00");
    let mut row = 2u32;
    for i in &f.indicators {
        let rows: Vec<(&Figure, &str)> =
            std::iter::once((&i.region, "本级")).chain(i.children.iter().map(|c| (c, "下级"))).collect();
        for (fig, level) in rows {
            ws.write_string(row, 0, &i.indicator.code)?;
            ws.write_string(row, 1, &i.indicator.name)?;
            ws.write_string(row, 2, i.indicator.unit.as_deref().unwrap_or(""))?;
            ws.write_string(row, 3, &fig.region)?;
            ws.write_string(row, 4, &fig.name)?;
            ws.write_string(
                row,
                5,
                if fig.own || fig.value.is_none() { level.to_string() } else { format!("{level}（下级汇总）") },
            )?;
            for (c, v) in [(6, fig.value), (7, fig.last_year), (8, fig.growth), (9, fig.per_10k)] {
                if let Some(v) = v {
                    ws.write_number_with_format(row, c, v, &number)?;
                }
            }
            if let Some(r) = fig.rank {
                ws.write_number(row, 10, r as f64)?;
            }
            row += 1;
        }
    }
    book.save_to_buffer()
}
