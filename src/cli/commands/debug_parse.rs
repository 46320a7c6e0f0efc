//! `sds debug-parse` (hidden): read and parse files as `check` does, and
//! nothing more (the benchmark's baseline).

use std::path::PathBuf;

use crate::cli::ExitStatus;
use crate::engine::{self, Options};

pub(crate) fn run(paths: Vec<PathBuf>, jobs: Option<usize>) -> Result<ExitStatus, String> {
    let (files, bytes) = engine::parse_only(&Options {
        paths,
        jobs,
        ..Options::default()
    })
    .map_err(|e| e.to_string())?;
    crate::cli::output::print(&format!("parsed {files} files, {bytes} bytes\n"))?;
    Ok(ExitStatus::Success)
}
