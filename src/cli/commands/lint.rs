//! `sds lint`: checklists checked for errors.

use crate::cli::ExitStatus;
use crate::cli::args::{LintArgs, fail_on};
use crate::cli::config::{config_outputs, load_config};
use crate::cli::output::COLOR;
use crate::engine::{self, Options};

pub(crate) fn run(mut a: LintArgs) -> Result<ExitStatus, String> {
    let _ = COLOR.set(a.people.color);
    let config = load_config(&a.config)?;
    let settings = config
        .as_ref()
        .map(|c| c.settings.clone())
        .unwrap_or_default();
    config_outputs(&mut a.output, &settings)?;
    let mut run = engine::lint(Options {
        paths: if a.paths.is_empty() {
            settings.checklists
        } else {
            a.paths
        },
        fail_on: a
            .output
            .fail_on
            .map(fail_on)
            .or(settings.fail_on)
            .unwrap_or_default(),
        keep_sources: a.output.shows_sources(),
        config: config
            .as_ref()
            .map(|c| (c.path.display().to_string(), c.sha256.clone())),
        ..Options::default()
    });
    run.options.link_base = a.people.link_base.clone().or(settings.link_base);
    if run.outcomes.is_empty() {
        return Err("no checklist found to lint".into());
    }
    crate::cli::render::emit(&run, &a.output, &a.people)
}
