//! The checks, one module per family of codes. Each check function is
//! headed by the codes it can raise and builds findings through
//! [`Finding::new`], so name and severity come from the registry.

pub mod attributes;
pub mod coverage;
pub mod derived;
pub mod evidence;
pub mod freshness;
pub mod items;
pub mod measurements;
pub mod resolve;
pub mod waivers;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use crate::checklist::{Catalog, Checklist, Item};
use crate::codes::Code;
use crate::finding::Finding;
use crate::outcome::{ItemState, Points, Score};
use crate::report::{Report, ResultEntry, Status};

pub use waivers::ExternalWaiver;

/// Everything a check needs to know about one report.
pub struct Context<'a> {
    /// The report.
    pub report: &'a Report<'a>,
    /// The text the report was parsed from (numbers are read exactly from it).
    pub source: &'a str,
    /// The checklist it resolved to.
    pub checklist: &'a Checklist,
    /// All loaded checklists (for retired items).
    pub catalog: &'a Catalog,
    /// The date freshness and waivers are judged at.
    pub as_of: NaiveDate,
    /// Whether to open evidence files.
    pub verify_evidence: bool,
    /// The report's folder (evidence paths are relative to it).
    pub report_dir: &'a Path,
    /// Waivers from `--waivers FILE` that match this report, with their index in that file.
    pub external_waivers: &'a [(usize, &'a ExternalWaiver)],
    /// Raw test datasets, each read once per run.
    pub datasets: &'a crate::derive::DatasetCache,
    /// Limits for reading them (the same as for reports).
    pub data_limits: &'a crate::load::Limits,
}

/// What checking one report produced.
#[derive(Debug)]
pub struct Checked {
    /// Findings (unsorted).
    pub findings: Vec<Finding>,
    /// The score.
    pub score: Score,
    /// Indices (in the waivers file) of external waivers that covered a finding here.
    pub used_external: Vec<(usize, waivers::ExternalUse)>,
    /// Values derived from raw test data, in result order.
    pub derived: Vec<derived::DerivedRecord>,
}

/// Checks a report against its checklist.
#[must_use]
pub fn check(ctx: &Context<'_>) -> Checked {
    let mut findings = Vec::new();
    let known = attributes::judge(ctx.report.root, ctx.checklist, &mut findings);
    // Which items apply, judged once per report, in the checklist's item order.
    let applies: Vec<bool> = ctx
        .checklist
        .items
        .iter()
        .map(|i| i.applies_to(&known, ctx.checklist))
        .collect();
    let firsts = items::resolve(ctx, &mut findings);
    coverage::check(ctx, &applies, &firsts, &mut findings);
    let mut records = Vec::new();
    let results: Vec<&ResultEntry<'_>> = firsts.iter().map(|(_, r)| *r).collect();
    derived::prefetch(ctx, &results);
    for (item, result) in &firsts {
        let data = derived::check(ctx, item, result, &mut findings);
        measurements::check(
            item,
            result,
            ctx.checklist,
            ctx.source,
            &data.values,
            &mut findings,
        );
        records.extend(data.records);
        evidence::check(ctx, item, result, &mut findings);
        freshness::check(ctx, item, result, &mut findings);
    }
    let waived = waivers::apply(ctx, &mut findings);
    let score = score(ctx, &applies, &firsts, &findings);
    Checked {
        findings,
        score,
        used_external: waived.used_external,
        derived: records,
    }
}

/// Per item: whether any finding was waived (SDS060), and whether any other
/// finding stands that stops it earning (all but SDS035, an extra metric).
fn item_findings(findings: &[Finding]) -> (HashSet<&str>, HashSet<&str>) {
    let mut waived = HashSet::new();
    let mut blocked = HashSet::new();
    for f in findings {
        let Some(item) = f.item.as_deref() else {
            continue;
        };
        match f.code {
            Code::Waived => {
                waived.insert(item);
            }
            Code::UnknownMetric => {}
            _ => {
                blocked.insert(item);
            }
        }
    }
    (waived, blocked)
}

/// The earning rule of PRODUCT.md §3: an applicable item earns when it
/// passes with no finding but SDS035; an item with a waived finding never
/// earns, and counts as waived only when nothing but waived findings (and
/// SDS035) stand against it.
fn score(
    ctx: &Context<'_>,
    applies: &[bool],
    firsts: &[(&Item, &ResultEntry<'_>)],
    findings: &[Finding],
) -> Score {
    let (waived, blocked) = item_findings(findings);
    let status: HashMap<&str, Status> = firsts
        .iter()
        .map(|(i, r)| (i.id.as_str(), r.status))
        .collect();
    let mut domains: Vec<(String, String, Points)> = ctx
        .checklist
        .domains
        .iter()
        .map(|d| (d.id.clone(), d.title.clone(), Points::default()))
        .collect();
    let mut overall = Points {
        total: ctx.checklist.total_points,
        ..Points::default()
    };
    let mut items = Vec::with_capacity(ctx.checklist.items.len());
    for (item, &applies) in ctx.checklist.items.iter().zip(applies) {
        let slot = domains.iter().position(|d| d.0 == item.domain);
        if let Some(slot) = slot {
            domains[slot].2.total += item.points;
        }
        if !applies {
            items.push(ItemState::NotApplicable);
            continue;
        }
        let id = item.id.as_str();
        let clean = !blocked.contains(id);
        let state = match status.get(id) {
            _ if waived.contains(id) && clean => ItemState::Waived,
            Some(Status::Pass) if clean && !waived.contains(id) => ItemState::Earned,
            None => ItemState::Missing,
            Some(_) => ItemState::Failed,
        };
        items.push(state);
        let add = |p: &mut Points| {
            p.applicable += item.points;
            match state {
                ItemState::Earned => p.earned += item.points,
                ItemState::Waived => p.waived += item.points,
                _ => {}
            }
        };
        add(&mut overall);
        if let Some(slot) = slot {
            add(&mut domains[slot].2);
        }
    }
    Score {
        overall,
        domains,
        items,
    }
}
