//! A table file as rows of text, each cell with its name: the first sheet
//! of an `.xlsx` (`统计数据!C5`) or a `.csv` in UTF-8 or GBK (`C5`). For
//! files of figures the office imports (statistics, enterprises' figures):
//! the importer checks each cell and names it in its message.

use crate::decode::decode;
use crate::error::ReadError;
use crate::xlsx::{cell_name, cells};

/// A row: its 0-based row number and its cells' text by column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's index (0 is the header).
    pub index: u32,
    /// The text of each column, empty where blank.
    pub cells: Vec<String>,
}

/// A table read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (`None` for a `.csv`).
    pub sheet: Option<String>,
    /// The header row's cells, trimmed.
    pub header: Vec<String>,
    /// The rows below it with anything in them.
    pub rows: Vec<Row>,
}

impl Table {
    /// The name of a cell as people find it (`统计数据!C5`, `C5`).
    pub fn cell(&self, row: u32, col: usize) -> String {
        let name = cell_name(row, col as u16);
        match &self.sheet {
            Some(s) => format!("{s}!{name}"),
            None => name,
        }
    }

    /// The column whose header is one of `names` (or starts with one).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header.iter().position(|h| names.iter().any(|n| h == n || h.starts_with(n)))
    }
}

/// Reads a table from an `.xlsx` (its first sheet) or a `.csv`.
pub fn read(bytes: &[u8]) -> Result<Table, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        let sheets = cells(bytes)?;
        let Some((sheet, filled)) = sheets.into_iter().next() else { return Err(ReadError::Empty) };
        let mut grid: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        for (r, c, text) in filled {
            let row = grid.entry(r).or_default();
            if row.len() <= c as usize {
                row.resize(c as usize + 1, String::new());
            }
            row[c as usize] = text.trim().to_string();
        }
        Ok(table(Some(sheet), grid.into_iter().collect()))
    } else {
        let (text, _) = decode(bytes)?;
        let rows = text.lines().enumerate().map(|(i, line)| (i as u32, csv_fields(line))).collect();
        Ok(table(None, rows))
    }
}

fn table(sheet: Option<String>, rows: Vec<(u32, Vec<String>)>) -> Table {
    let mut rows = rows.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let header = rows.next().map(|(_, h)| h.into_iter().map(|c| c.trim().to_string()).collect()).unwrap_or_default();
    Table { sheet, header, rows: rows.map(|(index, cells)| Row { index, cells }).collect() }
}

/// The fields of a CSV line: commas outside double quotes, `""` a quote.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(last) = out.last_mut() {
                    last.push('"')
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => {
                if let Some(last) = out.last_mut() {
                    last.push(c)
                }
            }
        }
    }
    out.into_iter().map(|f| f.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_reads_as_rows_with_cell_names() {
        let t = read(
            "指标代码,地区代码,期别,数值\n\nYL01,520102,2026-06,\"1,200\"\r\nYL01,520103,2026年6月,\"a \"\"b\"\"\"\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(t.header, ["指标代码", "地区代码", "期别", "数值"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[3], "1,200");
        assert_eq!(t.rows[1].cells[3], "a \"b\"");
        assert_eq!(t.cell(t.rows[1].index, 3), "D4", "the blank line counts, as a spreadsheet shows it");
        assert_eq!(t.column(&["数值"]), Some(3));
    }
}
