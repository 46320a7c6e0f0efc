//! The JUnit XML output, for CI test-report views (GitLab, Jenkins, Azure
//! DevOps, GitHub test-reporter actions).
//!
//! Wire format: valid against Apache Ant's JUnit schema (the strict one most
//! consumers accept), hence the attributes and elements it requires even where
//! `sds` has nothing to say (`hostname`, `time`, an empty `system-err`):
//!
//! - `<testsuites>` holds one `<testsuite>` per input, in input order; `name`
//!   is the report's path, `id` its index, `package` the checklist it
//!   resolved to (`sds@1.1.0`, or `sds` when it resolved to none).
//! - `timestamp` is the date the report was judged at (its as-of date) at
//!   00:00:00, or `--as-of`, or 1970-01-01 when neither is known: never the
//!   wall clock, so the same inputs give byte-identical output. `time` is 0.
//! - `<properties>`: the audit trail (tool version, report id and sha256,
//!   checklist and its sha256, as-of date, options that change the verdict)
//!   and the score.
//! - One `<testcase>` per applicable checklist item (`classname` the item's
//!   domain, `name` "ITEM-ID title"), in checklist order: `<failure type=CODE>`
//!   when the item does not earn its points (failed or missing; the type is
//!   the code of its first error finding), with each finding of the item in
//!   the body; `<skipped>` when all its findings are waived; nothing else when
//!   it earns its points.
//! - Findings that belong to no applicable item (a schema violation, an
//!   unknown item, an expired waiver ...) add one more testcase, classname
//!   `report`, failing when one of them is an error; a report that could not
//!   be checked (no score) is that one testcase alone, with an `<error>`.
//!   Findings already in the `--baseline` do not make these fail.
//! - `<system-out>` lists every finding of the report, whatever its severity,
//!   so warnings and notes on passing items are not lost.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::engine::{Command, Run};
use crate::finding::{Finding, Severity};
use crate::outcome::{ItemState, Outcome};
use crate::render::spool::Spool;
use crate::render::{Streamed, escape_control, printable};

type Xml = Writer<Vec<u8>>;

/// An attribute value: printable, on one line (parsers would turn line breaks into spaces anyway).
fn attr(s: &str) -> String {
    printable(&escape_control(s)).into_owned()
}

/// `path:line:column`.
fn at(path: &str, f: &Finding) -> String {
    format!(
        "{}:{}:{}",
        escape_control(path),
        f.at.line.max(1),
        f.at.col.max(1)
    )
}

/// One finding as a block of the failure body.
fn describe(f: &Finding, path: &str, out: &mut String) {
    let _ = write!(
        out,
        "{} {} ({}): {}\n  at {}",
        f.code.as_str(),
        f.code.name(),
        f.severity,
        escape_control(&f.message),
        at(path, f)
    );
    if let Some(item) = &f.item {
        let _ = write!(out, "\n  item: {}", escape_control(item));
    }
    if let Some(w) = f.waives {
        let _ = write!(out, "\n  waives: {} {}", w.as_str(), w.name());
    }
    if f.baselined {
        out.push_str("\n  in the baseline (not gating)");
    }
    if let Some(h) = &f.help {
        let _ = write!(out, "\n  help: {}", escape_control(h));
    }
    out.push('\n');
}

fn body(findings: &[&Finding], path: &str) -> String {
    let mut s = String::new();
    for f in findings {
        describe(f, path, &mut s);
    }
    s
}

/// What a testcase holds besides its name.
enum Verdict {
    Pass,
    /// `<failure>` or `<error>` (`error: true`): message, type, body.
    Fail {
        error: bool,
        message: String,
        kind: String,
        body: String,
    },
    /// `<skipped>`: message, body.
    Skipped {
        message: String,
        body: String,
    },
}

struct Case {
    classname: String,
    name: String,
    verdict: Verdict,
}

