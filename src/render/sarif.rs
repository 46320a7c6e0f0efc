//! The SARIF 2.1.0 output, for code-scanning dashboards (GitHub, GitLab,
//! Azure DevOps, VS Code's SARIF viewer).
//!
//! Wire format, one run:
//! - `tool.driver`: name `sds`, the tool version, and one rule per code of
//!   the registry ([`crate::codes::ALL`], in numeric order): `id` the code,
//!   `name` the kebab-case name, `shortDescription` the summary,
//!   `fullDescription` and `help` the explanation (Markdown in `markdown`),
//!   `defaultConfiguration.level` the default severity.
//! - `artifacts`: every input, in input order (the reports, then the waivers
//!   file), each with its sha256 under `hashes["sha-256"]`. Bundled
//!   checklists are not files, so checklists are listed in the audit trail.
//! - `results`: one per finding, in output order: `ruleId`, `ruleIndex`,
//!   `level` (the finding's severity, `note` for a waived one), `message`, one
//!   location (the path as given, relative to `%SRCROOT%`, the working
//!   folder; 1-based `startLine`/`startColumn` in characters, hence
//!   `columnKind: unicodeCodePoints`), `properties.item` and, for SDS060,
//!   `properties.waives`; with `--baseline`, `baselineState` `unchanged` for
//!   a finding the baseline holds (not gating) and `new` for the others.
//! - `invocations[0].properties`: the audit trail of PRODUCT.md §5 (tool
//!   version, checklists with their files and sha256, options that change the
//!   verdict, each report's sha256, as-of date, checklist and score) and the
//!   verdict.
//!
//! No wall-clock time is written (SARIF's `startTimeUtc` is left out on
//! purpose): the same inputs and options give byte-identical output.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::codes::{self, Code};
use crate::engine::Run;
use crate::finding::{Finding, Severity};
use crate::render::{json as json_render, uri};

/// The `$schema` written at the top of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base every artifact URI is relative to: the working folder `sds` ran in.
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule(code: Code, link_base: Option<&str>) -> Value {
    let info = code.info();
    let mut v = json!({
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.explanation, "markdown": info.explanation},
        "help": {"text": info.explanation, "markdown": info.explanation},
        "defaultConfiguration": {"level": level(info.severity)},
    });
    if let Some(base) = link_base {
        v["helpUri"] = crate::render::code_link(base, code).into();
    }
    v
}

/// The key of `partialFingerprints` (versioned: a change of the key's recipe gets a new name).
pub const FINGERPRINT_KEY: &str = "sdsMeaning/v1";

/// One fingerprint per finding of a report, in order: the sha256 of its
/// meaning key — the report id (its path when it has none), the item, the
/// code (for a waived finding, the code the waiver covers, so waiving a
/// finding keeps its identity), the JSON pointer and the message for a
/// finding without an item,
/// and which occurrence of that key it is in the report. Never a line:
/// editing a report keeps its fingerprints, as it keeps its baseline.
#[must_use]
pub fn fingerprints(o: &crate::outcome::Outcome) -> Vec<String> {
    let report =
        o.id.as_deref()
            .map_or_else(|| format!("path:{}", o.path), |id| format!("id:{id}"));
    let mut seen: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
    o.findings
        .iter()
        .map(|f| {
            let code = f.waives.unwrap_or(f.code);
            // Without an item, the node at fault (its JSON pointer) and the
            // message, as the baseline keys such a finding.
            let (pointer, message) = if f.item.is_some() {
                ("", "")
            } else {
                (f.pointer.as_deref().unwrap_or(""), f.message.as_str())
            };
            let key = [
                report.as_str(),
                f.item.as_deref().unwrap_or(""),
                code.as_str(),
                pointer,
                message,
            ]
            .join("\0")
            .into_bytes();
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            let mut h = Sha256::new();
            h.update(&key);
            h.update(format!("\0{n}").as_bytes());
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
}

/// An artifact location: a relative path against `%SRCROOT%`, an absolute one as a `file:` URI.
fn artifact_location(path: &str, index: Option<usize>) -> Value {
    let u = uri(path);
    let mut m = Map::new();
    let absolute = u.starts_with("file:");
    m.insert("uri".into(), u.into());
    if !absolute {
        m.insert("uriBaseId".into(), SRCROOT.into());
    }
    if let Some(i) = index {
        m.insert("index".into(), i.into());
    }
    Value::Object(m)
}

fn artifact(path: &str, sha256: Option<&str>, role: &str) -> Value {
    let mut m = Map::new();
    m.insert("location".into(), artifact_location(path, None));
    m.insert("roles".into(), json!([role]));
    if let Some(h) = sha256 {
        m.insert("hashes".into(), json!({"sha-256": h}));
    }
    Value::Object(m)
}

fn suppressions(f: &Finding, baseline: Option<&str>) -> Option<Value> {
    let mut list = Vec::new();
    if let Some(w) = &f.waiver {
        list.push(json!({
            "kind": if w.external { "external" } else { "inSource" },
            "state": "accepted",
            "justification": w.reason,
            "properties": {"approvedBy": w.approved_by},
        }));
    }
    if f.baselined {
        list.push(json!({
            "kind": "external",
            "state": "accepted",
            "justification": format!("in the baseline {}", baseline.unwrap_or_default()),
        }));
    }
    (!list.is_empty()).then(|| Value::Array(list))
}

fn result(
    f: &Finding,
    path: &str,
    artifact_index: usize,
    baseline: Option<&str>,
    fingerprint: String,
) -> Value {
    let rule_index = codes::ALL.iter().position(|c| *c == f.code).unwrap_or(0);
    let mut properties = Map::new();
    properties.insert("item".into(), f.item.clone().into());
    if let Some(w) = f.waives {
        properties.insert("waives".into(), w.as_str().into());
    }
    if let Some(h) = &f.help {
        properties.insert("help".into(), h.clone().into());
    }
    let mut v = json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(path, Some(artifact_index)),
                "region": {
                    "startLine": f.span.line.max(1),
                    "startColumn": f.span.col.max(1),
                },
            },
        }],
        "properties": properties,
    });
    v["partialFingerprints"] = json!({ FINGERPRINT_KEY: fingerprint });
    if let Some(s) = suppressions(f, baseline) {
        v["suppressions"] = s;
    }
    // With `--baseline`, findings it already holds are `unchanged` (not gating), the others `new`.
    if baseline.is_some() {
        v["baselineState"] = if f.baselined { "unchanged" } else { "new" }.into();
    }
    v
}

