//! The states of a unit's form for a period and who moves it (as DHIS2's
//! complete → approve → accept, with the Chinese offices' 退回):
//!
//! ```text
//! (none) ─save─▶ draft ─submit─▶ submitted ─approve─▶ approved ─accept─▶ accepted
//!                  ▲                 │                    │
//!                  └──save── returned ◀─return─┘          │
//!                  └──save (a correction, with a reason) ─┘
//! ```
//!
//! The reporting unit alone changes its figures (the statistics 红线: the
//! office sends back with reasons, never edits). A correction after approval
//! is a new draft with a reason; every submission is a new version.

use crate::access::{Action, Actor};
use crate::refusal::Reason;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a form stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 草稿: saved, not sent.
    Draft,
    /// 已报送: waiting for the office.
    Submitted,
    /// 已退回: sent back with reasons.
    Returned,
    /// 已审核: approved by the plan's office.
    Approved,
    /// 已接收: accepted by the parent plan's office.
    Accepted,
}

impl State {
    /// Every state.
    pub const ALL: [State; 5] = [State::Draft, State::Submitted, State::Returned, State::Approved, State::Accepted];

    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Returned => "returned",
            State::Approved => "approved",
            State::Accepted => "accepted",
        }
    }

    /// The state of an identifier.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "草稿",
            State::Submitted => "已报送",
            State::Returned => "已退回",
            State::Approved => "已审核",
            State::Accepted => "已接收",
        }
    }

    /// Whether the form counts as reported (报送): sent and not sent back.
    pub fn reported(self) -> bool {
        matches!(self, State::Submitted | State::Approved | State::Accepted)
    }

    /// Whether the office approved the form (审核通过): what analysis counts.
    pub fn approved(self) -> bool {
        matches!(self, State::Approved | State::Accepted)
    }
}

/// What someone does to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 保存: keep a draft.
    Save,
    /// 报送: send to the office.
    Submit,
    /// 退回: send back with reasons (the office).
    Return,
    /// 审核通过 (the office).
    Approve,
    /// 接收 (the parent plan's office).
    Accept,
}

impl Step {
    /// The identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Save => "save",
            Step::Submit => "submit",
            Step::Return => "return",
            Step::Approve => "approve",
            Step::Accept => "accept",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Step::Save => "保存",
            Step::Submit => "报送",
            Step::Return => "退回",
            Step::Approve => "审核通过",
            Step::Accept => "接收",
        }
    }
}

/// Whether a save of a form in `state` is a correction of a report the
/// office has already approved (it needs a reason).
pub fn is_correction(state: Option<State>) -> bool {
    matches!(state, Some(State::Approved | State::Accepted))
}

/// The state after `step` on a form in `state` (`None`: no form yet), or why
/// the step cannot be taken. `unit` is the form's unit; `has_parent` whether
/// the plan implements a parent plan (only then is there an acceptance).
pub fn next(actor: &Actor, state: Option<State>, step: Step, unit: i64, has_parent: bool) -> Result<State, Reason> {
    match step {
        Step::Save | Step::Submit => {
            actor.require(Action::Report)?;
            if !actor.units.contains(&unit) {
                return Err(Reason::NotYourForm {});
            }
        }
        Step::Return | Step::Approve | Step::Accept => actor.require(Action::ReviewReports)?,
    }
    let refuse =
        || Reason::FormStep { step: step.label().into(), state: state.map(State::label).unwrap_or("未填报").into() };
    match (step, state) {
        (Step::Save, _) => Ok(State::Draft),
        (Step::Submit, None | Some(State::Draft | State::Returned)) => Ok(State::Submitted),
        (Step::Return, Some(State::Submitted | State::Approved)) => Ok(State::Returned),
        (Step::Approve, Some(State::Submitted)) => Ok(State::Approved),
        (Step::Accept, Some(State::Approved)) if has_parent => Ok(State::Accepted),
        (Step::Accept, Some(State::Approved)) => Err(Reason::NoParentPlan {}),
        _ => Err(refuse()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn reporter(unit: i64) -> Actor {
        Actor { user_id: Some(9), roles: vec![Role::Reporter], units: vec![unit], ..Actor::default() }
    }

    fn office() -> Actor {
        Actor { user_id: Some(1), roles: vec![Role::SystemAdmin], ..Actor::default() }
    }

    #[test]
    fn a_month_runs_from_draft_to_acceptance() {
        let r = reporter(7);
        let o = office();
        let mut s = next(&r, None, Step::Save, 7, true).unwrap();
        assert_eq!(s, State::Draft);
        s = next(&r, Some(s), Step::Submit, 7, true).unwrap();
        s = next(&o, Some(s), Step::Return, 7, true).unwrap();
        assert_eq!(s, State::Returned);
        s = next(&r, Some(s), Step::Submit, 7, true).unwrap();
        s = next(&o, Some(s), Step::Approve, 7, true).unwrap();
        assert!(is_correction(Some(s)));
        s = next(&o, Some(s), Step::Accept, 7, true).unwrap();
        assert_eq!(s, State::Accepted);
        assert!(s.reported());
    }

    #[test]
    fn wrong_steps_and_wrong_people_are_refused() {
        let r = reporter(7);
        let o = office();
        assert_eq!(next(&r, None, Step::Save, 8, false).unwrap_err().code(), "not_your_form");
        assert_eq!(next(&o, None, Step::Submit, 7, false).unwrap_err().code(), "role_may_not");
        assert_eq!(next(&r, Some(State::Submitted), Step::Approve, 7, false).unwrap_err().code(), "role_may_not");
        assert_eq!(next(&o, Some(State::Draft), Step::Approve, 7, false).unwrap_err().code(), "form_step");
        assert_eq!(next(&r, Some(State::Submitted), Step::Submit, 7, false).unwrap_err().code(), "form_step");
        assert_eq!(next(&o, Some(State::Approved), Step::Accept, 7, false).unwrap_err().code(), "no_parent_plan");
        let leader = Actor { roles: vec![Role::Leader], ..Actor::default() };
        assert_eq!(next(&leader, Some(State::Submitted), Step::Return, 7, false).unwrap_err().code(), "role_may_not");
    }
}
