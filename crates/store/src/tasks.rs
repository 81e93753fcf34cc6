//! Tasks (重点任务) with their lead and responsible units: listing with
//! filters, correcting units, deleting and restoring.

use crate::access::Actor;
use crate::db::{Backend, ROWS_AT_ONCE, Store};
use crate::error::{Object, Reason, Result, StoreError};
use crate::filter::Filter;
use crate::history::Change;
use crate::page::{Page, bounds, id_list};
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;
use sqlx::{Any, FromRow, Transaction};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// A task with its units.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Task {
    /// Id.
    pub id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// The section it stands in.
    pub section_id: Option<i64>,
    /// Order within the plan.
    pub position: i64,
    /// Numbering labels from the top heading down, space-separated.
    pub path: String,
    /// Heading words or first clause.
    pub title: String,
    /// A short exact substring of the body.
    pub quote: String,
    /// The whole body as printed.
    pub body: String,
    /// Start of the body in the source text (characters).
    pub span_start: i64,
    /// End of the body.
    pub span_end: i64,
    /// 完成时限, where given.
    pub deadline: Option<String>,
    /// `text` or `table` (read from a division table).
    pub origin: String,
    /// Industry segment (医 药 养 健 管 游 食).
    pub segment: Option<String>,
    /// 健康产业统计分类（2019） division code (`01`–`13`).
    pub division: Option<String>,
    /// 牵头单位.
    pub lead: Vec<UnitRef>,
    /// 责任单位.
    pub responsible: Vec<UnitRef>,
    /// When deleted, if it is (undoable).
    pub deleted_at: Option<i64>,
}

/// A unit as attached to a task or project.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitRef {
    /// The unit as resolved (after merges).
    pub unit_id: i64,
    /// Its current name.
    pub name: String,
    /// The name as the document wrote it.
    pub written: String,
    /// Whether the unit is confirmed.
    pub confirmed: bool,
}

#[derive(FromRow)]
struct TaskRow {
    id: i64,
    plan_id: i64,
    section_id: Option<i64>,
    position: i64,
    path: String,
    title: String,
    quote: String,
    body: String,
    span_start: i64,
    span_end: i64,
    deadline: Option<String>,
    origin: String,
    segment: Option<String>,
    division: Option<String>,
    deleted_at: Option<i64>,
}

/// Filters for [`Store::tasks`].
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Only this plan.
    #[param(minimum = 1)]
    pub plan: Option<i64>,
    /// Only tasks this unit leads or is responsible for (merged names count).
    #[param(minimum = 1)]
    pub unit: Option<i64>,
    /// With `unit`: `lead` or `responsible` only.
    #[param(pattern = "^(lead|responsible)$")]
    pub role: Option<String>,
    /// Only this segment (医 药 养 健 管 游 食).
    #[param(pattern = "^[医药养健管游食]$")]
    pub segment: Option<String>,
    /// Only this section (and the sections under it).
    #[param(minimum = 1)]
    pub section: Option<i64>,
    /// Words in the title or body.
    pub q: Option<String>,
    /// Include deleted tasks.
    #[serde(default)]
    pub deleted: bool,
    /// Rows per page (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    /// Rows to skip.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// The new units of a task (a correction). Each unit is given by id or by
/// name; a name not in the registry becomes an unconfirmed unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskPatch {
    /// New lead units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<Vec<UnitGiven>>,
    /// New responsible units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsible: Option<Vec<UnitGiven>>,
    /// New segment (医 药 养 健 管 游 食), or null to clear.
    #[serde(default, deserialize_with = "crate::patch::field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<Option<String>>,
    /// New deadline, or null to clear.
    #[serde(default, deserialize_with = "crate::patch::field")]
    #[schema(value_type = Option<String>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Option<String>>,
}

/// A unit given by id or by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum UnitGiven {
    /// A unit id.
    Id(i64),
    /// A unit name.
    Name(String),
}

/// A task's link to a unit, about to be stored.
pub(crate) struct TaskUnitRow<'a> {
    pub role: &'a str,
    pub position: i64,
    pub unit: i64,
    pub written: &'a str,
}

