//! The HTTP API through real requests to a real server, on SQLite and on
//! PostgreSQL.

mod analysis;
mod assessment;
mod browser;
mod common;
mod corrections;
mod errors;
mod indicators;
mod library;
mod pages;
mod reporting;
mod roles;
mod security;
mod session;
mod supervision;
