//! PDF output: typst markup set into pages by typst, used as a library.
//!
//! [`render`] compiles a piece of typst markup to PDF bytes in a world that
//! holds that one source file and nothing else: no other file can be read,
//! no package imported, and `datetime.today()` has no answer (a document
//! carries its own dates). The fonts are the machine's, found once per
//! process by typst-kit in the system's font directories and in the
//! directory the environment variable `BIGHEALTH_FONTS` names; typst's own
//! fonts are not built in, and none of them has Chinese, so a machine
//! without a Chinese font gets [`NO_CJK_FONT`] instead of a PDF of empty
//! boxes. Fonts installed later are seen after a restart.
//!
//! [`Gongwen::to_pdf`](crate::gongwen::Gongwen::to_pdf) lays an official
//! document out here the way [`Gongwen::to_docx`](crate::gongwen::Gongwen::to_docx)
//! does in Word: the layout is a typst template of this module, and the
//! document reaches it as data, every piece of text a typst string literal
//! written by [`literal`], so that `#`, `$`, `*`, `@` or `[` in a title
//! print as themselves and never run as markup. The standard's faces
//! (仿宋, 小标宋, 黑体, 楷体) are asked for by name, each followed by the
//! fonts of that kind that are installed and then by any other Chinese font
//! found, so the document comes out in the right kind of face where it can
//! and in some Chinese face always.

use crate::gongwen::{Block, Gongwen};
use std::path::Path;
use std::sync::{LazyLock, OnceLock};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;

/// The error when no font of the machine has Chinese characters.
pub const NO_CJK_FONT: &str = "服务器上没有中文字体，无法生成 PDF：请安装 fonts-noto-cjk 或 fonts-wqy-zenhei（Debian：apt-get install fonts-wqy-zenhei），或用 BIGHEALTH_FONTS 指定字体目录";

/// The environment variable naming an extra directory of fonts.
pub const FONTS_VARIABLE: &str = "BIGHEALTH_FONTS";

/// `markup`, a typst document, as PDF bytes; the message says in Chinese
/// what failed, with typst's own message where typst failed.
pub fn render(markup: &str) -> Result<Vec<u8>, String> {
    let fonts = fonts();
    if fonts.cjk.is_empty() {
        return Err(NO_CJK_FONT.to_string());
    }
    let world = OneFile { source: Source::detached(markup), fonts };
    let document = typst::compile(&world).output.map_err(|errors| world.describe("排版 PDF 失败", &errors));
    // Keep typst's memo of earlier documents from growing without end.
    typst::comemo::evict(10);
    typst_pdf::pdf(&document?, &typst_pdf::PdfOptions::default())
        .map_err(|errors| world.describe("写出 PDF 失败", &errors))
}

/// The fonts of the machine.
struct Fonts {
    /// Every font found, loaded when first used.
    store: FontStore,
    /// The families with Chinese characters, those of mainland China first.
    cjk: Vec<String>,
}

/// The fonts, found on first use.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut store = FontStore::new();
        if let Some(dir) = std::env::var_os(FONTS_VARIABLE) {
            store.extend(typst_kit::fonts::scan(Path::new(&dir)));
        }
        store.extend(typst_kit::fonts::system());
        let cjk = cjk_families(store.book());
        Fonts { store, cjk }
    })
}

/// The families of `book` with Chinese characters: those made for
/// simplified Chinese (`SC`, `CN`, `GB` in the name, or 文泉驿) first, then
/// the others, each group in the book's order.
fn cjk_families(book: &FontBook) -> Vec<String> {
    let chinese = |ids: &mut dyn Iterator<Item = usize>| {
        ids.filter_map(|i| book.info(i))
            .any(|info| ['中', '国', '文'].iter().all(|c| info.coverage.contains(*c as u32)))
    };
    let mut out: Vec<String> =
        book.families().filter_map(|(name, mut ids)| chinese(&mut ids).then(|| name.to_string())).collect();
    let mainland = |name: &str| [" SC", " CN", "GB", "WenQuanYi"].iter().any(|m| name.contains(m));
    out.sort_by_key(|name| !mainland(name));
    out
}

