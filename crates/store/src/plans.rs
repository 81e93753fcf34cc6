//! Plans: importing a document (its reading, its verbatim bytes, its hash),
//! listing, reading back, deleting and restoring.
//!
//! An import is one transaction: a process killed half-way leaves the
//! database as it was before.

use crate::access::{Action, Actor};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::regions::Region;
use crate::tags::tag;
use crate::tasks::{TaskUnitRow, insert_task_units};
use bighealth_reader::{Reading, Section as ReadSection, sha256_hex};
use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::{Any, FromRow, Transaction};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The version of the reading format stored in `plans.reading_json`.
pub const READING_FORMAT: i64 = 1;

/// A stored plan, as listed.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct Plan {
    /// Id.
    pub id: i64,
    /// GB/T 2260 code of its region.
    pub region: String,
    /// The region's name.
    pub region_name: String,
    /// The plan it implements (a county plan under a city or provincial one).
    pub parent_id: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// 文号.
    pub doc_number: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Date of issue (`YYYY-MM-DD`).
    pub issued_on: Option<String>,
    /// Base year.
    pub base_year: Option<i64>,
    /// Target year.
    pub target_year: Option<i64>,
    /// The file it was imported from.
    pub file_name: String,
    /// `txt`, `docx`, `html` or `xlsx`.
    pub format: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// When it was imported (ms since the epoch).
    pub imported_at: i64,
    /// Live tasks.
    pub tasks: i64,
    /// Live targets.
    pub targets: i64,
    /// Live projects.
    pub projects: i64,
    /// Findings not yet resolved or accepted.
    pub open_findings: i64,
    /// When it was deleted, if it was (undoable).
    pub deleted_at: Option<i64>,
}

impl Plan {
    /// What the plan is called: its title, or its file's name without one.
    pub fn name(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.file_name)
    }
}

const PLAN_SELECT: &str = "SELECT p.id, p.region, r.name AS region_name, p.parent_id, p.title, p.doc_number, p.issuer, \
     p.issued_on, p.base_year, p.target_year, p.file_name, p.format, p.sha256, p.imported_at, \
     (SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id AND t.deleted_at IS NULL) AS tasks, \
     (SELECT COUNT(*) FROM targets g WHERE g.plan_id = p.id AND g.deleted_at IS NULL) AS targets, \
     (SELECT COUNT(*) FROM projects j WHERE j.plan_id = p.id AND j.deleted_at IS NULL) AS projects, \
     (SELECT COUNT(*) FROM findings f WHERE f.plan_id = p.id AND f.state = 'open') AS open_findings, \
     p.deleted_at FROM plans p JOIN regions r ON r.code = p.region";

/// A section of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, FromRow, ToSchema)]
pub struct Section {
    /// Id.
    pub id: i64,
    /// The enclosing section.
    pub parent_id: Option<i64>,
    /// Order in the document.
    pub position: i64,
    /// 1 for a top heading.
    pub depth: i64,
    /// Label, normalised (`（一）`).
    pub label: String,
    /// Label as printed.
    pub printed: String,
    /// Heading words.
    pub title: String,
    /// Start of the section in the source text (characters).
    pub span_start: i64,
    /// End of the section.
    pub span_end: i64,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Imported {
    /// The document was stored as a new plan (or a table added to a plan).
    Stored(ImportReport),
    /// The same bytes were imported before: nothing changed.
    Unchanged {
        /// The plan holding them.
        plan_id: i64,
        /// Whether that plan is deleted (restore it to use it again).
        deleted: bool,
    },
}

/// The counts and review items of a stored import.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ImportReport {
    /// The plan.
    pub plan_id: i64,
    /// Title as read.
    pub title: Option<String>,
    /// Sections stored.
    pub sections: usize,
    /// Tasks stored.
    pub tasks: usize,
    /// Targets stored.
    pub targets: usize,
    /// Projects stored.
    pub projects: usize,
    /// The reader's findings, stored for review.
    pub findings: Vec<ImportFinding>,
    /// Unit names not in the registry, stored as unconfirmed units to review.
    pub new_units: Vec<UnresolvedUnit>,
}

