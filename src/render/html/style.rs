//! What a page writes once, before its reports: the style sheet, each item's
//! tooltip, the filters and the legend.

use std::fmt::Write;

use super::page::{Page, code_index};
use super::{STATES, describe, escape, label, symbol};
use crate::engine::Run;

// Colours: white on the dark ones and black on the light ones keep a
// contrast of at least 4.5:1; red and green also differ in symbol and
// lightness, and "not applicable" is hatched.
pub(super) const CSS: &str = r#"
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
pub(super) fn page_css(run: &Run, page: &Page, out: &mut String) {
    for (v, c) in page.checklists(run) {
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
pub(super) fn filters(run: &Run, page: &Page, out: &mut String) {
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

pub(super) fn legend(out: &mut String) {
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
