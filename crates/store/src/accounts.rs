//! Accounts, roles, the password policy, logins and sessions.
//!
//! Passwords are stored as PHC strings (argon2id), beside the algorithm's
//! name, so that another algorithm can be added later. After too many failed
//! logins an account is locked for a while; a session ends after a time
//! without requests. The policy is the security administrator's to set.

use crate::access::{Action, Actor, Role};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::history::Change;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

/// How often a session's last-seen time is brought up to date.
const TOUCH_MS: i64 = 60_000;

/// The name stored beside each hash.
pub const ALGORITHM: &str = "argon2id";

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
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy { min_length: 12, min_classes: 3, max_failures: 5, lockout_minutes: 15, idle_minutes: 30 }
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

/// An account, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Roles held.
    pub roles: Vec<Role>,
    /// For a reporter: the units reported for.
    pub units: Vec<i64>,
    /// Locked until (ms since the epoch), after too many failed logins.
    pub locked_until: Option<i64>,
    /// When disabled, if it is.
    pub disabled_at: Option<i64>,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    password_hash: String,
    password_algo: String,
    failed_logins: i64,
    locked_until: Option<i64>,
    disabled_at: Option<i64>,
}

/// A new account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Login name (letters, digits, `_`, `-`, `.`; 3–64).
    pub username: String,
    /// Name shown (defaults to the login name).
    pub display_name: Option<String>,
    /// Initial password, checked against the policy.
    pub password: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// For a reporter: unit ids.
    #[serde(default)]
    pub units: Vec<i64>,
}

/// A change to an account.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// New roles.
    pub roles: Option<Vec<Role>>,
    /// New units.
    pub units: Option<Vec<i64>>,
    /// New password (a reset).
    pub password: Option<String>,
    /// Disable (`true`) or enable (`false`).
    pub disabled: Option<bool>,
    /// Lift a lockout now.
    pub unlock: Option<bool>,
    /// New display name.
    pub display_name: Option<String>,
}

/// Why a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    /// Unknown user or wrong password (not told apart, on purpose).
    BadCredentials,
    /// Locked after too many failures, until this time (ms).
    Locked(i64),
    /// The account is disabled.
    Disabled,
}

impl LoginRefusal {
    /// The refusal to show, at time `now`.
    pub fn reason(self, now: i64) -> Reason {
        match self {
            LoginRefusal::BadCredentials => Reason::BadCredentials {},
            LoginRefusal::Disabled => Reason::AccountDisabled {},
            LoginRefusal::Locked(until) => {
                Reason::AccountLocked { minutes: ((until - now) as f64 / 60_000.0).ceil() as i64 }
            }
        }
    }
}

/// A live session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The account.
    pub user: User,
    /// The token to send back in `X-CSRF-Token` on every change.
    pub csrf: String,
}

/// A new session's secrets.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSession {
    /// The cookie value (only its hash is stored).
    pub token: String,
    /// The CSRF token.
    pub csrf: String,
    /// The account.
    pub user: User,
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    bighealth_reader::sha256_hex(token.as_bytes())
}

/// Hashes a password (argon2id, a random salt); returns the PHC string.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

