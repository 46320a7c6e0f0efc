//! The vehicle's attributes against the checklist's vocabulary: SDS014.
//!
//! Applicability must never hinge on a spelling. Each stated attribute is
//! judged against `vehicle_attributes`; only declared, well-shaped, declared
//! values become known attributes. Everything else is unknown, and an unknown
//! attribute matches every value, so the items it would gate still apply: a
//! misspelt value can add findings, never remove an item.

use crate::checklist::{Attributes, Checklist};
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{Entry, Node, Value};
use crate::text::nearest;

/// The known attributes of the report's vehicle, and SDS014 for the rest.
#[must_use]
pub fn judge(root: &Node, checklist: &Checklist, out: &mut Vec<Finding>) -> Attributes {
    let mut known = Attributes::new();
    let vehicle = root.entry("vehicle");
    let stated = vehicle.and_then(|v| v.value.entry("attributes"));
    let declared: Vec<&str> = checklist
        .vehicle_attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    if let Some(stated) = stated {
        if !matches!(stated.value.value, Value::Map(_)) {
            out.push(Finding::new(
                Code::InvalidVehicleAttribute,
                stated.value.span,
                format!(
                    "`attributes` must be a mapping of attribute to value, found {}",
                    stated.value.kind_name()
                ),
            ));
        }
        for e in stated.value.entries() {
            if let Some((name, good)) = judge_entry(e, checklist, &declared, out) {
                known.insert(name, good);
            }
        }
    }
    missing_required(root, checklist, out);
    known
}

/// One stated attribute: its known values, or SDS014 (undeclared, wrong
/// shape, empty, or an undeclared value) and `None`.
fn judge_entry(
    e: &Entry,
    checklist: &Checklist,
    declared: &[&str],
    out: &mut Vec<Finding>,
) -> Option<(String, Vec<String>)> {
    let name = e.key.as_str().unwrap_or_default();
    let Some(decl) = checklist.attribute(name) else {
        out.push(
            Finding::new(
                Code::InvalidVehicleAttribute,
                e.key.span,
                format!(
                    "vehicle attribute `{}` is not declared by {}",
                    name.escape_debug(),
                    checklist.label()
                ),
            )
            .help(advice(name, declared, "declared attributes")),
        );
        return None;
    };
    let values: Vec<&str> = decl.values.iter().map(String::as_str).collect();
    let (scalars, shape_ok): (Vec<&Node>, bool) = match &e.value.value {
        Value::Seq(items) => (items.iter().collect(), decl.list),
        _ => (vec![&e.value], !decl.list),
    };
    if !shape_ok {
        let (want, found) = if decl.list {
            ("a list of values", "one value")
        } else {
            ("one value", "a list")
        };
        out.push(
            Finding::new(
                Code::InvalidVehicleAttribute,
                e.value.span,
                format!("vehicle attribute `{name}` takes {want}, found {found}"),
            )
            .help(if decl.list {
                format!(
                    "write `{name}: [a, b]`; declared values: {}",
                    values.join(", ")
                )
            } else {
                format!("write one of: {}", values.join(", "))
            }),
        );
        return None;
    }
    if scalars.is_empty() {
        out.push(
            Finding::new(
                Code::InvalidVehicleAttribute,
                e.value.span,
                format!("vehicle attribute `{name}` is an empty list"),
            )
            .help(format!(
                "list its values, or leave the attribute out; declared values: {}",
                values.join(", ")
            )),
        );
        return None;
    }
    let mut good = Vec::with_capacity(scalars.len());
    for n in scalars {
        let text = match &n.value {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        };
        match text.filter(|t| values.contains(t)) {
            Some(t) => good.push(t.to_owned()),
            None => out.push(
                Finding::new(
                    Code::InvalidVehicleAttribute,
                    n.span,
                    format!(
                        "{} is not a declared value of vehicle attribute `{name}`",
                        shown(n)
                    ),
                )
                .help(advice(text.unwrap_or_default(), &values, "declared values")),
            ),
        }
    }
    (good.len() == e.value.items().len().max(1)).then(|| (name.to_owned(), good))
}

/// SDS014 for each required attribute the report does not state.
fn missing_required(root: &Node, checklist: &Checklist, out: &mut Vec<Finding>) {
    let vehicle = root.entry("vehicle");
    let stated = vehicle.and_then(|v| v.value.entry("attributes"));
    for decl in checklist.vehicle_attributes.iter().filter(|a| a.required) {
        let stated_here = stated.is_some_and(|s| s.value.entry(&decl.name).is_some());
        if !stated_here {
            let at =
                stated.map_or_else(|| vehicle.map_or(root.span, |v| v.key.span), |s| s.key.span);
            out.push(
                Finding::new(
                    Code::InvalidVehicleAttribute,
                    at,
                    format!(
                        "vehicle attribute `{}` is required by {} but not stated",
                        decl.name,
                        checklist.label()
                    ),
                )
                .help(format!(
                    "add `{}: <value>` under vehicle.attributes; declared values: {}",
                    decl.name,
                    decl.values.join(", ")
                )),
            );
        }
    }
}

/// A value as written, quoted so blanks and case show.
fn shown(n: &Node) -> String {
    match &n.value {
        Value::Str(s) => format!("{s:?}"),
        _ => n.to_string(),
    }
}

fn advice(written: &str, declared: &[&str], what: &str) -> String {
    let near = nearest(written, declared, 3);
    if near.is_empty() {
        format!("{what}: {}", declared.join(", "))
    } else {
        format!(
            "did you mean {}? {what}: {}",
            near.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" or "),
            declared.join(", ")
        )
    }
}
