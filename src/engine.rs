//! A run: find the inputs, load and lint the checklists once, check every
//! report in parallel, and reach a verdict. Output order is the input order
//! (sorted paths), never the order threads finish in.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::baseline::Baseline;
pub use crate::baseline::BaselineUse;
use crate::checklist::catalog::ResolveError;
use crate::checklist::source::{self, Loaded, sha256_hex};
use crate::checklist::{Catalog, ChecklistSource};
use crate::codes::Code;
use crate::finding::{Finding, Severity};
use crate::load::{self, DocKind, Limits, Node};
use crate::outcome::{ChecklistRef, Outcome};
use crate::report::{self, Report};
use crate::rules::waivers::{ExternalUse, normalise};
use crate::rules::{self, Context, ExternalWaiver};
use crate::schema::{self, SchemaKind};

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

/// What to check and how.
#[derive(Debug, Clone)]
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

impl Default for Options {
    fn default() -> Self {
        Options {
            paths: Vec::new(),
            checklists: Vec::new(),
            fail_on: FailOn::Error,
            min_score: None,
            verify_evidence: false,
            as_of: None,
            waivers: None,
            jobs: None,
            exclude: Vec::new(),
            allow_empty: false,
            limits: Limits::default(),
            keep_sources: false,
            pin: None,
            shard: None,
            baseline: None,
            progress: None,
            severity: Vec::new(),
            config: None,
            skip_non_reports: false,
            link_base: None,
        }
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
    /// "found 4 files: 4 reports checked, 0 skipped; 2 errors, 0 warnings, 1 note" — the
    /// summary line every format gives.
    #[must_use]
    pub fn inputs_line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
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
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
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

fn sources(paths: &[PathBuf]) -> Vec<ChecklistSource> {
    if paths.is_empty() {
        vec![ChecklistSource::Bundled]
    } else {
        paths.iter().cloned().map(ChecklistSource::Path).collect()
    }
}

fn infos(loaded: &Loaded) -> Vec<ChecklistInfo> {
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
}

/// Why the gate fails (empty when it passes).
#[must_use]
pub fn verdict_reasons(
    options: &Options,
    totals: &Totals,
    checked: usize,
    command: Command,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if totals.failing > 0 {
        reasons.push(format!(
            "{} finding(s) at or above --fail-on {}",
            totals.failing,
            options.fail_on.as_str()
        ));
    }
    if let (Some(min), Command::Check) = (options.min_score, command)
        && totals.under_min_score > 0
    {
        reasons.push(format!(
            "{} report(s) scored under --min-score {min} or could not be scored",
            totals.under_min_score
        ));
    }
    if checked == 0 && !options.allow_empty {
        reasons.push(match command {
            Command::Check => "no report was checked (use --allow-empty to accept that)".to_owned(),
            Command::Lint => "no checklist was linted".to_owned(),
        });
    }
    reasons
}

/// `sds lint`: loads and lints checklists (the bundled ones when no path is given).
#[must_use]
pub fn lint(options: Options) -> Run {
    let loaded = source::load_all(&sources(&options.paths), &options.limits);
    lint_run(loaded, options)
}

fn lint_run(mut loaded: Loaded, options: Options) -> Run {
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

/// One input path found.
enum Input {
    File(PathBuf),
    /// Found but not readable, with why.
    Unreadable(String),
    /// Matched by `--exclude`: counted as skipped, never read.
    Excluded,
    /// `-`: one report read from standard input, shown as `<stdin>`.
    Stdin,
}

mod walk;

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn is_data_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

use walk::discover;

fn exclude_set(globs: &[String]) -> Result<globset::GlobSet, Error> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        b.add(globset::Glob::new(g).map_err(|e| Error::Usage(format!("--exclude {g}: {e}")))?);
    }
    b.build().map_err(|e| Error::Usage(e.to_string()))
}

/// sha256 over the list of inputs found: one `path NUL` each, an excluded
/// one marked `x`, so runs that walk or exclude differently differ.
#[derive(Default)]
struct InputsDigest(sha2::Sha256);

impl InputsDigest {
    fn add(&mut self, path: &str, input: &Input) {
        use sha2::Digest;
        if matches!(input, Input::Excluded) {
            self.0.update(b"x");
        }
        self.0.update(path.as_bytes());
        self.0.update([0]);
    }

