//! The HTML output: one self-contained page per run, readable offline.
//!
//! For each report: the score, a bar per domain, a grid with one cell per
//! checklist item (190 for the bundled checklist) grouped by domain and
//! marked by [`ItemState`] with a colour *and* a symbol, the item's id,
//! title and state on hover and on keyboard focus; then the findings, with
//! their source lines when the run kept them ([`crate::engine::Options::keep_sources`]).
//!
//! Self-contained: inline CSS only, no script, no font, no image, no link to
//! anything outside the page; a Content-Security-Policy forbids loading
//! anything at all, so even a missed escape could not run a script. Every
//! piece of text from an input goes through [`escape`]. No wall-clock time is
//! written.

use std::collections::HashMap;
use std::fmt::Write;

use crate::engine::{Command, Run};
use crate::finding::{Finding, Severity};
use crate::outcome::{ItemState, Outcome, Points};
use crate::render::{escape_control, printable};

/// Text safe in HTML content and in quoted attribute values.
#[must_use]
pub fn escape(s: &str) -> String {
    let s = printable(&escape_control(s)).into_owned();
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STATES: [ItemState; 5] = [
    ItemState::Earned,
    ItemState::Failed,
    ItemState::Missing,
    ItemState::Waived,
    ItemState::NotApplicable,
];

/// The symbol drawn in a cell, so a state never rests on colour alone.
fn symbol(s: ItemState) -> &'static str {
    match s {
        ItemState::Earned => "✓",
        ItemState::Failed => "✗",
        ItemState::Missing => "?",
        ItemState::Waived => "W",
        ItemState::NotApplicable => "–",
    }
}

fn label(s: ItemState) -> &'static str {
    match s {
        ItemState::Earned => "earned",
        ItemState::Failed => "failed",
        ItemState::Missing => "missing",
        ItemState::Waived => "waived",
        ItemState::NotApplicable => "not applicable",
    }
}

fn describe(s: ItemState) -> &'static str {
    match s {
        ItemState::Earned => "applies; points earned",
        ItemState::Failed => "applies; has a result that does not earn its points",
        ItemState::Missing => "applies; no result",
        ItemState::Waived => "applies; all its findings are waived",
        ItemState::NotApplicable => "does not apply to this vehicle",
    }
}

fn severity_symbol(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✗",
        Severity::Warning => "!",
        Severity::Note => "i",
    }
}

