//! Parsed checklist files to a [`Checklist`]: one pass over the nodes, the
//! lint run at the end.

use std::collections::{BTreeMap, HashMap};

use semver::Version;

use super::lint;
use super::model::{
    AttributeDecl, Bound, Checklist, Condition, Domain, Item, ItemSeverity, Level, Metric, Range,
};
use super::source::{self, ChecklistFile};
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{Node, Span, Value};
use crate::number;
use crate::units;

/// Compiles the parsed, schema-valid files of one checklist version (header
/// first) and lints them. Returns the checklist (None when the header cannot
/// be read) and the lint findings, whose spans name their files.
#[must_use]
pub fn compile(files: Vec<ChecklistFile>, roots: &[Node]) -> (Option<Checklist>, Vec<Finding>) {
    let Some(header) = roots.first() else {
        return (None, Vec::new());
    };
    let mut findings = Vec::new();
    let header_text = files.first().map(|f| f.text.clone()).unwrap_or_default();
    let Some(version) = header
        .get("version")
        .and_then(Node::as_str)
        .and_then(|v| Version::parse(v).ok())
    else {
        return (None, Vec::new());
    };
    let mut whole = |node: Option<&Node>, field: &str| whole_number(&mut findings, node, field);
    let total = header.get("total_points");
    let total_points = whole(total, "total_points").unwrap_or(0);
    let mut items = Vec::new();
    for (file, root) in roots.iter().enumerate() {
        for node in root.get("items").map(Node::items).unwrap_or_default() {
            let points = match node.get("points") {
                None => 1,
                p => whole(p, "points").unwrap_or(0),
            };
            let validity_days = whole(node.get("validity_days"), "validity_days");
            items.push((file, node, points, validity_days));
        }
    }
    derive_problems(header, &mut findings);
    let metrics = compile_metrics(header, &header_text);
    let domains = compile_domains(header);
    let vehicle_attributes = compile_attributes(header);
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
        version_span: header
            .get("version")
            .map_or(Span::top(header.span.file), |n| n.span),
        title: text(header.get("title")),
        total_points,
        total_points_span: total.map_or(Span::top(header.span.file), |n| n.span),
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

/// A whole number (`total_points`, `points`, `validity_days`), or SDS002
/// for anything else written there.
fn whole_number(findings: &mut Vec<Finding>, node: Option<&Node>, field: &str) -> Option<u32> {
    let node = node?;
    if let Value::Int(i) = node.value {
        return u32::try_from(i).ok();
    }
    findings.push(
        Finding::new(
            Code::SchemaViolation,
            node.span,
            format!(
                "`{field}` must be a whole number written without a fraction or exponent, found {}",
                node.kind_name()
            ),
        )
        .help(format!(
            "write `{field}: {}`",
            node.as_f64().unwrap_or(0.0).trunc()
        )),
    );
    None
}

/// `derive` and `tolerance` entries the schema lets through but sds cannot
/// carry out (hic without `window_ms`, `location` and `over` together): SDS002.
fn derive_problems(header: &Node, findings: &mut Vec<Finding>) {
    for e in header.get("metrics").map(Node::entries).unwrap_or_default() {
        let problems = [
            e.value
                .get("derive")
                .and_then(|n| crate::derive::DeriveSpec::from_node(n).err()),
            e.value
                .get("tolerance")
                .and_then(|n| crate::derive::Tolerance::from_node(n).err()),
        ];
        for (span, message) in problems.into_iter().flatten() {
            let name = e.key.as_str().unwrap_or_default();
            findings.push(Finding::new(
                Code::SchemaViolation,
                span,
                format!("metric `{name}`: {message}"),
            ));
        }
    }
}

/// The metrics the header declares, bounds in canonical units.
fn compile_metrics(header: &Node, header_text: &str) -> BTreeMap<String, Metric> {
    header
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
                let v = number::exact(n, header_text).ok()?;
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
                    // A broken entry was reported above; the metric is then not derived.
                    derive: e
                        .value
                        .get("derive")
                        .and_then(|n| crate::derive::DeriveSpec::from_node(n).ok()),
                    tolerance: e
                        .value
                        .get("tolerance")
                        .and_then(|n| crate::derive::Tolerance::from_node(n).ok())
                        .unwrap_or_default(),
                },
            ))
        })
        .collect()
}

fn compile_domains(header: &Node) -> Vec<Domain> {
    header
        .get("domains")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|d| Domain {
            id: text(d.get("id")),
            title: text(d.get("title")),
        })
        .collect()
}

fn compile_attributes(header: &Node) -> Vec<AttributeDecl> {
    header
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
        .collect()
}

/// The text of a node, or empty when absent or not text.
fn text(n: Option<&Node>) -> String {
    n.and_then(Node::as_str).unwrap_or_default().to_owned()
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
