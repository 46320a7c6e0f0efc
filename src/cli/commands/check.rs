//! `sds check`: reports checked against their checklists, and the gate's verdict.

use crate::cli::ExitStatus;
use crate::cli::args::{CheckArgs, OutputArgs, PeopleArgs, fail_on};
use crate::cli::config::{config_outputs, load_config};
use crate::cli::output::{COLOR, stderr_style};
use crate::cli::progress::progress_bar;
use crate::cli::stream::{Failure, check_streamed};
use crate::engine::{self, Options};
use crate::load::Limits;
use crate::render::human;

pub(crate) fn run(a: CheckArgs) -> Result<ExitStatus, String> {
    let _ = COLOR.set(a.people.color);
    let (options, output, people) = plan(a)?;
    match check_streamed(options, &output, &people) {
        Ok(status) => Ok(status),
        Err(Failure::Io(message)) => Err(message),
        Err(Failure::Engine(e)) => Err(engine_error(e)),
    }
}

/// The options of the run: the command line over `sds.toml` over the defaults.
fn plan(mut a: CheckArgs) -> Result<(Options, OutputArgs, PeopleArgs), String> {
    let config = load_config(&a.config)?;
    let settings = config
        .as_ref()
        .map(|c| c.settings.clone())
        .unwrap_or_default();
    let fail_on = a
        .output
        .fail_on
        .map(fail_on)
        .or(settings.fail_on)
        .unwrap_or_default();
    config_outputs(&mut a.output, &settings)?;
    let options = Options {
        severity: crate::config::merge_overrides(&settings.severity, &a.severity),
        config: config
            .as_ref()
            .map(|c| (c.path.display().to_string(), c.sha256.clone())),
        skip_non_reports: a.skip_non_reports || settings.skip_non_reports == Some(true),
        link_base: a.people.link_base.clone().or(settings.link_base),
        paths: a.paths,
        checklists: if a.checklists.is_empty() {
            settings.checklists
        } else {
            a.checklists
        },
        fail_on,
        min_score: a.min_score.or(settings.min_score),
        verify_evidence: a.verify_evidence || settings.verify_evidence == Some(true),
        as_of: a.as_of.or(match settings.as_of {
            Some(crate::config::AsOf::Date(d)) => Some(d),
            Some(crate::config::AsOf::Today) => Some(chrono::Local::now().date_naive()),
            Some(crate::config::AsOf::Issued) | None => None,
        }),
        waivers: a.waivers.or(settings.waivers),
        jobs: a.jobs,
        exclude: if a.exclude.is_empty() {
            settings.exclude
        } else {
            a.exclude
        },
        allow_empty: a.allow_empty || settings.allow_empty == Some(true),
        limits: Limits {
            max_file_size: a.max_file_size,
            max_depth: a.max_depth,
            max_alias_nodes: a.max_alias_values,
            max_values: a.max_values,
        },
        keep_sources: a.output.shows_sources(),
        pin: None,
        shard: a.shard,
        baseline: a.baseline,
        progress: progress_bar(&a.output),
    };
    Ok((options, a.output, a.people))
}

/// The message of an engine error; an invalid checklist or waivers file
/// first has its findings shown on standard error.
fn engine_error(e: engine::Error) -> String {
    match e {
        engine::Error::ChecklistInvalid(lint_run) => {
            eprint!("{}", human::render(&lint_run, stderr_style()));
            engine::Error::ChecklistInvalid(lint_run).to_string()
        }
        engine::Error::WaiversInvalid(path, outcome) => {
            for f in &outcome.findings {
                eprint!(
                    "{}",
                    human::finding(f, &outcome.path, outcome.source.as_ref(), stderr_style())
                );
            }
            format!("the waivers file {path} is not valid")
        }
        e => e.to_string(),
    }
}
