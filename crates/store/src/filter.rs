//! One way to filter a list of tasks, targets or projects: conditions with
//! their values, numbered and bound in order, so that the same filter counts
//! the rows, pages them and groups them. A condition names its own values
//! `$1`, `$2`…; the filter renumbers them after the conditions before it.
//! Column names and SQL are the code's own, never a user's; values are
//! always bound.

use sqlx::Arguments;
use sqlx::any::AnyArguments;

/// A value a filter binds: a number, a text, or nothing (the condition then
/// lets every row through).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A whole number, or none.
    Int(Option<i64>),
    /// A text, or none.
    Text(Option<String>),
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Value::Text(v.clone())
    }
}

/// The `FROM … WHERE …` of a list, with its values.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    from: String,
    conditions: Vec<String>,
    values: Vec<Value>,
}

/// `sql` with its `$1`, `$2`… moved up by `base`.
fn renumber(sql: &str, base: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|d| d.is_ascii_digit()) {
            let mut n = 0usize;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n * 10 + d as usize;
                chars.next();
            }
            out.push_str(&format!("${}", n + base));
        } else {
            out.push(c);
        }
    }
    out
}

impl Filter {
    /// A filter over `from` (`"tasks t"`).
    pub(crate) fn new(from: &str) -> Filter {
        Filter { from: from.into(), conditions: Vec::new(), values: Vec::new() }
    }

    /// Adds a condition; `$1`, `$2`… in `sql` stand for `values`, in order.
    pub(crate) fn when<const N: usize>(mut self, sql: &str, values: [Value; N]) -> Filter {
        self.conditions.push(renumber(sql, self.values.len()));
        self.values.extend(values);
        self
    }

    /// `FROM … WHERE …`.
    pub(crate) fn sql(&self) -> String {
        if self.conditions.is_empty() {
            format!("FROM {}", self.from)
        } else {
            format!("FROM {} WHERE {}", self.from, self.conditions.join(" AND "))
        }
    }

    /// `SELECT COUNT(*) FROM … WHERE …`, with its values.
    pub(crate) fn count(&self) -> (String, AnyArguments) {
        (format!("SELECT COUNT(*) {}", self.sql()), self.args(&[]))
    }

    /// `SELECT {columns} FROM … WHERE … ORDER BY {order}` of one page, with
    /// its values.
    pub(crate) fn page(&self, columns: &str, order: &str, limit: i64, offset: i64) -> (String, AnyArguments) {
        let (l, o) = (self.values.len() + 1, self.values.len() + 2);
        let sql = format!("SELECT {columns} {} ORDER BY {order} LIMIT ${l} OFFSET ${o}", self.sql());
        (sql, self.args(&[limit.into(), offset.into()]))
    }

    /// The filter's values, then `more`, ready to bind.
    pub(crate) fn args(&self, more: &[Value]) -> AnyArguments {
        let mut args = AnyArguments::default();
        for v in self.values.iter().chain(more) {
            // Adding a number or a text to the buffer cannot fail.
            let _ = match v {
                Value::Int(i) => args.add(*i),
                Value::Text(t) => args.add(t.clone()),
            };
        }
        args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_are_numbered_after_the_ones_before() {
        let f = Filter::new("tasks t")
            .when("($1 IS NULL OR t.plan_id = $1)", [Some(3).into()])
            .when("($1 IS NULL OR t.segment = $1) AND ($2 = 1)", [Value::Text(None), 0.into()]);
        assert_eq!(
            f.sql(),
            "FROM tasks t WHERE ($1 IS NULL OR t.plan_id = $1) AND ($2 IS NULL OR t.segment = $2) AND ($3 = 1)"
        );
        let (sql, args) = f.page("t.id", "t.id", 10, 0);
        assert!(sql.ends_with("ORDER BY t.id LIMIT $4 OFFSET $5"), "{sql}");
        assert_eq!(args.len(), 5);
        assert_eq!(f.args(&[10.into()]).len(), 4);
        assert_eq!(renumber("$10 and $2", 5), "$15 and $7");
    }
}
