//! Tests of bighealth-store, each on SQLite and on PostgreSQL.

mod accounts;
mod common;
mod import;
mod schema;
mod storage;
mod units;
