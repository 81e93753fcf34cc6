//! Annual assessment (年考核) without I/O: the office's scoring scheme of a
//! plan and year, a unit's score item by item from the facts of its year
//! with the facts each point came from, and the rankings and grades of the
//! units of a group.
//!
//! - [`Scheme`]: the items with their points and rules, the caps of bonus
//!   and deduction, the grade bands and the 优秀 quota, the groups;
//! - [`score`]: a unit's facts ([`score::UnitFacts`]) scored by a scheme,
//!   every item with its sentence and its evidence;
//! - [`rank`]: ranks within each group, grades by band and quota, a veto.
//!
//! The defaults follow `CYCLE.md` §3: 目标完成 40, 重点任务推进 30, 督办事项办理
//! 10, 工作机制 10, 信息报送 10; 加分 at most +5 (national +3, provincial +2,
//! municipal +1, the highest level of an achievement only); 扣分 at most −10;
//! 一票否决 grades 不合格; 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格.

pub mod rank;
pub mod score;

use crate::refusal::{Reason, Refusal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a scheme item is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[schema(as = ScoringRule)]
pub enum Rule {
    /// 目标完成: the unit's targets by the share of the year's way reached
    /// (met = full, below = in proportion, above capped), or by status.
    Targets {
        /// `share` (by default) or `status`.
        #[serde(default)]
        basis: TargetBasis,
        /// A target above its way counts up to this share of its points, % (120).
        #[serde(default = "default_over_cap")]
        over_cap_pct: f64,
    },
    /// 重点任务推进: the share of tasks on schedule or done, less points per
    /// task still red at the year's end.
    Tasks {
        /// Points off per red task (1).
        #[serde(default = "one")]
        red_deduct: f64,
    },
    /// 督办事项办理: full points less per item closed late (or overdue and
    /// open) and per return (退办); never below 0.
    Supervision {
        /// Points off per late item (1).
        #[serde(default = "one")]
        late_deduct: f64,
        /// Points off per return (2).
        #[serde(default = "two")]
        returned_deduct: f64,
    },
    /// 信息报送: full points less per late and per missing monthly report;
    /// never below 0.
    Reporting {
        /// Points off per late report (1).
        #[serde(default = "one")]
        late_deduct: f64,
        /// Points off per missing report (2).
        #[serde(default = "two")]
        missing_deduct: f64,
    },
    /// A checklist the office scores against evidence (工作机制: 专班,
    /// policies, funds, meetings).
    Manual {},
}

fn default_over_cap() -> f64 {
    120.0
}
fn one() -> f64 {
    1.0
}
fn two() -> f64 {
    2.0
}

impl Rule {
    /// The identifier of its kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::Targets { .. } => "targets",
            Rule::Tasks { .. } => "tasks",
            Rule::Supervision { .. } => "supervision",
            Rule::Reporting { .. } => "reporting",
            Rule::Manual {} => "manual",
        }
    }

    /// The kind's Chinese name, as the scheme's page and workbook show it.
    pub fn label(&self) -> &'static str {
        match self {
            Rule::Targets { basis: TargetBasis::Share, .. } => "目标完成（按完成比例）",
            Rule::Targets { basis: TargetBasis::Status, .. } => "目标完成（按状态）",
            Rule::Tasks { .. } => "任务按序时推进",
            Rule::Supervision { .. } => "督办事项按期办结",
            Rule::Reporting { .. } => "月度报送及时",
            Rule::Manual {} => "对照佐证人工评分",
        }
    }

    /// The meaning of its first and second figure, as the scheme's
    /// workbook heads them (none where the rule takes none).
    pub fn params(&self) -> [Option<(&'static str, f64)>; 2] {
        match self {
            Rule::Targets { over_cap_pct, .. } => [Some(("超额最多计（%）", *over_cap_pct)), None],
            Rule::Tasks { red_deduct } => [Some(("年末红色每项扣分", *red_deduct)), None],
            Rule::Supervision { late_deduct, returned_deduct } => {
                [Some(("逾期每件扣分", *late_deduct)), Some(("退办每次扣分", *returned_deduct))]
            }
            Rule::Reporting { late_deduct, missing_deduct } => {
                [Some(("迟报每期扣分", *late_deduct)), Some(("缺报每期扣分", *missing_deduct))]
            }
            Rule::Manual {} => [None, None],
        }
    }

    /// The same rule with its figures set to `first` and `second` where given.
    pub fn with_params(&self, first: Option<f64>, second: Option<f64>) -> Rule {
        let mut r = self.clone();
        match &mut r {
            Rule::Targets { over_cap_pct, .. } => *over_cap_pct = first.unwrap_or(*over_cap_pct),
            Rule::Tasks { red_deduct } => *red_deduct = first.unwrap_or(*red_deduct),
            Rule::Supervision { late_deduct: a, returned_deduct: b }
            | Rule::Reporting { late_deduct: a, missing_deduct: b } => {
                *a = first.unwrap_or(*a);
                *b = second.unwrap_or(*b);
            }
            Rule::Manual {} => {}
        }
        r
    }

    /// Every kind's identifier, with its default rule.
    pub fn defaults() -> [Rule; 5] {
        [
            Rule::Targets { basis: TargetBasis::Share, over_cap_pct: 120.0 },
            Rule::Tasks { red_deduct: 1.0 },
            Rule::Supervision { late_deduct: 1.0, returned_deduct: 2.0 },
            Rule::Reporting { late_deduct: 1.0, missing_deduct: 2.0 },
            Rule::Manual {},
        ]
    }

    /// Every rule a scheme may choose, once per label (targets by share and by status).
    pub fn choices() -> [Rule; 6] {
        let [share, tasks, supervision, reporting, manual] = Rule::defaults();
        [
            share,
            Rule::Targets { basis: TargetBasis::Status, over_cap_pct: 120.0 },
            tasks,
            supervision,
            reporting,
            manual,
        ]
    }

    /// The default rule of the kind `kind` (`targets`, `tasks`…) or of a label.
    pub fn of_kind(kind: &str) -> Option<Rule> {
        Rule::choices().into_iter().find(|r| r.kind() == kind || r.label() == kind)
    }
}

