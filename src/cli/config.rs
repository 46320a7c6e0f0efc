//! `sds.toml` for the command line: which file, and its `outputs`.

use std::path::PathBuf;

use clap::ValueEnum;

use super::args::{ConfigArgs, Format, OutputArgs};

/// The sds.toml of this run: `--config FILE`, else the nearest one from the
/// current folder upward, unless `--no-config`.
pub(crate) fn load_config(c: &ConfigArgs) -> Result<Option<crate::config::Config>, String> {
    if c.no_config {
        return Ok(None);
    }
    let path = match &c.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| crate::config::find_relative(&d)),
    };
    path.map(|p| crate::config::load(&p).map_err(|e| e.to_string()))
        .transpose()
}

/// sds.toml's `outputs`, when the command line names no format and no output.
pub(crate) fn config_outputs(
    out: &mut OutputArgs,
    s: &crate::config::Settings,
) -> Result<(), String> {
    if !out.format.is_empty() || !out.output.is_empty() || s.outputs.is_empty() {
        return Ok(());
    }
    // An output to standard output goes last, so the n-th path pairs with the n-th format.
    let mut listed: Vec<&(String, Option<PathBuf>)> = s.outputs.iter().collect();
    listed.sort_by_key(|(_, p)| p.is_none());
    for (name, path) in listed {
        let f = <Format as ValueEnum>::from_str(name, false)
            .map_err(|_| format!("sds.toml: outputs: unknown format {name:?}"))?;
        out.format.push(f);
        if let Some(p) = path {
            out.output.push(p.clone());
        }
    }
    Ok(())
}
