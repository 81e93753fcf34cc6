//! The `.docx`, `.xlsx` and `.html` readers, end to end through
//! `bighealth_reader::load`, with fixtures built in the tests: numbering,
//! merged cells, tracked changes, chrome removal, and hostile packages (zip
//! bombs, lying headers, entities, truncation, garbage).

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use bighealth_reader::source::{Block, Cell, Source};
use bighealth_reader::{Format, ReadError, load};
use zip::write::SimpleFileOptions;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

// ---------------------------------------------------------------------------
// Fixtures

/// A zip package of the given parts, deflated.
pub(crate) fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        w.start_file(*name, opts).expect("start part");
        w.write_all(body.as_bytes()).expect("write part");
    }
    w.finish().expect("finish zip").into_inner()
}

/// A `.docx` whose body is `body`, with `numbering.xml` content if given.
pub(crate) fn docx(body: &str, numbering: Option<&str>) -> Vec<u8> {
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let num = numbering
        .map(|n| format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">{n}</w:numbering>"#));
    let mut parts = vec![("[Content_Types].xml", CONTENT_TYPES.to_string()), ("word/document.xml", doc)];
    if let Some(n) = num {
        parts.push(("word/numbering.xml", n));
    }
    let refs: Vec<(&str, &str)> = parts.iter().map(|(n, b)| (*n, b.as_str())).collect();
    package(&refs)
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;

/// A paragraph of plain text.
pub(crate) fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

/// A numbered paragraph.
fn np(num: u32, lvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

/// A table cell with properties `pr` (inside `w:tcPr`) and text.
fn tc(pr: &str, text: &str) -> String {
    format!("<w:tc><w:tcPr>{pr}</w:tcPr>{}</w:tc>", p(text))
}

/// The paragraphs' texts.
fn paras(src: &Source) -> Vec<String> {
    src.paragraphs().map(str::to_string).collect()
}

/// The tables, as (text, merged_above) grids.
fn tables(src: &Source) -> Vec<Vec<Vec<(String, bool)>>> {
    src.tables().map(|t| t.rows.iter().map(|r| r.cells.iter().map(cell).collect()).collect()).collect()
}

fn cell(c: &Cell) -> (String, bool) {
    (c.text.clone(), c.merged_above)
}

fn c(text: &str) -> (String, bool) {
    (text.to_string(), false)
}

fn merged() -> (String, bool) {
    (String::new(), true)
}

// ---------------------------------------------------------------------------
// .docx

const CHINESE_LISTS: &str = r#"
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#;

#[test]
fn docx_numbered_paragraphs_get_chinese_labels() {
    let mut body = String::new();
    body.push_str(&p("关于印发大健康产业发展规划的通知"));
    body.push_str(&np(1, 0, "总体要求"));
    body.push_str(&np(1, 1, "指导思想"));
    body.push_str(&np(1, 1, "基本原则"));
    body.push_str(&np(1, 2, "坚持统筹"));
    body.push_str(&np(1, 3, "细项"));
    body.push_str(&np(2, 0, "要点"));
    body.push_str(&np(1, 0, "重点任务"));
    body.push_str(&np(1, 1, "发展医疗服务"));
    for _ in 0..8 {
        body.push_str(&np(1, 0, "任务"));
    }
    let src = load("plan.docx", &docx(&body, Some(CHINESE_LISTS))).expect("docx reads");
    assert_eq!(src.format, Format::Docx);
    let got = paras(&src);
    assert_eq!(
        got[..9],
        [
            "关于印发大健康产业发展规划的通知",
            "一、总体要求",
            "（一）指导思想",
            "（二）基本原则",
            "1. 坚持统筹",
            "①细项",
            "要点",
            "二、重点任务",
            "（一）发展医疗服务",
        ]
    );
    assert_eq!(got.last().map(String::as_str), Some("十、任务"));
}

#[test]
fn docx_start_override_restarts_and_plain_instances_continue() {
    let numbering = r#"
      <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;
    let body = [np(1, 0, "甲"), np(2, 0, "乙"), np(3, 0, "丙"), np(3, 0, "丁")].concat();
    let src = load("plan.docx", &docx(&body, Some(numbering))).expect("docx reads");
    assert_eq!(paras(&src), ["一、甲", "二、乙", "一、丙", "二、丁"]);
}

#[test]
fn docx_table_spans_and_vertical_merges_stay_aligned() {
    let body = format!(
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
         <w:tr>{}{}{}</w:tr>\
         <w:tr>{}{}{}{}</w:tr>\
         <w:tr>{}{}{}{}</w:tr></w:tbl>{}",
        tc("", "序号"),
        tc(r#"<w:gridSpan w:val="2"/>"#, "重点任务"),
        tc("", "牵头单位"),
        tc("", "1"),
        tc("", "建设医院"),
        tc("", "2025年"),
        tc(r#"<w:vMerge w:val="restart"/>"#, "区卫生健康委"),
        tc("", "2"),
        tc("", "培养人才"),
        tc("", "2026年"),
        tc("<w:vMerge/>", ""),
        p("二、保障措施"),
    );
    let src = load("t.docx", &docx(&body, None)).expect("docx reads");
    let t = tables(&src);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0][0], [c("序号"), c("重点任务"), c(""), c("牵头单位")]);
    assert_eq!(t[0][1], [c("1"), c("建设医院"), c("2025年"), c("区卫生健康委")]);
    assert_eq!(t[0][2], [c("2"), c("培养人才"), c("2026年"), merged()]);
    assert_eq!(paras(&src), ["二、保障措施"]);
}

#[test]
fn docx_cell_paragraphs_join_with_line_breaks() {
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
        p("区发展改革委"),
        p("区财政局"),
        p("x")
    );
    let src = load("t.docx", &docx(&body, None)).expect("docx reads");
    let Some(Block::Table(t)) = src.blocks.first() else { panic!("no table") };
    let first = &t.rows[0].cells[0];
    assert_eq!(first.text, "区发展改革委区财政局");
    assert_eq!(src.text.slice(first.span), "区发展改革委\n区财政局");
}

#[test]
fn docx_tracked_deletions_are_skipped_and_insertions_kept() {
    let body = r#"<w:p><w:r><w:t>到2025年，</w:t></w:r>
        <w:del w:id="1" w:author="a"><w:r><w:delText>床位达到5000张</w:delText></w:r></w:del>
        <w:ins w:id="2" w:author="a"><w:r><w:t>床位达到6000张</w:t></w:r></w:ins>
        <w:moveFrom w:id="3" w:author="a"><w:r><w:t>旧位置</w:t></w:r></w:moveFrom>
        <w:r><w:t>。</w:t></w:r></w:p>"#;
    let src = load("d.docx", &docx(body, None)).expect("docx reads");
    assert_eq!(paras(&src), ["到2025年，床位达到6000张。"]);
}

#[test]
fn docx_with_a_doctype_is_refused() {
    let doc = r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"#;
    let bytes = package(&[("word/document.xml", doc)]);
    match load("x.docx", &bytes) {
        Err(ReadError::XmlEntities { part }) => assert_eq!(part, "word/document.xml"),
        other => panic!("expected XmlEntities, got {other:?}"),
    }
    let in_numbering = package(&[
        ("word/document.xml", &format!(r#"<w:document xmlns:w="{W}"><w:body/></w:document>"#)),
        ("word/numbering.xml", r#"<!DOCTYPE x [<!ENTITY a "b">]><w:numbering/>"#),
    ]);
    assert!(matches!(load("x.docx", &in_numbering), Err(ReadError::XmlEntities { .. })));
}

#[test]
fn truncated_docx_is_corrupt() {
    let mut body = String::new();
    for i in 0..200 {
        body.push_str(&p(&format!("第{i}段，推进健康服务业发展。")));
    }
    let bytes = docx(&body, Some(CHINESE_LISTS));
    let half = &bytes[..bytes.len() / 2];
    match load("plan.docx", half) {
        Err(ReadError::Corrupt { kind, .. }) => assert_eq!(kind, ".docx"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn malformed_document_xml_is_corrupt_and_names_the_byte() {
    let doc = format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>x</w:r></w:p></w:body></w:document>"#);
    let err = load("m.docx", &package(&[("word/document.xml", &doc)])).expect_err("mismatched tags");
    let msg = err.to_string();
    assert!(matches!(err, ReadError::Corrupt { kind: ".docx", .. }), "{msg}");
    assert!(msg.contains("word/document.xml") && msg.contains("byte"), "{msg}");
    assert!(!msg.contains('\n'), "one line: {msg}");
}

#[test]
fn zip_without_office_parts_is_unsupported() {
    let err = load("a.zip", &package(&[("readme.txt", "hello")])).expect_err("not office");
    assert!(matches!(&err, ReadError::Unsupported(m) if m.contains("neither a .docx nor a .xlsx")), "{err}");
}

// ---------------------------------------------------------------------------
// Zip bombs and lying headers

/// Writes bits least-significant first, as deflate wants.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }
    /// A Huffman code (written most-significant bit first).
    fn code(&mut self, code: u32, len: u32) {
        self.put(code.reverse_bits() >> (32 - len), len);
    }
    fn literal(&mut self, b: u8) {
        assert!(b < 144, "ASCII only");
        self.code(0x30 + u32::from(b), 8);
    }
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A raw deflate stream (one fixed-Huffman block) of `prefix`, then
/// `1 + 258 * runs` spaces, then `suffix`; and the inflated length.
fn deflate_spaces(prefix: &str, runs: usize, suffix: &str) -> (Vec<u8>, u64) {
    let mut b = Bits::default();
    b.put(1, 1); // final block
    b.put(1, 2); // fixed Huffman codes
    prefix.bytes().for_each(|c| b.literal(c));
    b.literal(b' ');
    for _ in 0..runs {
        b.code(0b1100_0101, 8); // length code 285: 258 bytes
        b.code(0, 5); // distance code 0: distance 1
    }
    suffix.bytes().for_each(|c| b.literal(c));
    b.code(0, 7); // end of block
    let len = prefix.len() as u64 + 1 + 258 * runs as u64 + suffix.len() as u64;
    (b.finish(), len)
}

/// The CRC-32 of `len` bytes: `prefix`, spaces, `suffix`.
fn crc_of_spaces(prefix: &str, spaces: u64, suffix: &str) -> u32 {
    let table: Vec<u32> =
        (0..256u32).map(|i| (0..8).fold(i, |c, _| if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 })).collect();
    let mut crc = !0u32;
    let mut feed = |b: u8| crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    prefix.bytes().for_each(&mut feed);
    (0..spaces).for_each(|_| feed(b' '));
    suffix.bytes().for_each(&mut feed);
    !crc
}

/// A one-entry zip with a deflated entry whose headers declare `declared`
/// inflated bytes and the given CRC.
fn zip_one(name: &str, data: &[u8], declared: u32, crc: u32) -> Vec<u8> {
    let mut z = Vec::new();
    let header = |z: &mut Vec<u8>, central: bool| {
        if central {
            z.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            z.extend_from_slice(&20u16.to_le_bytes()); // made by
        } else {
            z.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        }
        z.extend_from_slice(&20u16.to_le_bytes()); // needed
        z.extend_from_slice(&0u16.to_le_bytes()); // flags
        z.extend_from_slice(&8u16.to_le_bytes()); // deflate
        z.extend_from_slice(&0u16.to_le_bytes()); // time
        z.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
        z.extend_from_slice(&crc.to_le_bytes());
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&declared.to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes()); // extra
        if central {
            z.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
            z.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            z.extend_from_slice(&0u32.to_le_bytes()); // local header offset
        }
        z.extend_from_slice(name.as_bytes());
    };
    header(&mut z, false);
    z.extend_from_slice(data);
    let cd_start = z.len() as u32;
    header(&mut z, true);
    let cd_len = z.len() as u32 - cd_start;
    z.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    z.extend_from_slice(&[0; 4]); // disks
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&1u16.to_le_bytes());
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd_start.to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z
}

const BOMB_HEAD: &str =
    r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#;
const BOMB_TAIL: &str = "</w:t></w:r></w:p></w:body></w:document>";

#[test]
fn hand_made_deflate_round_trips() {
    let (data, len) = deflate_spaces(BOMB_HEAD, 100, BOMB_TAIL);
    let crc = crc_of_spaces(BOMB_HEAD, 1 + 258 * 100, BOMB_TAIL);
    let src = load("ok.docx", &zip_one("word/document.xml", &data, len as u32, crc)).expect("valid package");
    assert_eq!(src.blocks.len(), 0, "only spaces: no paragraph");
    assert_eq!(src.text.as_str().chars().filter(|&c| c == ' ').count() as u64, 1 + 258 * 100);
}

#[test]
fn docx_over_the_part_cap_is_too_large_even_when_its_header_is_honest() {
    // 64 MiB + a bit of spaces in 430 KB: the headers say so, and the
    // reader stops one byte past the cap all the same.
    let runs = (64 * 1024 * 1024) / 258 + 10;
    let (data, len) = deflate_spaces(BOMB_HEAD, runs, BOMB_TAIL);
    assert!(data.len() < 1024 * 1024);
    let bytes = zip_one("word/document.xml", &data, len as u32, 0);
    let t = Instant::now();
    let err = load("bomb.docx", &bytes).expect_err("bomb");
    assert!(
        matches!(&err, ReadError::TooLarge { what, limit } if what.contains("word/document.xml") && limit == "64 MiB"),
        "{err}"
    );
    assert!(t.elapsed() < Duration::from_secs(60), "took {:?}", t.elapsed());
}

#[test]
fn docx_whose_header_understates_its_size_is_refused_quickly() {
    // The headers claim 1 000 bytes; the entry inflates to 64 MiB+. A
    // reader that trusted the header would take it in; we count what
    // actually comes out.
    let runs = (64 * 1024 * 1024) / 258 + 10;
    let (data, _) = deflate_spaces(BOMB_HEAD, runs, BOMB_TAIL);
    let bytes = zip_one("word/document.xml", &data, 1_000, 0);
    let t = Instant::now();
    let err = load("liar.docx", &bytes).expect_err("lying header");
    assert!(
        matches!(&err, ReadError::TooLarge { .. } | ReadError::Corrupt { kind: ".docx", .. }),
        "expected TooLarge or Corrupt, got {err:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(10), "took {:?}", t.elapsed());
}

#[test]
fn xlsx_bomb_in_a_part_calamine_would_read_is_caught_by_the_prescan() {
    let runs = (64 * 1024 * 1024) / 258 + 10;
    let (data, len) = deflate_spaces("<sst>", runs, "</sst>");
    let bytes = zip_one("xl/workbook.xml", &data, len as u32, 0);
    let err = load("bomb.xlsx", &bytes).expect_err("bomb");
    assert!(matches!(err, ReadError::TooLarge { .. }), "{err:?}");
}

#[test]
fn garbage_after_a_zip_signature_is_an_error_not_a_panic() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..200 {
        let len = 4 + (next() % 4000) as usize;
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend((4..len).map(|_| next() as u8));
        if round % 2 == 1 {
            // An end-of-directory record at the end, pointing anywhere.
            bytes.extend_from_slice(b"PK\x05\x06");
            bytes.extend((0..18).map(|_| next() as u8));
        }
        let name = if round % 3 == 0 { "x.xlsx" } else { "x.docx" };
        assert!(load(name, &bytes).is_err(), "round {round}");
    }
}

#[test]
fn damaged_packages_never_panic() {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let originals = [docx(&[np(1, 0, "总体要求"), p("正文")].concat(), Some(CHINESE_LISTS)), xlsx_division()];
    for original in &originals {
        for _ in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() as usize) % bytes.len();
                bytes[at] = next() as u8;
            }
            let _ = load("damaged", &bytes);
            let cut = (next() as usize) % bytes.len();
            let _ = load("damaged", &bytes[..cut]);
        }
    }
}

// ---------------------------------------------------------------------------
// .xlsx

/// A task-division workbook: a title row, a header, three tasks whose lead
/// unit is one cell merged over three rows, and a note under the table.
pub(crate) fn xlsx_division() -> Vec<u8> {
    let s = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    let n = |r: &str, v: &str| format!(r#"<c r="{r}"><v>{v}</v></c>"#);
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E7"/><sheetData>
        <row r="1">{}</row>
        <row r="2">{}{}{}{}{}</row>
        <row r="3">{}{}{}{}{}</row>
        <row r="4">{}{}{}{}</row>
        <row r="5">{}{}{}{}</row>
        <row r="7">{}</row>
        </sheetData><mergeCells count="3"><mergeCell ref="A1:E1"/><mergeCell ref="C3:C5"/><mergeCell ref="A7:E7"/></mergeCells></worksheet>"#,
        s("A1", "XX区重点任务分工表"),
        s("A2", "序号"),
        s("B2", "重点任务"),
        s("C2", "牵头单位"),
        s("D2", "总投资（万元）"),
        s("E2", "完成时限"),
        n("A3", "1"),
        s("B3", "建设区域医疗中心"),
        s("C3", "区卫生健康委"),
        n("D3", "100000"),
        s("E3", "2025年"),
        n("A4", "2"),
        s("B4", "发展中医药服务"),
        n("D4", "3.5"),
        s("E4", "2026年"),
        n("A5", "3.0"),
        s("B5", "培养健康人才"),
        n("D5", "250"),
        s("E5", "2027年"),
        s("A7", "注：总投资含社会资本。"),
    );
    package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="分工表" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
    ])
}

