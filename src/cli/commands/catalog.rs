//! `sds catalog`: a checklist version's catalogue as Markdown.

use std::path::{Path, PathBuf};

use crate::cli::ExitStatus;

pub(crate) fn run(
    checklist: Option<&str>,
    checklists: &[PathBuf],
    output: Option<&Path>,
) -> Result<ExitStatus, String> {
    let c = super::named_or_newest(checklist, checklists)?;
    let text = crate::catalog_doc::markdown(&c);
    super::write_out(output, &text)?;
    Ok(ExitStatus::Success)
}
