//! The indicator system (统计监测指标体系) in the store: the 大类 of the
//! 健康产业统计分类（2019） (data, loaded at open), the indicators the office
//! defines (and those made from the plans' targets: a target is linked to
//! the indicator of its name, so the same 养老床位 in a county plan and in its
//! city's plan is one indicator), their values ([`values`]) and the
//! roll-ups from counties to the province ([`rollup`]).

mod months;
pub mod rollup;
pub mod values;

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use bighealth_rules::indicators::enterprise::Measure;
use bighealth_rules::indicators::{Definition, OverRegions, OverTime, POPULATION, Periodicity, Polarity};
use serde::Serialize;
use sqlx::FromRow;
use std::collections::HashMap;
use utoipa::ToSchema;

const CLASSES: &str = include_str!("../../data/health-industry-2019.tsv");

/// A 大类 of the 健康产业统计分类（2019）.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, ToSchema)]
pub struct IndustryClass {
    /// Its code (`01`).
    pub code: String,
    /// Its name (`医疗卫生服务`).
    pub name: String,
}

/// An indicator with what the store knows of it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Indicator {
    /// Its id.
    pub id: i64,
    /// Its definition.
    #[serde(flatten)]
    pub definition: Definition,
    /// The name of its 大类, where it has one.
    pub industry_class_name: Option<String>,
    /// How many live targets of the plans measure it.
    pub targets: i64,
}

#[derive(FromRow)]
pub(crate) struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: Option<String>,
    pub polarity: String,
    pub over_regions: String,
    pub over_time: String,
    pub periodicity: String,
    pub formula: Option<String>,
    pub industry_class: Option<String>,
}

impl IndicatorRow {
    pub(crate) fn definition(&self) -> Definition {
        Definition {
            code: self.code.clone(),
            name: self.name.clone(),
            unit: self.unit.clone(),
            polarity: Polarity::parse(&self.polarity).unwrap_or_default(),
            over_regions: OverRegions::parse(&self.over_regions).unwrap_or_default(),
            over_time: OverTime::parse(&self.over_time).unwrap_or_default(),
            periodicity: Periodicity::parse(&self.periodicity).unwrap_or_default(),
            formula: self.formula.clone(),
            industry_class: self.industry_class.clone(),
        }
    }
}

const COLUMNS: &str = "id, code, name, unit, polarity, over_regions, over_time, periodicity, formula, industry_class";

/// The name a target's indicator is matched by: no spaces, no bracketed
/// unit, no trailing 数/总数/数量 (养老床位数 is 养老床位).
pub fn name_key(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            c if depth == 0 && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    for tail in ["总数", "数量", "数"] {
        if let Some(s) = out.strip_suffix(tail).filter(|s| s.chars().count() >= 2) {
            return s.to_string();
        }
    }
    out
}

/// The indicators every store has: the population per-capita figures divide
/// by, and the key enterprises' figures.
fn built_in() -> Vec<Definition> {
    let mut out = vec![Definition {
        code: POPULATION.into(),
        name: "常住人口".into(),
        unit: Some("万人".into()),
        polarity: Polarity::Up,
        over_regions: OverRegions::Sum,
        over_time: OverTime::Last,
        periodicity: Periodicity::Year,
        formula: None,
        industry_class: None,
    }];
    out.extend(Measure::ALL.map(Measure::definition));
    out
}

impl Store {
    /// Loads the 2019 classification when its table is empty and adds the
    /// built-in indicators a store lacks; then links the targets not linked yet.
    pub(crate) async fn seed_indicators(&self, now: i64) -> Result<()> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM industry_classes").fetch_one(self.pool()).await?;
        let mut tx = self.write().await?;
        if n == 0 {
            let lines = CLASSES.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).skip(1);
            for (i, line) in lines.enumerate() {
                let Some((code, name)) = line.split_once('\t') else { continue };
                sqlx::query("INSERT INTO industry_classes (code, name, position) VALUES ($1, $2, $3)")
                    .bind(code.trim())
                    .bind(name.trim())
                    .bind(i as i64)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for def in built_in() {
            insert_indicator_if_new(&mut tx, &def, now).await?;
        }
        tx.commit().await?;
        self.link_targets(None, now).await
    }

