//! Reporting rates (`CYCLE.md` §1): of the reports expected — one per unit
//! and period that had something to report then, counted once however many
//! items it holds — 及时 (filed by the period's on-time day), 迟报 (filed
//! later) and 缺报 (not filed); the three add up to 100 %, and 报送率 =
//! 及时 + 迟报 never exceeds it. A report counts when it was submitted and
//! not sent back.

use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

/// One expected report and when it was first filed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expected {
    /// The last day it counts as on time.
    pub on_time_until: Date,
    /// The day it was first submitted, if it counts as reported.
    pub filed_on: Option<Date>,
}

/// The rates of a set of expected reports.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, ToSchema)]
pub struct Rates {
    /// Reports expected.
    pub expected: i64,
    /// Filed on time.
    pub timely: i64,
    /// Filed late.
    pub late: i64,
    /// Not filed.
    pub missing: i64,
    /// 报送率, in percent: (timely + late) / expected.
    pub reported_pct: f64,
    /// 及时率, in percent.
    pub timely_pct: f64,
    /// 迟报率, in percent.
    pub late_pct: f64,
    /// 缺报率, in percent.
    pub missing_pct: f64,
}

/// The rates of `expected`.
pub fn rates(expected: impl IntoIterator<Item = Expected>) -> Rates {
    let mut r = Rates::default();
    for e in expected {
        r.expected += 1;
        match e.filed_on {
            Some(day) if day <= e.on_time_until => r.timely += 1,
            Some(_) => r.late += 1,
            None => r.missing += 1,
        }
    }
    with_shares(r)
}

/// The rates of several sets together (a quarter of months).
pub fn combined<'a>(parts: impl IntoIterator<Item = &'a Rates>) -> Rates {
    let mut r = Rates::default();
    for p in parts {
        r.expected += p.expected;
        r.timely += p.timely;
        r.late += p.late;
        r.missing += p.missing;
    }
    with_shares(r)
}

/// `r` with its shares computed from its counts.
fn with_shares(mut r: Rates) -> Rates {
    let pct = |n: i64| if r.expected == 0 { 0.0 } else { (n as f64 * 1000.0 / r.expected as f64).round() / 10.0 };
    r.timely_pct = pct(r.timely);
    r.late_pct = pct(r.late);
    r.missing_pct = pct(r.missing);
    r.reported_pct = pct(r.timely + r.late);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_three_rates_add_up() {
        let due = date(2026, 4, 5);
        let r = rates([
            Expected { on_time_until: due, filed_on: Some(date(2026, 4, 3)) },
            Expected { on_time_until: due, filed_on: Some(date(2026, 4, 5)) },
            Expected { on_time_until: due, filed_on: Some(date(2026, 4, 6)) },
            Expected { on_time_until: due, filed_on: None },
        ]);
        assert_eq!((r.expected, r.timely, r.late, r.missing), (4, 2, 1, 1));
        assert_eq!((r.timely_pct, r.late_pct, r.missing_pct, r.reported_pct), (50.0, 25.0, 25.0, 75.0));
        assert_eq!(rates([]).reported_pct, 0.0);
        let both = combined([&r, &r]);
        assert_eq!((both.expected, both.missing, both.reported_pct), (8, 2, 75.0));
    }
}
