//! What a run is asked to do: the command, the gate threshold and every
//! option of `sds check` and `sds lint`, as the library receives them.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::load::Limits;

pub use crate::severity::FailOn;

/// What to check and how.
#[derive(Debug, Clone, Default)]
// Each bool is an independent switch of the command line; a state machine would not fit.
#[allow(clippy::struct_excessive_bools)]
pub struct Options {
    /// Files and folders to check (`check`) or checklists to lint (`lint`).
    pub paths: Vec<PathBuf>,
    /// Checklists to load (`check`); empty means the bundled ones.
    pub checklists: Vec<PathBuf>,
    /// Gate threshold.
    pub fail_on: FailOn,
    /// Minimum score, in percent, of every report.
    pub min_score: Option<f64>,
    /// Open evidence files and check their sha256.
    pub verify_evidence: bool,
    /// The date freshness and waivers are judged at (default: each report's issue date).
    pub as_of: Option<NaiveDate>,
    /// `--waivers FILE`.
    pub waivers: Option<PathBuf>,
    /// Worker threads (default: every core).
    pub jobs: Option<usize>,
    /// Globs of paths to leave out.
    pub exclude: Vec<String>,
    /// A run with no report passes instead of failing.
    pub allow_empty: bool,
    /// Input limits.
    pub limits: Limits,
    /// Keep each file's text for renderers that show source lines.
    pub keep_sources: bool,
    /// Check every report against this checklist version, whatever version it names.
    pub pin: Option<(String, semver::Version)>,
    /// Check only part `I` of `N` of the inputs (`--shard I/N`, 1-based): inputs
    /// are dealt round-robin in their sorted order, so every runner of a CI
    /// matrix gets a disjoint, balanced, reproducible share.
    pub shard: Option<(usize, usize)>,
    /// `--baseline FILE`: the JSON output of an earlier run.
    pub baseline: Option<PathBuf>,
    /// Told how many inputs there are and each time one is done (the binary
    /// draws a progress bar with it; the library prints nothing).
    pub progress: Option<ProgressHook>,
    /// Per-code severity overrides (`sds.toml` `[severity]`, `--severity`),
    /// applied to each report's findings once it is checked.
    pub severity: Vec<crate::config::SeverityOverride>,
    /// The `sds.toml` the options came from: path and sha256, for the audit trail.
    pub config: Option<(String, String)>,
    /// Files that are not reports (no top-level `sds_report`) are skipped, not
    /// checked (for pre-commit, which passes every staged YAML file).
    pub skip_non_reports: bool,
    /// `--link-base URL`: where links to the findings reference point
    /// (Markdown, HTML, SARIF `helpUri`); rendering only, never the verdict.
    pub link_base: Option<String>,
}

/// Receives the progress of a run.
pub trait Progress: Send + Sync {
    /// The run starts (inputs are found as they are checked, so their number is not known yet).
    fn start(&self);
    /// One more input is done.
    fn advance(&self);
}

/// A shared [`Progress`] receiver, for [`Options::progress`].
#[derive(Clone)]
pub struct ProgressHook(pub Arc<dyn Progress>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Which command produced a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `sds check`.
    Check,
    /// `sds lint`.
    Lint,
}

impl Command {
    /// The subcommand's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Command::Check => "check",
            Command::Lint => "lint",
        }
    }
}
