//! The `bighealth` binary: thin glue over the library crates.
//!
//! Subcommands:
//! - `extract FILE` — read a plan document and print its reading
//!   (`--format json|table|text`, `--out PATH`).
//!
//! Exit status: 0 on success, 2 when the input cannot be read (the message
//! names the file and the problem), 1 for any other failure.

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
    }
}

fn extract(args: ExtractArgs) -> ExitCode {
    let name = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("bighealth: {name}: cannot read the file: {e}");
            return ExitCode::from(2);
        }
    };
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| name.clone());
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
