//! Supervision (督查督办) without I/O: the office's settings of a plan
//! ([`Settings`]: the lag rules it switches on and tunes, the 代字 of its
//! numbers, the deadlines it gives), an item's number
//! (`健督〔2026〕17号`), its deadlines counted in working days, its level and
//! the light a ledger shows; the loop an item runs and who moves it
//! ([`workflow`]); the lag rules themselves and the evidence each states
//! ([`lag`]).
//!
//! The defaults follow `CYCLE.md` §2: 5 working days for the 整改方案, 15
//! for the rectification, 1 to sign; a reminder 3 working days before a
//! deadline; an item behind its deadline is overdue (a flag, not a state)
//! and escalates to its leader.

pub mod lag;
pub mod workflow;

use crate::calendar::Holidays;
use crate::refusal::{Reason, Refusal};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A rule that opens items from what was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A task reported 滞后, or 未启动 past its node.
    TaskLagging,
    /// A task without progress for N periods.
    TaskStalled,
    /// A target behind its trajectory by more than a set share.
    TargetBehind,
    /// A project whose completed investment lags its year's plan.
    ProjectInvestment,
    /// A report overdue by N days.
    ReportOverdue,
}

impl RuleKind {
    /// Every rule, in the order the office sees them.
    pub const ALL: [RuleKind; 5] = [
        RuleKind::TaskLagging,
        RuleKind::TaskStalled,
        RuleKind::TargetBehind,
        RuleKind::ProjectInvestment,
        RuleKind::ReportOverdue,
    ];

    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::TaskLagging => "task_lagging",
            RuleKind::TaskStalled => "task_stalled",
            RuleKind::TargetBehind => "target_behind",
            RuleKind::ProjectInvestment => "project_investment",
            RuleKind::ReportOverdue => "report_overdue",
        }
    }

    /// The rule of an identifier.
    pub fn parse(s: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            RuleKind::TaskLagging => "任务滞后或逾期未启动",
            RuleKind::TaskStalled => "任务连续无进展",
            RuleKind::TargetBehind => "目标落后序时进度",
            RuleKind::ProjectInvestment => "项目投资完成滞后",
            RuleKind::ReportOverdue => "报表逾期未报",
        }
    }

    /// What its threshold means, in Chinese, `{n}` standing for it.
    pub fn threshold_label(self) -> &'static str {
        match self {
            RuleKind::TaskLagging => "报“未启动”时，无完成时限的任务自当年第 {n} 个月起视为逾期未启动",
            RuleKind::TaskStalled => "连续 {n} 个报送期完成进度没有增加",
            RuleKind::TargetBehind => "落后序时进度超过 {n} 个百分点",
            RuleKind::ProjectInvestment => "年度投资完成率落后序时进度超过 {n} 个百分点",
            RuleKind::ReportOverdue => "报表超过报送期限 {n} 天仍未报送",
        }
    }

    /// The default threshold.
    pub fn default_threshold(self) -> f64 {
        match self {
            RuleKind::TaskLagging => 4.0,
            RuleKind::TaskStalled => 3.0,
            RuleKind::TargetBehind => 10.0,
            RuleKind::ProjectInvestment => 10.0,
            RuleKind::ReportOverdue => 3.0,
        }
    }

    fn threshold_range(self) -> (f64, f64) {
        match self {
            RuleKind::TaskLagging => (1.0, 12.0),
            RuleKind::TaskStalled => (1.0, 24.0),
            RuleKind::TargetBehind | RuleKind::ProjectInvestment => (0.0, 100.0),
            RuleKind::ReportOverdue => (0.0, 90.0),
        }
    }
}

/// One rule as the office sets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    /// Which rule.
    pub rule: RuleKind,
    /// Whether it opens items when the rules run.
    #[serde(default)]
    pub enabled: bool,
    /// Its threshold (months, points or days: see the rule).
    pub threshold: f64,
}

/// The office's supervision settings of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The 代字 of the item numbers (`健督` gives 健督〔2026〕17号).
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Whether deadlines count working days (工作日) rather than calendar days.
    #[serde(default = "yes")]
    pub workdays: bool,
    /// Days to sign for an item (签收时限).
    #[serde(default = "one")]
    pub sign_days: i64,
    /// Days to submit the rectification plan (整改方案).
    #[serde(default = "five")]
    pub plan_days: i64,
    /// Days to finish the rectification (办结时限).
    #[serde(default = "fifteen")]
    pub fix_days: i64,
    /// Days before a deadline when the unit is reminded.
    #[serde(default = "three")]
    pub remind_days: i64,
    /// The rules, one per kind.
    #[serde(default = "default_rules")]
    pub rules: Vec<RuleSetting>,
    /// The leader (an account holding 领导) items opened by the rules are
    /// escalated to when overdue.
    #[serde(default)]
    pub leader_id: Option<i64>,
}

