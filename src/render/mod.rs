//! Renderers: one module per output format. They format a [`crate::engine::Run`]; they decide nothing.

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod spool;

use std::fmt::Write;

use crate::engine::Run;
use crate::outcome::Outcome;

/// A format written report by report, so a run's memory does not grow with
/// its number of reports: [`Streamed::push`] each outcome as it is checked,
/// in input order, then [`Streamed::finish`] with the whole run's figures.
/// `push` may be given a run whose outcomes and totals are still empty: it
/// reads only the options, the command and the checklists.
pub trait Streamed {
    /// Renders one report's parts and keeps them aside.
    ///
    /// # Errors
    /// When the parts cannot be kept (a full temporary folder).
    fn push(&mut self, run: &Run, o: &Outcome) -> std::io::Result<()>;

    /// Writes the whole document.
    ///
    /// # Errors
    /// When `out` or the kept parts fail.
    fn finish(self: Box<Self>, run: &Run, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

/// A kept run (its outcomes in [`Run::outcomes`]) through a streamed
/// writer into one string: the same code, and so the same bytes, as a run
/// written report by report. The writer should spool in memory: memory
/// cannot fail to take a write, and every piece is UTF-8, so the result is
/// never short.
fn render_kept(run: &Run, mut writer: Box<dyn Streamed>) -> String {
    let mut out = Vec::with_capacity(64 * 1024);
    let written = run
        .outcomes
        .iter()
        .try_for_each(|o| writer.push(run, o))
        .and_then(|()| writer.finish(run, &mut out));
    match written {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// A report's score, points earned of applicable, and points waived, as the
/// report tables of Markdown and HTML show them.
fn score_cells(o: &Outcome, pct: impl Fn(&crate::outcome::Points) -> String) -> [String; 3] {
    match &o.score {
        Some(s) => [
            pct(&s.overall),
            format!("{} / {}", s.overall.earned, s.overall.applicable),
            s.overall.waived.to_string(),
        ],
        None => ["not scored".to_owned(), "–".to_owned(), "–".to_owned()],
    }
}

/// A path as given, written as a relative URI reference: forward slashes, no
/// leading `./`, and every byte outside the unreserved set and `/`
/// percent-encoded (so spaces, `#` or `%` in a file name cannot break a link).
/// An absolute path becomes a `file://` URI. Shared by SARIF (artifact URIs)
/// and Markdown and HTML (links), so every format names a file the same way.
#[must_use]
pub(crate) fn uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    let bytes = rest.as_bytes();
    // `/abs` on Unix, `C:/abs` on Windows.
    let absolute = rest.starts_with('/')
        || (bytes.len() > 2
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && bytes[2] == b'/');
    let mut out = String::with_capacity(rest.len() + 8);
    if absolute {
        out.push_str("file://");
        if !rest.starts_with('/') {
            out.push('/');
        }
    }
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (absolute && i == 1 && b == b':');
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Text safe for XML 1.0 and HTML: characters those formats cannot carry
/// (C0 controls other than tab, line feed and carriage return, and
/// noncharacters U+FFFE/U+FFFF) become U+FFFD. Report text can hold them
/// through YAML escapes such as `"\x01"`, and one would make the whole XML
/// document unreadable.
#[must_use]
pub(crate) fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (u32::from(c) < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if s.chars().any(bad) {
        s.chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// Whether a character could move the cursor, recolour, erase or reorder
/// what a terminal shows: C0 and C1 controls (line feed and escape among
/// them), DEL, bidirectional overrides and isolates, and the Unicode line and
/// paragraph separators.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
                | '\u{2028}' | '\u{2029}'
        )
}

/// Text from an input (an id, a path, a message quoting a value) made safe to
/// print for people: every character that could forge or hide a line of the
/// verdict on a terminal is written as a Rust-style escape, `\u{1b}`. The one
/// helper every human-facing format uses (human, Markdown, JUnit and HTML
/// messages), so a report cannot print a fake `gate: PASS`.
#[must_use]
pub fn escape_control(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_hostile) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_hostile(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Whether a report fails the gate on its own: a gating finding (not
/// baselined), or a score under `--min-score` (or none while one is set).
/// Markdown and HTML put such reports first.
#[must_use]
pub(crate) fn report_fails(run: &crate::engine::Run, o: &crate::outcome::Outcome) -> bool {
    let opts = &run.options;
    o.findings
        .iter()
        .any(|f| !f.baselined && opts.fail_on.fails(f.severity))
        || opts.min_score.is_some_and(|min| {
            o.score
                .as_ref()
                .and_then(|s| s.overall.percent())
                .is_none_or(|p| p < min)
        })
}

/// The link to a code's entry in the findings reference under `--link-base
/// URL`: the base names the sds documentation folder (`…/docs/`, giving
/// `…/docs/findings.md#sds031`) or the findings page itself (ending in
/// `.md` or `.html`, giving `…#sds031`).
#[must_use]
pub fn code_link(base: &str, code: crate::Code) -> String {
    let anchor = code.as_str().to_ascii_lowercase();
    let page = std::path::Path::new(base)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("html"));
    if page {
        format!("{base}#{anchor}")
    } else if base.ends_with('/') {
        format!("{base}findings.md#{anchor}")
    } else {
        format!("{base}/findings.md#{anchor}")
    }
}

#[cfg(test)]
mod tests {
    use super::{escape_control, printable, uri};

    #[test]
    fn escape_control_shows_what_a_terminal_would_obey() {
        assert_eq!(escape_control("RPT-1"), "RPT-1");
        assert_eq!(
            escape_control("a\ngate: PASS\u{1b}[2K\r\u{202E}x"),
            "a\\u{a}gate: PASS\\u{1b}[2K\\u{d}\\u{202e}x"
        );
        assert_eq!(escape_control("\u{85}°C\t"), "\\u{85}°C\\u{9}");
    }

    #[test]
    fn code_links_join_the_base() {
        let c = crate::Code::StaleResult;
        assert_eq!(
            super::code_link("https://x.org/sds/docs/", c),
            "https://x.org/sds/docs/findings.md#sds050"
        );
        assert_eq!(
            super::code_link("https://x.org/docs", c),
            "https://x.org/docs/findings.md#sds050"
        );
        assert_eq!(
            super::code_link("https://x.org/f.html", c),
            "https://x.org/f.html#sds050"
        );
    }

    #[test]
    fn uri_is_relative_with_forward_slashes_and_encoded() {
        assert_eq!(
            uri("examples/bev-pass/report.yaml"),
            "examples/bev-pass/report.yaml"
        );
        assert_eq!(uri("./a\\b c#1.yaml"), "a/b%20c%231.yaml");
        assert_eq!(uri("/tmp/x y.yaml"), "file:///tmp/x%20y.yaml");
        assert_eq!(uri("C:\\r\\a.yaml"), "file:///C:/r/a.yaml");
        assert_eq!(uri("ü.yaml"), "%C3%BC.yaml");
    }

    #[test]
    fn printable_replaces_controls() {
        assert_eq!(printable("a\u{1}b\tc\n"), "a\u{FFFD}b\tc\n");
    }
}