/// How targets are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetBasis {
    /// By the share of the year's way reached.
    #[default]
    Share,
    /// By status: 绿 full, 黄 60 %, 红 20 %, 未报送 nothing.
    Status,
}

/// An item of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SchemeItem)]
pub struct Item {
    /// Its key (`targets`, `mechanism`…), unique in the scheme.
    pub key: String,
    /// Its name (目标完成).
    pub name: String,
    /// Its points.
    pub points: f64,
    /// How it is scored.
    pub rule: Rule,
}

/// The points of a bonus by the level that recognised the achievement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BonusLevels {
    /// 国家级 (3).
    pub national: f64,
    /// 省级 (2).
    pub provincial: f64,
    /// 市级 (1).
    pub municipal: f64,
}

impl Default for BonusLevels {
    fn default() -> Self {
        BonusLevels { national: 3.0, provincial: 2.0, municipal: 1.0 }
    }
}

/// The level that recognised an achievement (加分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BonusLevel {
    /// 国家级.
    National,
    /// 省级.
    Provincial,
    /// 市级.
    Municipal,
}

impl BonusLevel {
    /// Every level, the highest first.
    pub const ALL: [BonusLevel; 3] = [BonusLevel::National, BonusLevel::Provincial, BonusLevel::Municipal];

    /// The identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            BonusLevel::National => "national",
            BonusLevel::Provincial => "provincial",
            BonusLevel::Municipal => "municipal",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            BonusLevel::National => "国家级",
            BonusLevel::Provincial => "省级",
            BonusLevel::Municipal => "市级",
        }
    }

    /// The level of an identifier or a Chinese name.
    pub fn parse(s: &str) -> Option<BonusLevel> {
        BonusLevel::ALL.into_iter().find(|l| l.as_str() == s || l.label() == s)
    }
}

impl BonusLevels {
    /// The points of `level`.
    pub fn points(&self, level: BonusLevel) -> f64 {
        match level {
            BonusLevel::National => self.national,
            BonusLevel::Provincial => self.provincial,
            BonusLevel::Municipal => self.municipal,
        }
    }
}

