//! The seeds scored against their gold readings with the project's copy of
//! the shared scorer (`fixtures/eval/score`), at the thresholds the plan
//! reader promises; and the spans of a reading pointing at its words.

use crate::common::{fixtures, read_seed, seed};
use std::process::Command;

/// Scores seed `n`'s reading; returns the scorer's measures.
fn score(n: &str) -> serde_json::Value {
    score_file(n, &seed(n))
}

/// Scores the reading of `doc` (seed `n` or a copy of it) against seed `n`'s gold.
fn score_file(n: &str, doc: &std::path::Path) -> serde_json::Value {
    let reading = bighealth_reader::read_path(doc).expect("reads");
    let dir = tempfile::tempdir().expect("tempdir");
    let pred = dir.path().join(format!("{n}.json"));
    std::fs::write(&pred, serde_json::to_string(&reading).expect("json")).expect("write");
    let out = Command::new("python3")
        .arg(fixtures().join("eval/score"))
        .arg(doc)
        .arg(fixtures().join(format!("gold/{n}.gold.json")))
        .arg(&pred)
        .arg("--json")
        .output()
        .expect("python3 runs the scorer");
    assert!(out.status.success(), "scorer failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("scorer prints JSON")
}

fn at_least(m: &serde_json::Value, key: &str, min: f64) {
    let v = m[key].as_f64().unwrap_or_else(|| panic!("no {key} in {m}"));
    assert!(v >= min, "{key} = {v} < {min}; all measures: {m}");
}

fn thresholds(n: &str) -> serde_json::Value {
    let m = score(n);
    at_least(&m, "tasks.f1", 0.90);
    at_least(&m, "units.f1", 0.90);
    at_least(&m, "targets.f1", 0.85);
    at_least(&m, "meta.fields_ok", 0.85);
    m
}

#[test]
fn seed_001_meets_the_accuracy_thresholds() {
    thresholds("001");
}

#[test]
fn seed_002_meets_the_accuracy_thresholds_with_all_36_projects() {
    let m = thresholds("002");
    assert_eq!(m["projects.predicted"], 36, "{m}");
    assert_eq!(m["projects.gold"], 36, "{m}");
    at_least(&m, "projects.recall", 1.0);
    at_least(&m, "projects.fields_ok", 0.95);
}

#[test]
fn seed_003_meets_the_accuracy_thresholds() {
    thresholds("003");
}

#[test]
fn seed_004_meets_the_accuracy_thresholds() {
    thresholds("004");
}

#[test]
fn a_windows_copy_with_crlf_and_a_bom_scores_the_same() {
    // The scorer reads text as Python does (line breaks as \n, the BOM kept):
    // spans must count characters the same way.
    let dir = tempfile::tempdir().expect("tempdir");
    let doc = dir.path().join("001_crlf.txt");
    let text = std::fs::read_to_string(seed("001")).expect("seed");
    std::fs::write(&doc, format!("\u{feff}{}", text.replace('\n', "\r\n"))).expect("write");
    let m = score_file("001", &doc);
    at_least(&m, "tasks.f1", 0.99);
    at_least(&m, "units.f1", 0.99);
    at_least(&m, "targets.f1", 0.95);
}

#[test]
fn task_and_target_spans_slice_the_document_to_their_words() {
    for n in ["001", "002", "003", "004"] {
        let doc: Vec<char> = std::fs::read_to_string(seed(n)).expect("seed").chars().collect();
        let r = read_seed(n);
        let slice = |s: bighealth_reader::Span| doc[s.start..s.end].iter().collect::<String>();
        for t in &r.tasks {
            assert_eq!(slice(t.span), t.text, "task {:?} of {n}", t.path);
        }
        for t in &r.targets {
            assert_eq!(slice(t.span).trim(), t.quote, "target {:?} of {n}", t.indicator);
        }
    }
}

#[test]
fn a_gbk_copy_reads_the_same_as_utf8() {
    let utf8 = std::fs::read_to_string(seed("004")).expect("seed");
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    let a = bighealth_reader::read_bytes("004.txt", utf8.as_bytes()).expect("utf-8");
    let b = bighealth_reader::read_bytes("004.txt", &gbk).expect("gbk");
    assert_eq!(b.source.encoding.as_deref(), Some("gb18030"));
    assert_eq!(a.tasks, b.tasks);
    assert_eq!(a.targets, b.targets);
    assert_eq!(a.meta, b.meta);
}

#[test]
fn seed_002_body_targets_link_to_the_division_table_rows_that_say_the_same() {
    let r = read_seed("002");
    let linked: Vec<(String, Vec<String>)> = r
        .targets
        .iter()
        .filter_map(|t| t.task.map(|k| (t.quote.chars().take(8).collect(), r.tasks[k].path.clone())))
        .collect();
    assert_eq!(linked.len(), r.targets.len(), "{linked:?}");
    assert!(linked.iter().any(|(q, p)| q.starts_with("新建3—5个") && p == &["一", "2", "（4）"]), "{linked:?}");
}

#[test]
fn seed_001_targets_link_to_the_task_they_stand_in() {
    let r = read_seed("001");
    let t = r.targets.iter().find(|t| t.quote.contains("新增养老床位600张")).expect("target");
    assert_eq!(r.tasks[t.task.expect("linked")].path, ["二", "（一）", "2", "（1）"]);
}
