//! The numbered outline of a plan: headings, their nesting, and the tasks at
//! its deepest numbered level.
//!
//! Nesting is learnt from the document, not assumed: a label style seen
//! before closes the sections below it; a new style opens a level below the
//! current one unless it is conventionally an outer style (`（一）` after
//! `1.` closes the `1.` items). Items a paragraph lists inline as 一是…二是…
//! become sub-items of the section that holds them.

use crate::numerals::{Label, Style, parse_label};
use crate::reading::Section;
use crate::source::{Span, Text, is_blank};

/// Headings whose sections state aims and principles, not tasks.
const NOT_TASKS: [&str; 17] = [
    "总体要求",
    "指导思想",
    "基本原则",
    "发展目标",
    "主要目标",
    "总体目标",
    "工作目标",
    "预期目标",
    "目标任务和",
    "发展基础",
    "发展现状",
    "发展形势",
    "面临形势",
    "重要意义",
    "总体思路",
    "编制依据",
    "规划范围",
];

/// One numbered heading.
#[derive(Debug, Clone)]
pub struct Node {
    /// The label.
    pub label: Label,
    /// The heading words.
    pub title: String,
    /// From the label to the end of the section.
    pub span: Span,
    /// Where the words after the label start.
    pub body_start: usize,
    /// Parent node.
    pub parent: Option<usize>,
    /// Child nodes, in order.
    pub children: Vec<usize>,
    /// Its section states aims, not tasks (or lies under one that does).
    pub excluded: bool,
}

/// The most headings read; a plan has hundreds, not tens of thousands.
pub const MAX_HEADINGS: usize = 20_000;

/// The outline of a run of paragraphs.
#[derive(Debug, Default)]
pub struct Outline {
    /// Every heading, in document order.
    pub nodes: Vec<Node>,
    /// Top-level headings.
    pub roots: Vec<usize>,
    /// More than [`MAX_HEADINGS`] headings: the rest were not read.
    pub truncated: bool,
    /// Where unnumbered headings stand ("保障措施" on a line of its own):
    /// every open section ends there.
    pub breaks: Vec<usize>,
}

/// Whether a paragraph is an unnumbered heading: a few words of Chinese on a
/// line of its own, with no punctuation, no digits and no blanks inside —
/// "保障措施", "组织实施" — after a paragraph that ended a sentence.
fn is_unnumbered_heading(para: &str, previous: Option<&str>) -> bool {
    let words = para.trim_matches(is_blank);
    let n = words.chars().count();
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let ended =
        previous.map(|p| p.trim_end_matches(is_blank)).is_some_and(|p| p.ends_with(['。', '）', ')', '；', '！']));
    (2..=10).contains(&n) && words.chars().all(cjk) && ended
}

fn rank(s: Style) -> u8 {
    match s {
        Style::Chapter => 0,
        Style::Part => 1,
        Style::Cn => 2,
        Style::CnParen => 3,
        Style::Num => 4,
        Style::NumParen => 5,
        Style::Circled => 6,
        Style::Shi => 7,
    }
}

/// The heading words of a labelled paragraph: up to the first 。 (or the
/// whole line), without trailing punctuation.
pub fn heading_title(after_label: &str) -> String {
    let cut = after_label.find('。').unwrap_or(after_label.len());
    after_label[..cut].trim_matches(|c: char| is_blank(c) || matches!(c, '：' | ':' | '；' | ';' | '，')).to_string()
}

impl Outline {
    /// Builds the outline of the paragraphs `paras` (in order), whose text
    /// ends at `end`.
    pub fn build(text: &Text, paras: &[Span], end: usize) -> Outline {
        let mut o = Outline::default();
        let mut stack: Vec<usize> = Vec::new();
        let mut previous: Option<&str> = None;
        for &p in paras {
            if o.nodes.len() >= MAX_HEADINGS {
                o.truncated = true;
                break;
            }
            let s = text.slice(p);
            let before = previous.replace(s);
            let Some(label) = parse_label(s) else {
                if !stack.is_empty() && is_unnumbered_heading(s, before) {
                    o.breaks.push(p.start);
                    stack.clear();
                }
                continue;
            };
            if label.style == Style::Shi {
                continue; // inline items are found inside their section below
            }
            // Close the levels this label ends.
            if let Some(pos) = stack.iter().position(|&n| o.nodes[n].label.style == label.style) {
                stack.truncate(pos);
            } else {
                while let Some(&top) = stack.last() {
                    if rank(o.nodes[top].label.style) >= rank(label.style) {
                        stack.pop();
                    } else {
                        break;
                    }
                }
            }
            let after: String = s.chars().skip(label.len).collect();
            let idx = o.nodes.len();
            let parent = stack.last().copied();
            o.nodes.push(Node {
                title: heading_title(&after),
                span: Span::new(p.start, end),
                body_start: p.start + label.len,
                parent,
                children: vec![],
                excluded: false,
                label,
            });
            match parent {
                Some(pa) => o.nodes[pa].children.push(idx),
                None => o.roots.push(idx),
            }
            stack.push(idx);
        }
        o.close_spans(end);
        o.find_inline_items(text);
        o.mark_excluded();
        o
    }

