//! Key enterprises (重点企业): the region's registry (统一社会信用代码
//! checked by its GB 32100 check character, region, 2019 大类, size class),
//! their figures by period, typed by the enterprise's own account or
//! imported by the office from the statistics bureau's table, and the
//! enterprises whose figures fall on a year earlier.
//!
//! Each enterprise reports as a unit of its own: its account is a 填报员 of
//! that unit, and reads and writes that enterprise's figures only. The
//! figures add up by region as the indicators `QY_REVENUE`… (see
//! `indicators::rollup`).

use crate::access::{Action, Actor, Role};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::indicators::values::number;
use bighealth_rules::indicators::enterprise::{Measure, Size, check_credit_code};
use bighealth_rules::indicators::period::PeriodEnd;
use bighealth_rules::refusal::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// An enterprise of the registry.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Enterprise {
    /// Its id.
    pub id: i64,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// Its name.
    pub name: String,
    /// Its region's code.
    pub region: String,
    /// Its region's name.
    pub region_name: String,
    /// Its 2019 大类 code.
    pub industry_class: String,
    /// The 大类's name.
    pub industry_class_name: String,
    /// Its size class.
    pub size: Size,
    /// The unit its account reports for.
    pub unit_id: i64,
}

/// A new enterprise as the office types it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnterprise {
    /// 统一社会信用代码 (18 characters).
    pub credit_code: String,
    /// Its name.
    pub name: String,
    /// Its region's GB/T 2260 code.
    pub region: String,
    /// Its 2019 大类 code (`09`).
    pub industry_class: String,
    /// `large`, `medium`, `small` or `micro` (or 大型…).
    pub size: String,
}

/// An enterprise's figures of one period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
pub struct PeriodFigures {
    /// The period (`2026-06`).
    pub period: String,
    /// Each figure given, by measure (`revenue`: 1200).
    pub values: BTreeMap<String, f64>,
}

/// An enterprise whose figure fell on the same period a year earlier.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Fall {
    /// The enterprise.
    pub enterprise_id: i64,
    /// Its name.
    pub name: String,
    /// The figure (`revenue`).
    pub measure: Measure,
    /// Its name (营业收入).
    pub label: String,
    /// This year so far.
    pub now: f64,
    /// The same months a year earlier.
    pub before: f64,
    /// The change in percent (negative).
    pub change: f64,
}

type Row = (i64, String, String, String, String, String, String, String, i64);

const SELECT: &str = "SELECT e.id, e.credit_code, e.name, e.region, r.name, e.industry_class, c.name, e.size, e.unit_id \
     FROM enterprises e JOIN regions r ON r.code = e.region JOIN industry_classes c ON c.code = e.industry_class";

fn enterprise(row: Row) -> Enterprise {
    let (id, credit_code, name, region, region_name, industry_class, industry_class_name, size, unit_id) = row;
    Enterprise {
        id,
        credit_code,
        name,
        region,
        region_name,
        industry_class,
        industry_class_name,
        size: Size::parse(&size).unwrap_or(Size::Small),
        unit_id,
    }
}

/// Whether `actor` reads every enterprise (the office and the leaders).
fn reads_all(actor: &Actor) -> bool {
    actor.has(Role::SystemAdmin) || actor.has(Role::Leader)
}

/// Refuses unless `actor` may read the enterprise reporting as `unit_id`.
fn may_read(actor: &Actor, unit_id: i64) -> Result<()> {
    actor.require(Action::ReadPlans)?;
    if reads_all(actor) || actor.units.contains(&unit_id) {
        Ok(())
    } else {
        Err(StoreError::from(Reason::NotYourEnterprise {}))
    }
}

impl Store {
    /// The registry: every enterprise for the office and leaders, a
    /// reporter's own for an enterprise's account.
    pub async fn enterprises(&self, actor: &Actor) -> Result<Vec<Enterprise>> {
        actor.require(Action::ReadPlans)?;
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY e.region, e.name")))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.into_iter().map(enterprise).filter(|e| reads_all(actor) || actor.units.contains(&e.unit_id)).collect())
    }

