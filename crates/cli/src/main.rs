//! The `bighealth` binary: thin glue over the library crates.
//!
//! Subcommands:
//! - `extract FILE` — read a plan document and print its reading
//!   (`--format json|table|text`, `--out PATH`);
//! - `import FILE --region CODE [--parent PLAN]` — store a plan
//!   (`--into PLAN` adds a project or division table to a plan);
//! - `serve` — the HTTP server and its JSON API;
//! - `account create NAME --role ROLE` — an account made on the server's machine;
//!   `account unlock NAME` — a locked account let back in;
//! - `backup --out FILE` / `restore FILE` — a consistent copy of a live
//!   database, and its restore into a new one;
//! - `demo` — a fresh database with the four seed plans, one account per role, served.
//!
//! Exit status: 0 on success, 2 when the input is wrong (the message names
//! the file or field and the problem), 1 for any other failure.

mod account;
mod backup;
mod demo;
mod import;
mod progress;
mod serve;
mod table;

use anyhow::Context;
use bighealth_reader::ReadError;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// bighealth — run a regional Big Health (大健康) industry plan.
#[derive(Debug, Parser)]
#[command(name = "bighealth", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a plan document (.txt in UTF-8 or GBK, .docx, .html, .xlsx) and
    /// print its tasks, units, targets, projects and findings.
    #[command(after_help = "Exit status: 0 when read; 2 when the file cannot be read (one line names the file, \
                            the problem and the fix); 1 for other failures, such as an output path that \
                            cannot be written.")]
    Extract(ExtractArgs),
    /// Read a plan document and store it under its region (or, with --into,
    /// add a project or division table to a stored plan). Shows the
    /// findings and the unit names to review; the same file again changes
    /// nothing.
    #[command(after_help = "Exit status: 0 when stored or already stored; 2 when the file, the region or the \
                            parent plan is wrong (the message says which and why); 1 for other failures.")]
    Import(import::ImportArgs),
    /// Serve the JSON API (and its OpenAPI document at /api/openapi.json).
    Serve(serve::ServeArgs),
    /// Manage accounts from the server's own machine.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Write a consistent copy of a live database (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump) with a manifest naming its audit key's
    /// fingerprint.
    Backup(backup::BackupArgs),
    /// Restore a backup into a new SQLite file or an empty PostgreSQL
    /// database, checking it against its manifest, its audit key and its
    /// audit chain.
    Restore(backup::RestoreArgs),
    /// Start a demo: a fresh SQLite database with the four seed plans under
    /// their regions, one account per role (passwords printed), served on
    /// 127.0.0.1:8080.
    Demo(demo::DemoArgs),
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Create an account with a generated password (printed once): the first
    /// 安全管理员, who then creates the others through the API.
    Create(account::AccountArgs),
    /// Unlock an account locked after failed logins and enable it if it was
    /// disabled — the way back in for a locked administrator, on the
    /// server's own machine.
    Unlock(account::UnlockArgs),
}

/// Where the data is kept.
#[derive(Debug, Clone, clap::Args)]
pub struct Database {
    /// Database URL: sqlite:PATH (a file, created when missing) or
    /// postgres://USER@HOST:PORT/DATABASE.
    #[arg(long, env = "BIGHEALTH_DATABASE", default_value = "sqlite:bighealth.db")]
    pub database: String,
}

impl Database {
    /// Opens (and migrates) the database.
    pub async fn open(&self) -> Result<bighealth_store::Store, bighealth_store::StoreError> {
        bighealth_store::Store::open(&self.database).await
    }
}

/// Prints a store error and returns its exit status: 2 for wrong input, 1 otherwise.
pub fn exit_for(e: &bighealth_store::StoreError) -> ExitCode {
    use bighealth_store::StoreError::*;
    eprintln!("bighealth: {e}");
    match e {
        Refused(r) if r.reason.kind() != bighealth_store::error::Reason::Internal {}.kind() => ExitCode::from(2),
        Url { .. } | File { .. } => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

#[derive(Debug, clap::Args)]
struct ExtractArgs {
    /// The plan document.
    file: PathBuf,
    /// Output format. Default: json when writing to a file (--out) or a pipe,
    /// table at a terminal.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Write the output to this file instead of standard output.
    #[arg(long, short)]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// The reading as JSON (the gold format plus spans, sections, tables, findings).
    Json,
    /// A readable summary for a person at a terminal.
    Table,
    /// The decoded text the spans point into.
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Import(args) => runtime().block_on(import::run(args)),
        Command::Serve(args) => runtime().block_on(serve::run(args)),
        Command::Account(AccountCommand::Create(args)) => runtime().block_on(account::run(args)),
        Command::Account(AccountCommand::Unlock(args)) => runtime().block_on(account::unlock(args)),
        Command::Demo(args) => runtime().block_on(demo::run(args)),
        Command::Backup(args) => runtime().block_on(backup::backup(args)),
        Command::Restore(args) => runtime().block_on(backup::restore(args)),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("cannot start the async runtime")
}

fn extract(args: ExtractArgs) -> ExitCode {
    let (name, file_name, bytes) = match read_file(&args.file) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let source = match bighealth_reader::load(&file_name, &bytes) {
        Ok(s) => s,
        Err(e) => return input_error(&name, &e),
    };
    let reading = bighealth_reader::analyse(&file_name, &bytes, &source);
    let format = args.format.unwrap_or(if args.out.is_some() || !std::io::stdout().is_terminal() {
        OutputFormat::Json
    } else {
        OutputFormat::Table
    });
    let rendered = match format {
        OutputFormat::Json => {
            serde_json::to_string_pretty(&reading).map(|s| s + "\n").context("serialising the reading")
        }
        OutputFormat::Table => Ok(table::render(&reading)),
        OutputFormat::Text => Ok(source.text.as_str().to_string()),
    };
    let result = rendered.and_then(|s| write_out(args.out.as_ref(), &s));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bighealth: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Reads a file given on the command line: (the path as given, the file's
/// name, its bytes); on failure says why and gives exit status 2.
pub fn read_file(path: &std::path::Path) -> Result<(String, String, Vec<u8>), ExitCode> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        eprintln!("bighealth: {name}: cannot read the file: {e}");
        ExitCode::from(2)
    })?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| name.clone());
    Ok((name, file_name, bytes))
}

fn input_error(name: &str, e: &ReadError) -> ExitCode {
    eprintln!("bighealth: {name}: {e}");
    ExitCode::from(2)
}

fn write_out(out: Option<&PathBuf>, s: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, s).with_context(|| format!("cannot write {}", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(s.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("cannot write to standard output"),
            }
        }
    }
}
