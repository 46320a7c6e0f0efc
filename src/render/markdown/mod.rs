//! The Markdown output: a summary for pull requests and CI job summaries
//! (GitHub-flavoured Markdown, e.g. `$GITHUB_STEP_SUMMARY`).
//!
//! Layout: the verdict and why; a table of reports (score, earned /
//! applicable, waived, findings by severity), failing reports first; per
//! checklist a compact table of points per domain (one row per report, one
//! column per domain); then per report a table of findings, each linked as
//! `[path:line](path#Lline)` relative to the working folder, collapsed in
//! `<details>` beyond [`COLLAPSE_OVER`] rows. With `--link-base`, each code
//! links to its entry in the findings reference.
//!
//! A size budget ([`DEFAULT_BUDGET`], under GitHub's 1 MiB step-summary
//! limit; `--markdown-limit` for a pull-request comment's 65,536
//! characters) is spent in order of importance: the verdict, the rows of
//! failing reports, their findings, then passing reports and the points per
//! domain. What does not fit is counted in a closing notice, never cut
//! mid-row, so the document stays valid Markdown.
//!
//! Text from reports is escaped for table cells: `|` as `\|`, line breaks as
//! `<br>`, and `<`, `>`, `&` as entities, so a report cannot inject markup or
//! break a table. Inside a code span (`` `…` ``) nothing is an entity in
//! Markdown, so there text is kept as written (only `|` escaped and line
//! breaks made spaces). No wall-clock time is written.

use std::fmt::Write;

use crate::engine::Run;
use crate::finding::Severity;
use crate::outcome::{Outcome, Points};
use crate::render::{code_link, escape_control, printable, uri};

mod document;

pub use document::{MarkdownWriter, render, render_within};

/// The default size budget in bytes: GitHub's step summary takes at most
/// 1 MiB (1,048,576 bytes); this leaves room for what else a job writes.
pub const DEFAULT_BUDGET: usize = 1_000_000;

/// Bytes kept back for the closing notice of what was left out.
const NOTICE_RESERVE: usize = 600;

/// Tables with more rows than this are collapsed in `<details>`.
pub const COLLAPSE_OVER: usize = 20;

/// Text safe in a table cell (and in running text): no markup, no `|`, one
/// line; code spans (a run of backticks to the next run of the same length)
/// are kept as code.
#[must_use]
pub fn cell(s: &str) -> String {
    // Line breaks become `<br>` below; every other control character and
    // bidirectional override is shown escaped, as in the human format.
    let s = printable(s);
    let s = s
        .split('\n')
        .map(|l| escape_control(l.strip_suffix('\r').unwrap_or(l)))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(start) = rest.find('`') {
        text(&rest[..start], &mut out);
        let after = &rest[start..];
        let ticks = after.len() - after.trim_start_matches('`').len();
        let body = &after[ticks..];
        if let Some(end) = closing(body, ticks) {
            out.push_str(&after[..ticks]);
            code(&body[..end], &mut out);
            out.push_str(&after[..ticks]);
            rest = &body[end + ticks..];
        } else {
            // No closing run: the backticks are plain text.
            out.push_str(&"\\`".repeat(ticks));
            rest = body;
        }
    }
    text(rest, &mut out);
    out
}

