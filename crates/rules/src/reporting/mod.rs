//! Monthly dispatch (月调度) without I/O: the reporting calendar of a plan
//! ([`Schedule`], [`Period`]), the states of a unit's form and who moves it
//! ([`workflow`]), what each entry of a form may hold ([`entry`]), the
//! reporting rates ([`rates`]), and the collective names a child plan's
//! office answers for ([`regional`]).
//!
//! The default follows the closed-month custom (`CYCLE.md` §1): a month is
//! reported after it ends, due the 5th of the next month (moved past a
//! statutory holiday, not past a weekend), on time when filed by the due
//! date plus the grace days, and locked 30 days after the period ends.

pub mod entry;
pub mod rates;
pub mod regional;
pub mod workflow;

use crate::calendar::Holidays;
use crate::refusal::{Reason, Refusal};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How often a plan is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    /// 月报 (the default).
    #[default]
    Monthly,
    /// 季报.
    Quarterly,
    /// 年报.
    Yearly,
}

impl Cycle {
    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Cycle::Monthly => "monthly",
            Cycle::Quarterly => "quarterly",
            Cycle::Yearly => "yearly",
        }
    }

    /// The cycle of an identifier.
    pub fn parse(s: &str) -> Option<Cycle> {
        [Cycle::Monthly, Cycle::Quarterly, Cycle::Yearly].into_iter().find(|c| c.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Cycle::Monthly => "月报",
            Cycle::Quarterly => "季报",
            Cycle::Yearly => "年报",
        }
    }

    fn months(self) -> i8 {
        match self {
            Cycle::Monthly => 1,
            Cycle::Quarterly => 3,
            Cycle::Yearly => 12,
        }
    }
}

/// A plan's reporting calendar, as the office sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `monthly`, `quarterly` or `yearly`.
    #[serde(default)]
    pub cycle: Cycle,
    /// The day of the month after a period ends by which it is due (1–28;
    /// 5 by default).
    #[serde(default = "default_due_day")]
    pub due_day: i64,
    /// Days after the due date a report still counts as on time (0 by default).
    #[serde(default)]
    pub grace_days: i64,
    /// Days after a period ends it locks (30 by default).
    #[serde(default = "default_lock_days")]
    pub lock_days: i64,
    /// The office's names of the task statuses, by code (`behind` →
    /// `欠进度`); a code missing keeps its default name.
    #[serde(default)]
    pub status_names: std::collections::BTreeMap<String, String>,
    /// The plan's office (its 大健康办): it reports the items the plan names
    /// no unit for, and, in the parent plan, the items naming each region
    /// below the parent's ("各县（市）人民政府") for this plan's region.
    /// Without one, such items are nobody's to report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_unit: Option<i64>,
    /// Group robots (企业微信, 钉钉) the day's reminders are posted to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<Webhook>,
}

/// A group robot's webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// `wecom` (企业微信群机器人) or `dingtalk` (钉钉群机器人).
    pub kind: String,
    /// The robot's address (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`).
    pub url: String,
}

/// The kinds of group robots.
pub const WEBHOOK_KINDS: [&str; 2] = ["wecom", "dingtalk"];

fn default_due_day() -> i64 {
    5
}

fn default_lock_days() -> i64 {
    30
}

impl Default for Schedule {
    fn default() -> Schedule {
        Schedule {
            cycle: Cycle::Monthly,
            due_day: default_due_day(),
            grace_days: 0,
            lock_days: default_lock_days(),
            status_names: Default::default(),
            default_unit: None,
            webhooks: Vec::new(),
        }
    }
}

/// One reporting period of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Period {
    /// Its key: `2026-03` (month), `2026-Q1` (quarter), `2026` (year).
    pub key: String,
    /// Its name: 2026年3月, 2026年第1季度, 2026年.
    pub label: String,
    /// Its first day.
    #[schema(value_type = String)]
    #[serde(serialize_with = "as_text", deserialize_with = "from_text")]
    pub start: Date,
    /// Its last day.
    #[schema(value_type = String)]
    #[serde(serialize_with = "as_text", deserialize_with = "from_text")]
    pub end: Date,
    /// The day it is due (moved past a statutory holiday).
    #[schema(value_type = String)]
    #[serde(serialize_with = "as_text", deserialize_with = "from_text")]
    pub due: Date,
    /// The last day a report counts as on time (the due date plus the grace days).
    #[schema(value_type = String)]
    #[serde(serialize_with = "as_text", deserialize_with = "from_text")]
    pub on_time_until: Date,
    /// The first day it is locked.
    #[schema(value_type = String)]
    #[serde(serialize_with = "as_text", deserialize_with = "from_text")]
    pub locks: Date,
}

