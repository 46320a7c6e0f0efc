//! The per-file pipeline: one input read, recognised, validated, resolved
//! to its checklist and checked by the rules, into one [`Outcome`] (or a
//! reason to skip it).

use std::fmt;
use std::path::{Path, PathBuf};

use super::inputs::{self, Input};
use super::read::{read_tree, tree_of};
use super::{Options, walk};
use crate::checklist::Catalog;
use crate::checklist::source::sha256_hex;
use crate::load::{self, DocKind, Node};
use crate::outcome::{ChecklistRef, Outcome};
use crate::report::{self, Report};
use crate::rules::waivers::{ExternalUse, normalise};
use crate::rules::{self, Context, ExternalWaiver};
use crate::schema::{self, SchemaKind};

/// Why an input was skipped rather than checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SkipReason {
    /// Matched by `--exclude`.
    Excluded,
    /// Not a report, under `--skip-non-reports`.
    NotAReport,
    /// A checklist.
    Checklist,
    /// A waivers file.
    Waivers,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::Excluded => "excluded by --exclude",
            SkipReason::NotAReport => "not a report (no sds_report)",
            SkipReason::Checklist => "a checklist (sds_checklist)",
            SkipReason::Waivers => "a waivers file (sds_waivers)",
        })
    }
}

/// What a single input turned out to be.
pub(super) enum Checked {
    /// A report's outcome, and the external waivers that mattered in it.
    Report(Box<Outcome>, Vec<(usize, ExternalUse)>),
    /// An input skipped (its shown path, and why).
    Skipped(String, SkipReason),
}

/// What every input of a run is checked with.
pub(super) struct Shared<'a> {
    pub catalog: &'a Catalog,
    pub options: &'a Options,
    pub waivers: &'a [ExternalWaiver],
    /// Raw test datasets named by reports, each read once per run.
    pub datasets: &'a crate::derive::DatasetCache,
}

pub(super) fn check_input(shown: &str, input: &Input, shared: &Shared<'_>) -> Checked {
    let path = match input {
        Input::File(p) => p,
        Input::Stdin => return check_stdin(shared),
        Input::Excluded => return Checked::Skipped(shown.to_owned(), SkipReason::Excluded),
        Input::Unreadable(why) => {
            return Checked::Report(Box::new(inputs::unreadable(shown, why)), Vec::new());
        }
    };
    let options = shared.options;
    // A file that does not even mention `sds_report` cannot be a report (a
    // broken one that does is still checked, and fails).
    if options.skip_non_reports
        && load::read_bytes(path, &options.limits)
            .is_ok_and(|b| !b.windows(10).any(|w| w == b"sds_report"))
    {
        return Checked::Skipped(shown.to_owned(), SkipReason::NotAReport);
    }
    let (o, tree) = read_tree(path, &options.limits, options.keep_sources);
    let Some((text, root)) = tree else {
        return Checked::Report(Box::new(o), Vec::new());
    };
    with_pointers(check_tree(o, &text, &root, path, shared), &root)
}

/// Names the node each finding stands at by its JSON pointer (see [`crate::pointer`]).
fn with_pointers(mut c: Checked, root: &Node) -> Checked {
    if let Checked::Report(o, _) = &mut c {
        crate::pointer::assign(root, &mut o.findings);
    }
    c
}

/// `-`: the report on standard input, read with the same size limit as a file.
fn check_stdin(shared: &Shared<'_>) -> Checked {
    let options = shared.options;
    let bytes = load::read_limited(std::io::stdin().lock(), walk::STDIN, &options.limits);
    let (o, tree) = tree_of(walk::STDIN, bytes, &options.limits, options.keep_sources);
    let Some((text, root)) = tree else {
        return Checked::Report(Box::new(o), Vec::new());
    };
    // Evidence paths of a report on standard input are taken from the current folder.
    check_tree(o, &text, &root, Path::new(walk::STDIN), shared)
}

/// Checks report text already in memory (for tests, fuzzing and embedding):
/// the same stages as `sds check` on a file, without evidence files or a
/// waivers file. `path` names the report in the outcome and anchors evidence paths.
#[must_use]
pub fn check_str(path: &str, text: &str, catalog: &Catalog, options: &Options) -> Outcome {
    let root = match load::parse(text, &options.limits) {
        Ok(root) => root,
        Err(e) => {
            let mut o = Outcome::new(path);
            o.sha256 = Some(sha256_hex(text.as_bytes()));
            o.findings.push(e.into());
            o.locate(text);
            return o;
        }
    };
    outcome_of(with_pointers(
        check_root(path, text, &root, catalog, options),
        &root,
    ))
}

