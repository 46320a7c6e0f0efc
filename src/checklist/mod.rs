//! Checklists: loaded from files or from the binary, validated against the
//! schema, then compiled once per run into what the checker needs (item
//! lookup, bounds already in canonical units, applicability).

pub mod catalog;
pub mod source;

use std::collections::{BTreeMap, HashMap};

use semver::Version;

use crate::finding::Finding;
use crate::load::{Node, Span, Value};
use crate::rules::checklist_lint;
use crate::units::{self, Unit};

pub use catalog::Catalog;
pub use source::{ChecklistFile, ChecklistSource};

/// How much an item matters (not how many points it is worth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ItemSeverity {
    Critical,
    Major,
    Minor,
}

/// The software level whose change forces a retest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Level {
    Major,
    Minor,
    Patch,
}

impl Level {
    /// As written in checklists.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Major => "major",
            Level::Minor => "minor",
            Level::Patch => "patch",
        }
    }

    /// How many version components are compared at this level.
    #[must_use]
    pub fn components(self) -> usize {
        match self {
            Level::Major => 1,
            Level::Minor => 2,
            Level::Patch => 3,
        }
    }
}

/// A metric of the registry.
#[derive(Debug, Clone)]
pub struct Metric {
    /// The unit as written.
    pub unit_text: String,
    /// The unit, when the table knows it (SDS104 otherwise).
    pub unit: Option<&'static Unit>,
    /// What it measures.
    pub description: String,
    /// Where its unit stands in the header file.
    pub unit_span: Span,
}

/// One acceptance bound, with its limits in the metric's unit and in canonical units.
#[derive(Debug, Clone)]
pub struct Bound {
    /// The metric name.
    pub metric: String,
    /// Lower limit, inclusive, in the registry unit.
    pub min: Option<f64>,
    /// Upper limit, inclusive, in the registry unit.
    pub max: Option<f64>,
    /// `min` in canonical units.
    pub min_canonical: Option<f64>,
    /// `max` in canonical units.
    pub max_canonical: Option<f64>,
    /// The metric's unit (None when the metric or its unit is undefined: lint error).
    pub unit: Option<&'static Unit>,
    /// Where the bound stands (for lint).
    pub span: Span,
    /// Where the metric name stands (for lint).
    pub metric_span: Span,
}

impl Bound {
    /// `min ≤ x ≤ max` written for people, in the registry unit.
    #[must_use]
    pub fn describe(&self) -> String {
        let u = self.unit.map_or("", |u| u.symbol);
        let u = if u == "1" {
            String::new()
        } else {
            format!(" {u}")
        };
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("between {a} and {b}{u}"),
            (Some(a), None) => format!("at least {a}{u}"),
            (None, Some(b)) => format!("at most {b}{u}"),
            (None, None) => "unbounded".into(),
        }
    }
}

/// An applicability condition: the vehicle attribute must take one of the values.
#[derive(Debug, Clone)]
pub struct Condition {
    /// Attribute name (`powertrain`, `market`, `features`, ...).
    pub attribute: String,
    /// Allowed values (for `features`: all of these must be present).
    pub values: Vec<String>,
}

/// A compiled checklist item.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct Item {
    pub id: String,
    pub domain: String,
    pub title: String,
    pub scenario: String,
    /// `conditions` as `key: value` text, in file order.
    pub conditions: Vec<(String, String)>,
    pub severity: ItemSeverity,
    pub points: u32,
    pub applies_when: Vec<Condition>,
    pub acceptance: Vec<Bound>,
    pub evidence: Vec<String>,
    pub validity_days: Option<u32>,
    pub retest_on: Option<Level>,
    pub waivable: bool,
    pub references: Vec<String>,
    /// Index of the file that holds it in [`Checklist::files`].
    pub file: usize,
    /// Where its id stands.
    pub id_span: Span,
    /// Where its domain stands.
    pub domain_span: Span,
}

/// A domain of the header.
#[derive(Debug, Clone)]
pub struct Domain {
    /// Id (e.g. `CRASH`).
    pub id: String,
    /// Title.
    pub title: String,
}

/// A compiled checklist version.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// Checklist id (e.g. `sds`).
    pub id: String,
    /// Version.
    pub version: Version,
    /// Title.
    pub title: String,
    /// Declared total of points.
    pub total_points: u32,
    /// Where `total_points` stands.
    pub total_points_span: Span,
    /// The metric registry.
    pub metrics: BTreeMap<String, Metric>,
    /// Domains in header order.
    pub domains: Vec<Domain>,
    /// Allowed evidence kinds.
    pub evidence_kinds: Vec<String>,
    /// Items in file order.
    pub items: Vec<Item>,
    index: HashMap<String, usize>,
    /// The files it was read from, header first.
    pub files: Vec<ChecklistFile>,
    /// The sha256 of the file, or of the manifest of a directory's files.
    pub sha256: String,
    /// Compiled into the binary.
    pub bundled: bool,
}

impl Checklist {
    /// The item with this id.
    #[must_use]
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// The position of the item with this id in [`Checklist::items`].
    #[must_use]
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// `id@version`.
    #[must_use]
    pub fn label(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }
}

