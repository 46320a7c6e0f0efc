//! `sds explain`: what a finding code means, or what a checklist item asks.

use std::fmt::Write;

use crate::checklist::{Catalog, Checklist, Item};
use crate::codes::Code;
use crate::diff::{conditions_text, item_changes, severity_text};

/// The explanation of a finding code, from the registry.
#[must_use]
pub fn code(c: Code) -> String {
    let i = c.info();
    format!(
        "{} {} ({}, default {})\n\n{}\n\n{}\n",
        i.code,
        i.name,
        i.family.title(),
        i.severity,
        i.summary,
        i.explanation
    )
}

fn unit_suffix(c: &Checklist, metric: &str) -> String {
    crate::units::suffix(c.metrics.get(metric).map_or("", |m| m.unit_text.as_str()))
}

/// Everything about one item: scenario, bounds with units, evidence,
/// applicability, references, and the versions it exists in (with what changed).
/// `None` when no loaded checklist has the item.
#[must_use]
pub fn item(catalog: &Catalog, id: &str) -> Option<String> {
    let holding: Vec<&Checklist> = catalog
        .all()
        .iter()
        .filter(|c| c.item(id).is_some())
        .collect();
    // The catalog is sorted by id, then version: the last is the newest
    // version of the last id. Versions and changes are those of that one
    // checklist; other checklists with an item of the same id are named.
    let newest = *holding.last()?;
    let versions: Vec<&Checklist> = holding
        .iter()
        .copied()
        .filter(|c| c.id == newest.id)
        .collect();
    let it = newest.item(id)?;
    let mut s = String::new();
    let _ = writeln!(s, "{} — {}", it.id, it.title);
    let listed: Vec<String> = versions.iter().map(|c| c.version.to_string()).collect();
    let _ = writeln!(
        s,
        "checklist {}, in versions {} (shown: {})",
        newest.id,
        listed.join(", "),
        newest.version
    );
    let others: Vec<String> = holding
        .iter()
        .filter(|c| c.id != newest.id)
        .map(|c| c.label())
        .collect();
    if !others.is_empty() {
        let _ = writeln!(s, "an item of this id is also in: {}", others.join(", "));
    }
    let domain = newest
        .domains
        .iter()
        .find(|d| d.id == it.domain)
        .map_or("", |d| d.title.as_str());
    let _ = writeln!(
        s,
        "domain {} ({domain}) · severity {} · {} point{} · {}",
        it.domain,
        severity_text(it.severity),
        it.points,
        if it.points == 1 { "" } else { "s" },
        if it.waivable {
            "waivable"
        } else {
            "not waivable"
        }
    );
    let _ = writeln!(s, "\nscenario: {}", it.scenario);
    if !it.conditions.is_empty() {
        let c: Vec<String> = it
            .conditions
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = writeln!(s, "conditions: {}", c.join("; "));
    }
    let _ = writeln!(s, "applies to: {}", conditions_text(&it.applies_when));
    describe_acceptance(newest, it, &mut s);
    let _ = writeln!(
        s,
        "evidence: {}",
        if it.evidence.is_empty() {
            "none required".to_owned()
        } else {
            it.evidence.join(", ")
        }
    );
    if let Some(d) = it.validity_days {
        let _ = writeln!(s, "valid for: {d} days after tested_on");
    }
    if let Some(l) = it.retest_on {
        let _ = writeln!(
            s,
            "retest on: every {} change of the vehicle software",
            l.as_str()
        );
    }
    if !it.references.is_empty() {
        let _ = writeln!(s, "references:");
        for r in &it.references {
            let _ = writeln!(s, "  - {r}");
        }
    }
    history(catalog, &versions, id, &mut s);
    Some(s)
}

/// What changed in the item from one version of its checklist to the next,
/// and the versions of that checklist without it.
fn history(catalog: &Catalog, versions: &[&Checklist], id: &str, s: &mut String) {
    let Some(newest) = versions.last() else {
        return;
    };
    for pair in versions.windows(2) {
        let (Some(o), Some(n)) = (pair[0].item(id), pair[1].item(id)) else {
            continue;
        };
        let changes = item_changes(o, n);
        if !changes.is_empty() {
            let text: Vec<String> = changes.iter().map(crate::diff::Change::describe).collect();
            let _ = writeln!(s, "changed in {}: {}", pair[1].version, text.join("; "));
        }
    }
    let absent: Vec<String> = catalog
        .all()
        .iter()
        .filter(|c| c.id == newest.id && c.item(id).is_none())
        .map(|c| c.version.to_string())
        .collect();
    if !absent.is_empty() {
        let _ = writeln!(s, "not in versions: {}", absent.join(", "));
    }
}

fn describe_acceptance(c: &Checklist, it: &Item, s: &mut String) {
    if !it.any_of.is_empty() {
        let _ = writeln!(
            s,
            "acceptance (status pass, and at least one of these alternatives in full):"
        );
        for (n, alt) in it.any_of.iter().enumerate() {
            let _ = writeln!(s, "  ({})", n + 1);
            for b in alt {
                let _ = writeln!(s, "    {}", bound_line(c, b));
            }
        }
        return;
    }
    if it.acceptance.is_empty() {
        let _ = writeln!(s, "acceptance: status pass (no measurable bound)");
        return;
    }
    let _ = writeln!(s, "acceptance (status pass, and):");
    for b in &it.acceptance {
        let _ = writeln!(s, "  {}", bound_line(c, b));
    }
}

/// `0 ≤ metric ≤ 60 V    (description)`.
fn bound_line(c: &Checklist, b: &crate::checklist::Bound) -> String {
    let desc = c
        .metrics
        .get(&b.metric)
        .map_or("", |m| m.description.as_str());
    let bound = match (b.min, b.max) {
        (Some(lo), Some(hi)) => {
            format!("{lo} ≤ {} ≤ {hi}{}", b.metric, unit_suffix(c, &b.metric))
        }
        (Some(lo), None) => format!("{} ≥ {lo}{}", b.metric, unit_suffix(c, &b.metric)),
        (None, Some(hi)) => format!("{} ≤ {hi}{}", b.metric, unit_suffix(c, &b.metric)),
        (None, None) => b.metric.clone(),
    };
    format!("{bound}    ({desc})")
}

/// Up to three item ids of the loaded checklists nearest to `id`.
#[must_use]
pub fn nearest_items(catalog: &Catalog, id: &str) -> Vec<String> {
    let mut ids: Vec<&str> = catalog
        .all()
        .iter()
        .flat_map(|c| c.items.iter().map(|i| i.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    crate::text::nearest(id, &ids, 3)
        .into_iter()
        .map(ToOwned::to_owned)
        .collect()
}
