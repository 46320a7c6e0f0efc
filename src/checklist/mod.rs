//! Checklists: loaded from files or from the binary, validated against the
//! schema, then compiled once per run into what the checker needs (item
//! lookup, bounds already in canonical units, applicability).

pub mod catalog;
pub mod lint;
pub mod source;

use std::collections::{BTreeMap, HashMap};

use semver::Version;

use crate::finding::Finding;
use crate::load::{Node, Span, Value};
use num_traits::Signed;

use crate::codes::Code;
use crate::number;
use crate::units::{self, Dimension, Exact, Unit};

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
    /// The physically possible span of a value, in canonical units (a
    /// `count` is always whole and at least 0, whatever the registry says).
    pub range: Range,
}

/// A metric's physically possible span (`range: {min?, max?}` in the
/// registry unit), kept in canonical units; a value outside is SDS036.
#[derive(Debug, Clone, Default)]
pub struct Range {
    /// Lowest possible value, canonical.
    pub min: Option<Exact>,
    /// Highest possible value, canonical.
    pub max: Option<Exact>,
    /// Where `range:` stands, when declared.
    pub span: Option<Span>,
}

impl Metric {
    /// Whether this metric counts events (whole numbers, never negative).
    #[must_use]
    pub fn is_count(&self) -> bool {
        self.unit.is_some_and(|u| u.dimension == Dimension::Count)
    }

    /// Why a canonical value is impossible for this metric (SDS036), if it is.
    #[must_use]
    pub fn impossible(&self, canonical: &Exact) -> Option<String> {
        let unit = self.unit?;
        let shown = |v: &Exact| format!("{}{}", units::show(&unit.from_canonical(v)), suffix(unit));
        if self.is_count() {
            if !canonical.is_integer() {
                return Some("a count is a whole number".to_owned());
            }
            if canonical.is_negative() {
                return Some("a count is never negative".to_owned());
            }
        }
        if let Some(min) = &self.range.min
            && canonical < min
        {
            return Some(format!("its possible range starts at {}", shown(min)));
        }
        if let Some(max) = &self.range.max
            && canonical > max
        {
            return Some(format!("its possible range ends at {}", shown(max)));
        }
        None
    }
}

/// ` mm` after a number (see [`units::suffix`]).
#[must_use]
pub fn suffix(unit: &Unit) -> String {
    units::suffix(unit.symbol)
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
    /// `min` in canonical units, exact (read from its text).
    pub min_canonical: Option<Exact>,
    /// `max` in canonical units, exact (read from its text).
    pub max_canonical: Option<Exact>,
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
        let u = units::suffix(self.unit.map_or("", |u| u.symbol));
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("between {a} and {b}{u}"),
            (Some(a), None) => format!("at least {a}{u}"),
            (None, Some(b)) => format!("at most {b}{u}"),
            (None, None) => "unbounded".into(),
        }
    }
}

impl Bound {
    /// "above" or "below" when the canonical value breaks the bound (no
    /// tolerance: a value beyond the bound by any amount breaks it).
    #[must_use]
    pub fn breach(&self, canonical: &Exact) -> Option<&'static str> {
        if self.max_canonical.as_ref().is_some_and(|m| canonical > m) {
            Some("above")
        } else if self.min_canonical.as_ref().is_some_and(|m| canonical < m) {
            Some("below")
        } else {
            None
        }
    }
}

/// One attribute of the `vehicle_attributes` vocabulary.
#[derive(Debug, Clone)]
pub struct AttributeDecl {
    /// Its name (`powertrain`).
    pub name: String,
    /// The values it may take, compared exactly.
    pub values: Vec<String>,
    /// A report must state it.
    pub required: bool,
    /// It takes a list of values (`features`).
    pub list: bool,
    /// Where its name stands in the header.
    pub span: Span,
}