/// The Chinese font charts are drawn in: the first the machine has.
pub(crate) fn cjk_family() -> Option<String> {
    fonts().cjk.first().cloned()
}

/// The standard library, built once.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(<Library as LibraryExt>::default()));

/// A world of one source file and the machine's fonts.
struct OneFile {
    /// The markup.
    source: Source,
    /// The fonts.
    fonts: &'static Fonts,
}

impl OneFile {
    /// `errors` as one message after `what`, each with its line.
    fn describe(&self, what: &str, errors: &[SourceDiagnostic]) -> String {
        let described: Vec<String> = errors
            .iter()
            .map(|e| {
                let line = self.range(e.span).and_then(|r| self.source.lines().byte_to_line(r.start));
                match line {
                    Some(line) => format!("{}（第 {} 行）", e.message, line + 1),
                    None => e.message.to_string(),
                }
            })
            .collect();
        format!("{what}：{}", described.join("；"))
    }
}

impl World for OneFile {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() { Ok(Bytes::from_string(self.source.clone())) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// `text` as a typst string literal: `"…"` with `\`, `"` and control
/// characters escaped. Evaluated, it is `text` again, whatever it holds.
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            '\t' => out.push_str(r"\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A typst array of `items`, each already a typst expression.
fn array(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("{i}, ")).collect();
    format!("({})", items.concat())
}

/// A typst array of string literals.
fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    array(items.into_iter().map(literal))
}

/// `text` as a typst string literal, or `none`.
fn optional(text: Option<&str>) -> String {
    text.map_or_else(|| "none".to_string(), literal)
}

/// 仿宋 and fonts of its kind (the text).
const FANGSONG: &[&str] = &[
    "FangSong_GB2312",
    "FangSong",
    "STFangsong",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "AR PL UMing CN",
    "AR PL SungtiL GB",
];
/// 小标宋, 宋体 and fonts of their kind (the issuer, titles, page numbers).
const SONG: &[&str] = &[
    "FZXiaoBiaoSong-B05S",
    "SimSun",
    "STSong",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "AR PL UMing CN",
    "AR PL SungtiL GB",
];
/// 黑体 and fonts of its kind (first-level headings, 附件 labels, table heads).
const HEI: &[&str] = &[
    "SimHei",
    "STHeiti",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
];
/// 楷体 and fonts of its kind (second-level headings).
const KAI: &[&str] = &["KaiTi_GB2312", "KaiTi", "STKaiti", "AR PL UKai CN", "AR PL KaitiM GB"];

/// A typst array of font families: those of `preferred` installed, then
/// `then` installed, then every other Chinese family.
fn face(fonts: &Fonts, preferred: &[&str], then: &[&str]) -> String {
    let book = fonts.store.book();
    let mut out: Vec<&str> = vec![];
    let installed = preferred.iter().chain(then).copied().filter(|f| book.contains_family(&f.to_lowercase()));
    for family in installed.chain(fonts.cjk.iter().map(String::as_str)) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(family)) {
            out.push(family);
        }
    }
    strings(out)
}

