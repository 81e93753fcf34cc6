//! A quarter of the year (`2026-Q3`), as the quarterly analysis names it:
//! its key, its Chinese name (2026年第三季度), its last day and the one
//! before it.

use crate::refusal::{Reason, Refusal};
use jiff::civil::Date;

/// A quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    /// The year.
    pub year: i16,
    /// 1–4.
    pub q: i8,
}

impl Quarter {
    /// The quarter of `key` (`2026-Q3`), or a refusal naming how to write one.
    pub fn parse(key: &str) -> Result<Quarter, Refusal> {
        let bad = || Reason::PeriodKey { key: key.chars().take(20).collect(), cycle: "季度".into() }.on("quarter");
        let (year, q) = key.split_once("-Q").ok_or_else(bad)?;
        let year: i16 = year.parse().map_err(|_| bad())?;
        let q: i8 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&q) || !(1949..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }

    /// The last quarter ended on or before `day`.
    pub fn ended_by(day: Date) -> Quarter {
        let q = (day.month() - 1) / 3 + 1;
        let ends = Date::new(day.year(), q * 3, 1).map(|d| d.last_of_month()).unwrap_or(day);
        let this = Quarter { year: day.year(), q };
        if ends <= day { this } else { this.before() }
    }

    /// The quarter before.
    pub fn before(self) -> Quarter {
        if self.q == 1 { Quarter { year: self.year - 1, q: 4 } } else { Quarter { year: self.year, q: self.q - 1 } }
    }

    /// Its key (`2026-Q3`).
    pub fn key(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }

    /// Its name (`2026年第三季度`).
    pub fn label(self) -> String {
        let n = ["一", "二", "三", "四"][usize::try_from(self.q - 1).unwrap_or(0).min(3)];
        format!("{}年第{n}季度", self.year)
    }

    /// Its last day.
    pub fn end(self) -> Date {
        Date::new(self.year, self.q * 3, 1).map(|d| d.last_of_month()).unwrap_or(Date::MIN)
    }

    /// Its first day.
    pub fn start(self) -> Date {
        Date::new(self.year, self.q * 3 - 2, 1).unwrap_or(Date::MIN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn quarters_are_named_and_counted() {
        let q = Quarter::parse("2026-Q3").unwrap();
        assert_eq!(
            (q.label(), q.end(), q.start()),
            ("2026年第三季度".to_string(), date(2026, 9, 30), date(2026, 7, 1))
        );
        assert_eq!(q.before().key(), "2026-Q2");
        assert_eq!(Quarter::parse("2026-Q1").unwrap().before().key(), "2025-Q4");
        assert_eq!(Quarter::ended_by(date(2026, 11, 30)).key(), "2026-Q3");
        assert_eq!(Quarter::ended_by(date(2026, 12, 31)).key(), "2026-Q4");
        assert_eq!(Quarter::parse("2026-Q5").unwrap_err().reason.code(), "period_key");
        assert!(Quarter::parse("2026-3").is_err());
    }
}
