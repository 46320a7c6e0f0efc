//! The Markdown output: a summary for pull requests and CI job summaries
//! (GitHub-flavoured Markdown, e.g. `$GITHUB_STEP_SUMMARY`).
//!
//! Layout: the verdict and why; a table of reports (score, earned /
//! applicable, waived, findings by severity); per checklist a compact table
//! of points per domain (one row per report, one column per domain); then per
//! report a table of findings, each linked as `[path:line](path#Lline)`
//! relative to the working folder, collapsed in `<details>` beyond
//! [`COLLAPSE_OVER`] rows.
//!
//! Text from reports is escaped for table cells: `|` as `\|`, line breaks as
//! `<br>`, and `<`, `>`, `&` as entities, so a report cannot inject markup or
//! break a table. No wall-clock time is written.

use std::fmt::Write;

use crate::engine::Run;
use crate::finding::Severity;
use crate::outcome::{Outcome, Points};
use crate::render::{printable, uri};

/// Tables with more rows than this are collapsed in `<details>`.
pub const COLLAPSE_OVER: usize = 20;

/// Text safe in a table cell (and in running text): no markup, no `|`, one line.
#[must_use]
pub fn cell(s: &str) -> String {
    let s = printable(s);
    let mut out = String::with_capacity(s.len());
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
    out
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

fn close_details(out: &mut String, opened: bool) {
    if opened {
        out.push_str("\n</details>\n");
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

fn reports_table(run: &Run, out: &mut String) {
    if run.outcomes.is_empty() {
        return;
    }
    out.push_str("### Reports\n\n");
    let opened = open_details(
        out,
        run.outcomes.len(),
        &plural(run.outcomes.len(), "report"),
    );
    out.push_str("| report | id | checklist | as of | score | earned / applicable | waived | errors | warnings | notes |\n");
    out.push_str("|---|---|---|---|--:|--:|--:|--:|--:|--:|\n");
    for o in &run.outcomes {
        let (score, points, waived) = match &o.score {
            Some(s) => (
                pct(&s.overall),
                format!("{} / {}", s.overall.earned, s.overall.applicable),
                s.overall.waived.to_string(),
            ),
            None => ("not scored".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {score} | {points} | {waived} | {} | {} | {} |",
            cell(&o.path),
            o.id.as_deref().map_or_else(String::new, cell),
            o.checklist
                .as_ref()
                .map_or_else(String::new, |c| cell(&format!("{}@{}", c.id, c.version))),
            o.as_of.map(|d| d.to_string()).unwrap_or_default(),
            o.count(Severity::Error),
            o.count(Severity::Warning),
            o.count(Severity::Note),
        );
    }
    close_details(out, opened);
    out.push('\n');
}

/// Per checklist: one row per report, one column per domain, `earned/applicable` in each cell.
fn domains_tables(run: &Run, out: &mut String) {
    let mut groups: Vec<(String, Vec<&Outcome>)> = Vec::new();
    for o in &run.outcomes {
        let (Some(c), Some(_)) = (&o.checklist, &o.score) else {
            continue;
        };
        let label = format!("{}@{}", c.id, c.version);
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, v)) => v.push(o),
            None => groups.push((label, vec![o])),
        }
    }
    for (label, outcomes) in groups {
        let Some(domains) = outcomes[0].score.as_ref().map(|s| &s.domains) else {
            continue;
        };
        let _ = writeln!(out, "### Points per domain ({})\n", cell(&label));
        let names: Vec<String> = domains
            .iter()
            .map(|(id, title, _)| format!("{} {}", cell(id), cell(title)))
            .collect();
        let _ = writeln!(
            out,
            "Earned / applicable points (+ waived). {}.\n",
            names.join(", ")
        );
        let opened = open_details(out, outcomes.len(), &plural(outcomes.len(), "report"));
        out.push_str("| report |");
        for (id, _, _) in domains {
            let _ = write!(out, " {} |", cell(id));
        }
        out.push_str("\n|---|");
        out.push_str(&"--:|".repeat(domains.len()));
        out.push('\n');
        for o in outcomes {
            let _ = write!(out, "| {} |", cell(&o.path));
            for (id, _, _) in domains {
                let p = o
                    .score
                    .as_ref()
                    .and_then(|s| s.domains.iter().find(|(d, _, _)| d == id))
                    .map(|(_, _, p)| *p);
                let text = match p {
                    Some(p) if p.applicable == 0 => "–".to_owned(),
                    Some(p) if p.waived > 0 => {
                        format!("{}/{} (+{})", p.earned, p.applicable, p.waived)
                    }
                    Some(p) => format!("{}/{}", p.earned, p.applicable),
                    None => String::new(),
                };
                let _ = write!(out, " {text} |");
            }
            out.push('\n');
        }
        close_details(out, opened);
        out.push('\n');
    }
}

fn findings_tables(run: &Run, out: &mut String) {
    let with: Vec<&Outcome> = run
        .outcomes
        .iter()
        .filter(|o| !o.findings.is_empty())
        .collect();
    out.push_str("### Findings\n\n");
    if with.is_empty() {
        out.push_str("No findings.\n");
        return;
    }
    for o in with {
        let title = format!(
            "{} — {}",
            cell(&o.path),
            plural(o.findings.len(), "finding")
        );
        let opened = open_details(out, o.findings.len(), &title);
        if !opened {
            let _ = writeln!(out, "#### {title}\n");
        }
        out.push_str("| location | code | severity | item | message |\n");
        out.push_str("|---|---|---|---|---|\n");
        for f in &o.findings {
            let line = f.span.line.max(1);
            let mut message = cell(&f.message);
            if let Some(w) = f.waives {
                let _ = write!(message, " (waives {} {})", w.as_str(), w.name());
            }
            if let Some(h) = &f.help {
                let _ = write!(message, "<br>help: {}", cell(h));
            }
            let _ = writeln!(
                out,
                "| {} | {} {} | {}{} | {} | {message} |",
                link(&o.path, line),
                f.code.as_str(),
                f.code.name(),
                f.severity,
                if f.baselined { " (baseline)" } else { "" },
                f.item.as_deref().map_or_else(String::new, cell),
            );
        }
        close_details(out, opened);
        out.push('\n');
    }
}

/// The whole run as GitHub-flavoured Markdown, ending in a newline.
#[must_use]
pub fn render(run: &Run) -> String {
    let mut out = String::new();
    verdict(run, &mut out);
    reports_table(run, &mut out);
    domains_tables(run, &mut out);
    findings_tables(run, &mut out);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
