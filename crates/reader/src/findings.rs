//! Checks a careful reader makes: the body against its division table,
//! items that look duplicated, and unit names that look mistyped or that name
//! one unit in two forms. (Totals of project tables are checked in
//! [`crate::projects`].)

use crate::division::TableSection;
use crate::outline::Outline;
use crate::reading::{Finding, Project, Target, Task};
use crate::source::{Span, Text, is_blank};
use std::collections::HashMap;

/// Character bigrams of a text (blanks and punctuation left out), packed
/// into integers and sorted, so that two texts compare by a merge.
type Grams = Vec<u64>;

fn bigrams(s: &str) -> Grams {
    let v: Vec<char> = s.chars().filter(|c| !is_blank(*c) && !is_punct(*c)).collect();
    let mut g: Grams = v.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect();
    g.sort_unstable();
    g
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '；' | '：' | '（' | '）' | '(' | ')' | ',' | ';' | ':' | '“' | '”' | '《' | '》' | '.'
    )
}

/// Share of `a`'s bigrams that `b` holds too (1.0: all of `a` is in `b`).
fn containment(a: &Grams, b: &Grams) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / a.len() as f64
}

/// The number of bigrams `a` and `b` share, when it is at least `needed`;
/// stops as soon as what is left cannot reach it.
fn common_at_least(a: &Grams, b: &Grams, needed: usize) -> Option<usize> {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        if common + (a.len() - i).min(b.len() - j) < needed {
            return None;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (common >= needed).then_some(common)
}

/// A task's words without its numbering label.
fn body_words(t: &Task) -> String {
    let s = t.text.trim_start_matches(is_blank);
    match crate::numerals::parse_label(s) {
        Some(l) => s.chars().skip(l.len).collect(),
        None => s.to_string(),
    }
}

fn path_str(p: &[String]) -> String {
    p.join("/")
}

/// The sentences of a text with their offsets (characters).
fn sentences(s: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    for (i, c) in s.chars().enumerate() {
        if cur.is_empty() {
            start = i;
        }
        cur.push(c);
        if matches!(c, '。' | '；' | ';' | '\n') {
            out.push((start, std::mem::take(&mut cur)));
        }
    }
    if !cur.trim().is_empty() {
        out.push((start, cur));
    }
    out
}

/// Runs of ASCII digits in a text, with the character offset of each.
fn numbers_at(s: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut at = 0;
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_digit() {
            if cur.is_empty() {
                at = i;
            }
            cur.push(c);
        } else if !cur.is_empty() {
            out.push((std::mem::take(&mut cur), at));
        }
    }
    if !cur.is_empty() {
        out.push((cur, at));
    }
    out
}

/// Where two nearly equal sentences differ by a few words ("博望气体" /
/// "博望氧气"): the differing words of each with a little context. `None`
/// when they say the same (punctuation and blanks aside) or differ too much
/// to be one edit.
fn wording_difference(a: &str, b: &str) -> Option<(String, String)> {
    let (x, y): (Vec<char>, Vec<char>) = (bare_words(a).chars().collect(), bare_words(b).chars().collect());
    if x == y {
        return None;
    }
    let pre = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let suf = x[pre..].iter().rev().zip(y[pre..].iter().rev()).take_while(|(p, q)| p == q).count();
    let (dx, dy) = (x.len() - pre - suf, y.len() - pre - suf);
    if dx.max(dy) > 12 || dx + dy == 0 {
        return None;
    }
    let show = |v: &[char], d: usize| {
        let from = pre.saturating_sub(6);
        let to = (pre + d + 6).min(v.len());
        let mut t: String = v[from..to].iter().collect();
        if from > 0 {
            t.insert(0, '…');
        }
        if to < v.len() {
            t.push('…');
        }
        t
    };
    Some((show(&x, dx), show(&y, dy)))
}

/// The words around character `at` of `s`.
fn excerpt(s: &str, at: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let from = at.saturating_sub(12);
    let to = (at + 12).min(chars.len());
    let mut e: String = chars[from..to].iter().collect::<String>().trim_matches(is_blank).to_string();
    if from > 0 {
        e.insert(0, '…');
    }
    if to < chars.len() {
        e.push('…');
    }
    e
}

/// Runs of ASCII digits in a text.
fn numbers(s: &str) -> Vec<String> {
    numbers_at(s).into_iter().map(|(n, _)| n).collect()
}

