//! The indicator system (统计监测指标体系) without I/O: what an indicator
//! is, how it aggregates over regions and over time, its formula over other
//! indicators, the periods statistics are stated for, and the roll-up of a
//! region tree from its counties up.
//!
//! - [`formula`]: ratios, shares, per-capita figures and growth rates over
//!   other indicators, computed at every level from the rolled-up parts (a
//!   ratio of sums, never a mean of ratios);
//! - [`period`]: the period a statistic is for (`2026-06`, `2026年二季度`,
//!   `2026年`), as the year and the month it ends in;
//! - [`rollup`]: a region's value from its own figure or its children's;
//! - [`enterprise`]: key enterprises (重点企业): the 统一社会信用代码 and its
//!   GB 32100 check character, size classes, the figures they report.
//!
//! The 健康产业统计分类（2019） is data (its 大类 are loaded by the store), not
//! code: an indicator names its 大类 by the classification's code.

pub mod enterprise;
pub mod formula;
pub mod period;
pub mod rollup;

pub use formula::Formula;

use crate::refusal::{Reason, Refusal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How an indicator's values of several regions make their parent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum OverRegions {
    /// The parent's is the sum of its children's (床位, 营业收入).
    #[default]
    Sum,
    /// The mean of its children's (an index without weights).
    Mean,
    /// The indicator's formula over its parts, each summed first (a ratio of
    /// sums: 每千人口床位 of a city is its beds over its population).
    RatioOfSums,
}

/// How an indicator's values of several periods make a longer period's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum OverTime {
    /// Values are levels or year-to-date (累计) figures: the latest stands.
    #[default]
    Last,
    /// Values are each period's own amount (当期): the year so far is their sum.
    Sum,
    /// The year so far is the mean of its periods.
    Mean,
}

/// How often values come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Periodicity {
    /// 月度
    #[default]
    Month,
    /// 季度
    Quarter,
    /// 年度
    Year,
}

/// Whether more is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// 正向: more is better.
    #[default]
    Up,
    /// 逆向: less is better (发病率).
    Down,
}

impl OverRegions {
    /// The identifier stored.
    pub fn as_str(self) -> &'static str {
        match self {
            OverRegions::Sum => "sum",
            OverRegions::Mean => "mean",
            OverRegions::RatioOfSums => "ratio_of_sums",
        }
    }
    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            OverRegions::Sum => "求和",
            OverRegions::Mean => "平均",
            OverRegions::RatioOfSums => "按公式（分子分母分别汇总）",
        }
    }
    /// Every way.
    pub const ALL: [OverRegions; 3] = [OverRegions::Sum, OverRegions::Mean, OverRegions::RatioOfSums];
    /// The way of an identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s || a.label() == s)
    }
}

impl OverTime {
    /// The identifier stored.
    pub fn as_str(self) -> &'static str {
        match self {
            OverTime::Last => "last",
            OverTime::Sum => "sum",
            OverTime::Mean => "mean",
        }
    }
    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            OverTime::Last => "取期末值（存量或累计值）",
            OverTime::Sum => "逐期累加（当期值）",
            OverTime::Mean => "期间平均",
        }
    }
    /// Every way.
    pub const ALL: [OverTime; 3] = [OverTime::Last, OverTime::Sum, OverTime::Mean];
    /// The way of an identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s || a.label() == s)
    }
}

impl Periodicity {
    /// The identifier stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Periodicity::Month => "month",
            Periodicity::Quarter => "quarter",
            Periodicity::Year => "year",
        }
    }
    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Periodicity::Month => "月度",
            Periodicity::Quarter => "季度",
            Periodicity::Year => "年度",
        }
    }
    /// Every periodicity.
    pub const ALL: [Periodicity; 3] = [Periodicity::Month, Periodicity::Quarter, Periodicity::Year];
    /// The periodicity of an identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s || a.label() == s)
    }
}

impl Polarity {
    /// The identifier stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Up => "up",
            Polarity::Down => "down",
        }
    }
    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Polarity::Up => "正向（越大越好）",
            Polarity::Down => "逆向（越小越好）",
        }
    }
    /// Every polarity.
    pub const ALL: [Polarity; 2] = [Polarity::Up, Polarity::Down];
    /// The polarity of an identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s || a.label() == s)
    }
}

/// The code of the population indicator (常住人口, 万人) that per-capita
/// comparisons divide by.
pub const POPULATION: &str = "POP";

/// An indicator as the office defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = IndicatorDefinition)]
pub struct Definition {
    /// Its code (`YL01`): letters, digits, `_`, `.` and `-`.
    pub code: String,
    /// Its name (`养老床位数`).
    pub name: String,
    /// Its unit (`张`, `万元`, `%`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Whether more is better.
    #[serde(default)]
    pub polarity: Polarity,
    /// How regions add up.
    #[serde(default)]
    pub over_regions: OverRegions,
    /// How periods add up.
    #[serde(default)]
    pub over_time: OverTime,
    /// How often values come.
    #[serde(default)]
    pub periodicity: Periodicity,
    /// A formula over other indicators (`share(A, B)`), or none.
    #[serde(default)]
    pub formula: Option<String>,
    /// The 健康产业统计分类（2019） 大类 it belongs to (`01`), or none.
    #[serde(default)]
    pub industry_class: Option<String>,
}

/// Whether `code` can be an indicator's code.
pub fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 32
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

impl Definition {
    /// Refuses a definition that cannot work: a code of other characters, no
    /// name, a formula that does not parse, names itself, or goes with
    /// another way of adding up regions.
    pub fn check(&self) -> Result<Option<Formula>, Refusal> {
        if !code_ok(&self.code) {
            return Err(Reason::IndicatorCodeMalformed { code: self.code.chars().take(40).collect() }.on("code"));
        }
        if self.name.trim().is_empty() {
            return Err(Reason::Required { field: "name".into() }.on("name"));
        }
        let formula = match self.formula.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(text) => {
                let f = Formula::parse(text).map_err(|r| r.on("formula"))?;
                if f.parts().contains(&self.code.as_str()) {
                    return Err(Reason::FormulaMalformed {
                        formula: text.into(),
                        detail: "公式不能引用指标自身".into(),
                    }
                    .on("formula"));
                }
                Some(f)
            }
        };
        if formula.is_some() != (self.over_regions == OverRegions::RatioOfSums) {
            return Err(Reason::FormulaAggregate {}.on("over_regions"));
        }
        Ok(formula)
    }
}
