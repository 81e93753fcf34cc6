//! Logins and sessions: failed logins lock an account for a while; a
//! session ends after a time without requests.

use crate::access::Actor;
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::history::Change;

use super::passwords::{ALGORITHM, hash_password, hashed, random_token, token_hash, verified};
use super::users::{User, UserRow};

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginRefusal {
    /// Unknown user or wrong password (not told apart, on purpose).
    BadCredentials,
    /// Locked after too many failures, until this time (ms).
    Locked(i64),
    /// The account is disabled.
    Disabled,
    /// A third-party evaluator whose grant ended on this day.
    GrantEnded(String),
    /// A third-party evaluator granted no plan.
    NotGranted,
}

/// How often, at most, a session's last request is written.
const TOUCH_MS: i64 = 1_000;

impl LoginRefusal {
    /// The refusal to show.
    pub fn reason(self) -> Reason {
        match self {
            LoginRefusal::BadCredentials => Reason::BadCredentials {},
            LoginRefusal::Disabled => Reason::AccountDisabled {},
            // Answered as a wrong password: whether an account exists, and
            // whether it is locked, is nothing a guesser may learn. The lock is
            // in the audit log, and the 安全管理员 sees it.
            LoginRefusal::Locked(_) => Reason::BadCredentials {},
            // Said only to one who knows the password.
            LoginRefusal::GrantEnded(until) => Reason::EvaluatorExpired { until },
            LoginRefusal::NotGranted => Reason::EvaluatorNotGranted {},
        }
    }
}

