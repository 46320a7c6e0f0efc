//! Measurements against the raw test data they name: SDS044, SDS045, and
//! SDS043 for a data path that leaves the report's folder.
//!
//! They sit apart from `measurements` because they read files: each dataset
//! once per run through the shared [`DatasetCache`], never outside the
//! report's folder (the evidence path rules, lexically and through links),
//! always through the size limits. A stated value is compared with the
//! derived one within the metric's tolerance (SDS044); a measurement that
//! gives only `data` takes the derived value as its measurement, which the
//! bounds then judge like any other (SDS031).

use std::collections::HashMap;
use std::path::Path;

use crate::checklist::{Item, Metric, suffix};
use crate::codes::Code;
use crate::derive::{self, DataError, DatasetCache, Derived};
use crate::finding::Finding;
use crate::load::{Entry, Limits, Node, Value};
use crate::report::{ResultEntry, Status};
use crate::units::{self, Exact};

use super::Context;
use super::evidence::escapes_lexically;
use super::measurements::read_quantity;

pub use crate::outcome::DerivedRecord;

/// What the data said about one result.
#[derive(Debug, Default)]
pub struct Derivations {
    /// Canonical values of the measurements given as `{data}` alone.
    pub values: HashMap<String, Exact>,
    /// Every derived value, for the JSON output.
    pub records: Vec<DerivedRecord>,
}

/// A `data: {path, position}` map, read.
struct DataRef<'a> {
    path: &'a Node,
    position: &'a str,
}

fn data_ref(entry: &Entry) -> Result<DataRef<'_>, String> {
    let path = entry.value.get("path");
    let position = entry.value.get("position").and_then(Node::as_str);
    match (path, position) {
        (Some(p), Some(pos)) if p.as_str().is_some_and(|s| !s.is_empty()) => Ok(DataRef {
            path: p,
            position: pos,
        }),
        _ => Err(
            "`data` must be a map {path: <dataset>, position: <2 characters, e.g. \"11\">}".into(),
        ),
    }
}

/// Reads every dataset the report's results name, in parallel, into the
/// run's cache, so the checks below find them read. Paths that leave the
/// folder are left alone (SDS043 is raised below); errors are remembered
/// by the cache and reported where the data is named.
pub fn prefetch(ctx: &Context<'_>, results: &[&ResultEntry<'_>]) {
    use rayon::prelude::*;
    let mut paths: Vec<&str> = results
        .iter()
        .filter(|r| matches!(r.status, Status::Pass | Status::Fail))
        .flat_map(|r| {
            let own = r
                .measurements
                .map(|e| e.value.entries())
                .unwrap_or_default()
                .iter()
                .filter_map(|e| e.value.entry("data"));
            r.data.into_iter().chain(own)
        })
        .filter_map(|e| data_ref(e).ok())
        .filter_map(|r| r.path.as_str())
        .filter(|p| !escapes_lexically(p) && !leaves_through_links(ctx.report_dir, p))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    if paths.len() < 2 {
        return;
    }
    paths.par_iter().for_each(|p| {
        let _ = dataset(ctx.datasets, ctx.report_dir, p, ctx.data_limits);
    });
    // Then every value the checks will ask for, in parallel too: parsing the
    // channels, filtering and the criteria are most of the work. The checks
    // take them from each dataset's memo, in report order.
    let mut wanted: Vec<(&str, &derive::DeriveSpec, &str)> = Vec::new();
    for r in results
        .iter()
        .filter(|r| matches!(r.status, Status::Pass | Status::Fail))
    {
        let entries = r
            .measurements
            .map(|e| e.value.entries())
            .unwrap_or_default();
        for entry in entries {
            let name = entry.key.as_str().unwrap_or_default();
            let Some(spec) = ctx
                .checklist
                .metrics
                .get(name)
                .and_then(|m| m.derive.as_ref())
            else {
                continue;
            };
            let Some(Ok(d)) = entry.value.entry("data").or(r.data).map(data_ref) else {
                continue;
            };
            if let Some(p) = d.path.as_str().filter(|p| paths.contains(p)) {
                wanted.push((p, spec, d.position));
            }
        }
    }
    wanted.par_iter().for_each(|(p, spec, position)| {
        if let Ok(ds) = dataset(ctx.datasets, ctx.report_dir, p, ctx.data_limits) {
            let _ = ds.derive(spec, position);
        }
    });
}