/// Compares the body's tasks with the division table that replaces them:
/// numbers that differ, items numbered or titled differently, and items
/// found in one but not the other.
pub fn compare_with_annex(
    text: &Text,
    outline: &Outline,
    body: &[Task],
    table: &[Task],
    sections: &[TableSection],
) -> Vec<Finding> {
    let mut out = Vec::new();
    if body.len().saturating_mul(table.len()) > MAX_COMPARED * MAX_COMPARED {
        return out;
    }
    let body_grams: Vec<_> = body.iter().map(|t| bigrams(&body_words(t))).collect();
    let mut matched_body = vec![false; body.len()];
    // Each body item's sentences with their offsets and bigrams, made when first needed.
    let mut body_sentences: Vec<Option<Vec<(usize, Grams, String)>>> = vec![None; body.len()];
    let mut title_reported: Vec<String> = Vec::new();
    for t in table {
        let g = bigrams(&body_words(t));
        let best =
            body_grams.iter().enumerate().map(|(i, b)| (i, containment(&g, b))).max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((bi, score)) = best else { continue };
        if score < 0.45 {
            out.push(Finding {
                code: "annex_only_item".into(),
                message: format!("分工表第 {} 项“{}”在正文中找不到对应内容。", path_str(&t.path), short(&t.text)),
                spans: vec![t.span],
            });
            continue;
        }
        matched_body[bi] = true;
        let b = &body[bi];
        // Numbering: the table's item number against the body's.
        let t_item = t.path.iter().rev().find(|l| l.chars().all(|c| c.is_ascii_digit())).cloned();
        let b_item = b.path.iter().rev().find(|l| l.chars().all(|c| c.is_ascii_digit())).cloned();
        if let (Some(ti), Some(bitem)) = (&t_item, &b_item)
            && ti != bitem
        {
            out.push(Finding {
                code: "annex_structure_mismatch".into(),
                message: format!(
                    "分工表第 {} 项的内容在正文中属于第 {} 项（{}），编号不一致或重复列出。",
                    path_str(&t.path),
                    bitem,
                    b.title
                ),
                spans: vec![t.span, b.span],
            });
        } else if !t.title.is_empty()
            && !b.title.is_empty()
            && bare_words(&t.title) != bare_words(&b.title)
            && !title_reported.contains(&b.title)
        {
            title_reported.push(b.title.clone());
            out.push(Finding {
                code: "annex_title_mismatch".into(),
                message: format!(
                    "正文第 {} 项标题为“{}”，分工表第 {} 项为“{}”。",
                    path_str(&b.path),
                    b.title,
                    path_str(&t.path),
                    t.title
                ),
                spans: vec![b.span, t.span],
            });
        }
        // Numbers: the most similar sentence of the body for each sentence of the row.
        let b_sentences = body_sentences[bi].get_or_insert_with(|| {
            let b_words = body_words(b);
            let b_off = b.text.chars().count() - b_words.chars().count();
            sentences(&b_words).into_iter().map(|(o, s)| (o + b_off, bigrams(&s), s)).collect()
        });
        let t_words = body_words(t);
        let t_off = t.text.chars().count() - t_words.chars().count();
        for (off, s) in sentences(&t_words) {
            let off = off + t_off;
            let t_nums = numbers(&s);
            let sg = bigrams(&s);
            let best = b_sentences
                .iter()
                .map(|(bo, bg, bs)| (bo, bs, containment(&sg, bg)))
                .max_by(|a, b| a.2.total_cmp(&b.2));
            let Some((boff, bs, sim)) = best else { continue };
            let b_nums = numbers(bs);
            // What differs, as the body and the table print it.
            let differs = if sim >= 0.6 && !t_nums.is_empty() && t_nums != b_nums {
                // Point at the first number that differs.
                let (tn, bn) = (numbers_at(&s), numbers_at(bs));
                let k = tn.iter().zip(&bn).position(|(x, y)| x.0 != y.0).unwrap_or(tn.len().min(bn.len()));
                let t_at = tn.get(k).or(tn.last()).map_or(0, |x| x.1);
                let b_at = bn.get(k).or(bn.last()).map_or(0, |x| x.1);
                Some(("annex_number_mismatch", "数字", excerpt(bs, b_at), excerpt(&s, t_at)))
            } else if sim >= 0.75 {
                wording_difference(bs, &s).map(|(bw, tw)| ("annex_wording_mismatch", "措辞", bw, tw))
            } else {
                None
            };
            if let Some((code, what, bw, tw)) = differs {
                let ts = Span::new(t.span.start + off, t.span.start + off + s.chars().count());
                let bspan = Span::new(b.span.start + boff, b.span.start + boff + bs.chars().count());
                out.push(Finding {
                    code: code.into(),
                    message: format!(
                        "正文与分工表{what}不一致：正文第 {} 项写“{bw}”，分工表第 {} 项写“{tw}”。",
                        path_str(&b.path),
                        path_str(&t.path),
                    ),
                    spans: vec![bspan, ts],
                });
            }
        }
    }
    for (i, b) in body.iter().enumerate() {
        if !matched_body[i] {
            out.push(Finding {
                code: "text_only_item".into(),
                message: format!(
                    "正文第 {} 项“{}”在分工表中没有对应的任务，未分配责任单位。",
                    path_str(&b.path),
                    b.title
                ),
                spans: vec![b.span],
            });
        }
    }
    // Sections: the same heading under another number.
    for s in sections {
        for n in &outline.nodes {
            if bare_words(&n.title) == bare_words(&s.title) && n.label.n != s.n {
                out.push(Finding {
                    code: "annex_structure_mismatch".into(),
                    message: format!("“{}”在正文中编号为“{}”，在分工表中为“{}”。", s.title, n.label.printed, s.label),
                    spans: vec![Span::new(n.span.start, n.body_start + n.title.chars().count()), s.span],
                });
            }
        }
    }
    let _ = text;
    out
}

