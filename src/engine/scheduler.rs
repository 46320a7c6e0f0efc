//! Scheduling: inputs taken from the walk in batches, each batch checked in
//! parallel (on a pool of `--jobs` threads), the baseline applied and the
//! outcomes handed on in input order, never the order threads finish in.

use std::sync::Arc;

use rayon::prelude::*;

use super::inputs::{Input, InputsDigest, exclude_set};
use super::pipeline::{Checked, Shared, SkipReason, check_input};
use super::plan::{Plan, prepare_check};
use super::walk::discover;
use super::{ChecklistInfo, Command, Error, Options, Run, Totals, verdict_reasons};
use crate::baseline::Tally;
use crate::checklist::Catalog;
use crate::load;
use crate::outcome::Outcome;
use crate::rules::waivers::ExternalUse;

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

/// `sds check`, handing each outcome on with the run as it stands at the
/// start ([`Run::starting`]: options, command, checklists; no totals yet),
/// for renderers that build their document report by report
/// ([`crate::render::Streamed`]). Nothing is kept, as in [`check_streaming`].
///
/// # Errors
/// As [`check`].
pub fn check_each(options: Options, consume: &mut dyn FnMut(&Run, Outcome)) -> Result<Run, Error> {
    let (options, checklists, catalog) = prepare_check(options)?;
    check_planned(options, checklists, catalog, &|o| o, consume)
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
        outcomes.push(o);
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
    check_planned(options, checklists, catalog, prepare, &mut |_, t| {
        consume(t);
    })
}

/// [`check_streaming`], handing each outcome on with the run as it stands
/// once the options are checked and the waivers and baseline read.
fn check_planned<T: Send>(
    options: Options,
    checklists: Vec<ChecklistInfo>,
    catalog: Arc<Catalog>,
    prepare: &(dyn Fn(Outcome) -> T + Sync),
    consume: &mut dyn FnMut(&Run, T),
) -> Result<Run, Error> {
    let Plan {
        exclude,
        waivers,
        waivers_sha256,
        waivers_outcome,
        paths,
        part,
        parts,
        mut tally,
    } = Plan::new(&options)?;
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
    let pool = pool(options.jobs)?;
    let datasets = crate::derive::DatasetCache::new();
    let shared = Shared {
        catalog: &catalog,
        options: &options,
        waivers: &waivers,
        datasets: &datasets,
    };
    let mut start = Run::starting(
        Command::Check,
        options.clone(),
        checklists.clone(),
        Some(Arc::clone(&catalog)),
    );
    start.waivers_sha256.clone_from(&waivers_sha256);
    start.baseline = tally.as_ref().map(|t| crate::baseline::BaselineUse {
        sha256: t.sha256().to_owned(),
        stale: Vec::new(),
    });
    let mut consume = |t: T| consume(&start, t);
    let mut so_far = SoFar::new(waivers.len());
    loop {
        let batch: Vec<(String, Input)> = inputs.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        so_far.found += batch.len();
        let mut work = || check_batch(&batch, &shared, tally.as_mut(), prepare);
        let results = match &pool {
            Some(p) => p.install(work),
            None => work(),
        };
        so_far.take(results, &options, &mut consume);
    }
    if let Some(mut o) = waivers_outcome {
        crate::rules::waivers::run_wide(&waivers, &so_far.used, options.as_of, &mut o);
        o.locate_in_source();
        if !o.findings.is_empty() {
            so_far.totals.add(&o, &options, false);
            consume(prepare(o));
        }
    }
    drop(inputs);
    let SoFar {
        totals,
        found,
        checked,
        skipped,
        ..
    } = so_far;
    let reasons = verdict_reasons(&options, &totals, checked, Command::Check);
    Ok(Run {
        command: Command::Check,
        baseline: tally.map(Tally::finish),
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

/// A `--jobs` pool of its own, or none (rayon's global pool, every core).
fn pool(jobs: Option<usize>) -> Result<Option<rayon::ThreadPool>, Error> {
    match jobs {
        Some(n) => Ok(Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Error::Usage(format!("--jobs {n}: {e}")))?,
        )),
        None => Ok(None),
    }
}

/// One checked input, ready to hand on: its counts, what `prepare` made of
/// it and the external waivers that mattered in it; or why it was skipped.
type Done<T> = Result<(Totals, T, Vec<(usize, ExternalUse)>), (String, SkipReason)>;

/// Checks one batch in parallel, then applies the baseline and prepares the
/// outcomes, in input order.
fn check_batch<T: Send>(
    batch: &[(String, Input)],
    shared: &Shared<'_>,
    tally: Option<&mut Tally>,
    prepare: &(dyn Fn(Outcome) -> T + Sync),
) -> Vec<Done<T>> {
    let options = shared.options;
    let mut done: Vec<Checked> = batch
        .par_iter()
        .map(|(path, i)| {
            let mut c = check_input(path, i, shared);
            // Severity overrides first: the baseline, the totals and
            // every output then see the severity the gate uses.
            if let Checked::Report(o, _) = &mut c {
                crate::config::apply_severity(o, &options.severity, shared.catalog);
            }
            c
        })
        .collect();
    if let Some(t) = tally {
        apply_baseline(t, &mut done);
    }
    done.into_par_iter()
        .map(|c| match c {
            Checked::Report(o, u) => {
                let mut t = Totals::default();
                t.add(&o, options, true);
                Ok((t, prepare(*o), u))
            }
            Checked::Skipped(path, why) => Err((path, why)),
        })
        .collect()
}

/// The baseline is counted over the whole run in input order, so which of
/// two equal findings it absorbs never depends on threads.
fn apply_baseline(tally: &mut Tally, done: &mut [Checked]) {
    for c in done {
        if let Checked::Report(o, _) = c {
            tally.apply(o);
        }
    }
}

/// What the run has counted so far.
struct SoFar {
    totals: Totals,
    found: usize,
    checked: usize,
    skipped: Vec<(String, String)>,
    /// How each external waiver (by index in the waivers file) was used.
    used: Vec<Vec<ExternalUse>>,
}

impl SoFar {
    fn new(waivers: usize) -> Self {
        SoFar {
            totals: Totals::default(),
            found: 0,
            checked: 0,
            skipped: Vec::new(),
            used: vec![Vec::new(); waivers],
        }
    }

    /// Counts a batch's results and hands each outcome on, in input order.
    fn take<T>(&mut self, results: Vec<Done<T>>, options: &Options, consume: &mut dyn FnMut(T)) {
        for r in results {
            if let Some(p) = &options.progress {
                p.0.advance();
            }
            match r {
                Ok((t, prepared, u)) => {
                    for (i, how) in u {
                        if let Some(slot) = self.used.get_mut(i)
                            && !slot.contains(&how)
                        {
                            slot.push(how);
                        }
                    }
                    self.totals.merge(&t);
                    self.checked += 1;
                    consume(prepared);
                }
                Err((path, why)) => self.skipped.push((path, why.to_string())),
            }
        }
    }
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
    Ok(match pool(options.jobs)? {
        Some(p) => p.install(work),
        None => work(),
    })
}
