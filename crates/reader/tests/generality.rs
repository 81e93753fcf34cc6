//! Plans written in other styles than the seeds: chapters and sections,
//! an indicator table, unit lines printed before a section's items or with
//! role marks after names, and a notice whose headline has no 《》.

use bighealth_reader::read_bytes;

const PLAN: &str = "某市人民政府办公室关于印发某市健康产业发展
“十四五”规划（2021—2025年）的通知
某府办发〔2021〕12号
各县（市、区）人民政府，市直各单位：
现将规划印发给你们，请认真贯彻执行。
某市人民政府办公室　2021年9月30日
某市健康产业发展“十四五”规划（2021—2025年）
第一章　发展基础
“十三五”期间，全市健康产业增加值已达到120亿元。
第二章　发展目标
到2025年，全市健康产业增加值突破200亿元，年均增长10%左右。
主要指标表

\t指标
\t单位
\t2020年
\t2025年
\t属性

\t健康产业增加值
\t亿元
\t120
\t>200
\t预期性

\t每千人口医疗卫生机构床位数
\t张
\t6.2
\t7.5
\t约束性

第三章　重点任务
第一节　做强医药制造
牵头单位：市工业和信息化局；责任单位：市科技局、市市场监管局
一、推进中药材基地建设。新建中药材规范化种植基地5个。
二、培育龙头企业。培育年销售收入超10亿元的企业3家。
第二节　发展健康服务
一、发展医养结合。推动医疗机构与养老机构合作。（责任单位：市卫生健康委（牵头）、市民政局）
二、发展健康旅游。建设康养小镇2至3个。（责任单位：市文化旅游局（牵头）、市林业局）
第三节　培育健康管理
一、发展健康体检。培育专业体检机构。
牵头单位：市卫生健康委
配合单位：市市场监管局、市医保局
第四章　保障措施
一、加强组织领导。建立联席会议制度。
二、强化要素保障。落实用地政策。
";

#[test]
fn chapters_sections_and_items_give_paths_titles_and_units() {
    let r = read_bytes("plan.txt", PLAN.as_bytes()).expect("reads");
    let got: Vec<(String, String, Vec<String>, Vec<String>)> =
        r.tasks.iter().map(|t| (t.path.join("/"), t.title.clone(), t.lead.clone(), t.responsible.clone())).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                "第三章/第一节/一".into(),
                "推进中药材基地建设".into(),
                s(&["市工业和信息化局"]),
                s(&["市科技局", "市市场监管局"])
            ),
            (
                "第三章/第一节/二".into(),
                "培育龙头企业".into(),
                s(&["市工业和信息化局"]),
                s(&["市科技局", "市市场监管局"])
            ),
            ("第三章/第二节/一".into(), "发展医养结合".into(), s(&["市卫生健康委"]), s(&["市民政局"])),
            ("第三章/第二节/二".into(), "发展健康旅游".into(), s(&["市文化旅游局"]), s(&["市林业局"])),
            ("第三章/第三节/一".into(), "发展健康体检".into(), s(&["市卫生健康委"]), s(&["市市场监管局", "市医保局"])),
            ("第四章/一".into(), "加强组织领导".into(), vec![], vec![]),
            ("第四章/二".into(), "强化要素保障".into(), vec![], vec![]),
        ]
    );
}

#[test]
fn headline_meta_without_book_title_marks() {
    let r = read_bytes("plan.txt", PLAN.as_bytes()).expect("reads");
    let m = &r.meta;
    assert_eq!(m.title.as_deref(), Some("某市健康产业发展“十四五”规划（2021—2025年）"));
    assert_eq!(m.doc_number.as_deref(), Some("某府办发〔2021〕12号"));
    assert_eq!(m.issuer.as_deref(), Some("某市人民政府办公室"));
    assert_eq!(m.issued_on.as_deref(), Some("2021-09-30"));
    assert_eq!(m.region.as_deref(), Some("某市"));
    assert_eq!((m.base_year, m.target_year), (Some(2021), Some(2025)));
}

