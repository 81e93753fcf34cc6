//! `bighealth backup` and `bighealth restore`: a consistent copy of a live
//! database with its manifest, and its restore into a new database.

use crate::{Database, exit_for};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `bighealth backup`.
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new file; its manifest goes beside it).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub db: Database,
}

/// Arguments of `bighealth restore`.
#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// The backup (its manifest beside it).
    pub file: PathBuf,
    /// The audit key the backup's chain was written with, if it is not where
    /// the new database looks for it.
    #[arg(long)]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub db: Database,
}

/// Runs `bighealth backup`.
pub async fn backup(args: BackupArgs) -> ExitCode {
    let store = match args.db.open().await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    let result = store.backup(&args.db.database, &args.out, bighealth_store::now_ms()).await;
    store.close().await;
    match result {
        Ok(m) => {
            println!(
                "backed up to {} (SHA-256 {}); audit key fingerprint {}",
                args.out.display(),
                m.sha256,
                m.audit_key
            );
            println!("keep the audit key apart from the backup: a restore needs it to verify the log");
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(&e),
    }
}

/// Runs `bighealth restore`.
pub async fn restore(args: RestoreArgs) -> ExitCode {
    match bighealth_store::backup::restore(&args.file, &args.db.database, args.key.as_deref()).await {
        Ok(store) => {
            store.close().await;
            println!("restored {} into {}: the audit log verifies", args.file.display(), args.db.database);
            ExitCode::SUCCESS
        }
        Err(e) => exit_for(&e),
    }
}
