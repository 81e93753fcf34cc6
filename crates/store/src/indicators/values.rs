//! The values of the indicators by region and period, imported by the
//! office from a statistics table (`.xlsx` or `.csv`: 指标代码, 地区代码,
//! 期别, 数值) or sent as JSON. Every cell is checked first and every wrong
//! one named (`统计数据!C5：…`); from a file with any error nothing is
//! stored. A value that replaces another keeps the old one in
//! `indicator_value_history`.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::{Backend, ROWS_AT_ONCE, Store};
use crate::error::{Reason, Result, StoreError};
use crate::indicators::months;
use bighealth_rules::indicators::Periodicity;
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::refusal::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// One value as typed: every field as text, as a cell holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueInput {
    /// The indicator's code (`YL01`).
    pub indicator: String,
    /// The region's GB/T 2260 code.
    pub region: String,
    /// The period (`2026-06`, `2026年二季度`, `2026`).
    pub period: String,
    /// The value (`1,200`, `85.5`).
    pub value: String,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ValuesStored {
    /// Values the file or request holds, each now stored (one the same as
    /// the value stored before is left as it was).
    pub values: usize,
    /// Of them, values that replaced an earlier one (kept in history).
    pub replaced: usize,
    /// Indicators they are of.
    pub indicators: usize,
    /// Regions they are of.
    pub regions: usize,
}

/// Values from which an import is a bulk load (PostgreSQL vacuums after it).
const BULK: usize = 10_000;

/// The headers of the statistics table, each with the names taken.
pub const HEADERS: [(&str, &[&str]); 4] = [
    ("指标代码", &["指标代码", "指标编码"]),
    ("地区代码", &["地区代码", "行政区划代码", "区划代码"]),
    ("期别", &["期别", "统计期", "时期", "期间"]),
    ("数值", &["数值", "指标值", "数据"]),
];

/// A number as statistics tables write it (`1,200`, `1 200`, `85.5%`): a
/// cell's number as the reader takes it, a trailing per cent sign dropped.
pub fn number(text: &str) -> Option<f64> {
    bighealth_reader::projects::number(text.trim().trim_end_matches(['%', '％'])).filter(|v| v.is_finite())
}

struct Checked {
    indicator_id: i64,
    region: String,
    at: PeriodEnd,
    value: f64,
}

impl Store {
    /// The office imports a statistics table.
    pub async fn import_indicator_values(&self, actor: &Actor, bytes: &[u8], now: i64) -> Result<ValuesStored> {
        actor.require(Action::ManagePlans)?;
        let table = bighealth_reader::table::read(bytes)
            .map_err(|e| StoreError::invalid("file", Reason::of_read_error("统计数据", &e)))?;
        let mut cols = Vec::new();
        for (name, names) in HEADERS {
            match table.column(names) {
                Some(c) => cols.push(c),
                None => {
                    let found = table.header.join("、");
                    return Err(StoreError::invalid(
                        "file",
                        Reason::StatisticsFileLayout {
                            detail: format!("第 1 行没有“{name}”列（现有：{found}）")
                        },
                    ));
                }
            }
        }
        let rows: Vec<(ValueInput, [String; 4])> = table
            .rows
            .iter()
            .map(|r| {
                let text = |i: usize| r.cells.get(cols[i]).cloned().unwrap_or_default();
                let input = ValueInput { indicator: text(0), region: text(1), period: text(2), value: text(3) };
                let cells = [0, 1, 2, 3].map(|i| table.cell(r.index, cols[i]));
                (input, cells)
            })
            .collect();
        self.store_values(actor, &rows, "import", now).await
    }

