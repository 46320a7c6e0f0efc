//! The JSON output. Wire format: `schema/findings.schema.json` (`sds schema
//! findings`). It is written as a stream — the header, each report as soon as
//! it is checked, then the run's options, checklists, verdict and summary —
//! so memory does not grow with the number of reports. No wall-clock time is
//! written: the same inputs and options give byte-identical output.

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
    if let Some(w) = &f.waiver {
        m.insert(
            "waiver".into(),
            json!({
                "from": if w.external { "waivers_file" } else { "report" },
                "reason": w.reason,
                "approved_by": w.approved_by,
            }),
        );
    }
    Value::Object(m)
}

/// The `waiver` of a finding read back from JSON (`sds merge`, `--baseline`).
#[must_use]
pub fn waiver_from(v: &Value) -> Option<Box<crate::finding::WaiverRef>> {
    let text = |k: &str| v[k].as_str().map(ToOwned::to_owned);
    Some(Box::new(crate::finding::WaiverRef {
        external: v["from"].as_str()? == "waivers_file",
        reason: text("reason")?,
        approved_by: text("approved_by")?,
    }))
}

/// The audit-trail record of the config file and the severity overrides
/// (`options.config`, `options.severity`), shared with SARIF.
#[must_use]
pub fn config_audit(o: &crate::engine::Options) -> (Value, Value) {
    (
        o.config
            .as_ref()
            .map_or(Value::Null, |(p, sha)| json!({"path": p, "sha256": sha})),
        o.severity
            .iter()
            .map(|ov| {
                json!({
                    "code": ov.code.as_str(),
                    "severity": ov.severity.as_str(),
                    "from": ov.from.as_str(),
                })
            })
            .collect(),
    )
}

/// One outcome (`reports[]` entry) as JSON.
#[must_use]
pub fn outcome(o: &Outcome) -> Value {
    let mut v = json!({
        "path": o.path,
        "sha256": o.sha256,
        "id": o.id,
        "as_of": o.as_of.map(|d| d.to_string()),
        "checklist": o.checklist.as_ref().map(|c| json!({"id": c.id, "version": c.version, "sha256": c.sha256})),
        "score": o.score.as_ref().map(|s| {
            let mut m = points(&s.overall);
            m.insert("items".into(), s.items.iter().map(|i| i.letter()).collect::<String>().into());
            m.insert("domains".into(), s.domains.iter().map(|(id, title, p)| {
                let mut d = serde_json::Map::new();
                d.insert("id".into(), id.clone().into());
                d.insert("title".into(), title.clone().into());
                d.extend(points(p));
                Value::Object(d)
            }).collect());
            Value::Object(m)
        }),
        "findings": o.findings.iter().filter(|f| !f.baselined).map(finding).collect::<Vec<_>>(),
    });
    if o.findings.iter().any(|f| f.baselined) {
        v["baselined"] = o
            .findings
            .iter()
            .filter(|f| f.baselined)
            .map(finding)
            .collect();
    }
    v
}

/// `value` pretty-printed, every line but the first indented by `indent` spaces.
fn pretty(value: &Value, indent: usize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let pad = " ".repeat(indent);
    text.replace('\n', &format!("\n{pad}"))
}

/// The start of the document, up to the opening of `reports`.
#[must_use]
pub fn header(command: Command) -> String {
    let command = command.as_str();
    format!(
        "{{\n  \"sds_findings\": 1,\n  \"command\": \"{command}\",\n  \"tool\": {},\n  \"reports\": [",
        pretty(
            &json!({"name": "sds", "version": env!("CARGO_PKG_VERSION")}),
            2
        )
    )
}

/// One entry of `reports`, indented for its place (join entries with [`separator`]).
#[must_use]
pub fn report(o: &Outcome) -> String {
    pretty(&outcome(o), 4)
}

/// What goes before an entry of `reports`.
#[must_use]
pub fn separator(first: bool) -> &'static str {
    if first { "\n    " } else { ",\n    " }
}

/// The end of the document: the run's options, checklists, verdict and summary.
#[must_use]
pub fn footer(run: &Run, any_report: bool) -> String {
    let o = &run.options;
    let rest = [
        (
            "options",
            json!({
                "fail_on": o.fail_on.as_str(),
                "min_score": o.min_score,
                "verify_evidence": o.verify_evidence,
                "as_of": o.as_of.map(|d| d.to_string()),
                "allow_empty": o.allow_empty,
                "shard": o.shard.map(|(i, n)| format!("{i}/{n}")),
                "baseline": o.baseline.as_ref().map(|p| json!({
                    "path": p.to_string_lossy(),
                    "sha256": run.baseline.as_ref().map(|b| b.sha256.clone()).unwrap_or_default(),
                })),
                "waivers": o.waivers.as_ref().map(|p| json!({
                    "path": p.to_string_lossy(),
                    "sha256": run.waivers_sha256.clone().unwrap_or_default(),
                })),
                "config": config_audit(o).0,
                "severity": config_audit(o).1,
            }),
        ),
        (
            "checklists",
            run.checklists
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "version": c.version, "sha256": c.sha256, "bundled": c.bundled,
                        "files": c.files.iter().map(|(p, s)| json!({"path": p, "sha256": s})).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        ),
        ("verdict", json!(if run.pass { "pass" } else { "fail" })),
        (
            "summary",
            json!({
                "found": run.found,
                "checked": run.checked,
                "skipped": run.skipped.len(),
                "errors": run.count(Severity::Error),
                "warnings": run.count(Severity::Warning),
                "notes": run.count(Severity::Note),
                "baselined": run.totals.baselined,
                "stale_baseline": run.baseline.as_ref().map(|b| b.stale.iter().map(|(r, i, c)| json!({"report": r, "item": i, "code": c})).collect::<Vec<_>>()).unwrap_or_default(),
                "skipped_files": run.skipped.iter().map(|(p, r)| json!({"path": p, "reason": r})).collect::<Vec<_>>(),
            }),
        ),
    ];
    let mut s = String::from(if any_report { "\n  ],\n" } else { "],\n" });
    let last = rest.len() - 1;
    for (i, (key, value)) in rest.iter().enumerate() {
        s.push_str(&format!(
            "  \"{key}\": {}{}\n",
            pretty(value, 2),
            if i == last { "" } else { "," }
        ));
    }
    s.push_str("}\n");
    s
}

/// The whole run (its outcomes kept) as JSON text.
#[must_use]
pub fn render(run: &Run) -> String {
    let mut s = header(run.command);
    for (i, o) in run.outcomes.iter().enumerate() {
        s.push_str(separator(i == 0));
        s.push_str(&report(o));
    }
    s.push_str(&footer(run, !run.outcomes.is_empty()));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_document_is_one_valid_json_value() {
        let o = Outcome::new("a.yaml");
        let text = format!(
            "{}{}{}{}{}",
            header(Command::Check),
            separator(true),
            report(&o),
            separator(false),
            report(&o)
        );
        let v: Value = serde_json::from_str(&format!("{text}\n  ]\n}}")).unwrap();
        assert_eq!(v["reports"].as_array().unwrap().len(), 2);
        let empty: Value =
            serde_json::from_str(&format!("{}],\"x\":1}}", header(Command::Lint))).unwrap();
        assert_eq!(empty["reports"], json!([]));
    }
}
