//! Targets (目标/指标): value, unit, year, baseline, qualifier, owner unit and
//! task; listing, correcting, deleting and restoring.

use crate::access::Actor;
use crate::db::{Num, Store};
use crate::error::{Object, Reason, Result, StoreError};
use crate::filter::Filter;
use crate::page::{Page, bounds};
use crate::patch::field;
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use sqlx::{Any, FromRow, Transaction};
use utoipa::{IntoParams, ToSchema};

/// A target.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct Target {
    /// Id.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// The task whose text holds it.
    pub task_id: Option<i64>,
    /// The unit that owns it (the task's lead unit unless corrected).
    pub owner_unit: Option<i64>,
    /// The owner's current name.
    pub owner_name: Option<String>,
    /// Order within the plan.
    pub position: i64,
    /// The words holding the number.
    pub quote: String,
    /// The thing measured.
    pub indicator: String,
    /// `>=`, `<=`, `=`, `range` or `x` (a multiple of the baseline).
    pub comparator: String,
    /// The number.
    pub value: f64,
    /// Upper end of a range.
    pub value_max: Option<f64>,
    /// Unit of measure (张, 亿元, %).
    pub unit: Option<String>,
    /// Year by which it holds.
    pub year: Option<i64>,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i64>,
    /// 力争 / 确保 / 争取.
    pub qualifier: Option<String>,
    /// Start of the quote in the source text.
    pub span_start: i64,
    /// End of the quote.
    pub span_end: i64,
    /// Industry segment.
    pub segment: Option<String>,
    /// 健康产业统计分类（2019） division code.
    pub division: Option<String>,
    /// When deleted, if it is.
    pub deleted_at: Option<i64>,
}

const COLUMNS: &str = "g.id, g.plan_id, g.task_id, COALESCE(o.merged_into, g.owner_unit) AS owner_unit, \
     COALESCE(m.name, o.name) AS owner_name, g.position, g.quote, g.indicator, g.comparator, g.value, g.value_max, \
     g.unit, g.year, g.baseline_value, g.baseline_year, g.qualifier, g.span_start, g.span_end, g.segment, g.division, \
     g.deleted_at";

/// Targets with their owner (the unit it was merged into, if it was).
const FROM: &str = "targets g LEFT JOIN units o ON o.id = g.owner_unit LEFT JOIN units m ON m.id = o.merged_into";

/// Filters for [`Store::targets`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// Only this plan.
    #[param(minimum = 1)]
    pub plan: Option<i64>,
    /// Only targets this unit owns.
    #[param(minimum = 1)]
    pub unit: Option<i64>,
    /// Only this segment.
    #[param(pattern = "^[医药养健管游食]$")]
    pub segment: Option<String>,
    /// Only this task.
    #[param(minimum = 1)]
    pub task: Option<i64>,
    /// Words in the indicator.
    pub q: Option<String>,
    /// Only targets for this year.
    #[param(minimum = 1949, maximum = 2100)]
    pub year: Option<i64>,
    /// Include deleted targets.
    #[serde(default)]
    pub deleted: bool,
    /// Rows per page (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Rows to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A correction of a target. Fields left out are kept; `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetPatch {
    /// The thing measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// `>=`, `<=`, `=`, `range` or `x`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    /// The number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Upper end of a range.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<f64>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_max: Option<Option<f64>>,
    /// Unit of measure.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Option<String>>,
    /// Year.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<i64>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<Option<i64>>,
    /// Baseline value.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<f64>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_value: Option<Option<f64>>,
    /// Baseline year.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<i64>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_year: Option<Option<i64>>,
    /// 力争 / 确保 / 争取.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Option<String>>,
    /// Owner unit id.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<i64>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_unit: Option<Option<i64>>,
    /// Segment (医 药 养 健 管 游 食).
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<Option<String>>,
}

/// The comparators a target may have.
pub const COMPARATORS: [&str; 5] = [">=", "<=", "=", "range", "x"];

