//! The run around the reports: header, options, checklists, digests,
//! verdict and counts (built from a run in `engine::wire_of`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::codes::Code;
use crate::finding::Severity;
use crate::severity::FailOn as EngineFailOn;

/// What comes before `reports` in the streamed document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// Format version: 1.
    pub sds_findings: u32,
    /// The command.
    pub command: Command,
    /// The tool.
    pub tool: Tool,
}

/// `check` or `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `sds check` (and `sds merge`, `sds baseline`).
    Check,
    /// `sds lint`.
    Lint,
}

/// The tool that wrote the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Always `sds`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// `pass` or `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Exit 0.
    Pass,
    /// Exit 1.
    Fail,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// `error`.
    Error,
    /// `warning`.
    Warning,
    /// `note`.
    Note,
    /// `never`.
    Never,
}

/// The options that change the verdict (`options`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// `--fail-on`.
    pub fail_on: FailOn,
    /// `--min-score`.
    pub min_score: Option<f64>,
    /// `--verify-evidence`.
    pub verify_evidence: bool,
    /// `--as-of`.
    #[serde(with = "super::fields::opt_date")]
    pub as_of: Option<NaiveDate>,
    /// `--allow-empty`.
    pub allow_empty: bool,
    /// `--shard I/N`.
    pub shard: Option<String>,
    /// `--baseline`: path and sha256.
    pub baseline: Option<FileRef>,
    /// `--waivers`: path and sha256.
    pub waivers: Option<FileRef>,
    /// `--max-file-size`, `--max-depth`, `--max-alias-values`: what is refused as SDS004.
    pub limits: Limits,
    /// The `sds.toml` the options came from: path and sha256 (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<FileRef>,
    /// Per-code severity overrides (`[severity]`, `--severity`); absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityOverride>,
}

/// One per-code severity override, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityOverride {
    /// `SDSnnn`.
    #[serde(with = "super::fields::code")]
    pub code: Code,
    /// The severity of its findings in this run.
    pub severity: Severity,
    /// `config` (sds.toml) or `command_line` (`--severity`).
    pub from: String,
}

/// The waiver behind an SDS060 finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// `report` (the report's own `waivers:`) or `waivers_file` (`--waivers`).
    pub from: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub approved_by: String,
}

/// A file an option names, with its sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// As given.
    pub path: String,
    /// Lowercase hex.
    pub sha256: String,
}

/// Input limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Bytes.
    pub max_file_size: u64,
    /// Levels of nesting.
    pub max_depth: usize,
    /// Values aliases may expand to.
    pub max_alias_values: usize,
    /// Values one file may hold.
    pub max_values: usize,
}

/// One loaded checklist version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256 of the file (or of the manifest of a folder's files).
    pub sha256: String,
    /// Compiled into the binary.
    pub bundled: bool,
    /// Each file with its sha256.
    pub files: Vec<ChecklistFile>,
}

/// One file of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistFile {
    /// Path.
    pub path: String,
    /// sha256.
    pub sha256: String,
}

/// What a run was made of, so the shards of one run can be told from others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Digests {
    /// sha256 over every input found, in sorted order, before `--shard`
    /// picks a share (so every shard of one run records the same one).
    pub inputs: String,
    /// sha256 over the loaded checklists' `id`, `version` and `sha256`.
    pub checklists: String,
}

/// `summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Files found.
    pub found: usize,
    /// Inputs checked.
    pub checked: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Findings at error severity (baselined ones apart).
    pub errors: usize,
    /// At warning severity.
    pub warnings: usize,
    /// At note severity.
    pub notes: usize,
    /// Findings the baseline absorbed.
    pub baselined: usize,
    /// Baseline entries that no longer occur.
    pub stale_baseline: Vec<StaleEntry>,
    /// Files skipped, with why.
    pub skipped_files: Vec<Skipped>,
}

/// A file skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    /// Path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// A baseline entry (its key), as listed when it no longer occurs. Ordered
/// so that lists of them are sorted the same way on every machine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleEntry {
    /// The report id.
    pub report: String,
    /// The item (null for a finding without one).
    pub item: Option<String>,
    /// The code.
    #[serde(with = "super::fields::code")]
    pub code: Code,
    /// For an entry without an item: the pointer of the node at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For an entry without an item: the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl From<EngineFailOn> for FailOn {
    fn from(f: EngineFailOn) -> Self {
        match f {
            EngineFailOn::Error => FailOn::Error,
            EngineFailOn::Warning => FailOn::Warning,
            EngineFailOn::Note => FailOn::Note,
            EngineFailOn::Never => FailOn::Never,
        }
    }
}

impl From<FailOn> for EngineFailOn {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => EngineFailOn::Error,
            FailOn::Warning => EngineFailOn::Warning,
            FailOn::Note => EngineFailOn::Note,
            FailOn::Never => EngineFailOn::Never,
        }
    }
}

impl Tool {
    /// This build of sds.
    #[must_use]
    pub fn this() -> Self {
        Tool {
            name: "sds".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

impl Options {
    /// `shard` as `(I, N)`; a run without `--shard` is part 1 of 1.
    ///
    /// # Errors
    /// When it is not `I/N` with `1 <= I <= N`, as sds writes it.
    pub fn shard(&self) -> Result<(usize, usize), String> {
        let Some(s) = &self.shard else {
            return Ok((1, 1));
        };
        let bad = || format!("`options.shard` is {s:?}, not I/N with 1 <= I <= N");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let num = |t: &str| -> Result<usize, String> {
            // Only the digits sds writes: no sign, space or leading zero.
            if t.is_empty() || t.starts_with('0') || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        let (i, n) = (num(i)?, num(n)?);
        if i > n {
            return Err(bad());
        }
        Ok((i, n))
    }
}