/// Where the run of exactly `ticks` backticks closing a code span starts in `body`.
fn closing(body: &str, ticks: usize) -> Option<usize> {
    let b = body.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let run = b[i..].iter().take_while(|&&c| c == b'`').count();
            if run == ticks {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Running text: entities for `<`, `>`, `&`; `\|`; `<br>` for a line break.
fn text(s: &str, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
}

/// The inside of a code span: literal, but a table cell still needs `\|`,
/// and a code span cannot hold a line break.
fn code(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// A link to a line of a file, relative to the working folder: `[path:line](path#Lline)`.
fn link(path: &str, line: u32) -> String {
    let text = cell(path).replace('[', "\\[").replace(']', "\\]");
    format!("[{text}:{line}]({}#L{line})", uri(path))
}

fn pct(p: &Points) -> String {
    p.percent_text(1)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Opens a collapsed section when `rows` is over the limit; returns whether it did.
fn open_details(out: &mut String, rows: usize, summary: &str) -> bool {
    if rows > COLLAPSE_OVER {
        let _ = writeln!(out, "<details><summary>{summary}</summary>\n");
        true
    } else {
        false
    }
}

fn verdict(run: &Run, out: &mut String) {
    let command = run.command.as_str();
    let _ = writeln!(
        out,
        "## sds {command}: {}\n",
        if run.pass { "PASS" } else { "FAIL" }
    );
    if run.pass {
        out.push_str("The gate passes.\n\n");
    } else {
        out.push_str("The gate fails:\n\n");
        for r in &run.reasons {
            let _ = writeln!(out, "- {}", cell(r));
        }
        out.push('\n');
    }
    let line = run.inputs_line();
    let _ = writeln!(out, "{}{}.\n", line[..1].to_uppercase(), &line[1..]);
    let mut context = Vec::new();
    if !run.checklists.is_empty() {
        let list: Vec<String> = run
            .checklists
            .iter()
            .map(|c| format!("{}@{}", cell(&c.id), cell(&c.version)))
            .collect();
        context.push(format!("checklists {}", list.join(", ")));
    }
    let o = &run.options;
    if let Some(d) = o.as_of {
        context.push(format!("as of {d}"));
    }
    context.push(format!("--fail-on {}", o.fail_on.as_str()));
    if let Some(m) = o.min_score {
        context.push(format!("--min-score {m}"));
    }
    if o.verify_evidence {
        context.push("--verify-evidence".to_owned());
    }
    if let Some(w) = &o.waivers {
        context.push(format!("--waivers {}", cell(&w.to_string_lossy())));
    }
    if let Some(b) = &o.baseline {
        context.push(format!("--baseline {}", cell(&b.to_string_lossy())));
    }
    let _ = writeln!(
        out,
        "<sub>sds {}; {}</sub>\n",
        env!("CARGO_PKG_VERSION"),
        context.join("; ")
    );
    for (path, why) in &run.skipped {
        let _ = writeln!(out, "- skipped {}: {}", cell(path), cell(why));
    }
    if !run.skipped.is_empty() {
        out.push('\n');
    }
}

/// A code, linked to the findings reference when `--link-base` is set.
fn code_cell(run: &Run, code: crate::Code) -> String {
    match &run.options.link_base {
        Some(base) => format!(
            "[{}]({}) {}",
            code.as_str(),
            code_link(base, code).replace(')', "%29"),
            code.name()
        ),
        None => format!("{} {}", code.as_str(), code.name()),
    }
}

fn report_row(o: &Outcome) -> String {
    let [score, points, waived] = crate::render::score_cells(o, pct);
    format!(
        "| {} | {} | {} | {} | {score} | {points} | {waived} | {} | {} | {} |\n",
        cell(&o.path),
        o.id.as_deref().map_or_else(String::new, cell),
        o.checklist
            .as_ref()
            .map_or_else(String::new, |c| cell(&format!("{}@{}", c.id, c.version))),
        o.as_of.map(|d| d.to_string()).unwrap_or_default(),
        o.count(Severity::Error),
        o.count(Severity::Warning),
        o.count(Severity::Note),
    )
}

fn finding_row(run: &Run, o: &Outcome, f: &crate::finding::Finding) -> String {
    let line = f.at.line.max(1);
    let mut message = cell(&f.message);
    if let Some(w) = f.waives {
        let _ = write!(message, " (waives {} {})", w.as_str(), w.name());
    }
    if let Some(h) = &f.help {
        let _ = write!(message, "<br>help: {}", cell(h));
    }
    format!(
        "| {} | {} | {}{} | {} | {message} |\n",
        link(&o.path, line),
        code_cell(run, f.code),
        f.severity,
        if f.baselined { " (baseline)" } else { "" },
        f.item.as_deref().map_or_else(String::new, cell),
    )
}
