//! Reads a Word 2007+ package (`.docx`) into a [`Source`].
//!
//! Only the main document part (`word/document.xml`) is rendered, with the
//! list labels Word would show (from `word/numbering.xml`, and list styles
//! from `word/styles.xml`). Headers, footers, footnotes and comments are left
//! out; text deleted in tracked changes is skipped, inserted text kept.
//! Tables become [`SourceBuilder::table`]s with spanned columns padded so the
//! columns stay aligned and vertically merged cells marked `merged_above`.
//! Every part goes through [`limits`] (inflated-size caps, no DOCTYPE) and is
//! parsed with quick-xml's streaming reader, which never expands entities.
//! Elements are told apart by the prefixes the root element declares.

use std::collections::{HashMap, HashSet};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::reader::Reader;

use crate::error::ReadError;
use crate::limits::{self, Archive, Budget, ZipKind};
use crate::source::{CellIn, Format, Source, SourceBuilder};

/// The main document part.
const DOCUMENT: &str = "word/document.xml";
/// The list definitions.
const NUMBERING: &str = "word/numbering.xml";
/// The style definitions.
const STYLES: &str = "word/styles.xml";

/// The WordprocessingML namespaces (transitional and strict).
const W_NS: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// The markup-compatibility namespace (`mc:AlternateContent`).
const MC_NS: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The most table cells a document may have.
pub const MAX_CELLS: usize = 1_000_000;
/// The widest a single cell may span (Word allows 63 columns).
const MAX_SPAN: u32 = 64;
/// Elements whose whole content is left out: deletions, the old state of
/// tracked property changes, field codes, content-control properties, run
/// properties, and the fallback copy of alternate content.
const SKIPPED: [&str; 14] = [
    "del",
    "moveFrom",
    "delText",
    "delInstrText",
    "instrText",
    "pPrChange",
    "rPrChange",
    "tcPrChange",
    "trPrChange",
    "tblPrChange",
    "tblGridChange",
    "sectPrChange",
    "sdtPr",
    "rPr",
];

/// Reads a `.docx` package.
pub fn read(bytes: &[u8]) -> Result<Source, ReadError> {
    read_with(bytes, limits::MAX_PART_BYTES)
}

/// [`read`] with the cap on one part's inflated size given.
pub(crate) fn read_with(bytes: &[u8], max_part: u64) -> Result<Source, ReadError> {
    let mut archive = limits::open_zip(bytes, ZipKind::Docx)?;
    let mut budget = Budget::document();
    let document = part(&mut archive, DOCUMENT, max_part, &mut budget)?
        .ok_or_else(|| corrupt(format!("the package has no {DOCUMENT}")))?;
    let mut numbering = match part(&mut archive, NUMBERING, max_part, &mut budget)? {
        Some(xml) => Numbering::parse(&xml)?,
        None => Numbering::default(),
    };
    let styles = match part(&mut archive, STYLES, max_part, &mut budget)? {
        Some(xml) => Styles::parse(&xml)?,
        None => Styles::default(),
    };
    Body::new(&mut numbering, &styles).run(&document)
}

/// A part's text, checked for a DOCTYPE; `None` when the package lacks it.
fn part(archive: &mut Archive<'_>, name: &str, max: u64, budget: &mut Budget) -> Result<Option<String>, ReadError> {
    let Some(bytes) = limits::read_entry_opt(archive, ZipKind::Docx, name, max, budget)? else {
        return Ok(None);
    };
    limits::reject_doctype(name, &bytes)?;
    limits::xml_text(ZipKind::Docx, name, bytes).map(Some)
}

fn corrupt(detail: String) -> ReadError {
    ReadError::Corrupt { kind: ".docx", detail }
}

/// An XML error in `part`, naming the byte where it was found.
fn xml_error(part: &str, e: &quick_xml::Error, at: u64) -> ReadError {
    let msg = e.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    corrupt(format!("{part} is not well-formed XML at byte {at} ({msg})"))
}

/// The value of the attribute whose local name is `local` (`w:val` → `val`).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false).flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| {
        match a.normalized_value(XmlVersion::Implicit1_0) {
            Ok(v) => v.into_owned(),
            Err(_) => a.value.into_owned(),
        }
    })
}

/// An `ST_OnOff` attribute (`w:val` absent means on).
fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, "val").as_deref(), Some("0" | "false" | "off"))
}

/// A level index 0–8.
fn level_index(v: Option<String>) -> Option<u8> {
    v.and_then(|s| s.trim().parse::<u8>().ok()).filter(|&l| l < 9)
}

/// The text of a character or predefined entity reference.
fn resolve_ref(r: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.xml10_content();
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string)
}