/// A date from `2026-03-05`.
fn from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

/// A date as `2026-03-05`.
fn as_text<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

impl Period {
    /// Whether the period is locked on `today`.
    pub fn locked_on(&self, today: Date) -> bool {
        today >= self.locks
    }

    /// Whether a report filed on `day` is on time.
    pub fn on_time(&self, day: Date) -> bool {
        day <= self.on_time_until
    }

    /// Whether `today` is after the period's end (it may be reported).
    pub fn ended_by(&self, today: Date) -> bool {
        today > self.end
    }
}

impl Schedule {
    /// Checks the office's settings, naming the field that is wrong.
    pub fn check(&self) -> Result<(), Refusal> {
        if !(1..=28).contains(&self.due_day) {
            return Err(Reason::OutOfRange { value: self.due_day, min: 1, max: 28 }.on("due_day"));
        }
        if !(0..=31).contains(&self.grace_days) {
            return Err(Reason::OutOfRange { value: self.grace_days, min: 0, max: 31 }.on("grace_days"));
        }
        if !(1..=366).contains(&self.lock_days) {
            return Err(Reason::OutOfRange { value: self.lock_days, min: 1, max: 366 }.on("lock_days"));
        }
        crate::check::max_items("status_names", self.status_names.len(), entry::STATUSES.len())?;
        crate::check::max_items("webhooks", self.webhooks.len(), 10)?;
        for (i, w) in self.webhooks.iter().enumerate() {
            crate::check::one_of(&format!("webhooks[{i}].kind"), &w.kind, &WEBHOOK_KINDS)?;
            crate::check::web_address(&format!("webhooks[{i}].url"), &w.url)?;
        }
        for (code, name) in &self.status_names {
            let field = format!("status_names.{code}");
            crate::check::one_of(&field, code, &entry::STATUSES)?;
            crate::check::not_empty(&field, name)?;
            crate::check::max_chars(&field, name, 20)?;
        }
        Ok(())
    }