/// A finding, as reported by an import.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ImportFinding {
    /// Code.
    pub code: String,
    /// Message.
    pub message: String,
}

/// A unit name an import could not resolve.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnresolvedUnit {
    /// The unconfirmed unit created for it.
    pub id: i64,
    /// The name as written.
    pub name: String,
    /// A registered unit with a close name, if any.
    pub similar_to: Option<i64>,
}

/// A step of a long import, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// What is being done (`reading`, `sections`, `tasks`, `targets`, `projects`, `findings`).
    pub stage: &'static str,
    /// Items done in this stage.
    pub done: usize,
    /// Items in this stage.
    pub total: usize,
}

/// A place to report progress; `|_| {}` ignores it.
pub type Progress<'a> = &'a mut (dyn FnMut(Step) + Send);

/// Where an import goes.
#[derive(Debug, Clone)]
pub struct ImportRequest<'a> {
    /// The file name (its extension helps recognise the format).
    pub name: &'a str,
    /// The file's bytes, kept verbatim.
    pub bytes: &'a [u8],
    /// The plan's region (GB/T 2260).
    pub region: &'a str,
    /// The plan this one implements.
    pub parent: Option<i64>,
}

fn read_error(name: &str, source: bighealth_reader::ReadError) -> StoreError {
    StoreError::invalid("file", Reason::of_read_error(name, &source))
}

/// The industry tags of a reading's tasks, targets and projects, in order.
#[derive(Debug, Default)]
struct Tags {
    tasks: Vec<(Option<&'static str>, Option<&'static str>)>,
    targets: Vec<(Option<&'static str>, Option<&'static str>)>,
    projects: Vec<(Option<&'static str>, Option<&'static str>)>,
}

fn tags_of(reading: &Reading, go_on: &dyn Fn() -> bool) -> Option<Tags> {
    let each = |text: String| go_on().then(|| tag(&text));
    Some(Tags {
        tasks: reading.tasks.iter().map(|t| each(format!("{} {}", t.title, t.text))).collect::<Option<_>>()?,
        targets: reading.targets.iter().map(|t| each(t.indicator.clone())).collect::<Option<_>>()?,
        projects: reading
            .projects
            .iter()
            .map(|p| {
                each(format!(
                    "{} {} {}",
                    p.name,
                    p.industry.as_deref().unwrap_or(""),
                    p.content.as_deref().unwrap_or("")
                ))
            })
            .collect::<Option<_>>()?,
    })
}

/// Reads and tags a document on a blocking thread, before any write
/// transaction opens, so that a long reading holds up neither the server's
/// other requests nor other writers. A reading that takes longer than
/// `limit` is cancelled: the import is refused and the thread stops at the
/// next step it reaches (loading, reading, tagging each item).
async fn read_off_thread(
    name: &str,
    bytes: &[u8],
    limit: std::time::Duration,
) -> Result<(bighealth_reader::Source, Reading, Tags)> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let cancelled = Arc::new(AtomicBool::new(false));
    let (file, owned, flag) = (name.to_string(), bytes.to_vec(), cancelled.clone());
    let timed_out =
        || StoreError::invalid("file", Reason::ImportTimedOut { name: name.into(), seconds: limit.as_secs() as i64 });
    let reading = tokio::task::spawn_blocking(move || {
        let go_on = || !flag.load(Ordering::Relaxed);
        let source = bighealth_reader::load(&file, &owned).map_err(|e| read_error(&file, e))?;
        if !go_on() {
            return Ok(None);
        }
        let reading = bighealth_reader::analyse(&file, &owned, &source);
        if !go_on() {
            return Ok(None);
        }
        Ok(tags_of(&reading, &go_on).map(|tags| (source, reading, tags)))
    });
    match tokio::time::timeout(limit, reading).await {
        Ok(Ok(Ok(Some(done)))) => Ok(done),
        Ok(Ok(Ok(None))) => Err(timed_out()),
        Ok(Ok(Err(e))) => Err(e),
        Ok(Err(_)) => Err(StoreError::invalid("file", Reason::Internal {})),
        Err(_) => {
            cancelled.store(true, Ordering::Relaxed);
            Err(timed_out())
        }
    }
}

