//! The plan's meta: title, 文号, issuer, signing date, region, years.
//!
//! A plan often comes inside a covering notice ("关于印发《…》的通知"): the
//! title is then the one in 《》, the 文号 stands on a line of its own, and the
//! issuer stands over the signing date. Without a notice the title is the
//! first line naming a plan, and the region is the one the title opens with.

use crate::reading::Meta;
use crate::source::squash;
use regex::Regex;
use std::sync::LazyLock;

/// Words that end a plan's title.
const PLAN_WORDS: [&str; 12] =
    ["规划", "计划", "方案", "要点", "意见", "纲要", "措施", "办法", "实施细则", "行动", "工程", "安排"];

static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\u{4e00}-\u{9fff}A-Za-z]{1,24}\s*[〔\[［(（【]\s*[0-9]{4}\s*[〕\]］)）】]\s*[0-9]{1,4}\s*号$")
        .expect("regex")
});
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日$").expect("regex"));
static CN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
        .expect("regex")
});
static TITLE_IN_NOTICE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"《([^《》]{4,80})》").expect("regex"));
static NOTICE_HEADLINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"关于(?:印发|转发|下发)(.{4,80}?)的通知").expect("regex"));
static ISSUER_AND_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.{2,40}?)\s*([0-9]{4}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日)$").expect("regex"));
static YEAR_RANGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([0-9]{4})\s*[—–\-－~～至到]+\s*([0-9]{4})\s*年").expect("regex"));
static ONE_YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([0-9]{4})\s*年").expect("regex"));
static BASE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:基期年?|基准年)\s*(?:为|是)?\s*([0-9]{4})\s*年|以\s*([0-9]{4})\s*年为基[期准]").expect("regex")
});
static TARGET_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:目标年|规划期末|目标年份)\s*(?:为|是)?\s*([0-9]{4})\s*年").expect("regex"));
static REGION_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[\u{4e00}-\u{9fff}]{1,8}?(?:省|自治区|特别行政区))?(?:[\u{4e00}-\u{9fff}]{1,8}?(?:市|自治州|州|盟|地区))?(?:[\u{4e00}-\u{9fff}]{1,8}?(?:自治县|县|区|旗|市))?")
        .expect("regex")
});

fn has_plan_word(s: &str) -> bool {
    let t = s.trim_end_matches(|c: char| {
        matches!(c, '）' | ')' | '年' | '》') || c.is_ascii_digit() || matches!(c, '—' | '-' | '（' | '(')
    });
    PLAN_WORDS.iter().any(|w| t.ends_with(w))
        || PLAN_WORDS.iter().any(|w| s.contains(&format!("{w}（")) || s.contains(&format!("{w}(")))
}

/// Reads the meta from the document's paragraphs (text of each, in order).
/// Returns it and the index of the paragraph where the plan itself starts.
pub fn read(paras: &[&str], full_text: &str) -> (Meta, usize) {
    read_with(paras, &[], full_text)
}

/// Keys of the metadata a government web page prints above an article
/// (索引号 | 发文机关 | 成文日期 | 发文字号 …), in a table or as lines.
const LABELLED: [(&str, Field); 6] = [
    ("发文字号", Field::DocNumber),
    ("文号", Field::DocNumber),
    ("发文机关", Field::Issuer),
    ("发布机构", Field::Issuer),
    ("成文日期", Field::IssuedOn),
    ("印发日期", Field::IssuedOn),
];

/// Whether `key` (without its colon) names one of the metadata fields read.
pub fn is_label_key(key: &str) -> bool {
    LABELLED.iter().any(|(k, _)| *k == key)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    DocNumber,
    Issuer,
    IssuedOn,
}

