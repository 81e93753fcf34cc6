//! Bad input: never a panic, a clear error or an empty reading.

use bighealth_reader::{ReadError, read_bytes};
use proptest::prelude::*;

#[test]
fn empty_and_blank_files_are_errors() {
    assert!(matches!(read_bytes("e.txt", b""), Err(ReadError::Empty)));
    assert!(matches!(read_bytes("e.txt", b"  \r\n\t"), Err(ReadError::Empty)));
}

#[test]
fn a_binary_file_is_an_error_naming_what_it_is() {
    let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00";
    let e = read_bytes("a.out", elf).expect_err("binary");
    assert!(matches!(e, ReadError::Binary(_)), "{e}");
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
    assert!(read_bytes("x.png", png).is_err());
}

#[test]
fn legacy_office_and_pdf_files_name_the_fix() {
    let e = read_bytes("a.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").expect_err("doc");
    assert!(e.to_string().contains(".docx"), "{e}");
    let e = read_bytes("a.pdf", b"%PDF-1.7\n...").expect_err("pdf");
    assert!(e.to_string().contains("PDF"), "{e}");
}

#[test]
fn text_in_an_unknown_encoding_is_an_error() {
    // Bytes that are neither UTF-8 nor valid GB18030.
    let bytes = [0x81u8, 0x20, 0xff, 0xfe, 0x81, 0x7f, 0x80, 0xff, 0x30, 0x81, 0xff, 0x20];
    let e = read_bytes("x.txt", &bytes).expect_err("unknown encoding");
    assert!(matches!(e, ReadError::UnknownEncoding | ReadError::Binary(_)), "{e}");
}

#[test]
fn a_file_named_docx_that_is_not_a_zip_is_corrupt() {
    let e = read_bytes("plan.docx", "一、目标".as_bytes()).expect_err("not a zip");
    assert!(matches!(e, ReadError::Corrupt { .. }), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_reads_without_panicking(s in "\\PC{0,400}") {
        let _ = read_bytes("p.txt", s.as_bytes());
    }

    #[test]
    fn plan_like_text_reads_without_panicking(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("一、"), Just("（一）"), Just("1."), Just("（1）"), Just("一是"), Just("二是"), Just("\t"), Just("\n"),
                Just("（牵头单位："), Just("责任单位："), Just("）"), Just("力争2020年"), Just("达到"), Just("3—5个"), Just("由2015年的"),
                Just("增加到"), Just("亿元"), Just("以上"), Just("。"), Just("，"), Just("“"), Just("”"), Just("附件1"), Just("合计（3）个"),
                Just("序号"), Just("牵头单位"), Just("重点任务"), Just("项目名称"), Just("总投资"), Just("州民政局"), Just("翻一番"),
            ],
            0..80,
        )
    ) {
        let s: String = parts.concat();
        if let Ok(r) = read_bytes("p.txt", s.as_bytes()) {
            let n = s.chars().count();
            for t in &r.tasks {
                prop_assert!(t.span.start <= t.span.end && t.span.end <= n);
            }
            for t in &r.targets {
                prop_assert!(t.span.start <= t.span.end && t.span.end <= n);
            }
        }
    }

    #[test]
    fn any_bytes_read_without_panicking(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_bytes("b.bin", &b);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&b);
        let _ = read_bytes("b.docx", &zip);
    }
}

/// A document far larger and more repetitive than any plan: every step is
/// linear or capped, so it reads (this would take hours if any were
/// quadratic in the number of items).
#[test]
fn a_huge_repetitive_document_reads_with_caps_reported() {
    let mut s = String::from("某市大健康产业发展规划\n二、重点任务\n");
    for i in 1..=300 {
        s.push_str(&format!("（{}）推进工作{i}。\n", bighealth_reader::numerals::cn_numeral(i % 99 + 1)));
        for j in 1..=20 {
            s.push_str(&format!(
                "{j}.建设项目{i}-{j}，新增床位{j}张。（牵头单位：市卫生健康委；责任单位：市民政局）\n"
            ));
        }
    }
    s.push_str(&"（牵头单位：".repeat(20_000));
    s.push('\n');
    let r = read_bytes("huge.txt", s.as_bytes()).expect("reads");
    assert_eq!(r.tasks.len(), 6_000);
    assert!(r.tasks.iter().all(|t| t.lead == ["市卫生健康委"]));
    assert_eq!(r.targets.len(), 6_000);
    assert!(r.findings.iter().any(|f| f.code == "not_checked"), "the duplicate check says it was skipped");
}
