//! `sds completions`: shell completions from the command line's own definition.

use crate::cli::ExitStatus;
use crate::cli::args::Cli;

pub(crate) fn run(shell: clap_complete::Shell) -> Result<ExitStatus, String> {
    // Hidden subcommands (debug-parse) are for the benchmark, not for people to complete.
    let full = <Cli as clap::CommandFactory>::command();
    let mut cmd = full.clone();
    cmd = cmd.subcommands(Vec::<clap::Command>::new());
    let mut cmd = full.get_subcommands().filter(|s| !s.is_hide_set()).fold(
        clap::Command::new("sds")
            .version(env!("CARGO_PKG_VERSION"))
            .about(cmd.get_about().cloned().unwrap_or_default()),
        |c, s| c.subcommand(s.clone()),
    );
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "sds", &mut out);
    crate::cli::output::print(&String::from_utf8_lossy(&out))?;
    Ok(ExitStatus::Success)
}