fn verify_password(algo: &str, hash: &str, password: &str) -> bool {
    match algo {
        ALGORITHM => PasswordHash::new(hash)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false),
        _ => false,
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

    async fn check_units(&self, units: &[i64]) -> Result<()> {
        for (i, u) in units.iter().enumerate() {
            self.unit(*u).await.map_err(|_| {
                StoreError::invalid(format!("units[{i}]"), Reason::Missing { object: Object::Unit, id: *u })
            })?;
        }
        Ok(())
    }

    /// Creates an account (安全管理员 only).
    pub async fn create_user(&self, actor: &Actor, new: &NewUser, now: i64) -> Result<User> {
        actor.require(Action::ManageAccounts)?;
        check::username(&new.username)?;
        check::roles(&new.roles)?;
        self.password_policy().await?.check(&new.password)?;
        self.check_units(&new.units).await?;
        if new.roles.contains(&Role::Reporter) && new.units.is_empty() {
            return Err(StoreError::invalid("units", Reason::ReporterNeedsUnit {}));
        }
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(&new.username)
            .fetch_optional(self.pool())
            .await?;
        if taken.is_some() {
            return Err(Reason::UsernameTaken { username: new.username.clone() }.on("username").into());
        }
        let hash = hash_password(&new.password);
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, password_algo, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(&new.username)
        .bind(new.display_name.as_deref().unwrap_or(&new.username))
        .bind(&hash)
        .bind(ALGORITHM)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for role in &new.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                .bind(id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
        }
        for unit in &new.units {
            sqlx::query("INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        let roles: Vec<&str> = new.roles.iter().map(|r| r.label()).collect();
        self.audit(
            &mut tx,
            actor,
            Event::ok(
                "create_user",
                &format!("user:{id}"),
                &format!("{}，角色：{}，单位：{:?}", new.username, roles.join("、"), new.units),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        self.user(id).await
    }

    /// Changes an account (安全管理员 only): roles, units, a password reset,
    /// disabling, lifting a lockout.
    pub async fn update_user(&self, actor: &Actor, id: i64, p: &UserPatch, now: i64) -> Result<User> {
        actor.require(Action::ManageAccounts)?;
        let user = self.user(id).await?;
        if let Some(roles) = &p.roles {
            if actor.user_id == Some(id) {
                return Err(Reason::OwnRoles {}.on("roles").into());
            }
            check::roles(roles)?;
        }
        if let Some(units) = &p.units {
            self.check_units(units).await?;
        }
        if let Some(pw) = &p.password {
            self.password_policy().await?.check(pw)?;
        }
        if p.disabled == Some(true) && actor.user_id == Some(id) {
            return Err(StoreError::invalid("disabled", Reason::DisableSelf {}));
        }
        let mut tx = self.write().await?;
        if let Some(roles) = &p.roles {
            sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            for role in roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            self.record(&mut tx, actor, Change::new("user", id, "roles", &user.roles, roles), now).await?;
        }
        if let Some(units) = &p.units {
            sqlx::query("DELETE FROM user_units WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            for unit in units {
                sqlx::query("INSERT INTO user_units (user_id, unit_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(unit)
                    .execute(&mut *tx)
                    .await?;
            }
            self.record(&mut tx, actor, Change::new("user", id, "units", &user.units, units), now).await?;
        }
        if let Some(pw) = &p.password {
            sqlx::query("UPDATE users SET password_hash = $1, password_algo = $2 WHERE id = $3")
                .bind(hash_password(pw))
                .bind(ALGORITHM)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.record(&mut tx, actor, Change::new("user", id, "password", "(hidden)", "(reset)"), now).await?;
        }
        if let Some(disabled) = p.disabled {
            sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
                .bind(disabled.then_some(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            self.record(
                &mut tx,
                actor,
                Change::new("user", id, "disabled", &user.disabled_at.is_some(), &disabled),
                now,
            )
            .await?;
        }
        if p.unlock == Some(true) {
            sqlx::query("UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.record(&mut tx, actor, Change::new("user", id, "locked_until", &user.locked_until, &None::<i64>), now)
                .await?;
        }
        if let Some(name) = &p.display_name {
            sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
                .bind(name)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.record(&mut tx, actor, Change::new("user", id, "display_name", &user.display_name, name), now).await?;
        }
        tx.commit().await?;
        self.user(id).await
    }

    /// One account.
    pub async fn user(&self, id: i64) -> Result<User> {
        let row = sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::User, id))?;
        self.user_of(row).await
    }

    async fn user_of(&self, row: UserRow) -> Result<User> {
        let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
            .bind(row.id)
            .fetch_all(self.pool())
            .await?;
        let units = sqlx::query_scalar("SELECT unit_id FROM user_units WHERE user_id = $1 ORDER BY unit_id")
            .bind(row.id)
            .fetch_all(self.pool())
            .await?;
        Ok(User {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            roles: roles.iter().filter_map(|r| Role::parse(r)).collect(),
            units,
            locked_until: row.locked_until,
            disabled_at: row.disabled_at,
        })
    }

    /// Every account (安全管理员 only).
    pub async fn users(&self, actor: &Actor) -> Result<Vec<User>> {
        actor.require(Action::ManageAccounts)?;
        let rows = sqlx::query_as::<_, UserRow>("SELECT * FROM users ORDER BY id").fetch_all(self.pool()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.user_of(row).await?);
        }
        Ok(out)
    }

    /// Checks a password and opens a session. Every attempt is audited.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        remote: &str,
        now: i64,
    ) -> Result<std::result::Result<NewSession, LoginRefusal>> {
        let policy = self.password_policy().await?;
        let row = sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        let who = Actor {
            user_id: row.as_ref().map(|r| r.id),
            username: username.chars().take(64).collect(),
            roles: vec![],
            units: vec![],
            remote: remote.into(),
        };
        let Some(row) = row else {
            // Spend the same time as a real check, so that names cannot be probed.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let _ = verify_password(ALGORITHM, DUMMY.get_or_init(|| hash_password("timing")), password);
            self.audit_now(
                &who,
                Event { action: "login", object: "user:?", detail: "用户名不存在", outcome: "failed" },
                now,
            )
            .await?;
            return Ok(Err(LoginRefusal::BadCredentials));
        };
        let object = format!("user:{}", row.id);
        if let Some(until) = row.locked_until
            && until > now
        {
            self.audit_now(
                &who,
                Event { action: "login", object: &object, detail: "账号锁定期间尝试登录", outcome: "denied" },
                now,
            )
            .await?;
            return Ok(Err(LoginRefusal::Locked(until)));
        }
        if !verify_password(&row.password_algo, &row.password_hash, password) {
            let failures = row.failed_logins + 1;
            let lock = failures >= i64::from(policy.max_failures);
            let until = now + i64::from(policy.lockout_minutes) * 60_000;
            let mut tx = self.write().await?;
            sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
                .bind(if lock { 0 } else { failures })
                .bind(if lock { Some(until) } else { None })
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            let detail = if lock {
                format!("密码错误（连续第 {failures} 次），账号锁定 {} 分钟", policy.lockout_minutes)
            } else {
                format!("密码错误（连续第 {failures} 次）")
            };
            self.audit(
                &mut tx,
                &who,
                Event { action: "login", object: &object, detail: &detail, outcome: "failed" },
                now,
            )
            .await?;
            tx.commit().await?;
            return Ok(Err(if lock { LoginRefusal::Locked(until) } else { LoginRefusal::BadCredentials }));
        }
        // Only one who knows the password learns that the account is disabled.
        if row.disabled_at.is_some() {
            self.audit_now(
                &who,
                Event { action: "login", object: &object, detail: "账号已停用", outcome: "denied" },
                now,
            )
            .await?;
            return Ok(Err(LoginRefusal::Disabled));
        }
        let token = random_token();
        let csrf = random_token();
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash(&token))
        .bind(row.id)
        .bind(&csrf)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        self.audit(&mut tx, &who, Event::ok("login", &object, ""), now).await?;
        tx.commit().await?;
        let user = self.user(row.id).await?;
        Ok(Ok(NewSession { token, csrf, user }))
    }

    /// The live session of `token`, touched; `None` when unknown, ended,
    /// idle too long (it is then ended), or its account disabled.
    pub async fn session(&self, token: &str, now: i64) -> Result<Option<Session>> {
        let hash = token_hash(token);
        let row: Option<(i64, String, i64, Option<i64>)> =
            sqlx::query_as("SELECT user_id, csrf_token, last_seen, ended_at FROM sessions WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(self.pool())
                .await?;
        let Some((user_id, csrf, last_seen, ended)) = row else { return Ok(None) };
        if ended.is_some() {
            return Ok(None);
        }
        let idle = i64::from(self.password_policy().await?.idle_minutes) * 60_000;
        if now - last_seen > idle {
            sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(self.pool())
                .await?;
            return Ok(None);
        }
        let user = self.user(user_id).await?;
        if user.disabled_at.is_some() {
            return Ok(None);
        }
        // Idle time is counted in minutes: touching the session at most once
        // a minute spares a write on every read.
        if now - last_seen >= TOUCH_MS {
            sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(self.pool())
                .await?;
        }
        Ok(Some(Session { user, csrf }))
    }

    /// Ends a session (logout).
    pub async fn end_session(&self, actor: &Actor, token: &str, now: i64) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL")
            .bind(now)
            .bind(token_hash(token))
            .execute(&mut *tx)
            .await?;
        let object = format!("user:{}", actor.user_id.unwrap_or_default());
        self.audit(&mut tx, actor, Event::ok("logout", &object, ""), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes one's own password, given the current one.
    pub async fn change_own_password(&self, actor: &Actor, old: &str, new: &str, now: i64) -> Result<()> {
        let id = actor.user_id.ok_or_else(|| StoreError::from(Reason::AccountRequired {}))?;
        let row = sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::User, id))?;
        if !verify_password(&row.password_algo, &row.password_hash, old) {
            return Err(StoreError::invalid("old_password", Reason::WrongOldPassword {}));
        }
        if old == new {
            return Err(StoreError::invalid("new_password", Reason::SamePassword {}));
        }
        self.password_policy().await?.check(new).map_err(|e| match e {
            StoreError::Refused(r) => StoreError::Refused(r.on("new_password")),
            e => e,
        })?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, password_algo = $2 WHERE id = $3")
            .bind(hash_password(new))
            .bind(ALGORITHM)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, actor, Change::new("user", id, "password", "(hidden)", "(changed)"), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The actor for a logged-in account.
    pub fn actor_of(user: &User, remote: &str) -> Actor {
        Actor {
            user_id: Some(user.id),
            username: user.username.clone(),
            roles: user.roles.clone(),
            units: user.units.clone(),
            remote: remote.into(),
        }
    }
}

/// A random password of 16 characters mixing all four character classes (for
/// new accounts made on the command line; the user changes it).
pub fn generate_password() -> String {
    const SETS: [&[u8]; 4] = [b"abcdefghijkmnpqrstuvwxyz", b"ABCDEFGHJKLMNPQRSTUVWXYZ", b"23456789", b"#%+-=@^_"];
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let set = SETS[if i < 4 { i } else { *b as usize % 4 }];
            set[(*b as usize / 4) % set.len()] as char
        })
        .collect()
}
