//! The gitlab format: a GitLab Code Quality report (a subset of the Code
//! Climate issue format), so findings show in the merge request widget and
//! on the diff. One JSON array, one object per finding:
//!
//! - `description`: `SDS031 threshold-violated: <message>`;
//! - `check_name`: the code;
//! - `fingerprint`: the sha256 of the finding's meaning key (report id,
//!   item, code; see [`crate::render::sarif::fingerprints`]), never its
//!   line, so moving lines does not make "new" issues;
//! - `severity`: `major` for an error, `minor` for a warning, `info` for a
//!   note (GitLab's scale is info, minor, major, critical, blocker);
//! - `location.path` (relative to the working folder, which CI runs in:
//!   the repository root) and `location.lines.begin`.
//!
//! Findings already in the `--baseline` are left out. The array is written
//! as a stream: `[`, each report's objects as it is checked, `]`.

use serde_json::{Value, json};

use crate::engine::Run;
use crate::finding::Severity;
use crate::outcome::Outcome;

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

/// The issues of one report.
#[must_use]
pub fn issues(o: &Outcome) -> Vec<Value> {
    let prints = crate::render::sarif::fingerprints(o);
    let path = o.path.replace('\\', "/");
    let path = path.trim_start_matches("./");
    o.findings
        .iter()
        .zip(prints)
        .filter(|(f, _)| !f.baselined)
        .map(|(f, fingerprint)| {
            json!({
                "type": "issue",
                "description": format!("{} {}: {}", f.code, f.code.name(), f.message),
                "check_name": f.code.as_str(),
                "fingerprint": fingerprint,
                "severity": severity(f.severity),
                "location": {"path": path, "lines": {"begin": f.at.line.max(1)}},
            })
        })
        .collect()
}

/// One report's issues as array elements, each after `,\n` except the very
/// first of the document (`first` says whether none was written yet).
/// Returns the text and whether it wrote any element.
#[must_use]
pub fn report(o: &Outcome, first: bool) -> (String, bool) {
    let mut s = String::new();
    let mut first = first;
    let list = issues(o);
    let wrote = !list.is_empty();
    for v in list {
        s.push_str(if first { "\n  " } else { ",\n  " });
        s.push_str(&serde_json::to_string(&v).unwrap_or_default());
        first = false;
    }
    (s, wrote)
}

/// The start of the document.
pub const HEADER: &str = "[";

/// The end of the document (`any` says whether an element was written).
#[must_use]
pub fn footer(any: bool) -> &'static str {
    if any { "\n]\n" } else { "]\n" }
}

/// The array's protocol, in one place for every writer of it: opened with
/// the first report (so a run that cannot start writes nothing), a comma
/// before every issue but the first, closed at the end.
#[derive(Debug, Default)]
pub struct Document {
    started: bool,
    any: bool,
}

impl Document {
    /// One report's issues, with the opening of the array before the first report.
    pub fn report(&mut self, o: &Outcome) -> String {
        let mut s = if self.started {
            String::new()
        } else {
            HEADER.to_owned()
        };
        self.started = true;
        let (text, wrote) = report(o, !self.any);
        s.push_str(&text);
        self.any |= wrote;
        s
    }

    /// What ends the document of a run that was done.
    #[must_use]
    pub fn end(self) -> String {
        let open = if self.started { "" } else { HEADER };
        format!("{open}{}", footer(self.any))
    }
}

/// The whole run (its outcomes kept).
#[must_use]
pub fn render(run: &Run) -> String {
    let mut doc = Document::default();
    let mut s: String = run.outcomes.iter().map(|o| doc.report(o)).collect();
    s.push_str(&doc.end());
    s
}
