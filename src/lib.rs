//! `sds` checks vehicle test reports against versioned scenario-defined
//! safety checklists and reports every gap as a finding at the node at fault.
//!
//! The data flow, one module per stage:
//! [`load`] (text to a spanned tree, with limits) → [`schema`] (structural
//! truth) → [`checklist`] (compiled once per run, linted) → [`report`] (typed
//! view of one report) → [`rules`] (findings) → [`engine`] (files, parallel
//! checks, scores, verdict) → [`render`] (human, JSON).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod baseline;
pub mod catalog_doc;
pub mod checklist;
pub mod cli;
pub mod codes;
pub mod config;
pub mod derive;
pub mod diff;
pub mod engine;
pub mod explain;
pub mod finding;
pub mod init;
pub mod load;
pub mod lsp;
pub mod merge;
pub mod number;
pub mod outcome;
pub mod pointer;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod severity;
pub mod text;
pub mod units;
pub mod wire;

pub use codes::Code;
pub use finding::{Finding, Severity};
