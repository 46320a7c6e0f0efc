//! One report's parts: its row in the overview, its section (score, grid,
//! findings with their source lines) and its classes for the filters.

use std::collections::HashMap;
use std::fmt::Write;

use super::page::{Page, code_index};
use super::{STATES, bar, bar_fill, escape, label, pct, severity_symbol};
use crate::engine::{Command, Run};
use crate::finding::{Finding, Severity};
use crate::outcome::{ItemState, Outcome, Points};
use crate::source::LineIndex;

/// Classes of a report for the filters: `pass`/`fail`, `dK` for each domain
/// with a problem (an applicable item that does not earn, or a finding), `cJ`
/// for each code among its findings.
pub(super) fn report_classes(run: &Run, page: &Page, o: &Outcome, failing: bool) -> String {
    let mut classes = vec![if failing {
        "fail".to_owned()
    } else {
        "pass".to_owned()
    }];
    let checklist = run.checklist_of(o);
    let mut doms: Vec<usize> = Vec::new();
    if let (Some(c), Some(score)) = (checklist, &o.score) {
        for (item, state) in c.items.iter().zip(&score.items) {
            if matches!(
                state,
                ItemState::Failed | ItemState::Missing | ItemState::Waived
            ) && let Some(k) = page.domain_index(&item.domain)
            {
                doms.push(k);
            }
        }
    }
    for f in &o.findings {
        if let Some(k) = f
            .item
            .as_deref()
            .and_then(|i| checklist.and_then(|c| c.item(i)))
            .and_then(|i| page.domain_index(&i.domain))
        {
            doms.push(k);
        }
    }
    doms.sort_unstable();
    doms.dedup();
    classes.extend(doms.iter().map(|k| format!("d{k}")));
    let mut codes: Vec<usize> = o.findings.iter().map(|f| code_index(f.code)).collect();
    codes.sort_unstable();
    codes.dedup();
    classes.extend(codes.iter().map(|j| format!("c{j}")));
    classes.join(" ")
}

/// The head of the overview table, before the reports' rows ([`overview_row`]).
pub(super) const OVERVIEW_HEAD: &str = "<table><thead><tr><th>report</th><th>id</th><th>checklist</th><th>as of</th><th>score</th>\
     <th>earned / applicable</th><th>waived</th><th>errors</th><th>warnings</th><th>notes</th></tr></thead><tbody>";

/// What closes the overview table.
pub(super) const OVERVIEW_END: &str = "</tbody></table>";

/// A report's row in the overview table at the top of the page.
pub(super) fn overview_row(i: usize, o: &Outcome, classes: &str) -> String {
    let [score, points, waived] = crate::render::score_cells(o, pct);
    format!(
        "<tr class=\"report {classes}\"><td><a href=\"#r{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{score}</td>\
         <td class=\"num\">{points}</td><td class=\"num\">{waived}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        escape(&o.path),
        escape(o.id.as_deref().unwrap_or_default()),
        o.checklist
            .as_ref()
            .map_or_else(String::new, |c| escape(&format!("{}@{}", c.id, c.version))),
        o.as_of.map(|d| d.to_string()).unwrap_or_default(),
        o.count(Severity::Error),
        o.count(Severity::Warning),
        o.count(Severity::Note),
    )
}

