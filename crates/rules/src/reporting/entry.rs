//! What one entry of a report form may hold, and the checks at entry: each
//! refusal names its field as `{kind}.{item}.{field}` (`task.12.share`), so
//! that a page shows it beside the box and an Excel import names the cell.
//!
//! Saving a draft checks what is typed (numbers, ranges, a cumulative value
//! that falls, investment above the project's total); submitting also
//! checks that what a report needs is there (a status and 进展情况 for a
//! task, 存在问题 when it lags, a value for a target, the month's investment
//! for a project — 0 is a value). A value far from the unit's own history
//! is a warning to confirm ([`unusual`]), not a refusal.

use crate::check;
use crate::refusal::{Reason, Refusal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The task statuses, by code, in the order offered.
pub const STATUSES: [&str; 6] = ["done", "ahead", "on_track", "behind", "not_started", "other"];

/// The default Chinese name of a task status.
pub fn status_label(code: &str) -> &'static str {
    match code {
        "done" => "已完成",
        "ahead" => "超序时",
        "on_track" => "序时推进",
        "behind" => "滞后",
        "not_started" => "未启动",
        "other" => "其他",
        _ => "",
    }
}

/// The states of a project's construction.
pub const STAGES: [&str; 5] = ["not_started", "building", "paused", "completed", "operating"];

/// The Chinese name of a project's stage.
pub fn stage_label(code: &str) -> &'static str {
    match code {
        "not_started" => "未开工",
        "building" => "在建",
        "paused" => "停缓建",
        "completed" => "竣工",
        "operating" => "投产",
        _ => "",
    }
}

/// The largest attachment (佐证材料), in bytes: 20 MiB.
pub const MAX_ATTACHMENT: usize = 20 * 1024 * 1024;

/// The type of an attachment by its first bytes — PDF, JPEG, PNG, or a
/// Word/Excel file (`docx`/`xlsx` by the name's ending) — or why not.
pub fn attachment_type(name: &str, bytes: &[u8]) -> Result<&'static str, Refusal> {
    if bytes.len() > MAX_ATTACHMENT {
        return Err(Reason::FileTooBig { limit: "20 MB".into() }.on("file"));
    }
    if bytes.is_empty() {
        return Err(Reason::FileEmpty { name: name.chars().take(80).collect() }.on("file"));
    }
    let lower = name.to_ascii_lowercase();
    let kind = if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else {
        None
    };
    kind.ok_or_else(|| Reason::AttachmentType { name: name.chars().take(80).collect() }.on("file"))
}

/// The milestones of a project.
pub const MILESTONES: [&str; 4] = ["开工", "主体完工", "竣工", "投产"];

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A task (重点任务).
    Task,
    /// A target (目标/指标).
    Target,
    /// A project (重点项目).
    Project,
}

impl ItemKind {
    /// The identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Task => "task",
            ItemKind::Target => "target",
            ItemKind::Project => "project",
        }
    }

    /// The kind of an identifier.
    pub fn parse(s: &str) -> Option<ItemKind> {
        [ItemKind::Task, ItemKind::Target, ItemKind::Project].into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Task => "任务",
            ItemKind::Target => "目标",
            ItemKind::Project => "项目",
        }
    }
}

/// A milestone reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// 开工, 主体完工, 竣工 or 投产.
    pub name: String,
    /// The day reached (`2026-03-18`).
    pub date: String,
}

/// What a unit reports on one item for a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `task`, `target` or `project`.
    pub kind: Option<ItemKind>,
    /// The task's, target's or project's id.
    pub item_id: i64,
    /// Task: the status code (`done`, `ahead`, `on_track`, `behind`, `not_started`, `other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Task: the share done, 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Task: the cumulative value reached (for a task with a quantity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cumulative: Option<f64>,
    /// Task: 进展情况; project: 形象进度.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// 存在问题.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<String>,
    /// 下步打算.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<String>,
    /// A note (required with the status 其他).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Target: the value reached by the period's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Target: the unit the value is given in, when not the target's own
    /// (`万人` for a target in `人`): converted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_unit: Option<String>,
    /// Target: where the value comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Project: the investment completed in the period, in 万元.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Project: the stage (`not_started`, `building`, `paused`, `completed`, `operating`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Project: milestones reached, with their dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
}

