//! A check planned: its options validated and what they name loaded (the
//! checklists, the waivers file, the baseline) before any report is read.
//! Every exit-2 condition is found here.

use std::path::PathBuf;
use std::sync::Arc;

use super::inputs::{display, exclude_set};
use super::lint::lint_run;
use super::run::infos;
use super::{ChecklistInfo, Options, Run, waivers_file};
use crate::baseline::{Baseline, Tally};
use crate::checklist::source;
use crate::checklist::{Catalog, ChecklistSource};
use crate::load::Limits;
use crate::outcome::Outcome;
use crate::rules::ExternalWaiver;

/// Why a run could not be done (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A loaded checklist has lint errors; the lint run is attached to show them.
    #[error("a checklist has errors (SDS001-SDS108); no verdict can rest on it")]
    ChecklistInvalid(Box<Run>),
    /// No checklist could be loaded.
    #[error("no checklist is loaded{0}")]
    NoChecklist(String),
    /// The waivers file is unusable; its outcome is attached.
    #[error("the waivers file {0} is not valid")]
    WaiversInvalid(String, Box<Outcome>),
    /// A bad argument.
    #[error("{0}")]
    Usage(String),
}

pub(super) fn sources(paths: &[PathBuf]) -> Vec<ChecklistSource> {
    if paths.is_empty() {
        vec![ChecklistSource::Bundled]
    } else {
        paths.iter().cloned().map(ChecklistSource::Path).collect()
    }
}

/// Loads and lints the checklists a check needs, once per run.
pub(super) fn prepare_check(
    options: Options,
) -> Result<(Options, Vec<ChecklistInfo>, Arc<Catalog>), Error> {
    exclude_set(&options.exclude)?;
    // --max-file-size is about reports; checklists keep the default limits.
    let mut loaded = source::load_all(&sources(&options.checklists), &Limits::default());
    if loaded.has_errors() {
        let mut run = lint_run(loaded, options);
        run.outcomes.retain(|o| !o.findings.is_empty());
        return Err(Error::ChecklistInvalid(Box::new(run)));
    }
    if loaded.checklists.is_empty() {
        let from = if options.checklists.is_empty() {
            String::new()
        } else {
            format!(
                " from {}",
                options
                    .checklists
                    .iter()
                    .map(|p| display(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        return Err(Error::NoChecklist(from));
    }
    let checklists = infos(&loaded);
    let catalog = Arc::new(Catalog::new(std::mem::take(&mut loaded.checklists)));
    Ok((options, checklists, catalog))
}

/// The options of a check, validated, with the files they name loaded.
pub(super) struct Plan {
    /// `--exclude`, compiled.
    pub exclude: globset::GlobSet,
    /// `--waivers`: the waivers, the file's sha256 and its outcome.
    pub waivers: Vec<ExternalWaiver>,
    pub waivers_sha256: Option<String>,
    pub waivers_outcome: Option<Outcome>,
    /// The paths to walk (`.` when none is given).
    pub paths: Vec<PathBuf>,
    /// `--shard I/N` (1/1 without it).
    pub part: usize,
    pub parts: usize,
    /// `--baseline`, ready to absorb findings.
    pub tally: Option<Tally>,
}

impl Plan {
    /// Validates the options in the order the errors are reported.
    ///
    /// # Errors
    /// A bad `--exclude`, `--min-score` or `--shard`, an unusable waivers
    /// file or baseline.
    pub(super) fn new(options: &Options) -> Result<Plan, Error> {
        let exclude = exclude_set(&options.exclude)?;
        let (waivers, waivers_sha256, waivers_outcome) = match &options.waivers {
            Some(p) => {
                let (w, sha, o) = waivers_file::load(p, &options.limits)?;
                (w, Some(sha), Some(o))
            }
            None => (Vec::new(), None, None),
        };
        let paths = if options.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            options.paths.clone()
        };
        if let Some(m) = options.min_score
            && !(m.is_finite() && (0.0..=100.0).contains(&m))
        {
            return Err(Error::Usage(format!(
                "--min-score {m}: give a finite number from 0 to 100"
            )));
        }
        let (part, parts) = options.shard.unwrap_or((1, 1));
        if part == 0 || parts == 0 || part > parts {
            return Err(Error::Usage(format!(
                "--shard {part}/{parts}: I must be between 1 and N"
            )));
        }
        let tally = match &options.baseline {
            Some(p) => Some(
                Baseline::load(p, &options.limits)
                    .map_err(|e| Error::Usage(format!("--baseline {}: {e}", p.display())))?
                    .tally(),
            ),
            None => None,
        };
        Ok(Plan {
            exclude,
            waivers,
            waivers_sha256,
            waivers_outcome,
            paths,
            part,
            parts,
            tally,
        })
    }
}