    /// Links the live targets of plan `plan_id` (or of every plan) that are
    /// not linked yet to the indicator of their name, making one from the
    /// target (code `ZB0001`…) where none has it.
    pub(crate) async fn link_targets(&self, plan_id: Option<i64>, now: i64) -> Result<()> {
        let of_plan = plan_id.map(|p| format!(" AND t.plan_id = {p}")).unwrap_or_default();
        let targets: Vec<(i64, String, Option<String>, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT t.id, t.indicator, t.unit, t.comparator FROM targets t \
             LEFT JOIN target_indicators ti ON ti.target_id = t.id \
             WHERE ti.target_id IS NULL AND t.deleted_at IS NULL{of_plan} ORDER BY t.id"
        )))
        .fetch_all(self.pool())
        .await?;
        if targets.is_empty() {
            return Ok(());
        }
        let mut by_name: HashMap<String, i64> =
            sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM indicators ORDER BY id DESC")
                .fetch_all(self.pool())
                .await?
                .into_iter()
                .map(|(id, name)| (name_key(&name), id))
                .collect();
        let mut next: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE code LIKE 'ZB%'").fetch_one(self.pool()).await?;
        let mut tx = self.write().await?;
        for (target, name, unit, comparator) in targets {
            let key = name_key(&name);
            if key.is_empty() {
                continue;
            }
            let id = match by_name.get(&key) {
                Some(id) => *id,
                None => {
                    let def = loop {
                        next += 1;
                        let code = format!("ZB{next:04}");
                        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE code = $1")
                            .bind(&code)
                            .fetch_one(&mut *tx)
                            .await?;
                        if taken == 0 {
                            break Definition {
                                code,
                                name: name.trim().to_string(),
                                unit: unit.clone(),
                                polarity: if comparator == "<=" { Polarity::Down } else { Polarity::Up },
                                over_regions: OverRegions::Sum,
                                over_time: OverTime::Last,
                                periodicity: Periodicity::Month,
                                formula: None,
                                industry_class: None,
                            };
                        }
                    };
                    let id = insert_indicator_if_new(&mut tx, &def, now).await?;
                    by_name.insert(key, id);
                    id
                }
            };
            sqlx::query(
                "INSERT INTO target_indicators (target_id, indicator_id, linked_by, linked_at) VALUES ($1, $2, 'name', $3)",
            )
            .bind(target)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The 大类 of the 2019 classification, in the standard's order.
    pub async fn industry_classes(&self) -> Result<Vec<IndustryClass>> {
        Ok(sqlx::query_as("SELECT code, name FROM industry_classes ORDER BY position").fetch_all(self.pool()).await?)
    }

    pub(crate) async fn indicator_rows(&self) -> Result<Vec<IndicatorRow>> {
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM indicators ORDER BY code")))
            .fetch_all(self.pool())
            .await?)
    }

    pub(crate) async fn indicator_row(&self, code: &str) -> Result<IndicatorRow> {
        if !bighealth_rules::indicators::code_ok(code) {
            return Err(StoreError::not_found(Object::Indicator, code.chars().take(40).collect::<String>()));
        }
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM indicators WHERE code = $1")))
            .bind(code)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Indicator, code))
    }

    /// Every indicator, by code.
    pub async fn indicators(&self, actor: &Actor) -> Result<Vec<Indicator>> {
        actor.require(Action::ReadPlans)?;
        let classes: HashMap<String, String> =
            self.industry_classes().await?.into_iter().map(|c| (c.code, c.name)).collect();
        let counts: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
            "SELECT ti.indicator_id, COUNT(*) FROM target_indicators ti JOIN targets t ON t.id = ti.target_id \
             WHERE t.deleted_at IS NULL GROUP BY ti.indicator_id",
        )
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .collect();
        Ok(self
            .indicator_rows()
            .await?
            .into_iter()
            .map(|row| Indicator {
                id: row.id,
                industry_class_name: row.industry_class.as_ref().and_then(|c| classes.get(c).cloned()),
                targets: counts.get(&row.id).copied().unwrap_or(0),
                definition: row.definition(),
            })
            .collect())
    }

    /// The indicator with `code`.
    pub async fn indicator(&self, actor: &Actor, code: &str) -> Result<Indicator> {
        self.indicators(actor)
            .await?
            .into_iter()
            .find(|i| i.definition.code == code)
            .ok_or_else(|| StoreError::not_found(Object::Indicator, code))
    }

    /// Checks a definition against the store: its formula's parts and its 大类 exist.
    async fn check_definition(&self, def: &Definition) -> Result<()> {
        let formula = def.check()?;
        if let Some(f) = formula {
            for part in f.parts() {
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE code = $1")
                    .bind(part)
                    .fetch_one(self.pool())
                    .await?;
                if n == 0 {
                    return Err(StoreError::invalid("formula", Reason::IndicatorUnknown { code: part.into() }));
                }
            }
        }
        if let Some(class) = def.industry_class.as_deref().filter(|c| !c.is_empty())
            && !self.industry_classes().await?.iter().any(|c| c.code == class)
        {
            return Err(StoreError::invalid("industry_class", Reason::IndustryClassUnknown { code: class.into() }));
        }
        Ok(())
    }

    /// The office adds an indicator (audited).
    pub async fn create_indicator(&self, actor: &Actor, def: &Definition, now: i64) -> Result<Indicator> {
        actor.require(Action::ManagePlans)?;
        self.check_definition(def).await?;
        let mut tx = self.write().await?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM indicators WHERE code = $1")
            .bind(&def.code)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Err(StoreError::invalid("code", Reason::IndicatorCodeTaken { code: def.code.clone() }));
        }
        insert_indicator_if_new(&mut tx, def, now).await?;
        let detail = serde_json::to_string(def).unwrap_or_default();
        self.audit(&mut tx, actor, Event::ok("create_indicator", &format!("indicator:{}", def.code), &detail), now)
            .await?;
        tx.commit().await?;
        self.indicator(actor, &def.code).await
    }

    /// The office changes an indicator's definition (its code stays; the old
    /// definition is kept in the audit row).
    pub async fn update_indicator(&self, actor: &Actor, code: &str, def: &Definition, now: i64) -> Result<Indicator> {
        actor.require(Action::ManagePlans)?;
        let old = self.indicator_row(code).await?.definition();
        let def = Definition { code: code.to_string(), ..def.clone() };
        self.check_definition(&def).await?;
        let mut tx = self.write().await?;
        with_definition(
            "UPDATE indicators SET name = $2, unit = $3, polarity = $4, over_regions = $5, over_time = $6, \
             periodicity = $7, formula = $8, industry_class = $9, updated_at = $10 WHERE code = $1",
            &def,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"old": old, "new": def}).to_string();
        self.audit(&mut tx, actor, Event::ok("update_indicator", &format!("indicator:{code}"), &detail), now).await?;
        tx.commit().await?;
        self.indicator(actor, code).await
    }

    /// The office links target `target_id` to the indicator `code` (audited
    /// with the indicator it measured before).
    pub async fn link_target(&self, actor: &Actor, target_id: i64, code: &str, now: i64) -> Result<Indicator> {
        actor.require(Action::ManagePlans)?;
        let row = self.indicator_row(code).await?;
        let live: Option<i64> = sqlx::query_scalar("SELECT id FROM targets WHERE id = $1 AND deleted_at IS NULL")
            .bind(target_id)
            .fetch_optional(self.pool())
            .await?;
        if live.is_none() {
            return Err(StoreError::not_found(Object::Target, target_id));
        }
        let old: Option<String> = sqlx::query_scalar(
            "SELECT i.code FROM target_indicators ti JOIN indicators i ON i.id = ti.indicator_id WHERE ti.target_id = $1",
        )
        .bind(target_id)
        .fetch_optional(self.pool())
        .await?;
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM target_indicators WHERE target_id = $1").bind(target_id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO target_indicators (target_id, indicator_id, linked_by, linked_at) VALUES ($1, $2, 'office', $3)",
        )
        .bind(target_id)
        .bind(row.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"old": old, "new": code}).to_string();
        self.audit(&mut tx, actor, Event::ok("link_target", &format!("target:{target_id}"), &detail), now).await?;
        tx.commit().await?;
        self.indicator(actor, code).await
    }

    /// The indicator target `target_id` measures, if linked.
    pub async fn target_indicator(&self, target_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT i.code FROM target_indicators ti JOIN indicators i ON i.id = ti.indicator_id WHERE ti.target_id = $1",
        )
        .bind(target_id)
        .fetch_optional(self.pool())
        .await?)
    }
}