/// What the checks of an entry need to know about its item.
#[derive(Debug, Clone, Default)]
pub struct ItemFacts {
    /// Task: the cumulative value reported before this period.
    pub previous_cumulative: Option<f64>,
    /// Target: its unit (`张`, `亿元`).
    pub target_unit: Option<String>,
    /// Project: its total investment in 万元.
    pub total_wan: Option<f64>,
    /// Project: the investment reported before this period (all years), in 万元.
    pub invested_before: f64,
}

impl Entry {
    /// The field name of `name` in this entry (`task.12.share`).
    pub fn field(&self, name: &str) -> String {
        format!("{}.{}.{}", self.kind.map(ItemKind::as_str).unwrap_or("item"), self.item_id, name)
    }

    /// The entry with its texts trimmed and blank ones dropped.
    pub fn tidy(mut self) -> Entry {
        for text in [
            &mut self.status,
            &mut self.progress,
            &mut self.problems,
            &mut self.next_steps,
            &mut self.note,
            &mut self.value_unit,
            &mut self.source,
            &mut self.stage,
        ] {
            *text = text.take().map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        }
        self
    }

    /// Checks what is typed; with `complete`, also that what a report needs
    /// is there. Returns the value converted to the target's unit.
    pub fn check(&mut self, facts: &ItemFacts, complete: bool) -> Result<(), Refusal> {
        let kind = self.kind.ok_or_else(|| Reason::Empty {}.on(self.field("kind")))?;
        for (name, text, max) in [
            ("progress", &self.progress, check::LONG),
            ("problems", &self.problems, check::LONG),
            ("next_steps", &self.next_steps, check::LONG),
            ("note", &self.note, check::LONG),
            ("source", &self.source, check::SHORT),
            ("value_unit", &self.value_unit, 20),
        ] {
            if let Some(t) = text {
                check::max_chars(&self.field(name), t, max)?;
            }
        }
        let item = self.item_id;
        let needs = move |present: bool, name: &str| -> Result<(), Refusal> {
            if complete && !present {
                let field = format!("{}.{item}.{name}", kind.as_str());
                Err(Reason::ReportNeeds { what: report_word(name).into() }.on(field))
            } else {
                Ok(())
            }
        };
        match kind {
            ItemKind::Task => {
                if let Some(s) = &self.status {
                    check::one_of(&self.field("status"), s, &STATUSES)?;
                }
                if let Some(v) = self.share {
                    check::number(&self.field("share"), v)?;
                    if !(0.0..=100.0).contains(&v) {
                        return Err(Reason::ShareRange {}.on(self.field("share")));
                    }
                }
                if let Some(v) = self.cumulative {
                    check::number(&self.field("cumulative"), v)?;
                    if let Some(before) = facts.previous_cumulative
                        && v < before
                    {
                        return Err(Reason::CumulativeFalls { previous: before }.on(self.field("cumulative")));
                    }
                }
                needs(self.status.is_some(), "status")?;
                needs(self.progress.is_some(), "progress")?;
                let lags = matches!(self.status.as_deref(), Some("behind" | "not_started"));
                needs(!lags || self.problems.is_some(), "problems")?;
                needs(self.status.as_deref() != Some("other") || self.note.is_some(), "note")?;
            }
            ItemKind::Target => {
                if let Some(v) = self.value {
                    check::number(&self.field("value"), v)?;
                    if let Some(given) = self.value_unit.clone() {
                        let to = facts.target_unit.clone().unwrap_or_default();
                        let converted = convert(v, &given, &to).ok_or_else(|| {
                            Reason::UnitMismatch { given: given.clone(), unit: to.clone() }.on(self.field("value_unit"))
                        })?;
                        self.value = Some(converted);
                        self.value_unit = None;
                    }
                }
                needs(self.value.is_some(), "value")?;
            }
            ItemKind::Project => {
                if let Some(v) = self.amount {
                    check::amount(&self.field("amount"), v)?;
                    if let Some(total) = facts.total_wan
                        && total > 0.0
                        && facts.invested_before + v > total * 1.000_001
                    {
                        return Err(
                            Reason::OverTotal { total, reached: facts.invested_before + v }.on(self.field("amount"))
                        );
                    }
                }
                if let Some(s) = &self.stage {
                    check::one_of(&self.field("stage"), s, &STAGES)?;
                }
                check::max_items(&self.field("milestones"), self.milestones.len(), MILESTONES.len())?;
                for (i, m) in self.milestones.iter().enumerate() {
                    let field = self.field(&format!("milestones[{i}]"));
                    check::one_of(&field, &m.name, &MILESTONES)?;
                    if m.date.parse::<jiff::civil::Date>().is_err() {
                        return Err(Reason::NotADate { value: m.date.chars().take(20).collect() }.on(field));
                    }
                }
                needs(self.amount.is_some(), "amount")?;
                needs(self.stage.as_deref() != Some("paused") || self.problems.is_some(), "problems")?;
            }
        }
        Ok(())
    }
}

