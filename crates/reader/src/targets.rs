//! Quantified targets: "力争 2017 年，新增养老床位600张".
//!
//! A target is a number with a unit that the plan commits to for the future.
//! Each paragraph is cut into sentences (the scope of a year and of a
//! qualifier) and clauses (the scope of an indicator). A number is a target
//! unless it is a year, a name or part of one (inside quotes or 《》), a
//! modifier of a noun ("千亩以上示范园", "65岁以上老年人", "1亿元的企业"),
//! an amount of money in a subsidy or award, or a fact already reached.

use crate::numerals::{cn_value, is_cn_numeral_char};
use crate::reading::Target;
use crate::source::{Span, is_blank};

/// Units, longest first so that 万人次 wins over 人次 and 人.
const UNITS: [&str; 55] = [
    "个百分点",
    "亿人次",
    "万人次",
    "亿人",
    "平方公里",
    "万平方米",
    "亿美元",
    "万美元",
    "人次",
    "万人",
    "亿元",
    "万元",
    "万亩",
    "公顷",
    "平方米",
    "公里",
    "千米",
    "万吨",
    "万张",
    "万户",
    "万个",
    "万家",
    "美元",
    "元",
    "亩",
    "㎡",
    "吨",
    "张",
    "户",
    "个",
    "家",
    "所",
    "条",
    "名",
    "项",
    "座",
    "处",
    "支",
    "位",
    "人",
    "床",
    "套",
    "台",
    "种",
    "件",
    "只",
    "篇",
    "场",
    "次",
    "倍",
    "%",
    "％",
    "‰",
    "岁",
    "万",
];

/// Units that measure (money, area, age …) rather than count things; a
/// measure directly followed by a noun modifies it.
fn is_measure(unit: &str) -> bool {
    !matches!(
        unit,
        "个" | "家"
            | "所"
            | "户"
            | "张"
            | "条"
            | "名"
            | "项"
            | "座"
            | "处"
            | "支"
            | "位"
            | "人"
            | "床"
            | "套"
            | "台"
            | "种"
            | "件"
            | "只"
            | "篇"
            | "场"
            | "次"
            | "万个"
            | "万家"
            | "万张"
            | "万户"
            | "万人"
            | "人次"
            | "万人次"
            | "亿人次"
            | "亿人"
    )
}

fn is_money(unit: &str) -> bool {
    unit.ends_with('元')
}

/// A number found in the text.
#[derive(Debug, Clone)]
struct Quantity {
    /// Start of the number (or of a leading comparator word).
    num_start: usize,
    /// End of the unit and any comparator suffix (以上 …).
    end: usize,
    value: f64,
    value_max: Option<f64>,
    unit: Option<String>,
    comparator: &'static str,
}

/// A paragraph to search, with the year its heading states.
pub struct Para<'a> {
    /// The paragraph's text.
    pub text: &'a str,
    /// Where it starts in the document.
    pub start: usize,
    /// A year stated by the section heading, if any.
    pub heading_year: Option<i32>,
    /// Character ranges (relative to `text`) not to search (unit lines).
    pub skip: Vec<(usize, usize)>,
}

/// Finds the targets of one paragraph.
pub fn find(p: &Para<'_>) -> Vec<Target> {
    let chars: Vec<char> = p.text.chars().collect();
    let masked = mask(&chars, &p.skip);
    let mut out = Vec::new();
    let mut s0 = 0;
    while s0 < chars.len() {
        let s1 = chars[s0..]
            .iter()
            .position(|&c| matches!(c, '。' | '！' | '？'))
            .map(|k| s0 + k + 1)
            .unwrap_or(chars.len());
        sentence(&chars, &masked, s0, s1, p, &mut out);
        s0 = s1;
    }
    out
}