impl Store {
    /// Targets matching `q`, in plan order.
    pub async fn targets(&self, q: &TargetQuery) -> Result<Page<Target>> {
        let unit = self.canonical_unit(q.unit).await?;
        let like = q.q.as_ref().map(|s| format!("%{s}%"));
        let (limit, offset) = bounds(q.limit, q.offset);
        let filter = Filter::new(FROM)
            .when("($1 IS NULL OR g.plan_id = $1)", [q.plan.into()])
            .when(
                "($1 IS NULL OR g.owner_unit IN (SELECT id FROM units WHERE id = $1 OR merged_into = $1))",
                [unit.into()],
            )
            .when("($1 IS NULL OR g.segment = $1)", [(&q.segment).into()])
            .when("($1 IS NULL OR g.task_id = $1)", [q.task.into()])
            .when("($1 IS NULL OR g.indicator LIKE $1)", [like.into()])
            .when("($1 IS NULL OR g.year = $1)", [q.year.into()])
            .when("($1 = 1 OR g.deleted_at IS NULL)", [i64::from(q.deleted).into()]);
        let (sql, args) = filter.count();
        let total: i64 = sqlx::query_scalar_with(AssertSqlSafe(sql), args).fetch_one(self.pool()).await?;
        let (sql, args) = filter.page(COLUMNS, "g.plan_id, g.position", limit, offset);
        let items = sqlx::query_as_with::<_, Target, _>(AssertSqlSafe(sql), args).fetch_all(self.pool()).await?;
        Ok(Page { total, limit, offset, items })
    }