// ---------------------------------------------------------------------------
// Numbering

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: i64,
    format: String,
    text: Option<String>,
    legal: bool,
    suffix: String,
    style: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        // ECMA-376 §17.9.25: a level without w:start starts at zero.
        Level { start: 0, format: "decimal".into(), text: None, legal: false, suffix: "tab".into(), style: None }
    }
}

/// A list instance (`w:num`).
#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    start_overrides: HashMap<u8, i64>,
    level_overrides: HashMap<u8, Level>,
}

/// The list definitions and the running counters.
///
/// As in Word, counters belong to the abstract definition: list instances
/// of one abstract definition continue one sequence, and an instance with a
/// `w:startOverride` restarts the overridden levels when first used.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Option<Level>>>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<i64>; 9]>,
    seen: HashSet<String>,
}

/// Where the numbering parser is.
#[derive(Default)]
struct NumberingParse {
    abstract_id: Option<String>,
    levels: Vec<Option<Level>>,
    level: Option<(u8, Level)>,
    num: Option<(String, Num)>,
    override_level: Option<u8>,
    skip: usize,
}

impl Numbering {
    /// Parses `word/numbering.xml`.
    fn parse(xml: &str) -> Result<Self, ReadError> {
        let mut out = Numbering::default();
        let mut st = NumberingParse::default();
        let mut reader = Reader::from_str(xml);
        loop {
            let event = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => return Err(xml_error(NUMBERING, &e, reader.error_position())),
            };
            match event {
                Event::Start(e) => st.start(&e, false),
                Event::Empty(e) => st.start(&e, true),
                Event::End(e) => st.end(e.local_name().as_ref(), &mut out),
                Event::DocType(_) => return Err(ReadError::XmlEntities { part: NUMBERING.into() }),
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }

    /// The definition of level `ilvl` of list instance `num`.
    fn level<'s>(&'s self, num: &'s Num, ilvl: u8) -> Option<&'s Level> {
        num.level_overrides
            .get(&ilvl)
            .or_else(|| self.abstracts.get(&num.abstract_id)?.get(usize::from(ilvl))?.as_ref())
    }

    /// The level of list instance `num_id` linked to paragraph style `style`.
    fn level_of_style(&self, num_id: &str, style: &str) -> Option<u8> {
        let num = self.nums.get(num_id)?;
        (0..9u8).find(|&l| self.level(num, l).and_then(|lv| lv.style.as_deref()) == Some(style))
    }

    /// Advances the counters for a paragraph of list `num_id` at level
    /// `ilvl` and returns the label Word shows before it (none for bullets).
    fn label(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let num = self.nums.get(num_id)?;
        let level = self.level(num, ilvl)?.clone();
        let starts: Vec<i64> = (0..9u8)
            .map(|l| {
                num.start_overrides.get(&l).copied().unwrap_or_else(|| self.level(num, l).map_or(1, |lv| lv.start))
            })
            .collect();
        let formats: Vec<String> = (0..9u8)
            .map(|l| self.level(num, l).map_or_else(|| "decimal".to_string(), |lv| lv.format.clone()))
            .collect();
        let overridden: Vec<u8> = num.start_overrides.keys().copied().collect();
        let counters = self.counters.entry(num.abstract_id.clone()).or_default();
        if self.seen.insert(num_id.to_string()) {
            for l in overridden {
                if let Some(c) = counters.get_mut(usize::from(l)) {
                    *c = None;
                }
            }
        }
        let i = usize::from(ilvl);
        let start = starts.get(i).copied().unwrap_or(1);
        let value = counters.get(i).copied().flatten().map_or(start, |c| c.saturating_add(1));
        if let Some(c) = counters.get_mut(i) {
            *c = Some(value);
        }
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        if level.format == "bullet" {
            return None;
        }
        let counters = *counters;
        let text = level.text.as_deref()?;
        let values: Vec<i64> = (0..9)
            .map(|l| counters.get(l).copied().flatten().or_else(|| starts.get(l).copied()).unwrap_or(1))
            .collect();
        let formats: Vec<&str> = formats.iter().map(|f| if level.legal { "decimal" } else { f.as_str() }).collect();
        let label = render_label(text, &values, &formats);
        Some(with_suffix(label, &level.suffix))
    }
}

impl NumberingParse {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.local_name();
        let name = name.as_ref();
        if self.skip > 0 || name == "Choice" {
            // Word 2010 puts a custom w:numFmt in mc:Choice; the standard one
            // in mc:Fallback is what we read.
            if !empty {
                self.skip += 1;
            }
            return;
        }
        match name {
            "abstractNum" => {
                self.abstract_id = attr(e, "abstractNumId");
                self.levels = vec![None; 9];
            }
            "lvl" => {
                if let Some(l) = level_index(attr(e, "ilvl")) {
                    self.level = Some((l, Level::default()));
                }
            }
            "num" => self.num = attr(e, "numId").map(|id| (id, Num::default())),
            "lvlOverride" => self.override_level = level_index(attr(e, "ilvl")),
            _ => self.property(name, e),
        }
    }

