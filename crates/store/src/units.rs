//! The unit registry: departments, governments, park committees, enterprises
//! and collective names ("各县（市）人民政府"), each in a region, known under
//! aliases, with the history of its names.
//!
//! A name met in a plan is looked up among the aliases of the plan's region
//! and the regions above it. A name not found becomes an *unconfirmed* unit
//! for the office to review — confirmed as new, or merged into the unit it
//! means. A near-miss (州卫生卫计委 beside 州卫生计生委) or another form of a
//! name (区卫健委 beside 区卫生健康委) is pointed at its likely twin
//! (`similar_to`, by the reader's [`unit_likeness`]) but never merged silently. A merge only points
//! the unit at another (`merged_into`); what the document wrote is kept, and
//! a merge can be undone.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::history::Change;
use crate::regions::Region;
use bighealth_reader::findings::{Likeness, unit_likeness};
use bighealth_rules::check;
use serde::Serialize;
use sqlx::{Any, FromRow, Transaction};
use utoipa::ToSchema;

/// A unit as listed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Unit {
    /// Id.
    pub id: i64,
    /// Current name.
    pub name: String,
    /// Region code.
    pub region: String,
    /// `department`, `government`, `park`, `enterprise`, `collective` or `other`.
    pub kind: String,
    /// Whether the office has confirmed it (units first met in a plan are not).
    pub confirmed: bool,
    /// A registered unit whose name is close to this one's, to review.
    pub similar_to: Option<i64>,
    /// The unit this one was merged into, if any.
    pub merged_into: Option<i64>,
    /// Whether it is deleted (undoable).
    pub deleted: bool,
}

#[derive(FromRow)]
pub(crate) struct UnitRow {
    id: i64,
    name: String,
    region: String,
    kind: String,
    confirmed: i64,
    similar_to: Option<i64>,
    merged_into: Option<i64>,
    deleted_at: Option<i64>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Unit {
        Unit {
            id: r.id,
            name: r.name,
            region: r.region,
            kind: r.kind,
            confirmed: r.confirmed != 0,
            similar_to: r.similar_to,
            merged_into: r.merged_into,
            deleted: r.deleted_at.is_some(),
        }
    }
}

/// A unit with its aliases and the history of its names.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitDetail {
    /// The unit.
    #[serde(flatten)]
    pub unit: Unit,
    /// Every name it is known by in its region.
    pub aliases: Vec<String>,
    /// Its names over time.
    pub names: Vec<UnitName>,
    /// Units merged into this one.
    pub merged: Vec<i64>,
}

/// A name a unit bore, and when.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct UnitName {
    /// The name.
    pub name: String,
    /// From (ms since the epoch).
    pub valid_from: i64,
    /// Until, for a former name.
    pub valid_to: Option<i64>,
}

/// Filters for [`Store::units`].
#[derive(Debug, Clone, Default)]
pub struct UnitQuery {
    /// Only this region.
    pub region: Option<String>,
    /// Only confirmed (true) or unconfirmed (false) units.
    pub confirmed: Option<bool>,
    /// Name contains.
    pub q: Option<String>,
    /// Include merged and deleted units.
    pub all: bool,
}

/// Tidies a unit name as printed: spaces and line breaks dropped.
pub fn clean_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect()
}

/// The region a new unit's name places it in, among the plan's region and
/// those above it (nearest first): the nearest whose own name ends in the
/// word the unit's name starts with — 市卫生健康委 in a plan of 黔江区 is 重庆市's,
/// in a plan of 凯里市 凯里市's own; 州… is the 自治州's; 省… the province's —
/// and the plan's own region for any other.
pub fn region_of_name<'a>(name: &str, chain: &'a [Region]) -> Option<&'a Region> {
    let first = name.chars().next()?;
    let found = match first {
        '省' => chain.iter().find(|r| r.level == "province"),
        '市' | '州' | '盟' | '县' | '区' | '旗' => chain.iter().find(|r| r.name.ends_with(first)),
        _ => None,
    };
    found.or_else(|| chain.first())
}

