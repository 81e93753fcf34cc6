//! bighealth-documents: the files the platform issues and takes back.
//! [`report_form`] writes a unit's monthly report form as `.xlsx` (labels
//! and ids locked, drop-down lists, number checks, last period's figures
//! beside the empty cells) and reads it back once filled, naming every
//! wrong cell; [`summary`] writes the consolidated table (汇总表) of a
//! period. [`gongwen`] writes an official document (公文) as `.docx` in
//! the GB/T 9704-2012 layout, or as PDF through [`pdf`], which sets typst
//! markup with typst as a library and the machine's Chinese fonts;
//! [`supervision`] fills the two supervision documents, the 督办通知 of an
//! item and the monthly 督办情况通报, from templates the office can edit,
//! into such a document; [`quarterly`] writes a plan's quarterly analysis
//! (季度运行分析) as such a document and as a workbook with its charts;
//! [`assessment`] writes the 通报 of a year's assessment (年度考核结果通报).
//!
//! This crate knows the store's record types, never its SQL: the server
//! reads the form from the store, hands it here, and stores what comes back
//! through the store's own checks.

pub mod assessment;
pub mod chart;
pub mod figures;
pub mod gongwen;
pub mod pdf;
pub mod quarterly;
pub mod regional;
pub mod report_form;
pub mod scheme;
mod sheet;
pub mod summary;
pub mod supervision;