/// Marks characters inside quotes, 《》, 〔〕 and the skipped ranges.
fn mask(chars: &[char], skip: &[(usize, usize)]) -> Vec<bool> {
    let mut m = vec![false; chars.len()];
    let mut open: Option<(usize, char)> = None;
    for (i, &c) in chars.iter().enumerate() {
        match (open, c) {
            (None, '“' | '《' | '「' | '〔' | '"') => open = Some((i, c)),
            (Some((s, '“')), '”')
            | (Some((s, '《')), '》')
            | (Some((s, '「')), '」')
            | (Some((s, '〔')), '〕')
            | (Some((s, '"')), '"') => {
                // Quotes spanning a whole clause are emphasis, not names.
                if i - s <= 30 {
                    m[s..=i].iter_mut().for_each(|x| *x = true);
                }
                open = None;
            }
            _ => {}
        }
    }
    for &(a, b) in skip {
        m[a.min(chars.len())..b.min(chars.len())].iter_mut().for_each(|x| *x = true);
    }
    m
}

fn starts_with_at(chars: &[char], i: usize, w: &str) -> bool {
    w.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c))
}

fn digit_val(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        Some(c as u32 - '0' as u32)
    } else if ('０'..='９').contains(&c) {
        Some(c as u32 - '０' as u32)
    } else {
        None
    }
}

/// Reads an Arabic number at `i`: value and end.
fn arabic(chars: &[char], i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    let mut s = String::new();
    while j < chars.len() {
        if let Some(d) = digit_val(chars[j]) {
            s.push(char::from_digit(d, 10)?);
        } else if matches!(chars[j], '.' | '．')
            && !s.is_empty()
            && chars.get(j + 1).and_then(|&c| digit_val(c)).is_some()
        {
            s.push('.');
        } else if chars[j] == ',' && !s.is_empty() && chars.get(j + 1).and_then(|&c| digit_val(c)).is_some() {
            // thousands separator
        } else {
            break;
        }
        j += 1;
    }
    if s.is_empty() { None } else { s.parse().ok().map(|v| (v, j)) }
}

/// Reads a Chinese numeral at `i` that counts something (两, 三, 十二 —
/// not a bare 百/千/万, which name an order of size: "千亩", "百强").
fn chinese(chars: &[char], i: usize) -> Option<(f64, usize)> {
    let mut j = i;
    while j < chars.len() && is_cn_numeral_char(chars[j]) && j - i < 6 {
        j += 1;
    }
    if j == i {
        return None;
    }
    let s: String = chars[i..j].iter().collect();
    let has_digit = s.chars().any(|c| !matches!(c, '十' | '百' | '千' | '万' | '亿'));
    if !has_digit {
        return None;
    }
    // A trailing 万/亿 belongs to the unit (三万亩) when the unit follows.
    cn_value(&s).map(|v| (v, j))
}

fn skip_blanks(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_blank(chars[i]) {
        i += 1;
    }
    i
}

/// The unit at `i`, if any.
fn unit_at(chars: &[char], i: usize) -> Option<&'static str> {
    UNITS.iter().copied().find(|u| starts_with_at(chars, i, u))
}

/// Words before a number that make it a lower or upper bound.
const BOUNDS_BEFORE: [(&str, &str); 14] = [
    ("不低于", ">="),
    ("不少于", ">="),
    ("不超过", "<="),
    ("不高于", "<="),
    ("控制在", "<="),
    ("超过", ">="),
    ("突破", ">="),
    ("至少", ">="),
    ("高于", ">="),
    ("多于", ">="),
    ("大于", ">="),
    ("低于", "<="),
    ("少于", "<="),
    ("小于", "<="),
];

fn comparator_before(chars: &[char], num_start: usize, clause_start: usize) -> Option<&'static str> {
    let window_start = num_start.saturating_sub(6).max(clause_start);
    let before: String = chars[window_start..num_start].iter().filter(|c| !is_blank(**c)).collect();
    // The bound word nearest the number wins; at one place, the longest.
    let mut best: Option<(usize, usize, &'static str)> = None; // (end, len, comparator)
    for (w, c) in BOUNDS_BEFORE {
        if let Some(p) = before.rfind(w) {
            let end = p + w.len();
            let len = w.len();
            if best.is_none_or(|(e, l, _)| end > e || (end == e && len > l)) {
                best = Some((end, len, c));
            }
        }
    }
    if let Some((_, _, c)) = best {
        return Some(c);
    }
    if before.ends_with('超') {
        return Some(">=");
    }
    if before.ends_with('前') {
        return Some("<=");
    }
    None
}