/// `sql` with a definition's columns bound in the order code, name, unit,
/// polarity, over_regions, over_time, periodicity, formula, industry_class,
/// then `now`: blanks as NULL.
fn with_definition<'q>(
    sql: &'static str,
    def: &'q Definition,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sql)
        .bind(&def.code)
        .bind(def.name.trim())
        .bind(def.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()))
        .bind(def.polarity.as_str())
        .bind(def.over_regions.as_str())
        .bind(def.over_time.as_str())
        .bind(def.periodicity.as_str())
        .bind(def.formula.as_deref().map(str::trim).filter(|f| !f.is_empty()))
        .bind(def.industry_class.as_deref().filter(|c| !c.is_empty()))
        .bind(now)
}

/// Inserts `def` unless its code is there; gives the indicator's id.
async fn insert_indicator_if_new(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    def: &Definition,
    now: i64,
) -> Result<i64> {
    if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM indicators WHERE code = $1")
        .bind(&def.code)
        .fetch_optional(&mut **tx)
        .await?
    {
        return Ok(id);
    }
    with_definition(
        "INSERT INTO indicators (code, name, unit, polarity, over_regions, over_time, periodicity, formula, \
         industry_class, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        def,
        now,
    )
    .execute(&mut **tx)
    .await?;
    Ok(sqlx::query_scalar("SELECT id FROM indicators WHERE code = $1").bind(&def.code).fetch_one(&mut **tx).await?)
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn a_targets_indicator_is_matched_by_its_plain_name() {
        assert_eq!(name_key("养老床位数"), "养老床位");
        assert_eq!(name_key(" 养老 床位（张）"), "养老床位");
        assert_eq!(name_key("床位总数"), "床位");
        assert_eq!(name_key("人数"), "人数", "too short to drop 数");
    }
}
