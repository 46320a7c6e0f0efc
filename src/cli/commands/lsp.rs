//! `sds lsp`: the Language Server Protocol on standard input and output.

use crate::cli::ExitStatus;
use crate::cli::args::LspArgs;
use crate::load::Limits;

pub(crate) fn run(a: LspArgs) -> Result<ExitStatus, String> {
    // sds.toml, found from the current folder upward, gives the defaults;
    // the command line of `sds lsp` overrides them.
    let file = std::env::current_dir()
        .ok()
        .and_then(|d| crate::config::find(&d))
        .map(|p| crate::config::load(&p))
        .transpose()
        .map_err(|e| format!("{e:?}"))?
        .map(|c| c.settings)
        .unwrap_or_default();
    let config = crate::lsp::Config {
        checklists: if a.checklists.is_empty() {
            file.checklists
        } else {
            a.checklists
        },
        verify_evidence: a.verify_evidence || file.verify_evidence == Some(true),
        as_of: a.as_of.or(match file.as_of {
            Some(crate::config::AsOf::Date(d)) => Some(d),
            Some(crate::config::AsOf::Today) => Some(chrono::Local::now().date_naive()),
            _ => None,
        }),
        link_base: a.link_base.or(file.link_base),
        limits: Limits::default(),
        severity: crate::config::merge_overrides(&file.severity, &[]),
    };
    crate::lsp::serve_stdio(config).map_err(|e| e.to_string())?;
    Ok(ExitStatus::Success)
}
