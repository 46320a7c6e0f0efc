//! A run: find the inputs, load and lint the checklists once, check every
//! report in parallel, and reach a verdict. Output order is the input order
//! (sorted paths), never the order threads finish in.
//!
//! One module per concern, in the order a check goes through them:
//! - `options`: what the run is asked to do ([`Options`], [`FailOn`], [`Command`]);
//! - `plan`: the options validated and the checklists, waivers file and
//!   baseline loaded before any report is read (every exit-2 [`Error`]);
//! - `inputs` and `walk`: input discovery, `--exclude`, the inputs digest;
//! - `read` and `waivers_file`: reading a file into a tree, and the
//!   `--waivers` reader;
//! - `pipeline`: one input into one outcome ([`check_str`], [`check_parsed`]);
//! - `scheduler`: batches, the thread pool, input order, progress, the
//!   baseline applied ([`check`], [`check_streaming`]);
//! - `verdict`: [`Totals`] and why the gate fails;
//! - `run` and `lint`: the finished [`Run`], and `sds lint`.
//!
//! The orchestrator raises no finding itself: the rules (`crate::rules`)
//! and the loaders of each input kind do.

mod inputs;
mod lint;
mod options;
mod pipeline;
mod plan;
mod read;
mod run;
mod scheduler;
mod verdict;
mod waivers_file;
mod walk;
mod wire_of;

pub use crate::baseline::BaselineUse;
pub use lint::lint;
pub use options::{Command, FailOn, Options, Progress, ProgressHook};
pub use pipeline::{check_parsed, check_str};
pub use plan::Error;
pub use run::{ChecklistInfo, Run};
pub use scheduler::{check, check_against, check_each, check_stream, check_streaming, parse_only};
pub use verdict::{CodeCounts, GateFailure, Totals, gate_failures, verdict_reasons};
pub use wire_of::checklists_digest;
