//! Roll-ups from the counties up, read fresh at each request: every
//! indicator's value in a region and its children for a period (the
//! region's own figure where it has one, else its children's added up as the
//! indicator adds up), with the same period a year earlier, the growth, the
//! value per head where the population is known, and the children ranked.
//!
//! Values come from three places, read together: the values imported or
//! typed by the office (`indicator_values`), the monthly reports as the
//! office approved them (`approved_entries` of the targets linked to an
//! indicator, for the region of the target's plan) and the key enterprises'
//! figures (summed by region). A region's imported figures stand for their
//! months; reported ones fill the months after. The imported values are read
//! as each indicator's year in a region in one row, written with them
//! (`indicator_months`); the
//! reported and enterprises' are read as they stand. Nothing waits for a
//! batch job, so an import, an approval or a correction shows at the next
//! request.

use crate::access::{Action, Actor};
use crate::db::{Backend, Store};
use crate::error::{Reason, Result};
use crate::indicators::{IndicatorRow, months};
use crate::plans::region_prefix;
use crate::regions::Region;
use bighealth_rules::indicators::enterprise::Measure;
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::indicators::rollup::{Rolled, Tree, YearSoFar, over_time, roll_up, roll_up_formula, years_so_far};
use bighealth_rules::indicators::{Definition, Formula, OverRegions, POPULATION, Periodicity, Polarity};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One region's figure of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figure {
    /// The region's code.
    pub region: String,
    /// Its name.
    pub name: String,
    /// The value for the period, if any.
    pub value: Option<f64>,
    /// Whether it is the region's own figure (else its children's added up).
    pub own: bool,
    /// The same period a year earlier.
    pub last_year: Option<f64>,
    /// The growth on a year earlier, in percent (同比).
    pub growth: Option<f64>,
    /// The value per 万人 of 常住人口, where the population is known and the
    /// indicator adds up as a sum.
    pub per_10k: Option<f64>,
    /// Its rank among its siblings (1 is best, by the indicator's direction).
    pub rank: Option<usize>,
}

/// An indicator in a region and its children.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct IndicatorFigures {
    /// The indicator.
    pub indicator: Definition,
    /// The region's own figure.
    pub region: Figure,
    /// Its children's, ranked.
    pub children: Vec<Figure>,
}

/// A region's figures for a period.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RegionFigures {
    /// The region.
    pub region: Region,
    /// The regions above it, nearest first.
    pub above: Vec<Region>,
    /// Its children.
    pub children: Vec<Region>,
    /// The period's end.
    pub period: PeriodEnd,
    /// The period as people read it (`2026年6月`).
    pub period_label: String,
    /// Every indicator with a figure in the region or below.
    pub indicators: Vec<IndicatorFigures>,
}

/// Values by region code.
type ByRegion = HashMap<String, f64>;

type Years = HashMap<(i64, String), Vec<YearSoFar>>;

/// What was rolled up under a root for a period and the year before.
pub(crate) struct Rollup {
    pub tree: Tree,
    pub names: HashMap<String, String>,
    pub now: HashMap<i64, HashMap<String, Rolled>>,
    pub before: HashMap<i64, HashMap<String, Rolled>>,
}

