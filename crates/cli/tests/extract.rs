//! `bighealth extract`: output formats, exit status and messages.

use bighealth_store::testing::seed;
use std::path::Path;
use std::process::{Command, Output};
use unicode_width::UnicodeWidthStr;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bighealth"))
}

fn extract(args: &[&str], file: &Path) -> Output {
    bin().arg("extract").arg(file).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn json_out_file_holds_the_reading() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("r.json");
    let o = extract(&["--out", out.to_str().expect("utf-8")], &seed("002"));
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    assert_eq!(r["tasks"].as_array().map(Vec::len), Some(80));
    assert_eq!(r["projects"].as_array().map(Vec::len), Some(36));
    assert_eq!(r["meta"]["doc_number"], "黔江府发〔2020〕53号");
    assert!(r["tasks"][0]["span"].is_array());
}

#[test]
fn stdout_to_a_pipe_is_json_and_table_is_aligned() {
    let o = extract(&[], &seed("001"));
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json on a pipe");
    assert_eq!(v["meta"]["issued_on"], "2017-06-28");

    let o = extract(&["--format", "table"], &seed("001"));
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.contains("编号") && l.contains("牵头单位")).expect("task header");
    // The lead-unit column starts at the same display column on the rows.
    let lead_col = lines[header][..lines[header].find("牵头单位").expect("col")].width();
    let row = lines[header + 2];
    assert!(row.contains("州工信委"), "{row}");
    assert_eq!(row[..row.find("州工信委").expect("lead")].width(), lead_col, "{row}");
}

#[test]
fn text_format_prints_what_spans_index() {
    let o = extract(&["--format", "text"], &seed("004"));
    assert!(o.status.success());
    let original = std::fs::read_to_string(seed("004")).expect("seed");
    assert_eq!(String::from_utf8(o.stdout).expect("utf-8"), original);
}

#[test]
fn an_empty_file_is_a_one_line_error_with_status_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("empty.txt");
    std::fs::write(&f, b"").expect("write");
    let o = extract(&[], &f);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(e.contains("empty.txt") && e.contains("empty"), "{e}");
}

#[test]
fn binary_corrupt_and_missing_files_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let bin_file = dir.path().join("tool.bin");
    std::fs::write(&bin_file, b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00").expect("write");
    let docx = dir.path().join("plan.docx");
    std::fs::write(&docx, b"PK\x03\x04 truncated").expect("write");
    for f in [bin_file, docx, dir.path().join("missing.txt")] {
        let o = extract(&[], &f);
        assert_eq!(o.status.code(), Some(2), "{}", f.display());
        let e = stderr(&o);
        let name = f.file_name().expect("name").to_string_lossy().into_owned();
        assert!(e.contains(&name) && e.lines().count() == 1, "{e}");
    }
}

#[test]
fn an_unwritable_output_exits_1_and_says_where() {
    let o = extract(&["--out", "/nonexistent-dir/r.json"], &seed("004"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/nonexistent-dir/r.json"), "{}", stderr(&o));
}

#[test]
fn a_gbk_file_reads_like_its_utf8_original() {
    let dir = tempfile::tempdir().expect("tmp");
    let utf8 = std::fs::read_to_string(seed("001")).expect("seed");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&utf8);
    let f = dir.path().join("gbk.txt");
    std::fs::write(&f, &gbk).expect("write");
    let a: serde_json::Value = serde_json::from_slice(&extract(&[], &seed("001")).stdout).expect("json");
    let b: serde_json::Value = serde_json::from_slice(&extract(&[], &f).stdout).expect("json");
    assert_eq!(a["tasks"], b["tasks"]);
    assert_eq!(b["source"]["encoding"], "gb18030");
}

#[test]
fn help_names_the_subcommand_and_formats() {
    let o = bin().arg("extract").arg("--help").output().expect("runs");
    let h = String::from_utf8_lossy(&o.stdout);
    assert!(h.contains("--format") && h.contains("json") && h.contains("table"), "{h}");
    assert!(h.contains("Exit status"), "{h}");
}