/// The value of a labelled line ("发文字号：黔府办发〔2021〕3号").
fn labelled(lines: &[String], field: Field) -> Option<String> {
    lines.iter().find_map(|l| {
        let sq = squash(l);
        LABELLED.iter().filter(|(_, f)| *f == field).find_map(|(key, _)| {
            let rest = sq.strip_prefix(key)?.trim_start_matches([':', '：']);
            (!rest.is_empty()).then(|| rest.to_string())
        })
    })
}

/// An ISO date from "2017年6月28日" or "二〇一七年六月二十八日".
fn iso_date(sq: &str) -> Option<String> {
    if let Some(c) = DATE.captures(sq) {
        return Some(format!("{}-{:02}-{:02}", &c[1], c[2].parse::<u32>().ok()?, c[3].parse::<u32>().ok()?));
    }
    let c = CN_DATE.captures(sq)?;
    let y: String = c[1]
        .chars()
        .filter_map(|ch| crate::numerals::cn_value(&ch.to_string()))
        .map(|d| char::from_digit(d as u32, 10).unwrap_or('0'))
        .collect();
    let mo = crate::numerals::cn_value(&c[2])?;
    let d = crate::numerals::cn_value(&c[3])?;
    Some(format!("{y}-{:02}-{:02}", mo as u32, d as u32))
}

/// Like [`read`], with labelled lines (`"发文字号：…"`) taken from a web
/// page's metadata table; these win over what the text suggests.
pub fn read_with(paras: &[&str], labelled_lines: &[String], full_text: &str) -> (Meta, usize) {
    let mut m = Meta::default();
    let head = &paras[..paras.len().min(40)];
    m.doc_number = head.iter().map(|p| squash(p)).find(|p| DOC_NUMBER.is_match(p));
    // The signing date under the issuer.
    for (i, p) in head.iter().enumerate() {
        let sq = squash(p);
        let Some(date) = iso_date(&sq) else {
            // "某市人民政府办公室 2021年3月5日" on one line.
            if let Some(c) = ISSUER_AND_DATE.captures(p.trim())
                && is_issuer(&squash(&c[1]))
                && let Some(d) = iso_date(&squash(&c[2]))
            {
                m.issuer = Some(squash(&c[1]));
                m.issued_on = Some(d);
                break;
            }
            continue;
        };
        if let Some(issuer) = i.checked_sub(1).map(|k| squash(head[k])).filter(|s| is_issuer(s)) {
            m.issuer = Some(issuer);
            m.issued_on = Some(date);
            break;
        }
    }
    if let Some(n) = labelled(labelled_lines, Field::DocNumber).filter(|n| DOC_NUMBER.is_match(n)) {
        m.doc_number = Some(n);
    }
    if let Some(i) = labelled(labelled_lines, Field::Issuer) {
        m.issuer = Some(i);
    }
    if let Some(d) = labelled(labelled_lines, Field::IssuedOn).and_then(|d| iso_date(&d).or_else(|| dashed_date(&d))) {
        m.issued_on = Some(d);
    }
    // The title: in 《》 of a notice that 印发 it, else the first plan-like line.
    let notice_title = head.iter().take(25).find_map(|p| {
        if !(p.contains("印发") || p.contains("通知") || p.contains("同意")) {
            return None;
        }
        TITLE_IN_NOTICE.captures_iter(p).map(|c| c[1].to_string()).find(|t| has_plan_word(t))
    });
    // "关于印发某市…行动计划的通知", its headline perhaps broken over lines.
    let notice_title = notice_title.or_else(|| {
        let headline: String = head.iter().take(12).map(|p| squash(p)).collect();
        NOTICE_HEADLINE
            .captures(&headline)
            .map(|c| c[1].trim_matches(['《', '》']).to_string())
            .filter(|t| has_plan_word(t))
    });
    let mut body_start = 0;
    if let Some(t) = notice_title {
        // The plan starts where its title is printed again.
        let want = squash(&t);
        for i in 0..paras.len().min(60) {
            let mut acc = String::new();
            for p in &paras[i..paras.len().min(i + 4)] {
                acc.push_str(&squash(p));
                if acc == want {
                    body_start = i;
                    break;
                }
                if !want.starts_with(&acc) {
                    break;
                }
            }
            if body_start > 0 {
                break;
            }
        }
        m.title = Some(t);
    } else {
        for (i, p) in head.iter().enumerate().take(20) {
            let sq = squash(p);
            // Not a title: too long, an annex label, a numbered item, or a
            // labelled line such as a web page's "当前位置：首页>…" breadcrumb.
            if sq.chars().count() > 60
                || sq.starts_with("附件")
                || crate::numerals::parse_label(p).is_some()
                || sq.contains(['：', ':', '>', '|'])
            {
                continue;
            }
            if has_plan_word(&sq) && !sq.contains('。') {
                m.title = Some(sq.trim_start_matches('《').trim_end_matches('》').to_string());
                body_start = i;
                break;
            }
            // A title broken over two lines.
            if let Some(next) = head.get(i + 1) {
                let joined = format!("{sq}{}", squash(next));
                if joined.chars().count() <= 60
                    && has_plan_word(&joined)
                    && !joined.contains('。')
                    && crate::numerals::parse_label(next).is_none()
                {
                    m.title = Some(joined);
                    body_start = i;
                    break;
                }
            }
        }
    }
    m.region = m.issuer.as_deref().and_then(region_of_issuer).or_else(|| m.title.as_deref().and_then(region_of_title));
    // Years: stated explicitly, else from the title.
    let text_head: String = full_text.chars().take(20_000).collect();
    m.base_year =
        BASE_YEAR.captures(&text_head).and_then(|c| c.get(1).or(c.get(2))).and_then(|y| y.as_str().parse().ok());
    m.target_year = TARGET_YEAR.captures(&text_head).and_then(|c| c[1].parse().ok());
    if let Some(t) = &m.title {
        if let Some(c) = YEAR_RANGE.captures(t) {
            m.base_year = m.base_year.or(c[1].parse().ok());
            m.target_year = m.target_year.or(c[2].parse().ok());
        } else if let Some(c) = ONE_YEAR.captures(t) {
            m.target_year = m.target_year.or(c[1].parse().ok());
        }
    }
    (m, body_start)
}