/// Gives body tasks without units those of the most similar table row.
pub fn units_from_table(body: &mut [Task], table: &[Task]) {
    let table_grams: Vec<_> = table.iter().map(|t| bigrams(&body_words(t))).collect();
    for t in body.iter_mut().filter(|t| t.lead.is_empty() && t.responsible.is_empty()) {
        let g = bigrams(&body_words(t));
        let best =
            table_grams.iter().enumerate().map(|(i, b)| (i, containment(b, &g))).max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, score)) = best
            && score >= 0.6
        {
            t.lead = table[i].lead.clone();
            t.responsible = table[i].responsible.clone();
        }
    }
}

/// Links each target without a task to the task whose words hold its quote
/// most fully (at least 60 % of the quote's bigrams).
pub fn link_by_words(targets: &mut [Target], tasks: &[Task]) {
    let grams: Vec<Grams> = tasks.iter().map(|t| bigrams(&t.text)).collect();
    for t in targets.iter_mut().filter(|t| t.task.is_none()) {
        let q = bigrams(&t.quote);
        let best = grams.iter().enumerate().map(|(i, g)| (i, containment(&q, g))).max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, score)) = best
            && score >= 0.6
        {
            t.task = Some(i);
        }
    }
}

/// A text without blanks or punctuation, for comparing wordings.
fn bare_words(s: &str) -> String {
    s.chars().filter(|c| !is_blank(*c) && !is_punct(*c)).collect()
}

fn short(s: &str) -> String {
    let t: String = s.trim_matches(is_blank).chars().take(40).collect();
    if s.trim_matches(is_blank).chars().count() > 40 { format!("{t}…") } else { t }
}

/// The most items compared pairwise for duplicates (pairs grow as the square).
pub const MAX_COMPARED: usize = 3_000;

/// Tasks or projects whose content is (nearly) the same.
pub fn duplicates(tasks: &[Task], projects: &[Project]) -> Vec<Finding> {
    let mut out = Vec::new();
    if tasks.len() > MAX_COMPARED || projects.len() > MAX_COMPARED {
        out.push(Finding {
            code: "not_checked".into(),
            message: format!("任务或项目超过 {MAX_COMPARED} 项，未做重复检查。"),
            spans: vec![],
        });
        return out;
    }
    let words: Vec<String> = tasks.iter().map(body_words).collect();
    let lens: Vec<usize> = words.iter().map(|w| w.chars().count()).collect();
    let grams: Vec<_> = words.iter().map(|w| bigrams(w)).collect();
    for i in 0..tasks.len() {
        for j in i + 1..tasks.len() {
            let (a, b) = (lens[i], lens[j]);
            if a.min(b) < 15 || a.min(b) * 10 < a.max(b) * 7 {
                continue;
            }
            // The smaller of the two containments is the shared bigrams over
            // the larger set: it cannot reach 0.85 when the sets' sizes are
            // further apart than that.
            let (ga, gb) = (grams[i].len(), grams[j].len());
            if (ga.min(gb) as f64) < 0.85 * ga.max(gb) as f64 {
                continue;
            }
            let needed = (0.85 * ga.max(gb) as f64).ceil() as usize;
            let Some(common) = common_at_least(&grams[i], &grams[j], needed) else { continue };
            let sim = common as f64 / ga.max(gb) as f64;
            {
                out.push(Finding {
                    code: "duplicate_item".into(),
                    message: format!(
                        "任务 {} 与 {} 内容几乎相同（相似度 {:.0}%），疑似重复。",
                        path_str(&tasks[i].path),
                        path_str(&tasks[j].path),
                        sim * 100.0
                    ),
                    spans: vec![tasks[i].span, tasks[j].span],
                });
            }
        }
    }
    out.extend(duplicate_projects(projects));
    out
}

