//! A finished run, what every renderer formats, and the summary line it gives.

use std::sync::Arc;

use super::{BaselineUse, Command, Options, Totals};
use crate::checklist::Catalog;
use crate::checklist::source::Loaded;
use crate::finding::Severity;
use crate::outcome::Outcome;

/// A loaded checklist, for the audit trail.
#[derive(Debug, Clone)]
pub struct ChecklistInfo {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256 (file, or manifest of a folder).
    pub sha256: String,
    /// Compiled into the binary.
    pub bundled: bool,
    /// Each file with its sha256.
    pub files: Vec<(String, String)>,
}

/// A finished run: what every renderer formats.
#[derive(Debug)]
pub struct Run {
    /// The command.
    pub command: Command,
    /// The options that shaped it.
    pub options: Options,
    /// sha256 of the waivers file, when one was given.
    pub waivers_sha256: Option<String>,
    /// The baseline, when one was given: its sha256 and its entries that no longer occur.
    pub baseline: Option<BaselineUse>,
    /// sha256 over every input found before `--shard` took its share (`check` only).
    pub inputs_sha256: Option<String>,
    /// Loaded checklists.
    pub checklists: Vec<ChecklistInfo>,
    /// The compiled checklists (for `check` runs), so renderers can name the items of a score.
    pub catalog: Option<Arc<Catalog>>,
    /// One outcome per input, in input order (empty when the outcomes were streamed).
    pub outcomes: Vec<Outcome>,
    /// Counts over all outcomes, streamed or not.
    pub totals: Totals,
    /// Files found.
    pub found: usize,
    /// Inputs checked (reports under `check`, checklist files under `lint`).
    pub checked: usize,
    /// Files skipped, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Whether the gate passes.
    pub pass: bool,
    /// Why the gate fails (empty when it passes).
    pub reasons: Vec<String>,
}

impl Run {
    /// A run that has not checked anything yet: its command, options and
    /// checklists, no outcome, no totals. What a renderer building its
    /// document report by report reads while the reports arrive
    /// ([`crate::engine::check_each`]).
    #[must_use]
    pub fn starting(
        command: Command,
        options: Options,
        checklists: Vec<ChecklistInfo>,
        catalog: Option<Arc<Catalog>>,
    ) -> Run {
        Run {
            command,
            options,
            waivers_sha256: None,
            baseline: None,
            inputs_sha256: None,
            checklists,
            catalog,
            outcomes: Vec::new(),
            totals: Totals::default(),
            found: 0,
            checked: 0,
            skipped: Vec::new(),
            pass: false,
            reasons: Vec::new(),
        }
    }

    /// "found 4 files: 4 reports checked, 0 skipped; 2 errors, 0 warnings, 1 note" — the
    /// summary line every format gives.
    #[must_use]
    pub fn inputs_line(&self) -> String {
        format!(
            "{}; {}, {}, {}",
            self.inputs_only(),
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning"),
            plural(self.count(Severity::Note), "note")
        )
    }

    /// "found 4 files: 4 reports checked, 0 skipped".
    #[must_use]
    pub fn inputs_only(&self) -> String {
        let what = match self.command {
            Command::Check => "report",
            Command::Lint => "checklist file",
        };
        format!(
            "found {}: {} checked, {} skipped",
            plural(self.found, "file"),
            plural(self.checked, what),
            self.skipped.len()
        )
    }

    /// Findings at this severity over all outcomes (streamed ones included).
    #[must_use]
    pub fn count(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.totals.errors,
            Severity::Warning => self.totals.warnings,
            Severity::Note => self.totals.notes,
        }
    }

    /// The checklist an outcome was checked against.
    #[must_use]
    pub fn checklist_of(&self, o: &Outcome) -> Option<&crate::checklist::Checklist> {
        let r = o.checklist.as_ref()?;
        let version = semver::Version::parse(&r.version).ok()?;
        self.catalog.as_ref()?.get(&r.id, &version)
    }
}

pub(super) fn infos(loaded: &Loaded) -> Vec<ChecklistInfo> {
    loaded
        .checklists
        .iter()
        .map(|c| ChecklistInfo {
            id: c.id.clone(),
            version: c.version.to_string(),
            sha256: c.sha256.clone(),
            bundled: c.bundled,
            files: c
                .files
                .iter()
                .map(|f| (f.path.clone(), f.sha256.clone()))
                .collect(),
        })
        .collect()
}

/// "1 file", "2 files".
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