/// Why `user` may not be logged in at `now`, if it is a third-party
/// evaluator whose grant has not begun or has ended.
fn evaluator_refusal(user: &User, now: i64) -> Option<LoginRefusal> {
    if !user.roles.contains(&bighealth_rules::Role::Evaluator) {
        return None;
    }
    match &user.grant {
        None => Some(LoginRefusal::NotGranted),
        Some(g) if g.ended(now) => Some(LoginRefusal::GrantEnded(g.valid_until.clone())),
        Some(_) => None,
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

/// How many times the per-address limit of failures an account may fail
/// from all addresses together before it locks for everyone.
pub const ACCOUNT_FACTOR: i64 = 10;

impl Store {
    /// Checks a password and opens a session. Every attempt is audited.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        remote: &str,
        now: i64,
    ) -> Result<std::result::Result<NewSession, LoginRefusal>> {
        let row = sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(self.pool())
            .await?;
        let who = Actor {
            user_id: row.as_ref().map(|r| r.id),
            username: username.chars().take(64).collect(),
            roles: vec![],
            units: vec![],
            plan: None,
            remote: remote.into(),
        };
        let Some(row) = row else {
            // Spend the same time as a real check, so that names cannot be probed.
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let probe = if password.chars().count() > super::policy::MAX_PASSWORD { "" } else { password };
            let _ = verified(ALGORITHM, DUMMY.get_or_init(|| hash_password("timing")), probe).await;
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
        if let Some(until) = self.address_locked(row.id, remote, now).await? {
            self.audit_now(
                &who,
                Event {
                    action: "login", object: &object, detail: "该地址锁定期间尝试登录", outcome: "denied"
                },
                now,
            )
            .await?;
            return Ok(Err(LoginRefusal::Locked(until)));
        }
        // A password longer than any the policy allows is wrong without hashing it.
        let too_long = password.chars().count() > super::policy::MAX_PASSWORD;
        if too_long || !verified(&row.password_algo, &row.password_hash, password).await {
            let locked = self.wrong_password(&who, &row, "login", now).await?;
            return Ok(Err(locked.map_or(LoginRefusal::BadCredentials, LoginRefusal::Locked)));
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
        // A third-party evaluator logs in only while the office's grant runs.
        if let Some(refusal) = evaluator_refusal(&self.user(row.id).await?, now) {
            let detail = match &refusal {
                LoginRefusal::GrantEnded(until) => format!("第三方评估授权已于 {until} 结束"),
                _ => "第三方评估账号尚未授权".to_string(),
            };
            self.audit_now(&who, Event { action: "login", object: &object, detail: &detail, outcome: "denied" }, now)
                .await?;
            return Ok(Err(refusal));
        }
        let token = random_token();
        let csrf = random_token();
        let mut tx = self.write().await?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM login_failures WHERE user_id = $1 AND address = $2")
            .bind(row.id)
            .bind(remote)
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
        let row: Option<(i64, String, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT user_id, csrf_token, created_at, last_seen, ended_at FROM sessions WHERE token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(self.pool())
        .await?;
        let Some((user_id, csrf, created, last_seen, ended)) = row else { return Ok(None) };
        if ended.is_some() {
            return Ok(None);
        }
        let policy = self.password_policy().await?;
        let idle = i64::from(policy.idle_minutes) * 60_000;
        let lifetime = i64::from(policy.session_hours) * 3_600_000;
        let expired = now - last_seen > idle || now - created > lifetime;
        let user = if expired { None } else { Some(self.user(user_id).await?) };
        // A third-party evaluator's sessions end with its grant.
        let Some(user) = user.filter(|u| evaluator_refusal(u, now).is_none()) else {
            sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(self.pool())
                .await?;
            return Ok(None);
        };
        if user.disabled_at.is_some() {
            return Ok(None);
        }
        // Idle time is counted to the request, to the second: a session in
        // use is written at most once a second, not on every request (a
        // write each time cost SQLite a third of its throughput under load).
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

    /// Counts a wrong password against the account `row` — at the policy's
    /// limit the account locks and its sessions end — and audits it as a
    /// failed `action`. Returns when the lock ends, if it locked.
    async fn wrong_password(&self, who: &Actor, row: &UserRow, action: &str, now: i64) -> Result<Option<i64>> {
        let policy = self.password_policy().await?;
        let window = i64::from(policy.lockout_minutes) * 60_000;
        let until = now + window;
        let max = i64::from(policy.max_failures);
        let mut tx = self.write().await?;
        // This address's failures in a row for the account (forgiven after
        // a quiet lockout's length).
        let pair: Option<(i64, i64)> =
            sqlx::query_as("SELECT failures, last_at FROM login_failures WHERE user_id = $1 AND address = $2")
                .bind(row.id)
                .bind(&who.remote)
                .fetch_optional(&mut *tx)
                .await?;
        let here = match pair {
            Some((f, last)) if now - last <= window => f + 1,
            _ => 1,
        };
        let here_locked = here >= max;
        sqlx::query("DELETE FROM login_failures WHERE user_id = $1 AND address = $2")
            .bind(row.id)
            .bind(&who.remote)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_failures (user_id, address, failures, locked_until, last_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id)
        .bind(&who.remote)
        .bind(if here_locked { 0 } else { here })
        .bind(if here_locked { Some(until) } else { None })
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Every address together: guessing spread over many addresses locks
        // the account for everyone.
        let total = row.failed_logins + 1;
        let all_locked = total >= max * ACCOUNT_FACTOR;
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = COALESCE($2, locked_until) WHERE id = $3")
            .bind(if all_locked { 0 } else { total })
            .bind(if all_locked { Some(until) } else { None })
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        let minutes = policy.lockout_minutes;
        let detail = if all_locked {
            format!("密码错误（各地址合计第 {total} 次），账号锁定 {minutes} 分钟")
        } else if here_locked {
            format!("密码错误（该地址连续第 {here} 次），该地址登录此账号锁定 {minutes} 分钟")
        } else {
            format!("密码错误（该地址连续第 {here} 次）")
        };
        let object = format!("user:{}", row.id);
        self.audit(&mut tx, who, Event { action, object: &object, detail: &detail, outcome: "failed" }, now).await?;
        tx.commit().await?;
        Ok((here_locked || all_locked).then_some(until))
    }

    /// Until when `address` may not log in to account `user_id`, if it is
    /// locked for it.
    async fn address_locked(&self, user_id: i64, address: &str, now: i64) -> Result<Option<i64>> {
        let until: Option<Option<i64>> =
            sqlx::query_scalar("SELECT locked_until FROM login_failures WHERE user_id = $1 AND address = $2")
                .bind(user_id)
                .bind(address)
                .fetch_optional(self.pool())
                .await?;
        Ok(until.flatten().filter(|u| *u > now))
    }

    /// Changes one's own password, given the current one. A wrong current
    /// password counts toward the lockout as a failed login does; a change
    /// ends every other session of the account (`keep` is the session it
    /// was made from).
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        old: &str,
        new: &str,
        keep: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let id = actor.user_id.ok_or_else(|| StoreError::from(Reason::AccountRequired {}))?;
        let row = sqlx::query_as::<_, UserRow>("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::User, id))?;
        if old.chars().count() > super::policy::MAX_PASSWORD
            || !verified(&row.password_algo, &row.password_hash, old).await
        {
            // Whoever holds this session and keeps guessing the password
            // is logged out with the lock; the account's other sessions stay.
            if self.wrong_password(actor, &row, "change_password", now).await?.is_some()
                && let Some(token) = keep
            {
                sqlx::query("UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL")
                    .bind(now)
                    .bind(token_hash(token))
                    .execute(self.pool())
                    .await?;
            }
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
            .bind(hashed(new).await)
            .bind(ALGORITHM)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL AND token_hash <> $3")
            .bind(now)
            .bind(id)
            .bind(keep.map(token_hash).unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        self.record(&mut tx, actor, Change::new("user", id, "password", "(hidden)", "(changed)"), now).await?;
        tx.commit().await?;
        Ok(())
    }
}