/// Reads the quantity whose number starts at `i`.
fn quantity(chars: &[char], i: usize) -> Option<Quantity> {
    // 百分之十五 / 百分之15: a percentage written out.
    if starts_with_at(chars, i, "百分之") {
        let k = i + 3;
        let (value, end) = arabic(chars, k).or_else(|| chinese(chars, k))?;
        return Some(Quantity { num_start: i, end, value, value_max: None, unit: Some("%".into()), comparator: "=" });
    }
    let (value, mut j) = arabic(chars, i).or_else(|| chinese(chars, i))?;
    let is_cn = digit_val(chars[i]).is_none();
    let mut value_max = None;
    // A range: 3—5个, 3-5家, 1~2所, 3至5个.
    let k = skip_blanks(chars, j);
    if k < chars.len() && matches!(chars[k], '—' | '–' | '-' | '－' | '~' | '～' | '至' | '到') {
        let m = skip_blanks(chars, k + 1 + usize::from(chars.get(k + 1) == Some(&'—')));
        if let Some((v2, e2)) = arabic(chars, m).or_else(|| if is_cn { chinese(chars, m) } else { None })
            && v2 > value
            && unit_at(chars, skip_blanks(chars, e2)).is_some()
        {
            value_max = Some(v2);
            j = e2;
        }
    }
    let u = skip_blanks(chars, j);
    let unit = unit_at(chars, u)?;
    // "万" alone is no unit; "百分之" is handled by the caller.
    if unit == "万" {
        return None;
    }
    let mut end = u + unit.chars().count();
    // 36个月, 3个工作日: durations, not counts.
    if unit == "个" && matches!(chars.get(end), Some('月' | '工' | '小')) {
        return None;
    }
    let mut comparator = if value_max.is_some() { "range" } else { "=" };
    let e = skip_blanks(chars, end);
    for (w, c) in [("及以上", ">="), ("以上", ">="), ("以下", "<="), ("以内", "<="), ("左右", "="), ("级", ">=")]
    {
        if starts_with_at(chars, e, w) {
            if value_max.is_none() {
                comparator = c;
            }
            end = e + w.chars().count();
            break;
        }
    }
    Some(Quantity { num_start: i, end, value, value_max, unit: Some(unit.to_string()), comparator })
}

/// Words that end a clause.
fn is_clause_end(c: char) -> bool {
    matches!(c, '，' | ',' | '；' | ';' | '：' | ':' | '。' | '！' | '？' | '\n')
}

/// A 4-digit year at `i` followed by 年: its value and end.
fn year_at(chars: &[char], i: usize) -> Option<(i32, usize)> {
    if i > 0 && digit_val(chars[i - 1]).is_some() {
        return None;
    }
    let (v, j) = arabic(chars, i)?;
    let k = skip_blanks(chars, j);
    if j - i == 4 && (1949.0..=2100.0).contains(&v) && chars.get(k) == Some(&'年') {
        Some((v as i32, k + 1))
    } else {
        None
    }
}

const QUALIFIERS: [&str; 3] = ["力争", "确保", "争取"];
const FACT_WORDS: [&str; 4] = ["已", "现有", "截至", "目前"];
const AWARD_WORDS: [&str; 8] = ["奖励", "补助", "资助", "补贴", "奖补", "贴息", "给予", "最高"];

