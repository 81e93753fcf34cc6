//! A region's value from its own figure or its children's, and a period's
//! value from the values of the periods in it.
//!
//! A region with a figure of its own (a city's statistics) keeps it; one
//! without takes its children's, summed or averaged as the indicator adds
//! up, down to the counties. A formula is computed at each level from its
//! parts rolled up there.

use super::period::PeriodEnd;
use super::{Formula, OverRegions, OverTime, Periodicity};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// The regions as a tree: each code's parent.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    children: HashMap<String, Vec<String>>,
}

impl Tree {
    /// The tree of `(code, parent)` pairs.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, Option<&'a str>)>) -> Tree {
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for (code, parent) in pairs {
            if let Some(p) = parent {
                children.entry(p.to_string()).or_default().push(code.to_string());
            }
        }
        for list in children.values_mut() {
            list.sort();
        }
        Tree { children }
    }

    /// The children of `code`.
    pub fn children(&self, code: &str) -> &[String] {
        self.children.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `code` and every region below it, parents before children.
    pub fn below(&self, code: &str) -> Vec<String> {
        let mut out = vec![code.to_string()];
        let mut i = 0;
        while i < out.len() {
            let next: Vec<String> = self.children(&out[i]).to_vec();
            out.extend(next);
            i += 1;
        }
        out
    }
}

/// A region's value and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Rolled {
    /// The value.
    pub value: f64,
    /// Whether it is the region's own figure (else its children's, added up).
    pub own: bool,
    /// How many regions with a figure of their own it stands on.
    pub from: usize,
}

/// Every region's value under `root` from the regions' own figures.
pub fn roll_up(tree: &Tree, root: &str, own: &HashMap<String, f64>, how: OverRegions) -> HashMap<String, Rolled> {
    let mut out = HashMap::new();
    let order = tree.below(root);
    for code in order.iter().rev() {
        if let Some(v) = own.get(code) {
            out.insert(code.clone(), Rolled { value: *v, own: true, from: 1 });
            continue;
        }
        let kids: Vec<Rolled> = tree.children(code).iter().filter_map(|c| out.get(c).copied()).collect();
        if kids.is_empty() {
            continue;
        }
        let sum: f64 = kids.iter().map(|k| k.value).sum();
        let value = match how {
            OverRegions::Mean => sum / kids.len() as f64,
            OverRegions::Sum | OverRegions::RatioOfSums => sum,
        };
        out.insert(code.clone(), Rolled { value, own: false, from: kids.iter().map(|k| k.from).sum() });
    }
    out
}

/// Every region's value of a formula: from its parts rolled up there
/// (`part(code, years_back, region)`), else the region's own figure.
pub fn roll_up_formula(
    regions: &[String],
    formula: &Formula,
    part: impl Fn(&str, i32, &str) -> Option<Rolled>,
    own: &HashMap<String, f64>,
) -> HashMap<String, Rolled> {
    let mut out = HashMap::new();
    for code in regions {
        let mut from = 0;
        let mut all_own = true;
        let computed = formula.value(|c, back| {
            let r = part(c, back, code)?;
            from = from.max(r.from);
            all_own &= r.own;
            Some(r.value)
        });
        match (computed, own.get(code)) {
            (_, Some(v)) => {
                out.insert(code.clone(), Rolled { value: *v, own: true, from: 1 });
            }
            (Some(value), None) => {
                out.insert(code.clone(), Rolled { value, own: all_own, from });
            }
            (None, None) => {}
        }
    }
    out
}

/// A region's values of one year up to the month asked: what the store
/// adds up in SQL, for [`over_time`] to read.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct YearSoFar {
    /// The year.
    pub year: i32,
    /// The sum of its values so far.
    pub sum: f64,
    /// How many periods had a value.
    pub count: u32,
    /// The month of the latest value.
    pub last_month: u32,
    /// The latest value.
    pub last: f64,
}

/// The value of `year` up to the month its [`YearSoFar`] were read to: the
/// latest of the year for levels and year-to-date figures (of an earlier
/// year too for a yearly indicator), the sum or mean of the year's periods
/// for per-period amounts.
pub fn over_time(how: OverTime, periodicity: Periodicity, years: &[YearSoFar], year: i32) -> Option<f64> {
    let this = years.iter().find(|y| y.year == year && y.count > 0);
    match how {
        OverTime::Last if periodicity == Periodicity::Year => {
            years.iter().filter(|y| y.year <= year && y.count > 0).max_by_key(|y| y.year).map(|y| y.last)
        }
        OverTime::Last => this.map(|y| y.last),
        OverTime::Sum => this.map(|y| y.sum),
        OverTime::Mean => this.map(|y| y.sum / f64::from(y.count)),
    }
}

