//! Formulas over other indicators: `share(A, B)` (A ÷ B × 100),
//! `ratio(A, B)` or `ratio(A, B, 1000)` (A ÷ B × k), `per_capita(A, POP, k)`
//! (the same, read as per head) and `growth(A)` (同比, A against the same
//! period a year earlier, in percent). Parts are indicator codes. A formula
//! is computed at each level from its parts rolled up there, so a city's
//! share is its sum over its sum.

use super::code_ok;
use crate::refusal::Reason;
use serde::Serialize;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Formula {
    /// `numerator ÷ denominator × scale`.
    Ratio {
        /// The code above the line.
        numerator: String,
        /// The code below it.
        denominator: String,
        /// The factor (100 for a share).
        scale: f64,
    },
    /// `(of ÷ of a year earlier − 1) × 100`.
    Growth {
        /// The code whose growth it is.
        of: String,
    },
}

fn malformed(text: &str, detail: &str) -> Reason {
    Reason::FormulaMalformed { formula: text.chars().take(60).collect(), detail: detail.into() }
}

impl Formula {
    /// Parses `share(A, B)`, `ratio(A, B[, k])`, `per_capita(A, B[, k])`,
    /// `growth(A)`; full-width brackets and commas are taken too.
    pub fn parse(text: &str) -> Result<Formula, Reason> {
        let t: String = text.trim().replace('（', "(").replace('）', ")").replace('，', ",");
        let (name, rest) =
            t.split_once('(').ok_or_else(|| malformed(text, "应写作 函数(指标代码, …)，如 share(A, B)"))?;
        let inner = rest.strip_suffix(')').ok_or_else(|| malformed(text, "缺少右括号"))?;
        let args: Vec<&str> = inner.split(',').map(str::trim).collect();
        let code = |i: usize| -> Result<String, Reason> {
            let a = args.get(i).copied().unwrap_or("");
            if code_ok(a) { Ok(a.to_string()) } else { Err(malformed(text, &format!("“{a}”不是指标代码"))) }
        };
        let scale = |i: usize, default: f64| -> Result<f64, Reason> {
            match args.get(i) {
                None => Ok(default),
                Some(k) => k
                    .parse::<f64>()
                    .ok()
                    .filter(|k| k.is_finite() && *k != 0.0)
                    .ok_or_else(|| malformed(text, &format!("“{k}”不是倍数"))),
            }
        };
        let arity = |n: std::ops::RangeInclusive<usize>| {
            if n.contains(&args.len()) { Ok(()) } else { Err(malformed(text, "参数个数不对")) }
        };
        match name.trim() {
            "share" => {
                arity(2..=2)?;
                Ok(Formula::Ratio { numerator: code(0)?, denominator: code(1)?, scale: 100.0 })
            }
            "ratio" | "per_capita" => {
                arity(2..=3)?;
                Ok(Formula::Ratio { numerator: code(0)?, denominator: code(1)?, scale: scale(2, 1.0)? })
            }
            "growth" => {
                arity(1..=1)?;
                Ok(Formula::Growth { of: code(0)? })
            }
            other => Err(malformed(text, &format!("不认识函数“{other}”，可用 share、ratio、per_capita、growth"))),
        }
    }

    /// The codes it reads.
    pub fn parts(&self) -> Vec<&str> {
        match self {
            Formula::Ratio { numerator, denominator, .. } => vec![numerator, denominator],
            Formula::Growth { of } => vec![of],
        }
    }

    /// Its value from its parts: `value(code, years_back)` is a part's value
    /// at the same level and period, `years_back` years earlier. None when a
    /// part is missing or a denominator is zero.
    pub fn value(&self, mut value: impl FnMut(&str, i32) -> Option<f64>) -> Option<f64> {
        match self {
            Formula::Ratio { numerator, denominator, scale } => {
                let d = value(denominator, 0).filter(|d| *d != 0.0)?;
                Some(value(numerator, 0)? / d * scale)
            }
            Formula::Growth { of } => {
                let before = value(of, 1).filter(|b| *b != 0.0)?;
                Some((value(of, 0)? / before - 1.0) * 100.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_parse_and_compute_from_their_parts() {
        let f = Formula::parse("share（A1, B1）").unwrap();
        assert_eq!(f.parts(), vec!["A1", "B1"]);
        assert_eq!(f.value(|c, _| Some(if c == "A1" { 30.0 } else { 120.0 })), Some(25.0));
        let per = Formula::parse("per_capita(BED, POP, 1000)").unwrap();
        assert_eq!(per.value(|c, _| Some(if c == "BED" { 600.0 } else { 150.0 })), Some(4000.0));
        let g = Formula::parse("growth(REV)").unwrap();
        assert_eq!(g.value(|_, back| Some(if back == 0 { 110.0 } else { 100.0 })).map(|v| v.round()), Some(10.0));
        assert_eq!(f.value(|c, _| if c == "B1" { Some(0.0) } else { Some(1.0) }), None, "no division by zero");
        for bad in ["share(A)", "sum(A, B)", "share(A, B", "ratio(A, B, x)", "growth(A B)"] {
            assert!(matches!(Formula::parse(bad), Err(Reason::FormulaMalformed { .. })), "{bad}");
        }
    }
}
