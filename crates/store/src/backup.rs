//! Backups of a live database and their restore. A SQLite database is
//! copied with `VACUUM INTO` (one consistent snapshot, while others write); a
//! PostgreSQL one with `pg_dump` (one transaction's snapshot). Beside the
//! copy a manifest says what it holds and the fingerprint of the audit key
//! the chain was written with: the key itself is never in a backup, and a
//! restore refuses to go on where a different key waits, since its chain
//! would not verify.

use crate::audit_key::{AuditKey, default_path};
use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a backup holds, written beside it as `FILE.manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// When it was taken (ms since the epoch).
    pub taken_at: i64,
    /// The SHA-256 of the backup file.
    pub sha256: String,
    /// The SHA-256 of the audit key the chain was written with.
    pub audit_key: String,
}

fn manifest_path(file: &Path) -> PathBuf {
    let mut p = file.to_path_buf().into_os_string();
    p.push(".manifest.json");
    PathBuf::from(p)
}

fn io(file: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::File { path: file.display().to_string(), problem: e.to_string() }
}

/// Runs a command to its end, with a message naming it when it fails.
fn run(mut command: std::process::Command, what: &str) -> Result<()> {
    let output = command
        .output()
        .map_err(|e| io(Path::new(what), format!("{what} 无法运行：{e}（请安装 PostgreSQL 客户端）")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(io(Path::new(what), String::from_utf8_lossy(&output.stderr).trim().to_string()))
    }
}

impl Store {
    /// Writes a consistent copy of the database to `out` (which must not
    /// exist) and its manifest beside it.
    pub async fn backup(&self, url: &str, out: &Path, now: i64) -> Result<Manifest> {
        if out.exists() {
            return Err(io(out, "已存在；请换一个文件名，备份不会覆盖已有文件"));
        }
        match self.backend() {
            Backend::Sqlite => {
                sqlx::query("VACUUM INTO $1").bind(out.display().to_string()).execute(self.pool()).await?;
            }
            Backend::Postgres => {
                let mut command = std::process::Command::new("pg_dump");
                command.args(["--no-owner", "--no-privileges", "--format=plain", "--file"]).arg(out).arg(url);
                tokio::task::spawn_blocking(move || run(command, "pg_dump")).await.map_err(|e| io(out, e))??;
            }
        }
        let bytes = std::fs::read(out).map_err(|e| io(out, e))?;
        let manifest = Manifest {
            backend: self.backend().name().into(),
            taken_at: now,
            sha256: bighealth_reader::sha256_hex(&bytes),
            audit_key: self.audit_key.fingerprint(),
        };
        let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        std::fs::write(manifest_path(out), json).map_err(|e| io(out, e))?;
        Ok(manifest)
    }
}

/// Restores the backup `from` into the database at `url` — a SQLite file
/// that does not exist yet, or an empty PostgreSQL database — after checking
/// the backup against its manifest and the audit key waiting at the
/// destination (`key`, made from the manifest's fingerprint's key only: copy
/// the key file there first). Returns the opened store, its chain verified.
pub async fn restore(from: &Path, url: &str, key: Option<&Path>) -> Result<Store> {
    let text = std::fs::read_to_string(manifest_path(from)).map_err(|e| io(&manifest_path(from), e))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| io(&manifest_path(from), e))?;
    let bytes = std::fs::read(from).map_err(|e| io(from, e))?;
    if bighealth_reader::sha256_hex(&bytes) != manifest.sha256 {
        return Err(io(from, "与其清单中的 SHA-256 不符：备份已损坏或被改动"));
    }
    let key_path = key.map(Path::to_path_buf).unwrap_or_else(|| default_path(url));
    if !key_path.exists() {
        return Err(io(&key_path, format!("没有审计密钥；请把备份时的密钥（指纹 {}）复制到这里", manifest.audit_key)));
    }
    let waiting = AuditKey::load_or_create(&key_path).map_err(|e| io(&key_path, e))?;
    if waiting.fingerprint() != manifest.audit_key {
        return Err(io(&key_path, format!("不是备份时的审计密钥（应为指纹 {}）", manifest.audit_key)));
    }
    match Backend::of(url)? {
        Backend::Sqlite => {
            if manifest.backend != "sqlite" {
                return Err(io(from, "是 PostgreSQL 的备份，不能恢复到 SQLite"));
            }
            let file = url.trim_start_matches("sqlite:").split('?').next().unwrap_or_default().to_string();
            let target = Path::new(&file);
            if target.exists() {
                return Err(io(target, "已存在；恢复只写入新的数据库文件，不覆盖已有数据"));
            }
            std::fs::copy(from, target).map_err(|e| io(target, e))?;
        }
        Backend::Postgres => {
            if manifest.backend != "postgres" {
                return Err(io(from, "是 SQLite 的备份，不能恢复到 PostgreSQL"));
            }
            let mut command = std::process::Command::new("psql");
            command.args(["--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--file"]).arg(from).arg(url);
            tokio::task::spawn_blocking(move || run(command, "psql")).await.map_err(|e| io(from, e))??;
        }
    }
    let store = Store::open_with_key(url, &key_path).await?;
    // The restored log is the truth from here on: a checkpoint of it, and
    // then the whole chain checked.
    store.checkpoint_audit().await?;
    if let Some(bad) = store.verify_audit().await? {
        return Err(io(from, format!("恢复后的审计日志自第 {bad} 条起校验不通过")));
    }
    Ok(store)
}