    /// One target.
    pub async fn target(&self, id: i64) -> Result<Target> {
        sqlx::query_as::<_, Target>(AssertSqlSafe(format!("SELECT {COLUMNS} FROM {FROM} WHERE g.id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Target, id))
    }

    /// The units that answer for target `t`, which belongs to `task` (if
    /// any): its owner and its task's units.
    pub fn target_units(t: &Target, task: Option<&crate::tasks::Task>) -> Vec<i64> {
        let mut units: Vec<i64> = t.owner_unit.into_iter().collect();
        if let Some(task) = task {
            units.extend(task.unit_ids());
        }
        units
    }

    /// Checks a correction of target `t` as the target would be after it.
    pub(crate) async fn check_target_patch(&self, t: &Target, p: &TargetPatch) -> Result<()> {
        if let Some(i) = &p.indicator {
            check::max_chars("indicator", i, check::SHORT)?;
        }
        check::max_chars_opt("unit", &p.unit, check::SHORT)?;
        check::max_chars_opt("qualifier", &p.qualifier, check::SHORT)?;
        if let Some(v) = p.value {
            check::number("value", v)?;
        }
        if let Some(Some(v)) = p.value_max {
            check::number("value_max", v)?;
        }
        if let Some(Some(v)) = p.baseline_value {
            check::number("baseline_value", v)?;
        }
        if let Some(c) = &p.comparator {
            check::one_of("comparator", c, &COMPARATORS)?;
        }
        if let Some(i) = &p.indicator {
            check::not_empty("indicator", i)?;
        }
        let plan_base = match p.year {
            Some(Some(_)) => self.plan(t.plan_id).await?.base_year,
            _ => None,
        };
        let field = if p.year.is_some() { "year" } else { "baseline_year" };
        check::target_years(p.year.unwrap_or(t.year), p.baseline_year.unwrap_or(t.baseline_year), plan_base, field)?;
        check::range(p.value.unwrap_or(t.value), p.value_max.unwrap_or(t.value_max))?;
        if let Some(Some(s)) = &p.segment {
            crate::tags::check_segment(s)?;
        }
        if let Some(Some(owner)) = p.owner_unit {
            self.unit(owner)
                .await
                .map_err(|_| StoreError::invalid("owner_unit", Reason::Missing { object: Object::Unit, id: owner }))?;
        }
        Ok(())
    }

    /// Corrects a target; the previous values go to history.
    pub async fn update_target(&self, actor: &Actor, id: i64, p: &TargetPatch, now: i64) -> Result<Target> {
        actor.may_change_plan(Object::Target, id)?;
        let t = self.target(id).await?;
        if t.deleted_at.is_some() {
            return Err(Reason::Deleted { object: Object::Target, id }.into());
        }
        self.check_target_patch(&t, p).await?;
        let mut tx = self.write().await?;
        let row = ("targets", "target", id);
        if let Some(new) = p.indicator.as_ref() {
            self.set_field(&mut tx, actor, row, "indicator", &t.indicator, new.clone(), now).await?;
        }
        if let Some(new) = p.comparator.as_ref() {
            self.set_field(&mut tx, actor, row, "comparator", &t.comparator, new.clone(), now).await?;
        }
        if let Some(new) = p.value {
            self.set_field(&mut tx, actor, row, "value", &t.value, new, now).await?;
        }
        if let Some(new) = p.value_max {
            self.set_field(&mut tx, actor, row, "value_max", &t.value_max, Num(new), now).await?;
        }
        if let Some(new) = p.unit.as_ref() {
            self.set_field(&mut tx, actor, row, "unit", &t.unit, new.clone(), now).await?;
        }
        if let Some(new) = p.year {
            self.set_field(&mut tx, actor, row, "year", &t.year, new, now).await?;
        }
        if let Some(new) = p.baseline_value {
            self.set_field(&mut tx, actor, row, "baseline_value", &t.baseline_value, Num(new), now).await?;
        }
        if let Some(new) = p.baseline_year {
            self.set_field(&mut tx, actor, row, "baseline_year", &t.baseline_year, new, now).await?;
        }
        if let Some(new) = p.qualifier.as_ref() {
            self.set_field(&mut tx, actor, row, "qualifier", &t.qualifier, new.clone(), now).await?;
        }
        if let Some(new) = p.owner_unit {
            self.set_field(&mut tx, actor, row, "owner_unit", &t.owner_unit, new, now).await?;
        }
        if let Some(new) = p.segment.as_ref() {
            self.set_field(&mut tx, actor, row, "segment", &t.segment, new.clone(), now).await?;
        }
        tx.commit().await?;
        // Who reports the item changes from the current period on.
        self.sync_assignments(t.plan_id, now).await?;
        self.target(id).await
    }

    /// Deletes (`true`) or restores (`false`) a target.
    pub async fn set_target_deleted(&self, actor: &Actor, id: i64, deleted: bool, now: i64) -> Result<Target> {
        actor.may_delete(Object::Target, id)?;
        let t = self.target(id).await?;
        self.set_deleted(actor, ("targets", "target", id), t.deleted_at, deleted, now).await?;
        self.target(id).await
    }
}

/// Stores one target read from a plan, of `task` (if any) and `owner`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_target(
    tx: &mut Transaction<'static, Any>,
    plan_id: i64,
    task: Option<i64>,
    owner: Option<i64>,
    position: i64,
    t: &bighealth_reader::Target,
    (segment, division): (Option<&str>, Option<&str>),
) -> Result<()> {
    sqlx::query(
        "INSERT INTO targets (plan_id, task_id, owner_unit, position, quote, indicator, comparator, value, \
         value_max, unit, year, baseline_value, baseline_year, qualifier, span_start, span_end, segment, division) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(plan_id)
    .bind(task)
    .bind(owner)
    .bind(position)
    .bind(&t.quote)
    .bind(&t.indicator)
    .bind(&t.comparator)
    .bind(t.value)
    .bind(Num(t.value_max))
    .bind(&t.unit)
    .bind(t.year.map(i64::from))
    .bind(Num(t.baseline_value))
    .bind(t.baseline_year.map(i64::from))
    .bind(&t.qualifier)
    .bind(t.span.start as i64)
    .bind(t.span.end as i64)
    .bind(segment)
    .bind(division)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
