//! Key enterprises (重点企业): the 统一社会信用代码 and its check character
//! (GB 32100-2015), the size classes, and the figures an enterprise reports
//! each period, each rolled up as an indicator of its own.

use super::{Definition, OverRegions, OverTime, Periodicity, Polarity};
use crate::refusal::Reason;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The 31 characters of a credit code, in the order of their values (no I,
/// O, S, V, Z).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// The check character the first 17 characters of a credit code call for.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (i, c) in first17.chars().enumerate() {
        let v = CHARSET.find(c)? as u32;
        sum += v * WEIGHTS.get(i)?;
    }
    if first17.chars().count() != 17 {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    CHARSET.chars().nth(check as usize)
}

/// Checks a 统一社会信用代码 (upper-cased, spaces dropped) and gives it back.
pub fn check_credit_code(code: &str) -> Result<String, Reason> {
    let c: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let shape = c.chars().count() == 18 && c.chars().all(|ch| CHARSET.contains(ch));
    if !shape {
        return Err(Reason::CreditCodeMalformed { code: code.chars().take(30).collect() });
    }
    let expected = check_character(&c[..17]).unwrap_or('?');
    if c.ends_with(expected) {
        Ok(c)
    } else {
        Err(Reason::CreditCodeCheck { code: c.clone(), expected: expected.to_string() })
    }
}

/// An enterprise's size class (统计上大中小微型企业划分).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// 大型
    Large,
    /// 中型
    Medium,
    /// 小型
    Small,
    /// 微型
    Micro,
}

impl Size {
    /// Every class.
    pub const ALL: [Size; 4] = [Size::Large, Size::Medium, Size::Small, Size::Micro];
    /// The identifier stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Size::Large => "large",
            Size::Medium => "medium",
            Size::Small => "small",
            Size::Micro => "micro",
        }
    }
    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Size::Large => "大型",
            Size::Medium => "中型",
            Size::Small => "小型",
            Size::Micro => "微型",
        }
    }
    /// The class of an identifier or a Chinese name.
    pub fn parse(s: &str) -> Option<Size> {
        let s = s.trim();
        Size::ALL.into_iter().find(|z| z.as_str() == s || z.label() == s || z.label().trim_end_matches('型') == s)
    }
}

/// A figure an enterprise reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = EnterpriseMeasure)]
pub enum Measure {
    /// 营业收入 (万元, the period's own).
    Revenue,
    /// 利润总额 (万元).
    Profit,
    /// 工业总产值 (万元).
    Output,
    /// 从业人员 (人, at the period's end).
    Employees,
    /// 完成投资 (万元).
    Investment,
}

impl Measure {
    /// Every figure, in the order forms show them.
    pub const ALL: [Measure; 5] =
        [Measure::Revenue, Measure::Profit, Measure::Output, Measure::Employees, Measure::Investment];

    /// The identifier (the column stored).
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Revenue => "revenue",
            Measure::Profit => "profit",
            Measure::Output => "output",
            Measure::Employees => "employees",
            Measure::Investment => "investment",
        }
    }

    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Revenue => "营业收入",
            Measure::Profit => "利润总额",
            Measure::Output => "工业总产值",
            Measure::Employees => "从业人员",
            Measure::Investment => "完成投资",
        }
    }

    /// Its unit.
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Employees => "人",
            _ => "万元",
        }
    }

    /// The code of the indicator the region's enterprises add up to.
    pub fn indicator_code(self) -> &'static str {
        match self {
            Measure::Revenue => "QY_REVENUE",
            Measure::Profit => "QY_PROFIT",
            Measure::Output => "QY_OUTPUT",
            Measure::Employees => "QY_EMPLOYEES",
            Measure::Investment => "QY_INVESTMENT",
        }
    }

    /// Whether a fall in it names the enterprise in the analysis.
    pub fn watched(self) -> bool {
        matches!(self, Measure::Revenue | Measure::Profit | Measure::Output)
    }

    /// The figure of a column header or identifier (`营业收入（万元）`).
    pub fn parse(s: &str) -> Option<Measure> {
        let s = s.trim();
        Measure::ALL.into_iter().find(|m| m.as_str() == s || s.starts_with(m.label()))
    }

    /// The indicator it rolls up as.
    pub fn definition(self) -> Definition {
        Definition {
            code: self.indicator_code().into(),
            name: format!("重点企业{}", self.label()),
            unit: Some(self.unit().into()),
            polarity: Polarity::Up,
            over_regions: OverRegions::Sum,
            over_time: if self == Measure::Employees { OverTime::Last } else { OverTime::Sum },
            periodicity: Periodicity::Month,
            formula: None,
            industry_class: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_are_checked_by_their_last_character() {
        // The example code of GB 32100-2015's own annex and a listed company's.
        for good in ["91350100M000100Y43", "91110000802100433b"] {
            assert!(check_credit_code(good).is_ok(), "{good}");
        }
        assert_eq!(
            check_credit_code("91350100M000100Y44"),
            Err(Reason::CreditCodeCheck { code: "91350100M000100Y44".into(), expected: "3".into() })
        );
        assert!(matches!(check_credit_code("91350100M000100Y4"), Err(Reason::CreditCodeMalformed { .. })));
        assert!(matches!(check_credit_code("91350100I000100Y43"), Err(Reason::CreditCodeMalformed { .. })), "no I");
        assert_eq!(Size::parse("中型"), Some(Size::Medium));
        assert_eq!(Measure::parse("营业收入（万元）"), Some(Measure::Revenue));
    }
}