/// The failure of a set of findings: typed by the first error among them (or the first at all).
fn failing(findings: &[&Finding], path: &str, error: bool, fallback: &str) -> Verdict {
    let first = findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .or_else(|| findings.first());
    let (message, kind) = match first {
        Some(f) => {
            let more = findings.len() - 1;
            let message = if more == 0 {
                f.message.clone()
            } else {
                format!("{} (and {more} more finding(s))", f.message)
            };
            (message, f.code.as_str().to_owned())
        }
        None => (fallback.to_owned(), "not-earned".to_owned()),
    };
    Verdict::Fail {
        error,
        message,
        kind,
        body: body(findings, path),
    }
}

fn cases(run: &Run, o: &Outcome) -> Vec<Case> {
    let scored = o
        .score
        .as_ref()
        .zip(run.checklist_of(o))
        .filter(|(s, c)| s.items.len() == c.items.len());
    let Some((score, checklist)) = scored else {
        // Not checked (unreadable, unparsable, no checklist), or a lint input.
        let all: Vec<&Finding> = o.findings.iter().collect();
        let gating = all
            .iter()
            .any(|f| f.severity == Severity::Error && !f.baselined);
        let verdict = if gating {
            failing(&all, &o.path, run.command == Command::Check, "")
        } else {
            Verdict::Pass
        };
        let classname = match run.command {
            Command::Check => "report",
            Command::Lint => "checklist",
        };
        return vec![Case {
            classname: classname.into(),
            name: o.path.clone(),
            verdict,
        }];
    };
    let mut by_item: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &o.findings {
        if let Some(i) = &f.item {
            by_item.entry(i.as_str()).or_default().push(f);
        }
    }
    let mut out = Vec::new();
    let mut claimed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (item, state) in checklist.items.iter().zip(&score.items) {
        if *state == ItemState::NotApplicable {
            continue;
        }
        claimed.insert(item.id.as_str());
        let findings = by_item.get(item.id.as_str()).cloned().unwrap_or_default();
        let verdict = match state {
            ItemState::Earned | ItemState::NotApplicable => Verdict::Pass,
            ItemState::Failed | ItemState::Missing => {
                failing(&findings, &o.path, false, "points not earned")
            }
            ItemState::Waived => {
                let waived: Vec<&str> = findings
                    .iter()
                    .filter_map(|f| f.waives.map(crate::Code::as_str))
                    .collect();
                Verdict::Skipped {
                    message: if waived.is_empty() {
                        "waived".to_owned()
                    } else {
                        format!("waived: {}", waived.join(", "))
                    },
                    body: body(&findings, &o.path),
                }
            }
        };
        out.push(Case {
            classname: item.domain.clone(),
            name: format!("{} {}", item.id, item.title),
            verdict,
        });
    }
    // Findings no testcase above shows: they must not be lost, and an error among them gates.
    let rest: Vec<&Finding> = o
        .findings
        .iter()
        .filter(|f| f.item.as_deref().is_none_or(|i| !claimed.contains(i)))
        .collect();
    if rest
        .iter()
        .any(|f| f.severity == Severity::Error && !f.baselined)
    {
        out.push(Case {
            classname: "report".into(),
            name: format!("{} (findings outside the applicable items)", o.path),
            verdict: failing(&rest, &o.path, false, ""),
        });
    }
    out
}

fn timestamp(run: &Run, o: &Outcome) -> String {
    o.as_of
        .or(run.options.as_of)
        .map_or_else(|| "1970-01-01".to_owned(), |d| d.to_string())
        + "T00:00:00"
}

