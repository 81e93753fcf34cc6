//! Runs the readers over a loaded document and gathers their results.
//!
//! The document is first cut into regions: the covering notice (meta only),
//! the plan's body (outline, unit lines, targets), the annexes (tables), and
//! end matter (抄送, a web page's footer), which is ignored. Tasks come from
//! the body's outline, unless a division table covers them: then the table,
//! which names the units, is the task list, and the body is checked against it.

use crate::division;
use crate::findings;
use crate::indicators;
use crate::meta;
use crate::outline::Outline;
use crate::projects;
use crate::reading::{Finding, Project, Reading, SourceInfo, TableInfo, Target, Task};
use crate::source::{Block, Source, Span, Table, is_blank};
use crate::targets;
use crate::units;
use regex::Regex;
use std::sync::LazyLock;

static ANNEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?\s*$").expect("regex"));
static ANNEX_LIST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^附\s*件\s*[:：]").expect("regex"));
static END_MATTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(抄送|抄报|ICP备|.{0,20}ICP备|政府网站标识码|.*公网安备|版权所有|Copyright|主\s*办\s*[:：]|联系我们|网站地图|推荐使用.*浏览器)").expect("regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d{4})\s*年").expect("regex"));

/// Where the plan's body lies: from the paragraph where it starts to the
/// first of its annex list ("附件：1.…"), its first annex ("附件1") or its end
/// matter; as paragraph indices and as the character where it ends.
struct Body {
    start: usize,
    end: usize,
    end_char: usize,
}

fn body(paras: &[Span], texts: &[&str], start: usize, text_end: usize) -> Body {
    let is = |re: &Regex, i: usize| re.is_match(texts[i].trim_matches(is_blank));
    let end_matter = (start..paras.len()).find(|&i| is(&END_MATTER, i)).unwrap_or(paras.len());
    let annex = (start + 1..end_matter).find(|&i| is(&ANNEX, i)).unwrap_or(end_matter);
    let end = (start..annex).find(|&i| is(&ANNEX_LIST, i)).unwrap_or(annex);
    Body { start, end, end_char: paras.get(end).map_or(text_end, |p| p.start) }
}

/// The annexes after the body, each as a body of its own (a notice whose
/// plan is printed as its annex: "通知 … 附件 … 某市…行动方案").
fn annexes(paras: &[Span], texts: &[&str], after: usize, text_end: usize) -> Vec<Body> {
    let mut out = Vec::new();
    let mut at = after;
    while at < paras.len() && ANNEX.is_match(texts[at].trim_matches(is_blank)) {
        let b = body(paras, texts, at, text_end);
        if b.end <= at {
            break;
        }
        at = b.end;
        out.push(b);
    }
    out
}

