//! Checklist lint: SDS100 to SDS108, called by the checklist loader (so the
//! checker in `rules/` depends on `checklist/`, never the other way). Run on every loaded checklist before any
//! report is checked, since no verdict can rest on a broken checklist.

use std::collections::{HashMap, HashSet};

use crate::checklist::{Bound, Checklist, Item};
use crate::codes::Code;
use crate::finding::Finding;

/// SDS100 to SDS104 within one checklist version; each finding's span names
/// the file it stands in.
#[must_use]
pub fn lint(c: &Checklist) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let domains: HashSet<&str> = c.domains.iter().map(|d| d.id.as_str()).collect();
    for item in &c.items {
        if !seen.insert(item.id.as_str()) {
            out.push(
                Finding::new(
                    Code::DuplicateItemId,
                    item.id_span,
                    format!("item id {} is used twice", item.id),
                )
                .item(&item.id)
                .help("give the item a new, never used id"),
            );
        }
        if !domains.contains(item.domain.as_str()) {
            let known: Vec<&str> = c.domains.iter().map(|d| d.id.as_str()).collect();
            out.push(
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
            );
        }
        for b in item.bounds() {
            lint_bound(c, item, b, &mut out);
        }
        lint_bound_sets(item, &mut out);
        lint_applicability(c, item, &mut out);
        for kind in item
            .evidence
            .iter()
            .filter(|k| !c.evidence_kinds.contains(k))
        {
            out.push(
                Finding::new(
                    Code::UndefinedEvidenceKind,
                    item.evidence_span.unwrap_or(item.id_span),
                    format!(
                        "{} requires evidence kind `{kind}`, which `evidence_kinds` does not declare",
                        item.id
                    ),
                )
                .item(&item.id)
                .help(format!("declared kinds: {}", c.evidence_kinds.join(", "))),
            );
        }
    }
    for (name, m) in &c.metrics {
        if m.unit.is_none() {
            out.push(
                Finding::new(
                    Code::InvalidBound,
                    m.unit_span,
                    format!(
                        "metric `{name}` has unit `{}`, which the unit table lacks",
                        m.unit_text
                    ),
                )
                .help("use a unit from the table in docs/formats.md"),
            );
        }
    }
    let sum: u64 = c.items.iter().map(|i| u64::from(i.points)).sum();
    if sum != u64::from(c.total_points) {
        out.push(
            Finding::new(
                Code::PointsTotalMismatch,
                c.total_points_span,
                format!(
                    "the items' points add up to {sum}, but total_points says {}",
                    c.total_points
                ),
            )
            .help("correct total_points or the items' points"),
        );
    }
    out
}

/// SDS102 and SDS104 for one bound: an undefined metric, min above max, no
/// limit at all, or a limit outside the metric's possible range.
fn lint_bound(c: &Checklist, item: &Item, b: &Bound, out: &mut Vec<Finding>) {
    let Some(metric) = c.metrics.get(&b.metric) else {
        out.push(
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
        );
        return;
    };
    let mut problem = match (&b.min_canonical, &b.max_canonical) {
        (Some(lo), Some(hi)) if lo > hi => Some(format!(
            "min {} is greater than max {}: no value can pass",
            b.min.unwrap_or_default(),
            b.max.unwrap_or_default()
        )),
        _ if b.min.is_none() && b.max.is_none() => {
            Some("neither min nor max: the bound checks nothing".to_owned())
        }
        _ => None,
    };
    for (side, limit) in [("min", &b.min_canonical), ("max", &b.max_canonical)] {
        if let Some(why) = limit.as_ref().and_then(|v| metric.impossible(v)) {
            problem.get_or_insert(format!(
                "its {side} is not a possible value of {}: {why}",
                b.metric
            ));
        }
    }
    if let Some(p) = problem {
        out.push(
            Finding::new(
                Code::InvalidBound,
                b.span,
                format!("{}: bound on {}: {p}", item.id, b.metric),
            )
            .item(&item.id),
        );
    }
}