fn properties(run: &Run, o: &Outcome) -> Vec<(&'static str, String)> {
    let opts = &run.options;
    let mut p = vec![
        ("sds.version", env!("CARGO_PKG_VERSION").to_owned()),
        ("report.path", o.path.clone()),
    ];
    if let Some(id) = &o.id {
        p.push(("report.id", id.clone()));
    }
    if let Some(sha) = &o.sha256 {
        p.push(("report.sha256", sha.clone()));
    }
    if let Some(c) = &o.checklist {
        p.push(("checklist", format!("{}@{}", c.id, c.version)));
        p.push(("checklist.sha256", c.sha256.clone()));
    }
    if let Some(d) = o.as_of {
        p.push(("as_of", d.to_string()));
    }
    if let Some(s) = &o.score {
        let q = &s.overall;
        p.push(("score.earned", q.earned.to_string()));
        p.push(("score.waived", q.waived.to_string()));
        p.push(("score.applicable", q.applicable.to_string()));
        p.push(("score.total", q.total.to_string()));
        p.push((
            "score.percent",
            q.percent()
                .map_or_else(|| "n/a".to_owned(), |v| format!("{v:.2}")),
        ));
    }
    p.push(("option.fail_on", opts.fail_on.as_str().to_owned()));
    if let Some(m) = opts.min_score {
        p.push(("option.min_score", m.to_string()));
    }
    p.push(("option.verify_evidence", opts.verify_evidence.to_string()));
    if let Some(d) = opts.as_of {
        p.push(("option.as_of", d.to_string()));
    }
    p.push(("option.allow_empty", opts.allow_empty.to_string()));
    if let Some(w) = &opts.waivers {
        p.push(("option.waivers", w.to_string_lossy().into_owned()));
        if let Some(sha) = &run.waivers_sha256 {
            p.push(("option.waivers.sha256", sha.clone()));
        }
    }
    if let Some(b) = &opts.baseline {
        p.push(("option.baseline", b.to_string_lossy().into_owned()));
        if let Some(u) = &run.baseline {
            p.push(("option.baseline.sha256", u.sha256.clone()));
        }
    }
    // Known only once the run is over: filled in by [`JunitWriter::finish`].
    p.push(("run.verdict", VERDICT_PLACEHOLDER.to_owned()));
    p
}

fn system_out(o: &Outcome) -> String {
    let mut s = String::new();
    match &o.score {
        Some(sc) => {
            let q = &sc.overall;
            let _ = writeln!(
                s,
                "score: {}/{} applicable points earned ({}), {} waived; the checklist totals {}",
                q.earned,
                q.applicable,
                q.percent_text(1),
                q.waived,
                q.total
            );
            for (id, _, d) in &sc.domains {
                let _ = writeln!(
                    s,
                    "  {}: {}/{} earned, {} waived",
                    escape_control(id),
                    d.earned,
                    d.applicable,
                    d.waived
                );
            }
        }
        None => s.push_str("not scored: the report could not be checked\n"),
    }
    let _ = writeln!(s, "{} finding(s)", o.findings.len());
    for f in &o.findings {
        let _ = write!(
            s,
            "{}: {} {} ({})",
            at(&o.path, f),
            f.severity,
            f.code.as_str(),
            f.code.name()
        );
        if let Some(i) = &f.item {
            let _ = write!(s, " [{}]", escape_control(i));
        }
        if f.baselined {
            s.push_str(" (baseline)");
        }
        let _ = writeln!(s, ": {}", escape_control(&f.message));
    }
    s
}

fn write_case(w: &mut Xml, c: &Case) -> io::Result<()> {
    let el = w.create_element("testcase").with_attributes([
        ("name", attr(&c.name).as_str()),
        ("classname", attr(&c.classname).as_str()),
        ("time", "0"),
    ]);
    match &c.verdict {
        Verdict::Pass => {
            el.write_empty()?;
        }
        Verdict::Fail {
            error,
            message,
            kind,
            body,
        } => {
            el.write_inner_content(|w| {
                w.create_element(if *error { "error" } else { "failure" })
                    .with_attributes([
                        ("message", attr(message).as_str()),
                        ("type", attr(kind).as_str()),
                    ])
                    .write_text_content(BytesText::new(&printable(body)))?;
                Ok(())
            })?;
        }
        Verdict::Skipped { message, body } => {
            el.write_inner_content(|w| {
                w.create_element("skipped")
                    .with_attribute(("message", attr(message).as_str()))
                    .write_text_content(BytesText::new(&printable(body)))?;
                Ok(())
            })?;
        }
    }
    Ok(())
}