/// The audit trail (PRODUCT.md §5) and the verdict, for `invocations[0].properties`.
fn audit(run: &Run) -> Value {
    let o = &run.options;
    json!({
        "command": run.command.as_str(),
        "toolVersion": env!("CARGO_PKG_VERSION"),
        "verdict": if run.pass { "pass" } else { "fail" },
        "reasons": run.reasons,
        "options": {
            "fail_on": o.fail_on.as_str(),
            "min_score": o.min_score,
            "verify_evidence": o.verify_evidence,
            "as_of": o.as_of.map(|d| d.to_string()),
            "allow_empty": o.allow_empty,
            "waivers": o.waivers.as_ref().map(|p| json!({
                "path": p.to_string_lossy(),
                "sha256": run.waivers_sha256.clone().unwrap_or_default(),
            })),
            "baseline": o.baseline.as_ref().map(|p| json!({
                "path": p.to_string_lossy(),
                "sha256": run.baseline.as_ref().map(|b| b.sha256.clone()).unwrap_or_default(),
            })),
            "config": crate::wire::Options::of(run).config,
            "severity": crate::wire::Options::of(run).severity,
        },
        "baselineStale": run.baseline.as_ref().map(|b| b.stale.iter().map(|k| json!({
            "report": k.report, "item": k.item, "code": k.code.as_str(),
        })).collect::<Vec<_>>()),
        "checklists": run.checklists.iter().map(|c| json!({
            "id": c.id, "version": c.version, "sha256": c.sha256, "bundled": c.bundled,
            "files": c.files.iter().map(|(p, s)| json!({"path": p, "sha256": s})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "summary": {
            "found": run.found,
            "checked": run.checked,
            "errors": run.count(Severity::Error),
            "warnings": run.count(Severity::Warning),
            "notes": run.count(Severity::Note),
            "skipped": run.skipped.iter().map(|(p, r)| json!({"path": p, "reason": r})).collect::<Vec<_>>(),
        },
        // The same per-report record as the JSON output, without the findings
        // (they are the results).
        "reports": run.outcomes.iter().map(|out| {
            let mut v = json_render::outcome(out);
            if let Value::Object(m) = &mut v {
                m.remove("findings");
            }
            v
        }).collect::<Vec<_>>(),
    })
}

/// The whole run as a SARIF value.
#[must_use]
pub fn to_value(run: &Run) -> Value {
    let mut artifacts: Vec<Value> = run
        .outcomes
        .iter()
        .map(|o| artifact(&o.path, o.sha256.as_deref(), "analysisTarget"))
        .collect();
    if let (Some(p), Some(sha)) = (&run.options.waivers, &run.waivers_sha256) {
        artifacts.push(artifact(
            &p.to_string_lossy(),
            Some(sha),
            "referencedOnCommandLine",
        ));
    }
    let baseline_path = run.baseline.as_ref().map(|_| {
        run.options
            .baseline
            .as_ref()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let baseline = baseline_path.as_deref();
    let results: Vec<Value> = run
        .outcomes
        .iter()
        .enumerate()
        .flat_map(|(i, o)| {
            o.findings
                .iter()
                .zip(fingerprints(o))
                .map(move |(f, fp)| result(f, &o.path, i, baseline, fp))
        })
        .collect();
    let link_base = run.options.link_base.as_deref();
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sds",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": codes::ALL.iter().map(|c| rule(*c, link_base)).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": true,
                "properties": audit(run),
            }],
            "originalUriBaseIds": {
                SRCROOT: {"description": {"text": "The working folder sds ran in; report paths are relative to it."}},
            },
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    })
}

/// The whole run as pretty SARIF JSON text, ending in a newline.
#[must_use]
pub fn render(run: &Run) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(run)).unwrap_or_default();
    s.push('\n');
    s
}