/// SDS043 for each data path that leaves the report's folder; returns the
/// places of those `data` entries, which are then never read.
fn escaping_paths<'n>(
    ctx: &Context<'_>,
    item: &Item,
    data: impl Iterator<Item = &'n Entry>,
    out: &mut Vec<Finding>,
) -> Vec<crate::load::Span> {
    let mut escaped = Vec::new();
    for de in data {
        if let Ok(r) = data_ref(de) {
            let p = r.path.as_str().unwrap_or_default();
            if escapes_lexically(p) || leaves_through_links(ctx.report_dir, p) {
                out.push(
                    Finding::new(
                        Code::EvidencePathEscape,
                        r.path.span,
                        format!("data path `{p}` leaves the report's folder: it is not read"),
                    )
                    .item(&item.id)
                    .help("copy the dataset under the report's folder and use a relative path"),
                );
                escaped.push(de.value.span);
            }
        }
    }
    escaped
}

/// SDS043 (data path leaves the folder, every status), SDS045 (data cannot
/// be used), SDS044 (stated value contradicts the data; `pass` and `fail`).
pub fn check(
    ctx: &Context<'_>,
    item: &Item,
    result: &ResultEntry<'_>,
    out: &mut Vec<Finding>,
) -> Derivations {
    let mut d = Derivations::default();
    let result_data = result.data;
    let entries = result
        .measurements
        .map(|e| e.value.entries())
        .unwrap_or_default();
    // Paths first, for every status: a path out of the folder is never read.
    let own_data = entries.iter().filter_map(|e| e.value.entry("data"));
    let escaped = escaping_paths(ctx, item, result_data.into_iter().chain(own_data), out);
    if !matches!(result.status, Status::Pass | Status::Fail) {
        return d;
    }
    for entry in entries {
        let name = entry.key.as_str().unwrap_or_default();
        let Some(metric) = ctx.checklist.metrics.get(name) else {
            continue; // SDS035 is measurements' to raise
        };
        let own = entry.value.entry("data");
        let Some(data_entry) = own.or(result_data) else {
            continue;
        };
        if escaped.contains(&data_entry.value.span) {
            continue;
        }
        let is_map = matches!(entry.value.value, Value::Map(_));
        let data_only = is_map && own.is_some() && entry.value.get("value").is_none();
        if is_map && entry.value.get("value").is_none() && !data_only {
            continue; // a map with no value and no data of its own: SDS034 alone
        }
        let at = data_entry.key.span;
        let fail = |message: String| {
            Finding::new(Code::DataUnreadable, at, message)
                .item(&item.id)
                .help("see `sds explain SDS045`")
        };
        let Some(spec) = &metric.derive else {
            // Result-level data covers the metrics that can be derived; a
            // measurement that names data for one that cannot is an error.
            if own.is_some() {
                out.push(fail(format!(
                    "{name}: the checklist gives no `derive` for this metric, so sds cannot derive it from data"
                )));
            }
            continue;
        };
        let r = match data_ref(data_entry) {
            Ok(r) => r,
            Err(m) => {
                out.push(fail(format!("{name}: {m}")));
                continue;
            }
        };
        let path_text = r.path.as_str().unwrap_or_default();
        let got = dataset(ctx.datasets, ctx.report_dir, path_text, ctx.data_limits)
            .and_then(|ds| ds.derive(spec, r.position));
        let derived = match got {
            Ok(v) => v,
            Err(e) => {
                out.push(fail(format!("{name}: {path_text}: {e}")));
                continue;
            }
        };
        let Some((canonical, value)) = in_registry_unit(&derived, metric) else {
            out.push(fail(format!(
                "{name}: a {} value cannot be expressed in the metric's unit {}",
                derived.unit, metric.unit_text
            )));
            continue;
        };
        let claimed = if data_only {
            d.values.insert(name.to_owned(), canonical);
            None
        } else {
            // Unreadable (SDS034, raised by `measurements`): nothing to compare.
            read_quantity(&entry.value, metric, ctx.source)
                .ok()
                .and_then(|c| metric.unit.map(|u| units::approx(&u.from_canonical(&c))))
        };
        if let Some(c) = claimed
            && !metric.tolerance.allows(c, value)
        {
            let at_value = entry.value.get("value").unwrap_or(&entry.value);
            let facts = (c, value, &derived, path_text);
            out.push(contradiction(item, name, metric, at_value, facts));
        }
        d.records.push(DerivedRecord {
            item: item.id.clone(),
            metric: name.to_owned(),
            value,
            unit: metric.unit_text.clone(),
            claimed,
            data: path_text.to_owned(),
            position: r.position.to_owned(),
            channels: derived.channels.clone(),
            window_ms: (ms(derived.window.0), ms(derived.window.1)),
        });
    }
    d
}

