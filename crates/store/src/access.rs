//! Who may do what: the roles of 三员分立 (separation of duties, as 等保2.0
//! level 3 asks of government systems) plus the users of the plan data.
//!
//! | role | may |
//! |---|---|
//! | 系统管理员 `system_admin` | read and change plans, units, tasks, targets, projects |
//! | 安全管理员 `security_admin` | create accounts, grant roles, set the password policy; read units (to bind reporters) |
//! | 审计员 `auditor` | read the audit log, nothing else |
//! | 填报员 `reporter` | read plan data; change what their units lead or are responsible for |
//! | 领导 `leader` | read plan data |
//!
//! Nobody can change or delete the audit log; only the auditor reads it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A role an account holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: the office; manages plans, units, projects and their data.
    SystemAdmin,
    /// 安全管理员: accounts, roles and the password policy.
    SecurityAdmin,
    /// 审计员: reads the audit log.
    Auditor,
    /// 填报员: a unit's reporter.
    Reporter,
    /// 领导: reads everything, changes nothing.
    Leader,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor, Role::Reporter, Role::Leader];

    /// The identifier stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::Auditor => "auditor",
            Role::Reporter => "reporter",
            Role::Leader => "leader",
        }
    }

    /// The Chinese name users know.
    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::Auditor => "审计员",
            Role::Reporter => "填报员",
            Role::Leader => "领导",
        }
    }

    /// Parses an identifier or a Chinese name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s || r.label() == s)
    }
}

/// The person (or local command) acting, as the store sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account, or `None` for a command run on the server itself.
    pub user_id: Option<i64>,
    /// The account name (or `local:<os user>` for commands).
    pub username: String,
    /// The roles held.
    pub roles: Vec<Role>,
    /// For a reporter: the units the account reports for.
    pub units: Vec<i64>,
    /// Where the request came from (an IP address, or `cli`).
    pub remote: String,
}

/// What an actor wants to do, for [`Actor::may`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read plans, tasks, targets, projects, findings.
    ReadPlans,
    /// Read the unit registry.
    ReadUnits,
    /// Import, correct, delete and restore plan data of any unit.
    ManagePlans,
    /// Correct the data of one's own units (a reporter).
    ReportOwn,
    /// Create accounts, grant roles, set the password policy.
    ManageAccounts,
    /// Read the audit log.
    ReadAudit,
}

impl Actor {
    /// The actor for a command run on the server's own machine (`bighealth
    /// import` acts as 系统管理员, `bighealth account` as 安全管理员); `what`
    /// names the command in the audit log.
    pub fn local(what: &str, role: Role) -> Actor {
        let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        Actor {
            user_id: None,
            username: format!("local:{user}"),
            roles: vec![role],
            units: vec![],
            remote: what.into(),
        }
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the actor may do `action` at all (a reporter's changes are
    /// further limited to their units: see [`Actor::may_change_units`]).
    pub fn may(&self, action: Action) -> bool {
        use Role::*;
        self.roles.iter().any(|role| match action {
            Action::ReadPlans => matches!(role, SystemAdmin | Reporter | Leader),
            Action::ReadUnits => matches!(role, SystemAdmin | Reporter | Leader | SecurityAdmin),
            Action::ManagePlans => matches!(role, SystemAdmin),
            Action::ReportOwn => matches!(role, SystemAdmin | Reporter),
            Action::ManageAccounts => matches!(role, SecurityAdmin),
            Action::ReadAudit => matches!(role, Auditor),
        })
    }

    /// Whether the actor may change a record held by `units` (its lead and
    /// responsible units, or a target's owner): a system administrator may
    /// change any; a reporter only one where a unit of theirs appears.
    pub fn may_change_units(&self, units: &[i64]) -> bool {
        self.may(Action::ManagePlans) || (self.has(Role::Reporter) && units.iter().any(|u| self.units.contains(u)))
    }
}
