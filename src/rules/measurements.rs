//! Status and measurements: SDS030 to SDS035.
//!
//! They sit together because they answer one question: do the numbers
//! support the status? A value that cannot be read is SDS034 alone (not also
//! SDS032: the metric is there, it just cannot be judged), and a value outside
//! its bound under `pass` is SDS031 paired with SDS033 at the same node.

use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::checklist::{Bound, Checklist, Item, Metric, suffix};
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{Entry, Node, Span, Value};
use crate::number::{self, NumberError};
use crate::report::{ResultEntry, Status};
use crate::units::{self, Exact, QuantityError};

/// A measurement value converted exactly to canonical units, or why it cannot
/// be. The forms are strict (PRODUCT.md §2): a bare number (in the metric's
/// registry unit), `"<number> <unit>"`, or `{value: <number>, unit: <text>}`
/// (optionally with `data`). Anything else is SDS034, never a guess.
///
/// # Errors
/// The value is not a quantity, its unit is missing, unknown, or of the wrong
/// dimension, or it is too large to hold.
pub fn read_quantity(node: &Node, metric: &Metric, source: &str) -> Result<Exact, QuantityError> {
    let Some(metric_unit) = metric.unit else {
        return Err(QuantityError::UnknownUnit(metric.unit_text.clone()));
    };
    let number = |n: &Node| {
        number::exact(n, source).map_err(|e| match e {
            NumberError::TooLarge => QuantityError::TooLarge(n.to_string()),
            NumberError::NotFinite | NumberError::NotANumber => {
                QuantityError::NotANumber(n.to_string())
            }
        })
    };
    match &node.value {
        Value::Int(_) | Value::Float(_) => Ok(metric_unit.to_canonical(&number(node)?)),
        Value::Str(s) => {
            let (v, u) = units::split_quantity(s)?;
            units::to_canonical(&v, u, metric_unit)
        }
        Value::Map(entries) => {
            if let Some(other) = entries
                .iter()
                .filter_map(|e| e.key.as_str())
                .find(|k| !matches!(*k, "value" | "unit" | "data"))
            {
                return Err(QuantityError::NotANumber(format!(
                    "a map with `{other}` (a quantity map holds exactly `value` and `unit`)"
                )));
            }
            let value = node
                .get("value")
                .ok_or_else(|| QuantityError::NotANumber("a map without `value`".to_owned()))?;
            if !matches!(value.value, Value::Int(_) | Value::Float(_)) {
                return Err(QuantityError::NotANumber(format!(
                    "{{value, unit}} whose value is {}",
                    value.kind_name()
                )));
            }
            let v = number(value)?;
            let unit = match node.get("unit") {
                None => return Err(QuantityError::MissingUnit(format!("{{value: {value}}}"))),
                Some(n) => n.as_str().ok_or_else(|| {
                    QuantityError::NotANumber(format!(
                        "{{value, unit}} whose unit is {}",
                        n.kind_name()
                    ))
                })?,
            };
            units::to_canonical(&v, unit, metric_unit)
        }
        _ => Err(QuantityError::NotANumber(node.kind_name().to_owned())),
    }
}

/// A measurement that could be read and is possible: its entry and exact value.
struct Read<'a> {
    entry: &'a Entry,
    value: Exact,
}

