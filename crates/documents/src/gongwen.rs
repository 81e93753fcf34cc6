//! An official document (公文) in the layout of GB/T 9704-2012
//! 《党政机关公文格式》, written as `.docx`.
//!
//! [`Gongwen`] holds what a document says, in the order the standard lays
//! it out: the 版头 (the red 发文机关标志, the 发文字号 and the red line), the
//! 主体 (title, 主送机关, the [`Block`]s of the text, the 附件说明, 署名 and
//! 成文日期), the attachments ([`Annex`], each on a new page with its
//! [`Table`]) and the 版记 (抄送, 印发机关 and 印发日期 between lines).
//! [`Gongwen::to_docx`] lays it on A4 with the standard's margins, fonts,
//! sizes and 22 lines of 28 characters, and numbers the pages "— 1 —",
//! odd pages right and even pages left. An attachment whose table is too
//! wide for the upright page is set on turned (landscape) pages.
//!
//! Word picks the fonts by name; the font table names a common substitute
//! for each (仿宋 for 仿宋_GB2312, 楷体 for 楷体_GB2312, 宋体 for
//! 方正小标宋简体), so a machine without the GB fonts still shows the
//! right kind of face.

use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, PageOrientationType, PageSize, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Pic, Run, RunFonts, SectionProperty, SpecialIndentType, Tab, TabValueType, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins,
    TableLayoutType, TablePositionProperty, TableRow, VAlignType, WidthType,
};
use std::io::{Cursor, Write};

/// A document in the GB/T 9704-2012 layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Gongwen {
    /// 发文机关标志, printed in red at the top.
    pub issuer: String,
    /// 发文字号 (`健督〔2026〕17号`).
    pub number: String,
    /// 标题.
    pub title: String,
    /// 主送机关, ending with `：`.
    pub addressee: Option<String>,
    /// The text.
    pub body: Vec<Block>,
    /// 附件说明, one line each (`附件：1.××`).
    pub attachments_note: Vec<String>,
    /// 署名.
    pub signature: String,
    /// 成文日期 (`2026年9月30日`).
    pub date: String,
    /// 抄送机关.
    pub copy_to: Option<String>,
    /// 印发机关.
    pub printer: String,
    /// 印发日期 (`2026年9月30日`).
    pub printed: String,
    /// The attachments, each on its own pages after the text.
    pub annexes: Vec<Annex>,
}

/// A paragraph of the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A first-level heading (`一、…`), in 黑体.
    Heading(String),
    /// A second-level heading (`（一）…`), in 楷体.
    Subheading(String),
    /// A paragraph, indented two characters.
    Paragraph(String),
    /// A bar chart, centred (its figures are in the text or an annex too).
    Chart(crate::chart::Chart),
}

/// An attachment (附件): a title and a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Annex {
    /// Its title, centred under the 附件 label.
    pub title: String,
    /// Its table.
    pub table: Table,
}

/// A table of an attachment: a header row, then the rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The header row, in bold.
    pub headers: Vec<String>,
    /// The rows, as many cells each as headers.
    pub rows: Vec<Vec<String>>,
}

/// 仿宋, the face of the text.
const FANGSONG: &str = "仿宋_GB2312";
/// 小标宋, the face of the issuer and the title.
const XIAOBIAOSONG: &str = "方正小标宋简体";
/// 黑体, the face of first-level headings and the 附件 label.
const HEITI: &str = "黑体";
/// 楷体, the face of second-level headings.
const KAITI: &str = "楷体_GB2312";
/// 宋体, the face of the page numbers.
const SONGTI: &str = "宋体";
/// The red of the 版头.
const RED: &str = "FF0000";

/// 三号 (16 pt), in half-points: the text.
const BODY: usize = 32;
/// 二号 (22 pt), in half-points: the title.
const TITLE: usize = 44;
/// 四号 (14 pt), in half-points: the 版记 and the page numbers.
const SMALL: usize = 28;
/// 五号 (10.5 pt), in half-points: the cells of a table.
const CELL: usize = 21;
/// The left and right margins of a cell together, in twips (Word's default).
const CELL_PADDING: f64 = 216.0;

