//! One file per subcommand of `sds`, each with a `run` that returns how the
//! run ends or the message of why it could not be done.

pub(super) mod baseline;
pub(super) mod catalog;
pub(super) mod check;
pub(super) mod completions;
pub(super) mod debug_parse;
pub(super) mod diff;
pub(super) mod explain;
pub(super) mod init;
pub(super) mod lint;
pub(super) mod list;
pub(super) mod lsp;
pub(super) mod manpage;
pub(super) mod merge;
pub(super) mod schema;

use std::path::PathBuf;

use crate::checklist::{Checklist, ChecklistSource};
use crate::load::Limits;

/// The bundled checklists and those of `paths` (for look-ups by ID@VERSION).
fn sources(paths: Vec<PathBuf>) -> Vec<ChecklistSource> {
    std::iter::once(ChecklistSource::Bundled)
        .chain(paths.into_iter().map(ChecklistSource::Path))
        .collect()
}

/// A checklist named by path or ID@VERSION, or the newest bundled version.
fn named_or_newest(spec: Option<&str>, extra: &[PathBuf]) -> Result<Checklist, String> {
    let sources = sources(extra.to_vec());
    match spec {
        Some(spec) => crate::checklist::source::find(spec, &sources, &Limits::default()),
        None => crate::checklist::source::load_all(&[ChecklistSource::Bundled], &Limits::default())
            .checklists
            .pop()
            .ok_or_else(|| "no bundled checklist".to_owned()),
    }
}

/// `text` to `output` (whole or not at all), or to standard output.
fn write_out(output: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => super::output::write_atomically(p, text),
        None => super::output::print(text),
    }
}
