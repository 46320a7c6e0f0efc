//! `sds.toml`: defaults for the options of `check` and `lint`, and per-code
//! severities. Documented key by key in `docs/config.md`.
//!
//! The file is found from the current folder upward (or named with
//! `--config FILE`; `--no-config` ignores it). The command line overrides
//! it. Paths in it are relative to the folder holding it, so a run from a
//! subfolder means the same files. An unknown key is an error naming the
//! nearest known key: a misspelt `fail-on` must never be silently ignored in
//! a certification gate.
//!
//! Severity overrides are applied once per report, after checking
//! ([`apply_severity`]); they can raise any finding, but never lower a
//! code that can never be waived ([`Code::never_waivable`]), SDS010 (a
//! report that was not checked), a checklist-lint code, or any finding of an
//! item marked `waivable: false`.

mod file;
mod severity;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::codes::Code;
use crate::finding::Severity;
use crate::severity::FailOn;

pub use file::parse;
pub use severity::{
    apply_severity, check_override, config_from_json, merge_overrides, overrides_from_json,
    parse_override,
};

/// The file name looked for.
pub const FILE_NAME: &str = "sds.toml";

/// Every top-level key, in the order `docs/config.md` documents them.
pub const KEYS: &[&str] = &[
    "checklists",
    "waivers",
    "exclude",
    "fail-on",
    "min-score",
    "as-of",
    "verify-evidence",
    "allow-empty",
    "skip-non-reports",
    "link-base",
    "outputs",
    "severity",
];

/// Keys of an `outputs` entry.
const OUTPUT_KEYS: &[&str] = &["format", "path"];

/// Where a severity override came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideSource {
    /// `[severity]` of `sds.toml`.
    Config,
    /// `--severity CODE=LEVEL`.
    CommandLine,
}

impl OverrideSource {
    /// As written in the audit trail.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideSource::Config => "config",
            OverrideSource::CommandLine => "command_line",
        }
    }
}

/// One per-code severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeverityOverride {
    /// The code.
    pub code: Code,
    /// Its severity in this run.
    pub severity: Severity,
    /// Where it was set.
    pub from: OverrideSource,
}

/// The as-of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// Each report's own `report.issued` date (the default).
    Issued,
    /// The day of the run.
    Today,
    /// A fixed date.
    Date(NaiveDate),
}

/// What an `sds.toml` says (paths already resolved against its folder).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// `checklists`.
    pub checklists: Vec<PathBuf>,
    /// `waivers`.
    pub waivers: Option<PathBuf>,
    /// `exclude`.
    pub exclude: Vec<String>,
    /// `fail-on`.
    pub fail_on: Option<FailOn>,
    /// `min-score`.
    pub min_score: Option<f64>,
    /// `as-of`.
    pub as_of: Option<AsOf>,
    /// `verify-evidence`.
    pub verify_evidence: Option<bool>,
    /// `allow-empty`.
    pub allow_empty: Option<bool>,
    /// `skip-non-reports`.
    pub skip_non_reports: Option<bool>,
    /// `link-base`.
    pub link_base: Option<String>,
    /// `outputs`: (format name, file or standard output).
    pub outputs: Vec<(String, Option<PathBuf>)>,
    /// `[severity]`, in code order.
    pub severity: Vec<(Code, Severity)>,
}

/// A config file read.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Its path.
    pub path: PathBuf,
    /// sha256 of its bytes, for the audit trail.
    pub sha256: String,
    /// What it says.
    pub settings: Settings,
}

/// Why a config file cannot be used (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The nearest `sds.toml`: in `start` or the closest folder above it.
#[must_use]
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The nearest `sds.toml` from `start` upward, as a path relative to
/// `start` (`sds.toml`, `../sds.toml`), so the audit trail does not depend on
/// where the checkout lies.
#[must_use]
pub fn find_relative(start: &Path) -> Option<PathBuf> {
    start.ancestors().enumerate().find_map(|(up, d)| {
        d.join(FILE_NAME).is_file().then(|| {
            let mut p = PathBuf::new();
            for _ in 0..up {
                p.push("..");
            }
            p.join(FILE_NAME)
        })
    })
}
/// Reads and validates a config file.
///
/// # Errors
/// The file cannot be read, is not TOML, holds an unknown key, a value of
/// the wrong type, or a severity override that is not allowed.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let err = |message: String| ConfigError {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| err("not UTF-8 text".into()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let settings = parse(text, base).map_err(err)?;
    Ok(Config {
        path: path.to_path_buf(),
        sha256: crate::checklist::source::sha256_hex(&bytes),
        settings,
    })
}
