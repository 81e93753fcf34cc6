//! Chinese numerals and the numbering labels of plan documents.
//!
//! Labels come in a few styles — `一、` `（一）` `1.` `（1）` `①` `第一章`
//! and the inline `一是` — each written with ASCII or full-width brackets
//! and dots. [`parse_label`] recognises one at the start of a paragraph and
//! [`Label::normalised`] gives it in the form the readings use (`（一）`,
//! `1`, `一是`).

/// Value of a Chinese numeral digit.
fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// Whether `c` may stand in a Chinese numeral.
pub fn is_cn_numeral_char(c: char) -> bool {
    digit(c).is_some() || matches!(c, '十' | '拾' | '百' | '佰' | '千' | '仟' | '万' | '亿')
}

/// The value of a Chinese numeral (`十二` → 12, `两` → 2, `一百零五` → 105,
/// `三万` → 30000). `None` for anything else.
pub fn cn_value(s: &str) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0f64; // completed 万/亿 groups
    let mut section = 0f64; // below 万
    let mut num: Option<f64> = None;
    for c in s.chars() {
        if let Some(d) = digit(c) {
            num = Some(d as f64);
            continue;
        }
        let unit = match c {
            '十' | '拾' => 10.0,
            '百' | '佰' => 100.0,
            '千' | '仟' => 1000.0,
            '万' => 10_000.0,
            '亿' => 100_000_000.0,
            _ => return None,
        };
        if unit >= 10_000.0 {
            section += num.take().unwrap_or(0.0);
            if section == 0.0 {
                section = 1.0;
            }
            total = (total + section) * unit;
            section = 0.0;
        } else {
            section += num.take().unwrap_or(1.0) * unit;
        }
    }
    Some(total + section + num.unwrap_or(0.0))
}

/// A Chinese numeral for `n` (1 → 一, 10 → 十, 21 → 二十一), as labels print it.
pub fn cn_numeral(n: u32) -> String {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { String::new() } else { D[(n - 10) as usize].to_string() }),
        20..=99 => {
            format!(
                "{}十{}",
                D[(n / 10) as usize],
                if n.is_multiple_of(10) { String::new() } else { D[(n % 10) as usize].to_string() }
            )
        }
        _ => n.to_string(),
    }
}

/// The numbering styles, outermost first as plans usually nest them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// 第一章 / 第一部分 / 第一篇.
    Chapter,
    /// 第一节.
    Part,
    /// 一、
    Cn,
    /// （一）
    CnParen,
    /// 1. / 1、
    Num,
    /// （1）
    NumParen,
    /// ①
    Circled,
    /// 一是 … 二是 (inline items).
    Shi,
}

/// A numbering label at the start of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Its style.
    pub style: Style,
    /// Its ordinal (一 → 1).
    pub n: u32,
    /// Characters the label takes, including its punctuation and the blanks
    /// after it.
    pub len: usize,
    /// The label as printed, punctuation included, blanks excluded.
    pub printed: String,
}

impl Label {
    /// The label as the readings write it: brackets full-width, trailing
    /// `、` or `.` dropped (`（一）`, `1`, `一`, `一是`).
    pub fn normalised(&self) -> String {
        match self.style {
            Style::Cn => cn_numeral(self.n),
            Style::CnParen => format!("（{}）", cn_numeral(self.n)),
            Style::Num => self.n.to_string(),
            Style::NumParen => format!("（{}）", self.n),
            Style::Circled => self.printed.clone(),
            Style::Shi => format!("{}是", cn_numeral(self.n)),
            Style::Chapter | Style::Part => self.printed.clone(),
        }
    }
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '（')
}

fn is_close(c: char) -> bool {
    matches!(c, ')' | '）')
}