/// [`check_str`] on text its caller has already parsed (with the same
/// limits): `sds lsp` parses each change once for its own needs and hands the
/// tree here, so the editor runs exactly the checks of `sds check`.
#[must_use]
pub fn check_parsed(
    path: &str,
    text: &str,
    root: &Node,
    catalog: &Catalog,
    options: &Options,
) -> Outcome {
    outcome_of(check_root(path, text, root, catalog, options))
}

/// One document held in memory, checked on its own (no waivers file).
fn check_root(
    path: &str,
    text: &str,
    root: &Node,
    catalog: &Catalog,
    options: &Options,
) -> Checked {
    let mut o = Outcome::new(path);
    o.sha256 = Some(sha256_hex(text.as_bytes()));
    // One document at a time (the LSP, the fuzzer): its datasets are read for it alone.
    let datasets = crate::derive::DatasetCache::new();
    let shared = Shared {
        catalog,
        options,
        waivers: &[],
        datasets: &datasets,
    };
    check_tree(o, text, root, Path::new(path), &shared)
}

/// A document that is not a report (a checklist, a waivers file) gives an empty outcome.
fn outcome_of(checked: Checked) -> Outcome {
    match checked {
        Checked::Report(o, _) => *o,
        Checked::Skipped(path, _) => Outcome::new(path),
    }
}

/// Checks one parsed report; its findings leave located in `text`.
fn check_tree(o: Outcome, text: &str, root: &Node, path: &Path, shared: &Shared<'_>) -> Checked {
    let mut checked = check_tree_unlocated(o, text, root, path, shared);
    if let Checked::Report(o, _) = &mut checked {
        o.locate(text);
    }
    checked
}

fn check_tree_unlocated(
    mut o: Outcome,
    text: &str,
    root: &Node,
    path: &Path,
    shared: &Shared<'_>,
) -> Checked {
    let options = shared.options;
    let kind = load::doc_kind(root);
    match kind {
        DocKind::Checklist => return Checked::Skipped(o.path, SkipReason::Checklist),
        DocKind::Waivers => return Checked::Skipped(o.path, SkipReason::Waivers),
        DocKind::Unknown if options.skip_non_reports => {
            return Checked::Skipped(o.path, SkipReason::NotAReport);
        }
        DocKind::Report | DocKind::Unknown => {}
    }
    o.id = report::report_id(root);
    if let Err(e) = load::check_format(root, DocKind::Report) {
        o.findings.push(e.into());
        return Checked::Report(Box::new(o), Vec::new());
    }
    let schema_findings = schema::validate(root, text, SchemaKind::Report);
    if !schema_findings.is_empty() {
        o.findings = schema_findings;
        return Checked::Report(Box::new(o), Vec::new());
    }
    let report = match Report::from_tree(root) {
        Ok(r) => r,
        Err(f) => {
            o.findings = f;
            o.sort_findings();
            return Checked::Report(Box::new(o), Vec::new());
        }
    };
    let as_of = options.as_of.unwrap_or(report.issued.date);
    o.as_of = Some(as_of);
    let checklist = match rules::resolve::checklist(shared.catalog, &report, options.pin.as_ref()) {
        Ok(c) => c,
        Err(f) => {
            o.findings.push(*f);
            return Checked::Report(Box::new(o), Vec::new());
        }
    };
    o.checklist = Some(ChecklistRef {
        id: checklist.id.clone(),
        version: checklist.version.to_string(),
        sha256: checklist.sha256.clone(),
    });
    let normalised = if shared.waivers.is_empty() {
        PathBuf::new()
    } else {
        normalise(path)
    };
    let external: Vec<(usize, &ExternalWaiver)> = shared
        .waivers
        .iter()
        .enumerate()
        .filter(|(_, w)| w.matches(&normalised, report.id))
        .collect();
    let dir = path.parent().unwrap_or(Path::new("."));
    let ctx = Context {
        report: &report,
        source: text,
        checklist,
        catalog: shared.catalog,
        as_of,
        verify_evidence: options.verify_evidence,
        report_dir: if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        },
        external_waivers: &external,
        datasets: shared.datasets,
        data_limits: &options.limits,
    };
    let checked = rules::check(&ctx);
    o.findings = checked.findings;
    o.derived = checked.derived;
    o.score = Some(checked.score);
    o.sort_findings();
    Checked::Report(Box::new(o), checked.used_external)
}
