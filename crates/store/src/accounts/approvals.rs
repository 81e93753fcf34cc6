//! 三员分立 with two keys: a change that makes or reopens an administrator's
//! account — creating a 系统管理员, 安全管理员 or 审计员, granting such a role,
//! resetting the password of, re-enabling or unlocking one — is requested by
//! one 安全管理员 and carried out when a second approves it. The request keeps
//! no password: approving a new account or a reset generates one, shown once
//! to the approver. Requests and decisions are audited, and the audit page
//! raises them to the auditor. Commands on the server's own machine need no
//! second key (`bighealth account`).

use crate::access::{Action, Actor, Role};
use crate::audit::Event;
use crate::db::Store;
use crate::error::{Object, Reason, Result, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use utoipa::ToSchema;

use super::passwords::generate_password;
use super::users::{NewUser, User, UserPatch};

/// What a change to an account came to: done, or waiting for a second
/// 安全管理员.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Applied<T> {
    /// Done.
    Done(T),
    /// Waiting for a second 安全管理员.
    Pending(AccountRequest),
}

impl<T> Applied<T> {
    /// The result of a change that cannot wait (a command on the server's
    /// own machine, which needs no second key).
    pub fn done(self) -> Result<T> {
        match self {
            Applied::Done(t) => Ok(t),
            Applied::Pending(r) => Err(Reason::AwaitingApproval { id: r.id }.into()),
        }
    }
}

/// A requested change, kept without any password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequestedChange {
    /// A new account.
    Create {
        /// Login name.
        username: String,
        /// Name shown.
        display_name: Option<String>,
        /// Roles.
        roles: Vec<Role>,
        /// Units.
        units: Vec<i64>,
    },
    /// A change to an account.
    Update {
        /// New roles.
        roles: Option<Vec<Role>>,
        /// New units.
        units: Option<Vec<i64>>,
        /// A new password, generated on approval.
        reset: bool,
        /// Disable or enable.
        disabled: Option<bool>,
        /// Lift a lockout.
        unlock: Option<bool>,
        /// New display name.
        display_name: Option<String>,
    },
}

impl RequestedChange {
    /// In words, for the page and the audit log.
    fn summary(&self, username: &str) -> String {
        let roles = |r: &[Role]| r.iter().map(|r| r.label()).collect::<Vec<_>>().join("、");
        match self {
            RequestedChange::Create { username, roles: r, .. } => format!("新建账号 {username}（{}）", roles(r)),
            RequestedChange::Update { roles: r, reset, disabled, unlock, .. } => {
                let mut parts = Vec::new();
                if let Some(r) = r {
                    parts.push(format!("角色改为 {}", roles(r)));
                }
                if *reset {
                    parts.push("重置密码".to_string());
                }
                match disabled {
                    Some(true) => parts.push("停用".to_string()),
                    Some(false) => parts.push("启用".to_string()),
                    None => {}
                }
                if *unlock == Some(true) {
                    parts.push("解锁".to_string());
                }
                format!("账号 {username}：{}", parts.join("；"))
            }
        }
    }
}

/// A change to an administrator's account, and its decision.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AccountRequest {
    /// Id.
    pub id: i64,
    /// The account changed (none for a new one).
    pub user_id: Option<i64>,
    /// The change in words.
    pub summary: String,
    /// `pending`, `approved` or `rejected`.
    pub state: String,
    /// Who asked.
    pub requested_by: Option<i64>,
    /// Their name.
    pub requested_by_name: Option<String>,
    /// When (ms).
    pub requested_at: i64,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// Their name.
    pub decided_by_name: Option<String>,
    /// When (ms).
    pub decided_at: Option<i64>,
}

#[derive(FromRow)]
struct RequestRow {
    id: i64,
    user_id: Option<i64>,
    change: String,
    summary: String,
    state: String,
    requested_by: Option<i64>,
    requested_by_name: Option<String>,
    requested_at: i64,
    decided_by: Option<i64>,
    decided_by_name: Option<String>,
    decided_at: Option<i64>,
}

impl From<&RequestRow> for AccountRequest {
    fn from(r: &RequestRow) -> Self {
        AccountRequest {
            id: r.id,
            user_id: r.user_id,
            summary: r.summary.clone(),
            state: r.state.clone(),
            requested_by: r.requested_by,
            requested_by_name: r.requested_by_name.clone(),
            requested_at: r.requested_at,
            decided_by: r.decided_by,
            decided_by_name: r.decided_by_name.clone(),
            decided_at: r.decided_at,
        }
    }
}

