//! The `sds` command line as a library: [`Cli`] is what clap parses, [`run`]
//! does what it says and returns how the run ends. The binary (`main.rs`)
//! only parses, calls [`run`] and turns the result into an exit code.
//!
//! Layout: `args` (the clap definition), `config` (`sds.toml` for the command
//! line), `output` (where output goes, colour), `render` (a run in each
//! format), `stream` (`sds check` written as each report is ready),
//! `progress` (the progress bar) and `commands` (one file per subcommand).

mod args;
mod commands;
mod config;
mod emit;
mod output;
mod progress;
mod render;
mod stream;
#[cfg(test)]
mod tests;

pub use args::Cli;
use args::Cmd;

/// How a run of `sds` ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Exit 0: the gate passes (or the command did its job).
    Success,
    /// Exit 1: the gate fails.
    Failure,
    /// Exit 2: sds could not do its job.
    Error,
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => std::process::ExitCode::SUCCESS,
            ExitStatus::Failure => std::process::ExitCode::from(1),
            ExitStatus::Error => std::process::ExitCode::from(2),
        }
    }
}

/// Why sds could not do its job (exit 2): a message for people, printed
/// after `error: ` (anything longer has been printed before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Runs one command line of `sds`.
///
/// # Errors
/// When sds cannot do its job: bad arguments or `sds.toml`, an invalid
/// checklist, an unusable waivers file, an output that cannot be written.
pub fn run(cli: Cli) -> Result<ExitStatus, Error> {
    dispatch(cli.command).map_err(Error)
}

/// One line per subcommand: each lives in its own file under `commands/`.
fn dispatch(command: Cmd) -> Result<ExitStatus, String> {
    use commands as c;
    match command {
        Cmd::Check(a) => c::check::run(a),
        Cmd::Lint(a) => c::lint::run(a),
        Cmd::Baseline(a) => c::baseline::run(a),
        Cmd::Merge(a) => c::merge::run(a),
        Cmd::Explain { what, checklists } => c::explain::run(&what, checklists),
        Cmd::Diff(a) => c::diff::run(a),
        Cmd::Init(a) => c::init::run(&a),
        Cmd::Catalog {
            checklist,
            checklists,
            output,
        } => c::catalog::run(checklist.as_deref(), &checklists, output.as_deref()),
        Cmd::Completions { shell } => c::completions::run(shell),
        Cmd::Manpage => c::manpage::run(),
        Cmd::Schema { name, checklist } => c::schema::run(name, checklist.as_deref()),
        Cmd::DebugParse { paths, jobs } => c::debug_parse::run(paths, jobs),
        Cmd::Lsp(a) => c::lsp::run(a),
        Cmd::List { checklists } => c::list::run(checklists),
    }
}