#[test]
fn xlsx_division_table_with_a_merged_lead_unit() {
    let src = load("分工表.xlsx", &xlsx_division()).expect("xlsx reads");
    assert_eq!(src.format, Format::Xlsx);
    assert_eq!(paras(&src), ["XX区重点任务分工表", "注：总投资含社会资本。"]);
    let t = tables(&src);
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0][0], [c("序号"), c("重点任务"), c("牵头单位"), c("总投资（万元）"), c("完成时限")]);
    assert_eq!(t[0][1], [c("1"), c("建设区域医疗中心"), c("区卫生健康委"), c("100000"), c("2025年")]);
    assert_eq!(t[0][2], [c("2"), c("发展中医药服务"), merged(), c("3.5"), c("2026年")]);
    assert_eq!(t[0][3], [c("3"), c("培养健康人才"), merged(), c("250"), c("2027年")]);
    // The title comes first in the text, the note after the table.
    let text = src.text.as_str();
    assert!(text.find("分工表").unwrap() < text.find("序号").unwrap());
    assert!(text.find("2027年").unwrap() < text.find("注：").unwrap());
}

#[test]
fn xlsx_with_a_doctype_is_refused() {
    let mut parts: Vec<(String, String)> = Vec::new();
    let bytes = xlsx_division();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).expect("zip");
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).expect("read");
        if name == "xl/workbook.xml" {
            s = s.replacen("<workbook", r#"<!DOCTYPE workbook [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook"#, 1);
        }
        parts.push((name, s));
    }
    let refs: Vec<(&str, &str)> = parts.iter().map(|(n, b)| (n.as_str(), b.as_str())).collect();
    match load("x.xlsx", &package(&refs)) {
        Err(ReadError::XmlEntities { part }) => assert_eq!(part, "xl/workbook.xml"),
        other => panic!("expected XmlEntities, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// .html

const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>XX区人民政府</title>
<script>var menu = "<p>脚本里的段落</p>";</script><style>p { color: red }</style></head>
<body>
<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/hd">政民互动</a></div>
<nav><ul><li><a href="/">网站首页</a></li><li><a href="/jg">机构设置</a></li></ul></nav>
<div class="main">
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></div>
  <h1>XX区“十四五”大健康产业发展规划</h1>
  <div id="zoom">
    <p>　　为推进健康XX建设，加快发展大健康产业，制定本规划。</p>
    <p>一、总体要求</p>
    <p>（一）发展目标。到2025年，全区大健康产业增加值达到300亿元，   每千人口医疗卫生机构床位数达到6.5张。</p>
    <p>二、重点任务<br>（一）提升医疗服务能力。</p>
    <table border="1">
      <tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>
      <tr><td>1</td><td>建设区域医疗中心</td><td rowspan="3">区卫生健康委</td></tr>
      <tr><td>2</td><td>发展中医药服务</td></tr>
      <tr><td>3</td><td>培养健康人才</td></tr>
    </table>
    <p>三、保障措施</p>
  </div>
  <div class="bdsharebuttonbox">分享到：<a>微信</a><a>微博</a></div>
</div>
<div class="sidebar"><h3>相关文章推荐阅读列表</h3><ul><li><a href="/1">另一个规划</a></li></ul></div>
<footer>版权所有 © XX区人民政府 地址：XX路1号 联系电话：12345678</footer>
<script>document.write("广告内容");</script>
</body></html>"#;

#[test]
fn html_keeps_the_article_and_drops_the_chrome() {
    let src = load("plan.html", PAGE.as_bytes()).expect("html reads");
    assert_eq!(src.format, Format::Html);
    assert_eq!(
        paras(&src),
        [
            "XX区“十四五”大健康产业发展规划",
            "为推进健康XX建设，加快发展大健康产业，制定本规划。",
            "一、总体要求",
            "（一）发展目标。到2025年，全区大健康产业增加值达到300亿元， 每千人口医疗卫生机构床位数达到6.5张。",
            "二、重点任务",
            "（一）提升医疗服务能力。",
            "三、保障措施",
        ]
    );
    let t = tables(&src);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0][1], [c("1"), c("建设区域医疗中心"), c("区卫生健康委")]);
    assert_eq!(t[0][2], [c("2"), c("发展中医药服务"), merged()]);
    assert_eq!(t[0][3], [c("3"), c("培养健康人才"), merged()]);
    let text = src.text.as_str();
    for chrome in ["首页", "政务公开", "脚本", "广告", "版权", "分享", "相关文章", "color"] {
        assert!(!text.contains(chrome), "{chrome} should be gone:\n{text}");
    }
    assert!(text.contains("\u{3000}\u{3000}为推进"), "full-width indent kept");
}

#[test]
fn html_layout_tables_are_read_as_text() {
    let page = r#"<html><body><table width="100%"><tr><td>
        <table><tr><td><p>一、总体要求</p><p>（一）发展目标</p></td></tr></table>
        </td></tr></table></body></html>"#;
    let src = load("layout.htm", page.as_bytes()).expect("html reads");
    assert_eq!(paras(&src), ["一、总体要求", "（一）发展目标"]);
    assert!(tables(&src).is_empty());
}