/// The Chinese name of an entry's field, as "请填写……" completes it.
pub fn report_word(name: &str) -> &'static str {
    match name {
        "status" => "状态",
        "share" => "完成进度",
        "cumulative" => "累计完成值",
        "progress" => "进展情况",
        "problems" => "存在问题",
        "next_steps" => "下步打算",
        "note" => "说明",
        "value" => "本期数值",
        "value_unit" => "数值单位",
        "source" => "数据来源",
        "amount" => "本月完成投资",
        "stage" => "建设状态",
        "milestones" => "节点",
        _ => "该项",
    }
}

/// The factor of a unit's magnitude prefix (`万人` → 1e4 and `人`).
fn magnitude(unit: &str) -> (f64, &str) {
    for (prefix, factor) in [("亿", 1e8), ("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("千", 1e3)] {
        if let Some(rest) = unit.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return (factor, rest);
        }
    }
    (1.0, unit)
}

/// `value` in `from` converted to `to` (`1.2 亿元` → `12000 万元`), when the
/// two differ only by 万, 亿 and the like.
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    let (from, to) = (from.trim(), to.trim());
    if from == to {
        return Some(value);
    }
    let (f, base_from) = magnitude(from);
    let (t, base_to) = magnitude(to);
    (base_from == base_to).then(|| value * f / t)
}

