//! `sds merge`: the JSON outputs of shards (`--shard I/N`) combined into one
//! run, with one verdict, that renders in any format as a single run over all
//! the files would have.
//!
//! A merged verdict may rest only on the whole run, so merge refuses (exit 2)
//! unless it has every part 1..N exactly once, all written by the same sds,
//! from the same inputs (the digest of the whole input list, which every
//! shard of a run records), the same checklists and the same options. A
//! missing shard can never turn a failing run into a pass.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::baseline::{Baseline, Tally};
use crate::checklist::Catalog;
use crate::engine::{Command, Options, Run, Totals};
use crate::outcome::Outcome;
use crate::wire::{self, Document};

/// Checks that the shards are the parts of one run, exactly once each.
fn check_parts(inputs: &[(String, Document)]) -> Result<(), String> {
    let Some((first_name, first)) = inputs.first() else {
        return Err("nothing to merge".into());
    };
    let mut parts: BTreeMap<usize, &str> = BTreeMap::new();
    let mut n_first = None;
    for (name, doc) in inputs {
        if doc.command != wire::Command::Check {
            return Err(format!(
                "{name} is the output of `sds lint`, not of `sds check`"
            ));
        }
        if doc.tool != first.tool {
            return Err(format!(
                "{name} was written by sds {} and {first_name} by sds {}: merge shards of one run",
                doc.tool.version, first.tool.version
            ));
        }
        let Some(digests) = &doc.digests else {
            return Err(format!(
                "{name} records no digest of its inputs (`digests`), so it cannot be shown to be a shard of this run"
            ));
        };
        let infos: Vec<_> = doc
            .checklists
            .iter()
            .cloned()
            .map(wire::Checklist::into_info)
            .collect();
        if digests.checklists != crate::engine::checklists_digest(&infos) {
            return Err(format!(
                "{name}: `digests.checklists` does not match its `checklists`"
            ));
        }
        if Some(digests) != first.digests.as_ref() {
            return Err(format!(
                "{name} and {first_name} were run on different inputs or checklists (their `digests` differ)"
            ));
        }
        if doc.checklists != first.checklists {
            return Err(format!(
                "{name} and {first_name} were run with different checklists"
            ));
        }
        // Every option but the shard must agree.
        let without_shard = |d: &Document| wire::Options {
            shard: None,
            ..d.options.clone()
        };
        if without_shard(doc) != without_shard(first) {
            return Err(format!(
                "{name} and {first_name} were run with different options (fail_on, min_score, verify_evidence, as_of, allow_empty, waivers, baseline or limits)"
            ));
        }
        if doc.options.baseline.is_none()
            && (doc.reports.iter().any(|r| !r.baselined.is_empty())
                || !doc.summary.stale_baseline.is_empty())
        {
            return Err(format!(
                "{name} lists baselined findings but names no baseline (`options.baseline`)"
            ));
        }
        let (i, n) = doc.options.shard().map_err(|e| format!("{name}: {e}"))?;
        match n_first {
            None => n_first = Some(n),
            Some(m) if m != n => {
                return Err(format!(
                    "{name} is part {i}/{n} but {first_name} is part of {m}: merge the parts of one split"
                ));
            }
            Some(_) => {}
        }
        if let Some(other) = parts.insert(i, name) {
            return Err(format!("part {i}/{n} is given twice: {other} and {name}"));
        }
    }
    let n = n_first.unwrap_or(1);
    let missing: Vec<String> = (1..=n)
        .filter(|i| !parts.contains_key(i))
        .map(|i| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{} {} of the run {} missing: a merged verdict needs every part",
            if missing.len() == 1 { "part" } else { "parts" },
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        ));
    }
    Ok(())
}

