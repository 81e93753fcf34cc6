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

/// Lifts the triggers that keep the audit log append-only, as someone with
/// the database's own powers can.
async fn lift_triggers(store: &bighealth_store::Store) {
    let sql = match store.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER USER",
    };
    let mut conn = store.pool().acquire().await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut *conn).await.unwrap();
}

/// Writes `n` audit rows and checks them (which writes a checkpoint).
async fn written(store: &bighealth_store::Store, n: i64) -> Vec<bighealth_store::audit::AuditEntry> {
    for i in 0..n {
        store.audit_now(&office(), Event::ok("test", &format!("row:{i}"), "detail"), NOW + i).await.unwrap();
    }
    assert_eq!(store.verify_audit().await.unwrap(), None);
    let mut rows = store.audit_log(&Default::default()).await.unwrap();
    rows.reverse();
    rows
}

/// Rewrites every row from `from` on with hashes made without the key (the
/// chain as someone with the database but not the key would recompute it).
async fn rechain_without_key(store: &bighealth_store::Store, from: usize) {
    let mut rows = store.audit_log(&Default::default()).await.unwrap();
    rows.reverse();
    let mut prev = if from == 0 { "0".repeat(64) } else { rows[from - 1].hash.clone() };
    for r in &rows[from..] {
        let hash = bighealth_reader::sha256_hex(format!("{prev}{}{}{}", r.at, r.action, r.detail).as_bytes());
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(r.id)
            .execute(store.pool())
            .await
            .unwrap();
        prev = hash;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_recomputed_without_the_key_is_found_at_its_first_row() {
    each_backend(|store| async move {
        let rows = written(&store, 6).await;
        lift_triggers(&store).await;
        sqlx::query("UPDATE audit_log SET detail = 'forged' WHERE id = $1")
            .bind(rows[2].id)
            .execute(store.pool())
            .await
            .unwrap();
        rechain_without_key(&store, 2).await;
        assert_eq!(store.verify_audit().await.unwrap(), Some(rows[2].id));
        // The whole chain recomputed from the start: found at the first row.
        rechain_without_key(&store, 0).await;
        assert_eq!(store.verify_audit().await.unwrap(), Some(rows[0].id));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_user_id_and_a_removed_middle_row_are_found() {
    each_backend(|store| async move {
        let rows = written(&store, 6).await;
        lift_triggers(&store).await;
        sqlx::query("UPDATE audit_log SET user_id = 99 WHERE id = $1")
            .bind(rows[1].id)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.verify_audit().await.unwrap(), Some(rows[1].id), "user_id is hashed too");
        sqlx::query("UPDATE audit_log SET user_id = NULL WHERE id = $1")
            .bind(rows[1].id)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.verify_audit().await.unwrap(), None, "put back, it holds");
        // A middle row removed, and the next one's link re-pointed: the
        // position shows the gap, the keyed hash the forged link.
        sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(rows[3].id).execute(store.pool()).await.unwrap();
        sqlx::query("UPDATE audit_log SET prev_hash = $1 WHERE id = $2")
            .bind(&rows[2].hash)
            .bind(rows[4].id)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.verify_audit().await.unwrap(), Some(rows[4].id));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_cut_back_shows_against_the_last_checkpoint() {
    each_backend(|store| async move {
        let rows = written(&store, 6).await;
        lift_triggers(&store).await;
        sqlx::query("DELETE FROM audit_log WHERE id >= $1").bind(rows[4].id).execute(store.pool()).await.unwrap();
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Some(rows[3].id + 1),
            "the rows after the last left are missing"
        );
        assert!(store.verify_audit_recent().await.unwrap().is_some(), "a view sees it too");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_view_checks_only_what_came_since_the_last_checkpoint() {
    each_backend(|store| async move {
        let rows = written(&store, 4).await;
        for i in 0..3 {
            store.audit_now(&office(), Event::ok("later", &format!("row:{i}"), "detail"), NOW + 10 + i).await.unwrap();
        }
        lift_triggers(&store).await;
        let later = store.audit_log(&Default::default()).await.unwrap();
        let newest = later[0].id;
        sqlx::query("UPDATE audit_log SET detail = 'forged' WHERE id = $1")
            .bind(newest)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.verify_audit_recent().await.unwrap(), Some(newest));
        // The checkpoint's own row changed: the view falls back to the whole log.
        sqlx::query("UPDATE audit_log SET detail = 'detail' WHERE id = $1")
            .bind(newest)
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET outcome = 'denied' WHERE id = $1")
            .bind(rows[3].id)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.verify_audit_recent().await.unwrap(), Some(rows[3].id));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_writes_restores_every_committed_row_and_an_intact_chain() {
    for pg in [false, true] {
        let src = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let store = Store::open(&src.url).await.unwrap();
        let bytes = std::fs::read(seed("004")).unwrap();
        let req = ImportRequest { name: "004.txt", bytes: &bytes, region: "431100", parent: None };
        store.import_plan(&office(), req, &mut |_| {}, NOW).await.unwrap();
        // Writers keep writing while the backup is taken.
        let writer = {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..150 {
                    store
                        .audit_now(&office(), Event::ok("busy", &format!("row:{i}"), "detail"), NOW + i)
                        .await
                        .unwrap();
                }
            })
        };
        while store.audit_log(&Default::default()).await.unwrap().len() < 20 {
            tokio::task::yield_now().await;
        }
        let before = store
            .audit_log(&bighealth_store::audit::AuditQuery { limit: Some(1000), ..Default::default() })
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(if pg { "backup.sql" } else { "backup.db" });
        let manifest = store.backup(&src.url, &file, NOW).await.unwrap();
        writer.await.unwrap();
        assert!(store.backup(&src.url, &file, NOW).await.is_err(), "a backup never overwrites a file");

        let dst = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let key_path = bighealth_store::audit_key::default_path(&dst.url);
        let err = bighealth_store::backup::restore(&file, &dst.url, None).await.expect_err("no key there");
        assert!(err.to_string().contains(&manifest.audit_key), "names the key it needs: {err}");
        std::fs::create_dir_all(key_path.parent().unwrap()).unwrap();
        std::fs::copy(bighealth_store::audit_key::default_path(&src.url), &key_path).unwrap();
        let restored = bighealth_store::backup::restore(&file, &dst.url, None).await.unwrap();
        let after = restored
            .audit_log(&bighealth_store::audit::AuditQuery { limit: Some(1000), ..Default::default() })
            .await
            .unwrap();
        for row in &before {
            assert!(
                after.iter().any(|r| r.id == row.id && r.hash == row.hash),
                "row {} committed before the backup is there",
                row.id
            );
        }
        assert_eq!(restored.verify_audit().await.unwrap(), None, "the chain holds");
        let plans = restored.plans(None, false).await.unwrap();
        assert_eq!(plans.len(), 1);
        restored.close().await;
        store.close().await;
        dst.drop_db().await;
        src.drop_db().await;
    }
}

/// The values a store held before each indicator's year became one row of
/// its months (migration 0017) read the same after it: a region's figures
/// from the months, a value written again as it was left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn values_stored_before_the_months_table_are_read_the_same_after() {
    for pg in [false, true] {
        let db = if pg { TestDb::postgres().await } else { TestDb::sqlite() };
        let folder = if pg { "postgres" } else { "sqlite" };
        // The schema as it stood before 0017, with values in it.
        let before = tempfile::tempdir().unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(folder);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name().to_string_lossy().as_ref() < "0017" {
                std::fs::copy(entry.path(), before.path().join(entry.file_name())).unwrap();
            }
        }
        sqlx::any::install_default_drivers();
        let url = if pg { db.url.clone() } else { format!("{}?mode=rwc", db.url) };
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
        sqlx::migrate::Migrator::new(before.path()).await.unwrap().run(&pool).await.unwrap();
        for sql in [
            "INSERT INTO regions (code, name, level, parent) VALUES ('520000', '贵州省', 'province', NULL)",
            "INSERT INTO regions (code, name, level, parent) VALUES ('522600', '黔东南苗族侗族自治州', 'city', '520000')",
            "INSERT INTO regions (code, name, level, parent) VALUES ('522601', '凯里市', 'county', '522600')",
            "INSERT INTO indicators (code, name, unit, polarity, over_regions, over_time, periodicity, created_at, updated_at) \
             VALUES ('JK01', '健康产业营业收入', '万元', 'up', 'sum', 'sum', 'month', 0, 0)",
        ] {
            sqlx::query(AssertSqlSafe(sql)).execute(&pool).await.unwrap();
        }
        for (month, value) in [(1, 10.5), (2, 20.25), (5, 7.0)] {
            sqlx::query(
                "INSERT INTO indicator_values (indicator_id, region, year, month, value, source, updated_at) \
                 SELECT id, '522601', 2026, $1, $2, 'import', 0 FROM indicators WHERE code = 'JK01'",
            )
            .bind(month)
            .bind(value)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;

        // Opened by this version: 0017 runs and the figures hold.
        let store = Store::open(&db.url).await.unwrap();
        let id: i64 =
            sqlx::query_scalar("SELECT id FROM indicators WHERE code = 'JK01'").fetch_one(store.pool()).await.unwrap();
        let march = store.indicator_years("5226%", 2026, 3).await.unwrap();
        let row = march.iter().find(|r| r.0 == id && r.1 == "522601").expect("the county's year");
        assert_eq!((row.2, row.3, row.4, row.5, row.6), (2026, 30.75, 2, 2, 20.25), "sum, count and latest to March");
        let june = store.indicator_years("5226%", 2026, 6).await.unwrap();
        let row = june.iter().find(|r| r.0 == id && r.1 == "522601").unwrap();
        assert_eq!((row.3, row.4, row.5, row.6), (37.75, 3, 5, 7.0));
        let same = "指标代码,地区代码,期别,数值\nJK01,522601,2026-05,7\n";
        let stored = store.import_indicator_values(&office(), same.as_bytes(), NOW).await.unwrap();
        assert_eq!(stored.replaced, 0);
        let fix = "指标代码,地区代码,期别,数值\nJK01,522601,2026-02,20\n";
        assert_eq!(store.import_indicator_values(&office(), fix.as_bytes(), NOW).await.unwrap().replaced, 1);
        let june = store.indicator_years("5226%", 2026, 6).await.unwrap();
        let row = june.iter().find(|r| r.0 == id && r.1 == "522601").unwrap();
        assert_eq!((row.3, row.4), (37.5, 3), "the corrected month, the rest as migrated");
        store.close().await;
        db.drop_db().await;
    }
}
