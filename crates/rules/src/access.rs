//! Who may do what: the roles of 三员分立 (separation of duties, as 等保2.0
//! level 3 asks of government systems) plus the users of the plan data.
//!
//! | role | may |
//! |---|---|
//! | 系统管理员 `system_admin` | read and change plans, units, tasks, targets, projects |
//! | 安全管理员 `security_admin` | create accounts, grant roles, set the password policy; read units (to bind reporters) |
//! | 审计员 `auditor` | read the audit log, nothing else |
//! | 填报员 `reporter` | read plan data; propose changes to what their units lead or are responsible for |
//! | 领导 `leader` | read plan data |
//! | 第三方评估机构 `evaluator` | read one plan's data until the day the office granted, upload its evaluation |
//!
//! Nobody can change or delete the audit log; only the auditor reads it.
//!
//! The plan as issued is the office's: a reporter changes none of it
//! directly and deletes nothing; it proposes a change with a reason
//! ([`Action::Propose`]) and the office decides. Each check answers a
//! [`Reason`] the store hands back unchanged.

use crate::refusal::{Object, Reason};
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
    /// 第三方评估机构: reads the one plan the office granted, until a day,
    /// and uploads its evaluation.
    Evaluator,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] =
        [Role::SystemAdmin, Role::SecurityAdmin, Role::Auditor, Role::Reporter, Role::Leader, Role::Evaluator];

    /// The identifier stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::Auditor => "auditor",
            Role::Reporter => "reporter",
            Role::Leader => "leader",
            Role::Evaluator => "evaluator",
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
            Role::Evaluator => "第三方评估机构",
        }
    }

    /// Parses an identifier or a Chinese name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s || r.label() == s)
    }
}

/// The person (or local command) acting, as the store sees them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    /// The account, or `None` for a command run on the server itself.
    pub user_id: Option<i64>,
    /// The account name (or `local:<os user>` for commands).
    pub username: String,
    /// The roles held.
    pub roles: Vec<Role>,
    /// For a reporter: the units the account reports for.
    pub units: Vec<i64>,
    /// For a third-party evaluator: the one plan it may read, while its grant runs.
    pub plan: Option<i64>,
    /// Where the request came from (an IP address, or `cli`).
    pub remote: String,
}