fn sentence(chars: &[char], masked: &[bool], s0: usize, s1: usize, p: &Para<'_>, out: &mut Vec<Target>) {
    // Years and qualifiers in order of appearance.
    let mut years: Vec<(usize, i32, bool)> = Vec::new(); // (end, year, is_baseline)
    let mut qualifiers: Vec<(usize, &'static str)> = Vec::new();
    let mut i = s0;
    while i < s1 {
        if !masked[i]
            && let Some((y, e)) = year_at(chars, i)
        {
            let before: String = chars[s0.max(i.saturating_sub(2))..i].iter().filter(|c| !is_blank(**c)).collect();
            let baseline =
                before.ends_with('由') || before.ends_with('从') || before.ends_with('比') || before.ends_with('较');
            years.push((e, y, baseline));
            i = e;
            continue;
        }
        if let Some(q) = QUALIFIERS.iter().find(|q| starts_with_at(chars, i, q)) {
            qualifiers.push((i, q));
            i += 2;
            continue;
        }
        i += 1;
    }
    let mut quantities: Vec<Quantity> = Vec::new();
    let mut i = s0;
    while i < s1 {
        let c = chars[i];
        let starts_number = digit_val(c).is_some() || is_cn_numeral_char(c);
        let continues = i > s0
            && (digit_val(chars[i - 1]).is_some()
                || is_cn_numeral_char(chars[i - 1])
                || matches!(chars[i - 1], '.' | '．'));
        if !starts_number || continues || masked[i] {
            i += 1;
            continue;
        }
        if let Some((_, e)) = year_at(chars, i) {
            i = e;
            continue;
        }
        let Some(mut q) = quantity(chars, i) else {
            i += 1;
            continue;
        };
        if q.end > s1 {
            break;
        }
        if keep(chars, masked, s0, &q) {
            if let Some(c) = comparator_before(chars, q.num_start, clause_start(chars, s0, q.num_start))
                && q.value_max.is_none()
            {
                q.comparator = c;
            }
            quantities.push(q.clone());
        }
        i = q.end.max(i + 1);
    }
    // 翻一番 / 翻两番: a multiple of the baseline.
    for (w, v) in [("翻一番", 2.0), ("翻两番", 4.0), ("翻番", 2.0)] {
        let mut k = s0;
        while k + 2 < s1 {
            if !masked[k] && starts_with_at(chars, k, w) {
                let end = k + w.chars().count();
                quantities.push(Quantity { num_start: k, end, value: v, value_max: None, unit: None, comparator: "x" });
                k = end;
            } else {
                k += 1;
            }
        }
    }
    quantities.sort_by_key(|q| q.num_start);
    // "由2015年的690亿元增加到2020年的1920亿元": the first is the baseline.
    let mut baseline_of: Vec<Option<usize>> = vec![None; quantities.len()];
    for k in 1..quantities.len() {
        let (a, b) = (&quantities[k - 1], &quantities[k]);
        let between: String = chars[a.end..b.num_start].iter().filter(|c| !is_blank(**c)).collect();
        let lead_in: String =
            chars[clause_start(chars, s0, a.num_start)..a.num_start].iter().filter(|c| !is_blank(**c)).collect();
        let from = lead_in.contains('由') || lead_in.contains('从');
        let to = [
            "增加到",
            "提高到",
            "提升到",
            "增长到",
            "上升到",
            "扩大到",
            "达到",
            "增至",
            "提高至",
            "提升至",
            "增加至",
            "降低到",
            "下降到",
            "减少到",
            "降至",
        ]
        .iter()
        .any(|w| between.contains(w));
        if from && to && a.unit == b.unit {
            baseline_of[k] = Some(k - 1);
        }
    }
    let is_baseline: Vec<bool> = (0..quantities.len()).map(|k| baseline_of.contains(&Some(k))).collect();
    let mut prev_end = s0;
    // The previous target's indicator, and the words before its number (its verb).
    let mut prev: Option<(String, String)> = None;
    for (k, q) in quantities.iter().enumerate() {
        if is_baseline[k] {
            continue;
        }
        let c0 = clause_start(chars, s0, q.num_start).max(prev_end);
        let start = if let Some(b) = baseline_of[k] { clause_start(chars, s0, quantities[b].num_start) } else { c0 };
        let start = skip_lead(chars, start, q.num_start);
        // A count followed by its noun ("2个…集聚区", "100%的乡镇卫生院"): the
        // noun belongs to the quote, up to the clause end or the next number.
        // A list of nouns each with its number ("示范区20个、集聚区30个")
        // ends the count at its 、; a 、 inside the noun ("5家特色鲜明、
        // 示范性强的…项目") does not.
        let mut end = q.end;
        let counts = q.unit.as_deref().is_some_and(|u| !is_measure(u)) || chars.get(q.end) == Some(&'的');
        if counts {
            let next = quantities.get(k + 1).map_or(s1, |n| n.num_start);
            let listed = |at: usize| {
                chars[at] == '、'
                    && next < s1
                    && chars[at + 1..next].iter().all(|c| !is_clause_end(*c) && !matches!(c, '和' | '及' | '与' | '、'))
            };
            while end < s1.min(next) && !is_clause_end(chars[end]) && !listed(end) && end - q.end < 40 {
                end += 1;
            }
            while end > q.end && (matches!(chars[end - 1], '、' | '和' | '及' | '与') || is_blank(chars[end - 1])) {
                end -= 1;
            }
        }
        prev_end = end;
        let year = years
            .iter()
            .filter(|(e, _, b)| *e <= q.num_start && *e >= s0 && !b)
            .map(|y| y.1)
            .next_back()
            .or(p.heading_year);
        let mut baseline_year = None;
        let mut baseline_value = None;
        if let Some(b) = baseline_of[k] {
            baseline_value = Some(quantities[b].value);
            baseline_year =
                years.iter().filter(|(e, _, bl)| *bl && *e <= quantities[b].num_start).map(|y| y.1).next_back();
        }
        if q.comparator == "x" {
            baseline_year =
                years.iter().filter(|(e, _, bl)| *bl && *e <= q.num_start && *e >= start).map(|y| y.1).next_back();
        }
        let this_clause = clause_start(chars, s0, q.num_start);
        let qualifier = qualifiers
            .iter()
            .filter(|(at, _)| *at < q.num_start && *at >= s0)
            .filter(|(at, _)| *at >= this_clause || qualifies_sentence(chars, s0, *at))
            .map(|(_, w)| w.to_string())
            .next_back();
        let quote: String = chars[start..end].iter().collect();
        let (mut indicator, verb) = indicator(chars, start, q, end, baseline_of[k].is_some());
        if let Some((prev_indicator, prev_verb)) = &prev {
            let own: Vec<char> = indicator.chars().collect();
            if own.len() < 3 {
                // "…比例达30%，约100万人次": the same indicator goes on.
                indicator = prev_indicator.clone();
            } else if verb.is_empty() && !prev_verb.is_empty() {
                // "建设3个公园，2条线路": the verb carries over a list.
                indicator = format!("{prev_verb}{indicator}");
            }
        }
        prev = Some((indicator.clone(), if verb.is_empty() { prev.map(|p| p.1).unwrap_or_default() } else { verb }));
        out.push(Target {
            quote: quote.trim_matches(is_blank).to_string(),
            span: Span::new(p.start + start, p.start + end),
            indicator,
            comparator: q.comparator.to_string(),
            value: q.value,
            value_max: q.value_max,
            unit: q.unit.clone(),
            year,
            baseline_value,
            baseline_year,
            qualifier,
            task: None,
        });
    }
}

/// Whether a qualifier covers the rest of its sentence ("力争 2017 年，…",
/// "力争大健康产业增加值…，…") rather than its own clause only ("积极争取…",
/// "力争达到80万亩，…").
fn qualifies_sentence(chars: &[char], s0: usize, at: usize) -> bool {
    let start = clause_start(chars, s0, at);
    let lead_in: String = chars[start..at].iter().filter(|c| !is_blank(**c)).collect();
    let starts_clause = lead_in.is_empty()
        || year_at(&lead_in.chars().collect::<Vec<_>>(), 0).is_some_and(|(_, e)| e == lead_in.chars().count());
    let after: String = chars[at + 2..].iter().filter(|c| !is_blank(**c)).take(2).collect();
    starts_clause && !matches!(after.as_str(), "达到" | "完成" | "建成")
}

/// The start of the clause holding `at`.
fn clause_start(chars: &[char], s0: usize, at: usize) -> usize {
    let mut k = at;
    while k > s0 && !is_clause_end(chars[k - 1]) {
        k -= 1;
    }
    k
}

/// Skips what opens a quote without belonging to it: blanks, a list's
/// separator, an item's label (`（一）`, `1.`, `一是`), a year phrase and
/// `年内`, `其中`.
fn skip_lead(chars: &[char], mut start: usize, limit: usize) -> usize {
    loop {
        let mut s = skip_blanks(chars, start);
        while s < limit && matches!(chars[s], '、' | '和' | '及' | '与') {
            s = skip_blanks(chars, s + 1);
        }
        if let Some(e) = label_end(chars, s).filter(|e| *e < limit) {
            start = e;
            continue;
        }
        let next = if starts_with_at(chars, s, "到") || starts_with_at(chars, s, "至") {
            year_at(chars, skip_blanks(chars, s + 1)).map(|(_, e)| e)
        } else {
            year_at(chars, s).map(|(_, e)| e)
        }
        .or_else(|| {
            ["年内", "其中", "同时", "并"].iter().find(|w| starts_with_at(chars, s, w)).map(|w| s + w.chars().count())
        });
        match next {
            Some(e) if e < limit => start = e,
            _ => return s.min(limit),
        }
    }
}

/// The end of an item's label at `i` (`（一）`, `(2)`, `1.`, `3、`, `一、`,
/// `一是`), if one stands there.
fn label_end(chars: &[char], i: usize) -> Option<usize> {
    let numeral = |c: char| digit_val(c).is_some() || is_cn_numeral_char(c);
    let run = |from: usize| {
        let mut j = from;
        while j < chars.len() && j - from < 3 && numeral(chars[j]) {
            j += 1;
        }
        (j > from).then_some(j)
    };
    match chars.get(i)? {
        '（' | '(' => {
            let j = run(i + 1)?;
            matches!(chars.get(j), Some('）' | ')')).then_some(j + 1)
        }
        _ => {
            let j = run(i)?;
            match chars.get(j)? {
                '、' | '．' => Some(j + 1),
                '.' if chars.get(j + 1).is_some_and(|c| digit_val(*c).is_none()) => Some(j + 1),
                '是' if chars[i..j].iter().all(|c| is_cn_numeral_char(*c)) => Some(j + 1),
                _ => None,
            }
        }
    }
}

/// Whether a quantity is a target at all.
fn keep(chars: &[char], masked: &[bool], s0: usize, q: &Quantity) -> bool {
    let unit = q.unit.as_deref().unwrap_or("");
    let prev = q.num_start.checked_sub(1).map(|k| chars[k]);
    // Part of a code or name: C2C, 5G, 4+3, 第七届.
    if prev.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '+' | '第' | '/' | '#')) {
        return false;
    }
    let after_num = chars.get(q.end).copied();
    if after_num.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '+' | '届' | '期')) {
        return false;
    }
    if masked[q.num_start..q.end.min(masked.len())].iter().any(|&m| m) {
        return false;
    }
    // Chinese "一个"/"一名" is an article, not a count; "八次全会", "二次开发" are names.
    if digit_val(chars[q.num_start]).is_none() && (q.value == 1.0 || unit == "次") {
        return false;
    }
    // A modifier: "1亿元的企业", "10万亩的种植大县" (but "100%的乡镇卫生院" is a share).
    let after = chars.get(q.end).copied();
    if after == Some('的') && unit != "%" && unit != "％" {
        return false;
    }
    // A measure followed by its noun: "65岁以上老年人", "20平方米用房"; but
    // "690亿元增加到…" is a baseline, and "10万亩以上基地" a target.
    let rest: String = chars[q.end.min(chars.len())..].iter().take(2).collect();
    let changes = ["增加", "提高", "提升", "增长", "上升", "下降", "减少", "降低", "扩大", "达到"]
        .iter()
        .any(|w| rest.starts_with(w));
    let bounded = q.comparator != "=" && q.comparator != "range";
    if is_measure(unit)
        && !changes
        && (!bounded || unit == "岁")
        && let Some(c) = after
        && is_han(c)
        && !matches!(c, '的' | '级' | '和' | '及' | '与' | '或' | '等' | '左' | '为' | '到' | '以')
        && unit != "%"
        && unit != "％"
    {
        return false;
    }
    let clause = &chars[clause_start(chars, s0, q.num_start)..q.num_start];
    let clause: String = clause.iter().collect();
    if is_money(unit) && AWARD_WORDS.iter().any(|w| clause.contains(w)) {
        return false;
    }
    if FACT_WORDS.iter().any(|w| clause.contains(w)) {
        return false;
    }
    true
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Words that open a clause without belonging to the indicator.
const LEAD_WORDS: [&str; 22] = [
    "力争",
    "确保",
    "争取",
    "积极",
    "加快推进",
    "加快",
    "重点",
    "探索",
    "大力",
    "着力",
    "努力",
    "全力",
    "全面",
    "进一步",
    "实现",
    "我省",
    "我市",
    "我州",
    "我区",
    "我县",
    "和",
    "及",
];

