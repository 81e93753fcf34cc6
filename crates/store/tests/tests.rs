//! Tests of bighealth-store, each on SQLite and on PostgreSQL.

mod common;
mod import;