/// The [`YearSoFar`] of values by period, up to month `month` of each year.
pub fn years_so_far(values: &[(PeriodEnd, f64)], month: u32) -> Vec<YearSoFar> {
    let mut out: Vec<YearSoFar> = Vec::new();
    let mut sorted: Vec<&(PeriodEnd, f64)> = values.iter().filter(|(p, _)| p.month <= month).collect();
    sorted.sort_by_key(|(p, _)| *p);
    for (p, v) in sorted {
        match out.iter_mut().find(|y| y.year == p.year) {
            Some(y) => {
                y.sum += v;
                y.count += 1;
                y.last_month = p.month;
                y.last = *v;
            }
            None => out.push(YearSoFar { year: p.year, sum: *v, count: 1, last_month: p.month, last: *v }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Tree {
        Tree::new([
            ("520000", None),
            ("520100", Some("520000")),
            ("520102", Some("520100")),
            ("520103", Some("520100")),
            ("522600", Some("520000")),
            ("522601", Some("522600")),
        ])
    }

    #[test]
    fn a_region_takes_its_own_figure_else_its_childrens() {
        let own: HashMap<String, f64> =
            [("520102", 10.0), ("520103", 30.0), ("522601", 5.0), ("522600", 8.0)].map(|(c, v)| (c.into(), v)).into();
        let sum = roll_up(&tree(), "520000", &own, OverRegions::Sum);
        assert_eq!(sum["520100"], Rolled { value: 40.0, own: false, from: 2 });
        assert_eq!(sum["522600"].value, 8.0, "the city's own figure stands over its county's");
        assert_eq!(sum["520000"], Rolled { value: 48.0, own: false, from: 3 });
        let mean = roll_up(&tree(), "520000", &own, OverRegions::Mean);
        assert_eq!(mean["520100"].value, 20.0);
        assert!(!roll_up(&tree(), "520100", &own, OverRegions::Sum).contains_key("520000"));
    }

    #[test]
    fn a_share_rolls_up_as_a_ratio_of_sums() {
        let t = tree();
        let beds: HashMap<String, f64> = [("520102", 10.0), ("520103", 30.0)].map(|(c, v)| (c.into(), v)).into();
        let pop: HashMap<String, f64> = [("520102", 10.0), ("520103", 5.0)].map(|(c, v)| (c.into(), v)).into();
        let (b, p) = (roll_up(&t, "520100", &beds, OverRegions::Sum), roll_up(&t, "520100", &pop, OverRegions::Sum));
        let f = Formula::parse("ratio(BED, POP)").unwrap();
        let rates = roll_up_formula(
            &t.below("520100"),
            &f,
            |c, _, r| if c == "BED" { b.get(r).copied() } else { p.get(r).copied() },
            &HashMap::new(),
        );
        assert_eq!(rates["520100"].value, 40.0 / 15.0, "40 beds over 15, not the mean of 1 and 6");
        assert_eq!(rates["520102"].value, 1.0);
        assert_eq!(rates["520103"].value, 6.0);
    }

    #[test]
    fn periods_add_up_as_the_indicator_does() {
        let p = |m| PeriodEnd { year: 2026, month: m };
        let v = [(PeriodEnd { year: 2025, month: 12 }, 100.0), (p(1), 10.0), (p(2), 20.0), (p(4), 40.0)];
        let to_march = years_so_far(&v, 3);
        assert_eq!(over_time(OverTime::Sum, Periodicity::Month, &to_march, 2026), Some(30.0));
        assert_eq!(over_time(OverTime::Last, Periodicity::Month, &to_march, 2026), Some(20.0));
        assert_eq!(over_time(OverTime::Mean, Periodicity::Month, &years_so_far(&v, 2), 2026), Some(15.0));
        let last_year_only = years_so_far(&v[..1], 12);
        assert_eq!(
            over_time(OverTime::Last, Periodicity::Month, &last_year_only, 2026),
            None,
            "last year's 累计 is not this year's"
        );
        assert_eq!(
            over_time(OverTime::Last, Periodicity::Year, &last_year_only, 2026),
            Some(100.0),
            "a yearly figure stands"
        );
        assert_eq!(years_so_far(&v, 12)[1], YearSoFar { year: 2026, sum: 70.0, count: 3, last_month: 4, last: 40.0 });
    }
}
