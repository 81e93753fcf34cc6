//! Reads an Excel 2007+ workbook (`.xlsx`) into a [`Source`].
//!
//! Before calamine sees the package, every entry is inflated once through
//! [`limits::inflate_all`] (size caps, no DOCTYPE), so calamine never meets
//! a zip bomb. Cells are streamed (calamine's dense `Range` is never built,
//! so a sheet with one cell at `A1` and one at `XFD1048576` costs two cells).
//! Each visible worksheet becomes: its title rows (rows above the table with
//! a single filled cell) as paragraphs, then one table, with merged regions
//! marked (`merged_above` below the top-left cell, empty cells beside it)
//! and columns and rows that hold nothing left out.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Dimensions, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use crate::error::ReadError;
use crate::limits::{self, ZipKind};
use crate::source::{CellIn, Format, Source, SourceBuilder};

/// The most rows with data a workbook may have.
pub const MAX_ROWS: usize = 100_000;
/// The most filled cells a workbook may have.
pub const MAX_CELLS: usize = 1_000_000;
/// The most cells (rows × columns) one rendered table may have.
pub const MAX_GRID: usize = 2_000_000;
/// The most cells merged regions may touch, over the workbook.
const MAX_MERGE_WORK: usize = 5_000_000;

/// Reads a `.xlsx` workbook.
pub fn read(bytes: &[u8]) -> Result<Source, ReadError> {
    limits::inflate_all(bytes, ZipKind::Xlsx)?;
    // calamine parses untrusted XML; should it ever panic on a malformed
    // workbook, that is a damaged file, not a crash.
    match catch_unwind(AssertUnwindSafe(|| read_workbook(bytes))) {
        Ok(result) => result,
        Err(_) => Err(corrupt("the spreadsheet reader failed on its XML".into())),
    }
}

/// The filled cells of every worksheet of a `.xlsx` workbook, hidden ones
/// too, as (sheet name, cells in row then column order), under the same
/// caps as a plan: for forms the platform wrote and a unit filled in.
pub fn cells(bytes: &[u8]) -> Result<Vec<(String, Vec<Filled>)>, ReadError> {
    limits::inflate_all(bytes, ZipKind::Xlsx)?;
    let read = || -> Result<_, ReadError> {
        let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
        let mut counts = Counts::default();
        let mut out = Vec::new();
        for sheet in book.sheets_metadata().to_vec() {
            if sheet.typ != SheetType::WorkSheet {
                continue;
            }
            let cells = read_cells(&mut book, &sheet.name, &mut counts)?;
            out.push((sheet.name, cells));
        }
        Ok(out)
    };
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(result) => result,
        Err(_) => Err(corrupt("the spreadsheet reader failed on its XML".into())),
    }
}

fn corrupt(detail: String) -> ReadError {
    ReadError::Corrupt { kind: ".xlsx", detail }
}

/// A calamine error as a [`ReadError`].
fn xlsx_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => ReadError::Unsupported(
            "the .xlsx file is password-protected; remove the password in Excel/WPS, save it and try again".into(),
        ),
        other => corrupt(other.to_string().split_whitespace().collect::<Vec<_>>().join(" ")),
    }
}

/// Running totals against the caps.
#[derive(Default)]
struct Counts {
    rows: usize,
    cells: usize,
    merge_work: usize,
}

fn read_workbook(bytes: &[u8]) -> Result<Source, ReadError> {
    let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let mut out = SourceBuilder::new();
    let mut counts = Counts::default();
    let sheets = book.sheets_metadata().to_vec();
    for sheet in sheets {
        if sheet.typ != SheetType::WorkSheet || sheet.visible != SheetVisible::Visible {
            continue;
        }
        let cells = read_cells(&mut book, &sheet.name, &mut counts)?;
        if cells.is_empty() {
            continue;
        }
        let merges = match book.merge_cells_by_sheet_name(&sheet.name) {
            Ok(m) => m,
            Err(e) => {
                out.note(format!(
                    "the merged cells of sheet “{}” could not be read ({e}); they are shown unmerged",
                    sheet.name
                ));
                Vec::new()
            }
        };
        render_sheet(&mut out, cells, &merges, &mut counts)?;
    }
    Ok(out.finish(Format::Xlsx))
}

