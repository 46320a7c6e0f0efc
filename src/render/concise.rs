//! The concise format: one `path:line:col: CODE message` line per finding,
//! for editors' and CI's problem matchers and for `grep`. Findings already
//! in the `--baseline` are left out (they are counted in the last line),
//! and the last line is the summary and the verdict, which no matcher takes
//! for a finding. Text from inputs is kept on its line (control characters
//! escaped), so a report cannot forge a finding or the verdict.

use std::fmt::Write;

use crate::engine::Run;
use crate::outcome::Outcome;
use crate::render::escape_control;

/// The lines of one report (streamed as it is checked).
#[must_use]
pub fn report(o: &Outcome) -> String {
    let mut out = String::new();
    for f in o.findings.iter().filter(|f| !f.baselined) {
        let _ = write!(
            out,
            "{}:{}:{}: {} {}",
            escape_control(&o.path),
            f.at.line.max(1),
            f.at.col.max(1),
            f.code,
            escape_control(&f.message)
        );
        if let Some(item) = &f.item {
            let _ = write!(out, " [{}]", escape_control(item));
        }
        out.push('\n');
    }
    out
}

/// The last line: files found, checked and skipped, the counts, and the verdict.
#[must_use]
pub fn footer(run: &Run) -> String {
    let mut line = run.inputs_line();
    if run.totals.baselined > 0 {
        let _ = write!(line, ", {} in the baseline", run.totals.baselined);
    }
    if run.pass {
        format!("{line}; gate: PASS\n")
    } else {
        format!(
            "{line}; gate: FAIL ({})\n",
            escape_control(&run.reasons.join("; "))
        )
    }
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
    use crate::codes::Code;
    use crate::finding::Finding;
    use crate::load::Span;

    #[test]
    fn one_line_per_finding_with_path_line_col_code() {
        let mut o = Outcome::new("r/a.yaml");
        let mut f = Finding::new(
            Code::ThresholdViolated,
            Span::TOP,
            "hic15 is 900\ngate: PASS\u{202E}",
        )
        .item("SDS-CRASH-001");
        f.at = crate::source::Location { line: 7, col: 9 };
        o.findings.push(f);
        assert_eq!(
            report(&o),
            "r/a.yaml:7:9: SDS031 hic15 is 900\\u{a}gate: PASS\\u{202e} [SDS-CRASH-001]\n"
        );
    }
}
