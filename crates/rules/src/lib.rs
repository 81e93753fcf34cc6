//! bighealth-rules: the rules of the platform that need no database, no
//! file and no network — who may do what ([`access`]), what a field may hold
//! ([`check`]), the Chinese names of the codes users see ([`labels`]), and
//! the catalogue of refusals ([`refusal`]): every "no" the store or the
//! server can say, as a code with its arguments, worded in Chinese and
//! English in one place.
//!
//! The store calls these rules before it writes; the server only turns a
//! [`Refusal`] into its HTTP status and the words of the client's language.
//! The operating cycle's rules live here too: the working-day calendar
//! ([`calendar`]) and monthly dispatch ([`reporting`]: periods, the form's
//! states, the checks at entry, the rates) and supervision ([`supervision`]:
//! lag rules, the loop of an item, deadlines in working days) and analysis
//! ([`analysis`]: a target's year and path, 序时进度, statuses explained)
//! and the indicator system ([`indicators`]: aggregation over regions and
//! time, formulas, periods of statistics, key enterprises);
//! and the annual assessment ([`scoring`]: schemes, scores explained item
//! by item, rankings within groups, grades).

pub mod access;
pub mod analysis;
pub mod calendar;
pub mod check;
pub mod disclosure;
pub mod indicators;
pub mod labels;
pub mod refusal;
pub mod reporting;
pub mod scoring;
pub mod supervision;

pub use access::{Action, Actor, Role};
pub use refusal::{Kind, Lang, Object, Reason, Refusal};