/// Stores a task's unit links in one statement (one round trip).
pub(crate) async fn insert_task_units(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    task: i64,
    links: &[TaskUnitRow<'_>],
) -> Result<()> {
    // A document may name thousands of units.
    for chunk in links.chunks(ROWS_AT_ONCE) {
        let sql = format!(
            "INSERT INTO task_units (task_id, role, position, unit_id, written) VALUES {}",
            backend.values_list(chunk.len(), 5)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for l in chunk {
            q = q.bind(task).bind(l.role).bind(l.position).bind(l.unit).bind(l.written);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Checks the sizes of a correction of a task: at most [`check::ITEMS`]
/// units of each role, each name and the deadline short texts.
pub(crate) fn check_task_patch(patch: &TaskPatch) -> Result<()> {
    for (role, given) in [("lead", &patch.lead), ("responsible", &patch.responsible)] {
        let Some(given) = given else { continue };
        check::max_items(role, given.len(), check::ITEMS)?;
        for (i, g) in given.iter().enumerate() {
            if let UnitGiven::Name(name) = g {
                check::max_chars(&format!("{role}[{i}]"), name, check::SHORT)?;
            }
        }
    }
    check::max_chars_opt("deadline", &patch.deadline, check::SHORT)?;
    Ok(())
}

impl Task {
    /// Its lead and responsible units.
    pub fn unit_ids(&self) -> Vec<i64> {
        self.lead.iter().chain(&self.responsible).map(|u| u.unit_id).collect()
    }
}

impl Store {
    /// Tasks matching `q`, in plan order.
    pub async fn tasks(&self, q: &TaskQuery) -> Result<Page<Task>> {
        let unit = self.canonical_unit(q.unit).await?;
        if let Some(role) = &q.role
            && role != "lead"
            && role != "responsible"
        {
            return Err(StoreError::invalid(
                "role",
                Reason::NotOneOf { value: role.clone(), allowed: "lead、responsible".into() },
            ));
        }
        let section = match q.section {
            Some(s) => Some(
                sqlx::query_as::<_, (i64, i64, i64)>(
                    "SELECT plan_id, span_start, span_end FROM sections WHERE id = $1",
                )
                .bind(s)
                .fetch_optional(self.pool())
                .await?
                .ok_or_else(|| StoreError::invalid("section", Reason::Missing { object: Object::Section, id: s }))?,
            ),
            None => None,
        };
        let like = q.q.as_ref().map(|s| format!("%{s}%"));
        let (limit, offset) = bounds(q.limit, q.offset);
        let filter = Filter::new("tasks t")
            .when("($1 IS NULL OR t.plan_id = $1)", [q.plan.into()])
            .when(
                "($1 IS NULL OR t.id IN (SELECT tu.task_id FROM task_units tu JOIN units u ON u.id = tu.unit_id \
                 WHERE (u.id = $1 OR u.merged_into = $1) AND ($2 IS NULL OR tu.role = $2)))",
                [unit.into(), (&q.role).into()],
            )
            .when("($1 IS NULL OR t.segment = $1)", [(&q.segment).into()])
            .when(
                "($1 IS NULL OR (t.plan_id = $1 AND t.span_start >= $2 AND t.span_start < $3 AND t.document_id IS NULL))",
                [section.map(|s| s.0).into(), section.map(|s| s.1).into(), section.map(|s| s.2).into()],
            )
            .when("($1 IS NULL OR t.title LIKE $1 OR t.body LIKE $1)", [like.into()])
            .when("($1 = 1 OR t.deleted_at IS NULL)", [i64::from(q.deleted).into()]);
        let (sql, args) = filter.count();
        let total: i64 = sqlx::query_scalar_with(AssertSqlSafe(sql), args).fetch_one(self.pool()).await?;
        let (sql, args) = filter.page(
            "t.id, t.plan_id, t.section_id, t.position, t.path, t.title, t.quote, t.body, t.span_start, \
             t.span_end, t.deadline, t.origin, t.segment, t.division, t.deleted_at",
            "t.plan_id, t.position",
            limit,
            offset,
        );
        let rows = sqlx::query_as_with::<_, TaskRow, _>(AssertSqlSafe(sql), args).fetch_all(self.pool()).await?;
        let items = self.with_units(rows).await?;
        Ok(Page { total, limit, offset, items })
    }

    /// One task.
    pub async fn task(&self, id: i64) -> Result<Task> {
        let row = sqlx::query_as::<_, TaskRow>(
            "SELECT id, plan_id, section_id, position, path, title, quote, body, span_start, span_end, deadline, \
             origin, segment, division, deleted_at FROM tasks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::not_found(Object::Task, id))?;
        Ok(self.with_units(vec![row]).await?.remove(0))
    }

    async fn with_units(&self, rows: Vec<TaskRow>) -> Result<Vec<Task>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let links: Vec<(i64, String, i64, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT tu.task_id, tu.role, COALESCE(u.merged_into, u.id), COALESCE(m.name, u.name), tu.written, \
             COALESCE(m.confirmed, u.confirmed) FROM task_units tu JOIN units u ON u.id = tu.unit_id \
             LEFT JOIN units m ON m.id = u.merged_into WHERE tu.task_id IN {} ORDER BY tu.task_id, tu.role, tu.position",
            id_list(&ids)
        )))
        .fetch_all(self.pool())
        .await?;
        let mut by_task: HashMap<i64, (Vec<UnitRef>, Vec<UnitRef>)> = HashMap::new();
        for (task, role, unit_id, name, written, confirmed) in links {
            let entry = by_task.entry(task).or_default();
            let r = UnitRef { unit_id, name, written, confirmed: confirmed != 0 };
            if role == "lead" { entry.0.push(r) } else { entry.1.push(r) }
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let (lead, responsible) = by_task.remove(&r.id).unwrap_or_default();
                Task {
                    id: r.id,
                    plan_id: r.plan_id,
                    section_id: r.section_id,
                    position: r.position,
                    path: r.path,
                    title: r.title,
                    quote: r.quote,
                    body: r.body,
                    span_start: r.span_start,
                    span_end: r.span_end,
                    deadline: r.deadline,
                    origin: r.origin,
                    segment: r.segment,
                    division: r.division,
                    lead,
                    responsible,
                    deleted_at: r.deleted_at,
                }
            })
            .collect())
    }

    /// Corrects a task: its units, segment or deadline. The previous values
    /// go to history.
    pub async fn update_task(&self, actor: &Actor, id: i64, patch: &TaskPatch, now: i64) -> Result<Task> {
        actor.may_change_plan(Object::Task, id)?;
        check_task_patch(patch)?;
        let task = self.task(id).await?;
        if task.deleted_at.is_some() {
            return Err(Reason::Deleted { object: Object::Task, id }.into());
        }
        if let Some(Some(segment)) = &patch.segment {
            crate::tags::check_segment(segment)?;
        }
        let plan = self.plan(task.plan_id).await?;
        let regions = self.region_chain(&plan.region).await?;
        let mut tx = self.write().await?;
        for (role, given, old) in
            [("lead", &patch.lead, &task.lead), ("responsible", &patch.responsible, &task.responsible)]
        {
            let Some(given) = given else { continue };
            let mut new = Vec::new();
            for (i, g) in given.iter().enumerate() {
                let field = format!("{role}[{i}]");
                let (unit, written) = match g {
                    UnitGiven::Id(u) => {
                        let unit: Option<String> =
                            sqlx::query_scalar("SELECT name FROM units WHERE id = $1 AND deleted_at IS NULL")
                                .bind(u)
                                .fetch_optional(&mut *tx)
                                .await?;
                        (
                            *u,
                            unit.ok_or_else(|| {
                                StoreError::invalid(&field, Reason::Missing { object: Object::Unit, id: *u })
                            })?,
                        )
                    }
                    UnitGiven::Name(name) if name.trim().is_empty() => {
                        return Err(StoreError::invalid(&field, Reason::Empty {}));
                    }
                    UnitGiven::Name(name) => (self.resolve_unit(&mut tx, &regions, name, now).await?.0, name.clone()),
                };
                new.push((unit, written));
            }
            sqlx::query("DELETE FROM task_units WHERE task_id = $1 AND role = $2")
                .bind(id)
                .bind(role)
                .execute(&mut *tx)
                .await?;
            let links: Vec<TaskUnitRow> = new
                .iter()
                .enumerate()
                .map(|(pos, (unit, written))| TaskUnitRow { role, position: pos as i64, unit: *unit, written })
                .collect();
            insert_task_units(&mut tx, self.backend(), id, &links).await?;
            let old: Vec<(i64, &str)> = old.iter().map(|u| (u.unit_id, u.written.as_str())).collect();
            let new: Vec<(i64, &str)> = new.iter().map(|(u, w)| (*u, w.as_str())).collect();
            self.record(&mut tx, actor, Change::new("task", id, role, &old, &new), now).await?;
        }
        let row = ("tasks", "task", id);
        if let Some(segment) = &patch.segment {
            self.set_field(&mut tx, actor, row, "segment", &task.segment, segment.clone(), now).await?;
        }
        if let Some(deadline) = &patch.deadline {
            self.set_field(&mut tx, actor, row, "deadline", &task.deadline, deadline.clone(), now).await?;
        }
        tx.commit().await?;
        // Who reports the item changes from the current period on.
        self.sync_assignments(task.plan_id, now).await?;
        self.task(id).await
    }

    /// Deletes (`true`) or restores (`false`) a task.
    pub async fn set_task_deleted(&self, actor: &Actor, id: i64, deleted: bool, now: i64) -> Result<Task> {
        actor.may_delete(Object::Task, id)?;
        let task = self.task(id).await?;
        self.set_deleted(actor, ("tasks", "task", id), task.deleted_at, deleted, now).await?;
        self.task(id).await
    }
}

/// Stores one task read from a plan (its units go in with
/// [`insert_task_units`]); returns its id.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_task(
    tx: &mut Transaction<'static, Any>,
    plan_id: i64,
    section: Option<i64>,
    position: i64,
    task: &bighealth_reader::Task,
    document: Option<i64>,
    (segment, division): (Option<&str>, Option<&str>),
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO tasks (plan_id, section_id, position, path, title, quote, body, span_start, span_end, \
         deadline, origin, document_id, segment, division) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(plan_id)
    .bind(section)
    .bind(position)
    .bind(task.path.join(" "))
    .bind(&task.title)
    .bind(&task.quote)
    .bind(&task.text)
    .bind(task.span.start as i64)
    .bind(task.span.end as i64)
    .bind(&task.deadline)
    .bind(&task.origin)
    .bind(document)
    .bind(segment)
    .bind(division)
    .fetch_one(&mut **tx)
    .await?)
}
