//! Opening a database: the URL, the connection settings of each backend, the
//! migrations, and the transaction every change runs in.

use crate::error::{Result, StoreError};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::time::Duration;

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A single SQLite file (the embedded default).
    Sqlite,
    /// A PostgreSQL server (production).
    Postgres,
}

impl Backend {
    /// The backend a URL names.
    pub fn of(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Url {
                url: url.into(),
                problem: "请写成 sqlite:路径（文件，不存在时创建）或 postgres://用户@主机:端口/数据库".into(),
            })
        }
    }

    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connected, migrated database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// The secret the audit chain is keyed with (outside the database).
    pub(crate) audit_key: std::sync::Arc<crate::audit_key::AuditKey>,
    /// How long reading a document for an import may take.
    pub(crate) import_limit: std::time::Duration,
    /// The holiday calendar deadlines are counted with: the shipped one with
    /// the office's imported years over it; read at open, renewed when this
    /// process imports a year.
    pub(crate) holidays: std::sync::Arc<std::sync::RwLock<bighealth_rules::calendar::Holidays>>,
}

/// How long reading a document for an import may take unless set with
/// [`Store::with_import_limit`].
pub const IMPORT_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

impl Store {
    /// Connects to `url` and brings its schema up to date.
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL`, so that a committed
    /// change survives a power cut, with foreign keys enforced, a page cache
    /// of up to 64 MiB a connection (a bulk import writes indexes in no one
    /// order) and the file read through a memory map of up to 256 MiB.
    pub async fn open(url: &str) -> Result<Store> {
        Store::open_with_key(url, &crate::audit_key::default_path(url)).await
    }

    /// Like [`Store::open`], with the audit key kept at `key` (made when
    /// missing).
    pub async fn open_with_key(url: &str, key: &std::path::Path) -> Result<Store> {
        install_default_drivers();
        let backend = Backend::of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; \
                             PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await.map_err(|e| StoreError::Url {
            url: url.clone(),
            problem: format!("{e}（数据库服务器是否在运行、数据库是否存在？）"),
        })?;
        match backend {
            Backend::Sqlite => SQLITE.run(&pool).await?,
            Backend::Postgres => POSTGRES.run(&pool).await?,
        }
        let audit_key = crate::audit_key::AuditKey::load_or_create(key)
            .map_err(|e| StoreError::Key { path: key.display().to_string(), problem: e.to_string() })?;
        let store = Store {
            pool,
            backend,
            audit_key: std::sync::Arc::new(audit_key),
            import_limit: IMPORT_LIMIT,
            holidays: Default::default(),
        };
        store.seed_regions().await?;
        store.seed_indicators(crate::now_ms()).await?;
        store.load_holidays().await?;
        Ok(store)
    }

    /// The same store with imports cancelled when reading their document
    /// takes longer than `limit`.
    pub fn with_import_limit(mut self, limit: std::time::Duration) -> Store {
        self.import_limit = limit;
        self
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for reads.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing; on
    /// PostgreSQL it is a plain transaction.
    pub async fn write(&self) -> Result<Transaction<'static, Any>> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// An optional number to bind. sqlx 0.9.0's PostgreSQL side of `Any` sends a
/// missing `f64` as a missing `f32`, which PostgreSQL refuses for a DOUBLE
/// PRECISION column ("incorrect binary data format"); this sends it as the
/// kind that reaches PostgreSQL as a missing `f64`. The storage tests insert
/// missing numbers on both backends, so a change in sqlx shows there.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Num(pub Option<f64>);

impl sqlx::Type<Any> for Num {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<Any>>::type_info()
    }
}

impl sqlx::Encode<'_, Any> for Num {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx_core::any::AnyArgumentBuffer,
    ) -> std::result::Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(v) => <f64 as sqlx::Encode<'_, Any>>::encode_by_ref(&v, buf),
            None => {
                buf.0.push(sqlx_core::any::AnyValueKind::Null(sqlx::any::AnyTypeInfoKind::Real));
                Ok(sqlx::encode::IsNull::Yes)
            }
        }
    }
}

/// Rows a statement that writes many rows at once takes: SQLite takes at
/// most 32 766 values in one statement.
pub(crate) const ROWS_AT_ONCE: usize = 500;

impl Backend {
    /// The `VALUES` list of `rows` rows of `columns` values each, as the
    /// backend takes it: `(?, ?), (?, ?)` on SQLite (numbered parameters
    /// cost it a search of every name for each value bound, so a statement
    /// of thousands takes time in the square of their number) and
    /// `($1, $2), ($3, $4)` on PostgreSQL.
    pub(crate) fn values_list(self, rows: usize, columns: usize) -> String {
        let mut out = String::with_capacity(rows * columns * 5);
        for r in 0..rows {
            if r > 0 {
                out.push_str(", ");
            }
            out.push('(');
            for c in 0..columns {
                if c > 0 {
                    out.push_str(", ");
                }
                match self {
                    Backend::Sqlite => out.push('?'),
                    Backend::Postgres => {
                        out.push('$');
                        out.push_str(&(r * columns + c + 1).to_string());
                    }
                }
            }
            out.push(')');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn a_values_list_is_numbered_for_postgresql_and_anonymous_for_sqlite() {
        assert_eq!(Backend::Postgres.values_list(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(Backend::Sqlite.values_list(2, 3), "(?, ?, ?), (?, ?, ?)");
    }
}