    /// A property of the current level or list instance.
    fn property(&mut self, name: &str, e: &BytesStart<'_>) {
        let val = attr(e, "val");
        if let Some((_, level)) = self.level.as_mut() {
            match name {
                "start" => level.start = val.and_then(|v| v.trim().parse().ok()).unwrap_or(0),
                "numFmt" => level.format = val.unwrap_or_else(|| "decimal".into()),
                "lvlText" => level.text = val,
                "isLgl" => level.legal = on_off(e),
                "suff" => level.suffix = val.unwrap_or_else(|| "tab".into()),
                "pStyle" => level.style = val,
                _ => {}
            }
            return;
        }
        let Some((_, num)) = self.num.as_mut() else { return };
        match (name, self.override_level) {
            ("abstractNumId", _) => num.abstract_id = val.unwrap_or_default(),
            ("startOverride", Some(l)) => {
                if let Some(v) = val.and_then(|v| v.trim().parse().ok()) {
                    num.start_overrides.insert(l, v);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str, out: &mut Numbering) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match name {
            "lvl" => {
                let Some((l, level)) = self.level.take() else { return };
                match (self.num.as_mut(), self.override_level) {
                    (Some((_, num)), Some(_)) => {
                        num.level_overrides.insert(l, level);
                    }
                    _ => {
                        if let Some(slot) = self.levels.get_mut(usize::from(l)) {
                            *slot = Some(level);
                        }
                    }
                }
            }
            "abstractNum" => {
                if let Some(id) = self.abstract_id.take() {
                    out.abstracts.insert(id, std::mem::take(&mut self.levels));
                }
            }
            "lvlOverride" => self.override_level = None,
            "num" => {
                if let Some((id, num)) = self.num.take() {
                    out.nums.insert(id, num);
                }
            }
            _ => {}
        }
    }
}

/// Fills `%1`…`%9` in a `w:lvlText` with each level's value in its format.
fn render_label(text: &str, values: &[i64], formats: &[&str]) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().and_then(|d| d.to_digit(10))) {
            ('%', Some(d)) if (1..=9).contains(&d) => {
                chars.next();
                let l = (d - 1) as usize;
                let value = values.get(l).copied().unwrap_or(1);
                out.push_str(&format_number(value, formats.get(l).copied().unwrap_or("decimal")));
            }
            _ => out.push(c),
        }
    }
    out
}

/// The label followed by what Word puts between it and the text: nothing
/// after Chinese punctuation, else a space (for a tab or a space suffix).
fn with_suffix(mut label: String, suffix: &str) -> String {
    if label.is_empty() || suffix == "nothing" {
        return label;
    }
    if label.chars().last().is_some_and(|c| c.is_ascii()) {
        label.push(' ');
    }
    label
}

/// A number in a `w:numFmt` style.
pub fn format_number(n: i64, format: &str) -> String {
    let formatted = match format {
        "none" | "bullet" => Some(String::new()),
        "decimalZero" if (0..10).contains(&n) => Some(format!("0{n}")),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).map(|s| s.to_lowercase()),
        "upperLetter" => letters(n, b'A'),
        "lowerLetter" => letters(n, b'a'),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting"
        | "ideographLegalTraditional" => chinese(n, &COUNTING),
        "chineseLegalSimplified" => chinese(n, &LEGAL),
        "ideographTraditional" => cycle(n, &['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸']),
        "ideographZodiac" => cycle(n, &['子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥']),
        "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => digits_as(n, |d| COUNTING.digits[d]),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 0x2460),
        "decimalEnclosedParen" => enclosed(n, 0x2474),
        "decimalEnclosedFullstop" => enclosed(n, 0x2488),
        "decimalFullWidth" | "decimalFullWidth2" => digits_as(n, |d| char::from_u32(0xFF10 + d as u32).unwrap_or('０')),
        _ => None,
    };
    formatted.unwrap_or_else(|| n.to_string())
}

/// Digits and units of a Chinese counting system.
struct Numerals {
    digits: [char; 10],
    units: [char; 3],
    wan: char,
    /// The zero written inside a number (一百零一).
    inner_zero: char,
    /// Whether 10–19 drop the leading 一 (十一, not 一十一).
    short_ten: bool,
}

const COUNTING: Numerals = Numerals {
    digits: ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'],
    units: ['千', '百', '十'],
    wan: '万',
    inner_zero: '零',
    short_ten: true,
};