/// The grid of one scored report, by domain, with a bar per domain. A cell
/// is one short element whose class is its state (colour and symbol by
/// CSS); a cell with a finding links to it. Its item's id and title show on
/// hover and focus, from the page's tooltip rules.
pub(super) fn grid(
    run: &Run,
    page: &Page,
    ri: usize,
    o: &Outcome,
    anchors: &HashMap<&str, usize>,
    out: &mut String,
) {
    let Some(score) = &o.score else { return };
    let Some(checklist) = run
        .checklist_of(o)
        .filter(|c| c.items.len() == score.items.len())
    else {
        return;
    };
    let v = page.checklist_index(checklist).unwrap_or(0);
    let mut groups: Vec<(String, String, Points)> = score.domains.clone();
    for item in &checklist.items {
        if !groups.iter().any(|(id, _, _)| *id == item.domain) {
            groups.push((item.domain.clone(), item.domain.clone(), Points::default()));
        }
    }
    out.push_str("<div class=\"domains\">");
    for (id, title, points) in &groups {
        let k = page.domain_index(id).unwrap_or(0);
        let _ = write!(
            out,
            "<div class=\"domain d{k}\"><h4><span title=\"{title}\">{}</span><span class=\"num\">{} / {} · {}{}</span></h4>",
            escape(id),
            points.earned,
            points.applicable,
            pct(points),
            if points.waived > 0 {
                format!(" · {} waived", points.waived)
            } else {
                String::new()
            },
            title = escape(title),
        );
        // The numbers are in the heading; the bar is only their picture.
        out.push_str("<div class=\"bar\" aria-hidden=\"true\">");
        bar_fill(points, out);
        let mut counts = [0usize; 5];
        let mut cells = String::new();
        for (x, (item, state)) in checklist.items.iter().zip(&score.items).enumerate() {
            if item.domain != *id {
                continue;
            }
            if let Some(n) = STATES.iter().position(|s| s == state) {
                counts[n] += 1;
            }
            let letter = state.letter();
            match anchors.get(item.id.as_str()) {
                Some(f) => {
                    let _ = write!(cells, "<a class=\"{letter} x{x}\" href=#r{ri}-f{f}></a>");
                }
                None => {
                    let _ = write!(cells, "<i class=\"{letter} x{x}\"></i>");
                }
            }
        }
        let summary: Vec<String> = STATES
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", label(*s)))
            .collect();
        let _ = write!(
            out,
            "<div class=\"grid g{v}\" role=\"img\" aria-label=\"Items of {}: {}\">{cells}</div></div>",
            escape(id),
            summary.join(", ")
        );
    }
    out.push_str("</div>");
}

/// Characters shown of a long source line, around the column at fault.
const LINE_WINDOW: usize = 160;

/// The source lines around a finding: the line before, the line itself with a caret, the line after.
pub(super) fn source(text: &str, index: &LineIndex, f: &Finding, out: &mut String) {
    let line = f.at.line.max(1) as usize;
    // A text's last line break opens no line to show.
    let count = index.lines() - usize::from(text.is_empty() || text.ends_with('\n'));
    if line > count {
        return;
    }
    let first = line.saturating_sub(1).max(1);
    let last = (line + 1).min(count);
    let width = last.to_string().len();
    out.push_str("<pre class=\"source\">");
    for n in first..=last {
        let chars: Vec<char> = index.line(text, n - 1).chars().collect();
        let col = if n == line {
            f.at.col.max(1) as usize - 1
        } else {
            0
        };
        let start = if chars.len() > LINE_WINDOW {
            col.saturating_sub(LINE_WINDOW / 2)
                .min(chars.len() - LINE_WINDOW)
        } else {
            0
        };
        let end = (start + LINE_WINDOW).min(chars.len());
        let shown: String = chars[start..end].iter().collect();
        let lead = if start > 0 { "…" } else { "" };
        let tail = if end < chars.len() { "…" } else { "" };
        let gutter = format!("{n:>width$} | ");
        if n == line {
            let pad = " ".repeat(gutter.chars().count() + lead.chars().count() + col - start);
            let _ = write!(
                out,
                "<span class=\"hit\"><span class=\"ln\">{gutter}</span>{lead}{}{tail}</span><span class=\"caret\">{pad}^</span>",
                escape(&shown)
            );
        } else {
            let _ = writeln!(
                out,
                "<span class=\"ln\">{gutter}</span>{lead}{}{tail}",
                escape(&shown)
            );
        }
    }
    out.push_str("</pre>");
}

