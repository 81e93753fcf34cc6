//! Test support (feature `testing`): fresh stores on both backends — a
//! SQLite file in a temporary folder, and a new database on the PostgreSQL
//! server of `BIGHEALTH_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432`), dropped afterwards — and the
//! project's fixture files.

use crate::Store;
use sqlx::Connection;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// The PostgreSQL server tests use.
pub fn postgres_server() -> String {
    std::env::var("BIGHEALTH_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A database created for one test.
pub struct TestDb {
    /// The store's URL.
    pub url: String,
    name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

static SEQ: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A SQLite file in a fresh folder.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("bighealth.db").display());
        TestDb { url, name: None, _dir: Some(dir) }
    }

    /// A new PostgreSQL database.
    pub async fn postgres() -> TestDb {
        let server = postgres_server();
        let name = format!(
            "bh_test_{}_{}_{}",
            std::process::id(),
            SEQ.fetch_add(1, Ordering::SeqCst),
            crate::now_ms() % 1_000_000
        );
        let mut admin = sqlx::postgres::PgConnection::connect(&format!("{server}/postgres")).await.unwrap_or_else(|e| {
            panic!(
                "storage tests run on PostgreSQL too, and {server} cannot be reached ({e}); start PostgreSQL or point \
                 BIGHEALTH_TEST_POSTGRES at a server where this user may create databases"
            )
        });
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await.unwrap();
        TestDb { url: format!("{server}/{name}"), name: Some(name), _dir: None }
    }

    /// Drops the PostgreSQL database.
    pub async fn drop_db(self) {
        crate::audit_key::AuditKey::remove(&crate::audit_key::default_path(&self.url));
        if let Some(name) = &self.name {
            let mut admin =
                sqlx::postgres::PgConnection::connect(&format!("{}/postgres", postgres_server())).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&mut admin)
                .await
                .unwrap();
        }
    }
}

/// Runs `test` on a fresh SQLite store, then on a fresh PostgreSQL store.
/// A failure names the backend.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let store = Store::open(&db.url).await.unwrap_or_else(|e| panic!("opening {}: {e}", db.url));
        let backend = store.backend().name();
        let run = tokio::spawn(test(store.clone())).await;
        store.close().await;
        db.drop_db().await;
        if let Err(e) = run {
            panic!("on {backend}: {e}");
        }
    }
}

/// A seed document's path.
pub fn seed(prefix: &str) -> PathBuf {
    let dir = fixtures().join("seeds");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix} in {}", dir.display()))
}

/// A fixture's path.
pub fn fixture(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// A fixed clock for tests: 2026-11-25 00:00 UTC.
pub const NOW: i64 = 1_795_564_800_000;

/// The repository's `fixtures` folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}