/// Whether `value` is far outside `history` (the unit's own earlier values
/// of the item): a median-based z-score above 3.5 with at least four values
/// before it. Returns the median it was compared with.
pub fn unusual(value: f64, history: &[f64]) -> Option<f64> {
    if history.len() < 4 {
        return None;
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
    };
    let m = median(&mut history.to_vec());
    let mut deviations: Vec<f64> = history.iter().map(|x| (x - m).abs()).collect();
    let mad = median(&mut deviations);
    // All the same: anything three times the usual size (or more) stands out.
    let scale = if mad > 0.0 { 1.4826 * mad } else { (m.abs() / 1.5).max(f64::EPSILON) };
    ((value - m).abs() / scale > 3.5).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: i64) -> Entry {
        Entry { kind: Some(ItemKind::Task), item_id: id, ..Entry::default() }
    }

    #[test]
    fn shares_statuses_and_cumulatives_are_checked_where_they_are_typed() {
        let facts = ItemFacts { previous_cumulative: Some(40.0), ..ItemFacts::default() };
        let mut e = Entry { share: Some(120.0), ..task(12) };
        let err = e.check(&facts, false).unwrap_err();
        assert_eq!((err.reason.code(), err.field.as_deref()), ("share_range", Some("task.12.share")));
        let mut e = Entry { cumulative: Some(30.0), ..task(12) };
        assert_eq!(e.check(&facts, false).unwrap_err().reason.code(), "cumulative_falls");
        let mut e = Entry { status: Some("late".into()), ..task(12) };
        assert_eq!(e.check(&facts, false).unwrap_err().reason.code(), "not_one_of");
        // A draft may be half done; a submission may not.
        let mut e = Entry { status: Some("behind".into()), progress: Some("推进中".into()), ..task(12) };
        e.check(&facts, false).unwrap();
        let err = e.check(&facts, true).unwrap_err();
        assert_eq!((err.reason.code(), err.field.as_deref()), ("report_needs", Some("task.12.problems")));
        assert!(err.message(crate::Lang::Zh).contains("存在问题"));
    }

    #[test]
    fn project_investment_stays_within_the_total() {
        let facts = ItemFacts { total_wan: Some(5000.0), invested_before: 4800.0, ..ItemFacts::default() };
        let mut e = Entry { kind: Some(ItemKind::Project), item_id: 3, amount: Some(300.0), ..Entry::default() };
        let err = e.check(&facts, false).unwrap_err();
        assert_eq!((err.reason.code(), err.field.as_deref()), ("over_total", Some("project.3.amount")));
        let mut e = Entry { kind: Some(ItemKind::Project), item_id: 3, amount: Some(-1.0), ..Entry::default() };
        assert_eq!(e.check(&facts, false).unwrap_err().reason.code(), "negative");
        let mut e = Entry { kind: Some(ItemKind::Project), item_id: 3, amount: Some(0.0), ..Entry::default() };
        e.check(&facts, true).unwrap();
    }

    #[test]
    fn target_values_convert_between_wan_and_yi() {
        assert_eq!(convert(1.2, "亿元", "万元"), Some(12_000.0));
        assert_eq!(convert(35_000.0, "人", "万人"), Some(3.5));
        assert_eq!(convert(3.0, "张", "张"), Some(3.0));
        assert_eq!(convert(3.0, "张", "个"), None);
        let facts = ItemFacts { target_unit: Some("亿元".into()), ..ItemFacts::default() };
        let mut e = Entry {
            kind: Some(ItemKind::Target),
            item_id: 5,
            value: Some(25_000.0),
            value_unit: Some("万元".into()),
            ..Entry::default()
        };
        e.check(&facts, true).unwrap();
        assert_eq!(e.value, Some(2.5));
        let mut e = Entry {
            kind: Some(ItemKind::Target),
            item_id: 5,
            value: Some(1.0),
            value_unit: Some("个".into()),
            ..Entry::default()
        };
        assert_eq!(e.check(&facts, true).unwrap_err().reason.code(), "unit_mismatch");
    }

    #[test]
    fn attachments_are_known_by_their_first_bytes() {
        assert_eq!(attachment_type("a.png", b"\x89PNG\r\n\x1a\nxxxx").unwrap(), "image/png");
        assert_eq!(attachment_type("scan.pdf", b"%PDF-1.7 ...").unwrap(), "application/pdf");
        let err = attachment_type("a.pdf", b"MZ\x90\x00 an executable").unwrap_err();
        assert_eq!(err.reason.code(), "attachment_type");
        assert_eq!(attachment_type("a.pdf", b"").unwrap_err().reason.code(), "file_empty");
    }

    #[test]
    fn a_value_far_from_the_units_history_is_unusual() {
        let history = [120.0, 100.0, 130.0, 110.0, 125.0];
        assert_eq!(unusual(2_000.0, &history), Some(120.0));
        assert_eq!(unusual(140.0, &history), None);
        assert_eq!(unusual(2_000.0, &history[..3]), None, "too little history to judge");
        assert!(unusual(500.0, &[100.0; 5]).is_some());
        assert!(unusual(120.0, &[100.0; 5]).is_none());
    }
}
