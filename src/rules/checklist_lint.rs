//! Checklist lint: SDS100 to SDS105. Run on every loaded checklist before any
//! report is checked, since no verdict can rest on a broken checklist.

use std::collections::{HashMap, HashSet};

use crate::checklist::Checklist;
use crate::codes::Code;
use crate::finding::Finding;

/// SDS100 to SDS104 within one checklist version; each finding with the index
/// of the file (in `checklist.files`) it stands in.
#[must_use]
pub fn lint(c: &Checklist) -> Vec<(usize, Finding)> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let domains: HashSet<&str> = c.domains.iter().map(|d| d.id.as_str()).collect();
    for item in &c.items {
        let file = item.file;
        if !seen.insert(item.id.as_str()) {
            out.push((
                file,
                Finding::new(
                    Code::DuplicateItemId,
                    item.id_span,
                    format!("item id {} is used twice", item.id),
                )
                .item(&item.id)
                .help("give the item a new, never used id"),
            ));
        }
        if !domains.contains(item.domain.as_str()) {
            let known: Vec<&str> = c.domains.iter().map(|d| d.id.as_str()).collect();
            out.push((
                file,
                Finding::new(
                    Code::UndefinedDomain,
                    item.domain_span,
                    format!(
                        "{} names domain `{}`, which the header does not define",
                        item.id, item.domain
                    ),
                )
                .item(&item.id)
                .help(format!("defined domains: {}", known.join(", "))),
            ));
        }
        for b in &item.acceptance {
            if !c.metrics.contains_key(&b.metric) {
                out.push((
                    file,
                    Finding::new(
                        Code::UndefinedMetric,
                        b.metric_span,
                        format!(
                            "{} bounds metric `{}`, which the metrics registry does not define",
                            item.id, b.metric
                        ),
                    )
                    .item(&item.id)
                    .help("add it under `metrics:` with its unit, or correct the name"),
                ));
            }
            let problem = match (b.min, b.max) {
                (Some(lo), Some(hi)) if lo > hi => Some(format!(
                    "min {lo} is greater than max {hi}: no value can pass"
                )),
                (None, None) => Some("neither min nor max: the bound checks nothing".to_owned()),
                _ => None,
            };
            if let Some(p) = problem {
                out.push((
                    file,
                    Finding::new(
                        Code::InvalidBound,
                        b.span,
                        format!("{}: bound on {}: {p}", item.id, b.metric),
                    )
                    .item(&item.id),
                ));
            }
        }
    }
    for (name, m) in &c.metrics {
        if m.unit.is_none() {
            out.push((
                0,
                Finding::new(
                    Code::InvalidBound,
                    m.unit_span,
                    format!(
                        "metric `{name}` has unit `{}`, which the unit table lacks",
                        m.unit_text
                    ),
                )
                .help("use a unit from the table in docs/formats.md"),
            ));
        }
    }
    let sum: u64 = c.items.iter().map(|i| u64::from(i.points)).sum();
    if sum != u64::from(c.total_points) {
        out.push((
            0,
            Finding::new(
                Code::PointsTotalMismatch,
                c.total_points_span,
                format!(
                    "the items' points add up to {sum}, but total_points says {}",
                    c.total_points
                ),
            )
            .help("correct total_points or the items' points"),
        ));
    }
    out
}

/// SDS105: an item id used for a different domain in another version of the
/// same checklist. Reported in the newer version, at the item's id; each
/// finding with the path of the file it stands in.
#[must_use]
pub fn lint_across_versions(checklists: &[Checklist]) -> Vec<(String, Finding)> {
    let mut out = Vec::new();
    let mut by_id: HashMap<&str, Vec<&Checklist>> = HashMap::new();
    for c in checklists {
        by_id.entry(c.id.as_str()).or_default().push(c);
    }
    for versions in by_id.values_mut() {
        versions.sort_by(|a, b| a.version.cmp(&b.version));
        for (n, newer) in versions.iter().enumerate() {
            for item in &newer.items {
                let earlier = versions[..n].iter().rev().find_map(|old| {
                    old.item(&item.id)
                        .filter(|o| o.domain != item.domain)
                        .map(|o| (old, o))
                });
                if let Some((old, o)) = earlier {
                    let path = newer
                        .files
                        .get(item.file)
                        .map(|f| f.path.clone())
                        .unwrap_or_default();
                    out.push((
                        path,
                        Finding::new(
                            Code::IdReuse,
                            item.id_span,
                            format!(
                                "{} is in domain {} here but was in domain {} in {}: ids name one test for ever",
                                item.id,
                                item.domain,
                                o.domain,
                                old.label()
                            ),
                        )
                        .item(&item.id)
                        .help("retire the old id and give this item a fresh one"),
                    ));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.sort_key().cmp(&b.1.sort_key())));
    out
}
