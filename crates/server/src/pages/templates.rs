//! The page templates (minijinja, strict about undefined values), compiled
//! into the binary, and the filters they use to show numbers and times.

use super::{PageError, PageResult};
use crate::error::ApiError;
use axum::response::Html;
use bighealth_rules::labels;
use bighealth_rules::refusal::Reason;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use std::sync::OnceLock;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        /// Every template: (name, source).
        pub const TEMPLATES: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../templates/", $name)))),*];
    };
}

templates!(
    "base.html",
    "macros.html",
    "error.html",
    "session/login.html",
    "plans/plans.html",
    "plans/upload.html",
    "review/review.html",
    "review/items.html",
    "review/project.html",
    "review/task.html",
    "review/task_form.html",
    "review/target.html",
    "review/target_form.html",
    "review/finding.html",
    "review/unit.html",
    "review/history.html",
    "proposals/proposals.html",
    "proposals/proposal.html",
    "tasks/tasks.html",
    "tasks/my.html",
    "targets/targets.html",
    "targets/compare.html",
    "projects/projects.html",
    "overview/overview.html",
    "overview/plan_overview.html",
    "overview/plan_rows.html",
    "accounts/accounts.html",
    "accounts/account.html",
    "audit/audit.html",
    "session/password.html",
    "reporting/index.html",
    "reporting/calendar.html",
    "reporting/queue.html",
    "reporting/form.html",
    "reporting/parts.html",
    "reporting/versions.html",
    "supervision/macros.html",
    "supervision/ledger.html",
    "supervision/inbox.html",
    "supervision/alerts.html",
    "supervision/item.html",
    "supervision/new.html",
    "supervision/rules.html",
    "analysis/macros.html",
    "analysis/plans.html",
    "analysis/plan.html",
    "analysis/quarterly.html",
    "analysis/midterm.html",
    "statistics/region.html",
    "statistics/indicators.html",
    "statistics/enterprises.html",
    "statistics/enterprise.html",
    "assessment/plans.html",
    "assessment/year.html",
    "assessment/unit.html",
    "assessment/scheme.html",
    "public/plan.html",
    "public/settings.html",
    "evaluation/plan.html",
);

pub use bighealth_rules::labels::number;

/// Investment in 万元 with thousands separators: 123456.5 → "123,456.5".
pub fn wan(v: f64) -> String {
    let s = number((v * 100.0).round() / 100.0);
    let (int, frac) = s.split_once('.').map(|(a, b)| (a, Some(b))).unwrap_or((&s, None));
    let (sign, digits) = int.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", int));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A sum of money kept in 万元, as an office writes a total: 1 亿元 and more
/// in 亿元 with two decimals (279.06 亿元), less in 万元 with separators.
pub fn money(wan_value: f64) -> String {
    if wan_value.abs() >= 10_000.0 {
        format!("{} 亿元", wan((wan_value / 100.0).round() / 100.0))
    } else {
        format!("{} 万元", wan(wan_value))
    }
}

/// A time stored as milliseconds, in China Standard Time: "2026-11-25 09:30".
pub fn datetime(ms: i64) -> String {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| ms.to_string())
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            // Kept out of the environment; rendering it then says why.
            tracing::error!("template {name}: {e:#}");
        }
    }
    env.add_filter("num", |v: Option<f64>| v.map(number).unwrap_or_default());
    env.add_filter("wan", |v: Option<f64>| v.map(wan).unwrap_or_default());
    env.add_filter("money", |v: Option<f64>| v.map(money).unwrap_or_default());
    env.add_filter("datetime", |v: Option<i64>| v.map(datetime).unwrap_or_default());
    env.add_filter("shown", |v: minijinja::Value| labels::value(&serde_json::to_value(&v).unwrap_or_default()));
    // The Chinese names of the codes users see (bighealth_rules::labels).
    env.add_filter("finding_kind", |c: String| labels::finding_kind(&c));
    env.add_filter("field_label", |c: String| labels::field(&c));
    env.add_filter("state_label", |c: String| labels::state(&c));
    env.add_filter("outcome", |c: String| labels::outcome(&c));
    env.add_filter("audit_action", |c: String| labels::audit_action(&c));
    env.add_filter("object_kind", |c: String| labels::object_kind(&c));
    env.add_filter("role_label", |c: String| labels::role(&c));
    env.add_filter("status_default", |c: String| bighealth_rules::reporting::entry::status_label(&c));
    env
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(environment)
}

/// Renders template `name` with `ctx` to a string.
pub fn render_str(name: &str, ctx: impl Serialize) -> Result<String, minijinja::Error> {
    env().get_template(name)?.render(ctx)
}

/// Renders template `name` with `ctx` as an HTML answer.
pub fn render(name: &str, ctx: impl Serialize) -> PageResult<Html<String>> {
    render_str(name, ctx).map(Html).map_err(|e| {
        tracing::error!("rendering {name}: {e:#}");
        PageError::Api(ApiError::from(Reason::Internal {}))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "template {name} does not compile");
        }
    }

    /// A template file left out of the list would only show as a 500 when
    /// its page is rendered.
    #[test]
    fn every_template_file_is_listed() {
        fn files(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    files(&path, root, out);
                } else if path.extension().is_some_and(|e| e == "html") {
                    out.push(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut found = Vec::new();
        files(&root, &root, &mut found);
        found.sort();
        let mut listed: Vec<String> = TEMPLATES.iter().map(|(name, _)| name.to_string()).collect();
        listed.sort();
        assert_eq!(found, listed, "templates/ and the list in pages/templates.rs differ");
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number(85.0), "85");
        assert_eq!(number(3.5), "3.5");
        assert_eq!(number(0.123456), "0.1235");
        assert_eq!(wan(1234567.0), "1,234,567");
        assert_eq!(wan(-1234.5), "-1,234.5");
        assert_eq!(wan(999.0), "999");
        assert_eq!(money(2_790_637.0), "279.06 亿元");
        assert_eq!(money(12_345.0), "1.23 亿元");
        assert_eq!(money(8_600.5), "8,600.5 万元");
        assert_eq!(datetime(0), "1970-01-01 08:00");
    }
}
