//! The project library (项目储备库): projects with every field of a project
//! table, a status, their units; filters, sorting, totals by group and by
//! unit; corrections.

use crate::access::Actor;
use crate::db::{Num, Store};
use crate::error::{Object, Reason, Result, StoreError};
use crate::filter::Filter;
use crate::page::{Page, bounds, id_list};
use crate::patch::field;
use crate::tasks::UnitRef;
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use sqlx::{Any, FromRow, Transaction};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// The statuses of a project, in the order a project goes through them.
pub const STATUSES: [&str; 5] = ["储备", "前期", "在建", "竣工", "投产"];

/// The status a project starts in, from its 建设性质: one under construction
/// (在建, 续建) is 在建; any other is 储备 (in the reserve library).
pub fn status_of(nature: Option<&str>) -> &'static str {
    match nature {
        Some(n) if n.contains("在建") || n.contains("续建") => "在建",
        _ => "储备",
    }
}

/// A project.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Project {
    /// Id.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// Order within the plan.
    pub position: i64,
    /// 序号.
    pub seq: Option<i64>,
    /// 项目名称.
    pub name: String,
    /// 建设性质.
    pub nature: Option<String>,
    /// 所属行业.
    pub industry: Option<String>,
    /// The table's group heading (类别).
    pub category: Option<String>,
    /// 建设规模及内容.
    pub content: Option<String>,
    /// 总投资 (万元).
    pub investment_wan: Option<f64>,
    /// 建设周期.
    pub period: Option<String>,
    /// 投资方式.
    pub funding: Option<String>,
    /// 储备, 前期, 在建, 竣工 or 投产.
    pub status: String,
    /// Start of the row in its document's text.
    pub span_start: i64,
    /// End of the row.
    pub span_end: i64,
    /// The table document it came from, when not the plan itself.
    pub document_id: Option<i64>,
    /// Industry segment.
    pub segment: Option<String>,
    /// 健康产业统计分类（2019） division code.
    pub division: Option<String>,
    /// 责任单位.
    pub units: Vec<UnitRef>,
    /// When deleted, if it is.
    pub deleted_at: Option<i64>,
}

#[derive(FromRow)]
struct ProjectRow {
    id: i64,
    plan_id: i64,
    position: i64,
    seq: Option<i64>,
    name: String,
    nature: Option<String>,
    industry: Option<String>,
    category: Option<String>,
    content: Option<String>,
    investment_wan: Option<f64>,
    period: Option<String>,
    funding: Option<String>,
    status: String,
    span_start: i64,
    span_end: i64,
    document_id: Option<i64>,
    segment: Option<String>,
    division: Option<String>,
    deleted_at: Option<i64>,
}

/// Filters and order for [`Store::projects`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Only this plan.
    #[param(minimum = 1)]
    pub plan: Option<i64>,
    /// Only this status.
    #[param(pattern = "^(储备|前期|在建|竣工|投产)$")]
    pub status: Option<String>,
    /// Only this group (category).
    pub category: Option<String>,
    /// Only this 建设性质.
    pub nature: Option<String>,
    /// 投资方式 contains.
    pub funding: Option<String>,
    /// Only projects of this unit.
    #[param(minimum = 1)]
    pub unit: Option<i64>,
    /// Only this segment.
    #[param(pattern = "^[医药养健管游食]$")]
    pub segment: Option<String>,
    /// Words in the name or content.
    pub q: Option<String>,
    /// `position` (default), `investment`, `name` or `status`; `-` in front for descending.
    #[param(pattern = "^-?(position|investment|name|status)$")]
    pub sort: Option<String>,
    /// Include deleted projects.
    #[serde(default)]
    pub deleted: bool,
    /// Rows per page (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Rows to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Investment totals of the projects matching a query.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProjectTotals {
    /// Projects.
    pub count: i64,
    /// 总投资 of them all (万元).
    pub investment_wan: f64,
    /// By group (category), in table order.
    pub by_category: Vec<TotalRow>,
    /// By responsible unit (a project with two units counts for both).
    pub by_unit: Vec<TotalRow>,
    /// By status.
    pub by_status: Vec<TotalRow>,
    /// By funding method (投资方式).
    pub by_funding: Vec<TotalRow>,
    /// By nature (新建、续建…; empty when not stated).
    pub by_nature: Vec<TotalRow>,
    /// By the year the project starts (the first year its period names;
    /// empty when it names none), earliest first.
    pub by_year: Vec<TotalRow>,
}

