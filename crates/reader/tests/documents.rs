//! Whole plans through every format: a seed rendered as `.docx` or as a web
//! page reads like the seed itself, and a division table in `.xlsx` gives
//! tasks whose merged lead-unit cell names every row's lead.

use crate::common::{read_seed, seed};
use crate::formats::{docx, p, xlsx_division};
use bighealth_reader::source::{Block, Source};
use bighealth_reader::{Reading, read_bytes};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The seed's paragraphs and tables as Word XML.
fn as_docx_body(src: &Source) -> String {
    let mut body = String::new();
    for b in &src.blocks {
        match b {
            Block::Para(s) => body.push_str(&p(&escape(src.text.slice(*s)))),
            Block::Table(t) => {
                body.push_str("<w:tbl>");
                for row in &t.rows {
                    body.push_str("<w:tr>");
                    for c in &row.cells {
                        body.push_str(&format!("<w:tc>{}</w:tc>", p(&escape(&c.text))));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    body
}

/// What must not change with the format: paths, titles, units, targets, projects.
fn essence(r: &Reading) -> serde_json::Value {
    serde_json::json!({
        "meta": r.meta,
        "tasks": r.tasks.iter().map(|t| (&t.path, &t.title, &t.lead, &t.responsible)).collect::<Vec<_>>(),
        "targets": r.targets.iter().map(|t| (&t.indicator, t.value, &t.unit, t.year, &t.comparator)).collect::<Vec<_>>(),
        "projects": r.projects.iter().map(|p| (&p.name, p.investment_wan, &p.category, &p.units)).collect::<Vec<_>>(),
    })
}

#[test]
fn seed_002_as_docx_reads_like_the_text() {
    let bytes = std::fs::read(seed("002")).expect("seed");
    let src = bighealth_reader::load("002.txt", &bytes).expect("loads");
    let doc = docx(&as_docx_body(&src), None);
    let from_docx = read_bytes("002.docx", &doc).expect("docx reads");
    let from_text = read_seed("002");
    assert_eq!(from_docx.source.format, "docx");
    assert_eq!(essence(&from_docx), essence(&from_text));
    assert_eq!(from_docx.tasks.len(), 80);
    assert_eq!(from_docx.projects.len(), 36);
}

#[test]
fn seed_001_as_a_web_page_reads_like_the_text() {
    let text = std::fs::read_to_string(seed("001")).expect("seed");
    let paras: String =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("<p>{}</p>\n", escape(l))).collect();
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>黔东南州人民政府</title><script>var x = '一、假标题';</script></head>\
         <body><div class=\"nav\"><a href=\"/\">首页</a><a href=\"/a\">政务公开</a></div>\
         <div class=\"main\"><div class=\"article\">{paras}</div></div>\
         <div id=\"footer\">版权所有 黔东南州人民政府 ICP备案号</div></body></html>"
    );
    let from_html = read_bytes("001.html", page.as_bytes()).expect("html reads");
    let from_text = read_seed("001");
    assert_eq!(from_html.source.format, "html");
    let (h, t) = (essence(&from_html), essence(&from_text));
    assert_eq!(h["tasks"], t["tasks"]);
    assert_eq!(h["targets"], t["targets"]);
    assert_eq!(h["meta"], t["meta"]);
    assert!(!from_html.tasks.iter().any(|t| t.title.contains("假标题")));
}

#[test]
fn xlsx_division_table_gives_tasks_with_the_merged_lead_on_every_row() {
    let r = read_bytes("分工表.xlsx", &xlsx_division()).expect("xlsx reads");
    let rows: Vec<(Vec<String>, Vec<String>, Option<String>)> =
        r.tasks.iter().map(|t| (t.path.clone(), t.lead.clone(), t.deadline.clone())).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    for (i, (path, lead, _)) in rows.iter().enumerate() {
        assert_eq!(path, &[(i + 1).to_string()]);
        assert_eq!(lead, &["区卫生健康委"]);
    }
    assert_eq!(rows[0].2.as_deref(), Some("2025年"));
    assert_eq!(r.tables[0].kind, "division");
    assert_eq!(r.meta.title, None);
}

/// The Office fixtures written by python-docx and openpyxl (`fixtures/office/make.py`).
fn office(name: &str) -> Reading {
    let path = crate::common::fixtures().join("office").join(name);
    bighealth_reader::read_path(&path).expect("the fixture reads")
}

fn units_by_path(r: &Reading) -> Vec<(Vec<String>, Vec<String>, Vec<String>)> {
    r.tasks.iter().map(|t| (t.path.clone(), t.lead.clone(), t.responsible.clone())).collect()
}

#[test]
fn seed_002_written_by_python_docx_with_merged_cells_reads_like_the_text() {
    let (d, t) = (office("seed002.docx"), read_seed("002"));
    assert_eq!(d.source.format, "docx");
    assert_eq!(units_by_path(&d), units_by_path(&t));
    assert_eq!(essence(&d)["projects"], essence(&t)["projects"]);
    assert_eq!(d.meta, t.meta);
    let codes = |r: &Reading| r.findings.iter().map(|f| f.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&d), codes(&t));
}

#[test]
fn a_division_workbook_with_merged_numbering_and_lead_cells_gives_the_seeds_units() {
    let (x, t) = (office("seed002-division.xlsx"), read_seed("002"));
    assert_eq!(x.source.format, "xlsx");
    assert_eq!(units_by_path(&x), units_by_path(&t));
    assert_eq!(x.tables.len(), 1);
    assert_eq!(x.tables[0].kind, "division");
}
