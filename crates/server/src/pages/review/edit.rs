//! How a record of the plan is changed from the review page: directly by
//! the office, or proposed with a reason by a reporter of its units.

use crate::AppState;
use crate::pages::form::Fields;
use crate::pages::{PageResult, Viewer};
use bighealth_store::proposals::{NewProposal, Proposal, ProposalQuery};
use bighealth_store::{Action, Store};

/// How the viewer may change what the plan says of a record held by
/// `units`: directly (the office) or by proposing (a reporter of one of
/// them); `None` when not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Edit,
    Propose,
}

pub(super) fn mode(viewer: &Viewer, units: &[i64]) -> Option<Mode> {
    if viewer.may(Action::ManagePlans) {
        Some(Mode::Edit)
    } else if viewer.may(Action::Propose) && viewer.0.actor.holds_any(units) {
        Some(Mode::Propose)
    } else {
        None
    }
}

/// Refuses (403, audited) a viewer who may neither change nor propose.
pub(super) async fn require_mode(s: &AppState, viewer: &Viewer, units: &[i64], object: &str) -> PageResult<Mode> {
    match mode(viewer, units) {
        Some(m) => Ok(m),
        None => {
            viewer.require(s, Action::ManagePlans, object).await?;
            Ok(Mode::Edit)
        }
    }
}

/// The pending proposals of one record.
pub(super) async fn pending_of(store: &Store, entity: &str, id: i64) -> PageResult<Vec<Proposal>> {
    let q = ProposalQuery {
        entity: Some(entity.into()),
        entity_id: Some(id),
        state: Some("pending".into()),
        ..Default::default()
    };
    Ok(store.proposals(&q).await?)
}

/// What saving a form did.
pub(super) enum Saved<T> {
    /// The office changed the record.
    Changed(T),
    /// A reporter proposed the change; the record is as it was.
    Proposed,
}

/// Saves a form's `patch` of record `entity` `id`: the office's change
/// (`apply`), or a reporter's proposal with the form's reason.
pub(super) async fn submit<T, F>(
    s: &AppState,
    viewer: &Viewer,
    mode: Mode,
    (entity, id): (&str, i64),
    patch: &impl serde::Serialize,
    form: &Fields,
    apply: F,
) -> Result<Saved<T>, bighealth_store::StoreError>
where
    F: std::future::Future<Output = Result<T, bighealth_store::StoreError>>,
{
    match mode {
        Mode::Edit => apply.await.map(Saved::Changed),
        Mode::Propose => {
            let new = NewProposal {
                entity: entity.into(),
                entity_id: id,
                patch: serde_json::to_value(patch).unwrap_or_default(),
                reason: form.text("reason").into(),
            };
            s.store.propose(&viewer.0.actor, &new, s.clock.now()).await.map(|_| Saved::Proposed)
        }
    }
}