/// One line of totals.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TotalRow {
    /// The group, unit name, status or funding method (empty when not given).
    pub key: String,
    /// The unit's id, for totals by unit.
    pub unit_id: Option<i64>,
    /// Projects.
    pub count: i64,
    /// 总投资 (万元).
    pub investment_wan: f64,
}

/// A correction of a project. Fields left out are kept; `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    /// 项目名称.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 总投资 (万元).
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<f64>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub investment_wan: Option<Option<f64>>,
    /// 储备, 前期, 在建, 竣工 or 投产.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// 建设性质.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nature: Option<Option<String>>,
    /// 投资方式.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub funding: Option<Option<String>>,
    /// 建设周期.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Option<String>>,
    /// Group.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Option<String>>,
    /// 建设规模及内容.
    #[serde(default, deserialize_with = "field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<Option<String>>,
}

/// The first year (1949–2100) a project's period names: "2022—2024年" → 2022.
pub fn start_year(period: &str) -> Option<i64> {
    let digits: Vec<char> = period.chars().collect();
    digits.windows(4).enumerate().find_map(|(i, w)| {
        let before_is_digit = i > 0 && digits[i - 1].is_ascii_digit();
        let after_is_digit = digits.get(i + 4).is_some_and(|c| c.is_ascii_digit());
        if before_is_digit || after_is_digit || !w.iter().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i64 = w.iter().collect::<String>().parse().ok()?;
        (1949..=2100).contains(&year).then_some(year)
    })
}

/// Totals by period folded into totals by start year, earliest first;
/// periods naming no year last, under the empty key.
fn totals_by_start_year(by_period: &[TotalRow]) -> Vec<TotalRow> {
    let mut years: std::collections::BTreeMap<Option<i64>, (i64, f64)> = Default::default();
    for row in by_period {
        let slot = years.entry(start_year(&row.key)).or_default();
        slot.0 += row.count;
        slot.1 += row.investment_wan;
    }
    let mut rows: Vec<TotalRow> = years
        .into_iter()
        .map(|(year, (count, investment_wan))| TotalRow {
            key: year.map(|y| y.to_string()).unwrap_or_default(),
            unit_id: None,
            count,
            investment_wan,
        })
        .collect();
    // None sorts first in a BTreeMap; the unknown year goes last.
    if rows.first().is_some_and(|r| r.key.is_empty()) {
        rows.rotate_left(1);
    }
    rows
}

/// Checks the values of a correction of a project.
pub(crate) fn check_project_patch(p: &ProjectPatch) -> Result<()> {
    if let Some(Some(v)) = p.investment_wan {
        check::amount("investment_wan", v)?;
    }
    if let Some(s) = &p.status {
        check::one_of("status", s, &STATUSES)?;
    }
    if let Some(n) = &p.name {
        check::not_empty("name", n)?;
        check::max_chars("name", n, check::SHORT)?;
    }
    for (field, value) in
        [("nature", &p.nature), ("funding", &p.funding), ("period", &p.period), ("category", &p.category)]
    {
        check::max_chars_opt(field, value, check::SHORT)?;
    }
    check::max_chars_opt("content", &p.content, check::LONG)?;
    Ok(())
}

