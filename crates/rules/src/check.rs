//! What a field may hold: the checks the store runs before it writes, here
//! so that they can be tested without a database and reused by every form.

use crate::access::Role;
use crate::refusal::{Reason, Refusal};

/// Most characters of a short text: a name, a unit, a deadline, an indicator.
pub const SHORT: usize = 200;
/// Most characters of a long text: a note, a reason, a project's content.
pub const LONG: usize = 5_000;
/// Most entries of a list: a task's units, an account's units, aliases.
pub const ITEMS: usize = 100;

/// A text of at most `max` characters.
pub fn max_chars(field: &str, text: &str, max: usize) -> Result<(), Refusal> {
    if text.chars().count() <= max { Ok(()) } else { Err(Reason::TooLong { max: max as i64 }.on(field)) }
}

/// An optional text of at most `max` characters.
pub fn max_chars_opt(field: &str, text: &Option<Option<String>>, max: usize) -> Result<(), Refusal> {
    match text {
        Some(Some(t)) => max_chars(field, t, max),
        _ => Ok(()),
    }
}

/// A list of at most `max` entries.
pub fn max_items(field: &str, n: usize, max: usize) -> Result<(), Refusal> {
    if n <= max { Ok(()) } else { Err(Reason::TooMany { max: max as i64 }.on(field)) }
}

/// A plan year: between 1949 and 2100.
pub fn plan_year(field: &str, year: i64) -> Result<(), Refusal> {
    if (1949..=2100).contains(&year) { Ok(()) } else { Err(Reason::NotAPlanYear { year }.on(field)) }
}

/// A finite number.
pub fn number(field: &str, value: f64) -> Result<(), Refusal> {
    if value.is_finite() { Ok(()) } else { Err(Reason::NotANumber {}.on(field)) }
}

/// A finite number not below zero.
pub fn amount(field: &str, value: f64) -> Result<(), Refusal> {
    number(field, value)?;
    if value < 0.0 { Err(Reason::Negative {}.on(field)) } else { Ok(()) }
}

/// An `http://` or `https://` address of at most 500 characters, without spaces.
pub fn web_address(field: &str, url: &str) -> Result<(), Refusal> {
    max_chars(field, url, 500)?;
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !url.chars().any(char::is_whitespace) => Ok(()),
        _ => Err(Reason::NotAnAddress { value: url.chars().take(60).collect() }.on(field)),
    }
}

/// An e-mail address: one `@`, something before it, a dot after it, no spaces.
pub fn email(field: &str, address: &str) -> Result<(), Refusal> {
    max_chars(field, address, SHORT)?;
    let ok = match address.split_once('@') {
        Some((user, host)) => {
            !user.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
                && !address.chars().any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        }
        None => false,
    };
    if ok { Ok(()) } else { Err(Reason::NotAnEmail { value: address.chars().take(60).collect() }.on(field)) }
}

/// A text that is not blank.
pub fn not_empty(field: &str, text: &str) -> Result<(), Refusal> {
    if text.trim().is_empty() { Err(Reason::Empty {}.on(field)) } else { Ok(()) }
}

/// One of `allowed`.
pub fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<(), Refusal> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(Reason::NotOneOf { value: value.into(), allowed: allowed.join("、") }.on(field))
    }
}

/// A target's years as they would be after a change: the target year not
/// before the baseline year (`field` names the one being changed) nor the
/// plan's base year.
pub fn target_years(
    year: Option<i64>,
    baseline_year: Option<i64>,
    plan_base: Option<i64>,
    field: &str,
) -> Result<(), Refusal> {
    if let Some(y) = year {
        plan_year("year", y)?;
    }
    if let Some(b) = baseline_year {
        plan_year("baseline_year", b)?;
    }
    if let (Some(year), Some(baseline)) = (year, baseline_year)
        && year < baseline
    {
        return Err(Reason::TargetYearBeforeBaseline { year, baseline }.on(field));
    }
    if let (Some(year), Some(base)) = (year, plan_base)
        && year < base
        && field == "year"
    {
        return Err(Reason::TargetYearBeforeBase { year, base }.on("year"));
    }
    Ok(())
}