/// An applicability condition: the vehicle attribute must take one of the values.
#[derive(Debug, Clone)]
pub struct Condition {
    /// Attribute name (`powertrain`, `market`, `features`, ...).
    pub attribute: String,
    /// Allowed values (for a `list: true` attribute: all of these must be present).
    pub values: Vec<String>,
    /// Where the attribute name stands (for lint).
    pub span: Span,
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
    /// Bounds that must all hold (`acceptance: [...]`).
    pub acceptance: Vec<Bound>,
    /// Alternative sets of bounds, at least one of which must hold in full
    /// (`acceptance: {any_of: [[...], [...]]}`); empty otherwise.
    pub any_of: Vec<Vec<Bound>>,
    pub evidence: Vec<String>,
    /// Where `evidence:` stands (for lint).
    pub evidence_span: Option<Span>,
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
    /// Where the version stands in the header.
    pub version_span: Span,
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
    /// The vocabulary of applicability, in header order.
    pub vehicle_attributes: Vec<AttributeDecl>,
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

    /// The declared attribute of this name.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&AttributeDecl> {
        self.vehicle_attributes.iter().find(|a| a.name == name)
    }

    /// The sha256 of the content alone (each file's bytes, not its path):
    /// two copies of one checklist in different places are the same checklist.
    #[must_use]
    pub fn content_digest(&self) -> String {
        let mut digests: Vec<&str> = self.files.iter().map(|f| f.sha256.as_str()).collect();
        digests.sort_unstable();
        source::sha256_hex(digests.join("\n").as_bytes())
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
    let mut findings = Vec::new();
    let header_text = files.first().map(|f| f.text.clone()).unwrap_or_default();
    let text = |n: Option<&Node>| n.and_then(Node::as_str).unwrap_or_default().to_owned();
    let Some(version) = header
        .get("version")
        .and_then(Node::as_str)
        .and_then(|v| Version::parse(v).ok())
    else {
        return (None, Vec::new());
    };
    let mut whole = |file: usize, node: Option<&Node>, field: &str| -> Option<u32> {
        let node = node?;
        match node.value {
            Value::Int(i) => u32::try_from(i).ok(),
            _ => {
                findings.push((
                    file,
                    Finding::new(
                        Code::SchemaViolation,
                        node.span,
                        format!(
                            "`{field}` must be a whole number written without a fraction or exponent, found {}",
                            node.kind_name()
                        ),
                    )
                    .help(format!("write `{field}: {}`", node.as_f64().unwrap_or(0.0).trunc())),
                ));
                None
            }
        }
    };
    let total = header.get("total_points");
    let total_points = whole(0, total, "total_points").unwrap_or(0);
    let mut items = Vec::new();
    for (file, root) in roots.iter().enumerate() {
        for node in root.get("items").map(Node::items).unwrap_or_default() {
            let points = match node.get("points") {
                None => 1,
                p => whole(file, p, "points").unwrap_or(0),
            };
            let validity_days = whole(file, node.get("validity_days"), "validity_days");
            items.push((file, node, points, validity_days));
        }
    }
    let metrics: BTreeMap<String, Metric> = header
        .get("metrics")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            let unit_node = e.value.get("unit")?;
            let unit_text = unit_node.as_str()?.to_owned();
            let unit = units::lookup(&unit_text);
            let range_node = e.value.get("range");
            let limit = |k: &str| {
                let n = range_node?.get(k)?;
                let v = number::exact(n, &header_text).ok()?;
                unit.map(|u| u.to_canonical(&v))
            };
            Some((
                e.key.as_str()?.to_owned(),
                Metric {
                    unit_span: unit_node.span,
                    range: Range {
                        min: limit("min"),
                        max: limit("max"),
                        span: range_node.map(|n| n.span),
                    },
                    unit,
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
    let vehicle_attributes = header
        .get("vehicle_attributes")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .map(|e| AttributeDecl {
            name: e.key.as_str().unwrap_or_default().to_owned(),
            values: e
                .value
                .get("values")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(scalar_text)
                .collect(),
            required: e
                .value
                .get("required")
                .and_then(Node::as_bool)
                .unwrap_or(false),
            list: e.value.get("list").and_then(Node::as_bool).unwrap_or(false),
            span: e.key.span,
        })
        .collect();
    let items: Vec<Item> = items
        .into_iter()
        .map(|(file, node, points, validity_days)| {
            let text = files.get(file).map(|f| f.text.clone()).unwrap_or_default();
            let mut item = compile_item(node, file, &metrics, &text);
            item.points = points;
            item.validity_days = validity_days;
            item
        })
        .collect();
    let mut index = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        index.entry(item.id.clone()).or_insert(i);
    }
    let sha256 = source::manifest_digest(&files);
    let checklist = Checklist {
        id: text(header.get("id")),
        version,
        version_span: header.get("version").map_or(Span::TOP, |n| n.span),
        title: text(header.get("title")),
        total_points,
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
        vehicle_attributes,
        items,
        index,
        bundled: files.iter().all(|f| f.bundled),
        files,
        sha256,
    };
    findings.extend(lint::lint(&checklist));
    (Some(checklist), findings)
}

fn scalar_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(n.to_string()),
        _ => None,
    }
}

