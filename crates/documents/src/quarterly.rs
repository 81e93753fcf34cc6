//! The quarterly analysis (季度运行分析) of a plan: the 公文 the office
//! issues to the leaders ([`document`]) — a verdict in one line, the counts
//! of targets, tasks and projects by status against 序时, what lags with
//! its units, the reporting rates, the change since last quarter, the
//! office's paragraphs on problems and next steps, and the tables as
//! attachments — and the same figures as an Excel workbook with its charts
//! ([`workbook`]).
//!
//! The figures come from the store's [`PlanStatus`] of the quarter's end
//! (and of the quarter before); the paragraphs the office writes are its
//! [`Narrative`], which [`drafted`] drafts from the figures.

use crate::chart::{self, Bar};
use crate::gongwen::{Annex, Block, Gongwen, Table};
use crate::supervision::Letterhead;
use bighealth_rules::analysis::{self, Status};
use bighealth_rules::reporting::rates::Rates;
use bighealth_rules::supervision::grouped;
pub use bighealth_store::analysis::quarterly::Narrative;
use bighealth_store::analysis::status::{ItemStatus, PlanStatus};
use rust_xlsxwriter::{Chart, ChartType, Color, Format, Workbook, XlsxError};

/// What a quarter's analysis is written from.
#[derive(Debug, Clone)]
pub struct Quarter<'a> {
    /// The plan's name.
    pub plan: &'a str,
    /// The quarter (`2026年第三季度`).
    pub label: String,
    /// The status at the quarter's end.
    pub status: &'a PlanStatus,
    /// The status at the end of the quarter before, if any.
    pub previous: Option<&'a PlanStatus>,
    /// The reporting rates over the quarter's periods, if any were due.
    pub rates: Option<Rates>,
}

fn count(s: &PlanStatus, kind: &str, status: Status) -> i64 {
    s.kinds
        .iter()
        .find(|k| k.kind == kind)
        .and_then(|k| k.counts.iter().find(|c| c.status == status))
        .map(|c| c.count)
        .unwrap_or(0)
}

fn total(s: &PlanStatus, kind: &str) -> i64 {
    s.kinds.iter().find(|k| k.kind == kind).map(|k| k.total).unwrap_or(0)
}

/// `12 项目标中，绿色 5 项、黄色 3 项…`: the counts of a kind in words.
fn counts_words(s: &PlanStatus, kind: &str, label: &str) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .rev()
        .filter_map(|st| {
            let n = count(s, kind, *st);
            (n > 0).then(|| format!("{}{n}项", st.label()))
        })
        .collect();
    if parts.is_empty() {
        format!("暂无{label}")
    } else {
        format!("{}项{label}中，{}", total(s, kind), parts.join("、"))
    }
}

fn lagging<'a>(s: &'a PlanStatus, kind: &str) -> Vec<&'a ItemStatus> {
    s.items.iter().filter(|i| i.kind == kind && matches!(i.judgement.status, Status::Red | Status::Yellow)).collect()
}

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{}%", analysis::points(v))).unwrap_or_else(|| "—".into())
}

fn points(v: Option<f64>) -> String {
    v.map(analysis::points).unwrap_or_else(|| "—".into())
}

/// The paragraphs drafted from the figures, for the office to edit.
pub fn drafted(q: &Quarter) -> Narrative {
    let s = q.status;
    let green = count(s, "target", Status::Green);
    let warn = count(s, "target", Status::Yellow);
    let red = count(s, "target", Status::Red);
    let lead = format!(
        "截至{}末，{}。目标中 {green} 项达到序时进度、{warn} 项黄色预警、{red} 项红色警示；{}；{}。",
        s.period.label,
        q.plan,
        counts_words(s, "task", "任务"),
        counts_words(s, "project", "项目"),
    );
    let mut problems: Vec<String> = Vec::new();
    for (kind, label) in [("target", "目标"), ("task", "任务"), ("project", "项目")] {
        let list = lagging(s, kind);
        if list.is_empty() {
            continue;
        }
        let named: Vec<String> = list
            .iter()
            .take(5)
            .map(|i| format!("“{}”（{}）", i.title, i.unit.as_deref().unwrap_or("未明确责任单位")))
            .collect();
        problems.push(format!(
            "{}项{label}落后序时进度，主要是{}{}",
            list.len(),
            named.join("、"),
            if list.len() > 5 { "等" } else { "" }
        ));
    }
    if let Some(r) = &q.rates
        && r.missing > 0
    {
        problems.push(format!("本季度有 {} 份报表未按时报送，报送率 {}", r.missing, percent(Some(r.reported_pct))));
    }
    let problems = if problems.is_empty() {
        "本季度各项工作总体按序时推进，未发现明显滞后事项。".to_string()
    } else {
        format!("{}。", problems.join("；"))
    };
    let suggestions = "一是对落后序时的目标、任务和项目逐项分析原因，责任单位制定赶超措施，按月报送进展；二是对红色警示事项启动督查督办，限期整改；三是压实报送责任，确保按时、准确报送调度数据。".to_string();
    Narrative { lead, problems, suggestions }
}