fn default_prefix() -> String {
    "督办".into()
}
fn yes() -> bool {
    true
}
fn one() -> i64 {
    1
}
fn three() -> i64 {
    3
}
fn five() -> i64 {
    5
}
fn fifteen() -> i64 {
    15
}
fn default_rules() -> Vec<RuleSetting> {
    RuleKind::ALL
        .into_iter()
        .map(|rule| RuleSetting { rule, enabled: false, threshold: rule.default_threshold() })
        .collect()
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            prefix: default_prefix(),
            workdays: true,
            sign_days: 1,
            plan_days: 5,
            fix_days: 15,
            remind_days: 3,
            rules: default_rules(),
            leader_id: None,
        }
    }
}

impl Settings {
    /// Refuses settings out of range, naming the field.
    pub fn check(&self) -> Result<(), Refusal> {
        crate::check::not_empty("prefix", &self.prefix)?;
        crate::check::max_chars("prefix", &self.prefix, 8)?;
        if self.prefix.chars().any(|c| "〔〕[]()（）号".contains(c) || c.is_whitespace()) {
            return Err(Reason::PrefixMalformed { value: self.prefix.clone() }.on("prefix"));
        }
        for (field, v, min, max) in [
            ("sign_days", self.sign_days, 0, 30),
            ("plan_days", self.plan_days, 1, 90),
            ("fix_days", self.fix_days, 1, 365),
            ("remind_days", self.remind_days, 0, 30),
        ] {
            if !(min..=max).contains(&v) {
                return Err(Reason::OutOfRange { value: v, min, max }.on(field));
            }
        }
        crate::check::max_items("rules", self.rules.len(), RuleKind::ALL.len())?;
        for (i, r) in self.rules.iter().enumerate() {
            let (min, max) = r.rule.threshold_range();
            if !r.threshold.is_finite() || r.threshold < min || r.threshold > max {
                return Err(Reason::OutOfRange { value: r.threshold as i64, min: min as i64, max: max as i64 }
                    .on(format!("rules[{i}].threshold")));
            }
            if self.rules[..i].iter().any(|o| o.rule == r.rule) {
                return Err(Reason::DuplicateRule { rule: r.rule.label().into() }.on(format!("rules[{i}].rule")));
            }
        }
        Ok(())
    }

    /// The setting of `rule` (its default when not listed).
    pub fn rule(&self, rule: RuleKind) -> RuleSetting {
        self.rules.iter().find(|r| r.rule == rule).cloned().unwrap_or(RuleSetting {
            rule,
            enabled: false,
            threshold: rule.default_threshold(),
        })
    }

    /// Every rule with its setting, in order.
    pub fn all_rules(&self) -> Vec<RuleSetting> {
        RuleKind::ALL.into_iter().map(|r| self.rule(r)).collect()
    }

    /// The item number of serial `serial` in `year`: 代字〔年〕序号号, no
    /// zero padding (GB/T 9704).
    pub fn number(&self, year: i16, serial: i64) -> String {
        format!("{}〔{year}〕{serial}号", self.prefix)
    }

    /// The day `days` after `from`: working days or calendar days as the
    /// office says; a calendar-day deadline falling on a holiday moves past it.
    pub fn deadline(&self, from: Date, days: i64, holidays: &Holidays) -> Date {
        if self.workdays {
            holidays.add_workdays(from, days.max(0) as u32)
        } else {
            holidays.after_holiday(from.checked_add(days.days()).unwrap_or(from))
        }
    }

    /// The deadlines of an item given on `from`.
    pub fn deadlines(&self, from: Date, holidays: &Holidays) -> Deadlines {
        Deadlines {
            sign: self.deadline(from, self.sign_days, holidays),
            plan: self.deadline(from, self.plan_days, holidays),
            fix: self.deadline(from, self.fix_days, holidays),
        }
    }

    /// Days left from `today` to `due` (negative: overdue), in the days the
    /// office counts.
    pub fn days_left(&self, today: Date, due: Date, holidays: &Holidays) -> i64 {
        if self.workdays {
            holidays.workdays_between(today, due)
        } else {
            due.since(today).map(|s| i64::from(s.get_days())).unwrap_or(0)
        }
    }
}

/// An item's deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// 签收时限.
    pub sign: Date,
    /// 整改方案 due.
    pub plan: Date,
    /// 办结时限.
    pub fix: Date,
}

/// How serious an item is: 黄 → 橙 → 红. A cause that persists raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 黄色督办.
    #[default]
    Yellow,
    /// 橙色督办.
    Orange,
    /// 红色督办.
    Red,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 3] = [Level::Yellow, Level::Orange, Level::Red];

    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Yellow => "yellow",
            Level::Orange => "orange",
            Level::Red => "red",
        }
    }

    /// The level of an identifier.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Level::Yellow => "黄色",
            Level::Orange => "橙色",
            Level::Red => "红色",
        }
    }

    /// The next level up (red stays red).
    pub fn raised(self) -> Level {
        match self {
            Level::Yellow => Level::Orange,
            Level::Orange | Level::Red => Level::Red,
        }
    }
}

