//! `sds merge`: the JSON outputs of shards (`--shard I/N`) combined into one
//! run, with one verdict, that renders in any format as a single run over all
//! the files would have.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::checklist::Catalog;
use crate::codes::Code;
use crate::engine::{BaselineUse, ChecklistInfo, Command, FailOn, Options, Run, Totals};
use crate::finding::{Finding, Severity};
use crate::load::Span;
use crate::outcome::{ChecklistRef, ItemState, Outcome, Points, Score};

fn points(v: &Value) -> Points {
    let n = |k: &str| u32::try_from(v[k].as_u64().unwrap_or(0)).unwrap_or(u32::MAX);
    Points {
        earned: n("earned"),
        waived: n("waived"),
        applicable: n("applicable"),
        total: n("total"),
    }
}

fn finding(v: &Value, baselined: bool) -> Result<Finding, String> {
    let code: Code = v["code"]
        .as_str()
        .unwrap_or_default()
        .parse()
        .map_err(|()| format!("unknown code {}", v["code"]))?;
    let n = |k: &str| u32::try_from(v[k].as_u64().unwrap_or(1)).unwrap_or(1);
    let severity = match v["severity"].as_str() {
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        _ => Severity::Note,
    };
    Ok(Finding {
        code,
        severity,
        item: v["item"].as_str().map(ToOwned::to_owned),
        message: v["message"].as_str().unwrap_or_default().to_owned(),
        help: v["help"].as_str().map(ToOwned::to_owned),
        span: Span {
            start: 0,
            end: 0,
            line: n("line"),
            col: n("column"),
        },
        label: None,
        waives: v["waives"].as_str().and_then(|c| c.parse().ok()),
        baselined,
        waiver: crate::render::json::waiver_from(&v["waiver"]),
    })
}

