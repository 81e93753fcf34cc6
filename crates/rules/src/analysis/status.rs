//! The status of a target, a task or a project at the end of a period, by
//! rule, with the figures it came from and the sentence that explains it
//! ("2026年6月末序时进度 50%，完成 37%，落后 13 个百分点").

use super::Settings;
use super::points;
use super::trajectory::{Basis, Direction, Measure, Point, Trajectory, month_index};
use super::years::{PlanSpan, TargetYear, target_year};
use crate::labels::number;
use crate::supervision::grouped;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[schema(as = AnalysisStatus)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 红: far behind 序时.
    Red,
    /// 黄: behind.
    Yellow,
    /// 未报送: nothing reported for the period (never green).
    NotReported,
    /// 无法判断: the target names no year and the plan no period.
    Unjudged,
    /// 绿: at or near 序时, ahead, or done.
    Green,
}

impl Status {
    /// Every status, the most urgent first.
    pub const ALL: [Status; 5] = [Status::Red, Status::Yellow, Status::NotReported, Status::Unjudged, Status::Green];

    /// The identifier sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Red => "red",
            Status::Yellow => "yellow",
            Status::NotReported => "not_reported",
            Status::Unjudged => "unjudged",
            Status::Green => "green",
        }
    }

    /// The word a page shows.
    pub fn label(self) -> &'static str {
        match self {
            Status::Red => "红色警示",
            Status::Yellow => "黄色预警",
            Status::NotReported => "未报送",
            Status::Unjudged => "无法判断",
            Status::Green => "正常推进",
        }
    }

    /// Its colour (a CSS colour, the same in charts and pages).
    pub fn colour(self) -> &'static str {
        match self {
            Status::Red => "#c23531",
            Status::Yellow => "#e6a23c",
            Status::NotReported => "#909399",
            Status::Unjudged => "#b0b3b8",
            Status::Green => "#3ba272",
        }
    }
}

/// Where a target is heading at the plan's end (中期评估), in the bins of
/// national practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outlook {
    /// 提前实现: met already.
    Achieved,
    /// 快于预期: ahead of its path by 10 points or more.
    Ahead,
    /// 基本符合预期: on its path, or within 10 points of it.
    OnCourse,
    /// 滞后: more than 10 points behind its path.
    Behind,
}

impl Outlook {
    /// The word an evaluation writes.
    pub fn label(self) -> &'static str {
        match self {
            Outlook::Achieved => "提前实现",
            Outlook::Ahead => "快于预期",
            Outlook::OnCourse => "基本符合预期",
            Outlook::Behind => "滞后",
        }
    }
}

/// A target's projection at the end of its year at the pace so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Projection {
    /// The bin.
    pub outlook: Outlook,
    /// The value projected at the end of the target's year.
    pub projected: f64,
    /// Whether that meets the target.
    pub will_meet: bool,
    /// Share of the whole way done, %.
    pub done: f64,
    /// Share of the whole time gone, %.
    pub elapsed: f64,
    /// The sentence.
    pub reason: String,
}

/// A status with what it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = AnalysisJudgement)]
pub struct Judgement {
    /// The status.
    pub status: Status,
    /// 序时进度, % of the year's way.
    pub schedule: Option<f64>,
    /// Progress, % of the year's way.
    pub progress: Option<f64>,
    /// Progress − 序时, in percentage points.
    pub gap: Option<f64>,
    /// The value due by now.
    pub expected: Option<f64>,
    /// The value reported.
    pub actual: Option<f64>,
    /// The target's year and where it came from.
    pub year: Option<TargetYear>,
    /// The path judged against.
    pub trajectory: Option<Trajectory>,
    /// The sentence.
    pub reason: String,
    /// Where a target is heading at its year's end at the pace so far (中期评估).
    pub projection: Option<Projection>,
}

impl Judgement {
    fn plain(status: Status, reason: String) -> Judgement {
        Judgement {
            status,
            schedule: None,
            progress: None,
            gap: None,
            expected: None,
            actual: None,
            year: None,
            trajectory: None,
            reason,
            projection: None,
        }
    }
}