/// Words that link an indicator to its number.
const LINK_WORDS: [&str; 16] = [
    "达到",
    "达",
    "为",
    "至",
    "到",
    "超过",
    "突破",
    "不低于",
    "不少于",
    "至少",
    "保持在",
    "控制在",
    "不超过",
    "约",
    "前",
    "在",
];

/// The indicator (the quote's words without the number, its unit, the
/// comparator, linking verbs and lead-in adverbs) and the verb that opens
/// it when the number counts things ("建设" of "建设3个公园").
fn indicator(chars: &[char], start: usize, q: &Quantity, end: usize, has_baseline: bool) -> (String, String) {
    let mut s: String =
        chars[start..q.num_start].iter().filter(|c| !is_blank(**c) && !matches!(**c, '、' | '，')).collect();
    // Lead-in words and years ("力争2017年", "积极争取").
    loop {
        let mut changed = false;
        for w in LEAD_WORDS {
            if let Some(rest) = s.strip_prefix(w)
                && !rest.is_empty()
            {
                s = rest.to_string();
                changed = true;
            }
        }
        let cs: Vec<char> = s.chars().collect();
        let lead = usize::from(cs.first() == Some(&'到'));
        if let Some((_, e)) = year_at(&cs, lead) {
            s = cs[e..].iter().collect();
            changed = true;
        }
        if !changed {
            break;
        }
    }
    loop {
        let trimmed = LINK_WORDS.iter().find(|w| s.ends_with(*w)).map(|w| s[..s.len() - w.len()].to_string());
        match trimmed {
            Some(t) if !t.is_empty() => s = t,
            _ => break,
        }
    }
    // 由2015年的…: drop the baseline phrase.
    if has_baseline && let Some(p) = s.find('由').or_else(|| s.find('从')) {
        s.truncate(p);
    }
    if q.comparator == "x"
        && let Some(p) = s.rfind('比')
    {
        s.truncate(p);
    }
    let after: String = chars[q.end.min(end)..end]
        .iter()
        .filter(|c| !is_blank(**c))
        .collect::<String>()
        .trim_start_matches('的')
        .to_string();
    // For a count, the words before the number are its verb ("建设").
    let verb = if after.is_empty() { String::new() } else { s.clone() };
    let s = format!("{s}{after}");
    (s.trim_matches(|c: char| matches!(c, '，' | '、' | '：' | ':' | '的')).to_string(), verb)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(s: &str) -> Vec<Target> {
        find(&Para { text: s, start: 0, heading_year: None, skip: vec![] })
    }

    #[test]
    fn year_and_qualifier_hold_for_the_rest_of_the_sentence() {
        let t = targets("力争 2017 年，体育产业总规模达 10 亿元以上、累计完成投资5 亿元。新增地理标志登记 4 个。");
        type Row<'a> = (f64, &'a str, Option<i32>, Option<&'a str>, &'a str);
        let got: Vec<Row> = t
            .iter()
            .map(|t| (t.value, t.unit.as_deref().unwrap_or(""), t.year, t.qualifier.as_deref(), t.comparator.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (10.0, "亿元", Some(2017), Some("力争"), ">="),
                (5.0, "亿元", Some(2017), Some("力争"), "="),
                (4.0, "个", None, None, "=")
            ]
        );
    }

    #[test]
    fn baseline_and_multiple() {
        let t = targets(
            "规模以上工业主营收入由2015年的690亿元增加到2020年的1920亿元。到2020年，产值比2015年翻一番，产业总规模超过8000亿元。",
        );
        assert_eq!(t.len(), 3);
        assert_eq!(
            (t[0].value, t[0].baseline_value, t[0].baseline_year, t[0].year),
            (1920.0, Some(690.0), Some(2015), Some(2020))
        );
        assert_eq!(
            (t[1].comparator.as_str(), t[1].value, t[1].baseline_year, t[1].unit.as_deref()),
            ("x", 2.0, Some(2015), None)
        );
        assert_eq!((t[2].comparator.as_str(), t[2].value), (">=", 8000.0));
    }

    #[test]
    fn ranges_and_chinese_numerals() {
        let t = targets("新建3—5个基地，在南部县创建1~2所医院，建设两个园区。");
        let got: Vec<(f64, Option<f64>, &str)> =
            t.iter().map(|t| (t.value, t.value_max, t.comparator.as_str())).collect();
        assert_eq!(got, [(3.0, Some(5.0), "range"), (1.0, Some(2.0), "range"), (2.0, None, "=")]);
    }

    #[test]
    fn modifiers_names_and_awards_are_not_targets() {
        let t = targets(
            "建成千亩以上示范园800个，落实65岁以上老年人优先政策，推进“6 个 50”工程，培育年产值1亿元的企业4个，给予最高1000万元奖励。",
        );
        let got: Vec<(f64, &str)> = t.iter().map(|t| (t.value, t.unit.as_deref().unwrap_or(""))).collect();
        assert_eq!(got, [(800.0, "个"), (4.0, "个")]);
    }

    #[test]
    fn shares_and_upper_bounds() {
        let t = targets("100%的乡镇卫生院能够提供服务，进入全国前10位，控制在5%以内。");
        let got: Vec<(f64, &str, &str)> =
            t.iter().map(|t| (t.value, t.unit.as_deref().unwrap_or(""), t.comparator.as_str())).collect();
        assert_eq!(got, [(100.0, "%", "="), (10.0, "位", "<="), (5.0, "%", "<=")]);
    }

    #[test]
    fn percentages_written_out() {
        let t = targets("到2025年，健康素养水平提高到百分之三十以上。");
        assert_eq!((t[0].value, t[0].unit.as_deref(), t[0].year), (30.0, Some("%"), Some(2025)));
    }

    #[test]
    fn a_list_of_indicators_is_one_target_each() {
        let t = targets(
            "到2025年，建成国家级健康产业示范区20个、集聚区30个、示范基地200个，全省健康产业增加值达到3000亿元。",
        );
        let got: Vec<(&str, &str, f64)> = t.iter().map(|t| (t.quote.as_str(), t.indicator.as_str(), t.value)).collect();
        assert_eq!(
            got,
            [
                ("建成国家级健康产业示范区20个", "建成国家级健康产业示范区", 20.0),
                ("集聚区30个", "集聚区", 30.0),
                ("示范基地200个", "示范基地", 200.0),
                ("全省健康产业增加值达到3000亿元", "全省健康产业增加值", 3000.0),
            ]
        );
        assert!(t.iter().all(|t| t.year == Some(2025)));
        let t = targets("（一）新增养老床位600张。2. 培育年营业收入超10亿元企业15家、超亿元企业100家。");
        let got: Vec<&str> = t.iter().map(|t| t.quote.as_str()).collect();
        assert_eq!(got, ["新增养老床位600张", "培育年营业收入超10亿元企业15家", "超亿元企业100家"]);
    }

    #[test]
    fn durations_and_years_are_not_targets() {
        assert!(targets("2017 年组织医疗卫生人员到基层服务 1 年以上，建设周期36个月。").is_empty());
    }
}
