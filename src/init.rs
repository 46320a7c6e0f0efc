//! `sds init`: a report skeleton with a result for every item that applies
//! to a vehicle, listing the metrics (with units and bounds) and the evidence
//! kinds each needs, so an engineer fills in values instead of looking them up.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::checklist::{Attributes, Checklist};
use crate::diff::severity_text;
use crate::load::{Node, Value};
use crate::report::scalar_list;
use crate::source::LineIndex;

/// The vehicle a report is for: what a report's `vehicle:` holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vehicle {
    /// `model`.
    pub model: Option<String>,
    /// `variant`.
    pub variant: Option<String>,
    /// `software`.
    pub software: String,
    /// `attributes`, in file order.
    pub attributes: Vec<(String, Vec<String>)>,
}

impl Vehicle {
    /// Reads a vehicle file's tree (the fields of a report's `vehicle:` at
    /// its top level); `text` is the file, for the lines messages name.
    ///
    /// # Errors
    /// A message when the file is not a mapping, lacks `software`, or has a field of the wrong type.
    pub fn from_tree(root: &Node, text: &str) -> Result<Self, String> {
        let index = LineIndex::new(text);
        let line = |n: &Node| index.location(text, n.span.start).line;
        if !matches!(root.value, Value::Map(_)) {
            return Err(format!(
                "a vehicle file is a mapping of model, variant, software and attributes, found {}",
                root.kind_name()
            ));
        }
        let text = |k: &str| -> Result<Option<String>, String> {
            match root.get(k) {
                None => Ok(None),
                Some(n) => n.as_str().map(|s| Some(s.to_owned())).ok_or_else(|| {
                    format!(
                        "line {}: `{k}` must be text (quote it), found {}",
                        line(n),
                        n.kind_name()
                    )
                }),
            }
        };
        for e in root.entries() {
            let k = e.key.as_str().unwrap_or_default();
            if !matches!(k, "model" | "variant" | "software" | "attributes") && !k.starts_with("x-")
            {
                return Err(format!(
                    "line {}: unknown field `{k}` (a vehicle file holds model, variant, software, attributes)",
                    line(&e.key)
                ));
            }
        }
        let attributes = match root.get("attributes") {
            None => Vec::new(),
            Some(n) if matches!(n.value, Value::Map(_)) => n
                .entries()
                .iter()
                .map(|e| {
                    (
                        e.key.as_str().unwrap_or_default().to_owned(),
                        scalar_list(&e.value),
                    )
                })
                .collect(),
            Some(n) => {
                return Err(format!("line {}: `attributes` must be a mapping", line(n)));
            }
        };
        Ok(Vehicle {
            model: text("model")?,
            variant: text("variant")?,
            software: text("software")?.ok_or(
                "the vehicle file lacks `software` (the vehicle software version, quoted)",
            )?,
            attributes,
        })
    }

    /// Why the vehicle's attributes do not fit the checklist's vocabulary
    /// (the same rules as SDS014), one line each; empty when they fit.
    #[must_use]
    pub fn attribute_problems(&self, c: &Checklist) -> Vec<String> {
        let mut out = Vec::new();
        for (name, values) in &self.attributes {
            let Some(decl) = c.attribute(name) else {
                out.push(format!(
                    "attribute `{name}` is not declared by {}",
                    c.label()
                ));
                continue;
            };
            if values.is_empty() || (!decl.list && values.len() > 1) {
                out.push(format!(
                    "attribute `{name}` takes {}",
                    if decl.list {
                        "a list of values"
                    } else {
                        "one value"
                    }
                ));
            }
            for v in values.iter().filter(|v| !decl.values.contains(v)) {
                out.push(format!(
                    "{v:?} is not a declared value of `{name}` (declared: {})",
                    decl.values.join(", ")
                ));
            }
        }
        for decl in c.vehicle_attributes.iter().filter(|a| a.required) {
            if !self.attributes.iter().any(|(n, _)| *n == decl.name) {
                out.push(format!(
                    "attribute `{}` is required by {}",
                    decl.name,
                    c.label()
                ));
            }
        }
        out
    }

    /// The attributes that fit the vocabulary (the others are unknown, and
    /// an unknown attribute matches every value, as in `sds check`).
    #[must_use]
    pub fn known_attributes(&self, c: &Checklist) -> Attributes {
        self.attributes
            .iter()
            .filter(|(name, values)| {
                c.attribute(name).is_some_and(|d| {
                    !values.is_empty()
                        && (d.list || values.len() == 1)
                        && values.iter().all(|v| d.values.contains(v))
                })
            })
            .cloned()
            .collect()
    }
}

