//! bighealth-documents: the files the platform issues and takes back.
//! [`report_form`] writes a unit's monthly report form as `.xlsx` (labels
//! and ids locked, drop-down lists, number checks, last period's figures
//! beside the empty cells) and reads it back once filled, naming every
//! wrong cell; [`summary`] writes the consolidated table (汇总表) of a
//! period. Word notices and the quarterly analysis come later.
//!
//! This crate knows the store's record types, never its SQL: the server
//! reads the form from the store, hands it here, and stores what comes back
//! through the store's own checks.

pub mod report_form;
mod sheet;
pub mod summary;