/// "2021-03-05" or "2021-3-5" → "2021-03-05".
fn dashed_date(s: &str) -> Option<String> {
    let mut it = s.split(['-', '/', '.']);
    let (y, mo, d) =
        (it.next()?.parse::<u32>().ok()?, it.next()?.parse::<u32>().ok()?, it.next()?.parse::<u32>().ok()?);
    (it.next().is_none() && (1949..=2100).contains(&y)).then(|| format!("{y}-{mo:02}-{d:02}"))
}

/// An issuer line: short, ending like a government body.
fn is_issuer(s: &str) -> bool {
    let n = s.chars().count();
    (2..=40).contains(&n)
        && !s.contains('：')
        && !s.contains(':')
        && ["政府", "办公室", "办公厅", "委员会", "领导小组", "指挥部", "局", "委", "厅", "部", "中心", "办"]
            .iter()
            .any(|w| s.ends_with(w))
}

/// "黔东南州人民政府办公室" → "黔东南州".
fn region_of_issuer(s: &str) -> Option<String> {
    for suffix in
        ["人民政府办公室", "人民政府办公厅", "人民政府", "行政公署", "党委办公室", "委员会", "办公室", "办公厅"]
    {
        if let Some(r) = s.strip_suffix(suffix)
            && !r.is_empty()
        {
            return Some(r.to_string());
        }
    }
    region_of_title(s)
}

