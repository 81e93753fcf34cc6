//! `bighealth import`: read a plan and store it, or add a table to a plan.

use crate::progress::Progress;
use crate::{Database, exit_for, read_file};
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::{Actor, Role, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `bighealth import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The plan document (.txt, .docx, .html, .xlsx), or with --into a
    /// project table or division table (.xlsx).
    pub file: PathBuf,
    /// The plan's region: its GB/T 2260 code (522600 for 黔东南州).
    #[arg(long, required_unless_present = "into", conflicts_with = "into")]
    pub region: Option<String>,
    /// The id of the plan this one implements (a county plan under a city
    /// or provincial one).
    #[arg(long)]
    pub parent: Option<i64>,
    /// Add the file's project table or division table to this existing plan.
    #[arg(long)]
    pub into: Option<i64>,
    /// Print what was stored as JSON instead of a summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: Database,
}

/// Runs `bighealth import`.
pub async fn run(args: ImportArgs) -> ExitCode {
    let (name, file_name, bytes) = match read_file(&args.file) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let store = match args.db.open().await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    let actor = Actor::local("cli import", Role::SystemAdmin);
    let mut progress = Progress::new();
    let mut show = |step| progress.step(step);
    let now = bighealth_store::now_ms();
    let result = match args.into {
        Some(plan) => store.import_table(&actor, plan, &file_name, &bytes, &mut show, now).await,
        None => {
            let region = args.region.as_deref().unwrap_or_default();
            let req = ImportRequest { name: &file_name, bytes: &bytes, region, parent: args.parent };
            store.import_plan(&actor, req, &mut show, now).await
        }
    };
    progress.finish();
    store.close().await;
    match result {
        Ok(imported) => {
            if args.json {
                println!("{}", serde_json::to_string_pretty(&imported).unwrap_or_default());
            } else {
                print_report(&store, &name, &imported).await;
            }
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(&e),
    }
}

async fn print_report(_store: &Store, name: &str, imported: &Imported) {
    match imported {
        Imported::Unchanged { plan_id, deleted } => {
            let note = if *deleted { " (that plan is deleted; restore it to use it)" } else { "" };
            println!("{name} was imported before as plan {plan_id}{note}: same bytes (SHA-256), nothing changed.");
        }
        Imported::Stored(r) => {
            println!("stored {name} as plan {}: 《{}》", r.plan_id, r.title.as_deref().unwrap_or("(no title found)"));
            println!("  {} sections · {} tasks · {} targets · {} projects", r.sections, r.tasks, r.targets, r.projects);
            if !r.findings.is_empty() {
                println!("findings to review ({}):", r.findings.len());
                for f in &r.findings {
                    println!("  [{}] {}", f.code, f.message);
                }
            }
            if !r.new_units.is_empty() {
                println!("units not in the registry, stored as unconfirmed for review ({}):", r.new_units.len());
                for u in &r.new_units {
                    match u.similar_to {
                        Some(s) => println!("  unit {} {} (close to unit {s}: same unit? merge it)", u.id, u.name),
                        None => println!("  unit {} {}", u.id, u.name),
                    }
                }
            }
        }
    }
}
