//! The password and session policy, the security administrator's to set.

use crate::access::{Action, Actor};
use crate::db::Store;
use crate::error::{Reason, Result, StoreError};
use crate::history::Change;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Most characters of a password: enough for any passphrase, few enough
/// that hashing one costs what hashing any other does.
pub const MAX_PASSWORD: usize = 256;

/// The password and session rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// Least number of characters.
    pub min_length: u32,
    /// Least number of character classes (lower case, upper case, digits, others).
    pub min_classes: u32,
    /// Failed logins in a row that lock the account.
    pub max_failures: u32,
    /// How long a locked account stays locked.
    pub lockout_minutes: u32,
    /// Minutes without a request after which a session ends.
    pub idle_minutes: u32,
    /// Hours after which a session ends however busy it is.
    #[serde(default = "default_session_hours")]
    pub session_hours: u32,
}

fn default_session_hours() -> u32 {
    12
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 12,
            min_classes: 3,
            max_failures: 5,
            lockout_minutes: 15,
            idle_minutes: 30,
            session_hours: default_session_hours(),
        }
    }
}

impl PasswordPolicy {
    /// Checks a new password against the policy; the error says what is missing.
    pub fn check(&self, password: &str) -> Result<()> {
        let chars = password.chars().count() as u32;
        let classes = [
            password.chars().any(|c| c.is_lowercase()),
            password.chars().any(|c| c.is_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_alphanumeric() || (!c.is_ascii() && !c.is_lowercase() && !c.is_uppercase())),
        ]
        .into_iter()
        .filter(|x| *x)
        .count() as u32;
        if chars > MAX_PASSWORD as u32 {
            return Err(StoreError::invalid("password", Reason::TooLong { max: MAX_PASSWORD as i64 }));
        }
        if chars < self.min_length {
            return Err(StoreError::invalid(
                "password",
                Reason::PasswordTooShort { length: chars.into(), min: self.min_length.into() },
            ));
        }
        if classes < self.min_classes {
            return Err(StoreError::invalid(
                "password",
                Reason::PasswordTooSimple { classes: classes.into(), min: self.min_classes.into() },
            ));
        }
        Ok(())
    }

    fn validate(&self) -> Result<()> {
        let ranges = [
            ("min_length", self.min_length, 8, 128),
            ("min_classes", self.min_classes, 1, 4),
            ("max_failures", self.max_failures, 1, 100),
            ("lockout_minutes", self.lockout_minutes, 1, 24 * 60),
            ("idle_minutes", self.idle_minutes, 1, 24 * 60),
            ("session_hours", self.session_hours, 1, 72),
        ];
        for (field, value, lo, hi) in ranges {
            if !(lo..=hi).contains(&value) {
                return Err(StoreError::invalid(
                    field,
                    Reason::OutOfRange { value: value.into(), min: lo.into(), max: hi.into() },
                ));
            }
        }
        Ok(())
    }
}

impl Store {
    /// The password policy in force.
    pub async fn password_policy(&self) -> Result<PasswordPolicy> {
        let v: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'password_policy'")
            .fetch_optional(self.pool())
            .await?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok()).unwrap_or_default())
    }

    /// Sets the password policy (安全管理员 only).
    pub async fn set_password_policy(&self, actor: &Actor, policy: PasswordPolicy, now: i64) -> Result<PasswordPolicy> {
        actor.require(Action::ManageAccounts)?;
        policy.validate()?;
        let old = self.password_policy().await?;
        let json = serde_json::to_string(&policy).unwrap_or_default();
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM settings WHERE key = 'password_policy'").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('password_policy', $1)")
            .bind(&json)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, actor, Change::new("settings", 0, "password_policy", &old, &policy), now).await?;
        tx.commit().await?;
        Ok(policy)
    }
}
