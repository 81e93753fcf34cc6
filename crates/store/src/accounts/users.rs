//! Accounts: their roles, units and state, created and changed by the
//! security administrator.

use crate::access::{Action, Actor, Role};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use crate::history::Change;
use bighealth_rules::check;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::approvals::{Applied, RequestedChange};
use super::passwords::{ALGORITHM, hashed};

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
    /// For a third-party evaluator: the plan it was granted, and the last
    /// day of the grant (`2027-03-31`).
    pub grant: Option<crate::evaluation::Grant>,
    /// Locked until (ms since the epoch), after too many failed logins.
    pub locked_until: Option<i64>,
    /// When disabled, if it is.
    pub disabled_at: Option<i64>,
}

#[derive(FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) username: String,
    pub(crate) display_name: String,
    pub(crate) password_hash: String,
    pub(crate) password_algo: String,
    pub(crate) failed_logins: i64,
    pub(crate) locked_until: Option<i64>,
    pub(crate) disabled_at: Option<i64>,
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

impl Store {
    async fn check_units(&self, units: &[i64]) -> Result<()> {
        check::max_items("units", units.len(), check::ITEMS)?;
        for (i, u) in units.iter().enumerate() {
            self.unit(*u).await.map_err(|_| {
                StoreError::invalid(format!("units[{i}]"), Reason::Missing { object: Object::Unit, id: *u })
            })?;
        }
        Ok(())
    }

    /// Creates an account (安全管理员 only). An administrator's account
    /// waits for a second 安全管理员 ([`Applied::Pending`]).
    pub async fn create_user(&self, actor: &Actor, new: &NewUser, now: i64) -> Result<Applied<User>> {
        actor.require(Action::ManageAccounts)?;
        check::username(&new.username)?;
        check::roles(&new.roles)?;
        if let Some(name) = &new.display_name {
            check::max_chars("display_name", name, check::SHORT)?;
        }
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
        if actor.needs_second_approval(&[], &new.roles, false) {
            let change = RequestedChange::Create {
                username: new.username.clone(),
                display_name: new.display_name.clone(),
                roles: new.roles.clone(),
                units: new.units.clone(),
            };
            return Ok(Applied::Pending(self.request_account_change(actor, None, &change, now).await?));
        }
        self.insert_user(actor, new, now).await.map(Applied::Done)
    }

    /// Stores a new account, checked.
    pub(crate) async fn insert_user(&self, actor: &Actor, new: &NewUser, now: i64) -> Result<User> {
        let hash = hashed(&new.password).await;
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
    /// disabling, lifting a lockout. Granting an administrator's role, or
    /// resetting, re-enabling or unlocking an administrator, waits for a
    /// second 安全管理员 ([`Applied::Pending`]).
    pub async fn update_user(&self, actor: &Actor, id: i64, p: &UserPatch, now: i64) -> Result<Applied<User>> {
        actor.require(Action::ManageAccounts)?;
        let user = self.user(id).await?;
        if let Some(name) = &p.display_name {
            check::max_chars("display_name", name, check::SHORT)?;
        }
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
        let reopens = p.password.is_some() || p.disabled == Some(false) || p.unlock == Some(true);
        if actor.needs_second_approval(&user.roles, p.roles.as_deref().unwrap_or(&[]), reopens) {
            let change = RequestedChange::Update {
                roles: p.roles.clone(),
                units: p.units.clone(),
                reset: p.password.is_some(),
                disabled: p.disabled,
                unlock: p.unlock,
                display_name: p.display_name.clone(),
            };
            return Ok(Applied::Pending(self.request_account_change(actor, Some(id), &change, now).await?));
        }
        self.apply_user_patch(actor, &user, p, now).await.map(Applied::Done)
    }

    /// Applies a checked change to `user`.
    pub(crate) async fn apply_user_patch(&self, actor: &Actor, user: &User, p: &UserPatch, now: i64) -> Result<User> {
        let id = user.id;
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
                .bind(hashed(pw).await)
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
            sqlx::query("DELETE FROM login_failures WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
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
            grant: self.evaluator_grant(row.id).await?,
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

    /// The actor for a logged-in account.
    pub fn actor_of(user: &User, remote: &str) -> Actor {
        Actor {
            user_id: Some(user.id),
            username: user.username.clone(),
            roles: user.roles.clone(),
            units: user.units.clone(),
            plan: user.grant.as_ref().map(|g| g.plan_id),
            remote: remote.into(),
        }
    }
}
