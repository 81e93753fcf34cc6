//! The period a statistic is for, as the year and the month it ends in: a
//! month (`2026-06`, `2026年6月`), a quarter (`2026Q2`, `2026年二季度`, ends
//! in month 6) or a year (`2026`, `2026年`, ends in month 12).

use super::Periodicity;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A period's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
pub struct PeriodEnd {
    /// The year.
    pub year: i32,
    /// The month it ends in (1–12).
    pub month: u32,
}

const QUARTER_WORDS: [&str; 4] = ["一", "二", "三", "四"];

impl PeriodEnd {
    /// Reads a period as statistics tables write it; None when it is none.
    pub fn parse(text: &str) -> Option<PeriodEnd> {
        let t: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.replace('／', "/").replace('－', "-");
        let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
        let year: i32 = digits.parse().ok().filter(|y| (1949..=2100).contains(y))?;
        if digits.len() != 4 {
            return None;
        }
        let rest = t[4..].trim_start_matches(['年', '-', '/', '.']);
        let rest = rest.trim_end_matches(['末', '底']);
        if rest.is_empty() || rest == "全年" || rest == "年度" {
            return Some(PeriodEnd { year, month: 12 });
        }
        let quarter = rest
            .trim_start_matches(['Q', 'q'])
            .trim_start_matches('第')
            .trim_end_matches("季度")
            .trim_end_matches('季');
        let is_quarter = rest.starts_with(['Q', 'q']) || rest.ends_with('季') || rest.ends_with("季度");
        if is_quarter {
            let n = quarter
                .parse::<u32>()
                .ok()
                .or_else(|| QUARTER_WORDS.iter().position(|w| *w == quarter).map(|i| i as u32 + 1))?;
            return (1..=4).contains(&n).then_some(PeriodEnd { year, month: n * 3 });
        }
        let month: u32 = rest.trim_end_matches('月').trim_start_matches("1-").parse().ok()?;
        (1..=12).contains(&month).then_some(PeriodEnd { year, month })
    }

    /// The month a day falls in, as a period's end.
    pub fn of_date(day: jiff::civil::Date) -> PeriodEnd {
        PeriodEnd { year: i32::from(day.year()), month: day.month().unsigned_abs().into() }
    }

    /// The end of a reporting period's key (`2026-06`, `2026-Q2`, `2026`).
    pub fn of_key(key: &str) -> Option<PeriodEnd> {
        PeriodEnd::parse(key)
    }

    /// The same period a year earlier.
    pub fn year_before(self) -> PeriodEnd {
        PeriodEnd { year: self.year - 1, month: self.month }
    }

    /// Its key (`2026-06`).
    pub fn key(self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// How people read it at `periodicity`: `2026年6月`, `2026年二季度`, `2026年`.
    pub fn label(self, periodicity: Periodicity) -> String {
        match periodicity {
            Periodicity::Month => format!("{}年{}月", self.year, self.month),
            Periodicity::Quarter => {
                format!("{}年{}季度", self.year, QUARTER_WORDS[((self.month.clamp(1, 12) - 1) / 3) as usize])
            }
            Periodicity::Year => format!("{}年", self.year),
        }
    }

    /// Whether a value of `periodicity` may end in this month.
    pub fn fits(self, periodicity: Periodicity) -> bool {
        match periodicity {
            Periodicity::Month => true,
            Periodicity::Quarter => self.month.is_multiple_of(3),
            Periodicity::Year => self.month == 12,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_as_statistics_write_them() {
        let p = |y, m| Some(PeriodEnd { year: y, month: m });
        for (text, want) in [
            ("2026-06", p(2026, 6)),
            ("2026-6", p(2026, 6)),
            ("2026年6月", p(2026, 6)),
            ("2026年1-6月", p(2026, 6)),
            ("2026Q2", p(2026, 6)),
            ("2026-Q3", p(2026, 9)),
            ("2026年二季度", p(2026, 6)),
            ("2026年第4季度", p(2026, 12)),
            ("2026", p(2026, 12)),
            ("2026年", p(2026, 12)),
            ("2026年13月", None),
            ("26年6月", None),
            ("六月", None),
        ] {
            assert_eq!(PeriodEnd::parse(text), want, "{text}");
        }
        assert_eq!(PeriodEnd { year: 2026, month: 9 }.label(Periodicity::Quarter), "2026年三季度");
        assert!(!PeriodEnd { year: 2026, month: 5 }.fits(Periodicity::Quarter));
    }
}
