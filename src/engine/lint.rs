//! `sds lint`: the checklists loaded and linted, as a run of its own.

use super::plan::sources;
use super::run::infos;
use super::{Command, Options, Run, Totals, verdict_reasons};
use crate::checklist::source::{self, Loaded};

/// `sds lint`: loads and lints checklists (the bundled ones when no path is given).
#[must_use]
pub fn lint(options: Options) -> Run {
    let loaded = source::load_all(&sources(&options.paths), &options.limits);
    lint_run(loaded, options)
}

pub(super) fn lint_run(mut loaded: Loaded, options: Options) -> Run {
    if !options.keep_sources {
        for o in &mut loaded.files {
            o.source = None;
        }
    }
    let checklists = infos(&loaded);
    let outcomes = std::mem::take(&mut loaded.files);
    let mut totals = Totals::default();
    for o in &outcomes {
        totals.add(o, &options, false);
    }
    let reasons = verdict_reasons(&options, &totals, outcomes.len(), Command::Lint);
    Run {
        command: Command::Lint,
        totals,
        found: outcomes.len(),
        checked: outcomes.len(),
        waivers_sha256: None,
        baseline: None,
        inputs_sha256: None,
        catalog: None,
        checklists,
        outcomes,
        skipped: Vec::new(),
        pass: reasons.is_empty(),
        reasons,
        options,
    }
}