/// One filled cell: row, column, text.
pub type Filled = (u32, u32, String);

/// The filled cells of a sheet, in row then column order.
fn read_cells(book: &mut Xlsx<Cursor<&[u8]>>, name: &str, counts: &mut Counts) -> Result<Vec<Filled>, ReadError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(XlsxError::NotAWorksheet(_) | XlsxError::WorksheetNotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(xlsx_error(e)),
    };
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        let text = value_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        counts.cells += 1;
        if counts.cells > MAX_CELLS {
            return Err(ReadError::TooLarge {
                what: "the number of filled cells in the workbook".into(),
                limit: MAX_CELLS.to_string(),
            });
        }
        let (r, c) = cell.get_position();
        cells.push((r, c, text));
    }
    // A cell written twice: the later one stands.
    cells.reverse();
    cells.sort_by_key(|&(r, c, _)| (r, c));
    cells.dedup_by_key(|&mut (r, c, _)| (r, c));
    Ok(cells)
}

/// A cell's value as text: 100000.0 → "100000", 3.5 → "3.5", dates ISO.
pub fn value_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => date_text(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A number as Excel shows it in a general cell: integers without ".0",
/// others to 15 significant digits without trailing zeros.
pub fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    if f.abs() >= 1e15 {
        return f.to_string();
    }
    let int_digits = if f.abs() >= 1.0 { f.abs().log10().floor() as i32 + 1 } else { 0 };
    let decimals = (15 - int_digits).clamp(0, 15) as usize;
    let s = format!("{f:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

/// A date as `YYYY-MM-DD` (with the time when it has one), a duration as
/// `h:mm:ss`.
fn date_text(d: &calamine::ExcelDateTime) -> String {
    let v = d.as_f64();
    if !(0.0..2_958_466.0).contains(&v) {
        return number_text(v);
    }
    if d.is_duration() {
        let secs = (v * 86_400.0).round() as u64;
        return format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    }
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    if v.fract() == 0.0 {
        format!("{y:04}-{mo:02}-{day:02}")
    } else if v < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// A sheet's rows: each a row index and its filled cells (column, text).
type SheetRows = Vec<(u32, Vec<(u32, String)>)>;

fn group_rows(cells: Vec<Filled>) -> SheetRows {
    let mut rows: SheetRows = Vec::new();
    for (r, c, text) in cells {
        match rows.last_mut() {
            Some((last, cells)) if *last == r => cells.push((c, text)),
            _ => rows.push((r, vec![(c, text)])),
        }
    }
    rows
}

/// Whether the cell at (`r`, `c`) is the top-left of a region merged across
/// two columns or more.
fn wide_merge_at(merges: &[Dimensions], r: u32, c: u32) -> bool {
    merges.iter().any(|m| m.start == (r, c) && m.end.1 > m.start.1)
}

/// Renders one sheet: title rows as paragraphs, the rest as a table, and
/// notes under the table (single cells merged across columns) as paragraphs.
fn render_sheet(
    out: &mut SourceBuilder,
    cells: Vec<Filled>,
    merges: &[Dimensions],
    counts: &mut Counts,
) -> Result<(), ReadError> {
    let mut rows = group_rows(cells);
    counts.rows += rows.len();
    if counts.rows > MAX_ROWS {
        return Err(ReadError::TooLarge {
            what: "the number of rows with data in the workbook".into(),
            limit: MAX_ROWS.to_string(),
        });
    }
    let titles = rows.iter().take_while(|(_, cells)| cells.len() == 1).count();
    for (_, cells) in rows.drain(..titles) {
        for (_, text) in cells {
            out.para(&text);
        }
    }
    let mut notes = Vec::new();
    while rows.len() > 1 {
        match rows.last() {
            Some((r, cells))
                if cells.len() == 1 && cells.first().is_some_and(|(c, _)| wide_merge_at(merges, *r, *c)) =>
            {
                notes.extend(rows.pop().into_iter().flat_map(|(_, cells)| cells).map(|(_, t)| t));
            }
            _ => break,
        }
    }
    if !rows.is_empty() {
        out.table(grid(rows, merges, counts)?);
    }
    for note in notes.iter().rev() {
        out.para(note);
    }
    Ok(())
}

/// The rows as a dense table over the columns that hold something, with
/// merged regions applied.
fn grid(rows: SheetRows, merges: &[Dimensions], counts: &mut Counts) -> Result<Vec<Vec<CellIn>>, ReadError> {
    let mut cols: Vec<u32> = rows.iter().flat_map(|(_, cells)| cells.iter().map(|(c, _)| *c)).collect();
    cols.sort_unstable();
    cols.dedup();
    if rows.len().saturating_mul(cols.len()) > MAX_GRID {
        return Err(ReadError::TooLarge {
            what: format!("a sheet's table ({} rows × {} columns)", rows.len(), cols.len()),
            limit: format!("{MAX_GRID} cells"),
        });
    }
    let row_ids: Vec<u32> = rows.iter().map(|(r, _)| *r).collect();
    let mut table: Vec<Vec<CellIn>> = Vec::with_capacity(rows.len());
    for (_, cells) in rows {
        let mut row = vec![CellIn::default(); cols.len()];
        for (c, text) in cells {
            if let Ok(i) = cols.binary_search(&c)
                && let Some(cell) = row.get_mut(i)
            {
                cell.text = text;
            }
        }
        table.push(row);
    }
    for m in merges {
        apply_merge(&mut table, &row_ids, &cols, m, counts);
    }
    Ok(table)
}

/// The indices of `ids` (sorted) that fall in `lo..=hi`.
fn index_range(ids: &[u32], lo: u32, hi: u32) -> std::ops::Range<usize> {
    ids.partition_point(|&x| x < lo)..ids.partition_point(|&x| x <= hi)
}

/// Marks a merged region: cells below the top-left row `merged_above`, all
/// but the top-left emptied.
fn apply_merge(table: &mut [Vec<CellIn>], rows: &[u32], cols: &[u32], m: &Dimensions, counts: &mut Counts) {
    let (r0, r1) = (m.start.0.min(m.end.0), m.start.0.max(m.end.0));
    let (c0, c1) = (m.start.1.min(m.end.1), m.start.1.max(m.end.1));
    let (rr, cr) = (index_range(rows, r0, r1), index_range(cols, c0, c1));
    counts.merge_work = counts.merge_work.saturating_add(rr.len().saturating_mul(cr.len()));
    if counts.merge_work > MAX_MERGE_WORK {
        return;
    }
    for ri in rr {
        let r = rows.get(ri).copied().unwrap_or(r0);
        let Some(row) = table.get_mut(ri) else { continue };
        for ci in cr.clone() {
            let c = cols.get(ci).copied().unwrap_or(c0);
            if (r, c) == (r0, c0) {
                continue;
            }
            if let Some(cell) = row.get_mut(ci) {
                cell.text.clear();
                cell.merged_above |= r > r0;
            }
        }
    }
}

/// Excel's name of a cell (`E7`) from a 0-based row and column.
pub fn cell_name(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_render_like_excel() {
        assert_eq!(number_text(100000.0), "100000");
        assert_eq!(number_text(3.5), "3.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(12345678.123), "12345678.123");
        assert_eq!(number_text(-2.0), "-2");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn merges_mark_below_and_beside() {
        let rows: SheetRows = vec![
            (0, vec![(0, "序号".into()), (1, "任务".into()), (2, "牵头单位".into())]),
            (1, vec![(0, "1".into()), (1, "甲".into()), (2, "区卫健委".into())]),
            (2, vec![(0, "2".into()), (1, "乙".into())]),
        ];
        let merges = [Dimensions::new((1, 2), (2, 3))];
        let t = grid(rows, &merges, &mut Counts::default()).unwrap();
        assert_eq!(t[1][2].text, "区卫健委");
        assert!(t[2][2].merged_above && t[2][2].text.is_empty());
        assert!(!t[1][2].merged_above);
    }

    #[test]
    fn huge_merges_are_bounded() {
        let rows: SheetRows = vec![(0, vec![(0, "a".into()), (1, "b".into())])];
        let merges = vec![Dimensions::new((0, 0), (1_048_575, 16_383)); 10];
        assert!(grid(rows, &merges, &mut Counts::default()).is_ok());
    }
}