/// The JSON outputs of the shards of one run (with their file names, for
/// messages), merged. `catalog` holds the checklists the shards were checked
/// against (so formats that name items can).
///
/// # Errors
/// A message when the inputs are not every part of one run exactly once
/// (see the module documentation), or when a shard is inconsistent in itself.
pub fn merge(inputs: Vec<(String, Document)>, catalog: Arc<Catalog>) -> Result<Run, String> {
    check_parts(&inputs)?;
    let Some((first_name, first)) = inputs.first() else {
        return Err("nothing to merge".into());
    };
    let opt = &first.options;
    let options = options_of(opt);
    // Each shard saw the whole baseline but only its own reports: rebuild
    // the baseline from each, require them to agree, and count it again over
    // the merged run, as one run would have.
    let baseline = Baseline::of_shard(first);
    for (name, doc) in &inputs {
        if Baseline::of_shard(doc) != baseline {
            return Err(format!(
                "{name} and {first_name} disagree about their baseline (what it absorbed and left)"
            ));
        }
    }
    let waivers_path = opt.waivers.as_ref().map(|w| w.path.clone());
    let waivers_sha256 = opt.waivers.as_ref().map(|w| w.sha256.clone());
    let digests = first.digests.clone();
    let checklists = first
        .checklists
        .iter()
        .cloned()
        .map(wire::Checklist::into_info)
        .collect();
    let mut outcomes = Vec::new();
    let mut waiver_entries: Vec<Vec<Outcome>> = Vec::new();
    let (mut found, mut checked, mut skipped) = (0, 0, Vec::new());
    for (name, doc) in inputs {
        found += doc.summary.found;
        checked += doc.summary.checked;
        skipped.extend(
            doc.summary
                .skipped_files
                .into_iter()
                .map(|s| (s.path, s.reason)),
        );
        let mut mine = Vec::new();
        for r in doc.reports {
            let o = r.into_outcome().map_err(|e| format!("{name}: {e}"))?;
            if waivers_path.as_deref() == Some(o.path.as_str()) {
                mine.push(o);
            } else {
                outcomes.push(o);
            }
        }
        waiver_entries.push(mine);
    }
    // A single run lists files in the order it walked them: by path, one
    // component at a time (which is what `Path`'s ordering compares).
    outcomes.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
    skipped.sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)));
    let mut tally = baseline.as_ref().map(Baseline::tally);
    if let Some(t) = tally.as_mut() {
        for o in &mut outcomes {
            t.apply(o);
        }
    }
    if let Some(merged) = merged_waivers_outcome(&waiver_entries) {
        outcomes.push(merged);
    }
    let mut totals = Totals::default();
    for o in &outcomes {
        let report = waivers_path.as_deref() != Some(o.path.as_str());
        totals.add(o, &options, report);
    }
    let reasons = crate::engine::verdict_reasons(&options, &totals, checked, Command::Check);
    Ok(Run {
        command: Command::Check,
        baseline: tally.map(Tally::finish),
        inputs_sha256: digests.map(|d| d.inputs),
        waivers_sha256,
        catalog: Some(catalog),
        checklists,
        outcomes,
        totals,
        found,
        checked,
        skipped,
        pass: reasons.is_empty(),
        reasons,
        options,
    })
}

/// The options of the merged run, as the shards recorded them.
fn options_of(opt: &wire::Options) -> Options {
    Options {
        fail_on: opt.fail_on.into(),
        min_score: opt.min_score,
        verify_evidence: opt.verify_evidence,
        as_of: opt.as_of,
        allow_empty: opt.allow_empty,
        waivers: opt.waivers.as_ref().map(|w| PathBuf::from(&w.path)),
        baseline: opt.baseline.as_ref().map(|b| PathBuf::from(&b.path)),
        limits: crate::load::Limits {
            max_file_size: opt.limits.max_file_size,
            max_depth: opt.limits.max_depth,
            max_alias_nodes: opt.limits.max_alias_values,
            max_values: opt.limits.max_values,
        },
        config: opt
            .config
            .as_ref()
            .map(|c| (c.path.clone(), c.sha256.clone())),
        severity: opt
            .severity
            .iter()
            .map(|o| crate::config::SeverityOverride {
                code: o.code,
                severity: o.severity,
                from: if o.from == "config" {
                    crate::config::OverrideSource::Config
                } else {
                    crate::config::OverrideSource::CommandLine
                },
            })
            .collect(),
        ..Options::default()
    }
}

/// The waivers file's outcome of the merged run: a waiver of the waivers
/// file is unused in the whole run only if every shard found it unused.
fn merged_waivers_outcome(waiver_entries: &[Vec<Outcome>]) -> Option<Outcome> {
    let mut merged = waiver_entries.first().and_then(|e| e.first()).cloned()?;
    merged.findings.retain(|f| {
        waiver_entries.iter().all(|e| {
            e.first().is_some_and(|o| {
                o.findings
                    .iter()
                    .any(|g| g.code == f.code && g.item == f.item && g.at.line == f.at.line)
            })
        })
    });
    (!merged.findings.is_empty()).then_some(merged)
}