/// A range's top not below its value.
pub fn range(value: f64, max: Option<f64>) -> Result<(), Refusal> {
    match max {
        Some(max) if max < value => Err(Reason::RangeBelowValue { max, value }.on("value_max")),
        _ => Ok(()),
    }
}

/// A login name: 3–64 letters, digits, `_`, `-` or `.`.
pub fn username(name: &str) -> Result<(), Refusal> {
    let ok = (3..=64).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok { Ok(()) } else { Err(Reason::UsernameMalformed {}.on("username")) }
}

/// The roles of one account under 三员分立: 系统管理员, 安全管理员 and 审计员
/// are different accounts, each holding that one role; every account holds
/// at least one.
pub fn roles(roles: &[Role]) -> Result<(), Refusal> {
    // An evaluator's account is its own, as an administrator's is.
    let admin = roles
        .iter()
        .filter(|r| matches!(r, Role::SystemAdmin | Role::SecurityAdmin | Role::Auditor | Role::Evaluator))
        .count();
    if admin > 1 {
        Err(Reason::RolesSeparate {}.on("roles"))
    } else if admin == 1 && roles.len() > 1 {
        Err(Reason::RoleAlone {}.on("roles"))
    } else if roles.is_empty() {
        Err(Reason::NoRole {}.on("roles"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_years_are_checked_against_baseline_and_plan() {
        assert!(target_years(Some(2025), Some(2020), Some(2020), "year").is_ok());
        let e = target_years(Some(2019), Some(2020), None, "year").unwrap_err();
        assert_eq!(e.reason, Reason::TargetYearBeforeBaseline { year: 2019, baseline: 2020 });
        let e = target_years(Some(2019), None, Some(2020), "year").unwrap_err();
        assert_eq!(e.reason, Reason::TargetYearBeforeBase { year: 2019, base: 2020 });
        assert_eq!(e.field.as_deref(), Some("year"));
        let e = target_years(Some(1800), None, None, "year").unwrap_err();
        assert_eq!(e.reason, Reason::NotAPlanYear { year: 1800 });
    }

    #[test]
    fn amounts_and_ranges() {
        assert!(amount("investment_wan", 0.0).is_ok());
        assert_eq!(amount("investment_wan", -1.0).unwrap_err().reason, Reason::Negative {});
        assert_eq!(number("value", f64::NAN).unwrap_err().reason, Reason::NotANumber {});
        assert!(range(4.0, Some(5.0)).is_ok());
        assert_eq!(range(4.0, Some(3.0)).unwrap_err().field.as_deref(), Some("value_max"));
        assert!(username("ab").is_err());
        assert!(max_chars("deadline", &"年".repeat(SHORT), SHORT).is_ok());
        assert_eq!(
            max_chars("deadline", &"年".repeat(SHORT + 1), SHORT).unwrap_err().reason,
            Reason::TooLong { max: 200 }
        );
        assert_eq!(max_items("responsible", 7_000, ITEMS).unwrap_err().field.as_deref(), Some("responsible"));
        assert!(username("office.clerk-1").is_ok());
        assert!(one_of("state", "open", &["open", "resolved"]).is_ok());
        assert!(one_of("state", "x", &["open"]).is_err());
        assert_eq!(roles(&[Role::SystemAdmin, Role::Auditor]).unwrap_err().reason, Reason::RolesSeparate {});
        assert_eq!(roles(&[Role::Auditor, Role::Leader]).unwrap_err().reason, Reason::RoleAlone {});
        assert_eq!(roles(&[]).unwrap_err().reason, Reason::NoRole {});
        assert!(roles(&[Role::Reporter, Role::Leader]).is_ok());
        assert_eq!(roles(&[Role::Evaluator, Role::Leader]).unwrap_err().reason, Reason::RoleAlone {});
    }
}
