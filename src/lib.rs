//! `sds` checks vehicle test reports against versioned scenario-defined
//! safety checklists and reports every gap as a finding at the node at fault.
//!
//! The data flow, one module per stage:
//! [`load`] (text to a spanned tree, with limits) → [`schema`] (structural
//! truth) → [`checklist`] (compiled once per run, linted) → [`report`] (typed
//! view of one report) → [`rules`] (findings) → [`engine`] (files, parallel
//! checks, scores, verdict) → [`render`] (human, JSON, SARIF, JUnit,
//! Markdown, HTML and the CI formats). [`cli`] is the command line over it.
//! Spans are a file id and a byte range; [`source`] turns them into lines
//! and columns, once per finding.
//!
//! Checking one report held in memory against the bundled checklists (the
//! command line does the same for every file it finds, in parallel):
//!
//! ```
//! use sds::checklist::Catalog;
//! use sds::checklist::source::{ChecklistSource, load_all};
//! use sds::engine::{Options, check_str};
//! use sds::load::Limits;
//! use sds::Code;
//!
//! let catalog = Catalog::new(load_all(&[ChecklistSource::Bundled], &Limits::default()).checklists);
//! let report = r#"
//! sds_report: 1
//! checklist: {id: sds, version: "1.2.0"}
//! vehicle: {model: Example, software: "1.0", attributes: {powertrain: bev, market: EU, category: M1, features: [ecall]}}
//! report: {id: R-1, issued: 2026-10-01}
//! results: []
//! "#;
//! let outcome = check_str("report.yaml", report, &catalog, &Options::default());
//! // No results at all: every item that applies to this BEV is missing.
//! let missing = outcome.findings.iter().filter(|f| f.code == Code::MissingResult).count();
//! assert_eq!(missing, 121);
//! let score = outcome.score.expect("a report that could be read is scored");
//! assert_eq!(score.overall.earned, 0);
//! assert!(score.overall.applicable > 0);
//! ```
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
pub mod source;
pub mod text;
pub mod units;
pub mod wire;

pub use codes::Code;
pub use finding::{Finding, Severity};
