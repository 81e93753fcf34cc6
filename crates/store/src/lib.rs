//! bighealth-store: the plans of a region and its parent and child regions,
//! their units, tasks, targets and projects, the accounts that work on them,
//! and an audit log nobody can alter — on SQLite (a single file, the
//! default) or PostgreSQL, with one schema and the same behaviour on both.
//!
//! Every change goes through a [`Store`] method that takes the acting
//! [`Actor`] and the time, checks what the actor may do, keeps the previous
//! value in history ([`history`]) and writes the audit log ([`audit`]) in the
//! same transaction. Nothing is deleted for real: deletion is a state that
//! can be undone.

pub use bighealth_rules::access;
pub mod accounts;
pub mod analysis;
pub mod assessment;
pub mod audit;
pub mod audit_key;
pub mod backup;
pub mod db;
pub mod disclosure;
pub mod enterprises;
pub mod error;
pub mod evaluation;
mod filter;
pub mod findings;
pub mod history;
pub mod indicators;
pub mod issued;
pub mod names;
pub mod overview;
pub mod page;
pub mod patch;
mod plan_items;
mod plan_settings;
pub mod plans;
pub mod projects;
pub mod proposals;
pub mod regions;
pub mod reporting;
pub mod supervision;
pub mod tags;
pub mod targets;
pub mod tasks;
#[cfg(feature = "testing")]
pub mod testing;
pub mod units;

pub use access::{Action, Actor, Role};
pub use db::{Backend, Store};
pub use error::{Object, Reason, Refusal, Result, StoreError};

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}