    /// The name of a task status on this plan.
    pub fn status_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.status_names.get(code).map(String::as_str).unwrap_or_else(|| entry::status_label(code))
    }

    /// The period of `key`, or why it is not one of this calendar.
    pub fn period(&self, key: &str, holidays: &Holidays) -> Result<Period, Refusal> {
        let bad =
            || Reason::PeriodKey { key: key.chars().take(20).collect(), cycle: self.cycle.label().into() }.on("period");
        let (year, index) = match self.cycle {
            Cycle::Monthly => {
                let (y, m) = key.split_once('-').ok_or_else(bad)?;
                (y.parse::<i16>().map_err(|_| bad())?, m.parse::<i8>().map_err(|_| bad())?)
            }
            Cycle::Quarterly => {
                let (y, q) = key.split_once("-Q").ok_or_else(bad)?;
                (y.parse::<i16>().map_err(|_| bad())?, q.parse::<i8>().map_err(|_| bad())?)
            }
            Cycle::Yearly => (key.parse::<i16>().map_err(|_| bad())?, 1),
        };
        let count = 12 / self.cycle.months();
        if !(1949..=2100).contains(&year) || !(1..=count).contains(&index) || key != self.key_of(year, index) {
            return Err(bad());
        }
        Ok(self.make(year, index, holidays))
    }

    fn key_of(&self, year: i16, index: i8) -> String {
        match self.cycle {
            Cycle::Monthly => format!("{year}-{index:02}"),
            Cycle::Quarterly => format!("{year}-Q{index}"),
            Cycle::Yearly => format!("{year}"),
        }
    }

    fn make(&self, year: i16, index: i8, holidays: &Holidays) -> Period {
        let months = self.cycle.months();
        let start = Date::new(year, (index - 1) * months + 1, 1).unwrap_or(Date::MIN);
        let next = start.checked_add(i32::from(months).months()).unwrap_or(Date::MAX);
        let end = next.yesterday().unwrap_or(next);
        let due = holidays.after_holiday(next.with().day(self.due_day as i8).build().unwrap_or(next));
        let label = match self.cycle {
            Cycle::Monthly => format!("{year}年{index}月"),
            Cycle::Quarterly => format!("{year}年第{index}季度"),
            Cycle::Yearly => format!("{year}年"),
        };
        Period {
            key: self.key_of(year, index),
            label,
            start,
            end,
            due,
            on_time_until: due.checked_add(self.grace_days.days()).unwrap_or(due),
            locks: end.checked_add((self.lock_days + 1).days()).unwrap_or(Date::MAX),
        }
    }

    /// The periods of `year`, in order.
    pub fn periods_of_year(&self, year: i16, holidays: &Holidays) -> Vec<Period> {
        (1..=12 / self.cycle.months()).map(|i| self.make(year, i, holidays)).collect()
    }

    /// The periods of `period`'s year up to it, in order: what a year's
    /// figures so far add up.
    pub fn year_to(&self, period: &Period, holidays: &Holidays) -> Vec<Period> {
        self.periods_of_year(period.end.year(), holidays).into_iter().filter(|p| p.end <= period.end).collect()
    }

    /// The period holding `day`.
    pub fn period_holding(&self, day: Date, holidays: &Holidays) -> Period {
        self.make(day.year(), (day.month() - 1) / self.cycle.months() + 1, holidays)
    }

    /// The period a unit reports on `today`: the last one ended.
    pub fn period_to_report(&self, today: Date, holidays: &Holidays) -> Period {
        let current = self.period_holding(today, holidays);
        let before = current.start.yesterday().unwrap_or(current.start);
        self.period_holding(before, holidays)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_month_is_due_the_fifth_of_the_next_moved_past_a_holiday() {
        let s = Schedule::default();
        let h = Holidays::national();
        let april = s.period("2026-04", &h).unwrap();
        assert_eq!((april.start, april.end), (date(2026, 4, 1), date(2026, 4, 30)));
        assert_eq!(april.due, date(2026, 5, 6), "5 May 2026 is 劳动节");
        assert_eq!(april.label, "2026年4月");
        assert_eq!(april.locks, date(2026, 5, 31));
        assert!(!april.locked_on(date(2026, 5, 30)) && april.locked_on(date(2026, 5, 31)));
        // A Sunday due date stays.
        assert_eq!(s.period("2026-06", &h).unwrap().due, date(2026, 7, 5));
        let december = s.period("2026-12", &h).unwrap();
        assert_eq!(december.due, date(2027, 1, 5));
        assert_eq!(s.periods_of_year(2026, &h).len(), 12);
        assert_eq!(s.period_to_report(date(2026, 3, 3), &h).key, "2026-02");
        assert_eq!(s.period_to_report(date(2026, 1, 3), &h).key, "2025-12");
    }

    #[test]
    fn grace_days_and_other_cycles() {
        let h = Holidays::default();
        let s = Schedule { grace_days: 2, ..Schedule::default() };
        let may = s.period("2026-05", &h).unwrap();
        assert!(may.on_time(date(2026, 6, 7)) && !may.on_time(date(2026, 6, 8)));
        let q = Schedule { cycle: Cycle::Quarterly, due_day: 10, ..Schedule::default() };
        let q2 = q.period("2026-Q2", &h).unwrap();
        assert_eq!((q2.start, q2.end, q2.due), (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 10)));
        assert_eq!(q2.label, "2026年第2季度");
        let y = Schedule { cycle: Cycle::Yearly, ..Schedule::default() };
        assert_eq!(y.period("2026", &h).unwrap().due, date(2027, 1, 5));
        assert_eq!(q.periods_of_year(2026, &h).len(), 4);
    }

    #[test]
    fn keys_and_settings_are_checked() {
        let h = Holidays::default();
        let s = Schedule::default();
        for bad in ["2026-13", "2026-3", "2026", "2026-Q1", "abc", "2026-03-01"] {
            let err = s.period(bad, &h).unwrap_err();
            assert_eq!((err.reason.code(), err.field.as_deref()), ("period_key", Some("period")), "{bad}");
        }
        assert!(Schedule { due_day: 31, ..Schedule::default() }.check().is_err());
        let mut renamed = Schedule::default();
        renamed.status_names.insert("behind".into(), "欠进度".into());
        renamed.check().unwrap();
        assert_eq!(renamed.status_name("behind"), "欠进度");
        assert_eq!(renamed.status_name("done"), "已完成");
        renamed.status_names.insert("late".into(), "迟".into());
        assert_eq!(renamed.check().unwrap_err().field.as_deref(), Some("status_names.late"));
    }
}
