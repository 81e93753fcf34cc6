//! The database itself: durability settings, migrations, the append-only
//! audit log.

use crate::common::*;
use bighealth_store::audit::Event;
use bighealth_store::plans::{ImportRequest, Imported};
use bighealth_store::{Backend, Store};
use sqlx::AssertSqlSafe;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_commits_survive_a_power_cut() {
    let db = TestDb::sqlite();
    let store = Store::open(&db.url).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(store.pool()).await.unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(store.pool()).await.unwrap();
    assert_eq!(fk, 1);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopening_keeps_the_data_and_runs_no_migration_twice() {
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let store = Store::open(&db.url).await.unwrap();
        let bytes = std::fs::read(seed("004")).unwrap();
        let req = ImportRequest { name: "004.txt", bytes: &bytes, region: "431100", parent: None };
        let Imported::Stored(r) = store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap() else { panic!() };
        store.close().await;
        let again = Store::open(&db.url).await.unwrap();
        assert_eq!(again.plan(r.plan_id).await.unwrap().tasks as usize, r.tasks);
        let migrations: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(again.pool()).await.unwrap();
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite")).unwrap().count();
        assert_eq!(migrations as usize, files, "each migration ran once");
        let regions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions").fetch_one(again.pool()).await.unwrap();
        assert!(regions > 3000, "the GB/T 2260 list is loaded once: {regions}");
        again.close().await;
        db.drop_db().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_can_alter_or_delete_the_audit_log() {
    each_backend(|store| async move {
        for i in 0..3 {
            store.audit_now(&office(), Event::ok("test", &format!("row:{i}"), "detail"), NOW + i).await.unwrap();
        }
        assert_eq!(store.verify_audit().await.unwrap(), None);
        for sql in ["UPDATE audit_log SET detail = 'changed'", "DELETE FROM audit_log"] {
            let err = sqlx::query(sql).execute(store.pool()).await.expect_err(sql);
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        if store.backend() == Backend::Postgres {
            let err = sqlx::query("TRUNCATE audit_log").execute(store.pool()).await.expect_err("truncate");
            assert!(err.to_string().contains("append-only"), "{err}");
        }
        let rows = store.audit_log(&Default::default()).await.unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.detail == "detail"));
        // Someone with the database's own powers goes around the triggers:
        // the hash chain shows where.
        let second = rows[1].id;
        let bypass = match store.backend() {
            Backend::Sqlite => vec![
                "DROP TRIGGER audit_log_no_update".to_string(),
                format!("UPDATE audit_log SET detail = 'forged' WHERE id = {second}"),
            ],
            Backend::Postgres => vec![
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update".to_string(),
                format!("UPDATE audit_log SET detail = 'forged' WHERE id = {second}"),
            ],
        };
        let mut conn = store.pool().acquire().await.unwrap();
        for sql in bypass {
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await.unwrap();
        }
        assert_eq!(store.verify_audit().await.unwrap(), Some(second));
    })
    .await;
}
