//! The checks, one module per family of codes. Each check function is
//! headed by the codes it can raise and builds findings through
//! [`Finding::new`], so name and severity come from the registry.

pub mod attributes;
pub mod checklist_lint;
pub mod coverage;
pub mod evidence;
pub mod freshness;
pub mod items;
pub mod measurements;
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
}

/// What checking one report produced.
#[derive(Debug)]
pub struct Checked {
    /// Findings (unsorted).
    pub findings: Vec<Finding>,
    /// The score.
    pub score: Score,
    /// Indices (in the waivers file) of external waivers that covered a finding here.
    pub used_external: Vec<usize>,
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
    for (item, result) in &firsts {
        measurements::check(item, result, ctx.checklist, ctx.source, &mut findings);
        evidence::check(ctx, item, result, &mut findings);
        freshness::check(ctx, item, result, &mut findings);
    }
    let raw_by_item = blocking_items(&findings);
    let waived = waivers::apply(ctx, &mut findings);
    let score = score(ctx, &applies, &firsts, &raw_by_item, &waived.items);
    Checked {
        findings,
        score,
        used_external: waived.used_external,
    }
}

/// Items with a finding that stops them earning points. An unknown metric
/// (SDS035) is a warning about an extra value and does not.
fn blocking_items(findings: &[Finding]) -> HashSet<String> {
    findings
        .iter()
        .filter(|f| f.code != Code::UnknownMetric)
        .filter_map(|f| f.item.clone())
        .collect()
}

fn score(
    ctx: &Context<'_>,
    applies: &[bool],
    firsts: &[(&Item, &ResultEntry<'_>)],
    blocked: &HashSet<String>,
    waived: &HashSet<String>,
) -> Score {
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
        let clean = !blocked.contains(&item.id);
        let state = match status.get(item.id.as_str()) {
            Some(Status::Pass) if clean => ItemState::Earned,
            _ if waived.contains(&item.id) => ItemState::Waived,
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
