//! The page's header: the verdict, the inputs, the skipped files and the
//! audit trail; it ends with a row per report, written by the caller.

use std::fmt::Write;

use super::escape;
use crate::engine::Run;
use crate::outcome::Outcome;

pub(super) fn header(run: &Run, out: &mut String) {
    let command = run.command.as_str();
    let (class, word) = if run.pass {
        ("pass", "PASS")
    } else {
        ("fail", "FAIL")
    };
    let _ = write!(
        out,
        "<header><h1>sds {command} <span class=\"verdict {class}\">{word}</span></h1>"
    );
    if run.pass {
        out.push_str("<p>The gate passes.</p>");
    } else {
        out.push_str("<p>The gate fails:</p><ul>");
        for r in &run.reasons {
            let _ = write!(out, "<li>{}</li>", escape(r));
        }
        out.push_str("</ul>");
    }
    let line = run.inputs_line();
    let _ = write!(
        out,
        "<p>{}{}.</p>",
        escape(&line[..1].to_uppercase()),
        escape(&line[1..])
    );
    if !run.skipped.is_empty() {
        out.push_str("<ul class=\"muted\">");
        for (p, why) in &run.skipped {
            let _ = write!(out, "<li>skipped {}: {}</li>", escape(p), escape(why));
        }
        out.push_str("</ul>");
    }
    audit(run, out);
}

/// What closes the header, after the audit rows of the reports ([`audit_row`]).
pub(super) const HEADER_END: &str = "</tbody></table></details></header>";

fn audit(run: &Run, out: &mut String) {
    let o = &run.options;
    let _ = write!(
        out,
        "<details><summary>Audit trail</summary><table><tbody>\
         <tr><th>sds version</th><td class=\"mono\">{}</td></tr>\
         <tr><th>--fail-on</th><td class=\"mono\">{}</td></tr>\
         <tr><th>--min-score</th><td class=\"mono\">{}</td></tr>\
         <tr><th>--verify-evidence</th><td class=\"mono\">{}</td></tr>\
         <tr><th>--as-of</th><td class=\"mono\">{}</td></tr>\
         <tr><th>--allow-empty</th><td class=\"mono\">{}</td></tr>",
        env!("CARGO_PKG_VERSION"),
        o.fail_on.as_str(),
        o.min_score
            .map_or_else(|| "none".to_owned(), |m| m.to_string()),
        o.verify_evidence,
        o.as_of
            .map_or_else(|| "each report's issue date".to_owned(), |d| d.to_string()),
        o.allow_empty,
    );
    if let Some(w) = &o.waivers {
        let _ = write!(
            out,
            "<tr><th>--waivers</th><td class=\"mono\">{} sha256 {}</td></tr>",
            escape(&w.to_string_lossy()),
            escape(run.waivers_sha256.as_deref().unwrap_or_default())
        );
    }
    if let Some(b) = &o.baseline {
        let _ = write!(
            out,
            "<tr><th>--baseline</th><td class=\"mono\">{} sha256 {}</td></tr>",
            escape(&b.to_string_lossy()),
            escape(run.baseline.as_ref().map_or("", |u| u.sha256.as_str()))
        );
    }
    for c in &run.checklists {
        let _ = write!(
            out,
            "<tr><th>checklist {}@{}</th><td class=\"mono\">sha256 {}",
            escape(&c.id),
            escape(&c.version),
            escape(&c.sha256)
        );
        for (p, s) in &c.files {
            let _ = write!(out, "<br>{} {}", escape(s), escape(p));
        }
        out.push_str("</td></tr>");
    }
}

/// A report's row in the audit trail: its path and the sha256 of its bytes.
pub(super) fn audit_row(r: &Outcome) -> String {
    format!(
        "<tr><th>{}</th><td class=\"mono\">sha256 {}</td></tr>",
        escape(&r.path),
        escape(r.sha256.as_deref().unwrap_or("(not read)"))
    )
}