const LEGAL: Numerals = Numerals {
    digits: ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
    units: ['仟', '佰', '拾'],
    wan: '万',
    inner_zero: '零',
    short_ten: false,
};

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 10010 → 一万零一十.
fn chinese(n: i64, sys: &Numerals) -> Option<String> {
    if n == 0 {
        return Some(sys.digits[0].to_string());
    }
    if !(1..100_000_000).contains(&n) {
        return None;
    }
    let (high, low) = (n / 10_000, n % 10_000);
    if high == 0 {
        return Some(below_10k(low, sys, true));
    }
    let mut out = below_10k(high, sys, true);
    out.push(sys.wan);
    if low > 0 {
        if low < 1000 {
            out.push(sys.inner_zero);
        }
        out.push_str(&below_10k(low, sys, false));
    }
    Some(out)
}

/// A number 1–9999 in Chinese; `leading` when nothing stands before it.
fn below_10k(n: i64, sys: &Numerals, leading: bool) -> String {
    let digits = [n / 1000 % 10, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let (mut started, mut zero) = (false, false);
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero |= started;
            continue;
        }
        if zero {
            out.push(sys.inner_zero);
            zero = false;
        }
        let short = i == 2 && d == 1 && !started && leading && sys.short_ten;
        if !short {
            out.push(sys.digits.get(d as usize).copied().unwrap_or('〇'));
        }
        if let Some(&u) = sys.units.get(i) {
            out.push(u);
        }
        started = true;
    }
    out
}