/// A target as the analysis needs it.
#[derive(Debug, Clone, Default)]
pub struct TargetFacts<'a> {
    /// The indicator.
    pub indicator: &'a str,
    /// The reading's comparator.
    pub comparator: &'a str,
    /// The value (the multiple for `x`).
    pub value: f64,
    /// The upper end of a range.
    pub value_max: Option<f64>,
    /// The unit.
    pub unit: Option<&'a str>,
    /// The year where stated.
    pub year: Option<i64>,
    /// The baseline where stated.
    pub baseline_value: Option<f64>,
    /// Its year.
    pub baseline_year: Option<i64>,
}

/// A value reported for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The period's last day.
    pub end: Date,
    /// The period's name (`2026年6月`).
    pub label: String,
    /// The value, in the target's unit.
    pub value: f64,
}

/// The period judged: its last day and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct At {
    /// The last day.
    pub end: Date,
    /// The name (`2026年6月`).
    pub label: String,
}

fn with_unit(v: f64, unit: Option<&str>) -> String {
    format!("{}{}", grouped(v), unit.unwrap_or_default())
}

fn gap_words(gap: f64) -> String {
    if gap.abs() < 0.05 {
        "与序时持平".into()
    } else if gap < 0.0 {
        format!("落后 {} 个百分点", points(-gap))
    } else {
        format!("超前 {} 个百分点", points(gap))
    }
}

/// The status of a target at the end of period `at`, from its reports
/// (oldest first, in the target's unit).
pub fn judge_target(
    t: &TargetFacts,
    span: Option<&PlanSpan>,
    reports: &[Observation],
    at: &At,
    settings: &Settings,
) -> Judgement {
    let unit = t.unit;
    let Some(year) = target_year(t.year, span) else {
        return Judgement::plain(
            Status::Unjudged,
            "目标未写明年份，规划也未写明期限，无法计算序时进度；请在审核页补充目标年份".into(),
        );
    };
    let now = month_index(at.end.year(), at.end.month());
    let reported: Vec<&Observation> = reports.iter().filter(|r| r.end <= at.end).collect();
    let Some(current) = reported.last().filter(|r| r.end == at.end) else {
        let last = reported
            .last()
            .map(|r| format!("（最近一次报送：{} {}）", r.label, with_unit(r.value, unit)))
            .unwrap_or_default();
        let mut j = Judgement::plain(Status::NotReported, format!("{}尚无审核通过的目标完成值{last}", at.label));
        j.year = Some(year);
        return j;
    };
    let actual = current.value;
    let direction = Direction::of(t.comparator);
    let measure = Measure::of(t.indicator, unit);
    let target_words = |v: f64| match direction {
        Direction::AtMost => format!("目标不高于 {}", with_unit(v, unit)),
        Direction::Range => {
            format!("目标 {}—{}", grouped(v), with_unit(t.value_max.unwrap_or(v), unit))
        }
        _ => format!("目标 {}", with_unit(v, unit)),
    };
    let mut j = Judgement::plain(Status::Green, String::new());
    j.year = Some(year);
    j.actual = Some(actual);

    if measure == Measure::Growth {
        // Not scaled by time: its points against the target.
        let gap = if direction == Direction::AtMost { t.value - actual } else { actual - t.value };
        j.gap = Some(gap);
        j.status = if gap >= 0.0 {
            Status::Green
        } else if actual >= 0.0 || direction == Direction::AtMost {
            Status::Yellow
        } else {
            Status::Red
        };
        let how =
            if gap >= 0.0 { "达到目标".to_string() } else { format!("低于目标 {} 个百分点", points(-gap)) };
        j.reason = format!("{}{} {}，{}，{how}", at.label, t.indicator, with_unit(actual, unit), target_words(t.value));
        return j;
    }

    // The start of the path.
    let first = reported.first().copied().unwrap_or(current);
    let work_year = span.is_some_and(|s| s.one_year() && s.last == year.year);
    let (start, basis) = match t.baseline_value {
        Some(b) => {
            let y = t
                .baseline_year
                .and_then(|y| i16::try_from(y).ok())
                .or(span.map(|s| s.first - 1))
                .unwrap_or(year.year - 1);
            (Point { at: month_index(y, 12), value: b }, Basis::Stated)
        }
        None if work_year && measure == Measure::Amount && direction != Direction::AtMost => {
            (Point { at: month_index(year.year - 1, 12), value: 0.0 }, Basis::YearStart)
        }
        None => {
            (Point { at: month_index(first.end.year(), first.end.month()), value: first.value }, Basis::FirstReport)
        }
    };
    let goal = match direction {
        Direction::Multiple => start.value * t.value,
        _ => t.value,
    };
    let end = Point { at: month_index(year.year, 12), value: goal };
    let path = Trajectory { start, end, basis, geometric: direction == Direction::Multiple };
    j.trajectory = Some(path);
    j.expected = Some(path.at(now));

    let met = match direction {
        Direction::AtMost => actual <= goal,
        _ => actual >= goal,
    };
    j.projection = Some(project(&path, now, actual, met, direction, year.year, unit));
    if met {
        j.status = Status::Green;
        j.progress = Some(100.0);
        j.reason = format!("{}末 {}，已达到{}", at.label, with_unit(actual, unit), target_words(goal));
        return j;
    }
    if now >= end.at {
        j.status = Status::Red;
        j.reason = format!(
            "目标年份 {} 年已过，{}末 {}，未达到{}",
            year.year,
            at.label,
            with_unit(actual, unit),
            target_words(goal)
        );
        return j;
    }
    // The year's way: from last year's milestone to this year's.
    let from = start.at.max(month_index(at.end.year() - 1, 12));
    let to = end.at.min(month_index(at.end.year(), 12));
    let (m_from, m_to) = (path.at(from), path.at(to));
    let schedule = (f64::from(now - from) / f64::from((to - from).max(1)) * 100.0).clamp(0.0, 100.0);
    let way = m_to - m_from;
    let progress = if way.abs() > f64::EPSILON { (actual - m_from) / way * 100.0 } else { 100.0 };
    let gap = progress - schedule;
    j.schedule = Some(schedule);
    j.progress = Some(progress);
    j.gap = Some(gap);
    j.status = settings.status_of_gap(gap, at.end.month());
    let basis_words = match basis {
        Basis::Stated => String::new(),
        Basis::YearStart => "（自年初起算）".to_string(),
        Basis::FirstReport => format!("（以{}首次报送值为起点）", first.label),
    };
    j.reason = format!(
        "{}末序时进度 {}%（应达 {}），实际 {}，完成 {}%，{}{basis_words}",
        at.label,
        points(schedule),
        with_unit(path.at(now), unit),
        with_unit(actual, unit),
        points(progress),
        gap_words(gap),
    );
    j
}