/// The region a title opens with ("河北省“大健康…" → "河北省").
fn region_of_title(s: &str) -> Option<String> {
    let m = REGION_PREFIX.find(s)?;
    let mut r = m.as_str().to_string();
    // "永州市": the lazy match stops at 州; a level word right after continues it.
    for c in s[m.end()..].chars() {
        if matches!(c, '市' | '州' | '县' | '区' | '省') {
            r.push(c);
        } else {
            break;
        }
    }
    (!r.is_empty()).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_gives_title_number_issuer_and_date() {
        let paras = [
            "州人民政府办公室关于印发《黔东南州2017年大健康产业发展工作要点》的通知",
            "发布时间: 2017-07-03 09:24:42",
            "黔东南府办发〔2017〕27号",
            "《黔东南州2017年大健康产业发展工作要点》已经州人民政府同意，现予以印发。",
            "黔东南州人民政府办公室",
            "2017年6月28日",
            "黔东南州2017年大健康产业发展工作要点",
            "一、总体要求",
        ];
        let (m, start) = read(&paras, &paras.join("\n"));
        assert_eq!(m.title.as_deref(), Some("黔东南州2017年大健康产业发展工作要点"));
        assert_eq!(m.doc_number.as_deref(), Some("黔东南府办发〔2017〕27号"));
        assert_eq!(m.issuer.as_deref(), Some("黔东南州人民政府办公室"));
        assert_eq!(m.issued_on.as_deref(), Some("2017-06-28"));
        assert_eq!(m.region.as_deref(), Some("黔东南州"));
        assert_eq!((m.base_year, m.target_year), (None, Some(2017)));
        assert_eq!(start, 6);
    }

    #[test]
    fn plain_plan_takes_title_region_and_years_from_its_first_line() {
        let paras = ["河北省“大健康、新医疗”产业发展规划（2016—2020年）", "一、发展目标"];
        let (m, _) = read(&paras, "");
        assert_eq!(m.region.as_deref(), Some("河北省"));
        assert_eq!((m.base_year, m.target_year), (Some(2016), Some(2020)));
        assert_eq!(m.doc_number, None);
    }

    #[test]
    fn headline_without_book_marks_and_issuer_with_date_on_one_line() {
        let paras = [
            "某市人民政府办公室关于印发某市大健康产业发展",
            "三年行动计划（2021—2023年）的通知",
            "某府办发〔2021〕3号",
            "某市人民政府办公室　2021年3月5日",
        ];
        let (m, _) = read(&paras, "");
        assert_eq!(m.title.as_deref(), Some("某市大健康产业发展三年行动计划（2021—2023年）"));
        assert_eq!(m.issuer.as_deref(), Some("某市人民政府办公室"));
        assert_eq!(m.issued_on.as_deref(), Some("2021-03-05"));
        assert_eq!((m.base_year, m.target_year), (Some(2021), Some(2023)));
    }

    #[test]
    fn a_web_page_metadata_table_wins() {
        let paras = ["某县健康产业行动方案", "一、目标"];
        let lines = [
            "发文机关：某县人民政府办公室".to_string(),
            "成文日期：2022-4-1".to_string(),
            "发文字号：某府办发〔2022〕5号".to_string(),
            "发布日期：2022-04-08".to_string(),
        ];
        let (m, _) = read_with(&paras, &lines, "");
        assert_eq!(m.doc_number.as_deref(), Some("某府办发〔2022〕5号"));
        assert_eq!(m.issuer.as_deref(), Some("某县人民政府办公室"));
        assert_eq!(m.issued_on.as_deref(), Some("2022-04-01"));
        assert_eq!(m.region.as_deref(), Some("某县"));
    }

    #[test]
    fn a_title_in_book_marks_and_a_breadcrumb_above_it() {
        let paras = ["当前位置：首页 > 政策文件", "《某市健康产业规划》", "一、目标"];
        assert_eq!(read(&paras, "").0.title.as_deref(), Some("某市健康产业规划"));
    }

    #[test]
    fn doc_numbers_in_running_text_are_not_the_plans() {
        let paras = ["根据《意见》（国发〔2013〕40号），制定本规划。"];
        assert_eq!(read(&paras, "").0.doc_number, None);
    }
}