/// A YAML scalar for text: plain when it is an identifier YAML reads as text
/// (ids, metric names, kinds), else double-quoted (JSON string syntax is valid YAML).
fn q(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// The report skeleton, as YAML text. Every result starts as `not_tested`
/// (so the skeleton is a valid report whose gaps `sds check` lists) with each
/// bounded metric set to `null` and a comment giving its unit and bound.
#[must_use]
pub fn skeleton(c: &Checklist, vehicle: &Vehicle, report_id: &str, issued: NaiveDate) -> String {
    let attrs = vehicle.known_attributes(c);
    let applicable: Vec<_> = c.items.iter().filter(|i| i.applies_to(&attrs, c)).collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Report skeleton made by `sds init` for {} ({} of {} items apply to this vehicle).\n\
         # For each result: set status (pass | fail | not_tested | not_applicable), tested_on,\n\
         # each measurement (a number in the unit shown, \"<number> <unit>\" or {{value, unit}}),\n\
         # and each evidence path (relative to this file) with its sha256.",
        c.label(),
        applicable.len(),
        c.items.len()
    );
    let _ = writeln!(
        s,
        "sds_report: 1\nchecklist: {{id: {}, version: {}}}",
        q(&c.id),
        q(&c.version.to_string())
    );
    s.push_str("vehicle:\n");
    if let Some(m) = &vehicle.model {
        let _ = writeln!(s, "  model: {}", q(m));
    }
    if let Some(v) = &vehicle.variant {
        let _ = writeln!(s, "  variant: {}", q(v));
    }
    let _ = writeln!(s, "  software: {}", q(&vehicle.software));
    if !vehicle.attributes.is_empty() {
        s.push_str("  attributes:\n");
        for (k, v) in &vehicle.attributes {
            let value = if k == "features" || v.len() != 1 {
                list(v)
            } else {
                q(&v[0])
            };
            let _ = writeln!(s, "    {}: {value}", q(k));
        }
    }
    let _ = writeln!(
        s,
        "report: {{id: {}, issued: {issued}, lab: \"\"}}",
        q(report_id)
    );
    if applicable.is_empty() {
        s.push_str("results: []\n");
        return s;
    }
    s.push_str("results:\n");
    for it in applicable {
        write_result(&mut s, c, it, &vehicle.software, issued);
    }
    s
}

/// One result as [`skeleton`] writes it (a comment with the title, then the
/// entry at two spaces' indent): `sds lsp` inserts missing results with it,
/// so the editor's quick fix and `sds init` can never write different things.
pub fn write_result(
    s: &mut String,
    c: &Checklist,
    it: &crate::checklist::Item,
    software: &str,
    issued: NaiveDate,
) {
    let _ = writeln!(
        s,
        "  # {} [{}, {}]",
        it.title.replace('\n', " "),
        it.domain,
        severity_text(it.severity)
    );
    let _ = writeln!(
        s,
        "  - item: {}\n    status: not_tested\n    tested_on: {issued}",
        q(&it.id)
    );
    if it.retest_on.is_some() {
        let _ = writeln!(s, "    software: {}", q(software));
    }
    if !it.any_of.is_empty() {
        // One line per metric even when alternatives share it (a repeated
        // key would be SDS001); the comment says which alternative needs what.
        let _ = writeln!(
            s,
            "    # acceptance: any one of these {} alternatives, in full; delete the other metrics:",
            it.any_of.len()
        );
        for (n, alt) in it.any_of.iter().enumerate() {
            let bounds: Vec<String> = alt
                .iter()
                .map(|b| format!("{} {}", b.metric, b.describe()))
                .collect();
            let _ = writeln!(s, "    #   ({}) {}", n + 1, bounds.join(", "));
        }
        measurement_lines(s, c, it.any_of.iter().flatten(), false);
    }
    if !it.acceptance.is_empty() {
        measurement_lines(s, c, it.acceptance.iter(), true);
    }
    if !it.evidence.is_empty() {
        s.push_str("    evidence:\n");
        for k in &it.evidence {
            let _ = writeln!(
                s,
                "      - {{kind: {}, path: {}}}",
                q(k),
                q(&format!("evidence/{}-{k}", it.id))
            );
        }
    }
}

/// `measurements:` with one `metric: null` line per metric (a repeated key
/// would be SDS001), its unit, and with `bounds` the metric's bounds.
// The bounds are walked twice (cloned), so they come as an iterator by value.
#[allow(clippy::needless_pass_by_value)]
fn measurement_lines<'a>(
    s: &mut String,
    c: &Checklist,
    all: impl Iterator<Item = &'a crate::checklist::Bound> + Clone,
    bounds: bool,
) {
    s.push_str("    measurements:\n");
    let mut seen: Vec<&str> = Vec::new();
    for b in all.clone() {
        if seen.contains(&b.metric.as_str()) {
            continue;
        }
        seen.push(&b.metric);
        let unit = c
            .metrics
            .get(&b.metric)
            .map_or("?", |m| m.unit_text.as_str());
        if bounds {
            let of_metric: Vec<String> = all
                .clone()
                .filter(|x| x.metric == b.metric)
                .map(crate::checklist::Bound::describe)
                .collect();
            let _ = writeln!(
                s,
                "      {}: null   # {unit}: {}",
                q(&b.metric),
                of_metric.join(", ")
            );
        } else {
            let _ = writeln!(s, "      {}: null   # {unit}", q(&b.metric));
        }
    }
}