/// Where a target on `path`, at `actual` at time `now`, is heading at the
/// path's end at the pace since its start.
fn project(
    path: &Trajectory,
    now: i32,
    actual: f64,
    met: bool,
    direction: Direction,
    year: i16,
    unit: Option<&str>,
) -> Projection {
    let (start, end) = (path.start, path.end);
    let months = f64::from((now - start.at).max(0));
    let left = f64::from((end.at - now).max(0));
    let projected = if months <= 0.0 {
        actual
    } else if path.geometric && start.value > 0.0 && actual > 0.0 {
        actual * (actual / start.value).powf(left / months)
    } else {
        actual + (actual - start.value) / months * left
    };
    let way = end.value - start.value;
    let done = if way.abs() > f64::EPSILON { (actual - start.value) / way * 100.0 } else { 100.0 };
    let elapsed = (f64::from(now - start.at) / f64::from((end.at - start.at).max(1)) * 100.0).clamp(0.0, 100.0);
    let will_meet = match direction {
        Direction::AtMost => projected <= end.value,
        _ => projected >= end.value,
    };
    let outlook = if met {
        Outlook::Achieved
    } else if done - elapsed >= 10.0 {
        Outlook::Ahead
    } else if done - elapsed > -10.0 {
        Outlook::OnCourse
    } else {
        Outlook::Behind
    };
    let reason = if met {
        "已提前实现目标".to_string()
    } else {
        format!(
            "已完成全程目标的 {}%，时间进度 {}%；按目前进度，{year} 年末预计达到 {}，{}",
            points(done),
            points(elapsed),
            with_unit(projected, unit),
            if will_meet { "可以实现目标" } else { "难以实现目标" }
        )
    };
    Projection { outlook, projected, will_meet, done, elapsed, reason }
}