/// Where an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Opened by a lag rule from the reports.
    Rule,
    /// 领导批示.
    #[default]
    Instruction,
    /// 会议议定事项.
    Meeting,
    /// 督查检查发现的问题.
    Inspection,
    /// 考核发现的问题 (限期整改 after the annual assessment).
    Assessment,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 5] =
        [Source::Rule, Source::Instruction, Source::Meeting, Source::Inspection, Source::Assessment];

    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Rule => "rule",
            Source::Instruction => "instruction",
            Source::Meeting => "meeting",
            Source::Inspection => "inspection",
            Source::Assessment => "assessment",
        }
    }

    /// The source of an identifier.
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Source::Rule => "规则预警",
            Source::Instruction => "领导批示",
            Source::Meeting => "会议议定事项",
            Source::Inspection => "督查发现问题",
            Source::Assessment => "考核问题整改",
        }
    }
}

/// The light of an item on the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// 绿: closed, or running with time left.
    Green,
    /// 蓝: a deadline within the reminder days.
    Blue,
    /// 黄: a yellow item.
    Yellow,
    /// 橙: an orange item.
    Orange,
    /// 红: a red item, or overdue.
    Red,
}

impl Light {
    /// The identifier (also the page's colour class).
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Blue => "blue",
            Light::Yellow => "yellow",
            Light::Orange => "orange",
            Light::Red => "red",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Blue => "蓝灯（临近期限）",
            Light::Yellow => "黄灯",
            Light::Orange => "橙灯",
            Light::Red => "红灯",
        }
    }
}

/// The light of an open item: red when overdue, otherwise its level; blue
/// when a deadline is near and the level yellow; green when closed.
pub fn light(closed: bool, level: Level, overdue: bool, near: bool) -> Light {
    match (closed, overdue, level) {
        (true, _, _) => Light::Green,
        (false, true, _) | (false, false, Level::Red) => Light::Red,
        (false, false, Level::Orange) => Light::Orange,
        (false, false, Level::Yellow) if near => Light::Blue,
        (false, false, Level::Yellow) => Light::Yellow,
    }
}

/// An amount as offices write it: thousands apart by a space, at most two
/// decimals (`5 000`, `1 234.5`).
pub fn grouped(v: f64) -> String {
    let s = crate::labels::number((v * 100.0).round() / 100.0);
    let (int, frac) = s.split_once('.').map(|(a, b)| (a, Some(b))).unwrap_or((&s, None));
    let (sign, digits) = int.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", int));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A date as a document writes it: 2026年9月30日.
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn numbers_are_written_as_offices_write_them() {
        let s = Settings { prefix: "健督".into(), ..Settings::default() };
        assert_eq!(s.number(2026, 17), "健督〔2026〕17号");
        assert_eq!(Settings::default().number(2026, 3), "督办〔2026〕3号");
        assert_eq!(grouped(5000.0), "5 000");
        assert_eq!(grouped(1200.0), "1 200");
        assert_eq!(grouped(123.456), "123.46");
        assert_eq!(grouped(1234567.5), "1 234 567.5");
        assert_eq!(date_zh(date(2026, 9, 30)), "2026年9月30日");
    }

    #[test]
    fn deadlines_count_working_days_across_a_holiday_week() {
        let h = Holidays::national();
        let s = Settings::default();
        // Given on Monday 28 September 2026: 1–7 October is the 国庆 break,
        // 10 October (a Saturday) is worked.
        let d = s.deadlines(date(2026, 9, 28), &h);
        assert_eq!(d.sign, date(2026, 9, 29));
        assert_eq!(d.plan, date(2026, 10, 10), "29, 30 Sep, 8, 9 Oct, then Saturday 10 Oct, worked");
        assert_eq!(s.days_left(date(2026, 9, 30), date(2026, 10, 10), &h), 3);
        let calendar = Settings { workdays: false, ..Settings::default() };
        assert_eq!(calendar.deadline(date(2026, 9, 28), 5, &h), date(2026, 10, 8), "3 Oct is a holiday: moved past");
        assert_eq!(calendar.days_left(date(2026, 10, 9), date(2026, 10, 8), &h), -1);
    }

    #[test]
    fn settings_are_checked() {
        assert!(Settings::default().check().is_ok());
        let mut s = Settings::default();
        s.rules[0].threshold = 0.0;
        assert_eq!(s.check().unwrap_err().field.as_deref(), Some("rules[0].threshold"));
        let s = Settings { prefix: "健督〔".into(), ..Settings::default() };
        assert!(s.check().is_err());
        let s = Settings { fix_days: 0, ..Settings::default() };
        assert_eq!(s.check().unwrap_err().field.as_deref(), Some("fix_days"));
    }

    #[test]
    fn the_light_shows_the_worst_first() {
        assert_eq!(light(false, Level::Yellow, true, false), Light::Red);
        assert_eq!(light(false, Level::Yellow, false, true), Light::Blue);
        assert_eq!(light(false, Level::Orange, false, true), Light::Orange);
        assert_eq!(light(true, Level::Red, true, false), Light::Green);
        assert_eq!(Level::Yellow.raised().raised(), Level::Red);
        assert_eq!(Level::Red.raised(), Level::Red);
    }
}