/// The typst data of `doc`: `#let faces = …` and `#let doc = …`, to go
/// before [`GONGWEN`]. `turned[i]`: whether annex `i` is set on turned pages.
fn gongwen_data(doc: &Gongwen, turned: &[bool], fonts: &Fonts) -> String {
    let faces = format!(
        "(fangsong: {}, song: {}, hei: {}, kai: {})",
        face(fonts, FANGSONG, SONG),
        face(fonts, SONG, FANGSONG),
        face(fonts, HEI, &[]),
        face(fonts, KAI, FANGSONG)
    );
    let body = array(doc.body.iter().map(|b| {
        let (kind, text) = match b {
            Block::Heading(t) => ("heading", t),
            Block::Subheading(t) => ("subheading", t),
            Block::Paragraph(t) => ("paragraph", t),
            Block::Chart(c) => return format!("({}, {})", literal("chart"), c.typst()),
        };
        format!("({}, {})", literal(kind), literal(text))
    }));
    // The first line as written (`附件：1.××`), the next ones without `附件：`
    // and under the first name.
    let note = array(doc.attachments_note.iter().enumerate().map(|(i, line)| match (i, line.strip_prefix("附件：")) {
        (0, _) | (_, None) => format!("(2, {})", literal(line)),
        (_, Some(rest)) => format!("(5, {})", literal(rest)),
    }));
    let numbered = doc.annexes.len() > 1;
    let annexes = array(doc.annexes.iter().enumerate().map(|(i, a)| {
        let label = if numbered { format!("附件{}", i + 1) } else { "附件".to_string() };
        let columns = a.table.headers.len().max(a.table.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
        let cells = |row: &[String]| strings((0..columns).map(|c| row.get(c).map_or("", String::as_str)));
        format!(
            "(label: {}, title: {}, turned: {}, headers: {}, rows: {})",
            literal(&label),
            literal(&a.title),
            turned.get(i).copied().unwrap_or(false),
            cells(&a.table.headers),
            array(a.table.rows.iter().map(|r| cells(r))),
        )
    }));
    // A short last paragraph goes with the 署名 to its page; a long one may
    // break, rather than run off a page it cannot fit.
    let keep = doc.body.last().is_some_and(|b| match b {
        Block::Heading(t) | Block::Subheading(t) | Block::Paragraph(t) => t.chars().count() <= 28 * 8,
        Block::Chart(_) => false,
    });
    format!(
        "#let faces = {faces}\n#let doc = (issuer: {}, number: {}, title: {}, addressee: {}, body: {body}, keep: {keep}, note: {note}, signature: {}, date: {}, copy_to: {}, printer: {}, printed: {}, annexes: {annexes})\n",
        literal(&doc.issuer),
        literal(&doc.number),
        literal(&doc.title),
        optional(doc.addressee.as_deref()),
        literal(&doc.signature),
        literal(&doc.date),
        optional(doc.copy_to.as_deref()),
        literal(&doc.printer),
        literal(&doc.printed),
    )
}

/// The typst markup of `doc`: its data, then [`GONGWEN`].
fn gongwen_markup(doc: &Gongwen, turned: &[bool]) -> Result<String, String> {
    let fonts = fonts();
    if fonts.cjk.is_empty() {
        return Err(NO_CJK_FONT.to_string());
    }
    Ok(gongwen_data(doc, turned, fonts) + GONGWEN)
}

/// `doc` as PDF bytes, annex `i` on turned pages when `turned[i]`.
pub(crate) fn gongwen(doc: &Gongwen, turned: &[bool]) -> Result<Vec<u8>, String> {
    render(&gongwen_markup(doc, turned)?)
}

/// The layout of a 公文 (GB/T 9704-2012) in typst, over `faces` and `doc`
/// defined before it: A4 with the standard's margins, 三号仿宋 on a pitch
/// of 22 lines to the 版心, the 版头 (the red 发文机关标志 as large as fits
/// one line, the 发文字号, the red line), the title, 主送机关, text, 附件说明,
/// 署名 and 成文日期; each attachment on a new page (turned when asked),
/// its table's head repeated on every page; the 版记 at the foot of the last
/// page; page numbers "— N —", odd pages right and even pages left.
const GONGWEN: &str = r##"
#let pitch = 28.95pt
#let red = rgb("#ff0000")
#let blank(lines) = v(lines * pitch)
#set document(title: doc.title)
#set page(
  paper: "a4",
  margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer-descent: 7mm,
  footer: context {
    let n = counter(page).get().first()
    set text(font: faces.song, size: 14pt, tracking: 0pt)
    let folio = [— #n —]
    if calc.odd(n) { align(right, pad(right: 1em, folio)) } else { align(left, pad(left: 1em, folio)) }
  },
)
#set text(
  font: faces.fangsong, size: 16pt, lang: "zh", region: "cn",
  top-edge: 0.88em, bottom-edge: -0.12em, tracking: -0.25pt, cjk-latin-spacing: none,
)
#set par(leading: pitch - 1em, spacing: pitch - 1em, justify: true)