/// The A4 page in twips.
const PAGE: (u32, u32) = (11906, 16838);
/// The width of the 版心 (156 mm) in twips.
const TEXT_WIDTH: i32 = 8845;
/// The height of the 版心 (225 mm) in twips: its width on a turned page.
const TEXT_HEIGHT: i32 = 12756;
/// The line pitch in twips: 22 lines in the 225 mm 版心 (28.95 pt).
const LINE: i32 = 579;
/// One character in twips: 28 characters in the 156 mm 版心 (15.75 pt).
const CHAR: i32 = 315;
/// The spacing between characters in twips (−0.25 pt), which puts 28
/// 三号 characters on a line of the 版心 where 27 would fit.
const TIGHTEN: i32 = -5;

impl Gongwen {
    /// The document as `.docx` bytes; the message says in Chinese what failed.
    pub fn to_docx(&self) -> Result<Vec<u8>, String> {
        let mut doc = page_setup(Docx::new());
        for p in self.head() {
            doc = doc.add_paragraph(p);
        }
        for p in self.text() {
            doc = doc.add_paragraph(p);
        }
        let numbered = self.annexes.len() > 1;
        let mut landscape = false;
        for (i, annex) in self.annexes.iter().enumerate() {
            let label = if numbered { format!("附件{}", i + 1) } else { "附件".to_string() };
            let turn = wide(&annex.table);
            if turn != landscape {
                doc = doc.add_paragraph(section_break(landscape));
            }
            for p in annex_head(&label, &annex.title, turn == landscape) {
                doc = doc.add_paragraph(p);
            }
            landscape = turn;
            doc = doc.add_table(table(&annex.table, text_width(landscape)));
        }
        if landscape {
            doc = doc.add_paragraph(section_break(true));
        }
        // A paragraph must close the body after a table: this one is a point high.
        let end = Paragraph::new().line_spacing(exact(20));
        doc = doc.add_paragraph(blank()).add_table(self.colophon()).add_paragraph(end);
        pack(doc)
    }

    /// The document as PDF bytes, laid out as [`Gongwen::to_docx`] lays it
    /// out in Word and set by typst ([`crate::pdf`]); an attachment is on
    /// turned pages when its table is in Word. The message says in Chinese
    /// what failed, such as a server without a Chinese font.
    pub fn to_pdf(&self) -> Result<Vec<u8>, String> {
        let turned: Vec<bool> = self.annexes.iter().map(|a| wide(&a.table)).collect();
        crate::pdf::gongwen(self, &turned)
    }

    /// The 版头 and the head of the 主体: issuer, number over the red line,
    /// title and addressee.
    fn head(&self) -> Vec<Paragraph> {
        let mut out = vec![issuer(&self.issuer), blank(), blank(), number(&self.number), blank(), blank()];
        out.push(line(&self.title, XIAOBIAOSONG, TITLE).align(AlignmentType::Center).snap_to_grid(false));
        if let Some(to) = &self.addressee {
            out.push(blank());
            out.push(line(to, FANGSONG, BODY));
        }
        out
    }

    /// The text, the 附件说明, and one line under them the 署名 and the
    /// 成文日期 (a document without a seal). The last paragraph of the text
    /// stays on the page of the 署名: never a page with the 署名 alone.
    fn text(&self) -> Vec<Paragraph> {
        let (body, last) = self.body.split_at(self.body.len().saturating_sub(1));
        let mut out: Vec<Paragraph> = body.iter().map(block).collect();
        out.extend(last.iter().map(|b| block(b).keep_next(true)));
        if !self.attachments_note.is_empty() {
            out.push(blank().keep_next(true));
            out.extend(self.attachments_note.iter().enumerate().map(|(i, l)| attachment_line(i, l).keep_next(true)));
        }
        out.push(blank().keep_next(true));
        let (sig, date) = signature_indents(width(&self.signature), width(&self.date));
        for (i, (text, right)) in [(&self.signature, sig), (&self.date, date)].into_iter().enumerate() {
            let p = line(text, FANGSONG, BODY).align(AlignmentType::Right).keep_next(i == 0);
            out.push(p.indent(None, None, Some((right * f64::from(CHAR)).round() as i32), None));
        }
        out
    }