    /// One enterprise, for whoever may read it.
    pub async fn enterprise(&self, actor: &Actor, id: i64) -> Result<Enterprise> {
        actor.require(Action::ReadPlans)?;
        let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE e.id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Enterprise, id))?;
        let e = enterprise(row);
        may_read(actor, e.unit_id)?;
        Ok(e)
    }

    /// The office adds an enterprise to the registry: its credit code is
    /// checked, and it gets a unit of its own to report as (an existing
    /// unit of the same name and region is taken).
    pub async fn create_enterprise(&self, actor: &Actor, new: &NewEnterprise, now: i64) -> Result<Enterprise> {
        actor.require(Action::ManagePlans)?;
        let code = check_credit_code(&new.credit_code).map_err(|r| StoreError::invalid("credit_code", r))?;
        let name: String = new.name.chars().filter(|c| !c.is_control()).collect();
        let name = name.trim();
        bighealth_rules::check::not_empty("name", name)?;
        bighealth_rules::check::max_chars("name", name, bighealth_rules::check::SHORT)?;
        let size = Size::parse(&new.size).ok_or_else(|| {
            let allowed = Size::ALL.map(Size::label).join("、");
            StoreError::invalid("size", Reason::NotOneOf { value: new.size.chars().take(20).collect(), allowed })
        })?;
        self.region(new.region.trim()).await?;
        if !self.industry_classes().await?.iter().any(|c| c.code == new.industry_class.trim()) {
            return Err(StoreError::invalid(
                "industry_class",
                Reason::IndustryClassUnknown { code: new.industry_class.chars().take(10).collect() },
            ));
        }
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
            .bind(&code)
            .fetch_optional(self.pool())
            .await?;
        if let Some(id) = taken {
            return Err(StoreError::invalid("credit_code", Reason::EnterpriseTaken { code, id }));
        }
        let unit: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM units WHERE name = $1 AND region = $2 AND deleted_at IS NULL AND merged_into IS NULL",
        )
        .bind(name)
        .bind(new.region.trim())
        .fetch_optional(self.pool())
        .await?;
        let unit = match unit {
            Some(u) => u,
            None => self.create_unit(actor, name, new.region.trim(), Some("enterprise"), &[], now).await?.id,
        };
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprises (credit_code, name, region, industry_class, size, unit_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&code)
        .bind(name)
        .bind(new.region.trim())
        .bind(new.industry_class.trim())
        .bind(size.as_str())
        .bind(unit)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let detail = format!("{name}（{code}）");
        self.audit(&mut tx, actor, Event::ok("create_enterprise", &format!("enterprise:{id}"), &detail), now).await?;
        tx.commit().await?;
        self.enterprise(actor, id).await
    }

    /// An enterprise's figures, by period, newest first.
    pub async fn enterprise_figures(&self, actor: &Actor, id: i64) -> Result<Vec<PeriodFigures>> {
        self.enterprise(actor, id).await?;
        let rows: Vec<(i64, i64, String, f64)> = sqlx::query_as(
            "SELECT year, month, measure, value FROM enterprise_figures WHERE enterprise_id = $1 ORDER BY year DESC, month DESC",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<PeriodFigures> = Vec::new();
        for (year, month, measure, value) in rows {
            let period = PeriodEnd { year: year as i32, month: month as u32 }.key();
            match out.last_mut().filter(|p| p.period == period) {
                Some(p) => {
                    p.values.insert(measure, value);
                }
                None => out.push(PeriodFigures { period, values: BTreeMap::from([(measure, value)]) }),
            }
        }
        Ok(out)
    }

    /// The enterprise's account (or the office) saves one period's figures.
    pub async fn save_enterprise_figures(
        &self,
        actor: &Actor,
        id: i64,
        figures: &PeriodFigures,
        now: i64,
    ) -> Result<Vec<PeriodFigures>> {
        let e = self.enterprise(actor, id).await?;
        if !actor.may(Action::ManagePlans) {
            actor.require(Action::Report)?;
        }
        let at = PeriodEnd::parse(&figures.period).ok_or_else(|| {
            StoreError::invalid("period", Reason::PeriodMalformed { raw: figures.period.chars().take(20).collect() })
        })?;
        let mut values = Vec::new();
        for (key, value) in &figures.values {
            let measure = Measure::parse(key).ok_or_else(|| {
                let allowed = Measure::ALL.map(Measure::as_str).join("、");
                StoreError::invalid(
                    format!("values.{key}"),
                    Reason::NotOneOf { value: key.chars().take(20).collect(), allowed },
                )
            })?;
            if !value.is_finite() || (measure == Measure::Employees && *value < 0.0) {
                return Err(StoreError::invalid(
                    format!("values.{key}"),
                    Reason::TypedNotANumber { raw: value.to_string() },
                ));
            }
            values.push((measure, *value));
        }
        let mut tx = self.write().await?;
        let changed = write_figures(&mut tx, e.id, at, &values, "entry", actor.user_id, now).await?;
        let detail = serde_json::json!({"period": at.key(), "changed": changed}).to_string();
        self.audit(&mut tx, actor, Event::ok("save_enterprise_figures", &format!("enterprise:{id}"), &detail), now)
            .await?;
        tx.commit().await?;
        self.enterprise_figures(actor, id).await
    }

    /// The office imports the statistics bureau's table of the enterprises'
    /// figures (统一社会信用代码, 期别, then a column per figure: 营业收入…);
    /// every wrong cell is named and nothing is stored from a file with one.
    pub async fn import_enterprise_figures(&self, actor: &Actor, bytes: &[u8], now: i64) -> Result<usize> {
        actor.require(Action::ManagePlans)?;
        let table = bighealth_reader::table::read(bytes)
            .map_err(|e| StoreError::invalid("file", Reason::of_read_error("企业数据", &e)))?;
        let layout = |detail: String| StoreError::invalid("file", Reason::StatisticsFileLayout { detail });
        let code_col = table
            .column(&["统一社会信用代码", "信用代码"])
            .ok_or_else(|| layout("第 1 行没有“统一社会信用代码”列".into()))?;
        let period_col = table.column(&["期别", "统计期"]).ok_or_else(|| layout("第 1 行没有“期别”列".into()))?;
        let measures: Vec<(usize, Measure)> =
            table.header.iter().enumerate().filter_map(|(i, h)| Measure::parse(h).map(|m| (i, m))).collect();
        if measures.is_empty() {
            let names = Measure::ALL.map(Measure::label).join("、");
            return Err(layout(format!("没有数据列（可用：{names}）")));
        }
        let known: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>("SELECT credit_code, id FROM enterprises")
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .collect();
        let mut wrong: Vec<String> = Vec::new();
        let mut rows = Vec::new();
        for r in &table.rows {
            let text = |c: usize| r.cells.get(c).map(|t| t.trim()).unwrap_or("");
            let before = wrong.len();
            let id = match check_credit_code(text(code_col)) {
                Ok(code) => match known.get(&code) {
                    Some(id) => Some(*id),
                    None => {
                        wrong.push(format!(
                            "{}：{}",
                            table.cell(r.index, code_col),
                            Reason::EnterpriseUnknown { code }.message(Lang::Zh)
                        ));
                        None
                    }
                },
                Err(reason) => {
                    wrong.push(format!("{}：{}", table.cell(r.index, code_col), reason.message(Lang::Zh)));
                    None
                }
            };
            let at = PeriodEnd::parse(text(period_col));
            if at.is_none() {
                let raw = text(period_col).chars().take(20).collect();
                wrong.push(format!(
                    "{}：{}",
                    table.cell(r.index, period_col),
                    Reason::PeriodMalformed { raw }.message(Lang::Zh)
                ));
            }
            let mut values = Vec::new();
            for (c, m) in &measures {
                if text(*c).is_empty() {
                    continue;
                }
                match number(text(*c)) {
                    Some(v) => values.push((*m, v)),
                    None => wrong.push(format!(
                        "{}：{}",
                        table.cell(r.index, *c),
                        Reason::TypedNotANumber { raw: text(*c).chars().take(20).collect() }.message(Lang::Zh)
                    )),
                }
            }
            if let (true, Some(id), Some(at)) = (wrong.len() == before, id, at) {
                rows.push((id, at, values));
            }
        }
        if !wrong.is_empty() {
            let count = wrong.len() as i64;
            let more = if wrong.len() > 50 { format!("；另有 {} 处", wrong.len() - 50) } else { String::new() };
            wrong.truncate(50);
            return Err(StoreError::invalid(
                "file",
                Reason::StatisticsFileCells { count, cells: wrong.join("；") + &more },
            ));
        }
        let mut tx = self.write().await?;
        let mut stored = 0;
        for (id, at, values) in &rows {
            write_figures(&mut tx, *id, *at, values, "import", actor.user_id, now).await?;
            stored += values.len();
        }
        let detail = serde_json::json!({"rows": rows.len(), "figures": stored}).to_string();
        self.audit(&mut tx, actor, Event::ok("import_enterprise_figures", "enterprises", &detail), now).await?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The enterprises under region `code` whose 营业收入, 利润 or 产值 so far
    /// this year fell on the same months a year earlier, the steepest first.
    pub async fn falling_enterprises(&self, actor: &Actor, code: &str, at: PeriodEnd) -> Result<Vec<Fall>> {
        actor.require(Action::ReadPlans)?;
        let rows: Vec<(i64, String, i64, String, i64)> = sqlx::query_as(
            "SELECT e.id, e.name, f.year, f.measure, e.unit_id FROM enterprise_figures f JOIN enterprises e ON e.id = f.enterprise_id \
             WHERE e.region LIKE $1 AND f.year IN ($2, $3) AND f.month <= $4 GROUP BY e.id, e.name, f.year, f.measure, e.unit_id",
        )
        .bind(crate::plans::region_prefix(code))
        .bind(i64::from(at.year) - 1)
        .bind(i64::from(at.year))
        .bind(i64::from(at.month))
        .fetch_all(self.pool())
        .await?;
        let sums: Vec<(i64, i64, String, f64)> = sqlx::query_as(
            "SELECT f.enterprise_id, f.year, f.measure, SUM(f.value) FROM enterprise_figures f JOIN enterprises e ON e.id = f.enterprise_id \
             WHERE e.region LIKE $1 AND f.year IN ($2, $3) AND f.month <= $4 GROUP BY f.enterprise_id, f.year, f.measure",
        )
        .bind(crate::plans::region_prefix(code))
        .bind(i64::from(at.year) - 1)
        .bind(i64::from(at.year))
        .bind(i64::from(at.month))
        .fetch_all(self.pool())
        .await?;
        let sum: HashMap<(i64, i64, String), f64> = sums.into_iter().map(|(e, y, m, v)| ((e, y, m), v)).collect();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (id, name, _, measure, unit) in rows {
            if !reads_all(actor) && !actor.units.contains(&unit) {
                continue;
            }
            let Some(m) = Measure::parse(&measure).filter(|m| m.watched()) else { continue };
            if !seen.insert((id, measure.clone())) {
                continue;
            }
            let (Some(now), Some(before)) = (
                sum.get(&(id, i64::from(at.year), measure.clone())),
                sum.get(&(id, i64::from(at.year) - 1, measure.clone())),
            ) else {
                continue;
            };
            if *before > 0.0 && now < before {
                out.push(Fall {
                    enterprise_id: id,
                    name: name.clone(),
                    measure: m,
                    label: m.label().into(),
                    now: *now,
                    before: *before,
                    change: (now / before - 1.0) * 100.0,
                });
            }
        }
        out.sort_by(|a, b| a.change.total_cmp(&b.change));
        Ok(out)
    }
}

/// Writes an enterprise's figures of a period; gives what changed (old → new).
async fn write_figures(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    at: PeriodEnd,
    values: &[(Measure, f64)],
    source: &str,
    by: Option<i64>,
    now: i64,
) -> Result<Vec<serde_json::Value>> {
    let mut changed = Vec::new();
    for (m, v) in values {
        let old: Option<f64> = sqlx::query_scalar(
            "DELETE FROM enterprise_figures WHERE enterprise_id = $1 AND year = $2 AND month = $3 AND measure = $4 \
             RETURNING value",
        )
        .bind(id)
        .bind(i64::from(at.year))
        .bind(i64::from(at.month))
        .bind(m.as_str())
        .fetch_optional(&mut **tx)
        .await?;
        sqlx::query(
            "INSERT INTO enterprise_figures (enterprise_id, year, month, measure, value, source, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(i64::from(at.year))
        .bind(i64::from(at.month))
        .bind(m.as_str())
        .bind(*v)
        .bind(source)
        .bind(now)
        .bind(by)
        .execute(&mut **tx)
        .await?;
        if old != Some(*v) {
            changed.push(serde_json::json!({"measure": m.as_str(), "old": old, "new": v}));
        }
    }
    Ok(changed)
}