impl Store {
    /// The SQL at the heart of a roll-up: per year, region and indicator, the
    /// sum, count, latest month and latest value of the values up to month
    /// `month` of `year` and the year before, for the regions whose code is
    /// `LIKE` `like` (`52%`). It reads each indicator's year in a region as
    /// one row of its twelve months (`indicator_months`), in the order of
    /// its key, works the figures out of the months up to `month`, and the
    /// database hands them over one row per region and year (each
    /// indicator's figures in it as exact text: 17 significant digits on
    /// SQLite, the shortest exact form on PostgreSQL), since handing over a
    /// row costs more than the row's reading.
    pub async fn indicator_years(
        &self,
        like: &str,
        year: i32,
        month: u32,
    ) -> Result<Vec<(i64, String, i64, f64, i64, i64, f64)>> {
        let u = months::up_to(month);
        let (total, last) = match self.backend() {
            Backend::Sqlite => (format!("printf('%!.17g', {})", u.total), format!("printf('%!.17g', {})", u.last)),
            Backend::Postgres => (u.total.clone(), u.last.clone()),
        };
        let concat =
            format!("indicator_id || ' ' || {total} || ' ' || {} || ' ' || {} || ' ' || {last}", u.count, u.last_month);
        let agg = match self.backend() {
            Backend::Sqlite => format!("group_concat({concat}, ';')"),
            Backend::Postgres => format!("string_agg({concat}, ';')"),
        };
        let sql = format!(
            "SELECT region, year, {agg} FROM indicator_months \
             WHERE year IN ($1, $2) AND region >= $3 AND region < $4 AND {} IS NOT NULL GROUP BY year, region",
            u.last
        );
        let stem = like.trim_end_matches('%');
        let packed: Vec<(String, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(year) - 1)
            .bind(i64::from(year))
            .bind(stem)
            .bind(format!("{stem}~"))
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::new();
        for (region, year, figures) in packed {
            for one in figures.split(';') {
                let mut f = one.split(' ');
                let mut next = || f.next().unwrap_or_default();
                let (id, total, n, last_month, last) = (next(), next(), next(), next(), next());
                let parsed = (id.parse(), total.parse(), n.parse(), last_month.parse(), last.parse());
                let (Ok(id), Ok(total), Ok(n), Ok(last_month), Ok(last)) = parsed else {
                    return Err(Reason::Internal {}.into());
                };
                out.push((id, region.clone(), year, total, n, last_month, last));
            }
        }
        Ok(out)
    }

