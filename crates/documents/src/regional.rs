//! A region's quarterly analysis (地区季度运行分析): its monitored indicators
//! at the quarter's end against a year earlier, its children ranked, the
//! plans of the region and of each child together (tasks by status, the
//! year's investment, reporting rates), and the key enterprises whose
//! figures fall — as a 公文 with its charts (.docx, .pdf) and the figures as
//! a workbook (.xlsx), written from the roll-ups as they stand.

use crate::chart::{self, Bar, Chart};
use crate::gongwen::{Annex, Block, Gongwen, Table};
use crate::supervision::Letterhead;
use bighealth_rules::analysis::Status;
use bighealth_store::analysis::quarterly::Narrative;
use bighealth_store::analysis::regions::RegionProgress;
use bighealth_store::enterprises::Fall;
use bighealth_store::indicators::rollup::RegionFigures;
use rust_xlsxwriter::XlsxError;

/// What a region's quarterly analysis is written from.
pub struct Region<'a> {
    /// The quarter (`2026年第二季度`).
    pub label: String,
    /// The region's figures at the quarter's end.
    pub figures: &'a RegionFigures,
    /// The plans' progress: the region's, then each child's.
    pub progress: &'a [RegionProgress],
    /// The enterprises whose figures fall.
    pub falls: &'a [Fall],
}

fn num(v: f64) -> String {
    bighealth_rules::labels::number((v * 100.0).round() / 100.0)
}

fn count(p: &RegionProgress, s: Status) -> i64 {
    p.statuses.iter().find(|c| c.status == s).map_or(0, |c| c.count)
}

/// The file name of a region's analysis, without its ending.
pub fn file_stem(r: &Region) -> String {
    format!("{}{}运行分析", r.figures.region.name, r.label)
}

/// The paragraphs drafted from the figures, for the office to edit: the
/// verdict, what lags (the children behind, the enterprises falling), what to do.
pub fn drafted(r: &Region) -> Narrative {
    let f = r.figures;
    let verdict = match r.progress.first() {
        Some(all) if all.plans > 0 && count(all, Status::Red) == 0 => "规划推进总体符合序时进度",
        Some(all) if all.plans > 0 => "规划推进总体有序，部分任务落后序时进度",
        _ => "主要指标运行平稳",
    };
    let lead = format!("{}，{}大健康产业{verdict}。现将有关情况分析如下。", r.label, f.region.name);
    let mut problems: Vec<String> = Vec::new();
    let behind: Vec<&RegionProgress> =
        r.progress.iter().skip(1).filter(|p| count(p, Status::Red) + count(p, Status::Yellow) > 0).collect();
    if !behind.is_empty() {
        let named: Vec<String> = behind
            .iter()
            .take(5)
            .map(|p| format!("{}（{} 项）", p.name, count(p, Status::Red) + count(p, Status::Yellow)))
            .collect();
        problems.push(format!("{} 个地区有重点任务落后序时进度，主要是{}", behind.len(), named.join("、")));
    }
    if !r.falls.is_empty() {
        let named: Vec<String> = r.falls.iter().take(5).map(|x| x.name.clone()).collect();
        problems.push(format!("{} 家重点企业主要经营指标低于上年同期，如{}", r.falls.len(), named.join("、")));
    }
    let problems = if problems.is_empty() {
        "本季度各地区规划总体按序时推进，重点企业运行平稳。".to_string()
    } else {
        format!("{}。", problems.join("；"))
    };
    let suggestions = "一是落后地区对照序时进度逐项分析原因，制定赶超措施；二是对经营指标下滑的重点企业开展精准服务，帮助解决实际困难；三是加强统计监测，按时报送数据。".to_string();
    Narrative { lead, problems, suggestions }
}