/// Builds the reading of a loaded document: facts about its bytes, then
/// what [`run`] finds in it.
pub fn build(name: &str, bytes: &[u8], source: &Source) -> Reading {
    let info = SourceInfo {
        format: serde_json::to_value(source.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        encoding: source.encoding.map(str::to_string),
        chars: source.text.len_chars(),
        sha256: crate::reading::sha256_hex(bytes),
    };
    run(name, info, source)
}

/// Reads a document's structure into its reading; `document` and `info`
/// identify what was read.
pub fn run(document: &str, info: SourceInfo, source: &Source) -> Reading {
    let text = &source.text;
    let paras: Vec<Span> =
        source.blocks.iter().filter_map(|b| if let Block::Para(s) = b { Some(*s) } else { None }).collect();
    let para_texts: Vec<&str> = paras.iter().map(|p| text.slice(*p)).collect();
    let (meta, body_start) = meta::read_with(&para_texts, &labelled_cells(source), text.as_str());
    let mut body = body(&paras, &para_texts, body_start, text.len_chars());
    let mut outline = Outline::build(text, &paras[body.start..body.end], body.end_char);
    if outline.task_nodes().is_empty() {
        // No task in the body: the plan may be printed as an annex.
        for annex in annexes(&paras, &para_texts, body.end, text.len_chars()) {
            let o = Outline::build(text, &paras[annex.start..annex.end], annex.end_char);
            if !o.task_nodes().is_empty() {
                (body, outline) = (annex, o);
                break;
            }
        }
    }
    let body_paras = &paras[body.start..body.end];
    let mut text_tasks = text_tasks(source, &outline);

    // Unit lines in the body, and for each paragraph the ranges they take.
    let mut groups: Vec<(Span, units::UnitGroup)> = Vec::new();
    let mut skips: Vec<Vec<(usize, usize)>> = vec![Vec::new(); body_paras.len()];
    for (k, &p) in body_paras.iter().enumerate() {
        if groups.len() >= crate::outline::MAX_HEADINGS {
            break;
        }
        for g in units::find_groups(text.slice(p)) {
            skips[k].push((g.start, g.end));
            groups.push((Span::new(p.start + g.start, p.start + g.end), g));
        }
    }
    assign_units(&mut text_tasks, &outline, &groups);

    // Tables.
    let mut tables = Vec::new();
    let mut table_tasks: Vec<Task> = Vec::new();
    let mut table_sections = Vec::new();
    let mut table_targets: Vec<Target> = Vec::new();
    let mut projects: Vec<Project> = Vec::new();
    let mut found: Vec<Finding> = Vec::new();
    for (bi, block) in source.blocks.iter().enumerate() {
        let Block::Table(table) = block else { continue };
        let caption = caption_of(source, bi);
        if let Some(cols) = projects::columns(table) {
            let (p, f) = projects::read(table, &cols);
            projects.extend(p);
            found.extend(f);
            tables.push(table_info("project", caption, &cols.names, table));
        } else if let Some(cols) = division::columns(table) {
            table_tasks.extend(division::tasks(text, table, &cols, &mut table_sections));
            tables.push(table_info("division", caption, &cols.names, table));
        } else if let Some(cols) = indicators::columns(table) {
            table_targets.extend(indicators::targets(text, table, &cols));
            tables.push(table_info("indicator", caption, &cols.names, table));
        } else {
            let names: Vec<String> =
                table.rows.first().map(|r| r.cells.iter().map(|c| c.text.clone()).collect()).unwrap_or_default();
            tables.push(table_info("other", caption, &names, table));
        }
    }

    // The division table, where there is one, is the task list.
    let use_table = !table_tasks.is_empty() && table_tasks.len() * 2 >= text_tasks.len();
    let tasks = if use_table {
        found.extend(findings::compare_with_annex(text, &outline, &text_tasks, &table_tasks, &table_sections));
        table_tasks
    } else {
        if !table_tasks.is_empty() {
            findings::units_from_table(&mut text_tasks, &table_tasks);
        }
        text_tasks
    };

    // Targets in the body, from its first heading on.
    let first_heading =
        outline.nodes.first().map(|n| n.span.start).unwrap_or_else(|| body_paras.first().map_or(0, |p| p.start));
    let mut all_targets = Vec::new();
    let year_heads = year_headings(&outline);
    for (k, &p) in body_paras.iter().enumerate().filter(|(_, p)| p.end > first_heading) {
        let heading_year = heading_year(&year_heads, p.start);
        let skip = std::mem::take(&mut skips[k]);
        all_targets.extend(targets::find(&targets::Para { text: text.slice(p), start: p.start, heading_year, skip }));
    }
    all_targets.extend(table_targets);
    all_targets.sort_by_key(|t| t.span.start);
    for t in &mut all_targets {
        t.task = task_at(&tasks, t.span.start);
    }
    if use_table {
        // Targets stand in the body; their tasks are the table's rows that say the same.
        findings::link_by_words(&mut all_targets, &tasks);
    }

    if outline.truncated {
        found.push(Finding {
            code: "too_many_headings".into(),
            message: format!("文档有超过 {} 个编号标题，其后的内容未读取。", crate::outline::MAX_HEADINGS),
            spans: vec![],
        });
    }
    found.extend(findings::duplicates(&tasks, &projects));
    found.extend(findings::unit_names(text, &tasks, &projects));
    if !source.blocks.is_empty() && outline.nodes.is_empty() && tables.is_empty() {
        found.push(Finding {
            code: "no_numbering".into(),
            message: "正文中没有找到编号标题（一、（一）1.（1））；任务无法按层级划分。".into(),
            spans: vec![],
        });
    }
    let mut findings: Vec<Finding> = source
        .notes
        .iter()
        .map(|n| Finding { code: "read_problem".into(), message: n.clone(), spans: vec![] })
        .collect();
    findings.extend(found);
    if tasks.is_empty() && all_targets.is_empty() && projects.is_empty() {
        findings.push(Finding {
            code: "no_structure".into(),
            message: format!(
                "未识别出规划结构：{} 个段落中没有编号的任务（一、（一）1.（1））、目标数字或项目表。请确认这是规划文本。",
                paras.len()
            ),
            spans: vec![],
        });
    }
    Reading {
        document: document.to_string(),
        source: info,
        meta,
        tasks,
        targets: all_targets,
        projects,
        sections: outline.sections(),
        tables,
        findings,
    }
}

/// "key：value" lines from tables of a web page's document metadata
/// (a cell naming a key such as 发文字号, and the cell after it).
fn labelled_cells(source: &Source) -> Vec<String> {
    let mut out = Vec::new();
    for t in source.tables().take(3) {
        for row in &t.rows {
            for (k, c) in row.cells.iter().enumerate() {
                let key = crate::source::squash(&c.text);
                let key = key.trim_end_matches([':', '：']);
                if ["发文字号", "文号", "发文机关", "发布机构", "成文日期", "印发日期"].contains(&key)
                {
                    if let Some(v) = row.cells.get(k + 1) {
                        out.push(format!("{key}：{}", v.text));
                    }
                } else if c.text.contains(['：', ':']) {
                    out.push(c.text.clone());
                }
            }
        }
    }
    out.extend(source.paragraphs().take(40).map(str::to_string));
    out
}

fn table_info(kind: &str, caption: Option<String>, names: &[String], table: &Table) -> TableInfo {
    TableInfo { kind: kind.into(), caption, columns: names.to_vec(), rows: table.rows.len(), span: table.span }
}

/// The paragraph just before a table, when it reads as a caption.
fn caption_of(source: &Source, block: usize) -> Option<String> {
    let prev = block.checked_sub(1).and_then(|i| source.blocks.get(i))?;
    let Block::Para(s) = prev else { return None };
    let t = source.text.slice(*s).trim_matches(is_blank);
    division::is_caption(t).then(|| t.to_string())
}

/// The index of the task whose span holds character `at` (tasks are in
/// document order and do not overlap).
fn task_at(tasks: &[Task], at: usize) -> Option<usize> {
    let k = tasks.partition_point(|t| t.span.start <= at).checked_sub(1)?;
    (at < tasks[k].span.end).then_some(k)
}

/// Headings that state a year ("（一）2025年目标"): their spans and years.
fn year_headings(outline: &Outline) -> Vec<(Span, i32)> {
    outline
        .nodes
        .iter()
        .filter_map(|n| YEAR.captures(&n.title).and_then(|c| c[1].parse().ok()).map(|y| (n.span, y)))
        .collect()
}

/// The year of the innermost year-stating heading over `at`.
fn heading_year(headings: &[(Span, i32)], at: usize) -> Option<i32> {
    headings.iter().filter(|(s, _)| s.start <= at && at < s.end).max_by_key(|(s, _)| s.start).map(|h| h.1)
}

/// The tasks of the outline.
fn text_tasks(source: &Source, outline: &Outline) -> Vec<Task> {
    let text = &source.text;
    let mut nodes = outline.task_nodes();
    nodes.sort_by_key(|&i| outline.nodes[i].span.start);
    nodes
        .into_iter()
        .map(|i| {
            let n = &outline.nodes[i];
            let span = crate::source::trim_span(text.slice(n.span), n.span);
            let body = text.slice(Span::new(n.body_start, span.end.max(n.body_start)));
            Task {
                path: outline.path(i),
                title: n.title.clone(),
                quote: quote_after_title(body, &n.title),
                text: text.slice(span).to_string(),
                span,
                lead: vec![],
                responsible: vec![],
                deadline: crate::deadlines::of(text.slice(span)),
                origin: "text".into(),
            }
        })
        .collect()
}

/// The first words of a task's body after its heading.
fn quote_after_title(body: &str, title: &str) -> String {
    let rest = body.trim_start_matches(is_blank);
    let rest = rest.strip_prefix(title).unwrap_or(rest);
    let rest = rest.trim_start_matches(|c: char| is_blank(c) || matches!(c, '。' | '：' | ':' | '；'));
    let q: String = rest.chars().take_while(|&c| c != '\n').take(20).collect();
    if q.chars().count() >= 6 { q } else { title.chars().take(20).collect() }
}

/// Gives each task the units of the unit line inside it; a task without a
/// line of its own takes the next line printed under the same parent (a
/// line printed once at the end of a section covers its items).
fn assign_units(tasks: &mut [Task], outline: &Outline, groups: &[(Span, units::UnitGroup)]) {
    let mut has_own = vec![false; tasks.len()];
    // Lines standing in a section's own words, before its items: for all its items.
    let mut section_lines: Vec<(Span, &units::UnitGroup)> = Vec::new();
    for (span, g) in groups {
        if let Some(k) = task_at(tasks, span.start) {
            // A second line in the same item ("牵头单位：…" then "配合单位：…") adds to the first.
            for (have, more) in [(&mut tasks[k].lead, &g.lead), (&mut tasks[k].responsible, &g.responsible)] {
                for u in more {
                    if !have.contains(u) {
                        have.push(u.clone());
                    }
                }
            }
            has_own[k] = true;
        } else if let Some(n) = outline
            .nodes
            .iter()
            .filter(|n| n.span.start <= span.start && span.start < n.span.end)
            .max_by_key(|n| n.span.start)
        {
            section_lines.push((n.span, g));
        }
    }
    for (section, g) in section_lines {
        for (k, t) in tasks.iter_mut().enumerate() {
            if !has_own[k] && section.contains(t.span) && t.lead.is_empty() && t.responsible.is_empty() {
                t.lead = g.lead.clone();
                t.responsible = g.responsible.clone();
            }
        }
    }
    let parent = |t: &Task| t.path[..t.path.len().saturating_sub(1)].to_vec();
    let mut pending: Vec<usize> = Vec::new();
    for k in 0..tasks.len() {
        if let Some(&p) = pending.first()
            && parent(&tasks[p]) != parent(&tasks[k])
        {
            pending.clear();
        }
        if has_own[k] {
            let (lead, resp) = (tasks[k].lead.clone(), tasks[k].responsible.clone());
            for &p in &pending {
                if tasks[p].lead.is_empty() && tasks[p].responsible.is_empty() {
                    tasks[p].lead = lead.clone();
                    tasks[p].responsible = resp.clone();
                }
            }
            pending.clear();
        } else {
            pending.push(k);
        }
    }
}
