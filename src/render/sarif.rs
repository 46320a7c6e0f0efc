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

use std::fmt::Write as _;
use std::io;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::codes::{self, Code};
use crate::engine::Run;
use crate::finding::{Finding, Severity};
use crate::outcome::Outcome;
use crate::render::spool::Spool;
use crate::render::{Streamed, json as json_render, uri};

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
            h.finalize()
                .iter()
                .fold(String::with_capacity(64), |mut s, b| {
                    let _ = write!(s, "{b:02x}");
                    s
                })
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
    fingerprint: &str,
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
                    "startLine": f.at.line.max(1),
                    "startColumn": f.at.col.max(1),
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
        // (they are the results); spliced in by the writer.
        "reports": Value::Null,
    })
}

/// A report's entry of the audit trail's `reports`.
fn audit_report(o: &Outcome) -> Value {
    let mut v = json_render::outcome(o);
    if let Value::Object(m) = &mut v {
        m.remove("findings");
    }
    v
}

/// The run's log with `null` where the per-report arrays go (the audit
/// trail's `reports`, `artifacts`, `results`).
fn skeleton(run: &Run) -> Value {
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
            "artifacts": Value::Null,
            "results": Value::Null,
            "columnKind": "unicodeCodePoints",
        }],
    })
}

/// The baseline's path as the suppressions name it, when the run has one
/// (read from the options: a run still streaming has no baseline record yet).
fn baseline_path(run: &Run) -> Option<String> {
    run.options
        .baseline
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned())
}

/// The SARIF log, written report by report: each report's artifact, results
/// and audit record are spooled as it is checked, and spliced into the log
/// (whose audit trail needs the whole run's figures) at the end.
pub struct Writer {
    artifacts: Spool,
    results: Spool,
    reports: Spool,
    /// The baseline's path, read from the first report's run (the same for every one).
    baseline: std::cell::OnceCell<Option<String>>,
}

/// Where the keys of the per-report arrays sit in the pretty-printed log:
/// `runs[0]`'s keys 6 spaces in, `invocations[0].properties`' keys 12. Their
/// elements are rendered 2 further in as they are spooled, and `finish`
/// refuses a skeleton whose keys moved, rather than misplace them.
const RUN_KEY_PAD: usize = 6;
const AUDIT_KEY_PAD: usize = 12;

impl Writer {
    /// A log spooled to temporary files.
    ///
    /// # Errors
    /// When no temporary file can be created.
    pub fn new() -> io::Result<Self> {
        Ok(Writer {
            artifacts: Spool::new()?,
            results: Spool::new()?,
            reports: Spool::new()?,
            baseline: std::cell::OnceCell::new(),
        })
    }

    fn in_memory() -> Self {
        Writer {
            artifacts: Spool::in_memory(),
            results: Spool::in_memory(),
            reports: Spool::in_memory(),
            baseline: std::cell::OnceCell::new(),
        }
    }
}

/// Where a spliced array's elements start: a line feed and the indentation
/// of elements under a key indented by `pad`.
fn element_separator(pad: usize) -> String {
    format!("\n{}", " ".repeat(pad + 2))
}

/// Writes `pieces` as the elements of a pretty-printed array whose key sits
/// at indentation `pad` (`[]` when there are none), then `tail` elements.
fn write_array(
    out: &mut dyn io::Write,
    pad: usize,
    pieces: &mut Spool,
    tail: &[String],
) -> io::Result<()> {
    let mut any = false;
    let sep = element_separator(pad);
    for i in 0..pieces.len() {
        // A report without findings has an empty piece of results.
        if pieces.piece_len(i) == 0 {
            continue;
        }
        out.write_all(if any { b"," } else { b"[" })?;
        out.write_all(sep.as_bytes())?;
        pieces.copy(i, out)?;
        any = true;
    }
    for t in tail {
        out.write_all(if any { b"," } else { b"[" })?;
        out.write_all(sep.as_bytes())?;
        out.write_all(t.as_bytes())?;
        any = true;
    }
    if any {
        write!(out, "\n{}]", " ".repeat(pad))
    } else {
        out.write_all(b"[]")
    }
}

/// Splits pretty-printed text at the `null` of `"key": null`, returning the
/// text before the `null`, the key's indentation and the text after it. The
/// key is found only at the start of a line: a string value cannot hold a
/// raw line feed, so no input text can imitate it.
fn split_at_null<'t>(text: &'t str, key: &str) -> Option<(&'t str, usize, &'t str)> {
    let needle = format!("\"{key}\": null");
    let mut from = 0;
    while let Some(at) = text[from..].find(&needle).map(|i| i + from) {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..at].bytes().all(|b| b == b' ') {
            let end = at + needle.len();
            return Some((&text[..end - 4], at - line_start, &text[end..]));
        }
        from = at + needle.len();
    }
    None
}

impl Streamed for Writer {
    fn push(&mut self, run: &Run, o: &Outcome) -> io::Result<()> {
        let index = self.artifacts.len();
        self.artifacts.push(&json_render::pretty(
            &artifact(&o.path, o.sha256.as_deref(), "analysisTarget"),
            RUN_KEY_PAD + 2,
        ))?;
        let baseline = self.baseline.get_or_init(|| baseline_path(run));
        let results: Vec<String> = o
            .findings
            .iter()
            .zip(fingerprints(o))
            .map(|(f, fp)| {
                let r = result(f, &o.path, index, baseline.as_deref(), &fp);
                json_render::pretty(&r, RUN_KEY_PAD + 2)
            })
            .collect();
        self.results
            .push(&results.join(&format!(",{}", element_separator(RUN_KEY_PAD))))?;
        self.reports
            .push(&json_render::pretty(&audit_report(o), AUDIT_KEY_PAD + 2))?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(&skeleton(run)).unwrap_or_default();
        text.push('\n');
        let broken = || io::Error::other("the SARIF skeleton lost a placeholder");
        let (head, reports_pad, rest) = split_at_null(&text, "reports").ok_or_else(broken)?;
        let (middle, artifacts_pad, rest) = split_at_null(rest, "artifacts").ok_or_else(broken)?;
        let (between, results_pad, tail) = split_at_null(rest, "results").ok_or_else(broken)?;
        if (reports_pad, artifacts_pad, results_pad) != (AUDIT_KEY_PAD, RUN_KEY_PAD, RUN_KEY_PAD) {
            return Err(io::Error::other("the SARIF skeleton changed shape"));
        }
        out.write_all(head.as_bytes())?;
        write_array(out, reports_pad, &mut self.reports, &[])?;
        out.write_all(middle.as_bytes())?;
        let mut extra = Vec::new();
        if let (Some(p), Some(sha)) = (&run.options.waivers, &run.waivers_sha256) {
            extra.push(json_render::pretty(
                &artifact(&p.to_string_lossy(), Some(sha), "referencedOnCommandLine"),
                artifacts_pad + 2,
            ));
        }
        write_array(out, artifacts_pad, &mut self.artifacts, &extra)?;
        out.write_all(between.as_bytes())?;
        write_array(out, results_pad, &mut self.results, &[])?;
        out.write_all(tail.as_bytes())
    }
}

/// The whole run as a SARIF value.
#[must_use]
pub fn to_value(run: &Run) -> Value {
    serde_json::from_str(&render(run)).unwrap_or_default()
}

/// The whole run as pretty SARIF JSON text, ending in a newline.
#[must_use]
pub fn render(run: &Run) -> String {
    crate::render::render_kept(run, Box::new(Writer::in_memory()))
}
