//! `sds manpage`: one manual page with every subcommand and its options,
//! generated from the command line's own definition.

use crate::cli::ExitStatus;
use crate::cli::args::Cli;

pub(crate) fn run() -> Result<ExitStatus, String> {
    let page = manpage().map_err(|e| format!("cannot render the manual page: {e}"))?;
    crate::cli::output::print(&page)?;
    Ok(ExitStatus::Success)
}

/// One manual page with every subcommand and its options, the exit status,
/// the files and the environment: nothing refers to pages that are not made.
fn manpage() -> std::io::Result<String> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("sds {}", sub.get_name());
        let sub = sub.clone().bin_name(name.clone());
        let page = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        page.render_synopsis_section(&mut part)?;
        page.render_options_section(&mut part)?;
        let text = String::from_utf8_lossy(&part)
            .replacen(".SH SYNOPSIS\n", &format!(".SS \"{name}\"\n"), 1)
            .replacen(".SH OPTIONS\n", "", 1);
        out.extend_from_slice(text.as_bytes());
        if let Some(about) = sub.get_about() {
            out.extend_from_slice(
                format!(".PP\n{}\n", about.to_string().replace('-', "\\-")).as_bytes(),
            );
        }
    }
    out.extend_from_slice(
        concat!(
            ".SH \"EXIT STATUS\"\n",
            ".TP\n0\nthe gate passes\n",
            ".TP\n1\nthe gate fails: a finding at or above \\-\\-fail\\-on, a report under \\-\\-min\\-score, or no report found (without \\-\\-allow\\-empty)\n",
            ".TP\n2\nsds could not do its job: bad arguments or sds.toml, an invalid checklist, an unusable waivers file, an output that cannot be written\n",
            ".SH FILES\n",
            ".TP\nsds.toml\ndefaults for check and lint and per\\-code severities, found from the current folder upward (\\-\\-config FILE, \\-\\-no\\-config)\n",
            ".SH ENVIRONMENT\n",
            ".TP\nNO_COLOR\nset and not empty: no colour with \\-\\-color auto\n",
            ".TP\nCLICOLOR_FORCE\nset, not empty and not 0: colour with \\-\\-color auto even when not on a terminal\n",
            ".TP\nCI\nset: no progress bar\n",
        )
        .as_bytes(),
    );
    man.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
