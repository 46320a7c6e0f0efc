use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use super::ExitStatus;
use super::args::{Cli, Cmd, Format, OutputArgs};

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn exit_statuses_are_0_1_2() {
    assert_eq!(ExitCode::from(ExitStatus::Success), ExitCode::SUCCESS);
    assert_eq!(ExitCode::from(ExitStatus::Failure), ExitCode::from(1));
    assert_eq!(ExitCode::from(ExitStatus::Error), ExitCode::from(2));
}

fn output(args: &[&str]) -> OutputArgs {
    let command_line = ["sds", "check"].iter().chain(args);
    match Cli::try_parse_from(command_line).map(|c| c.command) {
        Ok(Cmd::Check(a)) => a.output,
        Ok(_) => panic!("not a check"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn formats_pair_with_outputs_in_order_and_one_goes_to_standard_output() {
    let out = output(&[
        "--format", "json", "--output", "a.json", "--format", "sarif",
    ]);
    assert_eq!(
        out.pairs().unwrap(),
        vec![
            (Format::Json, Some(Path::new("a.json"))),
            (Format::Sarif, None)
        ]
    );
    assert_eq!(output(&[]).pairs().unwrap(), vec![(Format::Human, None)]);
    assert!(
        output(&["--format", "json", "--format", "sarif"])
            .pairs()
            .is_err()
    );
    assert!(output(&["--output", "a", "--output", "b"]).pairs().is_err());
}

#[test]
fn only_human_and_html_keep_the_sources() {
    assert!(output(&[]).shows_sources());
    assert!(output(&["--format", "json", "--format", "html", "--output", "x"]).shows_sources());
    assert!(!output(&["--format", "json"]).shows_sources());
}

#[test]
fn flag_values_are_checked_when_parsed() {
    let parses = |args: &[&str]| Cli::try_parse_from(["sds", "check"].iter().chain(args)).is_ok();
    assert!(parses(&["--shard", "2/3"]));
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        assert!(!parses(&["--shard", bad]), "--shard {bad}");
    }
    assert!(parses(&["--min-score", "100"]));
    for bad in ["100.5", "-1", "NaN", "inf"] {
        assert!(!parses(&["--min-score", bad]), "--min-score {bad}");
    }
    assert!(!parses(&["--max-depth", "513"]));
    assert!(!parses(&["--as-of", "2024-02-30"]));
}

#[test]
fn baseline_needs_exactly_one_output_file() {
    let cli = Cli::try_parse_from(["sds", "baseline", "does-not-exist"]).unwrap();
    let e = super::run(cli).unwrap_err();
    assert_eq!(e.to_string(), "sds baseline needs one --output FILE");
}