/// SDS044 at the stated value; `facts` are (claimed, derived, how, data path).
fn contradiction(
    item: &Item,
    name: &str,
    metric: &Metric,
    at: &Node,
    (claimed, derived_value, derived, path): (f64, f64, &Derived, &str),
) -> Finding {
    let unit = metric.unit.map(suffix).unwrap_or_default();
    let off = if derived_value == 0.0 {
        String::new()
    } else {
        format!(
            " ({:+.1} %)",
            (claimed - derived_value) / derived_value.abs() * 100.0
        )
    };
    Finding::new(
        Code::MeasurementContradictsData,
        at.span,
        format!(
            "{name} = {}{unit} but the data gives {}{unit}{off}, more than the tolerance of {}: derived from {path} ({}, {})",
            shown(claimed),
            shown(derived_value),
            metric.tolerance.describe(&metric.unit_text),
            derived.channels.join(", "),
            derived.where_found()
        ),
    )
    .item(&item.id)
    .label(format!("the data gives {}{unit}", shown(derived_value)))
    .help("correct the value to what the data says, or name the dataset it came from")
}

/// Seconds to milliseconds, to the nanosecond (no `40.300000000000004`).
fn ms(s: f64) -> f64 {
    (s * 1e9).round() / 1e6
}

/// Four significant figures or whole units, whichever shows more, without
/// trailing zeros (`180`, `222.2`, `0.23`).
// |v| is under 1000 here, so the count of integer digits is 0 to 3.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn shown(v: f64) -> String {
    if v.abs() >= 1000.0 {
        return format!("{v:.0}");
    }
    let digits = 3usize.saturating_sub(v.abs().log10().floor().max(0.0) as usize);
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// The derived value in the metric's canonical unit (exact, for the bounds)
/// and in its registry unit (for people and the tolerance).
fn in_registry_unit(d: &Derived, metric: &Metric) -> Option<(Exact, f64)> {
    let from = units::lookup(d.unit)?;
    let to = metric.unit?;
    if from.dimension != to.dimension {
        return None;
    }
    let exact = Exact::from_float(d.value)?;
    let canonical = from.to_canonical(&exact);
    let value = units::approx(&to.from_canonical(&canonical));
    Some((canonical, value))
}

/// The dataset at `path` (relative to the report's folder), read once per run.
fn dataset(
    cache: &DatasetCache,
    dir: &Path,
    path: &str,
    limits: &Limits,
) -> Result<derive::Dataset, DataError> {
    cache.get(&dir.join(path), limits)
}

/// Whether the path, followed through links, ends outside the report's
/// folder. A path that does not exist is not an escape (SDS045 says it is missing).
fn leaves_through_links(dir: &Path, path: &str) -> bool {
    let (Ok(base), Ok(target)) = (dir.canonicalize(), dir.join(path).canonicalize()) else {
        return false;
    };
    !target.starts_with(base)
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn values_are_shown_readably() {
        assert_eq!(shown(512.34), "512.3");
        assert_eq!(shown(0.2293), "0.229");
        assert_eq!(shown(38.04), "38.04");
        assert_eq!(shown(5276.9), "5277");
        assert_eq!(shown(180.0), "180");
        assert_eq!(shown(0.23), "0.23");
    }
}
