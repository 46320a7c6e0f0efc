//! `sds check` to several outputs, or to one in a format that needs the
//! whole run (SARIF, JUnit, Markdown, HTML): every output gets a
//! [`Streamed`] writer, each report is pushed to all of them as it is
//! checked, and no outcome is kept, so memory does not grow with the number
//! of reports. Outputs are still written all or none: each file is finished
//! into a temporary file beside its target, and they are renamed into place
//! only once all are complete; standard output, which cannot be taken back,
//! is written last.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};

use super::ExitStatus;
use super::args::{Format, OutputArgs, PeopleArgs};
use super::output::{color_for, temporary_beside};
use super::render::{person_footer, person_report, statistics};
use super::stream::Failure;
use crate::engine::{self, FailOn, Options, Run};
use crate::outcome::Outcome;
use crate::render::spool::Spool;
use crate::render::{Streamed, gitlab, html, human, json, junit, markdown, sarif};

/// The formats written as the reports come (JSON, GitLab and the ones for
/// people), kept as one rendered piece per report until the run is done.
struct Pieces {
    format: Format,
    spool: Spool,
    style: human::Style,
    quiet: Option<FailOn>,
    people: PeopleArgs,
    /// GitLab: the array's protocol (its commas depend on the issues before).
    gitlab: gitlab::Document,
}

impl Streamed for Pieces {
    fn push(&mut self, run: &Run, o: &Outcome) -> io::Result<()> {
        let text = match self.format {
            Format::Json => json::report(o),
            Format::Gitlab => self.gitlab.report(o),
            format => person_report(o, format, run.command, self.style, self.quiet),
        };
        self.spool.push(&text)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, run: &Run, out: &mut dyn Write) -> io::Result<()> {
        match self.format {
            Format::Json => {
                let mut doc = json::Document::new(run.command);
                for i in 0..self.spool.len() {
                    out.write_all(doc.before_report().as_bytes())?;
                    self.spool.copy(i, out)?;
                }
                out.write_all(doc.end(run).as_bytes())
            }
            Format::Gitlab => {
                self.spool.copy_all(out)?;
                out.write_all(self.gitlab.end().as_bytes())
            }
            format => {
                self.spool.copy_all(out)?;
                out.write_all(person_footer(run, format, &self.people).as_bytes())
            }
        }
    }
}

/// The writer of one output.
fn writer(
    format: Format,
    to_terminal: bool,
    options: &Options,
    people: &PeopleArgs,
) -> io::Result<Box<dyn Streamed>> {
    Ok(match format {
        Format::Sarif => Box::new(sarif::Writer::new()?),
        Format::Junit => Box::new(junit::JunitWriter::new()?),
        Format::Markdown => Box::new(markdown::MarkdownWriter::new(people.markdown_limit)?),
        Format::Html => Box::new(html::Writer::new()?),
        _ => Box::new(Pieces {
            format,
            spool: Spool::new()?,
            style: human::Style {
                color: color_for(to_terminal),
                width: 100,
            },
            quiet: people.quiet.then_some(options.fail_on),
            people: people.clone(),
            gitlab: gitlab::Document::default(),
        }),
    })
}

/// One output being written: where it goes, and its writer.
struct Output<'a> {
    dest: Option<&'a Path>,
    writer: Box<dyn Streamed>,
}

/// Checks the reports and writes every requested output, all or none.
pub(crate) fn check_to_outputs(
    options: Options,
    out: &OutputArgs,
    people: &PeopleArgs,
) -> Result<ExitStatus, Failure> {
    let pairs = out.pairs().map_err(Failure::Io)?;
    let to_terminal = std::io::stdout().is_terminal();
    let mut outputs = Vec::with_capacity(pairs.len());
    for (format, dest) in &pairs {
        let writer = writer(*format, dest.is_none() && to_terminal, &options, people)
            .map_err(|e| Failure::Io(format!("cannot create a temporary file: {e}")))?;
        outputs.push(Output {
            dest: *dest,
            writer,
        });
    }
    let mut failed: Option<io::Error> = None;
    let run = engine::check_each(options, &mut |start, o| {
        if failed.is_none() {
            failed = outputs
                .iter_mut()
                .find_map(|w| w.writer.push(start, &o).err());
        }
    })
    .map_err(Failure::Engine)?;
    if let Some(e) = failed {
        return Err(Failure::Io(format!("cannot keep the output's parts: {e}")));
    }
    if people.statistics
        && !pairs
            .iter()
            .any(|(f, d)| *f == Format::Human && d.is_none())
    {
        eprint!("{}", statistics(&run));
    }
    finish_all(outputs, &run).map_err(Failure::Io)?;
    Ok(if run.pass {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// Finishes every output: files into temporary files renamed once all are
/// complete, then standard output.
fn finish_all(outputs: Vec<Output<'_>>, run: &Run) -> Result<(), String> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let mut to_stdout: Option<Box<dyn Streamed>> = None;
    let discard = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for Output { dest, writer } in outputs {
        let Some(path) = dest else {
            to_stdout = Some(writer);
            continue;
        };
        let tmp = temporary_beside(path);
        let written = File::create(&tmp).and_then(|f| {
            let mut f = BufWriter::new(f);
            writer.finish(run, &mut f)?;
            f.flush()
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            discard(&staged);
            return Err(format!("cannot write {}: {e}", path.display()));
        }
        staged.push((tmp, path));
    }
    if let Some(writer) = to_stdout {
        // Assembled before anything is renamed, so a failure withdraws every file.
        let mut text = match tempfile::tempfile().and_then(|mut f| {
            let mut w = BufWriter::new(&mut f);
            writer.finish(run, &mut w)?;
            w.flush()?;
            drop(w);
            f.rewind()?;
            Ok(f)
        }) {
            Ok(f) => f,
            Err(e) => {
                discard(&staged);
                return Err(format!("cannot write to standard output: {e}"));
            }
        };
        rename_all(&staged, discard)?;
        let mut stdout = std::io::stdout().lock();
        return match io::copy(&mut text, &mut stdout).and_then(|_| stdout.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                Err(format!("cannot write to standard output: {e}"))
            }
            _ => Ok(()),
        };
    }
    rename_all(&staged, discard)
}

fn rename_all(
    staged: &[(PathBuf, &Path)],
    discard: impl Fn(&[(PathBuf, &Path)]),
) -> Result<(), String> {
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            // Renames in one folder do not fail short of a vanished folder;
            // the ones not yet renamed are withdrawn.
            discard(&staged[i..]);
            return Err(format!("cannot write {}: {e}", path.display()));
        }
    }
    Ok(())
}
