//! The JSON output. Wire format: `schema/findings.schema.json` (`sds schema
//! findings`), modelled by the types of [`crate::wire`]. It is written as a
//! stream — the header, each report as soon as it is checked, then the run's
//! options, checklists, digests, verdict and summary — so memory does not
//! grow with the number of reports. No wall-clock time is written: the same
//! inputs and options give byte-identical output.

use std::fmt::Write as _;

use serde::Serialize;

use crate::engine::{Command, Run};
use crate::finding::Finding;
use crate::outcome::Outcome;
use crate::wire;

/// One finding as JSON.
#[must_use]
pub fn finding(f: &Finding) -> serde_json::Value {
    serde_json::to_value(wire::Finding::from(f)).unwrap_or_default()
}

/// One outcome (`reports[]` entry) as JSON.
#[must_use]
pub fn outcome(o: &Outcome) -> serde_json::Value {
    serde_json::to_value(wire::Report::from(o)).unwrap_or_default()
}

/// `value` pretty-printed, every line but the first indented by `indent` spaces.
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T, indent: usize) -> String {
    // Serializing these types cannot fail: every map key is a string.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let pad = " ".repeat(indent);
    text.replace('\n', &format!("\n{pad}"))
}

/// The start of the document, up to the opening of `reports`.
#[must_use]
pub fn header(command: Command) -> String {
    let text = pretty(&wire::Header::of(command), 0);
    // The header object, left open for `reports` and the fields after it.
    let open = text.strip_suffix("\n}").unwrap_or(&text);
    format!("{open},\n  \"reports\": [")
}

/// One entry of `reports`, indented for its place (join entries with [`separator`]).
#[must_use]
pub fn report(o: &Outcome) -> String {
    pretty(&wire::Report::from(o), 4)
}

/// What goes before an entry of `reports`.
#[must_use]
pub fn separator(first: bool) -> &'static str {
    if first { "\n    " } else { ",\n    " }
}

/// The end of the document: the run's options, checklists, digests, verdict and summary.
#[must_use]
pub fn footer(run: &Run, any_report: bool) -> String {
    let checklists: Vec<wire::Checklist> = run.checklists.iter().map(Into::into).collect();
    let verdict = if run.pass {
        wire::Verdict::Pass
    } else {
        wire::Verdict::Fail
    };
    let mut rest = vec![
        ("options", pretty(&wire::Options::of(run), 2)),
        ("checklists", pretty(&checklists, 2)),
    ];
    if let Some(d) = wire::Digests::of(run) {
        rest.push(("digests", pretty(&d, 2)));
    }
    rest.push(("verdict", pretty(&verdict, 2)));
    rest.push(("summary", pretty(&wire::Summary::of(run), 2)));
    let mut s = String::from(if any_report { "\n  ],\n" } else { "],\n" });
    let last = rest.len() - 1;
    for (i, (key, value)) in rest.iter().enumerate() {
        let _ = writeln!(
            s,
            "  \"{key}\": {value}{}",
            if i == last { "" } else { "," }
        );
    }
    s.push_str("}\n");
    s
}

/// The stream protocol of the document, in one place for every writer of it:
/// the header comes with the first report (so a run that cannot start
/// writes nothing), separators between reports, the footer at the end (with
/// the header before it when no report came).
#[derive(Debug)]
pub struct Document {
    command: Command,
    any: bool,
}

impl Document {
    /// A document of this command's run, nothing written yet.
    #[must_use]
    pub fn new(command: Command) -> Self {
        Document {
            command,
            any: false,
        }
    }

    /// What goes before the next report's text ([`report`]).
    pub fn before_report(&mut self) -> String {
        let mut s = if self.any {
            String::new()
        } else {
            header(self.command)
        };
        s.push_str(separator(!self.any));
        self.any = true;
        s
    }

    /// What ends the document of a run that was done.
    #[must_use]
    pub fn end(self, run: &Run) -> String {
        let mut s = if self.any {
            String::new()
        } else {
            header(self.command)
        };
        s.push_str(&footer(run, self.any));
        s
    }
}

/// The whole run (its outcomes kept) as JSON text.
#[must_use]
pub fn render(run: &Run) -> String {
    let mut doc = Document::new(run.command);
    let mut s = String::new();
    for o in &run.outcomes {
        s.push_str(&doc.before_report());
        s.push_str(&report(o));
    }
    s.push_str(&doc.end(run));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

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
        assert_eq!(v["tool"]["name"], "sds");
        let empty: Value =
            serde_json::from_str(&format!("{}],\"x\":1}}", header(Command::Lint))).unwrap();
        assert_eq!(empty["reports"], json!([]));
    }
}
