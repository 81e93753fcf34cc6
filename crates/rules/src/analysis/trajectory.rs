//! The path of a target from its baseline to its value in its year.
//!
//! Time is counted in months: the end of month `m` of year `y` is
//! `y × 12 + m`, so the end of a year is the start of the next. A path runs
//! from a start (the stated baseline at the end of its year, zero at the
//! start of a one-year plan's year, or the first report) to the target's
//! value at the end of its year: linear in the increment, geometric for a
//! multiple of the baseline (翻一番).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Which way a target is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// 以上 / 不低于 / 达到 / 建成 N: at least N.
    AtLeast,
    /// 以下 / 不超过 / 控制在: at most N.
    AtMost,
    /// N–M: at least N, M the upper end.
    Range,
    /// A multiple of the baseline (翻一番 = 2).
    Multiple,
}

impl Direction {
    /// The direction of a reading's comparator (`>=`, `<=`, `=`, `range`, `x`).
    pub fn of(comparator: &str) -> Direction {
        match comparator {
            "<=" => Direction::AtMost,
            "range" => Direction::Range,
            "x" => Direction::Multiple,
            _ => Direction::AtLeast,
        }
    }
}

/// What a target measures, for how it is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// An amount or a count reached (床位, 企业数, 投资): along a path.
    Amount,
    /// A level that is a ratio (占比, 每千人床位, 覆盖率): along a path, never from zero.
    Ratio,
    /// A growth rate (增长 20%): its points against the target, not scaled by time.
    Growth,
}

impl Measure {
    /// The measure of a target from its indicator and unit.
    pub fn of(indicator: &str, unit: Option<&str>) -> Measure {
        let percent = matches!(unit, Some("%" | "％" | "‰" | "个百分点"));
        if percent && ["增长", "增速", "增幅", "年均增"].iter().any(|w| indicator.contains(w)) {
            return Measure::Growth;
        }
        if percent
            || ["比重", "占比", "比例", "率", "每千", "每万", "每百", "人均"].iter().any(|w| indicator.contains(w))
        {
            return Measure::Ratio;
        }
        Measure::Amount
    }
}

/// The end of month `month` of `year`, in months.
pub fn month_index(year: i16, month: i8) -> i32 {
    i32::from(year) * 12 + i32::from(month)
}

/// Where a path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = TrajectoryBasis)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The baseline the plan states.
    Stated,
    /// Zero at the start of the work year: what a one-year plan builds.
    YearStart,
    /// The first value reported.
    FirstReport,
}

impl Basis {
    /// How a sentence says it.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Stated => "规划写明的基数",
            Basis::YearStart => "年初为零",
            Basis::FirstReport => "首次报送值",
        }
    }
}

/// A value at a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = TrajectoryPoint)]
pub struct Point {
    /// The time, in months ([`month_index`]).
    pub at: i32,
    /// The value.
    pub value: f64,
}

/// A target's path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Trajectory {
    /// Where it starts.
    pub start: Point,
    /// Where it must be (the target's value at the end of its year).
    pub end: Point,
    /// What the start is.
    pub basis: Basis,
    /// Geometric (a multiple) rather than linear.
    pub geometric: bool,
}

/// Where a target's path starts when its plan names an earlier year of the
/// same indicator (到2022年…，到2025年…): the latest such milestone (year,
/// value) after the target's stated baseline and before its own year. The
/// path then runs in steps, milestone to milestone.
pub fn stepped_base(year: i64, baseline_year: Option<i64>, milestones: &[(i64, f64)]) -> Option<(i64, f64)> {
    milestones
        .iter()
        .filter(|(y, _)| *y < year && baseline_year.is_none_or(|b| *y > b))
        .max_by_key(|(y, _)| *y)
        .copied()
}

impl Trajectory {
    /// The value due at time `at` (months): the start before it, the end after.
    pub fn at(&self, at: i32) -> f64 {
        let span = self.end.at - self.start.at;
        if span <= 0 {
            return self.end.value;
        }
        let f = (f64::from(at - self.start.at) / f64::from(span)).clamp(0.0, 1.0);
        if self.geometric && self.start.value > 0.0 && self.end.value > 0.0 {
            self.start.value * (self.end.value / self.start.value).powf(f)
        } else {
            self.start.value + (self.end.value - self.start.value) * f
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_directions_are_read_the_right_way_round() {
        assert_eq!(Measure::of("大健康产业增加值同比增长", Some("%")), Measure::Growth);
        assert_eq!(Measure::of("研发经费占主营业务收入比重", Some("%")), Measure::Ratio);
        assert_eq!(Measure::of("每千常住人口医疗卫生机构床位数", Some("张")), Measure::Ratio);
        assert_eq!(Measure::of("养老床位", Some("张")), Measure::Amount);
        assert_eq!(Direction::of("<="), Direction::AtMost);
        assert_eq!(Direction::of("="), Direction::AtLeast);
        assert_eq!(Direction::of("x"), Direction::Multiple);
    }

    #[test]
    fn a_path_is_linear_or_geometric() {
        // 690 亿元 at the end of 2015 → 1 920 亿元 at the end of 2020.
        let t = Trajectory {
            start: Point { at: month_index(2015, 12), value: 690.0 },
            end: Point { at: month_index(2020, 12), value: 1920.0 },
            basis: Basis::Stated,
            geometric: false,
        };
        assert!((t.at(month_index(2018, 6)) - (690.0 + 1230.0 * 0.5)).abs() < 1e-9);
        assert_eq!(t.at(month_index(2014, 1)), 690.0);
        assert_eq!(t.at(month_index(2022, 1)), 1920.0);
        // 翻一番 over four years: √2 of the way at two.
        let g = Trajectory {
            start: Point { at: month_index(2020, 12), value: 100.0 },
            end: Point { at: month_index(2024, 12), value: 200.0 },
            basis: Basis::Stated,
            geometric: true,
        };
        assert!((g.at(month_index(2022, 12)) - 100.0 * 2f64.sqrt()).abs() < 1e-9);
    }

    #[test]
    fn a_later_target_starts_from_the_milestone_before_it() {
        let steps = [(2022, 50.0), (2025, 80.0), (2030, 95.0)];
        assert_eq!(stepped_base(2025, Some(2020), &steps), Some((2022, 50.0)));
        assert_eq!(stepped_base(2030, None, &steps), Some((2025, 80.0)));
        assert_eq!(stepped_base(2022, Some(2020), &steps), None, "the first step starts at the baseline");
        assert_eq!(stepped_base(2025, Some(2023), &steps), None, "a newer stated baseline stands");
    }
}
