//! Tests of bighealth-store, each on SQLite and on PostgreSQL.

mod accounts;
mod analysis;
mod assessment;
mod common;
mod import;
mod indicators;
mod reporting;
mod schema;
mod storage;
mod supervision;
mod units;