fn compile_bound(b: &Node, metrics: &BTreeMap<String, Metric>, source: &str) -> Bound {
    let metric_node = b.get("metric");
    let metric = metric_node
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_owned();
    let unit = metrics.get(&metric).and_then(|m| m.unit);
    let canonical = |k: &str| {
        let v = number::exact(b.get(k)?, source).ok()?;
        unit.map(|u| u.to_canonical(&v))
    };
    Bound {
        min_canonical: canonical("min"),
        max_canonical: canonical("max"),
        min: b.get("min").and_then(Node::as_f64),
        max: b.get("max").and_then(Node::as_f64),
        metric,
        unit,
        span: b.span,
        metric_span: metric_node.map_or(b.span, |n| n.span),
    }
}

fn compile_item(
    node: &Node,
    file: usize,
    metrics: &BTreeMap<String, Metric>,
    source: &str,
) -> Item {
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
    let bounds = |n: &Node| -> Vec<Bound> {
        n.items()
            .iter()
            .map(|b| compile_bound(b, metrics, source))
            .collect()
    };
    let acceptance_node = node.get("acceptance");
    let any_of_node = acceptance_node.and_then(|a| a.get("any_of"));
    let acceptance = match acceptance_node {
        Some(a) if any_of_node.is_none() => bounds(a),
        _ => Vec::new(),
    };
    let any_of = any_of_node
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(bounds)
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
            span: e.key.span,
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
        points: 1,
        applies_when,
        acceptance,
        any_of,
        evidence: strings("evidence"),
        evidence_span: node.get("evidence").map(|n| n.span),
        validity_days: None,
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

/// A vehicle's attributes that are known: stated, declared and valid, as
/// lists of text (a one-value attribute is a list of one). Absent and
/// invalid (SDS014) attributes are not in it: they are unknown.
pub type Attributes = HashMap<String, Vec<String>>;

impl Item {
    /// Whether the item applies to a vehicle with these known attributes.
    ///
    /// An unknown attribute matches every value, so a misspelt or invented
    /// value can add findings, never remove an item. Values compare exactly.
    /// For a list attribute (`features`) every listed value must be present.
    #[must_use]
    pub fn applies_to(&self, attributes: &Attributes, checklist: &Checklist) -> bool {
        self.applies_when.iter().all(|c| {
            let Some(has) = attributes.get(&c.attribute) else {
                return true;
            };
            let list = checklist.attribute(&c.attribute).is_some_and(|a| a.list);
            if list {
                c.values.iter().all(|v| has.contains(v))
            } else {
                has.iter().any(|v| c.values.contains(v))
            }
        })
    }
}
