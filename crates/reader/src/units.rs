//! Unit lines and unit names.
//!
//! A unit line names who answers for a task: "（牵头单位：州民政局；责任单位：
//! 州卫生计生委）". Plans name the roles in other words too (主办/负责 for the
//! lead; 配合/协办/参与 for the responsible units), bracket the line with
//! ASCII or full-width parentheses, or print it without brackets on its own
//! line. Unit names may hold brackets themselves ("各县（市）人民政府"),
//! so brackets are matched, not searched.

use crate::source::is_blank;

/// Words that introduce lead units.
const LEAD_WORDS: [&str; 6] = ["牵头单位", "牵头部门", "主办单位", "负责单位", "责任主体", "牵头"];
/// Words that introduce responsible (supporting) units.
const RESP_WORDS: [&str; 9] =
    ["责任单位", "责任部门", "配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "参加单位", "配合"];

/// The role a unit plays for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 牵头单位.
    Lead,
    /// 责任单位 / 配合单位.
    Responsible,
}

/// One unit line found in a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitGroup {
    /// Character range of the whole line (brackets included) in the text searched.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// Lead units, as printed.
    pub lead: Vec<String>,
    /// Responsible units, as printed.
    pub responsible: Vec<String>,
}

/// Which role word starts at `chars[i..]`, and its length.
fn role_at(chars: &[char], i: usize) -> Option<(Role, usize)> {
    let starts = |w: &str| w.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    for w in LEAD_WORDS {
        if starts(w) {
            return Some((Role::Lead, w.chars().count()));
        }
    }
    for w in RESP_WORDS {
        if starts(w) {
            return Some((Role::Responsible, w.chars().count()));
        }
    }
    None
}

fn is_colon(c: char) -> bool {
    matches!(c, ':' | '：')
}

fn opener(c: char) -> Option<char> {
    Some(match c {
        '(' => ')',
        '（' => '）',
        '〔' => '〕',
        '[' => ']',
        '［' => '］',
        '<' => '>',
        '《' => '》',
        '【' => '】',
        _ => return None,
    })
}

fn is_closer(c: char) -> bool {
    matches!(c, ')' | '）' | '〕' | ']' | '］' | '>' | '》' | '】')
}

/// A role word followed by a colon at `i` (blanks allowed between).
fn role_with_colon(chars: &[char], i: usize) -> Option<(Role, usize)> {
    let (role, len) = role_at(chars, i)?;
    let mut j = i + len;
    while j < chars.len() && is_blank(chars[j]) {
        j += 1;
    }
    (j < chars.len() && is_colon(chars[j])).then_some((role, j + 1 - i))
}

/// Finds the unit lines in `text` (one paragraph). Offsets are characters.
pub fn find_groups(text: &str) -> Vec<UnitGroup> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Bracketed: "（牵头单位：…）".
        if matches!(c, '(' | '（') {
            let mut j = i + 1;
            while j < chars.len() && is_blank(chars[j]) {
                j += 1;
            }
            if role_with_colon(&chars, j).is_some() {
                let end = matching_close(&chars, i);
                let inner_end = if end < chars.len() { end } else { chars.len() };
                let mut g = parse_roles(&chars[j..inner_end]);
                g.start = i;
                g.end = (end + 1).min(chars.len());
                if !(g.lead.is_empty() && g.responsible.is_empty()) {
                    out.push(g);
                }
                i = g_end(&out, i);
                continue;
            }
        }
        // Unbracketed, at the start of the text or after a sentence end.
        let at_start =
            chars[..i].iter().all(|&c| is_blank(c)) || matches!(chars[i.saturating_sub(1)], '。' | '；' | ';');
        if at_start && role_with_colon(&chars, i).is_some() {
            let end = chars[i..].iter().position(|&c| c == '。').map(|p| i + p).unwrap_or(chars.len());
            let mut g = parse_roles(&chars[i..end]);
            g.start = i;
            g.end = end;
            if !(g.lead.is_empty() && g.responsible.is_empty()) {
                out.push(g);
            }
            i = end.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

fn g_end(out: &[UnitGroup], i: usize) -> usize {
    out.last().map(|g| g.end.max(i + 1)).unwrap_or(i + 1)
}

/// Index of the bracket closing the one at `open` (or the text's end).
fn matching_close(chars: &[char], open: usize) -> usize {
    let mut stack = Vec::new();
    // A unit line is short; an unclosed bracket ends it within a few hundred characters.
    for (k, &c) in chars.iter().enumerate().skip(open).take(600) {
        if opener(c).is_some() {
            stack.push(c);
        } else if is_closer(c) {
            stack.pop();
            if stack.is_empty() {
                return k;
            }
        } else if c == '\n' {
            return k;
        }
    }
    (open + 600).min(chars.len())
}

/// Splits "牵头单位：A，责任单位：B、C" into roles.
fn parse_roles(chars: &[char]) -> UnitGroup {
    let mut marks: Vec<(usize, usize, Role)> = Vec::new(); // (start, body start, role)
    let mut i = 0;
    while i < chars.len() {
        if let Some((role, len)) = role_with_colon(chars, i) {
            marks.push((i, i + len, role));
            i += len;
        } else {
            i += 1;
        }
    }
    let mut g = UnitGroup::default();
    for (k, &(_, body, role)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map(|m| m.0).unwrap_or(chars.len());
        let names = split_units(&chars[body..end].iter().collect::<String>());
        let (lead, responsible) = split_marked(names, role);
        g.lead.extend(lead);
        g.responsible.extend(responsible);
    }
    g
}

/// Sorts names by the role marks some plans print after them: "市卫健委
/// （牵头）" or "市卫健委牵头" leads, "市财政局配合" supports; unmarked names
/// take `role`.
pub fn split_marked(names: Vec<String>, role: Role) -> (Vec<String>, Vec<String>) {
    let (mut lead, mut responsible) = (Vec::new(), Vec::new());
    for name in names {
        let mut n = name.as_str();
        let mut r = role;
        for (mark, mark_role) in [
            ("（牵头）", Role::Lead),
            ("(牵头)", Role::Lead),
            ("牵头", Role::Lead),
            ("（配合）", Role::Responsible),
            ("(配合)", Role::Responsible),
            ("配合", Role::Responsible),
        ] {
            if let Some(rest) = n.strip_suffix(mark)
                && !rest.is_empty()
            {
                n = rest;
                r = mark_role;
                break;
            }
        }
        let n = clean_name(n);
        match r {
            Role::Lead => lead.push(n),
            Role::Responsible => responsible.push(n),
        }
    }
    (lead, responsible)
}

/// Admin-level words that, standing alone after "各区、", continue a
/// collective unit ("各区、县级市" is one unit).
fn is_bare_level(s: &str) -> bool {
    matches!(
        s,
        "县" | "市"
            | "区"
            | "县级市"
            | "县市区"
            | "县（市、区）"
            | "乡镇"
            | "乡"
            | "镇"
            | "街道"
            | "旗"
            | "自治县"
            | "开发区"
            | "园区"
    )
}

/// Splits a list of unit names on 、，,；; outside brackets, keeping
/// collective names whole and dropping a trailing 等.
pub fn split_units(s: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for c in s.chars() {
        if opener(c).is_some() {
            depth += 1;
        } else if is_closer(c) {
            depth -= 1;
        }
        if depth <= 0 && matches!(c, '、' | '，' | ',' | '；' | ';' | '\n') {
            parts.push(std::mem::take(&mut cur));
            depth = 0;
        } else {
            cur.push(c);
        }
    }
    parts.push(cur);
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let name = clean_name(&p);
        // A fragment of brackets or punctuation names no unit.
        if !name.chars().any(char::is_alphanumeric) {
            continue;
        }
        let joins = |prev: &str| {
            let collective = prev.starts_with('各') || prev.starts_with("相关");
            let prev_bare = prev.strip_prefix('各').or_else(|| prev.strip_prefix("相关")).is_some_and(is_bare_level);
            // "各区、县级市人民政府": the first part names only a level.
            collective
                && (is_bare_level(&name)
                    || (prev_bare
                        && ["县级市", "县", "市", "区", "乡镇", "街道", "旗"].iter().any(|l| name.starts_with(l))))
        };
        if let Some(prev) = out.last_mut()
            && joins(prev)
        {
            prev.push('、');
            prev.push_str(&name);
            continue;
        }
        out.push(name);
    }
    out
}

