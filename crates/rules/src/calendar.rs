//! Working days: the holiday calendar an office keeps (法定节假日 and the
//! weekend days made workdays, 调休), one file per year in the State
//! Council's form (`date<TAB>kind<TAB>holiday`, `休` a day off, `班` a
//! workday). Any day not listed is a workday from Monday to Friday. The
//! national calendar of 2026 is shipped; an office imports later years.
//!
//! Dates are China Standard Time (UTC+8, no daylight saving): a moment in
//! milliseconds since the epoch falls on [`date_of`].

use crate::refusal::{Reason, Refusal};
use jiff::civil::{Date, Weekday};
use std::collections::BTreeMap;

/// The national calendar of 2026, as the State Council's notice sets it.
pub const NATIONAL_2026: &str = include_str!("../data/holidays-2026.tsv");

/// What a listed day is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 休: a day off (a statutory holiday or a day moved into one).
    Off,
    /// 班: a weekend day worked.
    Work,
}

/// The days an office lists, with their holiday's name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Holidays {
    days: BTreeMap<Date, (DayKind, String)>,
}

/// Milliseconds in an hour.
const HOUR_MS: i64 = 3_600_000;

/// The date, in China, of a moment in milliseconds since the epoch.
pub fn date_of(ms: i64) -> Date {
    let days = (ms + 8 * HOUR_MS).div_euclid(24 * HOUR_MS);
    Date::constant(1970, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap_or(Date::MAX)
}

/// The first moment (ms since the epoch) of `date` in China.
pub fn start_of(date: Date) -> i64 {
    let days = date.since(Date::constant(1970, 1, 1)).map(|s| s.get_days() as i64).unwrap_or(0);
    days * 24 * HOUR_MS - 8 * HOUR_MS
}

impl Holidays {
    /// The shipped national calendar.
    pub fn national() -> Holidays {
        Holidays::parse(NATIONAL_2026).unwrap_or_default()
    }

    /// Reads a calendar file; a wrong line is named with what it should be.
    pub fn parse(text: &str) -> Result<Holidays, Refusal> {
        let mut days = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("date\t") {
                continue;
            }
            let mut cols = line.split('\t');
            let bad = || Reason::CalendarLine { line: i as i64 + 1, text: line.chars().take(60).collect() }.on("file");
            let date: Date = cols.next().and_then(|d| d.trim().parse().ok()).ok_or_else(bad)?;
            let kind = match cols.next().map(str::trim) {
                Some("休") => DayKind::Off,
                Some("班") => DayKind::Work,
                _ => return Err(bad()),
            };
            let name = cols.next().unwrap_or("").trim().to_string();
            days.insert(date, (kind, name));
        }
        Ok(Holidays { days })
    }

    /// Reads the calendar file of one year; a day of another year is refused.
    pub fn parse_year(text: &str, year: i16) -> Result<Holidays, Refusal> {
        let h = Holidays::parse(text)?;
        if let Some(d) = h.days.keys().find(|d| d.year() != year) {
            return Err(Reason::CalendarYear { date: d.to_string(), year: i64::from(year) }.on("file"));
        }
        Ok(h)
    }

    /// The calendar with the days of `year` replaced by those of `other`.
    pub fn replace_year(&mut self, year: i16, other: Holidays) {
        self.days.retain(|d, _| d.year() != year);
        self.days.extend(other.days);
    }

    /// Adds (or replaces) the days of `other`.
    pub fn merge(&mut self, other: Holidays) {
        self.days.extend(other.days);
    }

    /// The listed days of `year`.
    pub fn of_year(&self, year: i16) -> impl Iterator<Item = (Date, DayKind, &str)> {
        self.days
            .range(Date::new(year, 1, 1).unwrap_or(Date::MIN)..=Date::new(year, 12, 31).unwrap_or(Date::MAX))
            .map(|(d, (k, n))| (*d, *k, n.as_str()))
    }

    /// Whether `date` is a statutory day off (listed 休).
    pub fn is_holiday(&self, date: Date) -> bool {
        matches!(self.days.get(&date), Some((DayKind::Off, _)))
    }

    /// Whether people work on `date`.
    pub fn is_workday(&self, date: Date) -> bool {
        match self.days.get(&date) {
            Some((DayKind::Off, _)) => false,
            Some((DayKind::Work, _)) => true,
            None => !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// `date`, or the first day after it that is not a statutory holiday (a
    /// due date on a holiday moves; one on a weekend does not).
    pub fn after_holiday(&self, mut date: Date) -> Date {
        while self.is_holiday(date) {
            date = date.tomorrow().unwrap_or(date);
        }
        date
    }

    /// The date `n` working days after `date`.
    pub fn add_workdays(&self, mut date: Date, n: u32) -> Date {
        let mut left = n;
        while left > 0 {
            date = date.tomorrow().unwrap_or(date);
            if self.is_workday(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days from `from` (excluded) to `to` (included); negative when
    /// `to` is before `from`.
    pub fn workdays_between(&self, from: Date, to: Date) -> i64 {
        let (a, b, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let mut d = a;
        let mut n = 0;
        while d < b {
            d = d.tomorrow().unwrap_or(b);
            if self.is_workday(d) {
                n += 1;
            }
        }
        n * sign
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_national_calendar_of_2026_moves_days() {
        let h = Holidays::national();
        assert!(h.is_holiday(date(2026, 10, 1)));
        assert!(!h.is_workday(date(2026, 10, 5)));
        // 调休: a Sunday worked.
        assert!(h.is_workday(date(2026, 2, 28)));
        assert!(!h.is_workday(date(2026, 3, 1)));
        // 5 May is 劳动节: a due date moves to the 6th; a Sunday does not move.
        assert_eq!(h.after_holiday(date(2026, 5, 5)), date(2026, 5, 6));
        assert_eq!(h.after_holiday(date(2026, 7, 5)), date(2026, 7, 5));
        // Three working days after 30 September: 8, 9 and 10 October (a 班 Saturday).
        assert_eq!(h.add_workdays(date(2026, 9, 30), 3), date(2026, 10, 10));
        assert_eq!(h.workdays_between(date(2026, 9, 30), date(2026, 10, 10)), 3);
        assert_eq!(h.workdays_between(date(2026, 10, 10), date(2026, 9, 30)), -3);
        assert_eq!(h.of_year(2026).count(), 39);
    }

    #[test]
    fn a_wrong_line_is_named() {
        let err = Holidays::parse("2026-01-01\t休\t元旦\n2026-13-01\t休\t错\n").unwrap_err();
        assert_eq!(err.reason.code(), "calendar_line");
        assert!(err.reason.message(crate::Lang::Zh).contains("第 2 行"));
        assert!(Holidays::parse("2026-01-01\t放假\n").is_err());
    }

    #[test]
    fn dates_are_chinas() {
        // 2026-03-31 16:00 UTC is 1 April in China.
        let ms = jiff::Timestamp::from_second(1_774_972_800).unwrap().as_millisecond();
        assert_eq!(date_of(ms), date(2026, 4, 1));
        assert_eq!(date_of(start_of(date(2026, 4, 1))), date(2026, 4, 1));
        assert_eq!(date_of(start_of(date(2026, 4, 1)) - 1), date(2026, 3, 31));
    }
}
