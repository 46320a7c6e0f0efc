//! A typed view of one schema-valid report, borrowing the spanned tree so
//! every field keeps its place in the file.

use chrono::NaiveDate;

use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{Entry, Node, Span, Value};

/// A result's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `pass`.
    Pass,
    /// `fail`.
    Fail,
    /// `not_tested`.
    NotTested,
    /// `not_applicable`.
    NotApplicable,
}

/// A date with its place.
#[derive(Debug, Clone, Copy)]
pub struct Dated {
    /// The date.
    pub date: NaiveDate,
    /// Where it stands.
    pub span: Span,
}

/// One evidence entry.
#[derive(Debug, Clone)]
pub struct Evidence<'a> {
    /// `kind`.
    pub kind: &'a str,
    /// `path` and its node.
    pub path: &'a Node,
    /// `sha256`, if given.
    pub sha256: Option<&'a Node>,
}

/// One result.
#[derive(Debug, Clone)]
pub struct ResultEntry<'a> {
    /// The `item:` value node (a string).
    pub item: &'a Node,
    /// Status.
    pub status: Status,
    /// The `status:` value node.
    pub status_node: &'a Node,
    /// `tested_on`.
    pub tested_on: Option<Dated>,
    /// `software` node.
    pub software: Option<&'a Node>,
    /// The `measurements:` entry (key and map), if present.
    pub measurements: Option<&'a Entry>,
    /// The `evidence:` entry, if present.
    pub evidence_key: Option<&'a Entry>,
    /// Evidence entries.
    pub evidence: Vec<Evidence<'a>>,
}

impl ResultEntry<'_> {
    /// The item id.
    #[must_use]
    pub fn item_id(&self) -> &str {
        self.item.as_str().unwrap_or_default()
    }
}

/// One waiver (from the report, or from a waivers file).
#[derive(Debug, Clone)]
pub struct Waiver<'a> {
    /// The `item:` node.
    pub item: &'a Node,
    /// `approved_by`.
    pub approved_by: &'a str,
    /// `reason`.
    pub reason: &'a str,
    /// `expires`.
    pub expires: Dated,
}

/// A schema-valid report.
#[derive(Debug)]
pub struct Report<'a> {
    /// The whole tree.
    pub root: &'a Node,
    /// `checklist.id` node.
    pub checklist_id: &'a Node,
    /// `checklist.version` node.
    pub checklist_version: &'a Node,
    /// `vehicle.software` node.
    pub vehicle_software: &'a Node,
    /// `report.id`.
    pub id: &'a str,
    /// `report.issued`.
    pub issued: Dated,
    /// The `results:` key, where missing results are reported.
    pub results_key: Span,
    /// Results in file order.
    pub results: Vec<ResultEntry<'a>>,
    /// Waivers in file order.
    pub waivers: Vec<Waiver<'a>>,
}

/// Reads a `YYYY-MM-DD` node (the schema has checked the shape; this checks the calendar).
///
/// # Errors
/// SDS002 when the date does not exist (`2025-02-30`).
// A finding is this crate's error currency; dates are read once per field, off any hot loop.
#[allow(clippy::result_large_err)]
pub fn date(node: &Node) -> Result<Dated, Finding> {
    let text = node.as_str().unwrap_or_default();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|date| Dated {
            date,
            span: node.span,
        })
        .map_err(|_| {
            Finding::new(
                Code::SchemaViolation,
                node.span,
                format!("{text:?} is not a date of the calendar"),
            )
        })
}

/// The report's `report.id`, when it can be read (also from invalid reports).
#[must_use]
pub fn report_id(root: &Node) -> Option<String> {
    root.get("report")?
        .get("id")?
        .as_str()
        .map(ToOwned::to_owned)
}

/// Text of the scalars of an attribute value (a scalar is a list of one).
#[must_use]
pub fn scalar_list(node: &Node) -> Vec<String> {
    let one = |n: &Node| match &n.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(n.to_string()),
        _ => None,
    };
    match &node.value {
        Value::Seq(v) => v.iter().filter_map(one).collect(),
        _ => one(node).into_iter().collect(),
    }
}

impl<'a> Report<'a> {
    /// Builds the view of a schema-valid tree.
    ///
    /// # Errors
    /// SDS002 findings for dates that do not exist (the only thing the schema cannot say).
    pub fn from_tree(root: &'a Node) -> Result<Self, Vec<Finding>> {
        let mut errors = Vec::new();
        let missing = || {
            Finding::new(
                Code::SchemaViolation,
                Span::TOP,
                "not a schema-valid report",
            )
        };
        let (Some(checklist), Some(vehicle), Some(report), Some(results)) = (
            root.get("checklist"),
            root.get("vehicle"),
            root.get("report"),
            root.entry("results"),
        ) else {
            return Err(vec![missing()]);
        };
        let (
            Some(checklist_id),
            Some(checklist_version),
            Some(vehicle_software),
            Some(id),
            Some(issued),
        ) = (
            checklist.get("id"),
            checklist.get("version"),
            vehicle.get("software"),
            report.get("id").and_then(Node::as_str),
            report.get("issued"),
        )
        else {
            return Err(vec![missing()]);
        };
        let mut keep_date = |n: &Node| date(n).map_err(|f| errors.push(f)).ok();
        let issued = keep_date(issued);
        let mut entries = Vec::new();
        for r in results.value.items() {
            let (Some(item), Some(status_node)) = (r.get("item"), r.get("status")) else {
                continue;
            };
            let status = match status_node.as_str() {
                Some("pass") => Status::Pass,
                Some("fail") => Status::Fail,
                Some("not_tested") => Status::NotTested,
                _ => Status::NotApplicable,
            };
            let evidence = r
                .get("evidence")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|e| {
                    Some(Evidence {
                        kind: e.get("kind")?.as_str()?,
                        path: e.get("path")?,
                        sha256: e.get("sha256"),
                    })
                })
                .collect();
            entries.push(ResultEntry {
                item,
                status,
                status_node,
                tested_on: r.get("tested_on").and_then(&mut keep_date),
                software: r.get("software"),
                measurements: r.entry("measurements"),
                evidence_key: r.entry("evidence"),
                evidence,
            });
        }
        let waivers = root
            .get("waivers")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|w| waiver(w, &mut keep_date))
            .collect();
        let Some(issued) = issued else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Report {
            root,
            checklist_id,
            checklist_version,
            vehicle_software,
            id,
            issued,
            results_key: results.key.span,
            results: entries,
            waivers,
        })
    }
}

/// Reads a waiver node (schema-valid).
pub fn waiver<'a>(
    w: &'a Node,
    keep_date: &mut impl FnMut(&Node) -> Option<Dated>,
) -> Option<Waiver<'a>> {
    Some(Waiver {
        item: w.get("item")?,
        approved_by: w.get("approved_by")?.as_str()?,
        reason: w.get("reason")?.as_str()?,
        expires: keep_date(w.get("expires")?)?,
    })
}
