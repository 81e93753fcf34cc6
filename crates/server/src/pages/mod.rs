//! The web pages: HTML rendered on the server, in Chinese, with htmx for
//! interaction and ECharts for charts, every asset served by the binary
//! itself ([`assets`]). A page checks the same rules as the API: it takes
//! the same session ([`Viewer`] wraps [`crate::auth::Auth`]) and asks [`crate::auth::Auth::require`]
//! for the same [`bighealth_store::Action`]; what a role may not see answers 403 with a page
//! that says so. Forms answer bad input next to the field (`form`) and
//! change nothing.

mod accounts;
mod analysis;
mod assessment;
pub mod assets;
mod audit;
mod error;
mod evaluation;
mod form;
mod overview;
mod params;
mod plans;
mod projects;
mod proposals;
mod public;
mod reporting;
mod review;
mod session;
mod statistics;
mod supervision;
mod targets;
mod tasks;
mod templates;
mod viewer;

use crate::AppState;
use axum::Router;
pub use error::{PageError, PageResult, hx_redirect};
pub use params::{offset_of, opt_id, opt_segment, opt_text, pager, plan_of, segments};
pub use templates::render;
pub use viewer::{Viewer, home_of};

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(assets::routes())
        .merge(session::routes())
        .merge(plans::routes())
        .merge(review::routes())
        .merge(tasks::routes())
        .merge(targets::routes())
        .merge(projects::routes())
        .merge(proposals::routes())
        .merge(public::routes())
        .merge(reporting::routes())
        .merge(supervision::routes())
        .merge(analysis::routes())
        .merge(assessment::routes())
        .merge(evaluation::routes())
        .merge(statistics::routes())
        .merge(overview::routes())
        .merge(accounts::routes())
        .merge(audit::routes())
}