    /// The 版记 at the foot of the last page: 抄送, then 印发机关 and
    /// 印发日期, between lines (thick outside, thin between); a one-column
    /// table floating at the foot of the 版心 (Word places it there; a
    /// viewer that ignores floating tables, as LibreOffice does, shows it
    /// after the text).
    fn colophon(&self) -> docx_rs::Table {
        let mut rows = vec![];
        if let Some(to) = &self.copy_to {
            let copy = colophon_line(small().add_text(format!("抄送：{to}。"))).indent(
                Some(4 * CHAR),
                Some(SpecialIndentType::Hanging(3 * CHAR)),
                Some(CHAR),
                None,
            );
            rows.push(colophon_row(copy));
        }
        let printed = colophon_line(small().add_text(&self.printer))
            .add_tab(Tab::new().val(TabValueType::Right).pos((TEXT_WIDTH - CHAR) as usize))
            .add_run(small().add_tab().add_text(format!("{}印发", self.printed)))
            .indent(Some(CHAR), None, Some(CHAR), None);
        rows.push(colophon_row(printed));
        let line = |side, eighths| TableBorder::new(side).border_type(BorderType::Single).size(eighths).color("000000");
        let borders = TableBorders::with_empty()
            .set(line(TableBorderPosition::Top, 8))
            .set(line(TableBorderPosition::InsideH, 4))
            .set(line(TableBorderPosition::Bottom, 8));
        let foot = TablePositionProperty::new()
            .vertical_anchor("margin")
            .horizontal_anchor("margin")
            .position_x_alignment("center")
            .position_y_alignment("bottom");
        docx_rs::Table::new(rows)
            .set_grid(vec![TEXT_WIDTH as usize])
            .width(TEXT_WIDTH as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(0, 0, 0, 0))
            .set_borders(borders)
            .position(foot)
    }
}

/// A4, the standard's margins, the fonts and sizes of the text, the
/// line pitch and the page-number footers.
fn page_setup(doc: Docx) -> Docx {
    let mut doc = doc
        .default_fonts(fonts(FANGSONG))
        .default_size(BODY)
        .default_spacing(TIGHTEN)
        .default_line_spacing(exact(LINE));
    doc.document = doc.document.default_section_property(layout(false));
    doc.footer(odd_footer()).even_footer(even_footer())
}

/// The page of a section: A4 upright with the standard's margins, or
/// turned for a wide table with the same 版心 turned (订口 at the top).
fn layout(landscape: bool) -> SectionProperty {
    let grid = docx_rs::DocGrid::new().grid_type(docx_rs::DocGridType::Lines).line_pitch(LINE as usize);
    let (size, margin) = if landscape {
        let size = PageSize::new().size(PAGE.1, PAGE.0).orient(PageOrientationType::Landscape);
        let margin = PageMargin::new().top(mm(28.0)).bottom(mm(26.0)).left(mm(37.0)).right(mm(35.0));
        (size, margin.header(mm(10.0)).footer(mm(12.0)))
    } else {
        let size = PageSize::new().size(PAGE.0, PAGE.1).orient(PageOrientationType::Portrait);
        let margin = PageMargin::new().top(mm(37.0)).bottom(mm(35.0)).left(mm(28.0)).right(mm(26.0));
        (size, margin.header(mm(15.0)).footer(mm(22.0)))
    };
    SectionProperty::new().page_size(size).page_margin(margin).doc_grid(grid)
}

/// The empty paragraph ending a section laid out upright or turned; its
/// pages are numbered by the same footers as the last section's (the
/// first two footer parts, which [`page_setup`] adds).
fn section_break(landscape: bool) -> Paragraph {
    let property = layout(landscape)
        .footer(odd_footer(), &docx_rs::create_footer_rid(1))
        .even_footer(even_footer(), &docx_rs::create_footer_rid(2));
    Paragraph::new().line_spacing(exact(LINE)).section_property(property)
}

/// The width of the 版心 in twips, upright or turned.
fn text_width(landscape: bool) -> i32 {
    if landscape { TEXT_HEIGHT } else { TEXT_WIDTH }
}

/// The footer of odd pages: the number on the right.
fn odd_footer() -> Footer {
    Footer::new().add_paragraph(folio(AlignmentType::Right))
}

/// The footer of even pages: the number on the left.
fn even_footer() -> Footer {
    Footer::new().add_paragraph(folio(AlignmentType::Left))
}

