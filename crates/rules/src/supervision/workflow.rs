//! The loop a supervision item runs (交办 → 签收 → 整改方案 → 办理 → 申请办结 →
//! 办结 → 销号) and who moves it: the office gives, accepts, sends back,
//! archives and decides extensions; the lead unit signs, plans, asks to
//! close and asks for more time; the lead and helping units report
//! progress. Overdue is a flag on the item, not a state.

use crate::access::{Action, Actor};
use crate::refusal::Reason;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = SupervisionState)]
pub enum State {
    /// 已交办: given, not yet signed for.
    Assigned,
    /// 已签收: signed for, no rectification plan yet.
    Signed,
    /// 办理中: the plan is in, the unit works and reports.
    Handling,
    /// 申请办结: the unit asks to close, with evidence.
    Closing,
    /// 已办结: the office accepted.
    Closed,
    /// 已销号: archived.
    Archived,
}

impl State {
    /// Every state, in the loop's order.
    pub const ALL: [State; 6] =
        [State::Assigned, State::Signed, State::Handling, State::Closing, State::Closed, State::Archived];

    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Assigned => "assigned",
            State::Signed => "signed",
            State::Handling => "handling",
            State::Closing => "closing",
            State::Closed => "closed",
            State::Archived => "archived",
        }
    }

    /// The state of an identifier.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            State::Assigned => "已交办",
            State::Signed => "已签收",
            State::Handling => "办理中",
            State::Closing => "申请办结",
            State::Closed => "已办结",
            State::Archived => "已销号",
        }
    }

    /// Whether the item is finished (办结 or 销号).
    pub fn finished(self) -> bool {
        matches!(self, State::Closed | State::Archived)
    }
}

/// A step on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = SupervisionStep)]
pub enum Step {
    /// 交办 (the office opens the item; by hand or by a rule).
    Open,
    /// 签收.
    Sign,
    /// 提交整改方案.
    Plan,
    /// 报送进展.
    Progress,
    /// 申请办结 (with evidence).
    AskClose,
    /// 审核通过，办结.
    Accept,
    /// 退回重办.
    Return,
    /// 销号.
    Archive,
    /// 申请延期 (before the deadline, with a reason and a new date).
    AskExtension,
    /// 同意延期.
    GrantExtension,
    /// 不同意延期.
    RefuseExtension,
    /// 提级: the cause persists (by a rule) or the office raises it.
    Raise,
    /// 到期提醒 (the system).
    Remind,
    /// 逾期升级 to the leader (the system).
    Escalate,
    /// 批注: the office or the leader comments.
    Comment,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 15] = [
        Step::Open,
        Step::Sign,
        Step::Plan,
        Step::Progress,
        Step::AskClose,
        Step::Accept,
        Step::Return,
        Step::Archive,
        Step::AskExtension,
        Step::GrantExtension,
        Step::RefuseExtension,
        Step::Raise,
        Step::Remind,
        Step::Escalate,
        Step::Comment,
    ];

    /// The identifier stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Open => "open",
            Step::Sign => "sign",
            Step::Plan => "plan",
            Step::Progress => "progress",
            Step::AskClose => "ask_close",
            Step::Accept => "accept",
            Step::Return => "return",
            Step::Archive => "archive",
            Step::AskExtension => "ask_extension",
            Step::GrantExtension => "grant_extension",
            Step::RefuseExtension => "refuse_extension",
            Step::Raise => "raise",
            Step::Remind => "remind",
            Step::Escalate => "escalate",
            Step::Comment => "comment",
        }
    }

    /// The step of an identifier.
    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Step::Open => "交办",
            Step::Sign => "签收",
            Step::Plan => "提交整改方案",
            Step::Progress => "报送进展",
            Step::AskClose => "申请办结",
            Step::Accept => "审核通过（办结）",
            Step::Return => "退回重办",
            Step::Archive => "销号",
            Step::AskExtension => "申请延期",
            Step::GrantExtension => "同意延期",
            Step::RefuseExtension => "不同意延期",
            Step::Raise => "提级",
            Step::Remind => "到期提醒",
            Step::Escalate => "逾期升级",
            Step::Comment => "批注",
        }
    }

    /// Whether a person takes it on a page (the others are the system's or the opening).
    pub fn by_hand(self) -> bool {
        !matches!(self, Step::Open | Step::Remind | Step::Escalate)
    }

    /// Whether the step needs a note (what was done, why).
    pub fn needs_note(self) -> bool {
        matches!(
            self,
            Step::Plan
                | Step::Progress
                | Step::AskClose
                | Step::Return
                | Step::AskExtension
                | Step::RefuseExtension
                | Step::Raise
                | Step::Comment
        )
    }
}

/// Who the actor is to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The office.
    Office,
    /// A reporter of the lead unit (承办).
    Lead,
    /// A reporter of a helping unit (协办).
    Helper,
    /// A leader (reads, comments).
    Leader,
    /// Anyone else.
    None,
}

