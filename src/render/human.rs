//! The human format: each finding as a miette diagnostic with the source
//! lines and a label on the node at fault, then a points summary per report
//! and per domain. miette lives only here.

use std::fmt::Write;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic};

use crate::engine::{Command, Run};
use crate::finding::{Finding, Severity};
use crate::outcome::{Outcome, Points};
use crate::render::escape_control;
use crate::source::LineIndex;

mod snippet;

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colour (only on a terminal, never with NO_COLOR).
    pub color: bool,
    /// Width to wrap at.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    }
}

/// Longest text (message, label, help) shown in full; the JSON output keeps
/// the rest. A message quoting a megabyte-long value would otherwise be
/// wrapped and printed whole for every finding that quotes it.
const MAX_TEXT: usize = 2000;

/// Input-derived text as it is printed: control characters escaped, and cut
/// to [`MAX_TEXT`] characters with a note of how much was left out.
fn shown(s: &str) -> String {
    let escaped = escape_control(s);
    match escaped.char_indices().nth(MAX_TEXT) {
        None => escaped.into_owned(),
        Some((cut, _)) => format!(
            "{}… ({} more characters)",
            &escaped[..cut],
            escaped[cut..].chars().count()
        ),
    }
}

/// A finding without its source lines: `path:line:col: message` in the
/// diagnostic, as when the file's text is not at hand.
fn without_snippet(f: &Finding, path: &str, diag: &mut MietteDiagnostic) {
    diag.message = format!(
        "{}:{}:{}: {}",
        escape_control(path),
        f.at.line,
        f.at.col,
        shown(&f.message)
    );
}

/// One finding, rendered against its file's text (or without a snippet when the text is not at hand).
///
/// Indexes the file's lines on each call; to render many findings of one
/// file, [`report`] indexes it once.
#[must_use]
pub fn finding(
    f: &Finding,
    path: &str,
    source: Option<&std::sync::Arc<str>>,
    style: Style,
) -> String {
    let index = source.map(|s| LineIndex::new(s));
    finding_with(f, path, source.zip(index.as_ref()), style)
}

fn finding_with(
    f: &Finding,
    path: &str,
    source: Option<(&std::sync::Arc<str>, &LineIndex)>,
    style: Style,
) -> String {
    let label = f.label.clone().unwrap_or_else(|| match f.waives {
        Some(code) => format!("{} waived", code.name()),
        None => f.code.name().to_owned(),
    });
    let mut diag = MietteDiagnostic::new(shown(&f.message))
        .with_code(format!("{}({})", f.code.as_str(), f.code.name()))
        .with_severity(severity(f.severity));
    if let Some(h) = &f.help {
        diag = diag.with_help(shown(h));
    }
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    let window = source.and_then(|(text, lines)| {
        snippet::Snippet::cut(text, lines, f.span, f.at, &escape_control(path))
    });
    let rendered = if let Some(window) = window {
        diag = diag.with_labels(vec![LabeledSpan::new(
            Some(shown(&label)),
            window.label.0,
            window.label.1,
        )]);
        let report = miette::Report::new(diag).with_source_code(window);
        handler.render_report(&mut out, report.as_ref())
    } else {
        without_snippet(f, path, &mut diag);
        handler.render_report(&mut out, &diag)
    };
    if rendered.is_err() {
        out = format!(
            "{}:{}:{}: {} {}: {}\n",
            escape_control(path),
            f.at.line,
            f.at.col,
            f.severity,
            f.code,
            shown(&f.message)
        );
    }
    out
}