/// Millimetres in twips.
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// Fixed line spacing of `twips`.
fn exact(twips: i32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(twips)
}

/// `face` for every script.
fn fonts(face: &str) -> RunFonts {
    RunFonts::new().east_asia(face).ascii(face).hi_ansi(face).cs(face).hint("eastAsia")
}

/// A run of `text` in `face` at `size` half-points.
fn run(text: &str, face: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(face)).size(size)
}

/// An empty run of 四号仿宋, the face of the 版记.
fn small() -> Run {
    Run::new().fonts(fonts(FANGSONG)).size(SMALL)
}

/// A paragraph of one run at the fixed line pitch.
fn line(text: &str, face: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(run(text, face, size)).line_spacing(exact(LINE))
}

/// An empty line.
fn blank() -> Paragraph {
    Paragraph::new().line_spacing(exact(LINE))
}

/// A paragraph indented two characters on its first line.
fn indented(text: &str, face: &str) -> Paragraph {
    line(text, face, BODY)
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
        .first_line_chars(200)
}

/// A block of the text.
fn block(b: &Block) -> Paragraph {
    match b {
        Block::Heading(t) => indented(t, HEITI),
        Block::Subheading(t) => indented(t, KAITI),
        Block::Paragraph(t) => indented(t, FANGSONG),
        Block::Chart(c) => chart(c),
    }
}

/// A chart as a picture 150 mm wide, centred; its title alone where the
/// machine has no Chinese font to draw it with.
fn chart(c: &crate::chart::Chart) -> Paragraph {
    let centred = Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(120).after(120));
    match c.png() {
        Some((png, w, h)) => {
            let emu_w = 150 * 36_000u32;
            let emu_h = (f64::from(emu_w) * f64::from(h) / f64::from(w)) as u32;
            centred.add_run(Run::new().add_image(Pic::new_with_dimensions(png, w, h).size(emu_w, emu_h)))
        }
        None => centred.add_run(run(&format!("{}（{}）", c.title, c.unit), FANGSONG, BODY)),
    }
}

/// The 发文机关标志: red 小标宋, centred, 35 mm below the top of the 版心,
/// as large as fits on one line (26–36 pt).
fn issuer(text: &str) -> Paragraph {
    let (size, scale) = issuer_size(width(text));
    Paragraph::new()
        .add_run(run(text, XIAOBIAOSONG, size).color(RED).stretch(scale))
        .align(AlignmentType::Center)
        .snap_to_grid(false)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(mm(35.0) as u32))
}

/// The size in half-points and the horizontal scale in percent of an
/// issuer `chars` characters wide: 36 pt, smaller to keep it on one line;
/// under 26 pt it stays 26 pt and is narrowed instead (字符缩放).
fn issuer_size(chars: f64) -> (usize, i32) {
    let width = f64::from(TEXT_WIDTH) / 20.0;
    let size = (width / chars.max(1.0)).floor().clamp(26.0, 36.0);
    let scale = (width / (chars.max(1.0) * size) * 100.0).floor().min(100.0);
    ((size * 2.0) as usize, scale as i32)
}

/// The 发文字号, centred, with the red line 4 mm under it across the 版心.
fn number(text: &str) -> Paragraph {
    let mut p = line(text, FANGSONG, BODY).align(AlignmentType::Center);
    let red =
        ParagraphBorder::new(ParagraphBorderPosition::Bottom).val(BorderType::Single).size(12).space(11).color(RED);
    p.property.borders = Some(ParagraphBorders::with_empty().set(red));
    p
}

/// A line of the 附件说明: the first as written (`附件：1.××`), the next
/// ones without `附件：` and aligned under the first name.
fn attachment_line(i: usize, text: &str) -> Paragraph {
    let p = line(text, FANGSONG, BODY);
    match (i, text.strip_prefix("附件：")) {
        (0, _) | (_, None) => p.indent(Some(2 * CHAR), None, None, None),
        (_, Some(rest)) => line(rest, FANGSONG, BODY).indent(Some(5 * CHAR), None, None, None),
    }
}

/// The right indents, in characters, of the 署名 and the 成文日期 of a
/// document without a seal: the 署名 two characters from the right, the
/// date one line under it starting two characters further right; when the
/// date is the longer, the date two characters from the right and the 署名
/// moved left to match.
fn signature_indents(signature: f64, date: f64) -> (f64, f64) {
    let sig = (4.0 + date - signature).max(2.0);
    (sig, sig + signature - 2.0 - date)
}