    /// Every region's own figures under `like`, by year up to `at`'s month.
    async fn own_years(&self, rows: &[IndicatorRow], like: &str, at: PeriodEnd) -> Result<Years> {
        let mut years: Years = HashMap::new();
        for (id, region, year, total, n, month, last) in self.indicator_years(like, at.year, at.month).await? {
            years.entry((id, region)).or_default().push(YearSoFar {
                year: year as i32,
                sum: total,
                count: n as u32,
                last_month: month as u32,
                last,
            });
        }
        // Yearly figures of earlier years (a population stands until the next).
        let yearly: Vec<String> =
            rows.iter().filter(|r| r.definition().periodicity == Periodicity::Year).map(|r| r.id.to_string()).collect();
        if !yearly.is_empty() {
            let older: Vec<(i64, String, i64, f64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT indicator_id, region, year, v12 FROM indicator_months WHERE region LIKE $1 \
                 AND indicator_id IN ({}) AND year < $2 AND year >= $3 AND v12 IS NOT NULL",
                yearly.join(", ")
            )))
            .bind(like)
            .bind(i64::from(at.year))
            .bind(i64::from(at.year) - 10)
            .fetch_all(self.pool())
            .await?;
            for (id, region, year, value) in older {
                let mine = years.entry((id, region)).or_default();
                if mine.iter().any(|y| i64::from(y.year) == year) {
                    continue;
                }
                mine.push(YearSoFar { year: year as i32, sum: value, count: 1, last_month: 12, last: value });
            }
        }
        // Reported and enterprises' figures fill the months after a region's
        // imported ones in each year (the statistics stand where they are).
        let mut add = |found: HashMap<(i64, String), Vec<(PeriodEnd, f64)>>| {
            for (key, values) in found {
                let mine = years.entry(key).or_default();
                for year in [at.year - 1, at.year] {
                    let cut = mine.iter().find(|y| y.year == year).map_or(0, |y| y.last_month);
                    let later: Vec<(PeriodEnd, f64)> =
                        values.iter().filter(|(p, _)| p.year == year && p.month > cut).copied().collect();
                    let Some(extra) = years_so_far(&later, at.month).into_iter().next() else { continue };
                    match mine.iter_mut().find(|y| y.year == year) {
                        Some(y) => {
                            y.sum += extra.sum;
                            y.count += extra.count;
                            y.last_month = extra.last_month;
                            y.last = extra.last;
                        }
                        None => mine.push(extra),
                    }
                }
            }
        };
        // The monthly reports as approved: the targets linked to an indicator.
        let reported: Vec<(i64, String, String, f64, i64)> = sqlx::query_as(
            "SELECT ti.indicator_id, p.region, ae.period, ae.value, ae.approved_at FROM approved_entries ae \
             JOIN target_indicators ti ON ti.target_id = ae.item_id JOIN plans p ON p.id = ae.plan_id \
             WHERE ae.kind = 'target' AND ae.value IS NOT NULL AND p.deleted_at IS NULL AND p.region LIKE $1",
        )
        .bind(like)
        .fetch_all(self.pool())
        .await?;
        let mut latest: HashMap<(i64, String, PeriodEnd), (i64, f64)> = HashMap::new();
        for (id, region, period, value, approved) in reported {
            let Some(p) = PeriodEnd::of_key(&period) else { continue };
            if p.year < at.year - 1 || p.year > at.year {
                continue;
            }
            let slot = latest.entry((id, region, p)).or_insert((approved, value));
            if approved >= slot.0 {
                *slot = (approved, value);
            }
        }
        let mut found: HashMap<(i64, String), Vec<(PeriodEnd, f64)>> = HashMap::new();
        for ((id, region, p), (_, v)) in latest {
            found.entry((id, region)).or_default().push((p, v));
        }
        add(found);
        // The key enterprises' figures, summed by region.
        let ids: HashMap<String, i64> = rows.iter().map(|r| (r.code.clone(), r.id)).collect();
        let figures: Vec<(String, String, i64, i64, f64)> = sqlx::query_as(
            "SELECT e.region, f.measure, f.year, f.month, SUM(f.value) FROM enterprise_figures f \
             JOIN enterprises e ON e.id = f.enterprise_id WHERE e.region LIKE $1 AND f.year IN ($2, $3) \
             GROUP BY e.region, f.measure, f.year, f.month",
        )
        .bind(like)
        .bind(i64::from(at.year) - 1)
        .bind(i64::from(at.year))
        .fetch_all(self.pool())
        .await?;
        let mut found: HashMap<(i64, String), Vec<(PeriodEnd, f64)>> = HashMap::new();
        for (region, measure, year, month, value) in figures {
            let Some(id) = Measure::parse(&measure).and_then(|m| ids.get(m.indicator_code())) else { continue };
            found.entry((*id, region)).or_default().push((PeriodEnd { year: year as i32, month: month as u32 }, value));
        }
        add(found);
        Ok(years)
    }

    /// Every indicator rolled up under `root` at `at` and a year earlier.
    pub(crate) async fn roll_up_under(&self, root: &str, at: PeriodEnd) -> Result<(Vec<IndicatorRow>, Rollup)> {
        let rows = self.indicator_rows().await?;
        let like = region_prefix(root);
        let regions: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT code, name, parent FROM regions WHERE code LIKE $1")
                .bind(&like)
                .fetch_all(self.pool())
                .await?;
        let tree = Tree::new(regions.iter().map(|(c, _, parent)| (c.as_str(), parent.as_deref())));
        let names: HashMap<String, String> = regions.iter().map(|(c, n, _)| (c.clone(), n.clone())).collect();
        let years = self.own_years(&rows, &like, at).await?;
        let mut own: HashMap<i64, (ByRegion, ByRegion)> = HashMap::new();
        let defs: HashMap<i64, Definition> = rows.iter().map(|r| (r.id, r.definition())).collect();
        for ((id, region), ys) in &years {
            let Some(def) = defs.get(id) else { continue };
            let slot = own.entry(*id).or_default();
            if let Some(v) = over_time(def.over_time, def.periodicity, ys, at.year) {
                slot.0.insert(region.clone(), v);
            }
            if let Some(v) = over_time(def.over_time, def.periodicity, ys, at.year - 1) {
                slot.1.insert(region.clone(), v);
            }
        }
        let mut now: HashMap<i64, HashMap<String, Rolled>> = HashMap::new();
        let mut before: HashMap<i64, HashMap<String, Rolled>> = HashMap::new();
        let empty = (HashMap::new(), HashMap::new());
        for r in &rows {
            let def = &defs[&r.id];
            if def.formula.is_some() {
                continue;
            }
            let (o_now, o_before) = own.get(&r.id).unwrap_or(&empty);
            if o_now.is_empty() && o_before.is_empty() {
                continue;
            }
            now.insert(r.id, roll_up(&tree, root, o_now, def.over_regions));
            before.insert(r.id, roll_up(&tree, root, o_before, def.over_regions));
        }
        // Formulas from their parts, a formula over a formula after its part.
        let by_code: HashMap<&str, i64> = rows.iter().map(|r| (r.code.as_str(), r.id)).collect();
        let below = tree.below(root);
        for _ in 0..3 {
            for r in &rows {
                let Some(formula) = defs[&r.id].formula.as_deref().and_then(|f| Formula::parse(f).ok()) else {
                    continue;
                };
                if now.contains_key(&r.id) {
                    continue;
                }
                let ready = formula.parts().iter().all(|c| {
                    by_code
                        .get(c)
                        .is_some_and(|id| defs.get(id).is_some_and(|d| d.formula.is_none()) || now.contains_key(id))
                });
                if !ready {
                    continue;
                }
                let (o_now, o_before) = own.get(&r.id).unwrap_or(&empty);
                let part = |map: &HashMap<i64, HashMap<String, Rolled>>, code: &str, region: &str| {
                    map.get(by_code.get(code)?)?.get(region).copied()
                };
                let no_year = HashMap::new();
                let n = roll_up_formula(
                    &below,
                    &formula,
                    |c, back, g| part(if back == 0 { &now } else { &before }, c, g),
                    o_now,
                );
                let b = roll_up_formula(
                    &below,
                    &formula,
                    |c, back, g| part(if back == 0 { &before } else { &no_year }, c, g),
                    o_before,
                );
                if !n.is_empty() || !b.is_empty() {
                    now.insert(r.id, n);
                    before.insert(r.id, b);
                }
            }
        }
        Ok((rows, Rollup { tree, names, now, before }))
    }

    /// The latest period with a figure under region `code`, up to `limit`:
    /// the latest year with one, and its latest month (up to `limit`'s
    /// month in `limit`'s year).
    async fn latest_period(&self, code: &str, limit: PeriodEnd) -> Result<Option<PeriodEnd>> {
        let (within, year_end) = (months::up_to(limit.month), months::up_to(12));
        let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT year, MAX(CASE WHEN year = $2 THEN {} ELSE {} END) AS latest FROM indicator_months \
             WHERE region LIKE $1 AND year <= $2 GROUP BY year \
             HAVING MAX(CASE WHEN year = $2 THEN {} ELSE {} END) > 0 ORDER BY year DESC LIMIT 1",
            within.last_month, year_end.last_month, within.last_month, year_end.last_month
        )))
        .bind(region_prefix(code))
        .bind(i64::from(limit.year))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|(y, m)| Some(PeriodEnd { year: y? as i32, month: m? as u32 })))
    }

    /// Region `code`'s figures and its children's for the period ending at
    /// `at` (by default the latest with an imported figure up to `today`, else the
    /// latest there is).
    pub async fn region_figures(
        &self,
        actor: &Actor,
        code: &str,
        at: Option<PeriodEnd>,
        today: PeriodEnd,
    ) -> Result<RegionFigures> {
        actor.require(Action::ReadPlans)?;
        let chain = self.region_chain(code).await?;
        let region = chain[0].clone();
        let at = match at {
            Some(at) => at,
            None => match self.latest_period(code, today).await? {
                Some(at) => at,
                None => self.latest_period(code, PeriodEnd { year: 9999, month: 12 }).await?.unwrap_or(today),
            },
        };
        let (rows, up) = self.roll_up_under(code, at).await?;
        let children = self.region_children(code).await?;
        let pop_id = rows.iter().find(|r| r.code == POPULATION).map(|r| r.id);
        let mut indicators = Vec::new();
        for r in &rows {
            let Some(now) = up.now.get(&r.id) else { continue };
            let def = r.definition();
            let figure = |c: &str| figure_of(&up, &def, r.id, pop_id, c);
            let mut kids: Vec<Figure> = up.tree.children(code).iter().map(|c| figure(c)).collect();
            rank(&mut kids, def.polarity);
            if now.is_empty() && up.before.get(&r.id).is_none_or(|b| b.is_empty()) {
                continue;
            }
            indicators.push(IndicatorFigures { region: figure(code), children: kids, indicator: def });
        }
        Ok(RegionFigures {
            period_label: at.label(Periodicity::Month),
            region,
            above: chain[1..].to_vec(),
            children,
            period: at,
            indicators,
        })
    }

    /// One indicator across regions side by side (benchmarking), per head
    /// where their population is known.
    pub async fn compare_regions(
        &self,
        actor: &Actor,
        code: &str,
        regions: &[String],
        at: PeriodEnd,
    ) -> Result<(Definition, Vec<Figure>)> {
        actor.require(Action::ReadPlans)?;
        let def = self.indicator_row(code).await?;
        let mut out = Vec::new();
        for region in regions {
            self.region(region).await?;
            let (rows, up) = self.roll_up_under(region, at).await?;
            let pop_id = rows.iter().find(|r| r.code == POPULATION).map(|r| r.id);
            out.push(figure_of(&up, &def.definition(), def.id, pop_id, region));
        }
        rank(&mut out, def.definition().polarity);
        Ok((def.definition(), out))
    }
}