impl Store {
    /// The projects `q` asks for (paging and order aside).
    async fn project_filter(&self, q: &ProjectQuery) -> Result<Filter> {
        if let Some(s) = &q.status {
            check::one_of("status", s, &STATUSES)?;
        }
        let unit = self.canonical_unit(q.unit).await?;
        let like = |s: &Option<String>| s.as_ref().map(|s| format!("%{s}%"));
        Ok(Filter::new("projects j")
            .when("($1 IS NULL OR j.plan_id = $1)", [q.plan.into()])
            .when("($1 IS NULL OR j.status = $1)", [(&q.status).into()])
            .when("($1 IS NULL OR j.category = $1)", [(&q.category).into()])
            .when("($1 IS NULL OR j.nature = $1)", [(&q.nature).into()])
            .when("($1 IS NULL OR j.funding LIKE $1)", [like(&q.funding).into()])
            .when(
                "($1 IS NULL OR j.id IN (SELECT pu.project_id FROM project_units pu JOIN units u ON u.id = pu.unit_id \
                 WHERE u.id = $1 OR u.merged_into = $1))",
                [unit.into()],
            )
            .when("($1 IS NULL OR j.segment = $1)", [(&q.segment).into()])
            .when("($1 IS NULL OR j.name LIKE $1 OR j.content LIKE $1)", [like(&q.q).into()])
            .when("($1 = 1 OR j.deleted_at IS NULL)", [i64::from(q.deleted).into()]))
    }