fn outcome(r: &Value) -> Result<Outcome, String> {
    let mut o = Outcome::new(r["path"].as_str().unwrap_or_default());
    o.sha256 = r["sha256"].as_str().map(ToOwned::to_owned);
    o.id = r["id"].as_str().map(ToOwned::to_owned);
    o.as_of = r["as_of"]
        .as_str()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    o.checklist = r["checklist"].as_object().map(|c| ChecklistRef {
        id: c["id"].as_str().unwrap_or_default().to_owned(),
        version: c["version"].as_str().unwrap_or_default().to_owned(),
        sha256: c["sha256"].as_str().unwrap_or_default().to_owned(),
    });
    o.score = r["score"].as_object().map(|_| {
        let s = &r["score"];
        Score {
            overall: points(s),
            domains: s["domains"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|d| {
                    (
                        d["id"].as_str().unwrap_or_default().to_owned(),
                        d["title"].as_str().unwrap_or_default().to_owned(),
                        points(d),
                    )
                })
                .collect(),
            items: s["items"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .filter_map(ItemState::from_letter)
                .collect(),
        }
    });
    for f in r["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        o.findings.push(finding(f, false)?);
    }
    for f in r["baselined"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        o.findings.push(finding(f, true)?);
    }
    o.sort_findings();
    Ok(o)
}

/// The JSON outputs (as parsed values, with their file names for messages)
/// of the shards of one run, merged. `catalog` holds the checklists the
/// shards were checked against (so formats that name items can).
///
/// # Errors
/// A message when an input is not an `sds check` JSON output, or when the
/// shards were run with different verdict-changing options or checklists.
pub fn merge(inputs: &[(String, Value)], catalog: Arc<Catalog>) -> Result<Run, String> {
    let Some((first_name, first)) = inputs.first() else {
        return Err("nothing to merge".into());
    };
    for (name, v) in inputs {
        if v["sds_findings"] != 1 || v["command"] != "check" {
            return Err(format!("{name} is not a JSON output of `sds check`"));
        }
        // Every option but the shard must agree, and so must the checklists.
        let without_shard = |v: &Value| {
            let mut o = v["options"].clone();
            if let Some(m) = o.as_object_mut() {
                m.remove("shard");
            }
            o
        };
        if without_shard(v) != without_shard(first) || v["checklists"] != first["checklists"] {
            return Err(format!(
                "{name} and {first_name} were run with different options or checklists"
            ));
        }
    }
    let opt = &first["options"];
    let options = Options {
        fail_on: match opt["fail_on"].as_str() {
            Some("warning") => FailOn::Warning,
            Some("note") => FailOn::Note,
            Some("never") => FailOn::Never,
            _ => FailOn::Error,
        },
        min_score: opt["min_score"].as_f64(),
        verify_evidence: opt["verify_evidence"].as_bool().unwrap_or(false),
        as_of: opt["as_of"]
            .as_str()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        allow_empty: opt["allow_empty"].as_bool().unwrap_or(false),
        waivers: opt["waivers"]["path"].as_str().map(Into::into),
        baseline: opt["baseline"]["path"].as_str().map(Into::into),
        config: crate::config::config_from_json(&opt["config"]),
        severity: crate::config::overrides_from_json(&opt["severity"]),
        ..Options::default()
    };
    let waivers_path = options
        .waivers
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    let mut outcomes = Vec::new();
    let mut waiver_entries: Vec<Vec<Outcome>> = Vec::new();
    let (mut found, mut checked, mut skipped) = (0, 0, Vec::new());
    for (_, v) in inputs {
        found += usize::try_from(v["summary"]["found"].as_u64().unwrap_or(0)).unwrap_or(0);
        checked += usize::try_from(v["summary"]["checked"].as_u64().unwrap_or(0)).unwrap_or(0);
        for s in v["summary"]["skipped_files"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            skipped.push((
                s["path"].as_str().unwrap_or_default().to_owned(),
                s["reason"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        let mut mine = Vec::new();
        for r in v["reports"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let o = outcome(r)?;
            if waivers_path.as_deref() == Some(o.path.as_str()) {
                mine.push(o);
            } else {
                outcomes.push(o);
            }
        }
        waiver_entries.push(mine);
    }
    // A single run lists files in the order it walked them: by path, one
    // component at a time (which is what `Path`'s ordering compares).
    outcomes.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
    skipped.sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)));
    // A waiver of the waivers file is unused in the whole run only if every shard found it unused.
    if let Some(first_entry) = waiver_entries.first().and_then(|e| e.first()).cloned() {
        let mut merged = first_entry;
        merged.findings.retain(|f| {
            waiver_entries.iter().all(|e| {
                e.first().is_some_and(|o| {
                    o.findings
                        .iter()
                        .any(|g| g.code == f.code && g.item == f.item && g.span.line == f.span.line)
                })
            })
        });
        if !merged.findings.is_empty() {
            outcomes.push(merged);
        }
    }
    let mut totals = Totals::default();
    for o in &outcomes {
        let report = waivers_path.as_deref() != Some(o.path.as_str());
        totals.add(o, &options, report);
    }
    let stale = merge_stale(inputs);
    let checklists = first["checklists"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|c| ChecklistInfo {
            id: c["id"].as_str().unwrap_or_default().to_owned(),
            version: c["version"].as_str().unwrap_or_default().to_owned(),
            sha256: c["sha256"].as_str().unwrap_or_default().to_owned(),
            bundled: c["bundled"].as_bool().unwrap_or(false),
            files: c["files"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or_default().to_owned(),
                        f["sha256"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        })
        .collect();
    let reasons = crate::engine::verdict_reasons(&options, &totals, checked, Command::Check);
    Ok(Run {
        command: Command::Check,
        baseline: options.baseline.as_ref().map(|_| BaselineUse {
            sha256: opt["baseline"]["sha256"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            stale,
        }),
        waivers_sha256: opt["waivers"]["sha256"].as_str().map(ToOwned::to_owned),
        catalog: Some(catalog),
        checklists,
        outcomes,
        totals,
        found,
        checked,
        skipped,
        pass: reasons.is_empty(),
        reasons,
        options,
    })
}

/// Baseline entries stale in the whole run: those stale in every shard
/// (each shard sees the whole baseline but only its own reports).
fn merge_stale(inputs: &[(String, Value)]) -> Vec<(String, String, String)> {
    let lists: Vec<Vec<(String, String, String)>> = inputs
        .iter()
        .map(|(_, v)| {
            v["summary"]["stale_baseline"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
                    (s("report"), s("item"), s("code"))
                })
                .collect()
        })
        .collect();
    let Some(first) = lists.first() else {
        return Vec::new();
    };
    let mut out: Vec<_> = first
        .iter()
        .filter(|e| lists.iter().all(|l| l.contains(e)))
        .cloned()
        .collect();
    out.sort();
    out
}