    /// A section ends where the next heading at its level or above starts.
    fn close_spans(&mut self, end: usize) {
        // Nodes are in document order and a parent precedes its children, so
        // depths come from the parents' in one pass, and a stack of open
        // sections closes each when a heading at its depth or above starts.
        let mut depth = vec![0usize; self.nodes.len()];
        let mut open: Vec<usize> = Vec::new();
        for j in 0..self.nodes.len() {
            depth[j] = self.nodes[j].parent.map_or(0, |p| depth[p] + 1);
            while let Some(&i) = open.last() {
                if depth[i] >= depth[j] {
                    self.nodes[i].span.end = self.nodes[j].span.start;
                    open.pop();
                } else {
                    break;
                }
            }
            open.push(j);
        }
        for i in open {
            self.nodes[i].span.end = end;
        }
        // An unnumbered heading ends every section open over it.
        for node in &mut self.nodes {
            let first_after = self.breaks.partition_point(|&b| b <= node.span.start);
            if let Some(&b) = self.breaks.get(first_after)
                && b < node.span.end
            {
                node.span.end = b;
            }
        }
    }

    /// Finds 一是…二是… items in the sections that have no numbered children.
    fn find_inline_items(&mut self, text: &Text) {
        let leaves: Vec<usize> = (0..self.nodes.len()).filter(|&i| self.nodes[i].children.is_empty()).collect();
        for leaf in leaves {
            let body = Span::new(self.nodes[leaf].body_start, self.nodes[leaf].span.end);
            let chars: Vec<char> = text.slice(body).chars().collect();
            let items = inline_items(&chars);
            if items.len() < 2 {
                continue;
            }
            for (k, &(at, len)) in items.iter().enumerate() {
                let start = body.start + at;
                let end = items.get(k + 1).map(|&(a, _)| body.start + a).unwrap_or(body.end);
                let after: String = chars[at + len..].iter().take_while(|&&c| c != '\n').collect();
                let cut = after.find(['。', '；', ';']).unwrap_or(after.len());
                let title =
                    after[..cut].trim_matches(|c: char| is_blank(c) || matches!(c, '：' | ':' | '，')).to_string();
                let n = (k + 1) as u32;
                let printed: String = chars[at..at + len].iter().collect();
                let idx = self.nodes.len();
                self.nodes.push(Node {
                    label: Label { style: Style::Shi, n, len, printed },
                    title,
                    span: Span::new(start, end),
                    body_start: start + len,
                    parent: Some(leaf),
                    children: vec![],
                    excluded: false,
                });
                self.nodes[leaf].children.push(idx);
            }
        }
    }

    fn mark_excluded(&mut self) {
        for i in 0..self.nodes.len() {
            let own = NOT_TASKS.iter().any(|w| self.nodes[i].title.contains(w));
            let inherited = self.nodes[i].parent.is_some_and(|p| self.nodes[p].excluded);
            // Parents come before children except for inline items, which
            // are appended later but whose parents are already marked.
            self.nodes[i].excluded = own || inherited;
        }
        for i in 0..self.nodes.len() {
            if let Some(p) = self.nodes[i].parent
                && self.nodes[p].excluded
            {
                self.nodes[i].excluded = true;
            }
        }
    }

    /// The numbering path of a node, top heading first.
    pub fn path(&self, mut i: usize) -> Vec<String> {
        let mut out = vec![self.nodes[i].label.normalised()];
        while let Some(p) = self.nodes[i].parent {
            out.push(self.nodes[p].label.normalised());
            i = p;
        }
        out.reverse();
        out
    }