/// The lowest score of each grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Bands {
    /// 优秀 from (90).
    pub excellent: f64,
    /// 良好 from (80).
    pub good: f64,
    /// 合格 from (60); below it 不合格.
    pub pass: f64,
}

impl Default for Bands {
    fn default() -> Self {
        Bands { excellent: 90.0, good: 80.0, pass: 60.0 }
    }
}

/// The office's scoring scheme of a plan and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = ScoringScheme)]
pub struct Scheme {
    /// The items, in the order the table shows them.
    pub items: Vec<Item>,
    /// The points of a bonus by level.
    pub bonus_levels: BonusLevels,
    /// At most this many bonus points (5).
    pub bonus_cap: f64,
    /// At most this many points deducted (10).
    pub deduction_cap: f64,
    /// The grade bands.
    pub bands: Bands,
    /// At most this share of a group graded 优秀, % (none by default).
    pub excellent_quota_pct: Option<f64>,
    /// The last this many of each group get a 限期整改 item besides every
    /// 不合格 unit (1).
    pub rectify_bottom: i64,
}

impl Default for Scheme {
    fn default() -> Self {
        let item =
            |key: &str, name: &str, points: f64, rule: Rule| Item { key: key.into(), name: name.into(), points, rule };
        let [targets, tasks, supervision, reporting, manual] = Rule::defaults();
        Scheme {
            items: vec![
                item("targets", "目标完成", 40.0, targets),
                item("tasks", "重点任务推进", 30.0, tasks),
                item("supervision", "督办事项办理", 10.0, supervision),
                item("mechanism", "工作机制", 10.0, manual),
                item("reporting", "信息报送", 10.0, reporting),
            ],
            bonus_levels: BonusLevels::default(),
            bonus_cap: 5.0,
            deduction_cap: 10.0,
            bands: Bands::default(),
            excellent_quota_pct: None,
            rectify_bottom: 1,
        }
    }
}

impl Scheme {
    /// The full score: the items' points added up.
    pub fn full(&self) -> f64 {
        self.items.iter().map(|i| i.points).sum()
    }

    /// The item of `key`.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Refuses a scheme that cannot score: no item, an item without a key
    /// or a name, a key twice, points that are not positive, caps below
    /// zero, bands out of order, a quota outside 0–100.
    pub fn check(&self) -> Result<(), Refusal> {
        if self.items.is_empty() {
            return Err(Refusal::from(Reason::SchemeEmpty {}).on("items"));
        }
        for (n, item) in self.items.iter().enumerate() {
            let at = |f: &str| format!("items[{n}].{f}");
            crate::check::not_empty(&at("key"), &item.key)?;
            crate::check::max_chars(&at("key"), &item.key, 40)?;
            crate::check::not_empty(&at("name"), &item.name)?;
            crate::check::max_chars(&at("name"), &item.name, crate::check::SHORT)?;
            if self.items[..n].iter().any(|i| i.key == item.key) {
                return Err(Refusal::from(Reason::SchemeItemTwice { key: item.key.clone() }).on(at("key")));
            }
            if !(item.points.is_finite() && item.points > 0.0 && item.points <= 1000.0) {
                return Err(points_range(item.points, 1000.0).on(at("points")));
            }
            let params = match &item.rule {
                Rule::Targets { over_cap_pct, .. } => vec![(*over_cap_pct - 100.0, "over_cap_pct")],
                Rule::Tasks { red_deduct } => vec![(*red_deduct, "red_deduct")],
                Rule::Supervision { late_deduct, returned_deduct } => {
                    vec![(*late_deduct, "late_deduct"), (*returned_deduct, "returned_deduct")]
                }
                Rule::Reporting { late_deduct, missing_deduct } => {
                    vec![(*late_deduct, "late_deduct"), (*missing_deduct, "missing_deduct")]
                }
                Rule::Manual {} => vec![],
            };
            for (v, f) in params {
                if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                    return Err(points_range(v, 100.0).on(at(&format!("rule.{f}"))));
                }
            }
        }
        let levels = &self.bonus_levels;
        for (v, f) in [
            (self.bonus_cap, "bonus_cap"),
            (self.deduction_cap, "deduction_cap"),
            (levels.national, "bonus_levels.national"),
            (levels.provincial, "bonus_levels.provincial"),
            (levels.municipal, "bonus_levels.municipal"),
        ] {
            if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                return Err(points_range(v, 100.0).on(f));
            }
        }
        let b = &self.bands;
        let ordered = [b.excellent, b.good, b.pass].iter().all(|v| v.is_finite())
            && b.excellent > b.good
            && b.good > b.pass
            && b.pass >= 0.0;
        if !ordered {
            let reason = Reason::BandsOrder {
                excellent: crate::labels::number(b.excellent),
                good: crate::labels::number(b.good),
                pass: crate::labels::number(b.pass),
            };
            return Err(Refusal::from(reason).on("bands"));
        }
        if let Some(q) = self.excellent_quota_pct
            && !(q.is_finite() && q > 0.0 && q <= 100.0)
        {
            return Err(points_range(q, 100.0).on("excellent_quota_pct"));
        }
        if !(0..=100).contains(&self.rectify_bottom) {
            let reason = Reason::OutOfRange { value: self.rectify_bottom, min: 0, max: 100 };
            return Err(Refusal::from(reason).on("rectify_bottom"));
        }
        Ok(())
    }
}

