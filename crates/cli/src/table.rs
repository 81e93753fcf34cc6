//! `--format table`: a reading as aligned columns for a person at a terminal.
//! Chinese characters take two columns; [`pad`] counts display width, not
//! characters, so the columns line up.

use bighealth_reader::Reading;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Pads or cuts `s` to `width` display columns.
pub fn pad(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            if w < width {
                out.push('…');
            }
            break;
        }
        out.push(c);
        w += cw;
    }
    let out_w = out.width();
    out.push_str(&" ".repeat(width.saturating_sub(out_w)));
    out
}

fn rows(out: &mut String, header: &[(&str, usize)], body: Vec<Vec<String>>) {
    let line: Vec<String> = header.iter().map(|(h, w)| pad(h, *w)).collect();
    let _ = writeln!(out, "  {}", line.join("  ").trim_end());
    let rule: Vec<String> = header.iter().map(|(_, w)| "─".repeat(*w)).collect();
    let _ = writeln!(out, "  {}", rule.join("  "));
    let last = header.len().saturating_sub(1);
    for r in body {
        // The last column is printed whole: it is what a reader looks for.
        let cells: Vec<String> = r
            .iter()
            .zip(header)
            .enumerate()
            .map(|(i, (c, (_, w)))| if i == last { c.clone() } else { pad(c, *w) })
            .collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v}") }
}

/// Renders the reading as a summary.
pub fn render(r: &Reading) -> String {
    let mut out = String::new();
    let m = &r.meta;
    match &m.title {
        Some(t) => writeln!(out, "《{t}》  {}", r.document),
        None => writeln!(out, "（未识别出标题）  {}", r.document),
    }
    .ok();
    let _ = writeln!(
        out,
        "文号 {}  发文 {}  日期 {}  地区 {}  基期 {}  目标年 {}",
        opt(&m.doc_number),
        opt(&m.issuer),
        opt(&m.issued_on),
        opt(&m.region),
        opt(&m.base_year),
        opt(&m.target_year)
    );
    let _ = writeln!(
        out,
        "{} 个任务 · {} 个目标 · {} 个项目 · {} 张表 · {} 条发现\n",
        r.tasks.len(),
        r.targets.len(),
        r.projects.len(),
        r.tables.len(),
        r.findings.len()
    );
    if !r.tasks.is_empty() {
        let _ = writeln!(out, "任务 (tasks)");
        let body = r
            .tasks
            .iter()
            .map(|t| vec![t.path.join("/"), t.title.clone(), t.lead.join("、"), t.responsible.join("、")])
            .collect();
        rows(&mut out, &[("编号", 20), ("任务", 36), ("牵头单位", 24), ("责任单位", 40)], body);
        out.push('\n');
    }
    if !r.targets.is_empty() {
        let _ = writeln!(out, "目标 (targets)");
        let body = r
            .targets
            .iter()
            .map(|t| {
                let value = match t.value_max {
                    Some(mx) => format!("{}–{}", num(t.value), num(mx)),
                    None => num(t.value),
                };
                vec![
                    t.indicator.clone(),
                    format!("{} {}{}", t.comparator, value, t.unit.clone().unwrap_or_default()),
                    opt(&t.year),
                    t.baseline_value
                        .map(|b| format!("{}（{}）", num(b), opt(&t.baseline_year)))
                        .unwrap_or_else(|| "—".into()),
                    opt(&t.qualifier),
                ]
            })
            .collect();
        rows(&mut out, &[("指标", 44), ("目标值", 16), ("年份", 6), ("基期值", 14), ("限定", 6)], body);
        out.push('\n');
    }
    if !r.projects.is_empty() {
        let _ = writeln!(out, "项目 (projects)");
        let body = r
            .projects
            .iter()
            .map(|p| {
                vec![
                    opt(&p.seq),
                    p.name.clone(),
                    opt(&p.nature),
                    p.investment_wan.map(num).unwrap_or_else(|| "—".into()),
                    opt(&p.period),
                    opt(&p.funding),
                    p.units.join("、"),
                ]
            })
            .collect();
        rows(
            &mut out,
            &[
                ("序号", 4),
                ("项目名称", 36),
                ("性质", 6),
                ("总投资(万元)", 12),
                ("周期", 10),
                ("投资方式", 16),
                ("责任单位", 30),
            ],
            body,
        );
        out.push('\n');
    }
    if !r.findings.is_empty() {
        let _ = writeln!(out, "发现 (findings)");
        for f in &r.findings {
            let _ = writeln!(out, "  [{}] {}", f.code, f.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_counts_display_width() {
        assert_eq!(pad("州民政局", 10), "州民政局  ");
        assert_eq!(pad("州民政局", 5).width(), 5);
        assert_eq!(pad("ab", 4), "ab  ");
    }
}