/// Whether a reading holds anything of a plan.
fn looks_like_plan(r: &Reading) -> bool {
    !r.tasks.is_empty() || !r.targets.is_empty() || !r.projects.is_empty()
}

impl Store {
    /// Reads a plan document and stores it under `req.region`, all in one
    /// transaction. The same bytes imported again change nothing.
    pub async fn import_plan(
        &self,
        actor: &Actor,
        req: ImportRequest<'_>,
        progress: Progress<'_>,
        now: i64,
    ) -> Result<Imported> {
        actor.require(Action::ManagePlans)?;
        let result = self.import_plan_checked(actor, req, progress, now).await;
        self.audit_failed_import(actor, "import_plan", "plans", result, now).await
    }

    /// Writes a refused import to the audit log, with why.
    async fn audit_failed_import(
        &self,
        actor: &Actor,
        action: &str,
        object: &str,
        result: Result<Imported>,
        now: i64,
    ) -> Result<Imported> {
        if let Err(StoreError::Refused(r)) = &result {
            // The refusal as data: the audit page words it.
            let detail = serde_json::to_string(&r.reason).unwrap_or_default();
            self.audit_now(actor, Event { action, object, detail: &detail, outcome: "failed" }, now).await?;
        }
        result
    }

    async fn import_plan_checked(
        &self,
        actor: &Actor,
        req: ImportRequest<'_>,
        progress: Progress<'_>,
        now: i64,
    ) -> Result<Imported> {
        let sha = sha256_hex(req.bytes);
        if let Some(done) = self.imported(&sha).await? {
            return Ok(done);
        }
        let regions = self.region_chain(req.region).await?;
        if let Some(parent) = req.parent {
            let p = self
                .plan(parent)
                .await
                .map_err(|_| StoreError::invalid("parent", Reason::Missing { object: Object::Plan, id: parent }))?;
            if p.deleted_at.is_some() {
                return Err(StoreError::invalid("parent", Reason::Deleted { object: Object::Plan, id: parent }));
            }
            if !regions.iter().any(|r| r.code == p.region) {
                let region = regions.first().map(|r| format!("{}（{}）", r.name, r.code)).unwrap_or_default();
                return Err(StoreError::invalid(
                    "parent",
                    Reason::ParentRegion {
                        parent,
                        parent_region: format!("{}（{}）", p.region_name, p.region),
                        region,
                    },
                ));
            }
        }
        progress(Step { stage: "reading", done: 0, total: 1 });
        let (source, reading, tags) = read_off_thread(req.name, req.bytes, self.import_limit).await?;
        progress(Step { stage: "reading", done: 1, total: 1 });
        if !looks_like_plan(&reading) {
            return Err(StoreError::invalid("file", Reason::NotAPlan { name: req.name.into() }));
        }
        let reading_json =
            serde_json::to_string(&reading).map_err(|_| StoreError::invalid("file", Reason::Internal {}))?;
        let mut tx = self.write().await?;
        // Another import of the same bytes may have committed meanwhile.
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM plans WHERE sha256 = $1").bind(&sha).fetch_optional(&mut *tx).await?;
        if let Some(plan_id) = existing {
            return Ok(Imported::Unchanged { plan_id, deleted: false });
        }
        let m = &reading.meta;
        let plan_id: i64 = sqlx::query_scalar(
            "INSERT INTO plans (region, parent_id, title, doc_number, issuer, issued_on, base_year, target_year, \
             file_name, format, encoding, sha256, source_text, reading_json, reading_format, reader_version, \
             imported_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(req.region)
        .bind(req.parent)
        .bind(&m.title)
        .bind(&m.doc_number)
        .bind(&m.issuer)
        .bind(&m.issued_on)
        .bind(m.base_year.map(i64::from))
        .bind(m.target_year.map(i64::from))
        .bind(req.name)
        .bind(&reading.source.format)
        .bind(&reading.source.encoding)
        .bind(&sha)
        .bind(source.text.as_str())
        .bind(&reading_json)
        .bind(READING_FORMAT)
        .bind(env!("CARGO_PKG_VERSION"))
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut *tx)
        .await?;
        self.store_document(&mut tx, plan_id, "plan", req.name, &sha, req.bytes, actor, now).await?;
        let sections = self.store_sections(&mut tx, plan_id, &reading.sections, progress).await?;
        let items = (&reading, &tags);
        let mut report = self.store_items(&mut tx, plan_id, &regions, items, &sections, None, progress, now).await?;
        report.sections = sections.len();
        self.audit(
            &mut tx,
            actor,
            Event::ok(
                "import_plan",
                &format!("plan:{plan_id}"),
                &format!(
                    "{}（地区 {}，SHA-256 {sha}）：任务 {} 项，目标 {} 个，项目 {} 个，问题 {} 条，新单位 {} 个",
                    req.name,
                    req.region,
                    report.tasks,
                    report.targets,
                    report.projects,
                    report.findings.len(),
                    report.new_units.len()
                ),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        self.link_targets(Some(plan_id), now).await?;
        Ok(Imported::Stored(report))
    }

    /// Adds a project table or a division table (an `.xlsx`, or any document
    /// the reader takes) to an existing plan.
    pub async fn import_table(
        &self,
        actor: &Actor,
        plan_id: i64,
        name: &str,
        bytes: &[u8],
        progress: Progress<'_>,
        now: i64,
    ) -> Result<Imported> {
        actor.require(Action::ManagePlans)?;
        let result = self.import_table_checked(actor, plan_id, name, bytes, progress, now).await;
        self.audit_failed_import(actor, "import_table", &format!("plan:{plan_id}"), result, now).await
    }

    async fn import_table_checked(
        &self,
        actor: &Actor,
        plan_id: i64,
        name: &str,
        bytes: &[u8],
        progress: Progress<'_>,
        now: i64,
    ) -> Result<Imported> {
        let sha = sha256_hex(bytes);
        if let Some(done) = self.imported(&sha).await? {
            return Ok(done);
        }
        let plan = self.plan(plan_id).await?;
        if plan.deleted_at.is_some() {
            return Err(StoreError::invalid("plan", Reason::Deleted { object: Object::Plan, id: plan_id }));
        }
        let regions = self.region_chain(&plan.region).await?;
        progress(Step { stage: "reading", done: 0, total: 1 });
        let (_, reading, tags) = read_off_thread(name, bytes, self.import_limit).await?;
        progress(Step { stage: "reading", done: 1, total: 1 });
        let tables = reading.tables.iter().filter(|t| t.kind == "project" || t.kind == "division").count();
        if tables == 0 || (reading.projects.is_empty() && reading.tasks.is_empty()) {
            return Err(StoreError::invalid("file", Reason::NoTable { name: name.into() }));
        }
        let mut tx = self.write().await?;
        let document = self.store_document(&mut tx, plan_id, "table", name, &sha, bytes, actor, now).await?;
        let report =
            self.store_items(&mut tx, plan_id, &regions, (&reading, &tags), &[], Some(document), progress, now).await?;
        self.audit(
            &mut tx,
            actor,
            Event::ok(
                "import_table",
                &format!("plan:{plan_id}"),
                &format!("{name}（SHA-256 {sha}）：任务 {} 项，项目 {} 个", report.tasks, report.projects),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        // The table's tasks and projects are reported from the current period on.
        self.sync_assignments(plan_id, now).await?;
        Ok(Imported::Stored(report))
    }

    async fn imported(&self, sha: &str) -> Result<Option<Imported>> {
        let plan: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT p.id, p.deleted_at FROM documents d JOIN plans p ON p.id = d.plan_id WHERE d.sha256 = $1",
        )
        .bind(sha)
        .fetch_optional(self.pool())
        .await?;
        Ok(plan.map(|(plan_id, deleted)| Imported::Unchanged { plan_id, deleted: deleted.is_some() }))
    }

    #[allow(clippy::too_many_arguments)]
    async fn store_document(
        &self,
        tx: &mut Transaction<'static, Any>,
        plan_id: i64,
        kind: &str,
        name: &str,
        sha: &str,
        bytes: &[u8],
        actor: &Actor,
        now: i64,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "INSERT INTO documents (plan_id, kind, file_name, sha256, bytes, imported_at, imported_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(plan_id)
        .bind(kind)
        .bind(name)
        .bind(sha)
        .bind(bytes.to_vec())
        .bind(now)
        .bind(actor.user_id)
        .fetch_one(&mut **tx)
        .await?)
    }

    /// Stores the section tree; returns (id, depth, start, end) in document order.
    async fn store_sections(
        &self,
        tx: &mut Transaction<'static, Any>,
        plan_id: i64,
        tree: &[ReadSection],
        progress: Progress<'_>,
    ) -> Result<Vec<(i64, usize, usize, usize)>> {
        let mut out = Vec::new();
        let mut stack: Vec<(&ReadSection, Option<i64>, usize)> = tree.iter().rev().map(|s| (s, None, 1)).collect();
        let total = count_sections(tree);
        while let Some((s, parent, depth)) = stack.pop() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sections (plan_id, parent_id, position, depth, label, printed, title, span_start, span_end) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(plan_id)
            .bind(parent)
            .bind(out.len() as i64)
            .bind(depth as i64)
            .bind(&s.label)
            .bind(&s.printed)
            .bind(&s.title)
            .bind(s.span.start as i64)
            .bind(s.span.end as i64)
            .fetch_one(&mut **tx)
            .await?;
            out.push((id, depth, s.span.start, s.span.end));
            if out.len() % 200 == 0 {
                progress(Step { stage: "sections", done: out.len(), total });
            }
            stack.extend(s.children.iter().rev().map(|c| (c, Some(id), depth + 1)));
        }
        progress(Step { stage: "sections", done: out.len(), total });
        Ok(out)
    }

    /// Stores the tasks, targets, projects and findings of a reading.
    #[allow(clippy::too_many_arguments)]
    async fn store_items(
        &self,
        tx: &mut Transaction<'static, Any>,
        plan_id: i64,
        regions: &[Region],
        (reading, tags): (&Reading, &Tags),
        sections: &[(i64, usize, usize, usize)],
        document: Option<i64>,
        progress: Progress<'_>,
        now: i64,
    ) -> Result<ImportReport> {
        let mut report = ImportReport {
            plan_id,
            title: reading.meta.title.clone(),
            sections: 0,
            tasks: 0,
            targets: 0,
            projects: 0,
            findings: vec![],
            new_units: vec![],
        };
        let mut units: HashMap<String, i64> = HashMap::new();
        let base: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(&mut **tx)
            .await?;
        let mut task_ids = Vec::with_capacity(reading.tasks.len());
        let mut task_owner = Vec::with_capacity(reading.tasks.len());
        let total = reading.tasks.len();
        for (i, task) in reading.tasks.iter().enumerate() {
            let section = section_of(sections, task.span.start, task.path.len());
            let (segment, division) = tags.tasks.get(i).copied().unwrap_or_default();
            let id =
                crate::tasks::insert_task(tx, plan_id, section, base + i as i64, task, document, (segment, division))
                    .await?;
            let mut links = Vec::new();
            for (role, names) in [("lead", &task.lead), ("responsible", &task.responsible)] {
                for (pos, name) in names.iter().enumerate() {
                    let unit = self.unit_id(tx, regions, name, &mut units, &mut report, now).await?;
                    links.push(TaskUnitRow { role, position: pos as i64, unit, written: name });
                }
            }
            let owner = links.first().map(|l| l.unit);
            insert_task_units(tx, self.backend(), id, &links).await?;
            task_ids.push(id);
            task_owner.push(owner);
            if (i + 1) % 100 == 0 {
                progress(Step { stage: "tasks", done: i + 1, total });
            }
        }
        progress(Step { stage: "tasks", done: total, total });
        report.tasks = total;

        let base: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM targets WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(&mut **tx)
            .await?;
        let total = reading.targets.len();
        for (i, t) in reading.targets.iter().enumerate() {
            let task = t.task.and_then(|k| task_ids.get(k).copied());
            let owner = t.task.and_then(|k| task_owner.get(k).copied().flatten());
            let (segment, division) = tags.targets.get(i).copied().unwrap_or_default();
            crate::targets::insert_target(tx, plan_id, task, owner, base + i as i64, t, (segment, division)).await?;
            if (i + 1) % 100 == 0 {
                progress(Step { stage: "targets", done: i + 1, total });
            }
        }
        progress(Step { stage: "targets", done: total, total });
        report.targets = total;

        let base: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(&mut **tx)
            .await?;
        let total = reading.projects.len();
        for (i, p) in reading.projects.iter().enumerate() {
            let (segment, division) = tags.projects.get(i).copied().unwrap_or_default();
            let id =
                crate::projects::insert_project(tx, plan_id, base + i as i64, p, document, (segment, division)).await?;
            for (pos, name) in p.units.iter().enumerate() {
                let unit = self.unit_id(tx, regions, name, &mut units, &mut report, now).await?;
                crate::projects::insert_project_unit(tx, id, pos as i64, unit, name).await?;
            }
            if (i + 1) % 100 == 0 {
                progress(Step { stage: "projects", done: i + 1, total });
            }
        }
        progress(Step { stage: "projects", done: total, total });
        report.projects = total;

        let base: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM findings WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_one(&mut **tx)
            .await?;
        for (i, f) in reading.findings.iter().enumerate() {
            crate::findings::insert_finding(tx, plan_id, base + i as i64, f).await?;
            report.findings.push(ImportFinding { code: f.code.clone(), message: f.message.clone() });
        }
        progress(Step { stage: "findings", done: reading.findings.len(), total: reading.findings.len() });
        Ok(report)
    }

    async fn unit_id(
        &self,
        tx: &mut Transaction<'static, Any>,
        regions: &[Region],
        name: &str,
        cache: &mut HashMap<String, i64>,
        report: &mut ImportReport,
        now: i64,
    ) -> Result<i64> {
        if let Some(id) = cache.get(name) {
            return Ok(*id);
        }
        let (id, created) = self.resolve_unit(tx, regions, name, now).await?;
        if created {
            let similar: Option<i64> =
                sqlx::query_scalar("SELECT similar_to FROM units WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
            report.new_units.push(UnresolvedUnit { id, name: crate::units::clean_name(name), similar_to: similar });
        }
        cache.insert(name.to_string(), id);
        Ok(id)
    }

    /// One plan.
    pub async fn plan(&self, id: i64) -> Result<Plan> {
        sqlx::query_as::<_, Plan>(AssertSqlSafe(format!("{PLAN_SELECT} WHERE p.id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Plan, id))
    }

    /// Plans, optionally of one region and the regions under it, newest first.
    pub async fn plans(&self, region: Option<&str>, include_deleted: bool) -> Result<Vec<Plan>> {
        let prefix = region.map(region_prefix);
        Ok(sqlx::query_as::<_, Plan>(AssertSqlSafe(format!(
            "{PLAN_SELECT} WHERE ($1 IS NULL OR p.region LIKE $1) AND ($2 = 1 OR p.deleted_at IS NULL) ORDER BY p.id DESC"
        )))
        .bind(prefix)
        .bind(i64::from(include_deleted))
        .fetch_all(self.pool())
        .await?)
    }

    /// The plans implementing plan `id`.
    pub async fn child_plans(&self, id: i64) -> Result<Vec<Plan>> {
        Ok(sqlx::query_as::<_, Plan>(AssertSqlSafe(format!(
            "{PLAN_SELECT} WHERE p.parent_id = $1 AND p.deleted_at IS NULL ORDER BY p.id"
        )))
        .bind(id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The plan's source text (what spans index) and its reading as stored.
    pub async fn plan_source(&self, id: i64) -> Result<(String, serde_json::Value)> {
        let row: Option<(String, String)> = sqlx::query_as("SELECT source_text, reading_json FROM plans WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        let (text, reading) = row.ok_or_else(|| StoreError::not_found(Object::Plan, id))?;
        Ok((text, serde_json::from_str(&reading).unwrap_or(serde_json::Value::Null)))
    }

    /// The plan's original file, verbatim: (file name, bytes).
    pub async fn plan_document(&self, id: i64) -> Result<(String, Vec<u8>)> {
        sqlx::query_as("SELECT file_name, bytes FROM documents WHERE plan_id = $1 AND kind = 'plan'")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::Plan, id))
    }

    /// The section tree of a plan, flattened in document order.
    pub async fn sections(&self, plan_id: i64) -> Result<Vec<Section>> {
        self.plan(plan_id).await?;
        Ok(sqlx::query_as::<_, Section>(
            "SELECT id, parent_id, position, depth, label, printed, title, span_start, span_end \
             FROM sections WHERE plan_id = $1 ORDER BY position",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Where in the plan's text each task, target, project and finding was
    /// read: `(kind, id, start, end)` — the index a review page looks an
    /// item up in without loading every item.
    pub async fn plan_spans(&self, plan_id: i64) -> Result<Vec<(String, i64, i64, i64)>> {
        let mut out: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT 'task', id, span_start, span_end FROM tasks \
             WHERE plan_id = $1 AND document_id IS NULL AND deleted_at IS NULL \
             UNION ALL SELECT 'target', id, span_start, span_end FROM targets WHERE plan_id = $1 AND deleted_at IS NULL \
             UNION ALL SELECT 'project', id, span_start, span_end FROM projects \
             WHERE plan_id = $1 AND document_id IS NULL AND deleted_at IS NULL",
        )
        .bind(plan_id)
        .fetch_all(self.pool())
        .await?;
        let findings: Vec<(i64, String)> = sqlx::query_as("SELECT id, spans FROM findings WHERE plan_id = $1")
            .bind(plan_id)
            .fetch_all(self.pool())
            .await?;
        for (id, spans) in findings {
            let spans: Vec<(i64, i64)> = serde_json::from_str(&spans).unwrap_or_default();
            out.extend(spans.into_iter().map(|(s, e)| ("finding".to_string(), id, s, e)));
        }
        Ok(out)
    }

    /// Deletes (`true`) or restores (`false`) a plan. Deletion is a state:
    /// nothing is removed, and restoring brings it all back. A child plan's
    /// office stops (or starts again) reporting in the parent plan.
    pub async fn set_plan_deleted(&self, actor: &Actor, id: i64, deleted: bool, now: i64) -> Result<Plan> {
        let plan = self.plan(id).await?;
        self.set_deleted(actor, ("plans", "plan", id), plan.deleted_at, deleted, now).await?;
        self.sync_parent_assignments(id, now).await?;
        self.plan(id).await
    }
}

fn count_sections(tree: &[ReadSection]) -> usize {
    tree.iter().map(|s| 1 + count_sections(&s.children)).sum()
}

/// The innermost section holding `start` that is shallower than a task at
/// `depth` (the task's own heading is not its section).
fn section_of(sections: &[(i64, usize, usize, usize)], start: usize, depth: usize) -> Option<i64> {
    sections
        .iter()
        .filter(|(_, d, s, e)| *s <= start && start < *e && *d < depth.max(1))
        .max_by_key(|(_, d, s, _)| (*d, *s))
        .map(|(id, ..)| *id)
}

/// A LIKE pattern for a region and everything under it (`522600` → `5226%`).
pub fn region_prefix(code: &str) -> String {
    // `get` rather than slicing: a code that is no code (`中0000`) must not
    // be cut inside a character.
    let trimmed = if code.ends_with("0000") {
        code.get(..2).unwrap_or(code)
    } else if code.ends_with("00") {
        code.get(..4).unwrap_or(code)
    } else {
        code
    };
    format!("{trimmed}%")
}
