//! The names people know records by, for pages that would otherwise show an
//! id: the audit log's objects (`unit:5` → 区卫生健康委), a history's units.

use crate::db::Store;
use crate::error::Result;
use std::collections::HashMap;

/// Per kind of record: the query that names one by id.
const NAMERS: [(&str, &str); 6] = [
    ("user", "SELECT username FROM users WHERE id = $1"),
    ("unit", "SELECT name FROM units WHERE id = $1"),
    ("plan", "SELECT COALESCE(title, file_name) FROM plans WHERE id = $1"),
    ("task", "SELECT path || ' ' || title FROM tasks WHERE id = $1"),
    ("target", "SELECT indicator FROM targets WHERE id = $1"),
    ("project", "SELECT name FROM projects WHERE id = $1"),
];

impl Store {
    /// The names of `objects` given as `kind:id` (`unit:5`); objects of other
    /// kinds, or gone, are left out.
    pub async fn object_names(&self, objects: &[&str]) -> Result<HashMap<String, String>> {
        let mut names = HashMap::new();
        for object in objects {
            if names.contains_key(*object) {
                continue;
            }
            let Some((kind, id)) = object.split_once(':') else { continue };
            let (Some((_, sql)), Ok(id)) = (NAMERS.iter().find(|(k, _)| *k == kind), id.parse::<i64>()) else {
                continue;
            };
            let name: Option<String> = sqlx::query_scalar(*sql).bind(id).fetch_optional(self.pool()).await?;
            if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                names.insert(object.to_string(), name.trim().to_string());
            }
        }
        Ok(names)
    }
}