/// Roman numerals 1–3999.
fn roman(n: i64) -> Option<String> {
    if !(1..4000).contains(&n) {
        return None;
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
}

/// Word's letters: a … z, aa … zz, aaa …
fn letters(n: i64, base: u8) -> Option<String> {
    if !(1..=26 * 20).contains(&n) {
        return None;
    }
    let letter = char::from(base + ((n - 1) % 26) as u8);
    Some(std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect())
}

/// A symbol from a cycle (甲乙丙…).
fn cycle(n: i64, symbols: &[char]) -> Option<String> {
    let len = symbols.len() as i64;
    if n < 1 || len == 0 {
        return None;
    }
    symbols.get(((n - 1) % len) as usize).map(|c| c.to_string())
}

/// ① … ⑳ (or another run of 20 enclosed numbers starting at `first`).
fn enclosed(n: i64, first: u32) -> Option<String> {
    if !(1..=20).contains(&n) {
        return None;
    }
    char::from_u32(first + (n - 1) as u32).map(|c| c.to_string())
}

/// The decimal digits of `n`, each mapped.
fn digits_as(n: i64, map: impl Fn(usize) -> char) -> Option<String> {
    if n < 0 {
        return None;
    }
    Some(n.to_string().bytes().map(|b| map(usize::from(b - b'0'))).collect())
}

// ---------------------------------------------------------------------------
// Styles

/// The list a paragraph style puts its paragraphs in.
#[derive(Debug, Default, Clone)]
struct StyleDef {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// Paragraph styles, as far as numbering needs them.
#[derive(Debug, Default)]
struct Styles {
    map: HashMap<String, StyleDef>,
}

impl Styles {
    /// Parses `word/styles.xml`.
    fn parse(xml: &str) -> Result<Self, ReadError> {
        let mut out = Styles::default();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, StyleDef)> = None;
        loop {
            let event = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => return Err(xml_error(STYLES, &e, reader.error_position())),
            };
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let name = e.local_name();
                    match name.as_ref() {
                        "style" => {
                            let is_para = attr(&e, "type").is_none_or(|t| t == "paragraph");
                            current = attr(&e, "styleId").filter(|_| is_para).map(|id| (id, StyleDef::default()));
                        }
                        "basedOn" | "numId" | "ilvl" => {
                            if let Some((_, def)) = current.as_mut() {
                                let val = attr(&e, "val");
                                match name.as_ref() {
                                    "basedOn" => def.based_on = val,
                                    "numId" => def.num_id = val,
                                    _ => def.ilvl = level_index(val),
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "style" => {
                    if let Some((id, def)) = current.take() {
                        out.map.insert(id, def);
                    }
                }
                Event::DocType(_) => return Err(ReadError::XmlEntities { part: STYLES.into() }),
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(out)
    }

    /// The list (numId, level if given) of a style, following `w:basedOn`.
    fn numbering(&self, style: &str) -> Option<(String, Option<u8>)> {
        let mut id = style;
        let mut ilvl = None;
        for _ in 0..16 {
            let def = self.map.get(id)?;
            ilvl = ilvl.or(def.ilvl);
            if let Some(num) = &def.num_id {
                return Some((num.clone(), ilvl));
            }
            id = def.based_on.as_deref()?;
        }
        None
    }
}

// ---------------------------------------------------------------------------
// The body

/// Which vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// WordprocessingML.
    W,
    /// Markup compatibility.
    Mc,
    /// Anything else (DrawingML, VML, math …).
    Other,
}

/// The vocabularies of the prefixes the root element declares.
///
/// Prefixes are looked up in the root's declarations only (Word, WPS and
/// LibreOffice declare them all there): a full namespace resolver searches
/// every binding in scope for every element, which a hostile file with
/// millions of declarations would turn into hours.
#[derive(Debug, Default)]
struct Prefixes {
    map: HashMap<String, Ns>,
    default: Option<Ns>,
}

impl Prefixes {
    /// Reads the `xmlns` declarations of the root element.
    fn declare(&mut self, root: &BytesStart<'_>) {
        let mut attrs = root.attributes();
        for a in attrs.with_checks(false).flatten() {
            let key = a.key.as_ref();
            let uri = a.value.as_ref();
            let ns = if W_NS.contains(&uri) {
                Ns::W
            } else if uri == MC_NS {
                Ns::Mc
            } else {
                Ns::Other
            };
            if key == "xmlns" {
                self.default = Some(ns);
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                self.map.insert(prefix.to_string(), ns);
            }
        }
    }

    /// The vocabulary of an element name.
    fn classify(&self, name: QName<'_>) -> Ns {
        match name.prefix() {
            Some(p) => match self.map.get(p.as_ref()) {
                Some(&ns) => ns,
                // Undeclared at the root: trust the conventional prefixes.
                None => match p.as_ref() {
                    "w" => Ns::W,
                    "mc" => Ns::Mc,
                    _ => Ns::Other,
                },
            },
            None => self.default.unwrap_or(Ns::W),
        }
    }
}

/// The list properties of an open paragraph.
#[derive(Debug, Default)]
struct ParaProps {
    num_id: Option<String>,
    ilvl: Option<u8>,
    style: Option<String>,
}

/// A table cell being read.
#[derive(Debug)]
struct CellState {
    text: String,
    span: u32,
    merged_above: bool,
}

/// A (top-level) table being read.
#[derive(Debug, Default)]
struct TableState {
    rows: Vec<Vec<CellIn>>,
    row: Option<Vec<CellIn>>,
    cell: Option<CellState>,
    cells: usize,
}

impl TableState {
    /// Ends the open cell: it, then a padding cell per extra spanned column.
    fn close_cell(&mut self, total: &mut usize) -> Result<(), ReadError> {
        let Some(cell) = self.cell.take() else { return Ok(()) };
        let row = self.row.get_or_insert_with(Vec::new);
        *total = total.saturating_add(cell.span as usize);
        if *total > MAX_CELLS {
            return Err(ReadError::TooLarge {
                what: "the number of table cells in the .docx".into(),
                limit: MAX_CELLS.to_string(),
            });
        }
        let merged = cell.merged_above;
        row.push(CellIn { text: cell.text, merged_above: merged });
        for _ in 1..cell.span {
            row.push(CellIn { text: String::new(), merged_above: merged });
        }
        self.cells += 1;
        Ok(())
    }

    fn close_row(&mut self, total: &mut usize) -> Result<(), ReadError> {
        self.close_cell(total)?;
        if let Some(row) = self.row.take() {
            self.rows.push(row);
        }
        Ok(())
    }
}

/// Appends the non-blank lines of `text` to a cell, one per line.
fn push_lines(cell: &mut String, text: &str) {
    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
        if !cell.is_empty() {
            cell.push('\n');
        }
        cell.push_str(line);
    }
}

/// Renders `w:body` as paragraphs and tables.
struct Body<'a> {
    numbering: &'a mut Numbering,
    styles: &'a Styles,
    out: SourceBuilder,
    /// Depth inside an element whose content is left out.
    skip: usize,
    /// Depth inside a `w:pPr`.
    in_ppr: usize,
    /// Depth inside `w:t`.
    in_t: usize,
    /// Open paragraphs (a text box inside a paragraph nests another).
    props: Vec<ParaProps>,
    /// The text of the outermost open paragraph (nested ones join it).
    para: String,
    table: Option<TableState>,
    /// Tables open inside a table cell or a paragraph: their text is
    /// flattened into the enclosing cell or paragraph.
    flat_tables: usize,
    cells: usize,
}

impl<'a> Body<'a> {
    fn new(numbering: &'a mut Numbering, styles: &'a Styles) -> Self {
        Body {
            numbering,
            styles,
            out: SourceBuilder::new(),
            skip: 0,
            in_ppr: 0,
            in_t: 0,
            props: Vec::new(),
            para: String::new(),
            table: None,
            flat_tables: 0,
            cells: 0,
        }
    }

    fn run(mut self, xml: &str) -> Result<Source, ReadError> {
        let mut reader = Reader::from_str(xml);
        let mut prefixes = Prefixes::default();
        let mut depth = 0usize;
        loop {
            let event = match reader.read_event() {
                Ok(ev) => ev,
                Err(e) => return Err(xml_error(DOCUMENT, &e, reader.error_position())),
            };
            match event {
                Event::Start(e) => {
                    if depth == 0 {
                        prefixes.declare(&e);
                    }
                    depth += 1;
                    self.start(prefixes.classify(e.name()), &e, false)?;
                }
                Event::Empty(e) => self.start(prefixes.classify(e.name()), &e, true)?,
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    self.end(prefixes.classify(e.name()), e.local_name().as_ref())?;
                }
                Event::Text(t) => self.text(&t.xml10_content()),
                Event::CData(t) => self.text(&t.xml10_content()),
                Event::GeneralRef(r) => {
                    if let Some(s) = resolve_ref(&r) {
                        self.text(&s);
                    }
                }
                Event::DocType(_) => return Err(ReadError::XmlEntities { part: DOCUMENT.into() }),
                Event::Eof => break,
                _ => {}
            }
        }
        if depth != 0 {
            return Err(corrupt(format!("{DOCUMENT} ends inside an element (the file is truncated)")));
        }
        Ok(self.finish())
    }

    fn finish(mut self) -> Source {
        if let Some(mut table) = self.table.take() {
            let mut total = self.cells;
            if table.close_row(&mut total).is_ok() {
                self.out.table(table.rows);
            }
        }
        self.out.finish(Format::Docx)
    }

    fn start(&mut self, ns: Ns, e: &BytesStart<'_>, empty: bool) -> Result<(), ReadError> {
        let name = e.local_name();
        let name = name.as_ref();
        if self.skip > 0 || (ns == Ns::Mc && name == "Fallback") || (ns == Ns::W && SKIPPED.contains(&name)) {
            if !empty {
                self.skip += 1;
            }
            return Ok(());
        }
        if self.in_ppr > 0 {
            if !empty {
                self.in_ppr += 1;
            }
            if ns == Ns::W {
                self.para_property(name, e);
            }
            return Ok(());
        }
        if ns != Ns::W {
            return Ok(());
        }
        match name {
            "p" => {
                self.open_para();
                if empty {
                    self.close_para();
                }
            }
            "pPr" if !self.props.is_empty() => {
                if empty {
                    self.emit_label();
                } else {
                    self.in_ppr = 1;
                }
            }
            "t" if !empty => self.in_t += 1,
            "tab" | "ptab" => self.push_char(' '),
            "br" | "cr" => self.push_char('\n'),
            "noBreakHyphen" => self.push_char('-'),
            "tbl" if !empty => self.open_table(),
            "tr" if !empty => self.open_row()?,
            "tc" => {
                self.open_cell()?;
                if empty {
                    self.close_cell()?;
                }
            }
            "gridSpan" | "vMerge" | "gridBefore" => self.cell_property(name, e)?,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, ns: Ns, name: &str) -> Result<(), ReadError> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        if self.in_ppr > 0 {
            self.in_ppr -= 1;
            if self.in_ppr == 0 {
                self.emit_label();
            }
            return Ok(());
        }
        if ns != Ns::W {
            return Ok(());
        }
        match name {
            "p" => self.close_para(),
            "t" => self.in_t = self.in_t.saturating_sub(1),
            "tbl" => self.close_table(),
            "tr" => self.close_row()?,
            "tc" => self.close_cell()?,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, s: &str) {
        if self.in_t > 0 && self.skip == 0 && !self.props.is_empty() {
            self.para.push_str(s);
        }
    }

    fn push_char(&mut self, c: char) {
        if !self.props.is_empty() {
            self.para.push(c);
        }
    }

    // Paragraphs ------------------------------------------------------------

    fn open_para(&mut self) {
        if self.props.is_empty() {
            self.para.clear();
        } else {
            self.para.push('\n');
        }
        self.props.push(ParaProps::default());
    }

    fn close_para(&mut self) {
        if self.props.pop().is_none() {
            return;
        }
        if !self.props.is_empty() {
            self.para.push('\n');
            return;
        }
        let text = std::mem::take(&mut self.para);
        match self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => push_lines(&mut cell.text, &text),
            None => self.out.para(&text),
        }
    }

    /// A child of `w:pPr` (numbering and style are all we need).
    fn para_property(&mut self, name: &str, e: &BytesStart<'_>) {
        let Some(props) = self.props.last_mut() else { return };
        match name {
            "pStyle" => props.style = attr(e, "val"),
            "numId" => props.num_id = attr(e, "val"),
            "ilvl" => props.ilvl = level_index(attr(e, "val")),
            _ => {}
        }
    }

    /// At the end of `w:pPr`: the paragraph's list label, if it has one.
    fn emit_label(&mut self) {
        let Some(props) = self.props.last() else { return };
        let from_style = props.style.as_deref().and_then(|s| self.styles.numbering(s));
        let (num_id, ilvl) = match (&props.num_id, from_style) {
            (Some(n), style) => (n.clone(), props.ilvl.or(style.and_then(|s| s.1))),
            (None, Some((n, l))) => (n, props.ilvl.or(l)),
            (None, None) => return,
        };
        if num_id.trim() == "0" {
            return;
        }
        let ilvl = ilvl
            .or_else(|| props.style.as_deref().and_then(|s| self.numbering.level_of_style(&num_id, s)))
            .unwrap_or(0);
        if let Some(label) = self.numbering.label(&num_id, ilvl) {
            self.para.push_str(&label);
        }
    }

    // Tables ----------------------------------------------------------------

    /// Whether row and cell events belong to the top-level table.
    fn at_table_level(&self) -> bool {
        self.flat_tables == 0 && self.props.is_empty() && self.table.is_some()
    }

    fn open_table(&mut self) {
        if self.table.is_none() && self.props.is_empty() && self.flat_tables == 0 {
            self.table = Some(TableState::default());
        } else {
            self.flat_tables += 1;
            self.push_char('\n');
        }
    }

    fn close_table(&mut self) {
        if self.flat_tables > 0 {
            self.flat_tables -= 1;
            self.push_char('\n');
        } else if self.props.is_empty()
            && let Some(mut table) = self.table.take()
        {
            let mut total = self.cells;
            if table.close_row(&mut total).is_ok() {
                self.out.table(table.rows);
            }
        }
    }

    fn open_row(&mut self) -> Result<(), ReadError> {
        if !self.at_table_level() {
            return Ok(());
        }
        self.close_row()?;
        if let Some(t) = self.table.as_mut() {
            t.row = Some(Vec::new());
        }
        Ok(())
    }

    fn close_row(&mut self) -> Result<(), ReadError> {
        if !self.at_table_level() {
            return Ok(());
        }
        if let Some(t) = self.table.as_mut() {
            t.close_row(&mut self.cells)?;
        }
        Ok(())
    }

    fn open_cell(&mut self) -> Result<(), ReadError> {
        if !self.at_table_level() {
            return Ok(());
        }
        if let Some(t) = self.table.as_mut() {
            t.close_cell(&mut self.cells)?;
            t.cell = Some(CellState { text: String::new(), span: 1, merged_above: false });
        }
        Ok(())
    }

    fn close_cell(&mut self) -> Result<(), ReadError> {
        if !self.at_table_level() {
            return Ok(());
        }
        if let Some(t) = self.table.as_mut() {
            t.close_cell(&mut self.cells)?;
        }
        Ok(())
    }

    /// `w:gridSpan`, `w:vMerge` (in `w:tcPr`) and `w:gridBefore` (in `w:trPr`).
    fn cell_property(&mut self, name: &str, e: &BytesStart<'_>) -> Result<(), ReadError> {
        if !self.at_table_level() {
            return Ok(());
        }
        let val = attr(e, "val");
        let Some(t) = self.table.as_mut() else { return Ok(()) };
        let count = || val.as_deref().and_then(|v| v.trim().parse::<u32>().ok()).unwrap_or(1).clamp(1, MAX_SPAN);
        match (name, t.cell.as_mut()) {
            ("gridSpan", Some(cell)) => cell.span = count(),
            ("vMerge", Some(cell)) => cell.merged_above = val.as_deref() != Some("restart"),
            ("gridBefore", None) => {
                let n = count();
                self.cells = self.cells.saturating_add(n as usize);
                let row = t.row.get_or_insert_with(Vec::new);
                row.extend((0..n).map(|_| CellIn::default()));
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Block;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    fn docx(body: &str, numbering: Option<&str>) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let doc = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
        );
        w.start_file(DOCUMENT, opts).unwrap();
        w.write_all(doc.as_bytes()).unwrap();
        if let Some(n) = numbering {
            w.start_file(NUMBERING, opts).unwrap();
            w.write_all(format!(r#"<w:numbering xmlns:w="{W}">{n}</w:numbering>"#).as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn paras(src: &Source) -> Vec<String> {
        src.paragraphs().map(str::to_string).collect()
    }

    #[test]
    fn chinese_counting() {
        let c = |n| chinese(n, &COUNTING).unwrap();
        assert_eq!([c(1), c(10), c(11), c(20), c(21)], ["一", "十", "十一", "二十", "二十一"]);
        assert_eq!(
            [c(100), c(101), c(110), c(1001), c(10010)],
            ["一百", "一百零一", "一百一十", "一千零一", "一万零一十"]
        );
        assert_eq!(chinese(12, &LEGAL).unwrap(), "壹拾贰");
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "21");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(14, "upperRoman"), "XIV");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(-5, "chineseCounting"), "-5");
        assert_eq!(format_number(i64::MAX, "lowerLetter"), i64::MAX.to_string());
    }

    #[test]
    fn labels_with_levels_and_restarts() {
        let numbering = r#"<w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
          </w:abstractNum>
          <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#;
        let p = |lvl: u8, t: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{t}</w:t></w:r></w:p>"#
            )
        };
        let body = [p(0, "a"), p(1, "b"), p(1, "c"), p(0, "d"), p(1, "e")].concat();
        let src = read(&docx(&body, Some(numbering))).unwrap();
        assert_eq!(paras(&src), ["1. a", "1.1 b", "1.2 c", "2. d", "2.1 e"]);
    }

    #[test]
    fn text_runs_tabs_breaks_and_entities() {
        let body = r#"<w:p><w:r><w:t>甲</w:t><w:tab/><w:t xml:space="preserve">乙 &amp; 丙</w:t><w:br/><w:t>丁&#x4E00;</w:t></w:r></w:p>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>3</w:t></w:r></w:p>"#;
        let src = read(&docx(body, None)).unwrap();
        assert_eq!(paras(&src), ["甲 乙 & 丙", "丁一", "3"]);
    }

    #[test]
    fn alternate_content_is_read_once() {
        let body = r#"<w:p xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:r><w:t>前</w:t></w:r>
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
            <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>
            <w:r><w:t>后</w:t></w:r></w:p>"#;
        let src = read(&docx(body, None)).unwrap();
        assert_eq!(paras(&src), ["前", "框内", "后"]);
    }

    #[test]
    fn nested_table_is_flattened_into_its_cell() {
        let body = r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>内1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>内2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:tc><w:tc><w:p><w:r><w:t>右</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let src = read(&docx(body, None)).unwrap();
        let Some(Block::Table(t)) = src.blocks.first() else { panic!("no table: {:?}", src.blocks) };
        let texts: Vec<&str> = t.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["外内1内2", "右"]);
    }

    #[test]
    fn small_part_cap_gives_too_large() {
        let body = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", " ".repeat(200_000));
        let bytes = docx(&body, None);
        assert!(bytes.len() < 10_000, "the payload should compress well");
        let err = read_with(&bytes, 100_000).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge { what, .. } if what.contains("word/document.xml")), "{err}");
    }

    #[test]
    fn style_numbering_and_other_prefixes() {
        let numbering = format!(
            r#"<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="5">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="H1"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="H2"/><w:lvlText w:val="（%2）"/></w:lvl>
            </w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="5"/></w:num></w:numbering>"#
        );
        let styles = format!(
            r#"<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="H1"><w:pPr><w:numPr><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="H2"><w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style></w:styles>"#
        );
        // The body uses the prefix ns0 for WordprocessingML, as XML tools
        // that rewrite documents do.
        let doc = format!(
            r#"<ns0:document xmlns:ns0="{W}"><ns0:body>
            <ns0:p><ns0:pPr><ns0:pStyle ns0:val="H1"/></ns0:pPr><ns0:r><ns0:t>总体要求</ns0:t></ns0:r></ns0:p>
            <ns0:p><ns0:pPr><ns0:pStyle ns0:val="H2"/></ns0:pPr><ns0:r><ns0:t>指导思想</ns0:t></ns0:r></ns0:p>
            <ns0:p><ns0:pPr><ns0:pStyle ns0:val="H1"/><ns0:numPr><ns0:numId ns0:val="0"/></ns0:numPr></ns0:pPr><ns0:r><ns0:t>无编号</ns0:t></ns0:r></ns0:p>
            <ns0:p><ns0:pPr><ns0:pStyle ns0:val="H1"/></ns0:pPr><ns0:r><ns0:t>重点任务</ns0:t></ns0:r></ns0:p>
            </ns0:body></ns0:document>"#
        );
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in [(DOCUMENT, &doc), (NUMBERING, &numbering), (STYLES, &styles)] {
            w.start_file(name, SimpleFileOptions::default()).unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        let src = read(&w.finish().unwrap().into_inner()).unwrap();
        assert_eq!(paras(&src), ["一、总体要求", "（一）指导思想", "无编号", "二、重点任务"]);
    }

    #[test]
    fn unclosed_document_is_corrupt() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(DOCUMENT, SimpleFileOptions::default()).unwrap();
        w.write_all(format!(r#"<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>x"#).as_bytes()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(matches!(read(&bytes), Err(ReadError::Corrupt { kind: ".docx", .. })));
    }
}