/// Recognises a numbering label at the start of `s` (leading blanks allowed
/// and counted in `len`).
pub fn parse_label(s: &str) -> Option<Label> {
    let chars: Vec<char> = s.chars().take(16).collect();
    let lead = chars.iter().take_while(|&&c| crate::source::is_blank(c)).count();
    let c = &chars[lead..];
    let first = *c.first()?;
    let (style, n, used) = if is_open(first) {
        // （一） or （1）
        let raw: String = c[1..].iter().take_while(|&&ch| !is_close(ch)).collect();
        let k = raw.chars().count();
        // "（ 一 ）": blanks inside the brackets are allowed.
        let inner: String = raw.chars().filter(|&ch| !crate::source::is_blank(ch)).collect();
        if inner.is_empty() || inner.chars().count() > 3 || k > 5 || c.len() <= 1 + k || !is_close(c[1 + k]) {
            return None;
        }
        if let Ok(n) = inner.parse::<u32>() {
            (Style::NumParen, n, k + 2)
        } else if inner.chars().all(|ch| digit(ch).is_some() || ch == '十') {
            (Style::CnParen, cn_value(&inner)? as u32, k + 2)
        } else if let Some(n) = fullwidth_digits(&inner) {
            (Style::NumParen, n, k + 2)
        } else {
            return None;
        }
    } else if ('①'..='⑳').contains(&first) {
        (Style::Circled, first as u32 - '①' as u32 + 1, 1)
    } else if first == '第' {
        let num: String = c[1..].iter().take_while(|&&ch| digit(ch).is_some() || ch == '十').collect();
        let k = num.chars().count();
        let kind = c.get(1 + k).copied()?;
        if k == 0 || !matches!(kind, '章' | '部' | '篇' | '节') {
            return None;
        }
        let extra = if kind == '部' && c.get(2 + k) == Some(&'分') { 1 } else { 0 };
        let style = if kind == '节' { Style::Part } else { Style::Chapter };
        (style, cn_value(&num)? as u32, k + 2 + extra)
    } else if first.is_ascii_digit() || ('０'..='９').contains(&first) {
        let digits: String = c.iter().take_while(|ch| ch.is_ascii_digit() || ('０'..='９').contains(*ch)).collect();
        let k = digits.chars().count();
        let punct = c.get(k).copied()?;
        if k > 3 || !matches!(punct, '.' | '．' | '、' | ')' | '）') {
            return None;
        }
        // "1.5亿" is a number, not a label.
        if c.get(k + 1).is_some_and(|ch| ch.is_ascii_digit() || ('０'..='９').contains(ch)) {
            return None;
        }
        // "1）" is the bracketed style with its opening bracket left out.
        let style = if is_close(punct) { Style::NumParen } else { Style::Num };
        (style, fullwidth_digits(&digits)?, k + 1)
    } else if digit(first).is_some() || first == '十' {
        let num: String = c.iter().take_while(|&&ch| digit(ch).is_some() || ch == '十').collect();
        let k = num.chars().count();
        let punct = c.get(k).copied()?;
        if k > 3 {
            return None;
        }
        if matches!(punct, '、' | '．' | '.') {
            (Style::Cn, cn_value(&num)? as u32, k + 1)
        } else if crate::source::is_blank(punct) && k <= 2 && is_short_heading(&c[k..]) {
            // "三 保障措施": a heading whose numeral is set off by a blank
            // (a typed space, or a tab after Word's own numbering) instead of 、.
            (Style::Cn, cn_value(&num)? as u32, k)
        } else if punct == '是' && k <= 2 {
            (Style::Shi, cn_value(&num)? as u32, k + 1)
        } else {
            return None;
        }
    } else {
        return None;
    };
    if n == 0 {
        return None;
    }
    let printed: String = c[..used].iter().collect();
    let trail = c[used..].iter().take_while(|&&ch| crate::source::is_blank(ch)).count();
    Some(Label { style, n, len: lead + used + trail, printed })
}

/// Whether the words after a numeral and its blanks make a heading: a few
/// words (the 16 characters looked at hold all of them), starting with a
/// Chinese character, with no sentence punctuation — not "三 年内建成…" run on.
fn is_short_heading(rest: &[char]) -> bool {
    let words: Vec<char> = rest.iter().copied().skip_while(|&c| crate::source::is_blank(c)).collect();
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    words.first().is_some_and(|&c| cjk(c))
        && (2..=12).contains(&words.len())
        && rest.len() < 15
        && !words.iter().any(|c| "。，；：,;:、0123456789０１２３４５６７８９".contains(*c))
}

/// `１２` or `12` → 12.
fn fullwidth_digits(s: &str) -> Option<u32> {
    let mut n = 0u32;
    for c in s.chars() {
        let d = if c.is_ascii_digit() {
            c as u32 - '0' as u32
        } else if ('０'..='９').contains(&c) {
            c as u32 - '０' as u32
        } else {
            return None;
        };
        n = n.checked_mul(10)?.checked_add(d)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_have_values() {
        for (s, v) in
            [("十二", 12.0), ("两", 2.0), ("一百零五", 105.0), ("三万", 30000.0), ("二十", 20.0), ("十", 10.0)]
        {
            assert_eq!(cn_value(s), Some(v), "{s}");
        }
        assert_eq!(cn_value("大"), None);
    }

    #[test]
    fn labels_of_every_style_are_normalised() {
        let cases = [
            ("一、总体要求", "一"),
            ("（一）围绕", "（一）"),
            ("(二)加快", "（二）"),
            ("1.加快", "1"),
            ("12、推进", "12"),
            ("５．提升", "5"),
            ("（1）推进", "（1）"),
            ("(12)推进", "（12）"),
            ("①建设", "①"),
            ("一是推广", "一是"),
            ("第二章 发展目标", "第二章"),
            ("第三节　医疗", "第三节"),
            ("十一、保障", "十一"),
            ("（ 二 ）加快", "（二）"),
            ("3）推进", "（3）"),
            ("128. 建设", "128"),
            ("三 保障措施", "三"),
            ("四　组织实施", "四"),
            ("五\t保障措施", "五"),
        ];
        for (s, want) in cases {
            assert_eq!(parse_label(s).map(|l| l.normalised()).as_deref(), Some(want), "{s}");
        }
    }

    #[test]
    fn numbers_and_words_are_not_labels() {
        for s in [
            "2017 年全州",
            "1.5亿元",
            "一批项目",
            "（此件公开发布）",
            "一刻钟",
            "(CRO)",
            "三 年内建成一批区域医疗中心和康养基地，打造",
            "两 个",
            "三 2025",
        ] {
            assert_eq!(parse_label(s), None, "{s}");
        }
    }

    #[test]
    fn label_length_covers_blanks_after_it() {
        let l = parse_label("　　5. 提升").expect("label");
        assert_eq!((l.len, l.printed.as_str()), (5, "5."));
    }
}