/// The document, numbered `number`, with the office's `narrative`.
pub fn document(r: &Region, narrative: &Narrative, head: &Letterhead, number: &str) -> Gongwen {
    let f = r.figures;
    let mut body = vec![Block::Paragraph(narrative.lead.clone())];
    body.push(Block::Heading("一、规划推进总体情况".into()));
    match r.progress.first() {
        Some(all) if all.plans > 0 => {
            let rates = if all.rates.expected > 0 {
                format!("，月度调度报送率 {}%、及时率 {}%", num(all.rates.reported_pct), num(all.rates.timely_pct))
            } else {
                String::new()
            };
            body.push(Block::Paragraph(format!(
                "截至{}末，{}及所辖地区共有规划 {} 个、重点任务 {} 项，其中红色警示 {} 项、黄色预警 {} 项、按序时推进 {} 项；项目本年度完成投资 {} 万元，按序时应完成 {} 万元{rates}。",
                f.period_label,
                f.region.name,
                all.plans,
                all.tasks,
                count(all, Status::Red),
                count(all, Status::Yellow),
                count(all, Status::Green),
                num(all.invested),
                num(all.due),
            )));
            let kids: Vec<&RegionProgress> = r.progress.iter().skip(1).filter(|p| p.tasks > 0).collect();
            if !kids.is_empty() {
                body.push(Block::Chart(Chart {
                    title: "各地区落后序时的重点任务".into(),
                    unit: "项".into(),
                    bars: kids
                        .iter()
                        .take(15)
                        .map(|p| Bar {
                            label: p.name.clone(),
                            value: (count(p, Status::Red) + count(p, Status::Yellow)) as f64,
                            colour: Status::Red.colour().into(),
                        })
                        .collect(),
                }));
                body.push(Block::Paragraph("各地区规划推进情况见附件1。".into()));
            }
        }
        _ => body.push(Block::Paragraph(format!("{}及所辖地区暂无录入平台的规划。", f.region.name))),
    }
    body.push(Block::Heading("二、主要监测指标".into()));
    if f.indicators.is_empty() {
        body.push(Block::Paragraph(format!("{}末暂无统计监测数据。", f.period_label)));
    }
    for i in f.indicators.iter().take(12) {
        let Some(v) = i.region.value else { continue };
        let unit = i.indicator.unit.clone().unwrap_or_default();
        let growth = i
            .region
            .growth
            .map(|g| format!("，同比{}{}%", if g >= 0.0 { "增长" } else { "下降" }, num(g.abs())))
            .unwrap_or_default();
        let top = i
            .children
            .iter()
            .find(|c| c.rank == Some(1))
            .map(|c| format!("；{}居首（{}{}）", c.name, num(c.value.unwrap_or(0.0)), unit))
            .unwrap_or_default();
        body.push(Block::Paragraph(format!("{}：{}{}{growth}{top}。", i.indicator.name, num(v), unit)));
    }
    if let Some(i) = f.indicators.iter().find(|i| i.children.iter().filter(|c| c.value.is_some()).count() > 1) {
        body.push(Block::Chart(Chart {
            title: format!("各地区{}", i.indicator.name),
            unit: i.indicator.unit.clone().unwrap_or_default(),
            bars: i
                .children
                .iter()
                .filter_map(|c| Some(Bar { label: c.name.clone(), value: c.value?, colour: chart::BLUE.into() }))
                .take(15)
                .collect(),
        }));
    }
    if !f.indicators.is_empty() {
        body.push(Block::Paragraph("各项指标及所辖地区排名见附件2。".into()));
    }
    body.push(Block::Heading("三、重点企业运行情况".into()));
    body.push(Block::Paragraph(if r.falls.is_empty() {
        "纳入监测的重点企业本年累计营业收入、利润和产值均未低于上年同期。".into()
    } else {
        let named: Vec<String> =
            r.falls.iter().take(10).map(|x| format!("{}{}同比下降{}%", x.name, x.label, num(-x.change))).collect();
        format!("以下重点企业主要经营指标低于上年同期，请所在地区跟踪服务：{}。", named.join("；"))
    }));
    body.push(Block::Heading("四、存在问题".into()));
    body.push(Block::Paragraph(narrative.problems.clone()));
    body.push(Block::Heading("五、下步工作建议".into()));
    body.push(Block::Paragraph(narrative.suggestions.clone()));
    let progress_table = Table {
        headers: ["地区", "规划", "重点任务", "红色", "黄色", "绿色", "投资完成（万元）", "应完成（万元）", "报送率"]
            .map(String::from)
            .to_vec(),
        rows: r
            .progress
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.plans.to_string(),
                    p.tasks.to_string(),
                    count(p, Status::Red).to_string(),
                    count(p, Status::Yellow).to_string(),
                    count(p, Status::Green).to_string(),
                    num(p.invested),
                    num(p.due),
                    if p.rates.expected > 0 { format!("{}%", num(p.rates.reported_pct)) } else { "—".into() },
                ]
            })
            .collect(),
    };
    let figures_table = Table {
        headers: ["指标", "地区", "数值", "单位", "同比（%）", "排名"].map(String::from).to_vec(),
        rows: f
            .indicators
            .iter()
            .flat_map(|i| {
                std::iter::once(&i.region).chain(i.children.iter()).filter(|x| x.value.is_some()).map(move |x| {
                    vec![
                        i.indicator.name.clone(),
                        x.name.clone(),
                        num(x.value.unwrap_or(0.0)),
                        i.indicator.unit.clone().unwrap_or_default(),
                        x.growth.map(num).unwrap_or_else(|| "—".into()),
                        x.rank.map(|r| r.to_string()).unwrap_or_default(),
                    ]
                })
            })
            .collect(),
    };
    Gongwen {
        body,
        attachments_note: vec!["附件：1. 各地区规划推进情况表".into(), "      2. 主要监测指标及排名".into()],
        annexes: vec![
            Annex { title: "各地区规划推进情况表".into(), table: progress_table },
            Annex { title: "主要监测指标及排名".into(), table: figures_table },
        ],
        ..head.gongwen(number, format!("{}{}大健康产业运行分析", f.region.name, r.label), Some("各位领导：".into()))
    }
}

/// The figures as a workbook: the indicators (as on the region page).
pub fn workbook(r: &Region) -> Result<Vec<u8>, XlsxError> {
    crate::figures::workbook(r.figures)
}