/// The width of `text` in characters: a Latin letter or digit is half.
fn width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

/// The first lines of an attachment, on a new page: its label (附件 or
/// 附件N) in 黑体 at the top left, then its title centred.
/// `new_page` unless a section break has just started one.
fn annex_head(label: &str, title: &str, new_page: bool) -> Vec<Paragraph> {
    vec![
        line(label, HEITI, BODY).page_break_before(new_page),
        blank(),
        line(title, XIAOBIAOSONG, TITLE).align(AlignmentType::Center).snap_to_grid(false),
        blank(),
    ]
}

/// The table of an attachment, across the 版心, its header row in bold.
fn table(t: &Table, across: i32) -> docx_rs::Table {
    let widths = column_widths(t, across);
    let mut rows = vec![row(&t.headers, &widths, true)];
    rows.extend(t.rows.iter().map(|r| row(r, &widths, false)));
    docx_rs::Table::new(rows).set_grid(widths).width(across as usize, WidthType::Dxa).layout(TableLayoutType::Fixed)
}

/// Whether a table needs the page turned: upright, a column that has to
/// wrap would be narrower than six characters.
fn wide(t: &Table) -> bool {
    fair_level(&needs(t), f64::from(TEXT_WIDTH)) < 6.0 * CELL as f64 * 10.0 + CELL_PADDING
}

/// The width in twips each column of a table needs to keep its widest
/// cell on one line.
fn needs(t: &Table) -> Vec<f64> {
    let columns = t.headers.len().max(t.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    (0..columns)
        .map(|c| {
            let cells = std::iter::once(&t.headers).chain(&t.rows).filter_map(|r| r.get(c));
            let chars = cells.map(|s| width(s)).fold(1.0, f64::max);
            chars * CELL as f64 * 10.0 + CELL_PADDING
        })
        .collect()
}

/// Column widths in twips across the 版心: every column as wide as its
/// widest cell when they all fit (the spare shared out in proportion);
/// otherwise the narrow columns whole and the wide ones sharing the rest
/// equally, their text wrapping.
fn column_widths(t: &Table, across: i32) -> Vec<usize> {
    let needs = needs(t);
    let total = f64::from(across);
    let level = fair_level(&needs, total);
    let spare = if level.is_finite() { 1.0 } else { total / needs.iter().sum::<f64>() };
    needs.iter().map(|n| (n.min(level) * spare).floor() as usize).collect()
}

/// The width `w` where the needs, each cut to `w`, add up to `total`
/// (infinite when they all fit).
fn fair_level(needs: &[f64], total: f64) -> f64 {
    let mut sorted = needs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut left = total;
    for (i, need) in sorted.iter().enumerate() {
        let share = left / (sorted.len() - i) as f64;
        if *need > share {
            return share;
        }
        left -= need;
    }
    f64::INFINITY
}

/// A row of a table.
fn row(cells: &[String], widths: &[usize], header: bool) -> TableRow {
    let cells = widths.iter().enumerate().map(|(i, w)| cell(cells.get(i).map_or("", String::as_str), *w, header));
    TableRow::new(cells.collect()).cant_split()
}

/// A cell of a table: 小四仿宋, or 黑体 in bold in the header row.
fn cell(text: &str, w: usize, header: bool) -> TableCell {
    let r = if header { run(text, HEITI, CELL).bold() } else { run(text, FANGSONG, CELL) };
    let p = Paragraph::new()
        .add_run(r)
        .snap_to_grid(false)
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240))
        .align(if header { AlignmentType::Center } else { AlignmentType::Left });
    let borders = [
        TableCellBorderPosition::Top,
        TableCellBorderPosition::Left,
        TableCellBorderPosition::Bottom,
        TableCellBorderPosition::Right,
    ]
    .into_iter()
    .fold(TableCellBorders::new(), |b, pos| {
        b.set(TableCellBorder::new(pos).border_type(BorderType::Single).size(4).color("000000"))
    });
    TableCell::new().add_paragraph(p).width(w, WidthType::Dxa).vertical_align(VAlignType::Center).set_borders(borders)
}