#[test]
fn targets_from_text_and_from_the_indicator_table() {
    let r = read_bytes("plan.txt", PLAN.as_bytes()).expect("reads");
    type Row = (String, f64, Option<f64>, Option<String>, Option<i32>, String, Option<f64>);
    let got: Vec<Row> = r
        .targets
        .iter()
        .map(|t| {
            (t.indicator.clone(), t.value, t.value_max, t.unit.clone(), t.year, t.comparator.clone(), t.baseline_value)
        })
        .collect();
    let has = |ind: &str, v: f64, unit: &str, year: Option<i32>, cmp: &str| {
        got.iter().any(|g| g.0.contains(ind) && g.1 == v && g.3.as_deref() == Some(unit) && g.4 == year && g.5 == cmp)
    };
    assert!(has("健康产业增加值", 200.0, "亿元", Some(2025), ">="), "{got:#?}");
    assert!(has("年均增长", 10.0, "%", Some(2025), "="), "{got:#?}");
    assert!(has("床位数", 7.5, "张", Some(2025), "="), "{got:#?}");
    assert!(got.iter().any(|g| g.0.contains("床位数") && g.6 == Some(6.2)), "baseline from the 2020 column: {got:#?}");
    assert!(has("中药材规范化种植基地", 5.0, "个", None, "="), "{got:#?}");
    assert!(got.iter().any(|g| g.0.contains("康养小镇") && g.1 == 2.0 && g.2 == Some(3.0)), "{got:#?}");
    // A fact of the past is no target.
    assert!(!got.iter().any(|g| g.1 == 120.0 && g.4.is_none()), "{got:#?}");
    assert_eq!(r.tables.iter().map(|t| t.kind.as_str()).collect::<Vec<_>>(), ["indicator"]);
}

#[test]
fn a_notice_whose_plan_is_its_annex_reads_the_annex() {
    let doc = "某县人民政府办公室关于做好大健康产业工作的通知\n各乡镇：\n现将有关事项通知如下，请遵照执行。\n附件\n某县大健康产业工作安排\n一、重点工作\n（一）建设康养基地。新建康养基地2个。（牵头单位：县民政局）\n（二）发展中药材。（牵头单位：县农业农村局）\n";
    let r = read_bytes("notice.txt", doc.as_bytes()).expect("reads");
    let paths: Vec<String> = r.tasks.iter().map(|t| t.path.join("/")).collect();
    assert_eq!(paths, ["一/（一）", "一/（二）"]);
    assert_eq!(r.tasks[1].lead, ["县农业农村局"]);
    assert_eq!(r.targets.len(), 1);
}

/// A page as government sites publish it: a metadata table over the article,
/// indented paragraphs, and the division table drawn with merged cells.
const PAGE: &str = r#"<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>某县人民政府办公室关于印发某县大健康产业发展实施方案的通知_政策文件</title>
<script>document.write('一、不是正文');</script></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="main"><div class="position">当前位置：<a href="/">首页</a> &gt; 政策文件</div>
<table class="xxgk"><tr><td>索引号：</td><td>11520000/2022-00012</td><td>发文机关：</td><td>某县人民政府办公室</td></tr>
<tr><td>成文日期：</td><td>2022年04月01日</td><td>发文字号：</td><td>某府办发〔2022〕5号</td></tr></table>
<div class="TRS_Editor">
<p style="text-align:center">某县大健康产业发展实施方案</p>
<p>&nbsp;&nbsp;为加快大健康产业发展，制定本方案。</p>
<p>&nbsp;&nbsp;一、重点任务</p>
<p>&nbsp;&nbsp;（一）发展中药材种植。到2025年，中药材种植面积达到5万亩以上。</p>
<p>&nbsp;&nbsp;（二）建设康养基地。新建康养基地3个。</p>
<p>附件</p><p>重点任务分工表</p>
<table border="1"><tr><td>序号</td><td>重点任务</td><td>牵头单位</td><td>配合单位</td></tr>
<tr><td>1</td><td>发展中药材种植</td><td rowspan="2">县农业农村局</td><td>县林业局</td></tr>
<tr><td>2</td><td>建设康养基地</td><td>县民政局、县文旅局</td></tr></table>
</div></div>
<div class="footer">主办：某县人民政府办公室 ICP备案号：黔ICP备0000号</div></body></html>"#;

#[test]
fn a_government_web_page_with_metadata_and_a_merged_division_table() {
    let r = read_bytes("page.html", PAGE.as_bytes()).expect("reads");
    let m = &r.meta;
    assert_eq!(m.title.as_deref(), Some("某县大健康产业发展实施方案"), "{m:?}");
    assert_eq!(m.doc_number.as_deref(), Some("某府办发〔2022〕5号"), "{m:?}");
    assert_eq!(m.issuer.as_deref(), Some("某县人民政府办公室"), "{m:?}");
    assert_eq!(m.issued_on.as_deref(), Some("2022-04-01"), "{m:?}");
    let tasks: Vec<(String, Vec<String>, Vec<String>)> =
        r.tasks.iter().map(|t| (t.title.clone(), t.lead.clone(), t.responsible.clone())).collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        tasks,
        vec![
            ("发展中药材种植".to_string(), s(&["县农业农村局"]), s(&["县林业局"])),
            ("建设康养基地".to_string(), s(&["县农业农村局"]), s(&["县民政局", "县文旅局"])),
        ],
        "{:#?}",
        r.findings
    );
    let t: Vec<(f64, Option<String>, Option<i32>)> =
        r.targets.iter().map(|t| (t.value, t.unit.clone(), t.year)).collect();
    assert_eq!(t, vec![(5.0, Some("万亩".to_string()), Some(2025)), (3.0, Some("个".to_string()), None)]);
}
