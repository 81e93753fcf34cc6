//! The findings a careful reader of the seeds raises, and the checks on
//! synthetic documents built to trip them.

use crate::common::read_seed;
use bighealth_reader::{Reading, read_bytes};

fn codes_with<'a>(r: &'a Reading, code: &str) -> Vec<&'a str> {
    r.findings.iter().filter(|f| f.code == code).map(|f| f.message.as_str()).collect()
}

#[test]
fn seed_002_body_and_annex_disagree_on_the_number_of_hospitals() {
    let r = read_seed("002");
    let msgs = codes_with(&r, "annex_number_mismatch");
    assert!(msgs.iter().any(|m| m.contains("4个三级甲等医院") && m.contains("3个三级甲等医院")), "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("4+3") && m.contains("3+4")), "{msgs:#?}");
    // Rows that print the same numbers as the body raise nothing.
    assert!(!msgs.iter().any(|m| m.contains("新建3—5个国家级住院医师")), "{msgs:#?}");
}

#[test]
fn seed_002_body_and_annex_disagree_on_wording() {
    let r = read_seed("002");
    let msgs = codes_with(&r, "annex_wording_mismatch");
    assert!(msgs.iter().any(|m| m.contains("博望气体") && m.contains("博望氧气")), "{msgs:#?}");
    assert!(msgs.iter().any(|m| m.contains("体育特色小镇") && m.contains("体育特色村庄")), "{msgs:#?}");
    // A row without numbers raises no number mismatch.
    assert!(!codes_with(&r, "annex_number_mismatch").iter().any(|m| m.contains("加强与市内外三级甲等医院")));
}

#[test]
fn seed_002_annex_numbers_its_safeguards_section_differently() {
    let r = read_seed("002");
    let msgs = codes_with(&r, "annex_structure_mismatch");
    assert!(msgs.iter().any(|m| m.contains("保障措施") && m.contains("三") && m.contains("四")), "{msgs:#?}");
}

#[test]
fn seed_002_repeated_task_and_projects_are_flagged() {
    let r = read_seed("002");
    let dup = codes_with(&r, "duplicate_item");
    assert!(dup.iter().any(|m| m.contains("一/6/（6）") && m.contains("二/9/（4）")), "{dup:#?}");
    let proj = codes_with(&r, "duplicate_project");
    assert!(
        proj.iter().any(|m| m.contains("渝东南中医药传承创新中心建设项目") && m.contains("重庆市黔江区中医院迁建项目")),
        "{proj:#?}"
    );
}

#[test]
fn seed_002_unit_typo_and_two_forms_are_flagged() {
    let r = read_seed("002");
    assert!(codes_with(&r, "unit_near_miss").iter().any(|m| m.contains("正阳工作园区管委会")));
    assert!(codes_with(&r, "unit_two_forms").iter().any(|m| m.contains("区大数据局")));
}

#[test]
fn seed_001_unit_typo_is_flagged() {
    let r = read_seed("001");
    let msgs = codes_with(&r, "unit_near_miss");
    assert!(msgs.iter().any(|m| m.contains("州卫生卫计委") && m.contains("州卫生计生委")), "{msgs:#?}");
}

#[test]
fn seed_002_project_totals_agree_so_no_total_finding() {
    let r = read_seed("002");
    assert!(codes_with(&r, "total_mismatch").is_empty());
    assert!(codes_with(&r, "subtotal_mismatch").is_empty());
    let sum: f64 = r.projects.iter().filter_map(|p| p.investment_wan).sum();
    assert_eq!(sum, 2_790_637.0);
}

const PROJECT_TABLE: &str = "重点项目表\n\n\t序号\n\t项目名称\n\t总投资（万元）\n\t责任单位\n\n\t合计（3）个\n\t\n\t400\n\t\n\n\t养老产业（2个）\n\t250\n\t\n\n\t1\n\t甲养老院\n\t100\n\t区民政局\n\n\t2\n\t乙养老院\n\t200\n\t区民政局\n\n\t医疗（1个）\n\t50\n\t\n\n\t3\n\t丙医院\n\t50\n\t区卫生健康委\n";

#[test]
fn a_subtotal_and_a_total_that_differ_from_their_rows_are_found() {
    let r = read_bytes("t.txt", PROJECT_TABLE.as_bytes()).expect("reads");
    assert_eq!(r.projects.len(), 3);
    let sub = codes_with(&r, "subtotal_mismatch");
    assert_eq!(sub.len(), 1, "{sub:#?}");
    assert!(sub[0].contains("养老产业") && sub[0].contains("300"));
    let total = codes_with(&r, "total_mismatch");
    assert!(total.iter().any(|m| m.contains("400") && m.contains("350")), "{total:#?}");
    assert_eq!(r.projects[1].category.as_deref(), Some("养老产业"));
}

#[test]
fn a_document_without_structure_reads_empty_with_a_finding_that_says_why() {
    let r = read_bytes("notes.txt", "今天开会。\n大家讨论了很多问题。\n".as_bytes()).expect("reads");
    assert!(r.tasks.is_empty() && r.targets.is_empty() && r.projects.is_empty());
    assert!(r.findings.iter().any(|f| f.code == "no_structure"), "{:#?}", r.findings);
}