/// Compiles the parsed, schema-valid files of one checklist version (header
/// first) and lints them. Returns the checklist (None when the header cannot
/// be read) and the lint findings, each with the index of its file.
#[must_use]
pub fn compile(
    files: Vec<ChecklistFile>,
    roots: &[Node],
) -> (Option<Checklist>, Vec<(usize, Finding)>) {
    let Some(header) = roots.first() else {
        return (None, Vec::new());
    };
    let text = |n: Option<&Node>| n.and_then(Node::as_str).unwrap_or_default().to_owned();
    let Some(version) = header
        .get("version")
        .and_then(Node::as_str)
        .and_then(|v| Version::parse(v).ok())
    else {
        return (None, Vec::new());
    };
    let metrics: BTreeMap<String, Metric> = header
        .get("metrics")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let unit_node = e.value.get("unit")?;
            let unit_text = unit_node.as_str()?.to_owned();
            Some((
                e.key.as_str()?.to_owned(),
                Metric {
                    unit_span: unit_node.span,
                    unit: units::lookup(&unit_text),
                    unit_text,
                    description: text(e.value.get("description")),
                },
            ))
        })
        .collect();
    let domains = header
        .get("domains")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|d| Domain {
            id: text(d.get("id")),
            title: text(d.get("title")),
        })
        .collect();
    let mut items = Vec::new();
    for (file, root) in roots.iter().enumerate() {
        for node in root.get("items").map(Node::items).unwrap_or_default() {
            items.push(compile_item(node, file, &metrics));
        }
    }
    let mut index = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        index.entry(item.id.clone()).or_insert(i);
    }
    let sha256 = source::manifest_digest(&files);
    let total = header.get("total_points");
    let checklist = Checklist {
        id: text(header.get("id")),
        version,
        title: text(header.get("title")),
        total_points: total
            .and_then(Node::as_i64)
            .and_then(|t| u32::try_from(t).ok())
            .unwrap_or(0),
        total_points_span: total.map_or(Span::TOP, |n| n.span),
        metrics,
        domains,
        evidence_kinds: header
            .get("evidence_kinds")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_str().map(ToOwned::to_owned))
            .collect(),
        items,
        index,
        bundled: files.iter().all(|f| f.bundled),
        files,
        sha256,
    };
    let findings = checklist_lint::lint(&checklist);
    (Some(checklist), findings)
}

fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(n.to_string()),
        _ => None,
    }
}

fn compile_item(node: &Node, file: usize, metrics: &BTreeMap<String, Metric>) -> Item {
    let text = |k: &str| {
        node.get(k)
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let strings = |k: &str| -> Vec<String> {
        node.get(k)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_str().map(ToOwned::to_owned))
            .collect()
    };
    let scenario = node.get("scenario");
    let acceptance = node
        .get("acceptance")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|b| {
            let metric_node = b.get("metric");
            let metric = metric_node
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_owned();
            let unit = metrics.get(&metric).and_then(|m| m.unit);
            let min = b.get("min").and_then(Node::as_f64);
            let max = b.get("max").and_then(Node::as_f64);
            Bound {
                min_canonical: min.zip(unit).map(|(v, u)| u.to_canonical(v)),
                max_canonical: max.zip(unit).map(|(v, u)| u.to_canonical(v)),
                metric,
                min,
                max,
                unit,
                span: b.span,
                metric_span: metric_node.map_or(b.span, |n| n.span),
            }
        })
        .collect();
    let applies_when = node
        .get("applies_when")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|e| Condition {
            attribute: e.key.as_str().unwrap_or_default().to_owned(),
            values: match &e.value.value {
                Value::Seq(v) => v.iter().filter_map(scalar_text).collect(),
                _ => scalar_text(&e.value).into_iter().collect(),
            },
        })
        .collect();
    Item {
        id: text("id"),
        domain: text("domain"),
        title: text("title"),
        scenario: scenario
            .and_then(|s| s.get("description"))
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_owned(),
        conditions: scenario
            .and_then(|s| s.get("conditions"))
            .map(Node::entries)
            .unwrap_or_default()
            .iter()
            .map(|e| {
                (
                    e.key.as_str().unwrap_or_default().to_owned(),
                    scalar_text(&e.value).unwrap_or_else(|| e.value.kind_name().to_owned()),
                )
            })
            .collect(),
        severity: match node.get("severity").and_then(Node::as_str) {
            Some("critical") => ItemSeverity::Critical,
            Some("minor") => ItemSeverity::Minor,
            _ => ItemSeverity::Major,
        },
        points: node
            .get("points")
            .and_then(Node::as_i64)
            .and_then(|p| u32::try_from(p).ok())
            .unwrap_or(1),
        applies_when,
        acceptance,
        evidence: strings("evidence"),
        validity_days: node
            .get("validity_days")
            .and_then(Node::as_i64)
            .and_then(|d| u32::try_from(d).ok()),
        retest_on: match node.get("retest_on").and_then(Node::as_str) {
            Some("major") => Some(Level::Major),
            Some("minor") => Some(Level::Minor),
            Some("patch") => Some(Level::Patch),
            _ => None,
        },
        waivable: node.get("waivable").and_then(Node::as_bool).unwrap_or(true),
        references: strings("references"),
        file,
        id_span: node.get("id").map_or(node.span, |n| n.span),
        domain_span: node.get("domain").map_or(node.span, |n| n.span),
    }
}

/// A vehicle's attributes, as lists of text (a scalar is a list of one).
pub type Attributes = HashMap<String, Vec<String>>;

impl Item {
    /// Whether the item applies to a vehicle with these attributes.
    ///
    /// A vehicle that does not state an attribute matches any value of it
    /// (applying more items is the safe side: a gap is never hidden by an
    /// omission); `features` must all be present.
    #[must_use]
    pub fn applies_to(&self, attributes: &Attributes) -> bool {
        self.applies_when.iter().all(|c| {
            let has = attributes.get(&c.attribute);
            if c.attribute == "features" {
                let present = has.map(Vec::as_slice).unwrap_or_default();
                c.values
                    .iter()
                    .all(|f| present.iter().any(|p| p.eq_ignore_ascii_case(f)))
            } else {
                has.is_none_or(|vals| {
                    vals.iter()
                        .any(|v| c.values.iter().any(|a| a.eq_ignore_ascii_case(v)))
                })
            }
        })
    }
}