/// A unit name as printed, with surrounding blanks, sentence punctuation
/// and a trailing 等 removed.
pub fn clean_name(s: &str) -> String {
    let mut t = s.trim_matches(|c: char| is_blank(c) || matches!(c, '。' | '：' | ':' | '.'));
    while let Some(rest) = t.strip_suffix('等') {
        t = rest.trim_end_matches(is_blank);
    }
    // An unbalanced closing bracket left by the enclosing unit line.
    let opens = t.chars().filter(|&c| opener(c).is_some()).count();
    let closes = t.chars().filter(|&c| is_closer(c)).count();
    let mut t = t.to_string();
    if closes > opens && t.ends_with(is_closer) {
        t.pop();
    }
    t.trim_matches(is_blank).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_line_with_both_roles() {
        let g = find_groups("正文。(牵头单位:州工信委,责任单位:州投促局、州商务局、州大健康办)");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].lead, ["州工信委"]);
        assert_eq!(g[0].responsible, ["州投促局", "州商务局", "州大健康办"]);
    }

    #[test]
    fn brackets_inside_unit_names_are_kept() {
        let g = find_groups("（牵头单位：州民政局；责任单位：各县(市)人民政府、相关县〔市〕人民政府）");
        assert_eq!(g[0].responsible, ["各县(市)人民政府", "相关县〔市〕人民政府"]);
    }

    #[test]
    fn other_role_words_and_lead_only_lines() {
        let g = find_groups("（主办单位：市卫生健康委；配合单位：市财政局等）");
        assert_eq!(
            (g[0].lead.as_slice(), g[0].responsible.as_slice()),
            (&["市卫生健康委".to_string()][..], &["市财政局".to_string()][..])
        );
        let g = find_groups("(牵头单位:州大健康办,各县〔市〕人民政府)");
        assert_eq!(g[0].lead, ["州大健康办", "各县〔市〕人民政府"]);
        assert!(g[0].responsible.is_empty());
    }

    #[test]
    fn collective_units_holding_a_dunhao_stay_whole() {
        assert_eq!(split_units("各区、县级市人民政府、市民政局"), ["各区、县级市人民政府", "市民政局"]);
        assert_eq!(split_units("各区、县级市，市民政局"), ["各区、县级市", "市民政局"]);
        assert_eq!(split_units("区经济信息委、区市场监管局等"), ["区经济信息委", "区市场监管局"]);
    }

    #[test]
    fn role_marks_after_names_decide_the_role() {
        let g = find_groups("（责任单位：市卫生健康委（牵头）、市财政局、市民政局配合）");
        assert_eq!(g[0].lead, ["市卫生健康委"]);
        assert_eq!(g[0].responsible, ["市财政局", "市民政局"]);
    }

    #[test]
    fn unbracketed_line_at_paragraph_start() {
        let g = find_groups("责任单位：区民政局、区财政局");
        assert_eq!(g[0].responsible, ["区民政局", "区财政局"]);
        assert!(g[0].lead.is_empty());
    }
}