fn pct(p: &Points) -> String {
    p.percent_text(1)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn counts(errors: usize, warnings: usize, notes: usize) -> String {
    format!(
        "{}, {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(notes, "note")
    )
}

/// The summary lines of one outcome.
fn outcome_summary(o: &Outcome, command: Command, out: &mut String) {
    let n = counts(
        o.count(Severity::Error),
        o.count(Severity::Warning),
        o.count(Severity::Note),
    );
    let _ = write!(out, "{}", escape_control(&o.path));
    if let Some(id) = &o.id {
        let _ = write!(out, " — report {}", escape_control(id));
    }
    if let Some(c) = &o.checklist {
        let _ = write!(
            out,
            " against {}@{}",
            escape_control(&c.id),
            escape_control(&c.version)
        );
    }
    if let Some(d) = o.as_of {
        let _ = write!(out, " (as of {d})");
    }
    let _ = writeln!(out);
    match &o.score {
        Some(s) => {
            let p = &s.overall;
            let _ = writeln!(
                out,
                "  score: {}/{} applicable points earned ({}), {} waived; the checklist totals {}; {n}",
                p.earned,
                p.applicable,
                pct(p),
                p.waived,
                p.total
            );
            let _ = writeln!(
                out,
                "  {:<10} {:>8} {:>10} {:>7} {:>7}",
                "domain", "earned", "applicable", "waived", "score"
            );
            for (id, _title, d) in &s.domains {
                let _ = writeln!(
                    out,
                    "  {:<10} {:>8} {:>10} {:>7} {:>7}",
                    escape_control(id),
                    d.earned,
                    d.applicable,
                    d.waived,
                    if d.applicable == 0 {
                        "n/a".to_owned()
                    } else {
                        pct(d)
                    }
                );
            }
        }
        None if command == Command::Check => {
            let _ = writeln!(out, "  not scored: the report could not be checked; {n}");
        }
        None => {
            let _ = writeln!(out, "  {n}");
        }
    }
}

/// One outcome: its findings with their source lines, then its points.
#[must_use]
pub fn report(o: &Outcome, command: Command, style: Style) -> String {
    let mut out = String::new();
    // The line index is built once per file, so each finding costs only its
    // own few lines: the whole report renders in time linear in its findings.
    let index = o.source.as_ref().map(|s| LineIndex::new(s));
    for f in o.findings.iter().filter(|f| !f.baselined) {
        out.push_str(&finding_with(
            f,
            &o.path,
            o.source.as_ref().zip(index.as_ref()),
            style,
        ));
        out.push('\n');
    }
    outcome_summary(o, command, &mut out);
    let old: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.baselined)
        .map(|f| {
            format!(
                "{}:{}:{} {} {}",
                escape_control(&o.path),
                f.at.line,
                f.at.col,
                f.code,
                escape_control(f.item.as_deref().unwrap_or(""))
            )
        })
        .collect();
    if !old.is_empty() {
        let _ = writeln!(
            out,
            "  {} in the baseline (not gating):",
            plural(old.len(), "finding")
        );
        for line in old {
            let _ = writeln!(out, "    {line}");
        }
    }
    out.push('\n');
    out
}

/// The whole run (its outcomes kept).
#[must_use]
pub fn render(run: &Run, style: Style) -> String {
    let mut out: String = run
        .outcomes
        .iter()
        .map(|o| report(o, run.command, style))
        .collect();
    out.push_str(&footer(run));
    out
}

/// The end of the output: files found, checked and skipped, totals, verdict.
#[must_use]
pub fn footer(run: &Run) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", run.inputs_only());
    for (path, why) in &run.skipped {
        let _ = writeln!(
            out,
            "  skipped {}: {}",
            escape_control(path),
            escape_control(why)
        );
    }
    let _ = writeln!(
        out,
        "{}",
        counts(
            run.count(Severity::Error),
            run.count(Severity::Warning),
            run.count(Severity::Note)
        )
    );
    if run.totals.baselined > 0 {
        let _ = writeln!(
            out,
            "{} in the baseline, not gating",
            plural(run.totals.baselined, "finding")
        );
    }
    if let Some(b) = &run.baseline
        && !b.stale.is_empty()
    {
        let _ = writeln!(
            out,
            "{} of the baseline no longer occur:",
            if b.stale.len() == 1 {
                "1 entry".to_owned()
            } else {
                format!("{} entries", b.stale.len())
            }
        );
        for k in &b.stale {
            let what = k.item.as_deref().or(k.pointer.as_deref()).unwrap_or("-");
            let _ = writeln!(
                out,
                "  {} {} {}",
                escape_control(&k.report),
                escape_control(what),
                k.code
            );
        }
    }
    if run.pass {
        let _ = writeln!(out, "gate: PASS");
    } else {
        let _ = writeln!(
            out,
            "gate: FAIL ({})",
            escape_control(&run.reasons.join("; "))
        );
    }
    out
}
