//! `sds check` written as it goes: each report is rendered on the worker
//! that checked it and written as soon as its turn comes (human, concise,
//! github, JSON and GitLab formats to one destination); other runs are
//! built report by report and written at the end ([`super::emit`]).

use std::io::IsTerminal;
use std::path::Path;

use super::ExitStatus;
use super::args::{Format, OutputArgs, PeopleArgs};
use super::emit::check_to_outputs;
use super::output::{Sink, color_for};
use super::render::{person_footer, person_report, statistics};
use crate::engine::{self, Options, Run};
use crate::render::{gitlab, human, json};

/// Why a check could not be done: the engine refused, or output could not be written.
pub(crate) enum Failure {
    Engine(engine::Error),
    Io(String),
}

/// `sds check`, streamed when one format goes to one destination.
pub(crate) fn check_streamed(
    options: Options,
    out: &OutputArgs,
    people: &PeopleArgs,
) -> Result<ExitStatus, Failure> {
    out.check_writable().map_err(Failure::Io)?;
    let Some((
        format @ (Format::Human | Format::Json | Format::Concise | Format::Github | Format::Gitlab),
        dest,
    )) = out.single()
    else {
        // Several outputs, or a format that needs the whole run: each output
        // is built report by report and written when the run is done.
        return check_to_outputs(options, out, people);
    };
    let mut sink = Sink::open(dest).map_err(Failure::Io)?;
    let run = match format {
        Format::Json => json_stream(options, &mut sink),
        Format::Gitlab => gitlab_stream(options, &mut sink),
        _ => people_stream(options, format, dest, people, &mut sink),
    };
    if let Ok(r) = &run
        && people.statistics
        && matches!(format, Format::Json | Format::Gitlab)
    {
        eprint!("{}", statistics(r));
    }
    match run {
        Ok(run) => {
            sink.finish().map_err(Failure::Io)?;
            Ok(if run.pass {
                ExitStatus::Success
            } else {
                ExitStatus::Failure
            })
        }
        Err(e) => {
            // Nothing is left half-written: a temporary file is removed.
            sink.discard();
            Err(Failure::Engine(e))
        }
    }
}

/// JSON: each report rendered on its worker, written in the document's
/// protocol ([`json::Document`]).
fn json_stream(options: Options, sink: &mut Sink) -> Result<Run, engine::Error> {
    let mut doc = json::Document::new(engine::Command::Check);
    let run = engine::check_stream(options, &|o| json::report(&o), &mut |text: String| {
        sink.write(&doc.before_report());
        sink.write(&text);
    });
    if let Ok(run) = &run {
        sink.write(&doc.end(run));
    }
    run
}

/// GitLab Code Quality: one JSON array ([`gitlab::Document`]).
fn gitlab_stream(options: Options, sink: &mut Sink) -> Result<Run, engine::Error> {
    let mut doc = gitlab::Document::default();
    let run = engine::check_stream(options, &|o| o, &mut |o| sink.write(&doc.report(&o)));
    if run.is_ok() {
        sink.write(&doc.end());
    }
    run
}

/// The formats for people: human, concise and github.
fn people_stream(
    options: Options,
    format: Format,
    dest: Option<&Path>,
    people: &PeopleArgs,
    sink: &mut Sink,
) -> Result<Run, engine::Error> {
    let color = dest.is_none() && color_for(std::io::stdout().is_terminal());
    let style = human::Style { color, width: 100 };
    let quiet = people.quiet.then_some(options.fail_on);
    let run = engine::check_stream(
        options,
        &|o| person_report(&o, format, engine::Command::Check, style, quiet),
        &mut |text: String| sink.write(&text),
    );
    if let Ok(run) = &run {
        sink.write(&person_footer(run, format, people));
        if people.statistics && (format != Format::Human || dest.is_some()) {
            eprint!("{}", statistics(run));
        }
    }
    run
}
