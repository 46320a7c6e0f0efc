//! The github format: GitHub Actions workflow commands, one annotation per
//! finding (`::error file=…,line=…,col=…,title=…::message`), so findings
//! show on the lines of the pull request's diff. Errors are `error`,
//! warnings `warning`, notes (a waived finding) `notice`; findings already
//! in the `--baseline` are left out. The last line is the summary and the
//! verdict, as plain log text.
//!
//! Escaping follows GitHub's toolkit (`@actions/core`, `command.ts`): in the
//! message `%`, CR and LF become `%25`, `%0D`, `%0A`; in a property also `:`
//! and `,` become `%3A` and `%2C`. A report's text therefore always stays
//! inside its one command: it cannot end the line and start another
//! (`::stop-commands::`, a forged `::error`). Other control characters are
//! written as `\u{…}` so they cannot reach the log raw.

use std::fmt::Write;

use crate::engine::Run;
use crate::finding::Severity;
use crate::outcome::Outcome;

/// Control characters other than CR and LF as visible escapes.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\r' && c != '\n' {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A workflow command's message.
#[must_use]
pub fn escape_data(s: &str) -> String {
    visible(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value.
#[must_use]
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// The annotations of one report (streamed as it is checked).
#[must_use]
pub fn report(o: &Outcome) -> String {
    let mut out = String::new();
    let file = escape_property(o.path.trim_start_matches("./"));
    for f in o.findings.iter().filter(|f| !f.baselined) {
        let mut title = format!("{} {}", f.code, f.code.name());
        if let Some(item) = &f.item {
            let _ = write!(title, " ({item})");
        }
        let mut message = f.message.clone();
        if let Some(h) = &f.help {
            let _ = write!(message, "\nhelp: {h}");
        }
        let _ = writeln!(
            out,
            "::{} file={file},line={},col={},title={}::{}",
            command(f.severity),
            f.at.line.max(1),
            f.at.col.max(1),
            escape_property(&title),
            escape_data(&message)
        );
    }
    out
}

/// The last line: the summary and the verdict.
#[must_use]
pub fn footer(run: &Run) -> String {
    crate::render::concise::footer(run)
}

/// The whole run (its outcomes kept).
#[must_use]
pub fn render(run: &Run) -> String {
    let mut s: String = run.outcomes.iter().map(report).collect();
    s.push_str(&footer(run));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_toolkit() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("x\u{1b}[2Jy"), "x\\u{1b}[2Jy");
    }
}
