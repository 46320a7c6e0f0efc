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

mod head;
mod page;
mod report;
mod style;

use std::fmt::Write;
use std::io;

use crate::engine::{Command, Run};
use crate::finding::Severity;
use crate::outcome::{ItemState, Outcome, Points};
use crate::render::spool::Spool;
use crate::render::{Streamed, escape_control, printable};
use head::{HEADER_END, audit_row, header};
use page::Page;
use report::{OVERVIEW_END, OVERVIEW_HEAD, overview_row, report, report_classes};
use style::{CSS, filters, legend, page_css};

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

/// The HTML page, written report by report: each report's overview row,
/// audit row and section are rendered as it is checked and spooled; the
/// page (whose head needs the whole run's figures, and which puts failing
/// reports first) is assembled at the end.
pub struct Writer {
    page: Page,
    failing: Vec<bool>,
    rows: Spool,
    audit: Spool,
    sections: Spool,
}

impl Writer {
    /// A page spooled to temporary files.
    ///
    /// # Errors
    /// When no temporary file can be created.
    pub fn new() -> io::Result<Self> {
        Ok(Writer {
            page: Page::default(),
            failing: Vec::new(),
            rows: Spool::new()?,
            audit: Spool::new()?,
            sections: Spool::new()?,
        })
    }

    fn in_memory() -> Self {
        Writer {
            page: Page::default(),
            failing: Vec::new(),
            rows: Spool::in_memory(),
            audit: Spool::in_memory(),
            sections: Spool::in_memory(),
        }
    }
}

impl Streamed for Writer {
    fn push(&mut self, run: &Run, o: &Outcome) -> io::Result<()> {
        let ri = self.failing.len();
        self.page.add(run, o);
        let failing = crate::render::report_fails(run, o);
        let classes = report_classes(run, &self.page, o, failing);
        self.rows.push(&overview_row(ri, o, &classes))?;
        self.audit.push(&audit_row(o))?;
        let mut section = String::with_capacity(16 * 1024);
        report(run, &self.page, ri, o, &classes, failing, &mut section);
        self.sections.push(&section)?;
        self.failing.push(failing);
        Ok(())
    }

    fn finish(mut self: Box<Self>, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        // Failing reports first, each group in input order.
        let order: Vec<usize> = (0..self.failing.len())
            .filter(|i| self.failing[*i])
            .chain((0..self.failing.len()).filter(|i| !self.failing[*i]))
            .collect();
        let mut head = String::with_capacity(64 * 1024);
        head.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"generator\" content=\"sds ",
        );
        head.push_str(env!("CARGO_PKG_VERSION"));
        head.push_str("\"><title>sds report</title><style>");
        head.push_str(CSS);
        page_css(run, &self.page, &mut head);
        head.push_str("</style></head><body>\n");
        filters(run, &self.page, &mut head);
        header(run, &mut head);
        out.write_all(head.as_bytes())?;
        self.audit.copy_all(out)?;
        out.write_all(HEADER_END.as_bytes())?;
        out.write_all(b"<main>")?;
        if run.command == Command::Check {
            let mut legend_text = String::new();
            legend(&mut legend_text);
            out.write_all(legend_text.as_bytes())?;
        }
        if !order.is_empty() {
            out.write_all(OVERVIEW_HEAD.as_bytes())?;
            for &i in &order {
                self.rows.copy(i, out)?;
            }
            out.write_all(OVERVIEW_END.as_bytes())?;
        }
        for &i in &order {
            out.write_all(b"\n")?;
            self.sections.copy(i, out)?;
        }
        out.write_all(b"\n</main></body></html>\n")
    }
}

/// The whole run as one self-contained HTML page, ending in a newline.
/// Failing reports come first; passing ones are collapsed.
#[must_use]
pub fn render(run: &Run) -> String {
    crate::render::render_kept(run, Box::new(Writer::in_memory()))
}