/// The table of targets (附件1): 指标, 单位, 目标, 完成, 序时, 完成率, 差, 状态, 牵头单位.
fn target_table(s: &PlanStatus) -> Table {
    Table {
        headers: ["序号", "指标", "目标年份", "本期完成", "序时进度", "完成进度", "差（百分点）", "状态", "责任单位"]
            .map(String::from)
            .to_vec(),
        rows: s
            .items
            .iter()
            .filter(|i| i.kind == "target")
            .enumerate()
            .map(|(n, i)| {
                let j = &i.judgement;
                vec![
                    (n + 1).to_string(),
                    i.title.clone(),
                    j.year.map(|y| y.year.to_string()).unwrap_or_else(|| "—".into()),
                    j.actual.map(grouped).unwrap_or_else(|| "—".into()),
                    percent(j.schedule),
                    percent(j.progress),
                    points(j.gap),
                    j.status.label().to_string(),
                    i.unit.clone().unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    }
}

/// The table of what lags (附件2): tasks and projects yellow or red, with their reason.
fn lagging_table(s: &PlanStatus) -> Table {
    let rows: Vec<Vec<String>> = ["task", "project"]
        .iter()
        .flat_map(|k| lagging(s, k))
        .enumerate()
        .map(|(n, i)| {
            vec![
                (n + 1).to_string(),
                if i.kind == "task" { "任务" } else { "项目" }.to_string(),
                i.title.clone(),
                i.unit.clone().unwrap_or_else(|| "—".into()),
                i.judgement.status.label().to_string(),
                i.judgement.reason.clone(),
            ]
        })
        .collect();
    Table {
        headers: ["序号", "类别", "事项", "责任单位", "状态", "情况"].map(String::from).to_vec(), rows
    }
}

/// The quarterly analysis as a 公文, numbered `number`, with the office's `narrative`.
pub fn document(q: &Quarter, narrative: &Narrative, head: &Letterhead, number: &str) -> Gongwen {
    let s = q.status;
    let mut body = vec![Block::Paragraph(narrative.lead.clone()), Block::Heading("一、总体情况".into())];
    body.push(Block::Paragraph(format!(
        "按截至{}末审核通过的调度数据，对照序时进度：{}；{}；{}。",
        s.period.label,
        counts_words(s, "target", "目标"),
        counts_words(s, "task", "任务"),
        counts_words(s, "project", "项目"),
    )));
    let bars: Vec<Bar> = Status::ALL
        .iter()
        .map(|st| Bar {
            label: st.label().into(),
            value: s
                .kinds
                .iter()
                .map(|k| k.counts.iter().filter(|c| c.status == *st).map(|c| c.count).sum::<i64>())
                .sum::<i64>() as f64,
            colour: st.colour().into(),
        })
        .filter(|b| b.value > 0.0)
        .collect();
    if !bars.is_empty() {
        body.push(Block::Chart(chart::Chart {
            title: format!("{}末目标、任务、项目推进状态", s.period.label),
            unit: "项".into(),
            bars,
        }));
    }
    body.push(Block::Heading("二、主要目标完成情况".into()));
    let targets: Vec<&ItemStatus> = s.items.iter().filter(|i| i.kind == "target").collect();
    if targets.is_empty() {
        body.push(Block::Paragraph("本规划未设置量化目标。".into()));
    }
    for i in lagging(s, "target").iter().take(10) {
        body.push(Block::Paragraph(format!("{}：{}", i.title, i.judgement.reason)));
    }
    if !targets.is_empty() {
        body.push(Block::Paragraph("各目标完成情况见附件1。".into()));
    }
    body.push(Block::Heading("三、重点项目推进情况".into()));
    let projects = lagging(s, "project");
    body.push(Block::Paragraph(if total(s, "project") == 0 {
        "本期无在建年度投资计划的项目。".into()
    } else if projects.is_empty() {
        "重点项目投资完成均达到序时进度。".into()
    } else {
        format!("{}。其中，", counts_words(s, "project", "项目"))
            + &projects
                .iter()
                .take(10)
                .map(|i| format!("“{}”（{}）{}", i.title, i.unit.as_deref().unwrap_or("—"), i.judgement.reason))
                .collect::<Vec<_>>()
                .join("；")
            + "。"
    }));
    let invested = |f: fn(&analysis::Judgement) -> Option<f64>| -> f64 {
        s.items.iter().filter(|i| i.kind == "project").filter_map(|i| f(&i.judgement)).sum()
    };
    let (due, done) = (invested(|j| j.expected), invested(|j| j.actual));
    if due > 0.0 || done > 0.0 {
        body.push(Block::Chart(chart::Chart {
            title: "重点项目本年度投资".into(),
            unit: "万元".into(),
            bars: vec![
                Bar { label: "按序时应完成".into(), value: due, colour: chart::BLUE.into() },
                Bar { label: "实际完成".into(), value: done, colour: Status::Green.colour().into() },
            ],
        }));
    }
    body.push(Block::Heading("四、重点任务推进情况".into()));
    let tasks = lagging(s, "task");
    body.push(Block::Paragraph(format!(
        "{}。{}",
        counts_words(s, "task", "任务"),
        if tasks.is_empty() {
            "各项任务均按序时推进。".to_string()
        } else {
            "滞后任务及责任单位见附件2。".to_string()
        }
    )));
    body.push(Block::Heading("五、调度报送情况".into()));
    body.push(Block::Paragraph(match &q.rates {
        Some(r) if r.expected > 0 => format!(
            "本季度应报 {} 份，按时报送 {} 份、逾期报送 {} 份、未报送 {} 份，报送率 {}，及时率 {}。",
            r.expected,
            r.timely,
            r.late,
            r.missing,
            percent(Some(r.reported_pct)),
            percent(Some(r.timely_pct))
        ),
        _ => "本季度暂无应报报表。".into(),
    }));
    if let Some(r) = q.rates.as_ref().filter(|r| r.expected > 0) {
        body.push(Block::Chart(chart::Chart {
            title: "本季度调度报送情况".into(),
            unit: "份".into(),
            bars: vec![
                Bar { label: "按时报送".into(), value: r.timely as f64, colour: Status::Green.colour().into() },
                Bar { label: "逾期报送".into(), value: r.late as f64, colour: Status::Yellow.colour().into() },
                Bar { label: "未报送".into(), value: r.missing as f64, colour: Status::Red.colour().into() },
            ],
        }));
    }
    if let Some(prev) = q.previous {
        body.push(Block::Heading("六、与上季度相比".into()));
        let change = |kind: &str, label: &str| {
            let now = count(s, kind, Status::Red) + count(s, kind, Status::Yellow);
            let before = count(prev, kind, Status::Red) + count(prev, kind, Status::Yellow);
            let delta = now - before;
            let how = match delta {
                0 => "持平".to_string(),
                d if d > 0 => format!("增加 {d} 项"),
                d => format!("减少 {} 项", -d),
            };
            format!("落后序时的{label} {now} 项，比上季度末（{}）{how}", prev.period.label)
        };
        body.push(Block::Paragraph(format!(
            "{}；{}；{}。",
            change("target", "目标"),
            change("task", "任务"),
            change("project", "项目")
        )));
    }
    let n = if q.previous.is_some() { ["七", "八"] } else { ["六", "七"] };
    body.push(Block::Heading(format!("{}、存在问题", n[0])));
    body.push(Block::Paragraph(narrative.problems.clone()));
    body.push(Block::Heading(format!("{}、下步工作建议", n[1])));
    body.push(Block::Paragraph(narrative.suggestions.clone()));
    Gongwen {
        body,
        attachments_note: vec!["附件：1. 主要目标完成情况表".into(), "      2. 落后序时的任务和项目清单".into()],
        annexes: vec![
            Annex { title: "主要目标完成情况表".into(), table: target_table(s) },
            Annex { title: "落后序时的任务和项目清单".into(), table: lagging_table(s) },
        ],
        ..head.gongwen(number, format!("{}{}运行分析", q.plan, q.label), Some("各位领导：".into()))
    }
}

/// The quarter's figures as an Excel workbook: the counts by status with
/// their chart, every item with its status and reason, and the data behind
/// each chart.
pub fn workbook(q: &Quarter) -> Result<Vec<u8>, XlsxError> {
    let s = q.status;
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xE3E9ED)).set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    {
        let sheet = book.add_worksheet().set_name("推进状态")?;
        sheet.write_string(0, 0, format!("{}{}末推进状态", q.plan, s.period.label))?;
        sheet.write_string_with_format(1, 0, "类别", &header)?;
        let statuses: Vec<Status> = Status::ALL.iter().rev().copied().collect();
        for (c, st) in statuses.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16 + 1, st.label(), &header)?;
        }
        sheet.write_string_with_format(1, statuses.len() as u16 + 1, "合计", &header)?;
        for (r, (kind, label)) in [("target", "目标"), ("task", "任务"), ("project", "项目")].iter().enumerate() {
            let row = r as u32 + 2;
            sheet.write_string(row, 0, *label)?;
            for (c, st) in statuses.iter().enumerate() {
                sheet.write_number(row, c as u16 + 1, count(s, kind, *st) as f64)?;
            }
            sheet.write_number(row, statuses.len() as u16 + 1, total(s, kind) as f64)?;
        }
        let mut chart = Chart::new(ChartType::BarStacked);
        chart.title().set_name("推进状态（按类别）");
        for (c, st) in statuses.iter().enumerate() {
            let col = c as u16 + 1;
            let colour = u32::from_str_radix(st.colour().trim_start_matches('#'), 16).unwrap_or(0x909399);
            chart
                .add_series()
                .set_name(("推进状态", 1, col))
                .set_categories(("推进状态", 2, 0, 4, 0))
                .set_values(("推进状态", 2, col, 4, col))
                .set_format(
                    rust_xlsxwriter::ChartFormat::new()
                        .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(Color::RGB(colour))),
                );
        }
        sheet.insert_chart(6, 0, &chart)?;
        sheet.set_column_width(0, 12)?;
    }
    {
        let sheet = book.add_worksheet().set_name("逐项状态")?;
        let heads =
            ["类别", "事项", "责任单位", "状态", "序时进度（%）", "完成进度（%）", "差（百分点）", "本期完成", "说明"];
        for (c, h) in heads.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &header)?;
        }
        for (r, i) in s.items.iter().enumerate() {
            let row = r as u32 + 1;
            let j = &i.judgement;
            let kind = match i.kind.as_str() {
                "target" => "目标",
                "task" => "任务",
                _ => "项目",
            };
            sheet.write_string(row, 0, kind)?;
            sheet.write_string_with_format(row, 1, &i.title, &wrap)?;
            sheet.write_string(row, 2, i.unit.as_deref().unwrap_or(""))?;
            sheet.write_string(row, 3, j.status.label())?;
            for (c, v) in [(4, j.schedule), (5, j.progress), (6, j.gap), (7, j.actual)] {
                if let Some(v) = v {
                    sheet.write_number(row, c, (v * 100.0).round() / 100.0)?;
                }
            }
            sheet.write_string_with_format(row, 8, &j.reason, &wrap)?;
        }
        for (c, w) in [(0, 6), (1, 40), (2, 18), (3, 10), (4, 12), (5, 12), (6, 12), (7, 12), (8, 60)] {
            sheet.set_column_width(c, w)?;
        }
    }
    if let Some(r) = &q.rates {
        let sheet = book.add_worksheet().set_name("报送情况")?;
        for (c, h) in ["应报", "按时报送", "逾期报送", "未报送", "报送率（%）", "及时率（%）"].iter().enumerate()
        {
            sheet.write_string_with_format(0, c as u16, *h, &header)?;
        }
        for (c, v) in
            [r.expected as f64, r.timely as f64, r.late as f64, r.missing as f64, r.reported_pct, r.timely_pct]
                .iter()
                .enumerate()
        {
            sheet.write_number(1, c as u16, *v)?;
        }
        let mut chart = Chart::new(ChartType::Pie);
        chart.title().set_name("本季度报送情况");
        chart.add_series().set_categories(("报送情况", 0, 1, 0, 3)).set_values(("报送情况", 1, 1, 1, 3));
        sheet.insert_chart(3, 0, &chart)?;
    }
    book.save_to_buffer()
}
