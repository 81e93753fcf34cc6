//! The span of a plan and the year of each of its targets, with where each
//! came from: the reading keeps a target's year only where its sentence or
//! heading states one; the analysis falls back on the plan's own period.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a year was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    /// The target's sentence or its heading (`到2020年`).
    Stated,
    /// The plan's period as its title or text names it (`2016—2020年`).
    PlanPeriod,
    /// A five-year plan named in the title (十四五: 2021–2025).
    FiveYearPlan,
    /// A one-year work plan (`2017年…工作要点`): its year.
    WorkYear,
}

impl YearSource {
    /// How a sentence says it.
    pub fn label(self) -> &'static str {
        match self {
            YearSource::Stated => "目标原文写明",
            YearSource::PlanPeriod => "按规划期末",
            YearSource::FiveYearPlan => "按五年规划期末",
            YearSource::WorkYear => "按年度工作计划当年",
        }
    }
}

/// The years a plan runs over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PlanSpan {
    /// The first year.
    pub first: i16,
    /// The last year.
    pub last: i16,
    /// Where it was read.
    pub source: YearSource,
}

impl PlanSpan {
    /// A plan of one year.
    pub fn one_year(&self) -> bool {
        self.first == self.last
    }
}

/// The five-year plans (十一五 …) and their years.
const FIVE_YEAR_PLANS: [(&str, i16); 6] =
    [("十一五", 2006), ("十二五", 2011), ("十三五", 2016), ("十四五", 2021), ("十五五", 2026), ("十六五", 2031)];

/// Words of a plan for one year's work.
const WORK_PLAN_WORDS: [&str; 5] = ["工作要点", "工作计划", "年度", "工作方案", "行动方案"];

/// The years a plan runs over, from its title (`（2016—2020年）`, `2017年…
/// 工作要点`, `“十四五”`) and the years its reading found (`base_year`,
/// `target_year`); `None` where neither names one.
pub fn plan_span(title: Option<&str>, base_year: Option<i64>, target_year: Option<i64>) -> Option<PlanSpan> {
    let year = |y: i64| i16::try_from(y).ok().filter(|y| (1949..=2100).contains(y));
    let title = title.unwrap_or_default();
    let in_title: Vec<i16> = years_in(title);
    if let (Some(&first), Some(&last)) = (in_title.iter().min(), in_title.iter().max())
        && first < last
    {
        return Some(PlanSpan { first, last, source: YearSource::PlanPeriod });
    }
    if let Some(&(_, first)) = FIVE_YEAR_PLANS.iter().find(|(name, _)| title.contains(name)) {
        return Some(PlanSpan { first, last: first + 4, source: YearSource::FiveYearPlan });
    }
    if let [only] = in_title[..]
        && WORK_PLAN_WORDS.iter().any(|w| title.contains(w))
    {
        return Some(PlanSpan { first: only, last: only, source: YearSource::WorkYear });
    }
    match (base_year.and_then(year), target_year.and_then(year)) {
        (Some(first), Some(last)) if first < last => Some(PlanSpan { first, last, source: YearSource::PlanPeriod }),
        (_, Some(last)) if in_title.contains(&last) => {
            Some(PlanSpan { first: last, last, source: YearSource::WorkYear })
        }
        (first, Some(last)) => {
            Some(PlanSpan { first: first.filter(|f| *f <= last).unwrap_or(last), last, source: YearSource::PlanPeriod })
        }
        _ => None,
    }
}

/// The years (1949–2100) written in `text` as four digits.
fn years_in(text: &str) -> Vec<i16> {
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() == 4
            && let Ok(y) = digits.parse::<i16>()
            && (1949..=2100).contains(&y)
        {
            out.push(y);
        }
        digits.clear();
    }
    out
}

/// A target's year and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TargetYear {
    /// The year by which it holds.
    pub year: i16,
    /// Where it was read.
    pub source: YearSource,
}

/// The year of a target: as stated, else the plan's last year.
pub fn target_year(stated: Option<i64>, span: Option<&PlanSpan>) -> Option<TargetYear> {
    match stated.and_then(|y| i16::try_from(y).ok()).filter(|y| (1949..=2100).contains(y)) {
        Some(year) => Some(TargetYear { year, source: YearSource::Stated }),
        None => span.map(|s| TargetYear { year: s.last, source: s.source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plans_span_is_read_from_its_title_and_meta() {
        let span = |t: &str, b, e| plan_span(Some(t), b, e).map(|s| (s.first, s.last, s.source));
        assert_eq!(
            span("黔东南州2017年大健康产业发展工作要点", None, Some(2017)),
            Some((2017, 2017, YearSource::WorkYear))
        );
        assert_eq!(
            span("河北省“大健康、新医疗”产业发展规划（2016—2020年）", Some(2016), Some(2020)),
            Some((2016, 2020, YearSource::PlanPeriod))
        );
        assert_eq!(
            span("黔江区促进大健康产业高质量发展行动计划（2020-2025年）", Some(2020), Some(2025)),
            Some((2020, 2025, YearSource::PlanPeriod))
        );
        assert_eq!(span("某省“十四五”健康产业发展规划", None, None), Some((2021, 2025, YearSource::FiveYearPlan)));
        assert_eq!(span("某市“十三五”大健康规划", None, None), Some((2016, 2020, YearSource::FiveYearPlan)));
        assert_eq!(span("永州市培育大健康产业工作方案", None, None), None);
        assert_eq!(span("某县大健康产业规划", Some(2021), Some(2030)), Some((2021, 2030, YearSource::PlanPeriod)));
    }

    #[test]
    fn a_targets_year_says_where_it_came_from() {
        let span = PlanSpan { first: 2016, last: 2020, source: YearSource::PlanPeriod };
        assert_eq!(target_year(Some(2018), Some(&span)), Some(TargetYear { year: 2018, source: YearSource::Stated }));
        assert_eq!(target_year(None, Some(&span)), Some(TargetYear { year: 2020, source: YearSource::PlanPeriod }));
        assert_eq!(target_year(None, None), None);
    }
}