    /// Projects matching `q`.
    pub async fn projects(&self, q: &ProjectQuery) -> Result<Page<Project>> {
        let filter = self.project_filter(q).await?;
        let sort = q.sort.as_deref().unwrap_or("position");
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort),
        };
        let column = match key {
            "position" => "j.plan_id, j.position",
            "investment" => "COALESCE(j.investment_wan, 0)",
            "name" => "j.name",
            "status" => "j.status",
            _ => {
                return Err(StoreError::invalid(
                    "sort",
                    Reason::NotOneOf {
                        value: sort.into(),
                        allowed: "position、investment、name、status（前加 - 为降序）".into(),
                    },
                ));
            }
        };
        let order = if desc { format!("{column} DESC, j.id DESC") } else { format!("{column}, j.id") };
        let (limit, offset) = bounds(q.limit, q.offset);
        let (sql, args) = filter.count();
        let total: i64 = sqlx::query_scalar_with(AssertSqlSafe(sql), args).fetch_one(self.pool()).await?;
        let (sql, args) = filter.page(
            "j.id, j.plan_id, j.position, j.seq, j.name, j.nature, j.industry, j.category, j.content, \
             j.investment_wan, j.period, j.funding, j.status, j.span_start, j.span_end, j.document_id, j.segment, \
             j.division, j.deleted_at",
            &order,
            limit,
            offset,
        );
        let rows = sqlx::query_as_with::<_, ProjectRow, _>(AssertSqlSafe(sql), args).fetch_all(self.pool()).await?;
        let items = self.projects_with_units(rows).await?;
        Ok(Page { total, limit, offset, items })
    }

    /// Totals of the projects matching `q` (paging and order ignored).
    pub async fn project_totals(&self, q: &ProjectQuery) -> Result<ProjectTotals> {
        let filter = self.project_filter(q).await?;
        let from = filter.sql();
        macro_rules! grouped {
            ($select:expr) => {
                sqlx::query_as_with::<_, (String, Option<i64>, i64, Option<f64>), _>(
                    AssertSqlSafe($select),
                    filter.args(&[]),
                )
                .fetch_all(self.pool())
                .await?
                .into_iter()
                .map(|(key, unit_id, count, inv)| TotalRow { key, unit_id, count, investment_wan: inv.unwrap_or(0.0) })
                .collect::<Vec<_>>()
            };
        }
        let all =
            grouped!(format!("SELECT '' AS k, CAST(NULL AS BIGINT) AS u, COUNT(*), SUM(j.investment_wan) {from}"));
        let by_category = grouped!(format!(
            "SELECT COALESCE(j.category, '') AS k, CAST(NULL AS BIGINT) AS u, COUNT(*), SUM(j.investment_wan) {from} \
             GROUP BY COALESCE(j.category, '') ORDER BY MIN(j.plan_id), MIN(j.position)"
        ));
        let by_status = grouped!(format!(
            "SELECT j.status AS k, CAST(NULL AS BIGINT) AS u, COUNT(*), SUM(j.investment_wan) {from} \
             GROUP BY j.status ORDER BY j.status"
        ));
        let by_funding = grouped!(format!(
            "SELECT COALESCE(j.funding, '') AS k, CAST(NULL AS BIGINT) AS u, COUNT(*), SUM(j.investment_wan) {from} \
             GROUP BY COALESCE(j.funding, '') ORDER BY 4 DESC"
        ));
        let by_nature = grouped!(format!(
            "SELECT COALESCE(j.nature, '') AS k, CAST(NULL AS BIGINT) AS u, COUNT(*), SUM(j.investment_wan) {from} \
             GROUP BY COALESCE(j.nature, '') ORDER BY 4 DESC"
        ));
        let by_period = grouped!(format!(
            "SELECT COALESCE(j.period, '') AS k, CAST(NULL AS BIGINT) AS u, COUNT(*), SUM(j.investment_wan) {from} \
             GROUP BY COALESCE(j.period, '')"
        ));
        let by_year = totals_by_start_year(&by_period);
        let by_unit = grouped!(format!(
            "SELECT MIN(COALESCE(m.name, un.name)) AS k, COALESCE(un.merged_into, un.id) AS u, COUNT(DISTINCT j.id), \
             SUM(j.investment_wan) FROM project_units pu JOIN units un ON un.id = pu.unit_id \
             LEFT JOIN units m ON m.id = un.merged_into JOIN ({sub}) j ON j.id = pu.project_id \
             GROUP BY COALESCE(un.merged_into, un.id) ORDER BY 4 DESC",
            sub = format!("SELECT j.* {from}")
        ));
        let total = all.first().cloned().unwrap_or(TotalRow {
            key: String::new(),
            unit_id: None,
            count: 0,
            investment_wan: 0.0,
        });
        Ok(ProjectTotals {
            count: total.count,
            investment_wan: total.investment_wan,
            by_category,
            by_unit,
            by_status,
            by_funding,
            by_nature,
            by_year,
        })
    }

    /// One project.
    pub async fn project(&self, id: i64) -> Result<Project> {
        let row = sqlx::query_as::<_, ProjectRow>(
            "SELECT id, plan_id, position, seq, name, nature, industry, category, content, investment_wan, period, \
             funding, status, span_start, span_end, document_id, segment, division, deleted_at FROM projects WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::not_found(Object::Project, id))?;
        Ok(self.projects_with_units(vec![row]).await?.remove(0))
    }

    async fn projects_with_units(&self, rows: Vec<ProjectRow>) -> Result<Vec<Project>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT pu.project_id, COALESCE(u.merged_into, u.id), COALESCE(m.name, u.name), pu.written, \
             COALESCE(m.confirmed, u.confirmed) FROM project_units pu JOIN units u ON u.id = pu.unit_id \
             LEFT JOIN units m ON m.id = u.merged_into WHERE pu.project_id IN {} ORDER BY pu.project_id, pu.position",
            id_list(&ids)
        )))
        .fetch_all(self.pool())
        .await?;
        let mut by: HashMap<i64, Vec<UnitRef>> = HashMap::new();
        for (project, unit_id, name, written, confirmed) in links {
            by.entry(project).or_default().push(UnitRef { unit_id, name, written, confirmed: confirmed != 0 });
        }
        Ok(rows
            .into_iter()
            .map(|r| Project {
                units: by.remove(&r.id).unwrap_or_default(),
                id: r.id,
                plan_id: r.plan_id,
                position: r.position,
                seq: r.seq,
                name: r.name,
                nature: r.nature,
                industry: r.industry,
                category: r.category,
                content: r.content,
                investment_wan: r.investment_wan,
                period: r.period,
                funding: r.funding,
                status: r.status,
                span_start: r.span_start,
                span_end: r.span_end,
                document_id: r.document_id,
                segment: r.segment,
                division: r.division,
                deleted_at: r.deleted_at,
            })
            .collect())
    }

    /// Corrects a project; the previous values go to history.
    pub async fn update_project(&self, actor: &Actor, id: i64, p: &ProjectPatch, now: i64) -> Result<Project> {
        actor.may_change_plan(Object::Project, id)?;
        let j = self.project(id).await?;
        if j.deleted_at.is_some() {
            return Err(Reason::Deleted { object: Object::Project, id }.into());
        }
        check_project_patch(p)?;
        let mut tx = self.write().await?;
        let row = ("projects", "project", id);
        if let Some(new) = p.name.as_ref() {
            self.set_field(&mut tx, actor, row, "name", &j.name, new.clone(), now).await?;
        }
        if let Some(new) = p.investment_wan {
            self.set_field(&mut tx, actor, row, "investment_wan", &j.investment_wan, Num(new), now).await?;
        }
        if let Some(new) = p.status.as_ref() {
            self.set_field(&mut tx, actor, row, "status", &j.status, new.clone(), now).await?;
        }
        if let Some(new) = p.nature.as_ref() {
            self.set_field(&mut tx, actor, row, "nature", &j.nature, new.clone(), now).await?;
        }
        if let Some(new) = p.funding.as_ref() {
            self.set_field(&mut tx, actor, row, "funding", &j.funding, new.clone(), now).await?;
        }
        if let Some(new) = p.period.as_ref() {
            self.set_field(&mut tx, actor, row, "period", &j.period, new.clone(), now).await?;
        }
        if let Some(new) = p.category.as_ref() {
            self.set_field(&mut tx, actor, row, "category", &j.category, new.clone(), now).await?;
        }
        if let Some(new) = p.content.as_ref() {
            self.set_field(&mut tx, actor, row, "content", &j.content, new.clone(), now).await?;
        }
        tx.commit().await?;
        // Who reports the item changes from the current period on.
        self.sync_assignments(j.plan_id, now).await?;
        self.project(id).await
    }

    /// Deletes (`true`) or restores (`false`) a project.
    pub async fn set_project_deleted(&self, actor: &Actor, id: i64, deleted: bool, now: i64) -> Result<Project> {
        actor.may_delete(Object::Project, id)?;
        let j = self.project(id).await?;
        self.set_deleted(actor, ("projects", "project", id), j.deleted_at, deleted, now).await?;
        self.project(id).await
    }
}