/// A paragraph of the 版记 in 四号仿宋.
fn colophon_line(first: Run) -> Paragraph {
    Paragraph::new().add_run(first).keep_lines(true).snap_to_grid(false).line_spacing(exact(LINE))
}

/// A row of the 版记.
fn colophon_row(p: Paragraph) -> TableRow {
    TableRow::new(vec![TableCell::new().add_paragraph(p).width(TEXT_WIDTH as usize, WidthType::Dxa)]).cant_split()
}

/// The page number "— N —" in 四号宋体, one character in from `side`.
fn folio(side: AlignmentType) -> Paragraph {
    let r = || Run::new().fonts(fonts(SONGTI)).size(SMALL);
    let page = r()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    let inset = match side {
        AlignmentType::Left => (Some(CHAR), None),
        _ => (None, Some(CHAR)),
    };
    Paragraph::new()
        .add_run(r().add_text("— "))
        .add_run(page)
        .add_run(r().add_text(" —"))
        .align(side)
        .snap_to_grid(false)
        .indent(inset.0, None, inset.1, None)
}

/// The packed document, its font table naming a substitute for each face.
fn pack(doc: Docx) -> Result<Vec<u8>, String> {
    let mut buf = Cursor::new(Vec::new());
    doc.build().pack(&mut buf).map_err(|e| format!("生成 Word 文件失败：{e}"))?;
    with_font_table(&buf.into_inner()).map_err(|e| format!("生成 Word 文件失败：{e}"))
}

/// The faces the document names, with their substitutes (`w:altName`),
/// as `word/fontTable.xml`.
fn font_table() -> String {
    let faces = [
        (FANGSONG, "仿宋", "86", "modern", "fixed"),
        (XIAOBIAOSONG, "宋体", "86", "script", "variable"),
        (HEITI, "SimHei", "86", "modern", "fixed"),
        (KAITI, "楷体", "86", "modern", "fixed"),
        (SONGTI, "SimSun", "86", "auto", "variable"),
        ("Times New Roman", "Times", "00", "roman", "variable"),
    ];
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    );
    for (name, alt, charset, family, pitch) in faces {
        xml.push_str(&format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>"#
        ));
    }
    xml.push_str("</w:fonts>");
    xml
}