    fn finish(self) -> String {
        use sha2::Digest;
        source::hex(&self.0.finalize())
    }
}

/// What a single input turned out to be.
enum Checked {
    Report(Box<Outcome>, Vec<(usize, ExternalUse)>),
    Skipped(String, String),
}

struct Shared<'a> {
    catalog: &'a Catalog,
    options: &'a Options,
    waivers: &'a [ExternalWaiver],
    /// Raw test datasets named by reports, each read once per run.
    datasets: &'a crate::derive::DatasetCache,
}

/// `sds check`, keeping every outcome in [`Run::outcomes`].
///
/// # Errors
/// Exit-2 conditions: a checklist with lint errors, no checklist, an unusable
/// waivers file, a bad argument.
pub fn check(options: Options) -> Result<Run, Error> {
    let (options, checklists, catalog) = prepare_check(options)?;
    check_against(options, checklists, catalog)
}

/// `sds check`, handing each outcome on as it is ready (see [`check_streaming`]).
///
/// # Errors
/// As [`check`].
pub fn check_stream<T: Send>(
    options: Options,
    prepare: &(dyn Fn(Outcome) -> T + Sync),
    consume: &mut dyn FnMut(T),
) -> Result<Run, Error> {
    let (options, checklists, catalog) = prepare_check(options)?;
    check_streaming(options, checklists, catalog, prepare, consume)
}

