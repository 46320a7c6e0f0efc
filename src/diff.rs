//! What changed between two checklist versions: items added, retired and
//! changed (bounds tightened or loosened, evidence, applicability, severity,
//! points, and the rest of what decides a verdict).

use std::fmt::Write;

use crate::checklist::{Bound, Checklist, Condition, Item, ItemSeverity};

/// Whether a bound change makes passing harder or easier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Harder to pass.
    Tightened,
    /// Easier to pass.
    Loosened,
}

impl Direction {
    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Tightened => "tightened",
            Direction::Loosened => "loosened",
        }
    }
}

/// Which side of a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `min`.
    Min,
    /// `max`.
    Max,
}

/// One change to one item.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A bound limit appeared, went, or moved. Values are in the metric's unit of each version.
    Bound {
        /// Metric.
        metric: String,
        /// `min` or `max`.
        side: Side,
        /// Old limit (None: there was none).
        old: Option<f64>,
        /// New limit (None: there is none).
        new: Option<f64>,
        /// The new version's unit of the metric.
        unit: String,
        /// Harder or easier to pass.
        direction: Direction,
    },
    /// Evidence kinds required now and not before, and no longer required.
    Evidence {
        /// Newly required.
        added: Vec<String>,
        /// No longer required.
        removed: Vec<String>,
    },
    /// `any_of` acceptance alternatives added or removed (each alternative as
    /// its bounds' text, e.g. `hv_bus_voltage max 60 V`).
    Alternatives {
        /// Alternatives only in the new version.
        added: Vec<String>,
        /// Alternatives only in the old version.
        removed: Vec<String>,
    },
    /// `applies_when` changed.
    Applicability {
        /// Old conditions, as text.
        old: String,
        /// New conditions, as text.
        new: String,
    },
    /// Another field changed (severity, points, validity_days, retest_on, waivable, domain, title).
    Field {
        /// Field name.
        field: &'static str,
        /// Old value, as text.
        old: String,
        /// New value, as text.
        new: String,
    },
}

impl Change {
    /// One line for people.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Change::Bound {
                metric,
                side,
                old,
                new,
                unit,
                direction,
            } => {
                let side = match side {
                    Side::Min => "min",
                    Side::Max => "max",
                };
                let u = crate::units::suffix(unit);
                let show =
                    |v: &Option<f64>| v.map_or_else(|| "none".to_owned(), |v| format!("{v}{u}"));
                format!(
                    "{metric} {side} {} -> {} ({})",
                    show(old),
                    show(new),
                    direction.as_str()
                )
            }
            Change::Evidence { added, removed } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("+{}", added.join(" +")));
                }
                if !removed.is_empty() {
                    parts.push(format!("-{}", removed.join(" -")));
                }
                format!("evidence {}", parts.join(" "))
            }
            Change::Alternatives { added, removed } => {
                let mut parts = Vec::new();
                parts.extend(added.iter().map(|a| format!("+({a})")));
                parts.extend(removed.iter().map(|a| format!("-({a})")));
                format!("any_of {}", parts.join(" "))
            }
            Change::Applicability { old, new } => format!("applies_when {old} -> {new}"),
            Change::Field { field, old, new } => format!("{field} {old} -> {new}"),
        }
    }
}

/// The difference between two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistDiff {
    /// `id@version` of the old one.
    pub old: String,
    /// `id@version` of the new one.
    pub new: String,
    /// Items only in the new one.
    pub added: Vec<String>,
    /// Items only in the old one.
    pub retired: Vec<String>,
    /// Items in both, with their changes (only items that changed).
    pub changed: Vec<(String, Vec<Change>)>,
}