/// Who `actor` is to an item led by `lead` and helped by `helpers`.
pub fn part(actor: &Actor, lead: i64, helpers: &[i64]) -> Part {
    if actor.may(Action::Supervise) {
        Part::Office
    } else if actor.may(Action::Report) && actor.units.contains(&lead) {
        Part::Lead
    } else if actor.may(Action::Report) && actor.holds_any(helpers) {
        Part::Helper
    } else if actor.roles.contains(&crate::Role::Leader) {
        Part::Leader
    } else {
        Part::None
    }
}

/// The state after `step` by `actor` on an item in `state` led by `lead`
/// and helped by `helpers` (`extension`: whether an extension is pending),
/// or why not.
pub fn next(
    actor: &Actor,
    lead: i64,
    helpers: &[i64],
    state: State,
    step: Step,
    extension: bool,
) -> Result<State, Reason> {
    use State::*;
    let part = part(actor, lead, helpers);
    let who_ok = match step {
        Step::Open | Step::Remind | Step::Escalate => false,
        Step::Sign | Step::Plan | Step::AskClose | Step::AskExtension => part == Part::Lead,
        Step::Progress => matches!(part, Part::Lead | Part::Helper),
        Step::Accept | Step::Return | Step::Archive | Step::GrantExtension | Step::RefuseExtension | Step::Raise => {
            part == Part::Office
        }
        Step::Comment => matches!(part, Part::Office | Part::Leader),
    };
    if !who_ok {
        return Err(match part {
            Part::Helper if step.by_hand() => Reason::LeadUnitOnly { step: step.label().into() },
            Part::None | Part::Leader if matches!(step, Step::Sign | Step::Plan | Step::Progress | Step::AskClose) => {
                Reason::NotYourSupervision {}
            }
            _ => Reason::RoleMayNot { roles: actor.roles.clone(), action: Action::Supervise },
        });
    }
    let refuse = || Reason::ItemStep { step: step.label().into(), state: state.label().into() };
    match (step, state) {
        (Step::Sign, Assigned) => Ok(Signed),
        (Step::Plan, Signed | Handling) => Ok(Handling),
        (Step::Progress, Signed | Handling) => Ok(state),
        (Step::AskClose, Signed | Handling) => Ok(Closing),
        (Step::Accept, Closing) => Ok(Closed),
        (Step::Return, Closing) => Ok(Handling),
        (Step::Archive, Closed) => Ok(Archived),
        (Step::AskExtension, Assigned | Signed | Handling) if !extension => Ok(state),
        (Step::GrantExtension | Step::RefuseExtension, s) if extension && !s.finished() => Ok(state),
        (Step::Raise, s) if !s.finished() => Ok(state),
        (Step::Comment, _) => Ok(state),
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

    #[test]
    fn an_item_runs_the_loop_and_a_return_sends_it_back() {
        let office = Actor { user_id: Some(1), roles: vec![Role::SystemAdmin], ..Actor::default() };
        assert_eq!(part(&office, 7, &[8]), Part::Office);
        assert_eq!(part(&reporter(8), 7, &[8]), Part::Helper);
        let (o, l, h) = (&office, &reporter(7), &reporter(8));
        let next = |a: &Actor, s, step| next(a, 7, &[8], s, step, false);
        let mut s = next(l, State::Assigned, Step::Sign).unwrap();
        s = next(l, s, Step::Plan).unwrap();
        assert_eq!(s, State::Handling);
        s = next(h, s, Step::Progress).unwrap();
        s = next(l, s, Step::AskClose).unwrap();
        s = next(o, s, Step::Return).unwrap();
        assert_eq!(s, State::Handling);
        s = next(l, s, Step::AskClose).unwrap();
        s = next(o, s, Step::Accept).unwrap();
        s = next(o, s, Step::Archive).unwrap();
        assert_eq!(s, State::Archived);
        assert!(s.finished());
    }

    #[test]
    fn wrong_people_and_wrong_steps_are_refused() {
        let leader = Actor { roles: vec![Role::Leader], ..Actor::default() };
        let (l, h, x) = (&reporter(7), &reporter(8), &reporter(9));
        let next = |a: &Actor, s, step, ext| next(a, 7, &[8], s, step, ext);
        assert_eq!(next(h, State::Assigned, Step::Sign, false).unwrap_err().code(), "lead_unit_only");
        assert_eq!(next(x, State::Assigned, Step::Sign, false).unwrap_err().code(), "not_your_supervision");
        assert_eq!(next(l, State::Closing, Step::Accept, false).unwrap_err().code(), "role_may_not");
        assert_eq!(next(l, State::Assigned, Step::AskClose, false).unwrap_err().code(), "item_step");
        assert_eq!(next(l, State::Handling, Step::AskExtension, true).unwrap_err().code(), "item_step");
        let p = &leader;
        assert_eq!(next(p, State::Handling, Step::Comment, false), Ok(State::Handling));
        assert_eq!(next(p, State::Handling, Step::Accept, false).unwrap_err().code(), "role_may_not");
    }
}