/// Guesses a unit's kind from its name.
pub fn kind_of(name: &str) -> &'static str {
    let collective = ["各", "有关", "相关"].iter().any(|p| name.starts_with(p))
        || ["县（市）", "县市区", "区县", "县（市、区）", "乡镇", "各级"].iter().any(|p| name.contains(p));
    if collective {
        "collective"
    } else if name.ends_with("政府") || name.ends_with("人民政府") {
        "government"
    } else if name.contains("管委会") || name.contains("园区") || name.contains("开发区") || name.contains("新区")
    {
        "park"
    } else if ["公司", "集团", "企业", "合作社", "医院"].iter().any(|s| name.ends_with(s)) {
        "enterprise"
    } else if ["委", "局", "厅", "办", "部", "中心", "院", "会", "联", "所", "处", "队", "署", "行", "司"]
        .iter()
        .any(|s| name.ends_with(s))
    {
        "department"
    } else {
        "other"
    }
}

impl Store {
    /// The unit `name` stands for among the aliases of `regions` (the
    /// plan's region, then the ones above), without registering anything.
    pub(crate) async fn find_unit(
        conn: &mut sqlx::AnyConnection,
        regions: &[Region],
        name: &str,
    ) -> Result<Option<i64>> {
        let name = clean_name(name);
        for region in regions.iter().map(|r| &r.code) {
            let found: Option<i64> =
                sqlx::query_scalar("SELECT unit_id FROM unit_aliases WHERE region = $1 AND alias = $2")
                    .bind(region)
                    .bind(&name)
                    .fetch_optional(&mut *conn)
                    .await?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// Finds the unit `name` stands for in `regions` (the plan's region, then
    /// the ones above), or registers it as unconfirmed in the first region.
    /// Returns the unit's id and whether it was created.
    pub(crate) async fn resolve_unit(
        &self,
        tx: &mut Transaction<'static, Any>,
        regions: &[Region],
        name: &str,
        now: i64,
    ) -> Result<(i64, bool)> {
        let name = clean_name(name);
        if let Some(id) = Self::find_unit(tx, regions, &name).await? {
            return Ok((id, false));
        }
        let region =
            &region_of_name(&name, regions).ok_or_else(|| StoreError::invalid("region", Reason::Empty {}))?.code;
        let candidates: Vec<(i64, String)> = sqlx::query_as(
            "SELECT u.id, a.alias FROM unit_aliases a JOIN units u ON u.id = a.unit_id \
             WHERE a.region = $1 AND u.deleted_at IS NULL AND u.merged_into IS NULL",
        )
        .bind(region)
        .fetch_all(&mut **tx)
        .await?;
        // A likely typo first, then another form of the same name.
        let like = |kind| candidates.iter().find(|(_, alias)| unit_likeness(alias, &name) == Some(kind)).map(|c| c.0);
        let similar = like(Likeness::NearMiss).or_else(|| like(Likeness::TwoForms));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (name, region, kind, confirmed, similar_to, created_at) \
             VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
        )
        .bind(&name)
        .bind(region)
        .bind(kind_of(&name))
        .bind(similar)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        self.add_alias(tx, id, region, &name, "reading", now).await?;
        sqlx::query("INSERT INTO unit_names (unit_id, name, valid_from) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&name)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        Ok((id, true))
    }

    async fn add_alias(
        &self,
        tx: &mut Transaction<'static, Any>,
        unit: i64,
        region: &str,
        alias: &str,
        origin: &str,
        now: i64,
    ) -> Result<()> {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT unit_id FROM unit_aliases WHERE region = $1 AND alias = $2")
                .bind(region)
                .bind(alias)
                .fetch_optional(&mut **tx)
                .await?;
        match taken {
            Some(other) if other != unit => {
                Err(Reason::AliasTaken { alias: alias.into(), other, region: region.into() }.into())
            }
            Some(_) => Ok(()),
            None => {
                sqlx::query(
                    "INSERT INTO unit_aliases (unit_id, region, alias, origin, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(unit)
                .bind(region)
                .bind(alias)
                .bind(origin)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
        }
    }

    /// Registers a confirmed unit (the office building its registry).
    pub async fn create_unit(
        &self,
        actor: &Actor,
        name: &str,
        region: &str,
        kind: Option<&str>,
        aliases: &[String],
        now: i64,
    ) -> Result<Unit> {
        actor.require(Action::ManagePlans)?;
        let name = clean_name(name);
        if name.is_empty() {
            return Err(StoreError::invalid("name", Reason::Empty {}));
        }
        check::max_chars("name", &name, check::SHORT)?;
        check::max_items("aliases", aliases.len(), check::ITEMS)?;
        for (i, a) in aliases.iter().enumerate() {
            check::max_chars(&format!("aliases[{i}]"), a, check::SHORT)?;
        }
        self.region(region).await?;
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (name, region, kind, confirmed, created_at) VALUES ($1, $2, $3, 1, $4) RETURNING id",
        )
        .bind(&name)
        .bind(region)
        .bind(kind.unwrap_or_else(|| kind_of(&name)))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        self.add_alias(&mut tx, id, region, &name, "name", now).await?;
        for alias in aliases {
            self.add_alias(&mut tx, id, region, &clean_name(alias), "manual", now).await?;
        }
        sqlx::query("INSERT INTO unit_names (unit_id, name, valid_from) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        self.audit(&mut tx, actor, Event::ok("create_unit", &format!("unit:{id}"), &name), now).await?;
        tx.commit().await?;
        self.unit(id).await
    }

    /// The unit a filter's `unit` stands for: the one it was merged into, or
    /// itself.
    pub(crate) async fn canonical_unit(&self, id: Option<i64>) -> Result<Option<i64>> {
        let Some(id) = id else { return Ok(None) };
        let unit = self
            .unit(id)
            .await
            .map_err(|_| StoreError::invalid("unit", Reason::Missing { object: Object::Unit, id }))?;
        Ok(Some(unit.merged_into.unwrap_or(id)))
    }

    /// One unit.
    pub async fn unit(&self, id: i64) -> Result<Unit> {
        sqlx::query_as::<_, UnitRow>("SELECT * FROM units WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(Unit::from)
            .ok_or_else(|| StoreError::not_found(Object::Unit, id))
    }

    /// One unit with its aliases and names.
    pub async fn unit_detail(&self, id: i64) -> Result<UnitDetail> {
        let unit = self.unit(id).await?;
        let aliases = sqlx::query_scalar("SELECT alias FROM unit_aliases WHERE unit_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        let names = sqlx::query_as::<_, UnitName>(
            "SELECT name, valid_from, valid_to FROM unit_names WHERE unit_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let merged = sqlx::query_scalar("SELECT id FROM units WHERE merged_into = $1 ORDER BY id")
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        Ok(UnitDetail { unit, aliases, names, merged })
    }

    /// Units matching `q`, by region then name.
    pub async fn units(&self, q: &UnitQuery) -> Result<Vec<Unit>> {
        let like = q.q.as_ref().map(|s| format!("%{s}%"));
        let rows = sqlx::query_as::<_, UnitRow>(
            "SELECT * FROM units WHERE ($1 IS NULL OR region = $1) AND ($2 IS NULL OR confirmed = $2) \
             AND ($3 IS NULL OR name LIKE $3) AND ($4 = 1 OR (deleted_at IS NULL AND merged_into IS NULL)) \
             ORDER BY region, name, id",
        )
        .bind(&q.region)
        .bind(q.confirmed.map(i64::from))
        .bind(&like)
        .bind(i64::from(q.all))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(Unit::from).collect())
    }

    /// Confirms an unconfirmed unit as a unit in its own right.
    pub async fn confirm_unit(&self, actor: &Actor, id: i64, now: i64) -> Result<Unit> {
        actor.require(Action::ManagePlans)?;
        let unit = self.unit(id).await?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE units SET confirmed = 1 WHERE id = $1").bind(id).execute(&mut *tx).await?;
        self.record(&mut tx, actor, Change::new("unit", id, "confirmed", &unit.confirmed, &true), now).await?;
        tx.commit().await?;
        self.unit(id).await
    }

    /// Merges unit `id` into `into`: `id` becomes an alias of `into`
    /// everywhere it is used. Undo with [`Store::unmerge_unit`].
    pub async fn merge_unit(&self, actor: &Actor, id: i64, into: i64, now: i64) -> Result<Unit> {
        actor.require(Action::ManagePlans)?;
        if id == into {
            return Err(StoreError::invalid("into", Reason::MergeIntoSelf {}));
        }
        let unit = self.unit(id).await?;
        let target = self
            .unit(into)
            .await
            .map_err(|_| StoreError::invalid("into", Reason::Missing { object: Object::Unit, id: into }))?;
        if target.merged_into.is_some() || target.deleted {
            return Err(StoreError::invalid("into", Reason::MergeIntoDead { into }));
        }
        let mut tx = self.write().await?;
        sqlx::query("UPDATE units SET merged_into = $1, confirmed = 1 WHERE id = $2 OR merged_into = $2")
            .bind(into)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, actor, Change::new("unit", id, "merged_into", &unit.merged_into, &Some(into)), now)
            .await?;
        tx.commit().await?;
        // What the unit reported is reported by the one it merged into.
        self.sync_assignments_of_unit(id, now).await?;
        self.unit(id).await
    }

    /// Undoes a merge: the unit stands on its own again.
    pub async fn unmerge_unit(&self, actor: &Actor, id: i64, now: i64) -> Result<Unit> {
        actor.require(Action::ManagePlans)?;
        let unit = self.unit(id).await?;
        if unit.merged_into.is_none() {
            return Err(Reason::NotMerged { unit: id }.into());
        }
        let mut tx = self.write().await?;
        sqlx::query("UPDATE units SET merged_into = NULL WHERE id = $1").bind(id).execute(&mut *tx).await?;
        self.record(&mut tx, actor, Change::new("unit", id, "merged_into", &unit.merged_into, &None::<i64>), now)
            .await?;
        tx.commit().await?;
        if let Some(was) = unit.merged_into {
            self.sync_assignments_of_unit(was, now).await?;
        }
        self.unit(id).await
    }

    /// Renames a unit (a reorganisation: 卫生计生委 → 卫生健康委). The old name
    /// stays an alias, so documents using it still resolve.
    pub async fn rename_unit(&self, actor: &Actor, id: i64, name: &str, now: i64) -> Result<Unit> {
        actor.require(Action::ManagePlans)?;
        let name = clean_name(name);
        if name.is_empty() {
            return Err(StoreError::invalid("name", Reason::Empty {}));
        }
        check::max_chars("name", &name, check::SHORT)?;
        let unit = self.unit(id).await?;
        let mut tx = self.write().await?;
        self.add_alias(&mut tx, id, &unit.region, &name, "name", now).await?;
        sqlx::query("UPDATE unit_names SET valid_to = $1 WHERE unit_id = $2 AND valid_to IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO unit_names (unit_id, name, valid_from, changed_by) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&name)
            .bind(now)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE units SET name = $1 WHERE id = $2").bind(&name).bind(id).execute(&mut *tx).await?;
        self.record(&mut tx, actor, Change::new("unit", id, "name", &unit.name, &name), now).await?;
        tx.commit().await?;
        self.unit(id).await
    }
}
