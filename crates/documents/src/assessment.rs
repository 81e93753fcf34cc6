//! The 通报 of a year's assessment (年度考核结果通报): the units ranked
//! within their groups, the first and the last named, the grades, each
//! vetoed unit with its reason, the units ordered to rectify — as a 公文
//! (.docx, .pdf) with a chart of the totals and the table of every item's
//! points as its attachment.

use crate::chart::{self, Bar, Chart};
use crate::gongwen::{Annex, Block, Gongwen, Table};
use crate::supervision::Letterhead;
use bighealth_rules::scoring::rank::Grade;
use bighealth_store::assessment::results::{Assessment, UnitResult};

fn num(v: f64) -> String {
    bighealth_rules::labels::number((v * 100.0).round() / 100.0)
}

/// The file name of a year's 通报, without its ending.
pub fn file_stem(a: &Assessment) -> String {
    format!("{}{}年度考核结果通报", a.title.clone().unwrap_or_default(), a.year)
}

fn names(units: &[&UnitResult]) -> String {
    units.iter().map(|u| u.unit_name.as_str()).collect::<Vec<_>>().join("、")
}

/// The document.
pub fn document(a: &Assessment, head: &Letterhead, number: &str) -> Gongwen {
    let plan = a.title.clone().unwrap_or_else(|| "规划".into());
    let mut body = vec![Block::Paragraph(format!(
        "根据《{plan}》确定的考核办法，按照“月调度、季分析、年考核”的要求，依据各单位{}年度月度报送、重点任务推进、目标完成和督办事项办理情况，对 {} 个责任单位进行了年度考核。现将考核结果通报如下。",
        a.year,
        a.units.len()
    ))];
    body.push(Block::Heading("一、考核结果".into()));
    let counts: Vec<String> =
        a.grade_counts().into_iter().filter(|(_, n)| *n > 0).map(|(g, n)| format!("{}{} 个", g.label(), n)).collect();
    body.push(Block::Paragraph(format!(
        "本次考核满分 {} 分（另设加分不超过 {} 分、扣分不超过 {} 分）。考核等次为：{}。",
        num(a.scheme.full()),
        num(a.scheme.bonus_cap),
        num(a.scheme.deduction_cap),
        if counts.is_empty() { "无".into() } else { counts.join("，") }
    )));
    let mut groups: Vec<&str> = a.units.iter().map(|u| u.group.as_str()).collect();
    groups.dedup();
    for (n, group) in groups.iter().enumerate() {
        let members: Vec<&UnitResult> = a.units.iter().filter(|u| u.group == *group).collect();
        let top: Vec<&UnitResult> = members.iter().copied().filter(|u| u.place.rank == 1).collect();
        let last_rank = members.iter().map(|u| u.place.rank).max().unwrap_or(1);
        let bottom: Vec<&UnitResult> =
            members.iter().copied().filter(|u| u.place.rank == last_rank && last_rank > 1).collect();
        body.push(Block::Subheading(format!("（{}）{group}", bighealth_reader::numerals::cn_numeral(n as u32 + 1))));
        let mut text = format!(
            "{group}共 {} 个单位参加考核，{}得分最高（{} 分）",
            members.len(),
            names(&top),
            num(top.first().map_or(0.0, |u| u.score.total))
        );
        if !bottom.is_empty() {
            text.push_str(&format!("，{}排名末位（{} 分）", names(&bottom), num(bottom[0].score.total)));
        }
        let excellent: Vec<&UnitResult> =
            members.iter().copied().filter(|u| u.place.grade == Grade::Excellent).collect();
        if !excellent.is_empty() {
            text.push_str(&format!("；{}考核等次为优秀", names(&excellent)));
        }
        text.push('。');
        body.push(Block::Paragraph(text));
    }
    body.push(Block::Chart(Chart {
        title: format!("{}年度考核得分", a.year),
        unit: "分".into(),
        bars: a
            .units
            .iter()
            .take(20)
            .map(|u| Bar {
                label: u.unit_name.clone(),
                value: u.score.total,
                colour: if u.place.grade == Grade::Fail { "#c23531".into() } else { chart::BLUE.into() },
            })
            .collect(),
    }));
    body.push(Block::Paragraph("各单位考核得分及排名见附件。".into()));
    let vetoed: Vec<&UnitResult> = a.units.iter().filter(|u| u.score.veto.is_some()).collect();
    let rectify: Vec<&UnitResult> = a.units.iter().filter(|u| u.place.rectify).collect();
    body.push(Block::Heading("二、存在问题和整改要求".into()));
    for u in &vetoed {
        body.push(Block::Paragraph(format!(
            "{}因{}，实行一票否决，考核等次确定为不合格。",
            u.unit_name,
            u.score.veto.clone().unwrap_or_default()
        )));
    }
    if rectify.is_empty() {
        body.push(Block::Paragraph("本年度各单位考核等次均为合格以上，请继续保持。".into()));
    } else {
        let lost: Vec<String> = rectify
            .iter()
            .map(|u| {
                let worst = u
                    .score
                    .items
                    .iter()
                    .filter_map(|i| Some((i.name.as_str(), i.max - i.points?)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(name, off)| format!("{name}失分 {}", num(off)))
                    .unwrap_or_default();
                format!("{}（{}分，{}）", u.unit_name, num(u.score.total), worst)
            })
            .collect();
        body.push(Block::Paragraph(format!(
            "{}考核排名靠后或等次为不合格，对工作推进不力的予以通报批评，责令限期整改。上述单位要对照扣分事项逐项整改，于一个月内向规划办公室报送整改报告；整改事项已纳入督查督办，逐项跟踪销号。",
            lost.join("；")
        )));
    }
    body.push(Block::Heading("三、下步工作要求".into()));
    body.push(Block::Paragraph(
        "各单位要认真分析考核中反映出的问题，对标先进、补齐短板，确保规划各项目标任务按期完成。考核结果作为评先评优和下年度资金安排的重要依据。"
            .into(),
    ));
    let table = Table {
        headers: std::iter::once("排名".to_string())
            .chain(["单位", "分组"].map(String::from))
            .chain(a.scheme.items.iter().map(|i| format!("{}（{}）", i.name, num(i.points))))
            .chain(["加分", "扣分", "总分", "自评", "等次"].map(String::from))
            .collect(),
        rows: a
            .units
            .iter()
            .map(|u| {
                let mut row = vec![u.place.rank.to_string(), u.unit_name.clone(), u.group.clone()];
                row.extend(u.score.items.iter().map(|i| i.points.map(num).unwrap_or_else(|| "不涉及".into())));
                row.extend([
                    num(u.score.bonus),
                    num(u.score.deduction),
                    num(u.score.total),
                    u.self_total.map(num).unwrap_or_else(|| "—".into()),
                    u.place.grade.label().to_string(),
                ]);
                row
            })
            .collect(),
    };
    Gongwen {
        body,
        attachments_note: vec![format!("附件：{}年度考核得分及排名表", a.year)],
        annexes: vec![Annex { title: format!("{}年度考核得分及排名表", a.year), table }],
        copy_to: Some("各责任单位".into()),
        ..head.gongwen(number, format!("关于{}{}年度考核结果的通报", plan, a.year), Some("各责任单位：".into()))
    }
}
