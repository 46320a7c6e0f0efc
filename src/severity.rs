//! Severities and the gate's threshold: the vocabulary every other module
//! speaks, so it depends on none of them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How much a finding matters. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational (e.g. a waived finding).
    Note,
    /// Worth a look; does not gate by default.
    Warning,
    /// A gap; gates by default.
    Error,
}

impl Severity {
    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The lowest severity that fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Errors fail the gate (default).
    #[default]
    Error,
    /// Warnings and errors.
    Warning,
    /// Any finding, notes included.
    Note,
    /// Findings never fail the gate (`--min-score` and empty runs still can).
    Never,
}

impl FailOn {
    /// As written on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Note => "note",
            FailOn::Never => "never",
        }
    }

    /// Whether a finding of this severity fails the gate.
    #[must_use]
    pub fn fails(self, s: Severity) -> bool {
        match self {
            FailOn::Error => s >= Severity::Error,
            FailOn::Warning => s >= Severity::Warning,
            FailOn::Note => true,
            FailOn::Never => false,
        }
    }
}
