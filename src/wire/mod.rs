//! The wire model of the JSON output (`schema/findings.schema.json`): one
//! serde type per object of the schema, used both to write the output
//! (`render::json`) and to read it back (`sds merge`, `--baseline`), so the
//! writer and the readers can never disagree about a field.
//!
//! Reading is strict, because a merged verdict or a baseline rests on what is
//! read: the text is first validated against the schema (which says what is
//! wrong, and where, in terms a person knows), then deserialized into these
//! types, every object with `deny_unknown_fields` and no field defaulted but
//! the optional ones. A finding code, a severity, a date, a shard, a letter
//! of `score.items` that is not exactly as sds writes it is refused, never
//! read as something else.
//!
//! Field order here is the order in the output (serde writes fields in
//! declaration order), so these declarations fix the byte layout too.

mod fields;
mod finding;
mod read;
mod report;
mod run;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use finding::Finding;
pub use read::{parse, read};
pub use report::{ChecklistRef, Derived, DomainScore, Report, Score};
pub use run::{
    Checklist, ChecklistFile, Command, Digests, FailOn, FileRef, Header, Limits, Options,
    SeverityOverride, Skipped, StaleEntry, Summary, Tool, Verdict, Waiver,
};

/// The whole document, as read back by `sds merge` and `--baseline`. (The
/// writer streams it in pieces: [`Header`], each [`Report`], then the rest.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Format version: 1.
    pub sds_findings: u32,
    /// The command that wrote it.
    pub command: Command,
    /// The tool and its version.
    pub tool: Tool,
    /// One entry per input file.
    pub reports: Vec<Report>,
    /// The options that change the verdict.
    pub options: Options,
    /// Every loaded checklist.
    pub checklists: Vec<Checklist>,
    /// Digests of the inputs and checklists (`check` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digests: Option<Digests>,
    /// The gate's verdict.
    pub verdict: Verdict,
    /// Counts.
    pub summary: Summary,
}
