//! Analysis (季分析) without I/O: where a target, a task or a project should
//! stand by now (序时进度) and where it does, judged by the office's
//! thresholds and explained in a sentence.
//!
//! - [`years`]: the span of a plan read from its title and meta (a one-year
//!   工作要点, `2016—2020年`, 十四五) and the year of each target with where
//!   it came from;
//! - [`trajectory`]: the path of a target from its baseline (stated, zero at
//!   the start of a work year, or the first report) to its value in its year,
//!   linear, or geometric for a multiple (翻一番);
//! - [`status`]: the status of a target, a task or a project at the end of a
//!   period, with its inputs and its sentence;
//! - [`quarter`]: the quarters the quarterly analysis is written for.
//!
//! The defaults follow `CYCLE.md` §4: 序时 is months elapsed ÷ 12; the gap is
//! progress minus 序时 in percentage points; 绿 above −10, 黄 down to −30,
//! 红 below; no 红 before March; 未报送 is its own state, never green.

pub mod quarter;
pub mod status;
pub mod trajectory;
pub mod years;

pub use status::{Judgement, Status};

use crate::refusal::{Reason, Refusal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The office's thresholds for a plan's statuses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = AnalysisSettings)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// 黄 from this many points behind 序时 (10).
    pub yellow_behind: f64,
    /// 红 from this many points behind 序时 (30).
    pub red_behind: f64,
    /// No 红 before this month of the year (3: a slow January is not yet a failure).
    pub red_from_month: i8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { yellow_behind: 10.0, red_behind: 30.0, red_from_month: 3 }
    }
}

impl Settings {
    /// Refuses thresholds that cannot order the statuses.
    pub fn check(&self) -> Result<(), Refusal> {
        let ok = self.yellow_behind.is_finite()
            && self.red_behind.is_finite()
            && self.yellow_behind > 0.0
            && self.red_behind > self.yellow_behind;
        if !ok {
            let reason = Reason::ThresholdsOrder {
                yellow: crate::labels::number(self.yellow_behind),
                red: crate::labels::number(self.red_behind),
            };
            return Err(Refusal::from(reason).on("yellow_behind"));
        }
        if !(1..=12).contains(&self.red_from_month) {
            let reason = Reason::OutOfRange { value: i64::from(self.red_from_month), min: 1, max: 12 };
            return Err(Refusal::from(reason).on("red_from_month"));
        }
        Ok(())
    }

    /// The status of a gap of `gap` points (progress − 序时) in `month`.
    pub fn status_of_gap(&self, gap: f64, month: i8) -> Status {
        if gap > -self.yellow_behind {
            Status::Green
        } else if gap > -self.red_behind || month < self.red_from_month {
            Status::Yellow
        } else {
            Status::Red
        }
    }
}

/// A share or a gap in points as a sentence or a table writes it: at most
/// one decimal.
pub fn points(v: f64) -> String {
    crate::labels::number((v * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_order_the_statuses() {
        let s = Settings::default();
        assert_eq!(s.status_of_gap(-9.9, 6), Status::Green);
        assert_eq!(s.status_of_gap(-10.0, 6), Status::Yellow);
        assert_eq!(s.status_of_gap(-29.9, 6), Status::Yellow);
        assert_eq!(s.status_of_gap(-30.0, 6), Status::Red);
        assert_eq!(s.status_of_gap(-60.0, 2), Status::Yellow, "no red before March");
        assert!(s.check().is_ok());
        let bad = Settings { yellow_behind: 30.0, red_behind: 10.0, ..Settings::default() };
        assert_eq!(bad.check().unwrap_err().reason.code(), "thresholds_order");
        let bad = Settings { red_from_month: 13, ..Settings::default() };
        assert_eq!(bad.check().unwrap_err().reason.code(), "out_of_range");
    }
}