#let issuer(name) = context {
  let across = 156mm
  let set-in(size) = text(font: faces.song, size: size, weight: "bold", fill: red, tracking: 0pt, name)
  let wide = calc.max(measure(set-in(36pt)).width, 1pt)
  let size = calc.max(26pt, calc.min(36pt, 36pt * (across / wide)))
  let width = measure(set-in(size)).width
  let line = box(width: width, set-in(size))
  align(center, if width > across { scale(x: across / width * 100%, reflow: true, line) } else { line })
}

#let chart-block(c) = block(breakable: false, above: 1em, below: 1em, width: 100%, {
  set par(first-line-indent: 0pt, justify: false)
  align(center, text(font: faces.hei, size: 12pt, c.title))
  v(4pt)
  grid(columns: (32%, 1fr), column-gutter: 6pt, row-gutter: 5pt,
    ..c.bars.map(b => (
      align(right + horizon, text(font: faces.fangsong, size: 11pt, b.at(0))),
      align(left + horizon, { box(fill: rgb(b.at(3)), width: b.at(1) * 75%, height: 10pt); h(4pt); text(font: faces.fangsong, size: 10pt, b.at(2)) }),
    )).flatten())
})

#let text-par(kind, body) = if kind == "chart" { chart-block(body) } else {
  let font = if kind == "heading" { faces.hei } else if kind == "subheading" { faces.kai } else { faces.fangsong }
  par(first-line-indent: (amount: 2em, all: true), text(font: font, body))
}

#let closing = {
  set par(justify: false)
  if doc.note.len() > 0 {
    blank(1)
    for (indent, line) in doc.note {
      pad(left: indent * 1em, par(hanging-indent: if indent == 2 { 3em } else { 1em }, line))
    }
  }
  blank(1)
  context {
    let sw = measure(doc.signature).width
    let dw = measure(doc.date).width
    let ch = 1em.to-absolute()
    let sig = calc.max(4 * ch + dw - sw, 2 * ch)
    let date = sig + sw - 2 * ch - dw
    align(right, pad(right: sig, doc.signature))
    align(right, pad(right: date, doc.date))
  }
}

#let annex-table(a, across) = context {
  let inset = 5.4pt
  set text(size: 10.5pt, tracking: 0pt)
  set par(leading: 0.4em, spacing: 0.4em, justify: false)
  let head(s) = text(font: faces.hei, weight: "bold", s)
  let columns = a.headers.len()
  let needs = range(columns).map(c => calc.max(
    measure(head(a.headers.at(c))).width,
    ..a.rows.map(r => measure(r.at(c)).width),
  ) + 2 * inset)
  let total = needs.sum()
  let widths = if total <= across { needs.map(w => (w / total) * 1fr) } else { (auto,) * columns }
  table(
    columns: widths,
    inset: (x: inset, y: 5pt),
    stroke: 0.5pt + black,
    align: (x, y) => if y == 0 { center + horizon } else { left + horizon },
    table.header(..a.headers.map(head)),
    ..a.rows.flatten(),
  )
}

#let annex(a) = {
  let body = {
    text(font: faces.hei, a.label)
    blank(1)
    align(center, text(font: faces.song, size: 22pt, weight: "bold", a.title))
    blank(1)
    annex-table(a, if a.turned { 225mm } else { 156mm })
  }
  if a.turned {
    page(flipped: true, margin: (top: 28mm, bottom: 26mm, left: 37mm, right: 35mm), body)
  } else {
    pagebreak(weak: true)
    body
  }
}