/// The status of a task at the end of period `at`: by the share it reports
/// against the way to its node where both are known, else by the status it
/// reports (滞后 yellow, 未启动 past its node red).
pub fn judge_task(
    status: Option<&str>,
    status_name: &str,
    share: Option<f64>,
    node: Option<Date>,
    at: &At,
    settings: &Settings,
) -> Judgement {
    let Some(code) = status else {
        return Judgement::plain(Status::NotReported, format!("{}未报送任务进展", at.label));
    };
    if code == "done" || share.is_some_and(|s| s >= 100.0) {
        let mut j = Judgement::plain(Status::Green, format!("{}报送“{}”", at.label, status_name));
        j.progress = Some(100.0);
        return j;
    }
    let past_node = node.is_some_and(|n| n <= at.end);
    if let (Some(share), Some(node)) = (share, node) {
        let year_start = month_index(at.end.year() - 1, 12);
        let due = month_index(node.year(), node.month()).max(year_start + 1);
        let now = month_index(at.end.year(), at.end.month());
        let schedule = (f64::from(now - year_start) / f64::from(due - year_start) * 100.0).clamp(0.0, 100.0);
        let gap = share - schedule;
        let mut j = Judgement::plain(settings.status_of_gap(gap, at.end.month()), String::new());
        if past_node && j.status == Status::Yellow {
            j.status = Status::Red;
        }
        j.schedule = Some(schedule);
        j.progress = Some(share);
        j.gap = Some(gap);
        j.reason = format!(
            "完成时限 {}，{}末序时进度 {}%，报送“{}”完成 {}%，{}",
            crate::supervision::date_zh(node),
            at.label,
            points(schedule),
            status_name,
            points(share),
            gap_words(gap)
        );
        return j;
    }
    let (state, why) = match code {
        "ahead" | "on_track" => (Status::Green, String::new()),
        "behind" if past_node => (Status::Red, "，且已过完成时限".to_string()),
        "behind" | "other" => (Status::Yellow, String::new()),
        "not_started" if past_node => (Status::Red, "，完成时限已到".to_string()),
        "not_started" => (Status::Yellow, String::new()),
        _ => (Status::Yellow, String::new()),
    };
    let share_words = share.map(|s| format!("，完成 {}%", points(s))).unwrap_or_default();
    let mut j = Judgement::plain(state, format!("{}报送“{status_name}”{share_words}{why}", at.label));
    j.progress = share;
    j
}

/// A project's investment of the year against its plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectYear {
    /// The year's planned investment, 万元.
    pub year_plan: f64,
    /// How the year's plan was found (`按总投资 … 平均`), where not stated.
    pub basis: Option<String>,
    /// Completed this year up to the period's end, 万元.
    pub done: f64,
    /// Whether anything was reported for the period.
    pub reported: bool,
}

impl ProjectYear {
    /// The year's plan of a project of total investment `total` (万元) built
    /// over the years its period names (`2020—2021年`): the total spread
    /// evenly, with the sentence saying so; `None` outside its years.
    pub fn plan_of(total: f64, period: Option<&str>, year: i16) -> Option<(f64, Option<String>)> {
        let (first, last) = period.and_then(crate::supervision::lag::years_of)?;
        if !(first..=last).contains(&i64::from(year)) || total <= 0.0 {
            return None;
        }
        let n = (last - first + 1) as f64;
        let basis = (n > 1.0).then(|| format!("按总投资 {} 万元、建设期 {first}—{last} 年平均", grouped(total)));
        Some((total / n, basis))
    }
}