    /// Values sent as JSON (`rows[3].period` named in a refusal).
    pub async fn put_indicator_values(&self, actor: &Actor, rows: &[ValueInput], now: i64) -> Result<ValuesStored> {
        actor.require(Action::ManagePlans)?;
        let named: Vec<(ValueInput, [String; 4])> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.clone(), ["indicator", "region", "period", "value"].map(|f| format!("rows[{i}].{f}"))))
            .collect();
        self.store_values(actor, &named, "entry", now).await
    }

    async fn store_values(
        &self,
        actor: &Actor,
        rows: &[(ValueInput, [String; 4])],
        source: &str,
        now: i64,
    ) -> Result<ValuesStored> {
        if rows.is_empty() {
            return Err(StoreError::invalid(
                "file",
                Reason::StatisticsFileLayout { detail: "表头下没有任何数据行".into() },
            ));
        }
        let indicators: HashMap<String, (i64, Periodicity, bool)> = self
            .indicator_rows()
            .await?
            .into_iter()
            .map(|r| {
                let def = r.definition();
                (r.code.clone(), (r.id, def.periodicity, def.formula.is_some()))
            })
            .collect();
        let regions: HashSet<String> =
            sqlx::query_scalar("SELECT code FROM regions").fetch_all(self.pool()).await?.into_iter().collect();
        let mut wrong: Vec<(String, String)> = Vec::new();
        let mut seen: HashMap<(i64, String, PeriodEnd), String> = HashMap::new();
        let mut checked = Vec::new();
        for (input, cells) in rows {
            let before = wrong.len();
            let mut say = |i: usize, reason: Reason| wrong.push((cells[i].clone(), reason.message(Lang::Zh)));
            let code = input.indicator.trim();
            let indicator = match indicators.get(code) {
                Some((_, _, true)) => {
                    say(0, Reason::FormulaNotImported { code: code.into() });
                    None
                }
                Some(i) => Some(*i),
                None if code.is_empty() => {
                    say(0, Reason::Required { field: "indicator".into() });
                    None
                }
                None => {
                    say(0, Reason::IndicatorUnknown { code: code.chars().take(40).collect() });
                    None
                }
            };
            let region = input.region.trim();
            if !regions.contains(region) {
                say(1, Reason::RegionUnknown { code: region.chars().take(20).collect() });
            }
            let at = PeriodEnd::parse(&input.period);
            match (at, indicator) {
                (None, _) => say(2, Reason::PeriodMalformed { raw: input.period.chars().take(20).collect() }),
                (Some(at), Some((_, periodicity, _))) if !at.fits(periodicity) => say(
                    2,
                    Reason::PeriodNotOfIndicator {
                        period: input.period.clone(),
                        periodicity: periodicity.label().into(),
                    },
                ),
                _ => {}
            }
            let value = number(&input.value);
            if value.is_none() {
                let raw = input.value.chars().take(20).collect();
                say(
                    3,
                    if input.value.trim().is_empty() {
                        Reason::Required { field: "value".into() }
                    } else {
                        Reason::TypedNotANumber { raw }
                    },
                );
            }
            if wrong.len() > before {
                continue;
            }
            let (Some((id, _, _)), Some(at), Some(value)) = (indicator, at, value) else { continue };
            if let Some(first) = seen.insert((id, region.to_string(), at), cells[0].clone()) {
                wrong.push((cells[0].clone(), Reason::DuplicateValue { first }.message(Lang::Zh)));
                continue;
            }
            checked.push(Checked { indicator_id: id, region: region.to_string(), at, value });
        }
        if !wrong.is_empty() {
            let listed: Vec<String> = wrong.iter().take(50).map(|(c, m)| format!("{c}：{m}")).collect();
            let more = if wrong.len() > 50 { format!("；另有 {} 处", wrong.len() - 50) } else { String::new() };
            return Err(StoreError::invalid(
                "file",
                Reason::StatisticsFileCells { count: wrong.len() as i64, cells: listed.join("；") + &more },
            ));
        }
        // The values there are in the indicators and years written: those
        // replaced, and the rest of each year's months.
        let old: HashMap<(i64, String, i64, i64), f64> = {
            let list = |of: HashSet<i64>| of.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
            let ids = list(checked.iter().map(|c| c.indicator_id).collect());
            let years = list(checked.iter().map(|c| i64::from(c.at.year)).collect());
            let rows: Vec<sqlx::any::AnyRow> = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT indicator_id, region, year, {} FROM indicator_months \
                 WHERE year IN ({years}) AND indicator_id IN ({ids})",
                months::columns()
            )))
            .fetch_all(self.pool())
            .await?;
            let mut old = HashMap::new();
            for row in rows {
                use sqlx::Row;
                let (id, region, year): (i64, String, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
                for month in 1..=12 {
                    if let Some(v) = row.try_get::<Option<f64>, _>(2 + month)? {
                        old.insert((id, region.clone(), year, month as i64), v);
                    }
                }
            }
            old
        };
        // A value the same as the one stored is not written again.
        let mut replaced = Vec::new();
        let mut changed = Vec::new();
        for c in &checked {
            let key = (c.indicator_id, c.region.clone(), i64::from(c.at.year), i64::from(c.at.month));
            match old.get(&key) {
                Some(v) if *v == c.value => continue,
                Some(v) => replaced.push((c, *v)),
                None => {}
            }
            changed.push(c);
        }
        let months =
            months::of_written(&old, changed.iter().map(|c| (c.indicator_id, c.region.as_str(), c.at, c.value)));
        let mut tx = self.write().await?;
        // Many rows a statement, each value written or replaced in place.
        for chunk in replaced.chunks(ROWS_AT_ONCE) {
            let sql = format!(
                "INSERT INTO indicator_value_history (indicator_id, region, year, month, old_value, new_value, source, at, by_user) \
                 VALUES {}",
                self.backend().values_list(chunk.len(), 9)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (c, old) in chunk {
                q = q
                    .bind(c.indicator_id)
                    .bind(c.region.as_str())
                    .bind(i64::from(c.at.year))
                    .bind(i64::from(c.at.month))
                    .bind(*old)
                    .bind(c.value)
                    .bind(source)
                    .bind(now)
                    .bind(actor.user_id);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in changed.chunks(ROWS_AT_ONCE) {
            let sql = format!(
                "INSERT INTO indicator_values (indicator_id, region, year, month, value, source, updated_at, updated_by) \
                 VALUES {} ON CONFLICT (indicator_id, region, year, month) DO UPDATE SET value = excluded.value, \
                 source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                self.backend().values_list(chunk.len(), 8)
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for c in chunk {
                q = q
                    .bind(c.indicator_id)
                    .bind(c.region.as_str())
                    .bind(i64::from(c.at.year))
                    .bind(i64::from(c.at.month))
                    .bind(c.value)
                    .bind(source)
                    .bind(now)
                    .bind(actor.user_id);
            }
            q.execute(&mut *tx).await?;
        }
        months::write(&mut tx, self.backend(), &months).await?;
        let replaced = replaced.len();
        let stored = ValuesStored {
            values: checked.len(),
            replaced,
            indicators: checked.iter().map(|c| c.indicator_id).collect::<HashSet<_>>().len(),
            regions: checked.iter().map(|c| c.region.as_str()).collect::<HashSet<_>>().len(),
        };
        let detail = serde_json::json!({"source": source, "values": stored.values, "replaced": replaced}).to_string();
        self.audit(&mut tx, actor, Event::ok("import_indicator_values", "indicators", &detail), now).await?;
        tx.commit().await?;
        if self.backend() == Backend::Postgres && stored.values >= BULK {
            // What autovacuum does a while after a bulk load, done at once:
            // the rows marked visible to all, so the roll-up reads the index
            // alone rather than every row's page.
            use sqlx::Executor;
            self.pool().execute("VACUUM (ANALYZE) indicator_months").await?;
        }
        Ok(stored)
    }

    /// The replaced values of an indicator in a region, newest first:
    /// (year, month, old value, new value, source, when).
    pub async fn indicator_value_history(
        &self,
        actor: &Actor,
        code: &str,
        region: &str,
    ) -> Result<Vec<(i64, i64, f64, f64, String, i64)>> {
        actor.require(Action::ReadPlans)?;
        let row = self.indicator_row(code).await?;
        Ok(sqlx::query_as(
            "SELECT year, month, old_value, new_value, source, at FROM indicator_value_history \
             WHERE indicator_id = $1 AND region = $2 ORDER BY id DESC",
        )
        .bind(row.id)
        .bind(region)
        .fetch_all(self.pool())
        .await?)
    }
}