/// Projects with the same name, or whose content is (nearly) the same with
/// no figure of its own: one finding for each group of them.
fn duplicate_projects(projects: &[Project]) -> Vec<Finding> {
    let contents: Vec<String> = projects.iter().map(|p| p.content.clone().unwrap_or_default()).collect();
    let grams: Vec<_> = contents.iter().map(|c| bigrams(c)).collect();
    let nums: Vec<Vec<String>> = contents.iter().map(|c| numbers(c)).collect();
    let mut group: Vec<usize> = (0..projects.len()).collect();
    let find = |g: &Vec<usize>, mut i: usize| {
        while g[i] != i {
            i = g[i];
        }
        i
    };
    for i in 0..projects.len() {
        for j in i + 1..projects.len() {
            let same_name = bare_words(&projects[i].name) == bare_words(&projects[j].name);
            let (a, b) = (contents[i].chars().count(), contents[j].chars().count());
            let (s, l) = if a <= b { (i, j) } else { (j, i) };
            let similar = a.min(b) >= 20
                && containment(&grams[s], &grams[l]) >= 0.85
                && nums[s].iter().all(|n| nums[l].contains(n));
            if same_name || similar {
                let (ri, rj) = (find(&group, i), find(&group, j));
                group[rj.max(ri)] = ri.min(rj);
            }
        }
    }
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    for i in 0..projects.len() {
        let r = find(&group, i);
        if let Some(c) = clusters.iter_mut().find(|c| find(&group, c[0]) == r) {
            c.push(i);
        } else {
            clusters.push(vec![i]);
        }
    }
    clusters
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let names: Vec<String> = c
                .iter()
                .map(|&i| {
                    format!("{}“{}”", projects[i].seq.map(|s| s.to_string()).unwrap_or_default(), projects[i].name)
                })
                .collect();
            Finding {
                code: "duplicate_project".into(),
                message: format!("项目 {} 的名称或建设内容几乎相同，疑似重复列项，请核实。", names.join("、")),
                spans: c.iter().map(|&i| projects[i].span).collect(),
            }
        })
        .collect()
}

/// Normalises the brackets of a unit name (〔〕 <> () → （）).
fn norm_unit(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '(' | '〔' | '<' | '[' | '［' => '（',
            ')' | '〕' | '>' | ']' | '］' => '）',
            c => c,
        })
        .filter(|c| !is_blank(*c))
        .collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Whether `short`'s characters appear in `long` in order.
fn is_subsequence(short: &[char], long: &[char]) -> bool {
    let mut it = long.iter();
    short.iter().all(|c| it.any(|x| x == c))
}

/// Share of characters two names have in common (as multisets).
fn char_overlap(a: &[char], b: &[char]) -> f64 {
    let mut rest = b.to_vec();
    let mut common = 0;
    for c in a {
        if let Some(k) = rest.iter().position(|x| x == c) {
            rest.swap_remove(k);
            common += 1;
        }
    }
    2.0 * common as f64 / (a.len() + b.len()).max(1) as f64
}

fn is_level_char(c: char) -> bool {
    matches!(c, '省' | '市' | '州' | '县' | '区' | '镇' | '乡')
}

/// How two unit names relate, when they look like one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    /// One unit written in two forms: a shortening (区卫健委 / 区卫生健康委) or
    /// the same characters in another order.
    TwoForms,
    /// A likely typo: the same length, one or two characters off
    /// (州卫生卫计委 / 州卫生计生委).
    NearMiss,
}

/// Whether two unit names (as printed) look like one unit, and how. Names
/// of fewer than four characters, and names at different levels
/// (省… / 市…), are never alike.
pub fn unit_likeness(a: &str, b: &str) -> Option<Likeness> {
    let (a, b) = (norm_unit(a), norm_unit(b));
    if a == b {
        return None;
    }
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if ca.len().min(cb.len()) < 4 {
        return None;
    }
    let (short, long) = if ca.len() <= cb.len() { (&ca, &cb) } else { (&cb, &ca) };
    let same_chars = {
        let (mut x, mut y) = (ca.clone(), cb.clone());
        x.sort_unstable();
        y.sort_unstable();
        x == y
    };
    let two_forms = (long.len() > short.len()
        && long.len() - short.len() <= 4
        && short.first() == long.first()
        && short.last() == long.last()
        && is_subsequence(short, long))
        || same_chars;
    if two_forms {
        return Some(Likeness::TwoForms);
    }
    let near_miss = ca.len() == cb.len()
        && ca.len() >= 5
        && {
            let d = levenshtein(&ca, &cb);
            d >= 1 && d <= if ca.len() >= 6 { 2 } else { 1 }
        }
        && char_overlap(&ca, &cb) >= 0.8
        && !(ca[0] != cb[0] && is_level_char(ca[0]) && is_level_char(cb[0]));
    near_miss.then_some(Likeness::NearMiss)
}