// Colours: white on the dark ones and black on the light ones keep a
// contrast of at least 4.5:1; red and green also differ in symbol and
// lightness, and "not applicable" is hatched.
const CSS: &str = r#"
:root{--earned:#1a7f37;--failed:#b42318;--missing:#f5b400;--waived:#2456a6;--na:#e4e4e4;--ink:#1b1b1b;--muted:#555;--line:#d0d0d0}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff;margin:0 auto;max-width:1320px;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0 .6rem}
h2{font-size:1.25rem;margin:0 0 .3rem;word-break:break-all}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.verdict{display:inline-block;padding:.1rem .6rem;border-radius:4px;color:#fff;font-weight:700}
.verdict.pass{background:var(--earned)}.verdict.fail{background:var(--failed)}
.muted{color:var(--muted)}
table{border-collapse:collapse;margin:.4rem 0 1rem}
th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
.legend{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;list-style:none;padding:0;margin:.6rem 0 1rem}
.legend li{display:flex;align-items:center;gap:.4rem}
section.report{border-top:3px solid var(--ink);margin-top:2rem;padding-top:.8rem}
.domains{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:.8rem 1.4rem;margin:.6rem 0 1rem}
.domain h4{margin:0 0 .25rem;font-size:.9rem;display:flex;justify-content:space-between;gap:.5rem}
.domain h4 .num{font-weight:400;color:var(--muted);white-space:nowrap}
.bar{display:flex;height:10px;background:#f0f0f0;border:1px solid #bbb;border-radius:3px;overflow:hidden;margin-bottom:.35rem}
.bar.big{height:16px;max-width:560px}
.bar span{display:block;height:100%}
.bar .earned{background:var(--earned)}
.bar .waived{background:repeating-linear-gradient(45deg,var(--waived) 0 3px,#7fa3dc 3px 6px)}
.grid{display:flex;flex-wrap:wrap;gap:3px}
.grid>*,.swatch{position:relative;display:inline-flex;align-items:center;justify-content:center;width:24px;height:24px;border-radius:3px;font-size:14px;font-weight:700;line-height:1;text-decoration:none;border:1px solid rgba(0,0,0,.25);font-style:normal}
.grid>.E,.earned.swatch{background:var(--earned);color:#fff}
.grid>.F,.failed.swatch{background:var(--failed);color:#fff}
.grid>.M,.missing.swatch{background:var(--missing);color:#000}
.grid>.W,.waived.swatch{background:var(--waived);color:#fff}
.grid>.N,.not_applicable.swatch{background:repeating-linear-gradient(45deg,#f4f4f4 0 3px,#d6d6d6 3px 6px);color:#444;font-weight:400}
.grid>.E::before{content:"✓"}.grid>.F::before{content:"✗"}.grid>.M::before{content:"?"}.grid>.W::before{content:"W"}.grid>.N::before{content:"–"}
.grid>:focus{outline:3px solid #000;outline-offset:2px;z-index:20}
.grid>:hover::after,.grid>:focus::after{position:absolute;left:0;top:calc(100% + 6px);z-index:30;width:max-content;max-width:340px;background:#111;color:#fff;padding:.3rem .5rem;border-radius:4px;font:12px/1.35 system-ui,"DejaVu Sans",sans-serif;white-space:normal;text-align:left;pointer-events:none}
.report{content-visibility:auto;contain-intrinsic-size:auto 700px}
details.report>summary{font-size:1.05rem;padding:.3rem 0}
.flt{position:absolute;opacity:0;pointer-events:none}
nav.filters{position:sticky;top:0;z-index:40;background:#fff;border-bottom:1px solid var(--line);padding:.4rem 0;display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:baseline}
nav.filters label{border:1px solid var(--line);border-radius:4px;padding:.05rem .45rem;cursor:pointer;white-space:nowrap}
nav.filters .group{display:flex;flex-wrap:wrap;gap:.3rem;align-items:baseline}
.findings .finding{border-left:4px solid var(--line);padding:.35rem .7rem;margin:.5rem 0;background:#fafafa}
.finding.error{border-left-color:var(--failed)}.finding.warning{border-left-color:var(--missing)}.finding.note{border-left-color:var(--waived)}
.finding .head{display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:baseline}
.sev{font-weight:700;text-transform:uppercase;font-size:.75rem;letter-spacing:.03em}
.finding.error .sev{color:var(--failed)}.finding.warning .sev{color:#8a5a00}.finding.note .sev{color:var(--waived)}
.finding .msg{margin:.15rem 0}
.finding .help{margin:.15rem 0;color:var(--muted)}
pre.source{margin:.3rem 0 0;padding:.35rem .5rem;background:#fff;border:1px solid var(--line);overflow-x:auto}
pre.source .hit{background:#fff1b8;display:block}
pre.source .caret{display:block}
pre.source .ln{color:#888;user-select:none}
pre.source .caret{color:var(--failed);font-weight:700}
details>summary{cursor:pointer}
@media print{.grid>:hover::after,.grid>:focus::after{display:none}}
"#;

fn pct(p: &Points) -> String {
    p.percent_text(1)
}

fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        "0".to_owned()
    } else {
        format!("{:.1}", f64::from(part) * 100.0 / f64::from(whole))
    }
}

fn bar(p: &Points, class: &str, what: &str, out: &mut String) {
    let _ = write!(
        out,
        "<div class=\"{class}\" role=\"img\" aria-label=\"{}: {} of {} applicable points earned, {} waived\">",
        escape(what),
        p.earned,
        p.applicable,
        p.waived,
    );
    bar_fill(p, out);
}

/// The coloured parts of a bar (the waived part only when there is one), and its end.
fn bar_fill(p: &Points, out: &mut String) {
    let _ = write!(
        out,
        "<span class=\"earned\" style=\"width:{}%\"></span>",
        share(p.earned, p.applicable)
    );
    if p.waived > 0 {
        let _ = write!(
            out,
            "<span class=\"waived\" style=\"width:{}%\"></span>",
            share(p.waived, p.applicable)
        );
    }
    out.push_str("</div>");
}

fn header(run: &Run, out: &mut String) {
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
    out.push_str("</header>");
}

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
    for r in &run.outcomes {
        let _ = write!(
            out,
            "<tr><th>{}</th><td class=\"mono\">sha256 {}</td></tr>",
            escape(&r.path),
            escape(r.sha256.as_deref().unwrap_or("(not read)"))
        );
    }
    out.push_str("</tbody></table></details>");
}

fn legend(out: &mut String) {
    out.push_str("<ul class=\"legend\" aria-label=\"Legend of the item grid\">");
    for s in STATES {
        let _ = write!(
            out,
            "<li><span class=\"swatch {0} legend-{0}\" aria-hidden=\"true\">{1}</span><span><b>{2}</b> <span class=\"muted\">{3}</span></span></li>",
            s.as_str(),
            symbol(s),
            label(s),
            describe(s)
        );
    }
    out.push_str("</ul>");
}

/// What the filters and the grids of a page refer to by index: the
/// checklist versions (for the per-item tooltips, written once each), the
/// domains and the codes that occur.
struct Page<'a> {
    checklists: Vec<&'a crate::checklist::Checklist>,
    domains: Vec<String>,
}

impl<'a> Page<'a> {
    fn new(run: &'a Run) -> Self {
        let mut checklists: Vec<&crate::checklist::Checklist> = Vec::new();
        let mut domains: Vec<String> = Vec::new();
        for o in &run.outcomes {
            if let Some(c) = run.checklist_of(o)
                && !checklists
                    .iter()
                    .any(|k| k.id == c.id && k.version == c.version)
            {
                for item in &c.items {
                    if !domains.contains(&item.domain) {
                        domains.push(item.domain.clone());
                    }
                }
                checklists.push(c);
            }
        }
        Page {
            checklists,
            domains,
        }
    }

    fn checklist_index(&self, c: &crate::checklist::Checklist) -> Option<usize> {
        self.checklists
            .iter()
            .position(|k| k.id == c.id && k.version == c.version)
    }

    fn domain_index(&self, d: &str) -> Option<usize> {
        self.domains.iter().position(|x| x == d)
    }
}

fn code_index(c: crate::Code) -> usize {
    crate::codes::ALL.iter().position(|k| *k == c).unwrap_or(0)
}

/// A CSS string literal: quotes, backslashes, controls and `<` as escapes,
/// so no text can end the string or the style element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => {
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(out, "\\{:x} ", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The CSS written once per page: each item's tooltip (by its checklist,
/// domain and place in the domain's grid; only a hovered or focused cell
/// gets one, so 190,000 cells cost nothing until pointed at) and the rules
/// of the filters.
fn page_css(run: &Run, page: &Page<'_>, out: &mut String) {
    for (v, c) in page.checklists.iter().enumerate() {
        for (n, item) in c.items.iter().enumerate() {
            let tip = format!(
                "{} {} ({} pt{})",
                item.id,
                item.title,
                item.points,
                if item.points == 1 { "" } else { "s" }
            );
            // Keyed on the cell's own class, so a browser matches each cell
            // against its one rule, not every cell against every rule.
            let _ = writeln!(
                out,
                ".g{v} .x{n}:hover::after,.g{v} .x{n}:focus::after{{content:{}}}",
                css_string(&tip)
            );
        }
    }
    out.push_str("#f-fail:checked~main .report.pass{display:none}\n");
    out.push_str("#f-fail:checked~nav label[for=f-fail],#d-all:checked~nav label[for=d-all],#c-all:checked~nav label[for=c-all]{background:var(--ink);color:#fff}\n");
    for k in 0..page.domains.len() {
        let _ = writeln!(
            out,
            "#d-{k}:checked~main .report:not(.d{k}),#d-{k}:checked~main .domain:not(.d{k}){{display:none}}\
             #d-{k}:checked~nav label[for=d-{k}]{{background:var(--ink);color:#fff}}"
        );
    }
    for (j, _) in run
        .totals
        .per_code
        .0
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
    {
        let _ = writeln!(
            out,
            "#c-{j}:checked~main .report:not(.c{j}),#c-{j}:checked~main .finding:not(.c{j}){{display:none}}\
             #c-{j}:checked~nav label[for=c-{j}]{{background:var(--ink);color:#fff}}"
        );
    }
}

/// The filter switches (inputs, visually hidden, before everything they
/// filter) and their labels: failing reports only, one domain, one code.
/// CSS alone does the filtering: the page runs no script.
fn filters(run: &Run, page: &Page<'_>, out: &mut String) {
    out.push_str("<input type=\"checkbox\" class=\"flt\" id=\"f-fail\">");
    out.push_str("<input type=\"radio\" class=\"flt\" name=\"dom\" id=\"d-all\" checked>");
    for k in 0..page.domains.len() {
        let _ = write!(
            out,
            "<input type=\"radio\" class=\"flt\" name=\"dom\" id=\"d-{k}\">"
        );
    }
    out.push_str("<input type=\"radio\" class=\"flt\" name=\"code\" id=\"c-all\" checked>");
    let codes: Vec<(usize, crate::Code, usize)> = run
        .totals
        .per_code
        .nonzero()
        .into_iter()
        .map(|(c, n)| (code_index(c), c, n))
        .collect();
    for (j, _, _) in &codes {
        let _ = write!(
            out,
            "<input type=\"radio\" class=\"flt\" name=\"code\" id=\"c-{j}\">"
        );
    }
    out.push_str("<nav class=\"filters\" aria-label=\"Filters\"><label for=\"f-fail\">failing reports only</label>");
    out.push_str("<span class=\"group\"><b>domain</b> <label for=\"d-all\">all</label>");
    for (k, d) in page.domains.iter().enumerate() {
        let _ = write!(out, "<label for=\"d-{k}\">{}</label>", escape(d));
    }
    out.push_str("</span><span class=\"group\"><b>code</b> <label for=\"c-all\">all</label>");
    for (j, c, n) in &codes {
        let _ = write!(
            out,
            "<label for=\"c-{j}\" title=\"{}\">{} ({n})</label>",
            c.name(),
            c.as_str()
        );
    }
    out.push_str("</span></nav>");
}

/// Classes of a report for the filters: `pass`/`fail`, `dK` for each domain
/// with a problem (an applicable item that does not earn, or a finding), `cJ`
/// for each code among its findings.
fn report_classes(run: &Run, page: &Page<'_>, o: &Outcome, failing: bool) -> String {
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

fn overview(run: &Run, order: &[(usize, &Outcome, String)], out: &mut String) {
    if run.outcomes.is_empty() {
        return;
    }
    out.push_str(
        "<table><thead><tr><th>report</th><th>id</th><th>checklist</th><th>as of</th><th>score</th>\
         <th>earned / applicable</th><th>waived</th><th>errors</th><th>warnings</th><th>notes</th></tr></thead><tbody>",
    );
    for (i, o, classes) in order {
        let (score, points, waived) = match &o.score {
            Some(s) => (
                pct(&s.overall),
                format!("{} / {}", s.overall.earned, s.overall.applicable),
                s.overall.waived.to_string(),
            ),
            None => ("not scored".to_owned(), "–".to_owned(), "–".to_owned()),
        };
        let _ = write!(
            out,
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
        );
    }
    out.push_str("</tbody></table>");
}

/// The grid of one scored report, by domain, with a bar per domain. A cell
/// is one short element whose class is its state (colour and symbol by
/// CSS); a cell with a finding links to it. Its item's id and title show on
/// hover and focus, from the page's tooltip rules.
fn grid(
    run: &Run,
    page: &Page<'_>,
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
fn source(text: &str, f: &Finding, out: &mut String) {
    let line = f.span.line.max(1) as usize;
    let lines: Vec<&str> = text.lines().collect();
    if line > lines.len() {
        return;
    }
    let first = line.saturating_sub(1).max(1);
    let last = (line + 1).min(lines.len());
    let width = last.to_string().len();
    out.push_str("<pre class=\"source\">");
    for n in first..=last {
        let chars: Vec<char> = lines[n - 1].chars().collect();
        let col = if n == line {
            f.span.col.max(1) as usize - 1
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

fn findings(run: &Run, ri: usize, o: &Outcome, out: &mut String) {
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
            f.span.line.max(1),
            f.span.col.max(1),
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
        if let Some(text) = &o.source {
            source(text, f, out);
        }
        out.push_str("</div>");
    }
    out.push_str("</details>");
}

fn report(
    run: &Run,
    page: &Page<'_>,
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

/// The whole run as one self-contained HTML page, ending in a newline.
/// Failing reports come first; passing ones are collapsed.
#[must_use]
pub fn render(run: &Run) -> String {
    let page = Page::new(run);
    let mut order: Vec<(usize, &Outcome, String)> = Vec::with_capacity(run.outcomes.len());
    let mut fails = Vec::with_capacity(run.outcomes.len());
    for (i, o) in run.outcomes.iter().enumerate() {
        let failing = crate::render::report_fails(run, o);
        fails.push(failing);
        order.push((i, o, report_classes(run, &page, o, failing)));
    }
    order.sort_by_key(|(i, _, _)| !fails[*i]);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"sds ",
    );
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str("\"><title>sds report</title><style>");
    out.push_str(CSS);
    page_css(run, &page, &mut out);
    out.push_str("</style></head><body>\n");
    filters(run, &page, &mut out);
    header(run, &mut out);
    out.push_str("<main>");
    if run.command == Command::Check {
        legend(&mut out);
    }
    overview(run, &order, &mut out);
    for (ri, o, classes) in &order {
        out.push('\n');
        report(run, &page, *ri, o, classes, fails[*ri], &mut out);
    }
    out.push_str("\n</main></body></html>\n");
    out
}