/// Loads and lints the checklists a check needs, once per run.
fn prepare_check(options: Options) -> Result<(Options, Vec<ChecklistInfo>, Arc<Catalog>), Error> {
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

/// Checks reports against checklists already loaded and linted (`sds diff
/// --reports` uses it to check the same reports against two versions).
/// The outcomes are kept in [`Run::outcomes`].
///
/// # Errors
/// An unusable waivers file, a bad argument.
pub fn check_against(
    options: Options,
    checklists: Vec<ChecklistInfo>,
    catalog: Arc<Catalog>,
) -> Result<Run, Error> {
    let mut outcomes = Vec::new();
    let mut run = check_streaming(options, checklists, catalog, &|o| o, &mut |o| {
        outcomes.push(o)
    })?;
    run.outcomes = outcomes;
    Ok(run)
}

/// Inputs checked in parallel per batch, then handed on in input order: large
/// enough to keep every core busy, small enough that memory does not grow
/// with the number of reports.
const BATCH: usize = 256;

/// Checks reports and hands each outcome on as soon as its turn comes, in
/// input order: `prepare` runs on the worker that checked it (render it
/// there), `consume` on the calling thread (write it out). Nothing is kept, so
/// memory is bounded by the largest report and a batch of outcomes, not by
/// the number of reports. [`Run::outcomes`] stays empty; [`Run::totals`] counts.
///
/// # Errors
/// An unusable waivers file, a bad argument.
pub fn check_streaming<T: Send>(
    options: Options,
    checklists: Vec<ChecklistInfo>,
    catalog: Arc<Catalog>,
    prepare: &(dyn Fn(Outcome) -> T + Sync),
    consume: &mut dyn FnMut(T),
) -> Result<Run, Error> {
    let exclude = exclude_set(&options.exclude)?;
    let (waivers, waivers_sha256, waivers_outcome) = match &options.waivers {
        Some(p) => {
            let (w, sha, o) = load_waivers(p, &options.limits)?;
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
    let mut tally = match &options.baseline {
        Some(p) => Some(
            Baseline::load(p, &options.limits)
                .map_err(|e| Error::Usage(format!("--baseline {}: {e}", p.display())))?
                .tally(),
        ),
        None => None,
    };
    // Every shard of one run walks the same inputs, so every shard records
    // the same digest of the whole list, and `sds merge` can tell shards of
    // one run from shards of another.
    let mut digest = InputsDigest::default();
    let mut inputs = discover(&paths, &exclude)
        .inspect(|(path, input)| digest.add(path, input))
        .enumerate()
        .filter(move |(i, _)| i % parts == part - 1)
        .map(|(_, x)| x);
    if let Some(p) = &options.progress {
        p.0.start();
    }
    let pool = match options.jobs {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Error::Usage(format!("--jobs {n}: {e}")))?,
        ),
        None => None,
    };
    let datasets = crate::derive::DatasetCache::new();
    let shared = Shared {
        catalog: &catalog,
        options: &options,
        waivers: &waivers,
        datasets: &datasets,
    };
    let mut totals = Totals::default();
    let mut checked = 0;
    let mut skipped = Vec::new();
    let mut used: Vec<Vec<ExternalUse>> = vec![Vec::new(); waivers.len()];
    let mut found = 0;
    loop {
        let batch: Vec<(String, Input)> = inputs.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        found += batch.len();
        type Done<T> = Result<(Totals, T, Vec<(usize, ExternalUse)>), (String, String)>;
        let mut work = || -> Vec<Done<T>> {
            let mut done: Vec<Checked> = batch
                .par_iter()
                .map(|(path, i)| {
                    let mut c = check_input(path, i, &shared);
                    // Severity overrides first: the baseline, the totals and
                    // every output then see the severity the gate uses.
                    if let Checked::Report(o, _) = &mut c {
                        crate::config::apply_severity(o, &options.severity, &catalog);
                    }
                    c
                })
                .collect();
            // The baseline is counted over the whole run in input order, so
            // which of two equal findings it absorbs never depends on threads.
            if let Some(t) = tally.as_mut() {
                for c in &mut done {
                    if let Checked::Report(o, _) = c {
                        t.apply(o);
                    }
                }
            }
            done.into_par_iter()
                .map(|c| match c {
                    Checked::Report(o, u) => {
                        let mut t = Totals::default();
                        t.add(&o, &options, true);
                        Ok((t, prepare(*o), u))
                    }
                    Checked::Skipped(path, why) => Err((path, why)),
                })
                .collect()
        };
        let results = match &pool {
            Some(p) => p.install(work),
            None => work(),
        };
        for r in results {
            if let Some(p) = &options.progress {
                p.0.advance();
            }
            match r {
                Ok((t, prepared, u)) => {
                    for (i, how) in u {
                        if let Some(slot) = used.get_mut(i)
                            && !slot.contains(&how)
                        {
                            slot.push(how);
                        }
                    }
                    totals.errors += t.errors;
                    totals.warnings += t.warnings;
                    totals.notes += t.notes;
                    totals.failing += t.failing;
                    totals.baselined += t.baselined;
                    totals.under_min_score += t.under_min_score;
                    totals.per_code.merge(&t.per_code);
                    checked += 1;
                    consume(prepared);
                }
                Err(skip) => skipped.push(skip),
            }
        }
    }
    if let Some(mut o) = waivers_outcome {
        unused_waivers(&waivers, &used, &options, &mut o);
        if !o.findings.is_empty() {
            totals.add(&o, &options, false);
            consume(prepare(o));
        }
    }
    drop(inputs);
    let reasons = verdict_reasons(&options, &totals, checked, Command::Check);
    Ok(Run {
        command: Command::Check,
        baseline: tally.map(crate::baseline::Tally::finish),
        inputs_sha256: Some(digest.finish()),
        waivers_sha256,
        catalog: Some(catalog),
        checklists,
        outcomes: Vec::new(),
        totals,
        found,
        checked,
        skipped,
        pass: reasons.is_empty(),
        reasons,
        options,
    })
}

/// The problems of external waivers, each reported once per run, in the
/// waivers file: SDS063 for one on a non-waivable item, SDS061 for one that
/// had expired where it mattered (or at `--as-of`), else SDS062 for one that
/// covered nothing in any report. One problem, one finding.
fn unused_waivers(
    waivers: &[ExternalWaiver],
    used: &[Vec<ExternalUse>],
    options: &Options,
    o: &mut Outcome,
) {
    for (w, how) in waivers.iter().zip(used) {
        let f = if how.contains(&ExternalUse::NotAllowed) {
            Finding::new(
                Code::WaiverNotAllowed,
                w.span,
                format!("{} cannot be waived (waivable: false)", w.item),
            )
            .help("remove the waiver and close the gap")
        } else if how.contains(&ExternalUse::Expired)
            || (how.is_empty() && options.as_of.is_some_and(|d| d > w.expires))
        {
            Finding::new(
                Code::WaiverExpired,
                w.span,
                format!("the waiver of {} expired on {}", w.item, w.expires),
            )
            .help("close the gap, or have the waiver renewed by its approver")
        } else if how.is_empty() {
            Finding::new(
                Code::WaiverUnused,
                w.span,
                format!(
                    "the waiver of {} covers nothing in any report checked",
                    w.item
                ),
            )
            .help("remove the waiver")
        } else {
            continue;
        };
        o.findings.push(f.item(&w.item));
    }
    o.sort_findings();
}

/// Reads a file into a tree, or the outcome that says why it could not be.
fn read_tree(path: &Path, limits: &Limits, keep: bool) -> (Outcome, Option<(String, Node)>) {
    tree_of(&display(path), load::read_bytes(path, limits), limits, keep)
}

/// Bytes read (or why not) into a tree, or the outcome that says why it could not be.
fn tree_of(
    shown: &str,
    bytes: Result<Vec<u8>, load::LoadError>,
    limits: &Limits,
    keep: bool,
) -> (Outcome, Option<(String, Node)>) {
    let mut o = Outcome::new(shown);
    let tree = bytes.and_then(|bytes| {
        o.sha256 = Some(sha256_hex(&bytes));
        let text = load::decode(bytes)?;
        if keep {
            o.source = Some(Arc::from(text.as_str()));
        }
        let root = load::parse(&text, limits)?;
        Ok((text, root))
    });
    match tree {
        Ok(t) => (o, Some(t)),
        Err(e) => {
            o.findings.push(e.into());
            (o, None)
        }
    }
}

fn load_waivers(
    path: &Path,
    limits: &Limits,
) -> Result<(Vec<ExternalWaiver>, String, Outcome), Error> {
    let (mut o, tree) = read_tree(path, limits, true);
    let invalid = |o: Outcome| Error::WaiversInvalid(display(path), Box::new(o));
    let Some((text, root)) = tree else {
        return Err(invalid(o));
    };
    if let Err(e) = load::check_format(&root, DocKind::Waivers) {
        o.findings.push(e.into());
        return Err(invalid(o));
    }
    o.findings = schema::validate(&root, &text, SchemaKind::Waivers);
    let mut waivers = Vec::new();
    for w in root.get("waivers").map(Node::items).unwrap_or_default() {
        let date = w.get("expires").map(report::date);
        let expires = match date {
            Some(Ok(d)) => d.date,
            Some(Err(f)) => {
                o.findings.push(f);
                continue;
            }
            None => continue,
        };
        let text_of = |k: &str| w.get(k).and_then(Node::as_str).map(ToOwned::to_owned);
        let reports = match text_of("reports") {
            // gitignore and shell rules: `*` and `?` never cross `/`, `**` does.
            Some(g) => match globset::GlobBuilder::new(&g)
                .literal_separator(true)
                .build()
            {
                Ok(g) => Some(g.compile_matcher()),
                Err(e) => {
                    o.findings.push(Finding::new(
                        Code::SchemaViolation,
                        w.get("reports").map_or(w.span, |n| n.span),
                        format!("`reports` is not a valid glob: {e}"),
                    ));
                    continue;
                }
            },
            None => None,
        };
        waivers.push(ExternalWaiver {
            item: text_of("item").unwrap_or_default(),
            reason: text_of("reason").unwrap_or_default(),
            approved_by: text_of("approved_by").unwrap_or_default(),
            expires,
            reports,
            base: normalise(
                path.parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new(".")),
            ),
            report: text_of("report"),
            origin: format!("{}:{}", display(path), w.span.line),
            span: w.get("item").map_or(w.span, |n| n.span),
        });
    }
    if !o.findings.is_empty() {
        o.sort_findings();
        return Err(invalid(o));
    }
    let sha = o.sha256.clone().unwrap_or_default();
    Ok((waivers, sha, o))
}