    /// The nodes that are tasks: leaves outside the aims sections.
    pub fn task_nodes(&self) -> Vec<usize> {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].children.is_empty() && !self.nodes[i].excluded).collect()
    }

    /// The tree as the reading shows it.
    pub fn sections(&self) -> Vec<Section> {
        self.roots.iter().map(|&r| self.section(r)).collect()
    }

    fn section(&self, i: usize) -> Section {
        let n = &self.nodes[i];
        Section {
            label: n.label.normalised(),
            printed: n.label.printed.clone(),
            title: n.title.clone(),
            span: n.span,
            children: n.children.iter().map(|&c| self.section(c)).collect(),
        }
    }
}

/// Positions (character offset, label length) of 一是, 二是 … in order, each
/// at a sentence start; empty unless they run 一是, 二是, … without a gap.
fn inline_items(chars: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut want = 1u32;
    let mut i = 0;
    while i < chars.len() {
        let at_sentence_start =
            i == 0 || matches!(chars[i - 1], '。' | '；' | ';' | '：' | ':' | '\n' | '，') || is_blank(chars[i - 1]);
        if at_sentence_start {
            let word = crate::numerals::cn_numeral(want);
            let wl = word.chars().count();
            if chars[i..].iter().take(wl).copied().eq(word.chars()) && chars.get(i + wl) == Some(&'是') {
                found.push((i, wl + 1));
                want += 1;
                i += wl + 1;
                continue;
            }
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Block, Text};

    fn outline(s: &str) -> (Text, Outline) {
        let text = Text::new(s.to_string());
        let paras: Vec<Span> = crate::txt::blocks(&text)
            .into_iter()
            .filter_map(|b| if let Block::Para(p) = b { Some(p) } else { None })
            .collect();
        let end = text.len_chars();
        let o = Outline::build(&text, &paras, end);
        (text, o)
    }

    #[test]
    fn nesting_is_learnt_and_paths_are_normalised() {
        let (_, o) = outline(
            "一、发展目标\n正文\n二、任务\n(一)医\n1.加快\n（1）推进。正文\n(2)发展\n2.养\n（二）药\n三、保障措施\n建立机制。\n",
        );
        let paths: Vec<Vec<String>> = o.task_nodes().iter().map(|&i| o.path(i)).collect();
        let want: Vec<Vec<&str>> = vec![
            vec!["二", "（一）", "1", "（1）"],
            vec!["二", "（一）", "1", "（2）"],
            vec!["二", "（一）", "2"],
            vec!["二", "（二）"],
            vec!["三"],
        ];
        assert_eq!(paths, want);
    }

    #[test]
    fn an_unnumbered_heading_ends_the_sections_before_it() {
        let (t, o) = outline(
            "二、重点任务\n1. 建设医疗中心。（牵头单位：县卫生健康局）\n2. 发展养老服务。（牵头单位：县民政局）\n保障措施\n加强组织领导。（牵头单位：县政府办）\n",
        );
        let last = o.nodes.iter().find(|n| n.label.normalised() == "2").unwrap();
        assert!(!t.slice(last.span).contains("县政府办"), "{}", t.slice(last.span));
        assert!(!t.slice(last.span).contains("保障措施"));
        assert_eq!(o.breaks.len(), 1);
        // A short line inside a sentence's run is no heading.
        let (_, o) = outline("二、重点任务\n1. 建设医疗中心，\n提升能力\n服务全县。\n");
        assert!(o.breaks.is_empty());
    }

    #[test]
    fn inline_items_become_tasks_with_titles() {
        let (_, o) = outline("二、任务\n(一) 发展医药。一是推广种植。完成。二是推动制造。持续\n三是推动瑶药。做好。\n");
        let tasks = o.task_nodes();
        let titles: Vec<&str> = tasks.iter().map(|&i| o.nodes[i].title.as_str()).collect();
        assert_eq!(titles, ["推广种植", "推动制造", "推动瑶药"]);
        assert_eq!(o.path(tasks[2]), ["二", "（一）", "三是"]);
    }

    #[test]
    fn outer_style_after_inner_closes_it() {
        let (_, o) = outline("1.优化\n7.培育\n（二）加强产业\n8.集群\n");
        assert_eq!(o.roots.len(), 3);
        assert_eq!(o.path(3), ["（二）", "8"]);
    }

    #[test]
    fn aims_sections_hold_no_tasks() {
        let (_, o) = outline("一、总体要求和目标\n力争增长20%。\n二、重点任务\n（一）实施工程。\n");
        assert_eq!(o.task_nodes().len(), 1);
    }
}