pub(super) fn findings(run: &Run, ri: usize, o: &Outcome, out: &mut String) {
    if o.findings.is_empty() {
        out.push_str("<p>No findings.</p>");
        return;
    }
    let _ = write!(
        out,
        "<details class=\"findings\" open><summary><b>{} finding(s)</b>: {} error(s), {} warning(s), {} note(s)</summary>",
        o.findings.len(),
        o.count(Severity::Error),
        o.count(Severity::Warning),
        o.count(Severity::Note),
    );
    // Indexed once per file: each finding then costs only its own lines.
    let index = o.source.as_ref().map(|text| LineIndex::new(text));
    for (fi, f) in o.findings.iter().enumerate() {
        let sev = f.severity.as_str();
        let _ = write!(
            out,
            "<div class=\"finding {sev} c{}\" id=\"r{ri}-f{fi}\"><div class=\"head\">\
             <span class=\"sev\">{} {sev}</span><span class=\"mono\">{}:{}:{}</span>\
             <b>{} {}</b>",
            code_index(f.code),
            severity_symbol(f.severity),
            escape(&o.path),
            f.at.line.max(1),
            f.at.col.max(1),
            match &run.options.link_base {
                Some(base) => format!(
                    "<a href=\"{}\">{}</a>",
                    escape(&crate::render::code_link(base, f.code)),
                    f.code.as_str()
                ),
                None => f.code.as_str().to_owned(),
            },
            f.code.name(),
        );
        if let Some(item) = &f.item {
            let _ = write!(
                out,
                "<span>item <span class=\"mono\">{}</span></span>",
                escape(item)
            );
        }
        if let Some(w) = f.waives {
            let _ = write!(out, "<span>waives {} {}</span>", w.as_str(), w.name());
        }
        if f.baselined {
            out.push_str("<span class=\"muted\">in the baseline (not gating)</span>");
        }
        let _ = write!(out, "</div><p class=\"msg\">{}</p>", escape(&f.message));
        if let Some(h) = &f.help {
            let _ = write!(out, "<p class=\"help\">help: {}</p>", escape(h));
        }
        if let Some((text, index)) = o.source.as_ref().zip(index.as_ref()) {
            source(text, index, f, out);
        }
        out.push_str("</div>");
    }
    out.push_str("</details>");
}

pub(super) fn report(
    run: &Run,
    page: &Page,
    ri: usize,
    o: &Outcome,
    classes: &str,
    failing: bool,
    out: &mut String,
) {
    // A passing report is collapsed: its summary line, the rest on demand.
    let score_text = o.score.as_ref().map_or_else(
        || "not scored".to_owned(),
        |s| format!("score {}", pct(&s.overall)),
    );
    if failing {
        let _ = write!(
            out,
            "<section class=\"report {classes}\" id=\"r{ri}\" aria-labelledby=\"r{ri}-title\"><h2 id=\"r{ri}-title\">{}</h2><p class=\"muted\">",
            escape(&o.path)
        );
    } else {
        let _ = write!(
            out,
            "<details class=\"report {classes}\" id=\"r{ri}\"><summary><b>{}</b> <span class=\"muted\">passes · {score_text} · {}</span></summary><p class=\"muted\">",
            escape(&o.path),
            plural_findings(o.findings.len())
        );
    }
    let mut facts = Vec::new();
    if let Some(id) = &o.id {
        facts.push(format!("report {}", escape(id)));
    }
    if let Some(c) = &o.checklist {
        facts.push(format!("against {}@{}", escape(&c.id), escape(&c.version)));
    }
    if let Some(d) = o.as_of {
        facts.push(format!("as of {d}"));
    }
    if let Some(sha) = &o.sha256 {
        facts.push(format!(
            "sha256 <span class=\"mono\">{}</span>",
            escape(sha)
        ));
    }
    out.push_str(&facts.join(" · "));
    out.push_str("</p>");
    match &o.score {
        Some(s) => {
            let p = &s.overall;
            let _ = write!(
                out,
                "<p><b>Score {}</b>: {} of {} applicable points earned, {} waived; the checklist totals {}.</p>",
                pct(p),
                p.earned,
                p.applicable,
                p.waived,
                p.total
            );
            bar(p, "bar big", "overall", out);
            // The first finding of each item, for the cells to link to.
            let mut anchors: HashMap<&str, usize> = HashMap::new();
            for (fi, f) in o.findings.iter().enumerate() {
                if let Some(i) = &f.item {
                    anchors.entry(i.as_str()).or_insert(fi);
                }
            }
            grid(run, page, ri, o, &anchors, out);
        }
        None if run.command == Command::Check => {
            out.push_str("<p><b>not scored</b>: the report could not be checked.</p>");
        }
        None => {}
    }
    findings(run, ri, o, out);
    out.push_str(if failing { "</section>" } else { "</details>" });
}

fn plural_findings(n: usize) -> String {
    format!("{n} finding{}", if n == 1 { "" } else { "s" })
}
