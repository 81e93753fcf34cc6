//! Each indicator's year in a region as one row of its twelve months
//! (`indicator_months`: `v1` … `v12`, empty where no value is stored).
//! Written in the transaction that writes the values, so a roll-up reads
//! one row per indicator, region and year, and works out the sum, count,
//! latest month and latest value up to any month from it (see
//! [`up_to`]). An import of a half year writes one row per indicator and
//! region rather than a row per value.

use crate::db::{Backend, Num, ROWS_AT_ONCE};
use crate::error::Result;
use bighealth_rules::indicators::period::PeriodEnd;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

/// The twelve months of an indicator's year in a region.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Months {
    pub indicator_id: i64,
    pub region: String,
    pub year: i64,
    /// January to December.
    pub values: [Option<f64>; 12],
}

/// The month columns, `v1, v2, …, v12`.
pub(crate) fn columns() -> String {
    (1..=12).map(|m| format!("v{m}")).collect::<Vec<_>>().join(", ")
}

/// SQL expressions over a row's months up to `month` (1–12): the sum, the
/// count, the latest month and the latest value (empty when it holds none).
/// The sum adds in month order from 0, as a running total would.
pub(crate) struct UpTo {
    pub total: String,
    pub count: String,
    pub last_month: String,
    pub last: String,
}

/// The expressions of [`UpTo`] for months 1 to `month`.
pub(crate) fn up_to(month: u32) -> UpTo {
    let month = month.clamp(1, 12);
    let each = |f: &dyn Fn(u32) -> String, sep: &str| (1..=month).map(f).collect::<Vec<_>>().join(sep);
    let latest_first: Vec<u32> = (1..=month).rev().collect();
    let whens: String = latest_first.iter().map(|m| format!("WHEN v{m} IS NOT NULL THEN {m} ")).collect();
    let coalesce = latest_first.iter().map(|m| format!("v{m}")).collect::<Vec<_>>().join(", ");
    UpTo {
        total: format!("(0 + {})", each(&|m| format!("COALESCE(v{m}, 0)"), " + ")),
        count: format!("({})", each(&|m| format!("CASE WHEN v{m} IS NULL THEN 0 ELSE 1 END"), " + ")),
        last_month: format!("(CASE {whens}ELSE 0 END)"),
        last: format!("COALESCE({coalesce}, NULL)"),
    }
}

/// The rows of every indicator, region and year a write touches: `stored`
/// the values there were (by indicator, region, year and month), `written`
/// those written over them. Sorted in the table's key order.
pub(crate) fn of_written<'a>(
    stored: &HashMap<(i64, String, i64, i64), f64>,
    written: impl Iterator<Item = (i64, &'a str, PeriodEnd, f64)>,
) -> Vec<Months> {
    let mut years: BTreeMap<(i64, &str, i64), [Option<f64>; 12]> = BTreeMap::new();
    for (id, region, at, value) in written {
        if let Some(slot) = years.entry((i64::from(at.year), region, id)).or_default().get_mut(at.month as usize - 1) {
            *slot = Some(value);
        }
    }
    for ((id, region, year, month), value) in stored {
        if let Some(values) = years.get_mut(&(*year, region.as_str(), *id))
            && let Some(slot) = values.get_mut(*month as usize - 1)
            && slot.is_none()
        {
            *slot = Some(*value);
        }
    }
    years
        .into_iter()
        .map(|((year, region, indicator_id), values)| Months { indicator_id, region: region.to_string(), year, values })
        .collect()
}

/// Writes rows over those there were.
pub(crate) async fn write(tx: &mut Transaction<'static, Any>, backend: Backend, rows: &[Months]) -> Result<()> {
    let sets = (1..=12).map(|m| format!("v{m} = excluded.v{m}")).collect::<Vec<_>>().join(", ");
    for chunk in rows.chunks(ROWS_AT_ONCE) {
        let sql = format!(
            "INSERT INTO indicator_months (year, region, indicator_id, {}) VALUES {} \
             ON CONFLICT (year, region, indicator_id) DO UPDATE SET {sets}",
            columns(),
            backend.values_list(chunk.len(), 15)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in chunk {
            q = q.bind(r.year).bind(r.region.as_str()).bind(r.indicator_id);
            for v in r.values {
                q = q.bind(Num(v));
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_value_fills_its_month_and_replaces_the_stored_one() {
        let stored: HashMap<(i64, String, i64, i64), f64> = [
            ((1, "522601".to_string(), 2025, 2), 5.0),
            ((1, "522601".to_string(), 2025, 5), 7.0),
            ((1, "522601".to_string(), 2024, 5), 100.0),
            ((2, "522601".to_string(), 2025, 5), 100.0),
        ]
        .into_iter()
        .collect();
        let written = [(1, "522601", PeriodEnd { year: 2025, month: 5 }, 9.0)];
        let rows = of_written(&stored, written.into_iter());
        assert_eq!(rows.len(), 1, "only the year written: {rows:?}");
        let mut want = [None; 12];
        want[1] = Some(5.0);
        want[4] = Some(9.0);
        assert_eq!(rows[0].values, want);
        assert_eq!((rows[0].indicator_id, rows[0].year), (1, 2025));
    }

    #[test]
    fn the_figures_up_to_a_month_read_the_months_before_it_latest_first() {
        let u = up_to(3);
        assert_eq!(u.total, "(0 + COALESCE(v1, 0) + COALESCE(v2, 0) + COALESCE(v3, 0))");
        assert_eq!(
            u.last_month,
            "(CASE WHEN v3 IS NOT NULL THEN 3 WHEN v2 IS NOT NULL THEN 2 WHEN v1 IS NOT NULL THEN 1 ELSE 0 END)"
        );
        assert_eq!(u.last, "COALESCE(v3, v2, v1, NULL)");
        assert_eq!(up_to(40).total, up_to(12).total, "no month past December");
    }
}