/// `applies_when` as text: `powertrain: [bev, erev]; features: [urban_noa]`, or `all vehicles`.
#[must_use]
pub fn conditions_text(c: &[Condition]) -> String {
    if c.is_empty() {
        return "all vehicles".into();
    }
    c.iter()
        .map(|c| format!("{}: [{}]", c.attribute, c.values.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Severity as written in checklists.
#[must_use]
pub fn severity_text(s: ItemSeverity) -> &'static str {
    match s {
        ItemSeverity::Critical => "critical",
        ItemSeverity::Major => "major",
        ItemSeverity::Minor => "minor",
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}

/// Compares two versions (normally of the same checklist).
#[must_use]
pub fn diff(old: &Checklist, new: &Checklist) -> ChecklistDiff {
    let only_in = |a: &Checklist, b: &Checklist| -> Vec<String> {
        a.items
            .iter()
            .filter(|i| b.item(&i.id).is_none())
            .map(|i| i.id.clone())
            .collect()
    };
    let added = only_in(new, old);
    let retired = only_in(old, new);
    let changed = new
        .items
        .iter()
        .filter_map(|n| {
            let o = old.item(&n.id)?;
            let changes = item_changes(o, n);
            (!changes.is_empty()).then(|| (n.id.clone(), changes))
        })
        .collect();
    ChecklistDiff {
        old: old.label(),
        new: new.label(),
        added,
        retired,
        changed,
    }
}

/// The changes of one item between two versions.
#[must_use]
pub fn item_changes(o: &Item, n: &Item) -> Vec<Change> {
    let mut out = Vec::new();
    let mut fields: Vec<(&'static str, String, String)> = vec![
        ("domain", o.domain.clone(), n.domain.clone()),
        (
            "severity",
            severity_text(o.severity).into(),
            severity_text(n.severity).into(),
        ),
        ("points", o.points.to_string(), n.points.to_string()),
        ("validity_days", opt(o.validity_days), opt(n.validity_days)),
        (
            "retest_on",
            opt(o.retest_on.map(crate::checklist::Level::as_str)),
            opt(n.retest_on.map(crate::checklist::Level::as_str)),
        ),
        ("waivable", o.waivable.to_string(), n.waivable.to_string()),
    ];
    fields.retain(|(_, a, b)| a != b);
    out.extend(
        fields
            .into_iter()
            .map(|(field, old, new)| Change::Field { field, old, new }),
    );
    bound_changes(&o.acceptance, &n.acceptance, &mut out);
    let (oa, na) = (alternatives_text(o), alternatives_text(n));
    let added: Vec<String> = na.iter().filter(|a| !oa.contains(a)).cloned().collect();
    let removed: Vec<String> = oa.iter().filter(|a| !na.contains(a)).cloned().collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::Alternatives { added, removed });
    }
    let added: Vec<String> = n
        .evidence
        .iter()
        .filter(|k| !o.evidence.contains(k))
        .cloned()
        .collect();
    let removed: Vec<String> = o
        .evidence
        .iter()
        .filter(|k| !n.evidence.contains(k))
        .cloned()
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        out.push(Change::Evidence { added, removed });
    }
    let (oc, nc) = (
        conditions_text(&o.applies_when),
        conditions_text(&n.applies_when),
    );
    if oc != nc {
        out.push(Change::Applicability { old: oc, new: nc });
    }
    out
}