/// Unit names that look like a typo of another in the same document, or
/// one unit named in two forms.
pub fn unit_names(text: &Text, tasks: &[Task], projects: &[Project]) -> Vec<Finding> {
    let mut count: HashMap<String, (String, usize)> = HashMap::new();
    let all = tasks
        .iter()
        .flat_map(|t| t.lead.iter().chain(t.responsible.iter()))
        .chain(projects.iter().flat_map(|p| p.units.iter()));
    let mut order: Vec<String> = Vec::new();
    for name in all {
        let key = norm_unit(name);
        let e = count.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            (name.clone(), 0)
        });
        e.1 += 1;
    }
    let mut out = Vec::new();
    if order.len() > MAX_COMPARED {
        return out;
    }
    for i in 0..order.len() {
        for j in i + 1..order.len() {
            let (a, b) = (&order[i], &order[j]);
            let Some(likeness) = unit_likeness(a, b) else { continue };
            let (na, nb) = (&count[a], &count[b]);
            // The rarer form is the suspect one.
            let (rare, common) = if na.1 <= nb.1 { (na, nb) } else { (nb, na) };
            let mut spans = occurrences(text, &rare.0, 5);
            spans.extend(occurrences(text, &common.0, 1));
            let (code, message) = if likeness == Likeness::TwoForms {
                (
                    "unit_two_forms",
                    format!(
                        "同一单位疑似有两种写法：“{}”（{} 处）与“{}”（{} 处），请统一。",
                        common.0, common.1, rare.0, rare.1
                    ),
                )
            } else {
                (
                    "unit_near_miss",
                    format!(
                        "单位名称“{}”（{} 处）与“{}”（{} 处）只差一两个字，疑似笔误。",
                        rare.0, rare.1, common.0, common.1
                    ),
                )
            };
            out.push(Finding { code: code.into(), message, spans });
        }
    }
    out
}

/// Up to `max` places where `needle` stands in the text.
fn occurrences(text: &Text, needle: &str, max: usize) -> Vec<Span> {
    let hay = text.as_str();
    let n = needle.chars().count();
    hay.match_indices(needle)
        .take(max)
        .map(|(b, _)| {
            let s = text.char_of_byte(b);
            Span::new(s, s + n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(path: &[&str], text: &str, lead: &[&str]) -> Task {
        Task {
            path: path.iter().map(|s| s.to_string()).collect(),
            title: String::new(),
            quote: String::new(),
            text: text.into(),
            span: Span::default(),
            lead: lead.iter().map(|s| s.to_string()).collect(),
            responsible: vec![],
            deadline: None,
            origin: "text".into(),
        }
    }

    #[test]
    fn near_miss_and_two_forms_are_found_but_other_units_are_not() {
        let text = Text::new("正阳工业园区管委会 正阳工作园区管委会 区大数据发展局 区大数据局".into());
        let tasks = vec![
            task(&["1"], "a", &["正阳工业园区管委会", "区大数据发展局", "区民政局"]),
            task(&["2"], "b", &["正阳工业园区管委会", "区财政局", "区大数据发展局"]),
            task(&["3"], "c", &["正阳工作园区管委会", "区大数据局", "区卫生健康委"]),
            task(&["4"], "d", &["市卫生健康委"]),
        ];
        let f = unit_names(&text, &tasks, &[]);
        let codes: Vec<&str> = f.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["unit_near_miss", "unit_two_forms"]);
        assert!(f[0].message.contains("正阳工作园区管委会"));
    }

    #[test]
    fn duplicated_items_are_found() {
        let tasks = vec![
            task(
                &["6", "（6）"],
                "鼓励健康养老机构依托智慧健康养老产品，提供便民服务、动态监测、健康咨询等线上养老服务。",
                &[],
            ),
            task(
                &["9", "（4）"],
                "（4）鼓励健康养老机构依托智慧健康养老产品、提供便民服务、动态监测、健康咨询等线上养老服务。",
                &[],
            ),
            task(&["9", "（3）"], "支持发展家用医疗及设备，以及血液处理耗材、超声辅助材料等医用耗材。", &[]),
        ];
        let f = duplicates(&tasks, &[]);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("6/（6）"));
    }
}
