//! The running figures of the values stored (`indicator_running`): for
//! each indicator, region and year, from the year's first value on, the
//! sum, count, latest month and latest value of the values up to each month.
//! Written in the statement's transaction that writes the values, so a
//! roll-up reads one row per indicator, region and year.

use crate::db::{Backend, ROWS_AT_ONCE};
use crate::error::Result;
use bighealth_rules::indicators::period::PeriodEnd;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

/// One month's running figures of an indicator in a region.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Running {
    pub indicator_id: i64,
    pub region: String,
    pub year: i64,
    pub month: i64,
    pub total: f64,
    pub count: i64,
    pub last_month: i64,
    pub last: f64,
}

/// The running figures of every indicator, region and year a write touches:
/// `stored` the values there were (by indicator, region, year and month),
/// `written` those written over them.
pub(crate) fn of_written<'a>(
    stored: &HashMap<(i64, String, i64, i64), f64>,
    written: impl Iterator<Item = (i64, &'a str, PeriodEnd, f64)>,
) -> Vec<Running> {
    let mut years: BTreeMap<(i64, &str, i64), BTreeMap<i64, f64>> = BTreeMap::new();
    for (id, region, at, value) in written {
        years.entry((id, region, i64::from(at.year))).or_default().insert(i64::from(at.month), value);
    }
    for ((id, region, year, month), value) in stored {
        if let Some(months) = years.get_mut(&(*id, region.as_str(), *year)) {
            months.entry(*month).or_insert(*value);
        }
    }
    let mut out = Vec::with_capacity(years.len() * 12);
    for ((id, region, year), months) in years {
        let (mut total, mut count, mut last_month, mut last) = (0.0, 0, 0, 0.0);
        let mut values = months.into_iter().peekable();
        for month in 1..=12 {
            while let Some((m, v)) = values.next_if(|(m, _)| *m <= month) {
                total += v;
                count += 1;
                last_month = m;
                last = v;
            }
            if count > 0 {
                out.push(Running {
                    indicator_id: id,
                    region: region.to_string(),
                    year,
                    month,
                    total,
                    count,
                    last_month,
                    last,
                });
            }
        }
    }
    out
}

/// Writes running figures over those there were.
pub(crate) async fn write(tx: &mut Transaction<'static, Any>, backend: Backend, rows: &[Running]) -> Result<()> {
    for chunk in rows.chunks(ROWS_AT_ONCE) {
        let sql = format!(
            "INSERT INTO indicator_running (year, month, region, indicator_id, total, n, last_month, last) VALUES {} \
             ON CONFLICT (year, month, region, indicator_id) DO UPDATE SET total = excluded.total, n = excluded.n, \
             last_month = excluded.last_month, last = excluded.last",
            backend.values_list(chunk.len(), 8)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q
                .bind(r.year)
                .bind(r.month)
                .bind(r.region.as_str())
                .bind(r.indicator_id)
                .bind(r.total)
                .bind(r.count)
                .bind(r.last_month)
                .bind(r.last);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_runs_from_its_first_value_and_a_written_value_replaces_the_stored_one() {
        let stored: HashMap<(i64, String, i64, i64), f64> = [
            ((1, "522601".to_string(), 2025, 2), 5.0),
            ((1, "522601".to_string(), 2025, 5), 7.0),
            ((1, "522601".to_string(), 2024, 5), 100.0),
            ((2, "522601".to_string(), 2025, 5), 100.0),
        ]
        .into_iter()
        .collect();
        let written = [
            (1, "522601", PeriodEnd { year: 2025, month: 5 }, 8.0),
            (1, "522601", PeriodEnd { year: 2025, month: 12 }, 1.0),
        ];
        let rows = of_written(&stored, written.into_iter());
        // Only 2025 of indicator 1 is touched: February to December.
        assert_eq!(rows.len(), 11);
        assert!(rows.iter().all(|r| r.indicator_id == 1 && r.year == 2025));
        let at = |m: i64| rows.iter().find(|r| r.month == m).unwrap();
        assert_eq!((at(2).total, at(2).count, at(2).last_month, at(2).last), (5.0, 1, 2, 5.0));
        assert_eq!((at(4).total, at(4).count, at(4).last_month), (5.0, 1, 2));
        assert_eq!((at(5).total, at(5).count, at(5).last_month, at(5).last), (13.0, 2, 5, 8.0));
        assert_eq!((at(12).total, at(12).count, at(12).last_month, at(12).last), (14.0, 3, 12, 1.0));
    }
}