/// What an actor wants to do, for [`Actor::may`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read plans, tasks, targets, projects, findings.
    #[default]
    ReadPlans,
    /// Read the unit registry.
    ReadUnits,
    /// Import, correct, delete and restore plan data of any unit.
    ManagePlans,
    /// Propose a change to what the plan says of one's own units' records.
    Propose,
    /// Create accounts, grant roles, set the password policy.
    ManageAccounts,
    /// Read the audit log.
    ReadAudit,
    /// Fill and submit a unit's report forms (填报).
    Report,
    /// Review the units' reports: return, approve, accept, reopen, remind (the office).
    ReviewReports,
    /// Run supervision (督办): set its rules, open items, accept, return, archive (the office).
    Supervise,
    /// Run the annual assessment (年考核): set the scheme, score, review self-assessments, publish (the office).
    Assess,
    /// Upload a third-party evaluation and its findings (第三方评估).
    Evaluate,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 11] = [
        Action::ReadPlans,
        Action::ReadUnits,
        Action::ManagePlans,
        Action::Propose,
        Action::ManageAccounts,
        Action::ReadAudit,
        Action::Report,
        Action::ReviewReports,
        Action::Supervise,
        Action::Assess,
        Action::Evaluate,
    ];

    /// The identifier (`manage_plans`), as the audit log keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ReadPlans => "read_plans",
            Action::ReadUnits => "read_units",
            Action::ManagePlans => "manage_plans",
            Action::Propose => "propose",
            Action::ManageAccounts => "manage_accounts",
            Action::ReadAudit => "read_audit",
            Action::Report => "report",
            Action::ReviewReports => "review_reports",
            Action::Supervise => "supervise",
            Action::Assess => "assess",
            Action::Evaluate => "evaluate",
        }
    }

    /// What it is, in Chinese, as "无权……" completes it.
    pub fn label(self) -> &'static str {
        match self {
            Action::ReadPlans => "查看规划数据",
            Action::ReadUnits => "查看单位名录",
            Action::ManagePlans => "管理规划数据",
            Action::Propose => "提交变更申请",
            Action::ManageAccounts => "管理账号",
            Action::ReadAudit => "查看审计日志",
            Action::Report => "填报月度进展",
            Action::ReviewReports => "审核月度报送",
            Action::Supervise => "督查督办",
            Action::Assess => "年度考核评分",
            Action::Evaluate => "提交第三方评估",
        }
    }

    /// The action of an identifier (or of its old `Debug` form in older audit rows).
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s || format!("{a:?}") == s)
    }
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
            plan: None,
            remote: what.into(),
        }
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the actor may do `action` at all (a reporter's proposals are
    /// further limited to their units: see [`Actor::may_propose`]).
    pub fn may(&self, action: Action) -> bool {
        use Role::*;
        self.roles.iter().any(|role| match action {
            Action::ReadPlans => matches!(role, SystemAdmin | Reporter | Leader | Evaluator),
            Action::ReadUnits => matches!(role, SystemAdmin | Reporter | Leader | SecurityAdmin),
            Action::ManagePlans => matches!(role, SystemAdmin),
            Action::Propose => matches!(role, Reporter),
            Action::ManageAccounts => matches!(role, SecurityAdmin),
            Action::ReadAudit => matches!(role, Auditor),
            Action::Report => matches!(role, Reporter),
            Action::ReviewReports => matches!(role, SystemAdmin),
            Action::Supervise => matches!(role, SystemAdmin),
            Action::Assess => matches!(role, SystemAdmin),
            Action::Evaluate => matches!(role, Evaluator),
        })
    }

    /// Refuses unless the actor may do `action` at all.
    pub fn require(&self, action: Action) -> Result<(), Reason> {
        if self.may(action) { Ok(()) } else { Err(Reason::RoleMayNot { roles: self.roles.clone(), action }) }
    }

    /// Whether one of the actor's units is among `units` (a record's lead
    /// and responsible units, or a target's owner).
    pub fn holds_any(&self, units: &[i64]) -> bool {
        units.iter().any(|u| self.units.contains(u))
    }

    /// Refuses a direct change to what the plan says of a record unless the
    /// actor is the office; a reporter is told to propose the change.
    pub fn may_change_plan(&self, object: Object, id: i64) -> Result<(), Reason> {
        if self.may(Action::ManagePlans) {
            Ok(())
        } else if self.may(Action::Propose) {
            Err(Reason::PlanIsOffices { object, id })
        } else {
            self.require(Action::ManagePlans)
        }
    }

    /// Refuses deleting or restoring a record unless the actor is the office.
    pub fn may_delete(&self, object: Object, id: i64) -> Result<(), Reason> {
        if self.may(Action::ManagePlans) {
            Ok(())
        } else if self.may(Action::Propose) {
            Err(Reason::DeleteIsOffices { object, id })
        } else {
            self.require(Action::ManagePlans)
        }
    }

    /// Refuses a proposal on a record held by `units` unless the actor is a
    /// reporter of one of them.
    pub fn may_propose(&self, object: Object, id: i64, units: &[i64]) -> Result<(), Reason> {
        self.require(Action::Propose)?;
        if self.holds_any(units) { Ok(()) } else { Err(Reason::NotYourRecord { object, id }) }
    }

    /// Whether a change to an account needs a second 安全管理员 (三员分立: no
    /// one person makes an administrator): it gives a 系统管理员, 安全管理员
    /// or 审计员 role the account does not hold (`current`; empty for a new
    /// account), or it resets, re-enables or unlocks an account that holds
    /// one. A command on the server's own machine (no account) needs none.
    pub fn needs_second_approval(&self, current: &[Role], granted: &[Role], reopens: bool) -> bool {
        let admin = |r: &Role| matches!(r, Role::SystemAdmin | Role::SecurityAdmin | Role::Auditor);
        self.user_id.is_some()
            && (granted.iter().any(|r| admin(r) && !current.contains(r)) || (reopens && current.iter().any(admin)))
    }

    /// Refuses a third-party evaluator a request outside its one plan: it
    /// reads its plan's pages and API (`/plans/{id}…`, `/api/plans/{id}…`,
    /// the plan's analysis and assessment pages, evidence files, which the
    /// store refuses for another plan) and writes only its evaluation (`/evaluation…`, `/api/plans/{id}/evaluation…`). Anyone
    /// else passes.
    pub fn may_open(&self, read: bool, path: &str, query: &str) -> Result<(), Reason> {
        if !self.has(Role::Evaluator) {
            return Ok(());
        }
        let Some(plan) = self.plan else { return Err(Reason::NotYourPlan { plan: 0 }) };
        let p = plan.to_string();
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix(p.as_str()))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/') || rest.starts_with('.'))
        };
        let plan_query = query.split('&').any(|kv| kv == format!("plan={p}"));
        let session =
            path == "/api/session" || path.starts_with("/api/session/") || path == "/logout" || path == "/password";
        let evaluation = under("/api/plans/") && path.contains("/evaluation")
            || path == "/evaluation" && (query.is_empty() || plan_query)
            || path.starts_with("/evaluation/");
        let reads = under("/api/plans/")
            || under("/plans/")
            || under("/assessment/")
            || path == "/"
            || path.starts_with("/api/assessment-files/")
            || (path.starts_with("/analysis") && plan_query);
        if session || evaluation || (read && reads) {
            return Ok(());
        }
        // The plan it reached for, if the address names one.
        let asked = ["/api/plans/", "/plans/", "/assessment/"]
            .iter()
            .find_map(|pre| path.strip_prefix(pre))
            .and_then(|rest| rest.split(['/', '.']).next())
            .and_then(|id| id.parse().ok())
            .unwrap_or(plan);
        Err(Reason::NotYourPlan { plan: asked })
    }

    /// Refuses a third-party evaluator a plan other than the one it was
    /// granted; anyone else passes.
    pub fn reaches_plan(&self, plan: i64) -> Result<(), Reason> {
        if self.has(Role::Evaluator) && self.plan != Some(plan) { Err(Reason::NotYourPlan { plan }) } else { Ok(()) }
    }

    /// Refuses deciding a proposal unless the actor is the office.
    pub fn may_decide(&self) -> Result<(), Reason> {
        self.require(Action::ManagePlans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, units: &[i64]) -> Actor {
        Actor {
            user_id: Some(1),
            username: "u".into(),
            roles: vec![role],
            units: units.to_vec(),
            plan: None,
            remote: "t".into(),
        }
    }

    #[test]
    fn an_evaluator_reads_its_one_plan_and_writes_only_its_evaluation() {
        let mut e = actor(Role::Evaluator, &[]);
        assert_eq!(e.may_open(true, "/api/plans/7", ""), Err(Reason::NotYourPlan { plan: 0 }), "no grant, nothing");
        e.plan = Some(7);
        assert!(e.may(Action::ReadPlans) && e.may(Action::Evaluate) && !e.may(Action::Assess));
        for (read, path, query) in [
            (true, "/api/plans/7", ""),
            (true, "/api/plans/7/assessment/2026", ""),
            (true, "/api/plans/7/analysis.xlsx", ""),
            (true, "/plans/7", ""),
            (true, "/assessment/7/2026/units/3", ""),
            (true, "/analysis", "plan=7&period=2026-06"),
            (false, "/api/plans/7/evaluation/reports", "name=a.pdf"),
            (false, "/evaluation/findings", ""),
            (true, "/evaluation", "plan=7"),
            (false, "/api/session", ""),
        ] {
            assert_eq!(e.may_open(read, path, query), Ok(()), "{path}?{query}");
        }
        assert_eq!(e.may_open(true, "/api/plans/70", ""), Err(Reason::NotYourPlan { plan: 70 }));
        assert_eq!(e.may_open(true, "/plans/8/overview", ""), Err(Reason::NotYourPlan { plan: 8 }));
        assert_eq!(e.may_open(true, "/analysis", "plan=8"), Err(Reason::NotYourPlan { plan: 7 }));
        assert_eq!(e.may_open(true, "/api/units", ""), Err(Reason::NotYourPlan { plan: 7 }));
        assert_eq!(e.may_open(false, "/api/plans/7/assessment/2026/entries", ""), Err(Reason::NotYourPlan { plan: 7 }));
        assert_eq!(actor(Role::Leader, &[]).may_open(true, "/api/units", ""), Ok(()));
        assert_eq!(e.reaches_plan(7), Ok(()));
        assert_eq!(e.reaches_plan(8), Err(Reason::NotYourPlan { plan: 8 }));
        assert_eq!(actor(Role::Leader, &[]).reaches_plan(8), Ok(()));
    }

    #[test]
    fn the_plan_is_the_offices_and_a_reporter_proposes() {
        let office = actor(Role::SystemAdmin, &[]);
        let reporter = actor(Role::Reporter, &[7]);
        let leader = actor(Role::Leader, &[]);
        assert_eq!(office.may_change_plan(Object::Task, 1), Ok(()));
        assert_eq!(
            reporter.may_change_plan(Object::Task, 1),
            Err(Reason::PlanIsOffices { object: Object::Task, id: 1 })
        );
        assert!(matches!(leader.may_change_plan(Object::Task, 1), Err(Reason::RoleMayNot { .. })));
        assert_eq!(reporter.may_delete(Object::Task, 1), Err(Reason::DeleteIsOffices { object: Object::Task, id: 1 }));
        assert_eq!(reporter.may_propose(Object::Task, 1, &[3, 7]), Ok(()));
        assert_eq!(
            reporter.may_propose(Object::Task, 1, &[3]),
            Err(Reason::NotYourRecord { object: Object::Task, id: 1 })
        );
        assert!(office.may_propose(Object::Task, 1, &[]).is_err(), "the office changes the plan directly");
        assert!(reporter.may_decide().is_err());
        assert!(office.may_decide().is_ok());
    }

    #[test]
    fn administrators_are_made_by_two() {
        let sec = actor(Role::SecurityAdmin, &[]);
        let cli = Actor::local("cli", Role::SecurityAdmin);
        assert!(sec.needs_second_approval(&[], &[Role::Auditor], false), "a new auditor");
        assert!(sec.needs_second_approval(&[Role::Leader], &[Role::SystemAdmin], false), "granted");
        assert!(!sec.needs_second_approval(&[Role::SystemAdmin], &[Role::SystemAdmin], false), "kept");
        assert!(sec.needs_second_approval(&[Role::SecurityAdmin], &[], true), "a reset of an administrator");
        assert!(!sec.needs_second_approval(&[Role::Reporter], &[Role::Leader], true), "not an administrator");
        assert!(!cli.needs_second_approval(&[], &[Role::Auditor], true), "the server's own machine");
    }

    #[test]
    fn actions_round_trip_their_identifiers() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(a));
            assert_eq!(Action::parse(&format!("{a:?}")), Some(a));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(Role::parse(r.label()), Some(r));
        }
    }
}