/// An approval's result: the request, and the password it generated (a new
/// account or a reset), shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Decided {
    /// The request, decided.
    pub request: AccountRequest,
    /// The generated password, if the change made one.
    pub password: Option<String>,
    /// The account as it now is.
    pub user: Option<User>,
}

const SELECT: &str = "SELECT r.id, r.user_id, r.change, r.summary, r.state, r.requested_by, \
     a.username AS requested_by_name, r.requested_at, r.decided_by, d.username AS decided_by_name, r.decided_at \
     FROM account_requests r LEFT JOIN users a ON a.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by";

impl Store {
    /// Records a change to an administrator's account for a second
    /// 安全管理员 to decide.
    pub(crate) async fn request_account_change(
        &self,
        actor: &Actor,
        user: Option<i64>,
        change: &RequestedChange,
        now: i64,
    ) -> Result<AccountRequest> {
        let username = match user {
            Some(id) => self.user(id).await?.username,
            None => String::new(),
        };
        let summary = change.summary(&username);
        let json = serde_json::to_string(change).unwrap_or_default();
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO account_requests (user_id, change, summary, state, requested_by, requested_at) \
             VALUES ($1, $2, $3, 'pending', $4, $5) RETURNING id",
        )
        .bind(user)
        .bind(&json)
        .bind(&summary)
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let object = user.map(|u| format!("user:{u}")).unwrap_or_else(|| "user:?".into());
        let detail = format!("申请 {id}：{summary}");
        self.audit(&mut tx, actor, Event::ok("request_account_change", &object, &detail), now).await?;
        tx.commit().await?;
        self.account_request(id).await
    }

    /// One request.
    pub async fn account_request(&self, id: i64) -> Result<AccountRequest> {
        Ok(AccountRequest::from(&self.request_row(id).await?))
    }

    async fn request_row(&self, id: i64) -> Result<RequestRow> {
        sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| StoreError::not_found(Object::AccountRequest, id))
    }

    /// The requests, pending first, newest first (安全管理员 only).
    pub async fn account_requests(&self, actor: &Actor) -> Result<Vec<AccountRequest>> {
        actor.require(Action::ManageAccounts)?;
        let rows = sqlx::query_as::<_, RequestRow>(sqlx::AssertSqlSafe(format!(
            "{SELECT} ORDER BY CASE WHEN r.state = 'pending' THEN 0 ELSE 1 END, r.id DESC"
        )))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(AccountRequest::from).collect())
    }

    /// A second 安全管理员 approves (the change is made; a new account or a
    /// reset gets a generated password, returned once) or rejects a request.
    pub async fn decide_account_request(&self, actor: &Actor, id: i64, approve: bool, now: i64) -> Result<Decided> {
        actor.require(Action::ManageAccounts)?;
        let row = self.request_row(id).await?;
        if row.state != "pending" {
            return Err(Reason::RequestDecided { id }.into());
        }
        if actor.user_id.is_some() && row.requested_by == actor.user_id {
            return Err(Reason::OwnRequest {}.into());
        }
        let change: RequestedChange = serde_json::from_str(&row.change)
            .map_err(|e| StoreError::invalid("change", Reason::JsonField { detail: e.to_string() }))?;
        let (mut password, mut user) = (None, None);
        if approve {
            match change {
                RequestedChange::Create { username, display_name, roles, units } => {
                    let p = generate_password();
                    let new = NewUser { username, display_name, password: p.clone(), roles, units };
                    user = Some(self.insert_user(actor, &new, now).await?);
                    password = Some(p);
                }
                RequestedChange::Update { roles, units, reset, disabled, unlock, display_name } => {
                    let target = self.user(row.user_id.unwrap_or_default()).await?;
                    let p = reset.then(generate_password);
                    let patch = UserPatch { roles, units, password: p.clone(), disabled, unlock, display_name };
                    user = Some(self.apply_user_patch(actor, &target, &patch, now).await?);
                    password = p;
                }
            }
        }
        let state = if approve { "approved" } else { "rejected" };
        let mut tx = self.write().await?;
        sqlx::query("UPDATE account_requests SET state = $1, decided_by = $2, decided_at = $3 WHERE id = $4")
            .bind(state)
            .bind(actor.user_id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let object = row.user_id.or(user.as_ref().map(|u| u.id)).map(|u| format!("user:{u}"));
        let action = if approve { "approve_account_change" } else { "reject_account_change" };
        let detail = format!("申请 {id}：{}", row.summary);
        self.audit(&mut tx, actor, Event::ok(action, object.as_deref().unwrap_or("user:?"), &detail), now).await?;
        tx.commit().await?;
        Ok(Decided { request: self.account_request(id).await?, password, user })
    }
}