fn figure_of(up: &Rollup, def: &Definition, id: i64, pop_id: Option<i64>, code: &str) -> Figure {
    let now = up.now.get(&id).and_then(|m| m.get(code));
    let before = up.before.get(&id).and_then(|m| m.get(code)).map(|r| r.value);
    let value = now.map(|r| r.value);
    let growth = match (value, before) {
        (Some(v), Some(b)) if b != 0.0 => Some((v / b - 1.0) * 100.0),
        _ => None,
    };
    let pop = pop_id.and_then(|p| up.now.get(&p).and_then(|m| m.get(code)).or_else(|| up.before.get(&p)?.get(code)));
    let per_10k = match (value, pop, def.over_regions) {
        (Some(v), Some(p), OverRegions::Sum) if p.value > 0.0 && def.code != POPULATION => Some(v / p.value),
        _ => None,
    };
    Figure {
        region: code.to_string(),
        name: up.names.get(code).cloned().unwrap_or_default(),
        value,
        own: now.is_some_and(|r| r.own),
        last_year: before,
        growth,
        per_10k,
        rank: None,
    }
}

/// Ranks figures best first by the indicator's direction; those without a value last.
fn rank(figures: &mut [Figure], polarity: Polarity) {
    figures.sort_by(|a, b| match (a.value, b.value) {
        (Some(x), Some(y)) => match polarity {
            Polarity::Up => y.total_cmp(&x),
            Polarity::Down => x.total_cmp(&y),
        },
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.region.cmp(&b.region),
    });
    for (i, f) in figures.iter_mut().enumerate() {
        f.rank = f.value.map(|_| i + 1);
    }
}
