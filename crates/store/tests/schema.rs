//! The two migration folders define one schema: the same tables with the
//! same columns, in the same files.

use std::collections::BTreeMap;
use std::path::Path;

/// Table → its columns, from every `CREATE TABLE`, `DROP TABLE` and `ALTER
/// TABLE … RENAME TO` of a folder's files, in order: the schema they leave.
fn tables(folder: &str) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(folder);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    files.sort();
    let mut out = BTreeMap::new();
    for file in &files {
        let sql = std::fs::read_to_string(dir.join(file)).unwrap();
        // Drop comments, then take each statement that creates, drops or renames a table.
        let sql: String = sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        for stmt in sql.split(';') {
            let stmt = stmt.trim();
            if let Some(name) = stmt.strip_prefix("DROP TABLE ") {
                let name = name.trim().trim_start_matches("IF EXISTS ").trim();
                assert!(out.remove(name).is_some(), "{folder}/{file}: table {name} dropped before it was made");
                continue;
            }
            if let Some((from, to)) = stmt.strip_prefix("ALTER TABLE ").and_then(|rest| rest.split_once(" RENAME TO "))
            {
                let columns = out.remove(from.trim()).unwrap_or_else(|| panic!("{folder}/{file}: no table {from}"));
                out.insert(to.trim().to_string(), columns);
                continue;
            }
            let Some(rest) = stmt.strip_prefix("CREATE TABLE ") else { continue };
            let (name, body) = rest.split_once('(').unwrap_or_else(|| panic!("{file}: {stmt}"));
            let body = &body[..body.rfind(')').unwrap_or(body.len())];
            // Split on commas outside parentheses.
            let (mut depth, mut parts, mut cur) = (0, Vec::new(), String::new());
            for c in body.chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(std::mem::take(&mut cur));
                        continue;
                    }
                    _ => {}
                }
                cur.push(c);
            }
            parts.push(cur);
            let columns: Vec<String> = parts
                .iter()
                .filter_map(|p| p.split_whitespace().next())
                .filter(|w| !["PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "CONSTRAINT"].contains(w))
                .map(str::to_string)
                .collect();
            let name = name.trim().trim_start_matches("IF NOT EXISTS ").to_string();
            assert!(out.insert(name.clone(), columns).is_none(), "{folder}: table {name} is created twice");
        }
    }
    (files, out)
}

#[test]
fn both_migration_folders_define_the_same_tables_and_columns() {
    let (sqlite_files, sqlite) = tables("sqlite");
    let (postgres_files, postgres) = tables("postgres");
    assert_eq!(sqlite_files, postgres_files, "the same migration files on both backends");
    assert!(sqlite.len() >= 10, "the schema was read: {:?}", sqlite.keys());
    assert_eq!(sqlite.keys().collect::<Vec<_>>(), postgres.keys().collect::<Vec<_>>(), "the same tables");
    for (table, columns) in &sqlite {
        assert_eq!(columns, &postgres[table], "table {table}: the same columns in the same order");
    }
}