fn check_input(shown: &str, input: &Input, shared: &Shared<'_>) -> Checked {
    let path = match input {
        Input::File(p) => p,
        Input::Stdin => return check_stdin(shared),
        Input::Excluded => {
            return Checked::Skipped(shown.to_owned(), "excluded by --exclude".into());
        }
        Input::Unreadable(why) => {
            let mut o = Outcome::new(shown);
            o.findings.push(Finding::new(
                Code::UnreadableInput,
                load::Span::TOP,
                format!("cannot read {shown}: {why}"),
            ));
            return Checked::Report(Box::new(o), Vec::new());
        }
    };
    let options = shared.options;
    // A file that does not even mention `sds_report` cannot be a report (a
    // broken one that does is still checked, and fails).
    if options.skip_non_reports
        && load::read_bytes(path, &options.limits)
            .is_ok_and(|b| !b.windows(10).any(|w| w == b"sds_report"))
    {
        return Checked::Skipped(shown.to_owned(), "not a report (no sds_report)".into());
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
    let mut o = Outcome::new(path);
    o.sha256 = Some(sha256_hex(text.as_bytes()));
    let root = match load::parse(text, &options.limits) {
        Ok(root) => root,
        Err(e) => {
            o.findings.push(e.into());
            return o;
        }
    };
    let datasets = crate::derive::DatasetCache::new();
    let shared = Shared {
        catalog,
        options,
        waivers: &[],
        datasets: &datasets,
    };
    match with_pointers(check_tree(o, text, &root, Path::new(path), &shared), &root) {
        Checked::Report(o, _) => *o,
        Checked::Skipped(path, _) => Outcome::new(path),
    }
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
    match check_tree(o, text, root, Path::new(path), &shared) {
        Checked::Report(o, _) => *o,
        Checked::Skipped(path, _) => Outcome::new(path),
    }
}

fn check_tree(
    mut o: Outcome,
    text: &str,
    root: &Node,
    path: &Path,
    shared: &Shared<'_>,
) -> Checked {
    let options = shared.options;
    let kind = load::doc_kind(root);
    match kind {
        DocKind::Checklist => {
            return Checked::Skipped(o.path, "a checklist (sds_checklist)".into());
        }
        DocKind::Waivers => return Checked::Skipped(o.path, "a waivers file (sds_waivers)".into()),
        DocKind::Unknown if options.skip_non_reports => {
            return Checked::Skipped(o.path, "not a report (no sds_report)".into());
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
    let id = report.checklist_id.as_str().unwrap_or_default();
    let version = report.checklist_version.as_str().unwrap_or_default();
    let resolved = match &options.pin {
        Some((pid, pv)) => shared.catalog.get(pid, pv).ok_or(ResolveError::NoVersion {
            loaded: vec![format!("{pid}@{pv} (pinned)")],
        }),
        None => shared.catalog.resolve(id, version),
    };
    let checklist = match resolved {
        Ok(c) => c,
        Err(e) => {
            o.findings.push(not_found(&report, id, version, &e));
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

fn not_found(report: &Report<'_>, id: &str, version: &str, e: &ResolveError) -> Finding {
    let (span, message, help) = match e {
        ResolveError::UnknownId { loaded } => (
            report.checklist_id.span,
            format!("no checklist `{id}` is loaded"),
            format!(
                "loaded checklists: {}; load another with --checklist PATH",
                loaded.join(", ")
            ),
        ),
        ResolveError::NoVersion { loaded } => (
            report.checklist_version.span,
            format!("no loaded version of `{id}` satisfies {version:?}"),
            format!(
                "loaded versions: {}; an exact version such as \"1.0.0\" means exactly that version, a requirement such as \"^1.0\" the highest match",
                loaded.join(", ")
            ),
        ),
        ResolveError::BadVersion(why) => (
            report.checklist_version.span,
            format!("{version:?} is neither a version nor a version requirement ({why})"),
            "write an exact version (\"1.1.0\") or a requirement (\"^1.0\")".to_owned(),
        ),
    };
    Finding::new(Code::ChecklistNotFound, span, message).help(help)
}

/// Reads and parses the inputs of `options.paths` exactly as `check` finds
/// and reads them, and nothing more: the baseline of the benchmark
/// (`benches/run.sh`), so the cost of checking can be given as a ratio.
/// Returns the number of files parsed and their bytes.
///
/// # Errors
/// A bad `--exclude` glob or `--jobs` value.
pub fn parse_only(options: &Options) -> Result<(usize, u64), Error> {
    let exclude = exclude_set(&options.exclude)?;
    let inputs: Vec<(String, Input)> = discover(&options.paths, &exclude).collect();
    let work = || {
        inputs
            .par_iter()
            .filter_map(|(_, i)| match i {
                Input::File(p) => {
                    let bytes = load::read_bytes(p, &options.limits).ok()?;
                    let n = bytes.len() as u64;
                    let text = load::decode(bytes).ok()?;
                    load::parse(&text, &options.limits).ok().map(|_| n)
                }
                _ => None,
            })
            .fold(|| (0usize, 0u64), |(f, b), n| (f + 1, b + n))
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    };
    match options.jobs {
        Some(n) => Ok(rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| Error::Usage(format!("--jobs {n}: {e}")))?
            .install(work)),
        None => Ok(work()),
    }
}