/// The status of a project's investment at the end of period `at`: the
/// year's completed share against 序时 (months elapsed ÷ 12).
pub fn judge_project(p: &ProjectYear, at: &At, settings: &Settings) -> Judgement {
    let month = at.end.month();
    let schedule = f64::from(month) / 12.0 * 100.0;
    if !p.reported {
        let mut j = Judgement::plain(Status::NotReported, format!("{}未报送项目投资完成情况", at.label));
        j.schedule = Some(schedule);
        return j;
    }
    let progress = if p.year_plan > 0.0 { p.done / p.year_plan * 100.0 } else { 100.0 };
    let gap = progress - schedule;
    let mut j = Judgement::plain(settings.status_of_gap(gap, month), String::new());
    j.schedule = Some(schedule);
    j.progress = Some(progress);
    j.gap = Some(gap);
    j.expected = Some(p.year_plan * schedule / 100.0);
    j.actual = Some(p.done);
    let basis = p.basis.as_ref().map(|b| format!("（{b}）")).unwrap_or_default();
    j.reason = format!(
        "计划年度投资 {} 万元{basis}，截至 {month} 月完成 {} 万元，序时进度 {}%，完成 {}%，{}",
        grouped(p.year_plan),
        grouped(p.done),
        number(schedule.round()),
        number(progress.round()),
        gap_words(gap.round()),
    );
    j
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::years::YearSource;
    use jiff::civil::date;

    fn at(y: i16, m: i8) -> At {
        At { end: date(y, m, 1).last_of_month(), label: format!("{y}年{m}月") }
    }

    fn obs(y: i16, m: i8, value: f64) -> Observation {
        let a = at(y, m);
        Observation { end: a.end, label: a.label, value }
    }

    const HEBEI: PlanSpan = PlanSpan { first: 2016, last: 2020, source: YearSource::PlanPeriod };
    const WORK_2017: PlanSpan = PlanSpan { first: 2017, last: 2017, source: YearSource::WorkYear };

    #[test]
    fn a_stated_baseline_gives_the_years_way() {
        // 由2015年的690亿元增加到2020年的1920亿元: 246 亿元 a year.
        let t = TargetFacts {
            indicator: "健康产业增加值",
            comparator: ">=",
            value: 1920.0,
            unit: Some("亿元"),
            year: Some(2020),
            baseline_value: Some(690.0),
            baseline_year: Some(2015),
            ..TargetFacts::default()
        };
        // June 2018: the year runs from 1 182 to 1 428; 序时 50% → 1 305 due.
        let j = judge_target(&t, Some(&HEBEI), &[obs(2018, 6, 1250.0)], &at(2018, 6), &Settings::default());
        assert_eq!(j.schedule, Some(50.0));
        assert!((j.expected.unwrap() - 1305.0).abs() < 1e-9);
        // (1250 − 1182) ÷ 246 = 27.6%: 22.4 points behind → yellow.
        assert!((j.progress.unwrap() - 27.642).abs() < 0.01);
        assert_eq!(j.status, Status::Yellow);
        assert_eq!(
            j.reason,
            "2018年6月末序时进度 50%（应达 1 305亿元），实际 1 250亿元，完成 27.6%，落后 22.4 个百分点"
        );
        assert_eq!(j.year.unwrap().source, YearSource::Stated);
    }

    #[test]
    fn a_decrease_target_is_judged_downwards() {
        // 孕产妇死亡率 from 12 (2020) down to 10 by 2025 (no more than): 0.4 a year.
        let t = TargetFacts {
            indicator: "孕产妇死亡率",
            comparator: "<=",
            value: 10.0,
            unit: Some("/10万"),
            baseline_value: Some(12.0),
            baseline_year: Some(2020),
            ..TargetFacts::default()
        };
        let span = PlanSpan { first: 2021, last: 2025, source: YearSource::FiveYearPlan };
        // End of 2022: due 11.2; 11.0 is ahead (the year's way from 11.6 to 11.2 done 150%).
        let j = judge_target(&t, Some(&span), &[obs(2022, 12, 11.0)], &at(2022, 12), &Settings::default());
        assert_eq!(j.status, Status::Green);
        assert!((j.progress.unwrap() - 150.0).abs() < 1e-6);
        assert_eq!(j.year.unwrap(), TargetYear { year: 2025, source: YearSource::FiveYearPlan });
        // 11.9 at the same time is 125 points behind → red.
        let j = judge_target(&t, Some(&span), &[obs(2022, 12, 11.9)], &at(2022, 12), &Settings::default());
        assert_eq!(j.status, Status::Red);
        // 9.8 is within the target: met.
        let j = judge_target(&t, Some(&span), &[obs(2022, 12, 9.8)], &at(2022, 12), &Settings::default());
        assert_eq!((j.status, j.progress), (Status::Green, Some(100.0)));
        assert!(j.reason.contains("已达到目标不高于 10/10万"), "{}", j.reason);
    }

    #[test]
    fn a_one_year_plan_runs_by_month_from_zero() {
        // 培育年产值1亿级的企业3个 in 2017: 1 by September is 33% against 75%.
        let t = TargetFacts {
            indicator: "培育年产值1亿级的企业",
            comparator: "=",
            value: 3.0,
            unit: Some("个"),
            ..TargetFacts::default()
        };
        let j = judge_target(&t, Some(&WORK_2017), &[obs(2017, 9, 1.0)], &at(2017, 9), &Settings::default());
        assert_eq!(j.schedule, Some(75.0));
        assert_eq!(j.trajectory.unwrap().basis, Basis::YearStart);
        assert!((j.gap.unwrap() - (100.0 / 3.0 - 75.0)).abs() < 1e-9);
        assert_eq!(j.status, Status::Red);
        assert_eq!(j.year.unwrap().source, YearSource::WorkYear);
        // None of 3 by February is 16.7 points behind: yellow.
        let j = judge_target(&t, Some(&WORK_2017), &[obs(2017, 2, 0.0)], &at(2017, 2), &Settings::default());
        assert_eq!(j.status, Status::Yellow, "{}", j.reason);
    }

    #[test]
    fn a_range_is_met_at_its_lower_end() {
        let t = TargetFacts {
            indicator: "培育全国知名品牌",
            comparator: "range",
            value: 3.0,
            value_max: Some(5.0),
            unit: Some("个"),
            year: Some(2030),
            ..TargetFacts::default()
        };
        let j = judge_target(&t, None, &[obs(2026, 6, 3.0)], &at(2026, 6), &Settings::default());
        assert_eq!(j.status, Status::Green);
        assert!(j.reason.contains("已达到目标 3—5个"), "{}", j.reason);
    }

    #[test]
    fn a_doubling_runs_geometrically_from_the_baseline() {
        // 产值翻一番 2016–2020 from 100 at the end of 2015: 200 by 2020.
        let t = TargetFacts {
            indicator: "规模以上产业产值",
            comparator: "x",
            value: 2.0,
            unit: Some("亿元"),
            year: Some(2020),
            baseline_value: Some(100.0),
            baseline_year: Some(2015),
            ..TargetFacts::default()
        };
        let j = judge_target(&t, Some(&HEBEI), &[obs(2018, 12, 150.0)], &at(2018, 12), &Settings::default());
        let due = 100.0 * 2f64.powf(3.0 / 5.0);
        assert!((j.expected.unwrap() - due).abs() < 1e-9);
        assert_eq!(j.trajectory.unwrap().end.value, 200.0);
        assert_eq!(j.status, Status::Green, "{}", j.reason);
        // Without a baseline the first report is the base.
        let t = TargetFacts { baseline_value: None, baseline_year: None, ..t };
        let j = judge_target(
            &t,
            Some(&HEBEI),
            &[obs(2017, 12, 120.0), obs(2018, 12, 125.0)],
            &at(2018, 12),
            &Settings::default(),
        );
        assert_eq!(j.trajectory.unwrap().basis, Basis::FirstReport);
        assert_eq!(j.trajectory.unwrap().end.value, 240.0);
        assert!(j.reason.contains("（以2017年12月首次报送值为起点）"), "{}", j.reason);
    }

    #[test]
    fn the_midterm_projects_each_target_at_its_pace() {
        // 690 (2015) → 1 920 (2020); 1 250 by June 2018: 45.5% of the way in 50% of the time.
        let t = TargetFacts {
            indicator: "健康产业增加值",
            comparator: ">=",
            value: 1920.0,
            unit: Some("亿元"),
            year: Some(2020),
            baseline_value: Some(690.0),
            baseline_year: Some(2015),
            ..TargetFacts::default()
        };
        let j = judge_target(&t, Some(&HEBEI), &[obs(2018, 6, 1250.0)], &at(2018, 6), &Settings::default());
        let p = j.projection.unwrap();
        // 560 in 30 months, 30 months left: 1 810 at the end of 2020.
        assert!((p.projected - 1810.0).abs() < 1e-9);
        assert!(!p.will_meet);
        assert_eq!(p.outlook, Outlook::OnCourse, "45.5% done in 50% of the time");
        assert_eq!(
            p.reason,
            "已完成全程目标的 45.5%，时间进度 50%；按目前进度，2020 年末预计达到 1 810亿元，难以实现目标"
        );
        let j = judge_target(&t, Some(&HEBEI), &[obs(2018, 6, 1600.0)], &at(2018, 6), &Settings::default());
        let p = j.projection.unwrap();
        assert_eq!((p.outlook, p.will_meet), (Outlook::Ahead, true));
        let j = judge_target(&t, Some(&HEBEI), &[obs(2018, 6, 900.0)], &at(2018, 6), &Settings::default());
        assert_eq!(j.projection.unwrap().outlook, Outlook::Behind);
        let j = judge_target(&t, Some(&HEBEI), &[obs(2018, 6, 2000.0)], &at(2018, 6), &Settings::default());
        assert_eq!(j.projection.unwrap().outlook, Outlook::Achieved);
    }

    #[test]
    fn a_growth_rate_is_judged_in_points_not_time() {
        let t = TargetFacts {
            indicator: "大健康产业增加值同比增长",
            comparator: ">=",
            value: 20.0,
            unit: Some("%"),
            year: Some(2017),
            ..TargetFacts::default()
        };
        let j = judge_target(&t, Some(&WORK_2017), &[obs(2017, 6, 15.2)], &at(2017, 6), &Settings::default());
        assert_eq!(j.status, Status::Yellow);
        assert_eq!(j.reason, "2017年6月大健康产业增加值同比增长 15.2%，目标 20%，低于目标 4.8 个百分点");
        let j = judge_target(&t, Some(&WORK_2017), &[obs(2017, 6, -1.0)], &at(2017, 6), &Settings::default());
        assert_eq!(j.status, Status::Red);
    }

    #[test]
    fn nothing_reported_and_no_year_are_their_own_states() {
        let t = TargetFacts {
            indicator: "养老床位",
            comparator: ">=",
            value: 600.0,
            unit: Some("张"),
            ..TargetFacts::default()
        };
        let j = judge_target(&t, Some(&WORK_2017), &[obs(2017, 4, 100.0)], &at(2017, 6), &Settings::default());
        assert_eq!(j.status, Status::NotReported);
        assert_eq!(j.reason, "2017年6月尚无审核通过的目标完成值（最近一次报送：2017年4月 100张）");
        let j = judge_target(&t, None, &[obs(2017, 6, 100.0)], &at(2017, 6), &Settings::default());
        assert_eq!(j.status, Status::Unjudged);
        // A target whose year has passed unmet is red.
        let j = judge_target(&t, Some(&WORK_2017), &[obs(2018, 1, 500.0)], &at(2018, 1), &Settings::default());
        assert_eq!(j.status, Status::Red);
    }

    #[test]
    fn tasks_and_projects_are_judged_against_schedule() {
        let s = Settings::default();
        let node = date(2026, 12, 31);
        let j = judge_task(Some("on_track"), "序时推进", Some(20.0), Some(node), &at(2026, 6), &s);
        assert_eq!((j.status, j.gap), (Status::Red, Some(-30.0)));
        assert_eq!(
            j.reason,
            "完成时限 2026年12月31日，2026年6月末序时进度 50%，报送“序时推进”完成 20%，落后 30 个百分点"
        );
        let j = judge_task(Some("not_started"), "未启动", None, Some(date(2026, 5, 31)), &at(2026, 6), &s);
        assert_eq!(j.status, Status::Red);
        let j = judge_task(Some("behind"), "滞后", None, None, &at(2026, 6), &s);
        assert_eq!(j.status, Status::Yellow);
        assert_eq!(judge_task(None, "", None, None, &at(2026, 6), &s).status, Status::NotReported);
        let p = ProjectYear { year_plan: 5000.0, basis: None, done: 1200.0, reported: true };
        let j = judge_project(&p, &at(2026, 6), &s);
        assert_eq!(j.status, Status::Yellow);
        assert_eq!(
            j.reason,
            "计划年度投资 5 000 万元，截至 6 月完成 1 200 万元，序时进度 50%，完成 24%，落后 26 个百分点"
        );
    }
}