#let colophon = {
  set text(size: 14pt, tracking: 0pt)
  set par(justify: false, leading: 0.5em)
  let rule(weight) = line(length: 100%, stroke: weight + black)
  let row(body) = block(width: 100%, inset: (x: 1em, y: 0.45em), body)
  let rows = (rule(0.35mm),)
  if doc.copy_to != none {
    rows.push(row(par(hanging-indent: 3em, "抄送：" + doc.copy_to + "。")))
    rows.push(rule(0.25mm))
  }
  rows.push(row(grid(columns: (1fr, auto), doc.printer, doc.printed + "印发")))
  rows.push(rule(0.35mm))
  place(bottom, float: true, clearance: pitch, stack(..rows))
}

#v(35mm)
#issuer(doc.issuer)
#blank(2)
#align(center, doc.number)
#v(4mm)
#line(length: 100%, stroke: 1.5pt + red)
#blank(2)
#align(center, par(justify: false, text(font: faces.song, size: 22pt, weight: "bold", doc.title)))
#if doc.addressee != none {
  blank(1)
  par(doc.addressee)
}
#for (kind, body) in doc.body.slice(0, calc.max(doc.body.len() - 1, 0)) { text-par(kind, body) }
#if doc.body.len() > 0 and doc.keep {
  block(breakable: false, { text-par(..doc.body.last()); closing })
} else {
  if doc.body.len() > 0 { text-par(..doc.body.last()) }
  block(breakable: false, closing)
}
#for a in doc.annexes { annex(a) }
#colophon
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gongwen::{Annex, Table};

    /// The text of a PDF by `pdftotext` (Debian poppler-utils), when it is
    /// installed; pages end with a form feed.
    fn pdftotext(pdf: &[u8]) -> Option<String> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new("pdftotext")
            .args(["-layout", "-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        let mut stdin = child.stdin.take().expect("stdin");
        let input = pdf.to_vec();
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().expect("pdftotext runs");
        writer.join().expect("writer").expect("pdftotext reads the PDF");
        assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
        Some(String::from_utf8(out.stdout).expect("utf-8"))
    }

    /// The PDF of `doc`, or a failed test with the message.
    fn pdf(doc: &Gongwen) -> Vec<u8> {
        doc.to_pdf().unwrap_or_else(|e| panic!("{e}"))
    }

    /// A 督办通知 with a ledger of 9 columns and 30 rows.
    fn sample() -> Gongwen {
        let headers: Vec<String> =
            ["序号", "督办事项", "牵头单位", "责任单位", "目标值", "完成值", "序时进度", "办理时限", "备注"]
                .map(String::from)
                .to_vec();
        let rows = (1..=30)
            .map(|i| {
                vec![
                    i.to_string(),
                    format!("第{i}项家庭医生签约服务重点任务推进情况"),
                    "市卫生健康委员会".into(),
                    format!("第{i}人民医院"),
                    "95%".into(),
                    format!("{}%", 60 + i),
                    "滞后".into(),
                    "2026年6月30日".into(),
                    String::new(),
                ]
            })
            .collect();
        Gongwen {
            issuer: "宣城市卫生健康委员会".into(),
            number: "健督〔2026〕17号".into(),
            title: "关于加快推进家庭医生签约服务的督办通知".into(),
            addressee: Some("各县市区卫生健康委，委直属各单位：".into()),
            body: vec![
                Block::Paragraph("根据市委、市政府工作部署，现将家庭医生签约服务推进中的有关事项通知如下。".repeat(3)),
                Block::Heading("一、督办事项".into()),
                Block::Subheading("（一）签约进度滞后。".into()),
                Block::Paragraph("截至2026年5月底，部分单位签约率低于序时进度，请对照附件逐项整改。".repeat(4)),
                Block::Heading("二、办理要求".into()),
                Block::Paragraph("请于2026年6月30日前将办理情况书面报送市卫生健康委。".into()),
            ],
            attachments_note: vec!["附件：1.督办事项清单".into(), "附件：2.进展情况表".into()],
            signature: "宣城市卫生健康委员会".into(),
            date: "2026年6月3日".into(),
            copy_to: Some("市政府办公室，市委督查室".into()),
            printer: "宣城市卫生健康委员会办公室".into(),
            printed: "2026年6月3日".into(),
            annexes: vec![
                Annex { title: "督办事项清单".into(), table: Table { headers, rows } },
                Annex {
                    title: "进展情况表".into(),
                    table: Table {
                        headers: vec!["序号".into(), "事项".into()],
                        rows: vec![vec!["1".into(), "签约".into()]],
                    },
                },
            ],
        }
    }

    #[test]
    fn gongwen_pdf_holds_the_number_the_issuer_and_the_annexes() {
        let bytes = pdf(&sample());
        assert!(bytes.starts_with(b"%PDF"));
        let Some(text) = pdftotext(&bytes) else {
            eprintln!("pdftotext is not installed: the text of the PDF is not checked");
            return;
        };
        let flat: String = text.split_whitespace().collect();
        for expected in
            ["健督〔2026〕17号", "宣城市卫生健康委员会", "附件1", "附件2", "督办事项清单", "2026年6月3日印发"]
        {
            assert!(flat.contains(expected), "missing {expected} in:\n{text}");
        }
        for page in 1..=6 {
            assert!(flat.contains(&format!("—{page}—")), "no page number — {page} — in:\n{text}");
        }
    }

    #[test]
    fn gongwen_pdf_embeds_its_fonts() {
        let bytes = pdf(&sample());
        assert!(bytes.windows(b"/FontFile".len()).any(|w| w == b"/FontFile"), "no embedded font");
    }

    #[test]
    fn wide_annex_repeats_its_header_on_turned_pages() {
        let bytes = pdf(&sample());
        let Some(text) = pdftotext(&bytes) else { return };
        assert!(text.matches("督办事项").count() >= 3, "the head of the table on each of its pages:\n{text}");
        let pages: Vec<&str> = text.split('\u{c}').collect();
        let turned = pages.iter().filter(|p| p.contains("序时进度")).count();
        assert!(turned >= 2, "30 rows take more than one turned page, the head on each: {turned}");
    }

    #[test]
    fn markup_in_the_text_prints_literally() {
        let mut doc = sample();
        let trap = r#"#panic("x") *bold* $x$ @ref <lab> [a] _b_ \ #import "/etc/passwd""#;
        doc.title = trap.to_string();
        doc.body.push(Block::Paragraph(format!("{trap}\n#set page(width: 1pt)")));
        doc.annexes[0].table.rows[0][1] = trap.to_string();
        let bytes = pdf(&doc);
        assert!(bytes.starts_with(b"%PDF"));
        if let Some(text) = pdftotext(&bytes) {
            let flat: String = text.split_whitespace().collect();
            assert!(flat.contains(r#"#panic("x")*bold*$x$@ref<lab>[a]_b_\#import"#), "not literal in:\n{text}");
        }
    }

    #[test]
    fn literal_escapes_quotes_backslashes_and_newlines() {
        assert_eq!(literal("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u{1}""#);
        assert_eq!(literal("#import \"x\": *"), r##""#import \"x\": *""##);
    }

    #[test]
    fn typst_errors_are_reported_in_chinese_with_the_line() {
        let err = render("= 标题\n#panic(\"坏了\")").unwrap_err();
        assert!(err.starts_with("排版 PDF 失败："), "{err}");
        assert!(err.contains("坏了") && err.contains("第 2 行"), "{err}");
    }

    #[test]
    fn no_file_and_no_package_is_reachable() {
        for markup in ["#read(\"/etc/hostname\")", "#import \"@preview/cetz:0.3.0\"", "#datetime.today()"] {
            assert!(render(markup).is_err(), "{markup} compiled");
        }
    }

    #[test]
    fn a_book_without_chinese_fonts_has_no_cjk_family() {
        assert!(cjk_families(&FontBook::new()).is_empty());
        assert!(NO_CJK_FONT.starts_with("服务器上没有中文字体"));
    }
}