fn points_range(points: f64, max: f64) -> Refusal {
    Reason::PointsRange { points: crate::labels::number(points), max: crate::labels::number(max) }.into()
}

/// Points as a table writes them: at most two decimals.
pub fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scheme_is_the_cycles_hundred_points() {
        let s = Scheme::default();
        assert_eq!(s.full(), 100.0);
        assert!(s.check().is_ok());
        assert_eq!(s.item("mechanism").map(|i| i.rule.kind()), Some("manual"));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Scheme>(&json).unwrap(), s);
    }

    #[test]
    fn a_scheme_that_cannot_score_is_refused_at_its_field() {
        let code = |s: &Scheme| {
            let r = s.check().unwrap_err();
            (r.reason.code(), r.field.unwrap_or_default())
        };
        let mut s = Scheme::default();
        s.items[1].key = "targets".into();
        assert_eq!(code(&s), ("scheme_item_twice", "items[1].key".into()));
        let mut s = Scheme::default();
        s.items[2].points = 0.0;
        assert_eq!(code(&s), ("points_range", "items[2].points".into()));
        let s = Scheme { bands: Bands { excellent: 80.0, good: 90.0, pass: 60.0 }, ..Scheme::default() };
        assert_eq!(code(&s), ("bands_order", "bands".into()));
        let s = Scheme { items: vec![], ..Scheme::default() };
        assert_eq!(code(&s), ("scheme_empty", "items".into()));
        let s = Scheme { excellent_quota_pct: Some(140.0), ..Scheme::default() };
        assert_eq!(code(&s), ("points_range", "excellent_quota_pct".into()));
        let mut s = Scheme::default();
        s.items[0].rule = Rule::Targets { basis: TargetBasis::Share, over_cap_pct: 90.0 };
        assert_eq!(code(&s), ("points_range", "items[0].rule.over_cap_pct".into()));
    }

    #[test]
    fn a_rule_parses_from_its_kind_or_name() {
        assert_eq!(Rule::of_kind("tasks").map(|r| r.kind()), Some("tasks"));
        assert_eq!(Rule::of_kind("对照佐证人工评分").map(|r| r.kind()), Some("manual"));
        assert!(Rule::of_kind("other").is_none());
        assert_eq!(
            Rule::of_kind("目标完成（按状态）"),
            Some(Rule::Targets { basis: TargetBasis::Status, over_cap_pct: 120.0 })
        );
        let r = Rule::of_kind("reporting").unwrap().with_params(Some(0.5), None);
        assert_eq!(r, Rule::Reporting { late_deduct: 0.5, missing_deduct: 2.0 });
        assert_eq!(r.params()[1], Some(("缺报每期扣分", 2.0)));
        let r: Rule = serde_json::from_str(r#"{"kind":"reporting"}"#).unwrap();
        assert_eq!(r, Rule::Reporting { late_deduct: 1.0, missing_deduct: 2.0 });
    }
}