fn write_suite(w: &mut Xml, run: &Run, index: usize, o: &Outcome) -> io::Result<()> {
    let cases = cases(run, o);
    let count = |pred: fn(&Verdict) -> bool| cases.iter().filter(|c| pred(&c.verdict)).count();
    let failures = count(|v| matches!(v, Verdict::Fail { error: false, .. }));
    let errors = count(|v| matches!(v, Verdict::Fail { error: true, .. }));
    let skipped = count(|v| matches!(v, Verdict::Skipped { .. }));
    let name = if o.path.trim().is_empty() {
        "(unnamed)".to_owned()
    } else {
        attr(&o.path)
    };
    let package = o
        .checklist
        .as_ref()
        .map_or_else(|| "sds".to_owned(), |c| format!("{}@{}", c.id, c.version));
    let numbers = [
        cases.len().to_string(),
        failures.to_string(),
        errors.to_string(),
        skipped.to_string(),
        index.to_string(),
    ];
    let stamp = timestamp(run, o);
    w.create_element("testsuite")
        .with_attributes([
            ("name", name.as_str()),
            ("package", attr(&package).as_str()),
            ("id", numbers[4].as_str()),
            ("hostname", "localhost"),
            ("timestamp", stamp.as_str()),
            ("tests", numbers[0].as_str()),
            ("failures", numbers[1].as_str()),
            ("errors", numbers[2].as_str()),
            ("skipped", numbers[3].as_str()),
            ("time", "0"),
        ])
        .write_inner_content(|w| {
            w.create_element("properties").write_inner_content(|w| {
                for (k, v) in properties(run, o) {
                    w.create_element("property")
                        .with_attributes([("name", k), ("value", attr(&v).as_str())])
                        .write_empty()?;
                }
                Ok(())
            })?;
            for c in &cases {
                write_case(w, c)?;
            }
            w.create_element("system-out")
                .write_text_content(BytesText::new(&printable(&system_out(o))))?;
            w.create_element("system-err").write_empty()?;
            Ok(())
        })?;
    Ok(())
}

/// What a suite holds in place of the run's verdict until the run is over.
const VERDICT_PLACEHOLDER: &str = "sds-verdict-to-come";

/// The placeholder as written: the whole element, so no text from an input
/// (whose `<` and `"` the writer escapes) can imitate it.
const VERDICT_ELEMENT: &str = "<property name=\"run.verdict\" value=\"sds-verdict-to-come\"/>";

/// The JUnit document, written report by report: each `<testsuite>` is
/// rendered as its report is checked and spooled (`<testsuites>` carries no
/// totals, so nothing waits for the end of the run but the closing tag).
pub struct JunitWriter {
    xml: Xml,
    suites: Spool,
}

impl JunitWriter {
    /// A document spooled to a temporary file.
    ///
    /// # Errors
    /// When no temporary file can be created.
    pub fn new() -> io::Result<Self> {
        Self::with(Spool::new()?)
    }

    fn with(mut suites: Spool) -> io::Result<Self> {
        let mut xml = Writer::new_with_indent(Vec::new(), b' ', 2);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        xml.write_event(Event::Start(BytesStart::new("testsuites")))?;
        suites.push(&drain(&mut xml)?)?;
        Ok(JunitWriter { xml, suites })
    }
}

/// What the XML writer holds so far, taken out of it.
fn drain(xml: &mut Xml) -> io::Result<String> {
    String::from_utf8(std::mem::take(xml.get_mut()))
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

impl Streamed for JunitWriter {
    fn push(&mut self, run: &Run, o: &Outcome) -> io::Result<()> {
        // The first piece is the document's opening.
        let index = self.suites.len() - 1;
        write_suite(&mut self.xml, run, index, o)?;
        let suite = drain(&mut self.xml)?;
        self.suites.push(&suite)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        self.xml
            .write_event(Event::End(BytesEnd::new("testsuites")))?;
        let end = drain(&mut self.xml)?;
        let verdict = format!(
            "<property name=\"run.verdict\" value=\"{}\"/>",
            if run.pass { "pass" } else { "fail" }
        );
        for i in 0..self.suites.len() {
            let piece = self.suites.get(i)?;
            out.write_all(piece.replacen(VERDICT_ELEMENT, &verdict, 1).as_bytes())?;
        }
        out.write_all(end.as_bytes())?;
        out.write_all(b"\n")
    }
}

/// The whole run as JUnit XML text, ending in a newline.
#[must_use]
pub fn render(run: &Run) -> String {
    // Writing the XML declaration into memory cannot fail.
    JunitWriter::with(Spool::in_memory())
        .map(|w| crate::render::render_kept(run, Box::new(w)))
        .unwrap_or_default()
}