/// Each `any_of` alternative of an item as text: `a max 60 V, b min 500 ohm/V`.
#[must_use]
pub fn alternatives_text(item: &Item) -> Vec<String> {
    item.any_of
        .iter()
        .map(|alt| {
            alt.iter()
                .map(|b| format!("{} {}", b.metric, b.describe()))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect()
}

/// Compares limits in canonical units, so a registry unit change (mm -> cm)
/// with the same physical limit is no change, and the direction is physical.
fn bound_changes(old: &[Bound], new: &[Bound], out: &mut Vec<Change>) {
    let mut metrics: Vec<&str> = old.iter().chain(new).map(|b| b.metric.as_str()).collect();
    metrics.sort_unstable();
    metrics.dedup();
    for metric in metrics {
        let o = old.iter().find(|b| b.metric == metric);
        let n = new.iter().find(|b| b.metric == metric);
        let unit = n
            .or(o)
            .and_then(|b| b.unit)
            .map_or("1", |u| u.symbol)
            .to_owned();
        for side in [Side::Min, Side::Max] {
            fn pick(b: Option<&Bound>, side: Side) -> Option<(f64, &crate::units::Exact)> {
                match side {
                    Side::Min => b.and_then(|b| b.min.zip(b.min_canonical.as_ref())),
                    Side::Max => b.and_then(|b| b.max.zip(b.max_canonical.as_ref())),
                }
            }
            let (before, after) = (pick(o, side), pick(n, side));
            let direction = match (before, after) {
                (None, None) => continue,
                (Some((_, a)), Some((_, b))) => {
                    if a == b {
                        continue;
                    }
                    let raised = b > a;
                    match (side, raised) {
                        (Side::Max, true) | (Side::Min, false) => Direction::Loosened,
                        _ => Direction::Tightened,
                    }
                }
                (None, Some(_)) => Direction::Tightened,
                (Some(_), None) => Direction::Loosened,
            };
            out.push(Change::Bound {
                metric: metric.to_owned(),
                side,
                old: before.map(|(v, _)| v),
                new: after.map(|(v, _)| v),
                unit: unit.clone(),
                direction,
            });
        }
    }
}

impl ChecklistDiff {
    /// Human text: a heading, then one item per line beginning with its id.
    #[must_use]
    pub fn render_human(&self, old: &Checklist, new: &Checklist) -> String {
        let mut s = format!(
            "{} -> {}: {} added, {} retired, {} changed\n",
            self.old,
            self.new,
            self.added.len(),
            self.retired.len(),
            self.changed.len()
        );
        for id in &self.added {
            let i = new.item(id);
            let _ = writeln!(
                s,
                "{id} added: {} [{}, {}]",
                i.map_or("", |i| i.title.as_str()),
                i.map_or("", |i| i.domain.as_str()),
                i.map_or("", |i| severity_text(i.severity))
            );
        }
        for id in &self.retired {
            let _ = writeln!(
                s,
                "{id} retired: {}",
                old.item(id).map_or("", |i| i.title.as_str())
            );
        }
        for (id, changes) in &self.changed {
            let text: Vec<String> = changes.iter().map(Change::describe).collect();
            let _ = writeln!(s, "{id} changed: {}", text.join("; "));
        }
        s
    }

    /// JSON value.
    #[must_use]
    pub fn to_json(&self, old: &Checklist, new: &Checklist) -> serde_json::Value {
        use serde_json::json;
        let item = |c: &Checklist, id: &str| {
            let i = c.item(id);
            json!({"id": id, "title": i.map(|i| &i.title), "domain": i.map(|i| &i.domain)})
        };
        json!({
            "old": {"id": old.id, "version": old.version.to_string(), "sha256": old.sha256},
            "new": {"id": new.id, "version": new.version.to_string(), "sha256": new.sha256},
            "added": self.added.iter().map(|id| item(new, id)).collect::<Vec<_>>(),
            "retired": self.retired.iter().map(|id| item(old, id)).collect::<Vec<_>>(),
            "changed": self.changed.iter().map(|(id, changes)| json!({
                "id": id,
                "changes": changes.iter().map(change_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

fn change_json(c: &Change) -> serde_json::Value {
    use serde_json::json;
    match c {
        Change::Bound {
            metric,
            side,
            old,
            new,
            unit,
            direction,
        } => json!({
            "kind": "bound", "metric": metric,
            "side": match side { Side::Min => "min", Side::Max => "max" },
            "old": old, "new": new, "unit": unit, "direction": direction.as_str(),
        }),
        Change::Evidence { added, removed } => {
            json!({"kind": "evidence", "added": added, "removed": removed})
        }
        Change::Alternatives { added, removed } => {
            json!({"kind": "any_of", "added": added, "removed": removed})
        }
        Change::Applicability { old, new } => {
            json!({"kind": "applicability", "old": old, "new": new})
        }
        Change::Field { field, old, new } => json!({"kind": field, "old": old, "new": new}),
    }
}

/// A report that had no error under the old version and has some under the new.
#[derive(Debug, Clone)]
pub struct Affected {
    /// The report's path.
    pub path: String,
    /// Its `report.id`.
    pub id: Option<String>,
    /// The error findings it has under the new version.
    pub findings: Vec<crate::finding::Finding>,
}

/// Checks the reports under `options.paths` against `old` and against `new`
/// (whatever version they name) and returns those that pass no more.
///
/// # Errors
/// As [`crate::engine::check_against`].
pub fn affected_reports(
    old: &Checklist,
    new: &Checklist,
    options: &crate::engine::Options,
) -> Result<Vec<Affected>, crate::engine::Error> {
    use std::sync::Arc;

    use crate::checklist::Catalog;
    use crate::engine::{Options, check_against};
    use crate::finding::Severity;

    let catalog = Arc::new(Catalog::new(vec![old.clone(), new.clone()]));
    let run = |c: &Checklist| {
        check_against(
            Options {
                pin: Some((c.id.clone(), c.version.clone())),
                allow_empty: true,
                ..options.clone()
            },
            Vec::new(),
            Arc::clone(&catalog),
        )
    };
    let before = run(old)?;
    let after = run(new)?;
    let errors = |o: &crate::outcome::Outcome| {
        o.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    };
    Ok(before
        .outcomes
        .iter()
        .zip(&after.outcomes)
        .filter(|(b, a)| b.path == a.path && errors(b) == 0 && errors(a) > 0)
        .map(|(_, a)| Affected {
            path: a.path.clone(),
            id: a.id.clone(),
            findings: a
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .cloned()
                .collect(),
        })
        .collect())
}
