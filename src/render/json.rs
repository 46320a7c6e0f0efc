//! The JSON output. Wire format: `schema/findings.schema.json` (`sds schema
//! findings`). No wall-clock time is written: the same inputs and options
//! give byte-identical output.

use serde_json::{Value, json};

use crate::engine::{Command, Run};
use crate::finding::{Finding, Severity};
use crate::outcome::{Outcome, Points};

fn points(p: &Points) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    m.insert("earned".into(), p.earned.into());
    m.insert("waived".into(), p.waived.into());
    m.insert("applicable".into(), p.applicable.into());
    m.insert("total".into(), p.total.into());
    m.insert(
        "percent".into(),
        json!((p.percent() * 100.0).round() / 100.0),
    );
    m
}

/// One finding as JSON.
#[must_use]
pub fn finding(f: &Finding) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("code".into(), f.code.as_str().into());
    m.insert("name".into(), f.code.name().into());
    m.insert("severity".into(), f.severity.as_str().into());
    m.insert("item".into(), f.item.clone().into());
    m.insert("message".into(), f.message.clone().into());
    if let Some(h) = &f.help {
        m.insert("help".into(), h.clone().into());
    }
    m.insert("line".into(), f.span.line.max(1).into());
    m.insert("column".into(), f.span.col.max(1).into());
    if let Some(w) = f.waives {
        m.insert("waives".into(), w.as_str().into());
    }
    Value::Object(m)
}

/// One outcome (`reports[]` entry) as JSON.
#[must_use]
pub fn outcome(o: &Outcome) -> Value {
    json!({
        "path": o.path,
        "sha256": o.sha256,
        "id": o.id,
        "as_of": o.as_of.map(|d| d.to_string()),
        "checklist": o.checklist.as_ref().map(|c| json!({"id": c.id, "version": c.version, "sha256": c.sha256})),
        "score": o.score.as_ref().map(|s| {
            let mut m = points(&s.overall);
            m.insert("domains".into(), s.domains.iter().map(|(id, title, p)| {
                let mut d = serde_json::Map::new();
                d.insert("id".into(), id.clone().into());
                d.insert("title".into(), title.clone().into());
                d.extend(points(p));
                Value::Object(d)
            }).collect());
            Value::Object(m)
        }),
        "findings": o.findings.iter().map(finding).collect::<Vec<_>>(),
    })
}

/// The whole run as a JSON value.
#[must_use]
pub fn to_value(run: &Run) -> Value {
    let o = &run.options;
    json!({
        "sds_findings": 1,
        "command": match run.command { Command::Check => "check", Command::Lint => "lint" },
        "tool": {"name": "sds", "version": env!("CARGO_PKG_VERSION")},
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
        },
        "checklists": run.checklists.iter().map(|c| json!({
            "id": c.id, "version": c.version, "sha256": c.sha256, "bundled": c.bundled,
            "files": c.files.iter().map(|(p, s)| json!({"path": p, "sha256": s})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "verdict": if run.pass { "pass" } else { "fail" },
        "summary": {
            "found": run.found,
            "checked": run.checked,
            "skipped": run.skipped.len(),
            "errors": run.count(Severity::Error),
            "warnings": run.count(Severity::Warning),
            "notes": run.count(Severity::Note),
            "skipped_files": run.skipped.iter().map(|(p, r)| json!({"path": p, "reason": r})).collect::<Vec<_>>(),
        },
        "reports": run.outcomes.iter().map(outcome).collect::<Vec<_>>(),
    })
}

/// The whole run as pretty JSON text, ending in a newline.
#[must_use]
pub fn render(run: &Run) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(run)).unwrap_or_default();
    s.push('\n');
    s
}
