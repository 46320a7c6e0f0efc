//! Status and measurements: SDS030 to SDS035.
//!
//! They sit together because they answer one question: do the numbers
//! support the status? A value that cannot be read is SDS034 alone (not also
//! SDS032: the metric is there, it just cannot be judged), and a value outside
//! its bound under `pass` is SDS031 paired with SDS033 at the same node.

use crate::checklist::{Bound, Checklist, Item, Metric};
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{Node, Value};
use crate::report::{ResultEntry, Status};
use crate::units::{self, QuantityError};

/// A measurement value converted to canonical units, or why it cannot be.
///
/// # Errors
/// The value is not a number, its unit is unknown, or of the wrong dimension.
pub fn read_quantity(node: &Node, metric: &Metric) -> Result<f64, QuantityError> {
    let Some(metric_unit) = metric.unit else {
        return Err(QuantityError::UnknownUnit(metric.unit_text.clone()));
    };
    let (value, unit): (f64, Option<&str>) = match &node.value {
        Value::Int(_) | Value::Float(_) => (node.as_f64().unwrap_or(f64::NAN), None),
        Value::Str(s) => {
            let (v, u) = units::split_quantity(s)?;
            (v, Some(u))
        }
        Value::Map(_) => {
            let v = node.get("value").and_then(Node::as_f64).ok_or_else(|| {
                QuantityError::NotANumber(format!(
                    "{{value, unit}} whose value is {}",
                    node.get("value").map_or("missing", Node::kind_name)
                ))
            })?;
            let u = match node.get("unit") {
                None => None,
                Some(n) => Some(n.as_str().ok_or_else(|| {
                    QuantityError::NotANumber(format!(
                        "{{value, unit}} whose unit is {}",
                        n.kind_name()
                    ))
                })?),
            };
            (v, u)
        }
        _ => return Err(QuantityError::NotANumber(node.kind_name().to_owned())),
    };
    if !value.is_finite() {
        return Err(QuantityError::NotANumber(node.to_string()));
    }
    units::to_canonical(value, unit, metric_unit)
}

/// SDS030 (status `fail`), SDS031 (outside a bound), SDS032 (bounded metric
/// absent, `pass`), SDS033 (`pass` contradicted), SDS034 (unreadable, `pass`),
/// SDS035 (metric not in the registry, `pass`).
pub fn check(item: &Item, result: &ResultEntry<'_>, checklist: &Checklist, out: &mut Vec<Finding>) {
    let pass = match result.status {
        Status::Pass => true,
        Status::Fail => {
            out.push(
                Finding::new(
                    Code::Failed,
                    result.status_node.span,
                    format!("{} failed", item.id),
                )
                .item(&item.id),
            );
            false
        }
        Status::NotTested | Status::NotApplicable => return,
    };
    let entries = result
        .measurements
        .map(|e| e.value.entries())
        .unwrap_or_default();
    for entry in entries {
        let name = entry.key.as_str().unwrap_or_default();
        let Some(metric) = checklist.metrics.get(name) else {
            if pass {
                out.push(
                    Finding::new(
                        Code::UnknownMetric,
                        entry.key.span,
                        format!("`{name}` is not a metric of {}", checklist.label()),
                    )
                    .item(&item.id)
                    .help(nearest_metric_help(name, item)),
                );
            }
            continue;
        };
        let value = match read_quantity(&entry.value, metric) {
            Ok(v) => v,
            Err(e) => {
                if pass {
                    out.push(
                        Finding::new(Code::UnitMismatch, entry.value.span, format!("{name}: {e}"))
                            .item(&item.id)
                            .help(format!(
                                "write a number in {} or \"<number> <unit>\" with a unit of the same dimension",
                                metric.unit_text
                            )),
                    );
                }
                continue;
            }
        };
        for bound in item.acceptance.iter().filter(|b| b.metric == name) {
            if let Some(breach) = breach(bound, value) {
                let shown = metric.unit.map_or(value, |u| u.from_canonical(value));
                let written = entry.value.to_string();
                let label = format!("{name} must be {}", bound.describe());
                out.push(
                    Finding::new(
                        Code::ThresholdViolated,
                        entry.value.span,
                        format!(
                            "{name} = {written} is {breach} its bound: it must be {} (found {}{})",
                            bound.describe(),
                            round(shown),
                            unit_suffix(&metric.unit_text)
                        ),
                    )
                    .item(&item.id)
                    .label(label),
                );
                if pass {
                    out.push(
                        Finding::new(
                            Code::StatusContradiction,
                            entry.value.span,
                            format!(
                                "{} claims pass, but {name} = {written} breaks its bound",
                                item.id
                            ),
                        )
                        .item(&item.id)
                        .help("correct the status to fail, or the value if it was mistyped"),
                    );
                }
            }
        }
    }
    if pass {
        let at = result.measurements.map_or(result.item.span, |e| e.key.span);
        let mut required: Vec<&str> = item.acceptance.iter().map(|b| b.metric.as_str()).collect();
        required.dedup();
        for metric in required {
            if !entries.iter().any(|e| e.key.as_str() == Some(metric)) {
                let unit = checklist
                    .metrics
                    .get(metric)
                    .map_or("", |m| m.unit_text.as_str());
                out.push(
                    Finding::new(
                        Code::MeasurementMissing,
                        at,
                        format!("{} passes without a measurement of {metric}, which its acceptance needs", item.id),
                    )
                    .item(&item.id)
                    .help(format!("add `{metric}: <value> {unit}` under measurements")),
                );
            }
        }
    }
}

/// "above" or "below" when the canonical value breaks the bound.
fn breach(bound: &Bound, value: f64) -> Option<&'static str> {
    if bound
        .max_canonical
        .is_some_and(|m| !units::within_max(value, m))
    {
        Some("above")
    } else if bound
        .min_canonical
        .is_some_and(|m| !units::within_min(value, m))
    {
        Some("below")
    } else {
        None
    }
}

/// ` mm` after a number; nothing for the dimensionless `1` or a `count`.
fn unit_suffix(unit: &str) -> String {
    if unit == "1" {
        String::new()
    } else {
        format!(" {unit}")
    }
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn nearest_metric_help(name: &str, item: &Item) -> String {
    let best = item
        .acceptance
        .iter()
        .map(|b| (strsim::levenshtein(name, &b.metric), &b.metric))
        .min();
    match best {
        Some((d, m)) if d <= 3 => format!("did you mean `{m}`?"),
        _ => "remove it, or correct the metric name".into(),
    }
}
