//! The `sds` binary: parses arguments, calls the library, and maps the
//! result to the exit status: 0 the gate passes, 1 it fails, 2 the tool
//! could not do its job. Everything else lives in `sds::cli`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = sds::cli::Cli::parse();
    match sds::cli::run(cli) {
        Ok(status) => status.into(),
        Err(error) => {
            eprintln!("error: {error}");
            sds::cli::ExitStatus::Error.into()
        }
    }
}
