//! A whole run in each requested format: the formats for people (human,
//! concise, github) with `--quiet` and `--statistics`, and the machine ones.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::ExitStatus;
use super::args::{Format, OutputArgs, PeopleArgs};
use super::output::{color_for, print, temporary_beside};
use crate::engine::{self, FailOn, Run};
use crate::render::{human, json};

/// A whole run in one format.
pub(crate) fn render(run: &Run, format: Format, to_terminal: bool, people: &PeopleArgs) -> String {
    let style = human::Style {
        color: color_for(to_terminal),
        width: 100,
    };
    match format {
        Format::Json => json::render(run),
        Format::Human | Format::Concise | Format::Github => {
            let quiet = people.quiet.then_some(run.options.fail_on);
            let mut s: String = run
                .outcomes
                .iter()
                .map(|o| person_report(o, format, run.command, style, quiet))
                .collect();
            s.push_str(&person_footer(run, format, people));
            s
        }
        Format::Gitlab => crate::render::gitlab::render(run),
        Format::Sarif => crate::render::sarif::render(run),
        Format::Junit => crate::render::junit::render(run),
        Format::Markdown => crate::render::markdown::render_within(run, people.markdown_limit),
        Format::Html => crate::render::html::render(run),
    }
}

/// One report in a format for people; with `--quiet` (`quiet` holds
/// `--fail-on`) only its gating findings, without the points summary.
pub(crate) fn person_report(
    o: &crate::outcome::Outcome,
    format: Format,
    command: engine::Command,
    style: human::Style,
    quiet: Option<FailOn>,
) -> String {
    let filtered;
    let o = match quiet {
        Some(fail_on) => {
            let mut q = crate::outcome::Outcome {
                findings: Vec::new(),
                ..o.clone()
            };
            q.findings = o
                .findings
                .iter()
                .filter(|f| !f.baselined && fail_on.fails(f.severity))
                .cloned()
                .collect();
            filtered = q;
            &filtered
        }
        None => o,
    };
    match (format, quiet) {
        (Format::Concise, _) => crate::render::concise::report(o),
        (Format::Github, _) => crate::render::github::report(o),
        (_, Some(_)) => o
            .findings
            .iter()
            .map(|f| human::finding(f, &o.path, o.source.as_ref(), style) + "\n")
            .collect(),
        (_, None) => human::report(o, command, style),
    }
}

/// The end of a format for people: the summary and verdict (with `--quiet`,
/// the counts of files and the verdict), and with `--statistics` a count per code.
pub(crate) fn person_footer(run: &Run, format: Format, people: &PeopleArgs) -> String {
    let mut s = match format {
        Format::Concise => crate::render::concise::footer(run),
        Format::Github => crate::render::github::footer(run),
        _ if people.quiet => {
            let full = human::footer(run);
            let last = full.lines().last().unwrap_or_default();
            format!("{}\n{last}\n", run.inputs_only())
        }
        _ => human::footer(run),
    };
    if people.statistics && format == Format::Human {
        s.push_str(&statistics(run));
    }
    s
}

/// `--statistics`: findings per code, most frequent first.
pub(crate) fn statistics(run: &Run) -> String {
    let mut counts = run.totals.per_code.nonzero();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut s = String::from("findings per code:\n");
    for (code, n) in counts {
        let _ = writeln!(s, "{n:>7}  {code}  {}", code.name());
    }
    s
}

/// Renders a run (its outcomes kept) in every requested format and writes
/// them all or none: each file goes to a temporary file beside its target,
/// and the temporary files are renamed into place only once every one is
/// complete. Standard output, which cannot be taken back, is written last.
pub(crate) fn emit(run: &Run, out: &OutputArgs, people: &PeopleArgs) -> Result<ExitStatus, String> {
    let pairs = out.pairs()?;
    if people.statistics
        && !pairs
            .iter()
            .any(|(f, d)| *f == Format::Human && d.is_none())
    {
        eprint!("{}", statistics(run));
    }
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let mut to_stdout = None;
    let discard = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (format, dest) in pairs {
        let text = render(
            run,
            format,
            dest.is_none() && std::io::stdout().is_terminal(),
            people,
        );
        let Some(path) = dest else {
            to_stdout = Some(text);
            continue;
        };
        let tmp = temporary_beside(path);
        if let Err(e) = std::fs::write(&tmp, &text) {
            let _ = std::fs::remove_file(&tmp);
            discard(&staged);
            return Err(format!("cannot write {}: {e}", path.display()));
        }
        staged.push((tmp, path));
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            // Renames in one folder do not fail short of a vanished folder;
            // the ones not yet renamed are withdrawn.
            discard(&staged[i..]);
            return Err(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Some(text) = to_stdout {
        print(&text)?;
    }
    Ok(if run.pass {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
