//! What of a plan the office makes public (政务公开): nothing until it says
//! so; then, by its choice, the targets with their status, the projects with
//! their investment, the tasks counted by status, and the grades of a
//! published assessment. Never a person, a contact, a unit's notes or a
//! report's text: the public page is built from figures and statuses only.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The office's choice for one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = DisclosureSettings)]
pub struct Settings {
    /// Whether the plan has a public page at all.
    pub public: bool,
    /// The targets with their status and the sentence of figures behind it.
    pub targets: bool,
    /// The projects with their investment this year.
    pub projects: bool,
    /// The tasks counted by status.
    pub tasks: bool,
    /// The grades of the latest published assessment.
    pub assessment: bool,
    /// A few words the office puts at the top of the page.
    pub intro: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { public: false, targets: true, projects: true, tasks: true, assessment: false, intro: String::new() }
    }
}

impl Settings {
    /// Refuses an intro longer than a paragraph.
    pub fn check(&self) -> Result<(), crate::Refusal> {
        crate::check::max_chars("intro", &self.intro, crate::check::LONG)
    }
}
