//! The verdict: counts kept as outcomes stream past, and why the gate fails.

use std::fmt;

use super::{Command, Options};
use crate::codes::Code;
use crate::finding::Severity;
use crate::outcome::Outcome;

/// Counts over the outcomes of a run, kept as outcomes stream past.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Findings at error severity.
    pub errors: usize,
    /// Findings at warning severity.
    pub warnings: usize,
    /// Findings at note severity.
    pub notes: usize,
    /// Findings at or above `--fail-on`.
    pub failing: usize,
    /// Findings already in the `--baseline` (counted apart, never gating).
    pub baselined: usize,
    /// Reports under `--min-score`, or that could not be scored while one is set.
    pub under_min_score: usize,
    /// Findings per code (not baselined), for `--statistics`.
    pub per_code: CodeCounts,
}

/// A count per finding code, in [`crate::codes::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeCounts(pub [usize; crate::codes::ALL.len()]);

impl Default for CodeCounts {
    fn default() -> Self {
        CodeCounts([0; crate::codes::ALL.len()])
    }
}

impl CodeCounts {
    fn add(&mut self, code: Code) {
        if let Some(i) = crate::codes::ALL.iter().position(|c| *c == code) {
            self.0[i] += 1;
        }
    }

    fn merge(&mut self, other: &CodeCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The codes that occurred, with their counts, in code order.
    #[must_use]
    pub fn nonzero(&self) -> Vec<(Code, usize)> {
        crate::codes::ALL
            .iter()
            .zip(self.0)
            .filter(|(_, n)| *n > 0)
            .map(|(c, n)| (*c, n))
            .collect()
    }
}

impl Totals {
    /// Adds one outcome; `report` says whether it is a checked report (for `--min-score`).
    pub fn add(&mut self, o: &Outcome, options: &Options, report: bool) {
        for f in &o.findings {
            if f.baselined {
                self.baselined += 1;
                continue;
            }
            self.per_code.add(f.code);
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note => self.notes += 1,
            }
            if options.fail_on.fails(f.severity) {
                self.failing += 1;
            }
        }
        if let (Some(min), true) = (options.min_score, report)
            // No score, or no applicable points (no percentage), never meets it.
            && o.score
                .as_ref()
                .and_then(|s| s.overall.percent())
                .is_none_or(|p| p < min)
        {
            self.under_min_score += 1;
        }
    }

    /// Adds the counts of part of the run (one report's, checked on a worker).
    pub(super) fn merge(&mut self, t: &Totals) {
        self.errors += t.errors;
        self.warnings += t.warnings;
        self.notes += t.notes;
        self.failing += t.failing;
        self.baselined += t.baselined;
        self.under_min_score += t.under_min_score;
        self.per_code.merge(&t.per_code);
    }
}

/// One reason the gate fails.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GateFailure {
    /// Findings at or above `--fail-on` (how many, and the threshold).
    Findings(usize, super::FailOn),
    /// Reports under `--min-score` or not scored (how many, and the minimum).
    UnderMinScore(usize, f64),
    /// Nothing was checked and `--allow-empty` was not given.
    Empty(Command),
}

impl fmt::Display for GateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateFailure::Findings(n, fail_on) => write!(
                f,
                "{n} finding(s) at or above --fail-on {}",
                fail_on.as_str()
            ),
            GateFailure::UnderMinScore(n, min) => write!(
                f,
                "{n} report(s) scored under --min-score {min} or could not be scored"
            ),
            GateFailure::Empty(Command::Check) => {
                f.write_str("no report was checked (use --allow-empty to accept that)")
            }
            GateFailure::Empty(Command::Lint) => f.write_str("no checklist was linted"),
        }
    }
}

/// Why the gate fails (empty when it passes).
#[must_use]
pub fn gate_failures(
    options: &Options,
    totals: &Totals,
    checked: usize,
    command: Command,
) -> Vec<GateFailure> {
    let mut failures = Vec::new();
    if totals.failing > 0 {
        failures.push(GateFailure::Findings(totals.failing, options.fail_on));
    }
    if let (Some(min), Command::Check) = (options.min_score, command)
        && totals.under_min_score > 0
    {
        failures.push(GateFailure::UnderMinScore(totals.under_min_score, min));
    }
    if checked == 0 && !options.allow_empty {
        failures.push(GateFailure::Empty(command));
    }
    failures
}

/// Why the gate fails (empty when it passes), as the sentences every format prints.
#[must_use]
pub fn verdict_reasons(
    options: &Options,
    totals: &Totals,
    checked: usize,
    command: Command,
) -> Vec<String> {
    gate_failures(options, totals, checked, command)
        .iter()
        .map(ToString::to_string)
        .collect()
}