/// Stores one project read from a plan (or its project table, `document`);
/// returns its id.
pub(crate) async fn insert_project(
    tx: &mut Transaction<'static, Any>,
    plan_id: i64,
    position: i64,
    p: &bighealth_reader::Project,
    document: Option<i64>,
    (segment, division): (Option<&str>, Option<&str>),
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO projects (plan_id, position, seq, name, nature, industry, category, content, investment_wan, \
         period, funding, status, span_start, span_end, document_id, segment, division) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(plan_id)
    .bind(position)
    .bind(p.seq.map(i64::from))
    .bind(&p.name)
    .bind(&p.nature)
    .bind(&p.industry)
    .bind(&p.category)
    .bind(&p.content)
    .bind(Num(p.investment_wan))
    .bind(&p.period)
    .bind(&p.funding)
    .bind(status_of(p.nature.as_deref()))
    .bind(p.span.start as i64)
    .bind(p.span.end as i64)
    .bind(document)
    .bind(segment)
    .bind(division)
    .fetch_one(&mut **tx)
    .await?)
}

/// Links a project to the unit at `position` of its units, as written.
pub(crate) async fn insert_project_unit(
    tx: &mut Transaction<'static, Any>,
    project: i64,
    position: i64,
    unit: i64,
    written: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO project_units (project_id, position, unit_id, written) VALUES ($1, $2, $3, $4)")
        .bind(project)
        .bind(position)
        .bind(unit)
        .bind(written)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_year_takes_the_first_plausible_year() {
        assert_eq!(start_year("2022—2024年"), Some(2022));
        assert_eq!(start_year("2023年"), Some(2023));
        assert_eq!(start_year("12345年 2021"), Some(2021));
        assert_eq!(start_year("3年"), None);
        assert_eq!(start_year("1800-2025"), Some(2025));
    }

    #[test]
    fn unknown_year_goes_last() {
        let row = |key: &str, count, investment_wan| TotalRow { key: key.into(), unit_id: None, count, investment_wan };
        let rows = totals_by_start_year(&[
            row("", 1, 5.0),
            row("2023-2025", 1, 1.0),
            row("2021年", 1, 0.0),
            row("2023年", 1, 2.0),
        ]);
        let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["2021", "2023", ""]);
        assert_eq!(rows[1].count, 2);
        assert_eq!(rows[1].investment_wan, 3.0);
        assert_eq!(rows[2].investment_wan, 5.0);
    }
}