/// SDS030 (status `fail`), SDS031 (outside a bound), SDS032 (bounded metric
/// absent, `pass`), SDS033 (`pass` contradicted), SDS034 (unreadable),
/// SDS035 (metric not in the registry), SDS036 (impossible value). Every
/// measurement given is read whatever the status, so a `fail` result is
/// held to the same forms as a `pass`.
pub fn check<S: BuildHasher>(
    item: &Item,
    result: &ResultEntry<'_>,
    checklist: &Checklist,
    source: &str,
    derived: &HashMap<String, Exact, S>,
    out: &mut Vec<Finding>,
) {
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
    let mut read: HashMap<&str, Read<'_>> = HashMap::new();
    for entry in entries {
        let name = entry.key.as_str().unwrap_or_default();
        let Some(metric) = checklist.metrics.get(name) else {
            out.push(
                Finding::new(
                    Code::UnknownMetric,
                    entry.key.span,
                    format!("`{name}` is not a metric of {}", checklist.label()),
                )
                .item(&item.id)
                .help(nearest_metric_help(name, item)),
            );
            continue;
        };
        let value = match read_quantity(&entry.value, metric, source) {
            Ok(v) => v,
            // `{data}` alone: the derived value is the measurement. Without
            // one, `rules::derived` has said why (SDS045 or SDS043).
            Err(_) if is_data_only(&entry.value) => match derived.get(name) {
                Some(v) => v.clone(),
                None => continue,
            },
            Err(e) => {
                out.push(
                    Finding::new(Code::UnitMismatch, entry.value.span, format!("{name}: {e}"))
                        .item(&item.id)
                        .help(format!(
                            "write a number in {} or \"<number> <unit>\" with a unit of the same dimension",
                            metric.unit_text
                        )),
                );
                continue;
            }
        };
        if let Some(why) = metric.impossible(&value) {
            out.push(
                Finding::new(
                    Code::ImpossibleValue,
                    entry.value.span,
                    format!("{name} = {} is not a possible value: {why}", entry.value),
                )
                .item(&item.id)
                .help("correct the value: it is a typing error, not a measurement"),
            );
            continue;
        }
        for bound in item.acceptance.iter().filter(|b| b.metric == name) {
            if let Some(breach) = bound.breach(&value) {
                violated(item, bound, metric, entry, &value, breach, pass, out);
            }
        }
        read.insert(name, Read { entry, value });
    }
    let at = result.measurements.map_or(result.item.span, |e| e.key.span);
    if !item.any_of.is_empty() {
        any_of(item, &read, entries, at, pass, out);
        return;
    }
    if pass {
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

/// SDS031 (and SDS033 under `pass`) for one bound broken by one value.
#[allow(clippy::too_many_arguments)]
fn violated(
    item: &Item,
    bound: &Bound,
    metric: &Metric,
    entry: &Entry,
    value: &Exact,
    breach: &str,
    pass: bool,
    out: &mut Vec<Finding>,
) {
    let name = bound.metric.as_str();
    let shown = metric.unit.map_or_else(
        || units::show(value),
        |u| units::show(&u.from_canonical(value)),
    );
    let written = written(&entry.value, &shown);
    out.push(
        Finding::new(
            Code::ThresholdViolated,
            entry.value.span,
            format!(
                "{name} = {written} is {breach} its bound: it must be {} (found {shown}{})",
                bound.describe(),
                metric.unit.map(suffix).unwrap_or_default()
            ),
        )
        .item(&item.id)
        .label(format!("{name} must be {}", bound.describe())),
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

/// `any_of`: met when one alternative has all its metrics read and within
/// bounds. When none is, one SDS031 at `measurements:` names what each
/// alternative lacks or breaks (SDS033 beside it under `pass`); no SDS032,
/// since the alternatives not taken need no values.
fn any_of(
    item: &Item,
    read: &HashMap<&str, Read<'_>>,
    entries: &[Entry],
    at: Span,
    pass: bool,
    out: &mut Vec<Finding>,
) {
    let mut why = Vec::new();
    for (n, alternative) in item.any_of.iter().enumerate() {
        let mut problems = Vec::new();
        for b in alternative {
            match read.get(b.metric.as_str()) {
                Some(r) => {
                    if let Some(breach) = b.breach(&r.value) {
                        let written = if is_data_only(&r.entry.value) {
                            format!("{} (derived from its data)", units::approx(&r.value))
                        } else {
                            r.entry
                                .value
                                .as_str()
                                .map_or_else(|| r.entry.value.to_string(), ToOwned::to_owned)
                        };
                        problems.push(format!(
                            "{} = {written} is {breach} its bound ({})",
                            b.metric,
                            b.describe()
                        ));
                    }
                }
                None if entries.iter().any(|e| e.key.as_str() == Some(&b.metric)) => {
                    problems.push(format!("{} cannot be read", b.metric));
                }
                None => problems.push(format!("lacks {} (must be {})", b.metric, b.describe())),
            }
        }
        if problems.is_empty() {
            return;
        }
        why.push(format!("({}) {}", n + 1, problems.join(", ")));
    }
    out.push(
        Finding::new(
            Code::ThresholdViolated,
            at,
            format!(
                "{} meets none of its {} acceptance alternatives: {}",
                item.id,
                item.any_of.len(),
                why.join("; ")
            ),
        )
        .item(&item.id)
        .label("no alternative of `any_of` is met".to_owned()),
    );
    if pass {
        out.push(
            Finding::new(
                Code::StatusContradiction,
                at,
                format!(
                    "{} claims pass, but no acceptance alternative is met",
                    item.id
                ),
            )
            .item(&item.id)
            .help(
                "correct the status to fail, or give the measurements of one alternative in full",
            ),
        );
    }
}

/// `{data: ...}` with no `value`: a measurement sds derives from raw data.
fn is_data_only(node: &Node) -> bool {
    matches!(node.value, Value::Map(_)) && node.get("data").is_some() && node.get("value").is_none()
}

/// A measurement as its message quotes it: the text written, or for one
/// derived from data, the derived value.
fn written(node: &Node, shown: &str) -> String {
    if is_data_only(node) {
        format!("{shown} (derived from its data)")
    } else {
        node.to_string()
    }
}

fn nearest_metric_help(name: &str, item: &Item) -> String {
    let metrics: Vec<&str> = item.bounds().map(|b| b.metric.as_str()).collect();
    match crate::text::nearest(name, &metrics, 1).first() {
        Some(m) => format!("did you mean `{m}`?"),
        None => "remove it, or correct the metric name".into(),
    }
}