/// SDS104: two bounds on one metric, within one set that must hold together,
/// that no value can meet at once (`max: 5` and `min: 10`).
fn lint_bound_sets(item: &Item, out: &mut Vec<Finding>) {
    let sets = std::iter::once(&item.acceptance).chain(item.any_of.iter());
    for set in sets {
        for (i, a) in set.iter().enumerate() {
            for b in set[i + 1..].iter().filter(|b| b.metric == a.metric) {
                let lo = [&a.min_canonical, &b.min_canonical]
                    .into_iter()
                    .flatten()
                    .max();
                let hi = [&a.max_canonical, &b.max_canonical]
                    .into_iter()
                    .flatten()
                    .min();
                if let (Some(lo), Some(hi)) = (lo, hi)
                    && lo > hi
                {
                    out.push(
                        Finding::new(
                            Code::InvalidBound,
                            b.span,
                            format!(
                                "{}: two bounds on {} that no value can meet together ({} and {})",
                                item.id,
                                b.metric,
                                a.describe(),
                                b.describe()
                            ),
                        )
                        .item(&item.id)
                        .help("merge them into one bound with the intended min and max"),
                    );
                }
            }
        }
    }
}

/// SDS106: `applies_when` naming an attribute or value not declared in
/// `vehicle_attributes`, or an empty list of values.
fn lint_applicability(c: &Checklist, item: &Item, out: &mut Vec<Finding>) {
    for cond in &item.applies_when {
        let problem = match c.attribute(&cond.attribute) {
            None => Some(format!(
                "names vehicle attribute `{}`, which `vehicle_attributes` does not declare",
                cond.attribute
            )),
            Some(_) if cond.values.is_empty() => Some(format!(
                "lists no value for `{}`: the item could never apply",
                cond.attribute
            )),
            Some(decl) => {
                let undeclared: Vec<&str> = cond
                    .values
                    .iter()
                    .filter(|v| !decl.values.contains(v))
                    .map(String::as_str)
                    .collect();
                (!undeclared.is_empty()).then(|| {
                    format!(
                        "names value(s) {} of `{}`, which `vehicle_attributes` does not declare (declared: {})",
                        undeclared.join(", "),
                        cond.attribute,
                        decl.values.join(", ")
                    )
                })
            }
        };
        if let Some(p) = problem {
            out.push(
                Finding::new(
                    Code::UndefinedAttribute,
                    cond.span,
                    format!("{} {p}", item.id),
                )
                .item(&item.id)
                .help(
                    "declare it under `vehicle_attributes` in the header, or correct the spelling",
                ),
            );
        }
    }
}

/// SDS108: two loaded checklists with different content that claim the same
/// id and version. Identical copies are one: the later copy is dropped.
/// Each finding stands in the later header.
pub fn lint_duplicate_versions(checklists: &mut Vec<Checklist>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut kept: Vec<Checklist> = Vec::with_capacity(checklists.len());
    for c in checklists.drain(..) {
        match kept.iter().find(|k| k.id == c.id && k.version == c.version) {
            Some(k) if k.content_digest() == c.content_digest() => {}
            Some(k) => {
                let there = k.files.first().map(|f| f.path.clone()).unwrap_or_default();
                out.push(
                    Finding::new(
                        Code::DuplicateChecklistVersion,
                        c.version_span,
                        format!(
                            "{} is also loaded from {there}, with different content: one version names one content",
                            c.label()
                        ),
                    )
                    .help("give one of them a new version, or load only one"),
                );
            }
            None => kept.push(c),
        }
    }
    *checklists = kept;
    out
}

/// SDS105: an item id used for a different domain in another version of the
/// same checklist. Reported in the newer version, at the item's id.
#[must_use]
pub fn lint_across_versions(checklists: &[Checklist]) -> Vec<Finding> {
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
                    out.push(
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
                    );
                }
            }
        }
    }
    out.sort_by(|a, b| (a.span.file, a.sort_key()).cmp(&(b.span.file, b.sort_key())));
    out
}
