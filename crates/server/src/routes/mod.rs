//! The API's routes, one module per kind of record.

pub mod accounts;
pub mod audit;
pub mod findings;
pub mod plans;
pub mod projects;
pub mod proposals;
mod records;
pub mod reporting;
pub mod session;
pub mod targets;
pub mod tasks;
pub mod units;