/// `docx` with its font table replaced by [`font_table`].
fn with_font_table(docx: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i)?;
        if file.name()? == "word/fontTable.xml" {
            drop(file);
            out.start_file("word/fontTable.xml", options)?;
            out.write_all(font_table().as_bytes())?;
        } else {
            out.raw_copy_file(file)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

/// The text of the part `name` of a `.docx`, for tests.
#[cfg(test)]
pub(crate) fn part(docx: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip");
    let mut text = String::new();
    archive.by_name(name).expect("the part").read_to_string(&mut text).expect("utf-8");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Gongwen {
        Gongwen {
            issuer: "某市卫生健康委员会".into(),
            number: "健督〔2026〕17号".into(),
            title: "关于加快推进家庭医生签约服务的督办通知".into(),
            addressee: Some("市第一人民医院：".into()),
            body: vec![
                Block::Paragraph("根据市委、市政府工作部署，现将有关事项通知如下。".into()),
                Block::Heading("一、督办事项".into()),
                Block::Subheading("（一）签收时限。".into()),
                Block::Paragraph("请于2026年6月5日前签收。".into()),
            ],
            attachments_note: vec!["附件：1.督办事项清单".into(), "附件：2.进展情况表".into()],
            signature: "某市卫生健康委员会".into(),
            date: "2026年6月3日".into(),
            copy_to: Some("市政府办公室".into()),
            printer: "某市卫生健康委员会办公室".into(),
            printed: "2026年6月3日".into(),
            annexes: vec![
                Annex {
                    title: "督办事项清单".into(),
                    table: Table {
                        headers: vec!["序号".into(), "事项".into()],
                        rows: vec![vec!["1".into(), "签约".into()]],
                    },
                },
                Annex {
                    title: "进展情况表".into(), table: Table { headers: vec!["序号".into()], rows: vec![] }
                },
            ],
        }
    }

    #[test]
    fn docx_holds_every_part_of_the_layout() {
        let bytes = sample().to_docx().unwrap();
        let doc = part(&bytes, "word/document.xml");
        for text in [
            "某市卫生健康委员会",
            "健督〔2026〕17号",
            "关于加快推进家庭医生签约服务的督办通知",
            "市第一人民医院：",
            "附件：1.督办事项清单",
            "附件1",
            "附件2",
            "抄送：市政府办公室。",
            "2026年6月3日印发",
        ] {
            assert!(doc.contains(text), "missing {text}");
        }
        assert!(doc.contains(r#"w:color="FF0000""#), "the red line or the red issuer");
        assert!(doc.contains(r#"w:pageBreakBefore"#), "annexes start a page");
    }

    #[test]
    fn page_is_a4_with_the_standard_margins() {
        let doc = part(&sample().to_docx().unwrap(), "word/document.xml");
        assert!(doc.contains(r#"w:w="11906""#) && doc.contains(r#"w:h="16838""#));
        assert!(doc.contains(&format!(r#"w:top="{}""#, mm(37.0))));
        assert!(doc.contains(&format!(r#"w:left="{}""#, mm(28.0))));
    }

    #[test]
    fn footers_number_pages_with_a_page_field() {
        let bytes = sample().to_docx().unwrap();
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("PAGE") && footer.contains("— "));
        assert!(part(&bytes, "word/settings.xml").contains("evenAndOddHeaders"));
    }

    #[test]
    fn font_table_names_substitutes() {
        let fonts = part(&sample().to_docx().unwrap(), "word/fontTable.xml");
        assert!(fonts.contains(r#"w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
    }

    #[test]
    fn single_annex_is_headed_without_a_number() {
        let mut g = sample();
        g.annexes.truncate(1);
        let doc = part(&g.to_docx().unwrap(), "word/document.xml");
        assert!(doc.contains(">附件<") && !doc.contains("附件1<"));
    }

    #[test]
    fn long_dates_push_the_signature_left() {
        assert_eq!(signature_indents(9.0, 6.5), (2.0, 2.5));
        assert_eq!(signature_indents(4.0, 6.5), (6.5, 2.0));
    }

    #[test]
    fn narrow_columns_keep_their_width_when_the_table_is_too_wide() {
        let t = Table {
            headers: vec!["序号".into(), "事项".into(), "单位".into()],
            rows: vec![vec!["1".into(), "事".repeat(40), "单".repeat(30)]],
        };
        let w = column_widths(&t, TEXT_WIDTH);
        assert_eq!(w[0], (2.0 * 210.0 + CELL_PADDING) as usize);
        assert_eq!(w[1], w[2]);
        assert!(w.iter().sum::<usize>() <= TEXT_WIDTH as usize);
    }

    #[test]
    fn columns_that_fit_span_the_text_width() {
        let t = Table { headers: vec!["序号".into(), "事项".into()], rows: vec![] };
        let w = column_widths(&t, TEXT_WIDTH);
        assert_eq!(w[0], w[1]);
        assert!(w.iter().sum::<usize>() >= TEXT_WIDTH as usize - 2);
    }

    #[test]
    fn wide_annex_turns_its_pages_and_turns_back() {
        let mut g = sample();
        let headers: Vec<String> = (1..=9).map(|i| format!("第{i}列标题")).collect();
        g.annexes = vec![Annex { title: "台账".into(), table: Table { rows: vec![headers.clone()], headers } }];
        let doc = part(&g.to_docx().unwrap(), "word/document.xml");
        assert_eq!(doc.matches(r#"w:orient="landscape""#).count(), 1);
        assert_eq!(doc.matches("<w:sectPr>").count(), 3, "body, turned annex, 版记");
        assert_eq!(doc.matches(r#"w:type="even""#).count(), 3, "every section numbers even pages");
    }

    #[test]
    fn narrow_annex_stays_upright() {
        let doc = part(&sample().to_docx().unwrap(), "word/document.xml");
        assert!(!doc.contains("landscape"));
        assert_eq!(doc.matches("<w:sectPr>").count(), 1);
    }

    #[test]
    fn issuer_shrinks_to_one_line() {
        assert_eq!(issuer_size(9.0), (72, 100));
        assert_eq!(issuer_size(16.0), (54, 100));
        assert_eq!(issuer_size(18.0), (52, 94));
    }
}
