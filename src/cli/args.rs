//! The command line's definition (clap): every subcommand, flag and help text
//! of `sds`, and the parsers of flag values.
// Doc comments here are `--help` text and the manual page, not Markdown:
// backticks would show as they are.
#![allow(clippy::doc_markdown)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::FailOn;
use crate::load::Limits;
use crate::schema::SchemaKind;

/// The command line of `sds`: parse it with [`clap::Parser::parse`], run it with [`super::run`].
#[derive(Parser)]
#[command(
    name = "sds",
    version,
    about = "Check vehicle test reports against scenario-defined safety checklists"
)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Cmd,
}

#[derive(Subcommand)]
pub(crate) enum Cmd {
    /// Check reports (files or folders) against their checklists.
    Check(CheckArgs),
    /// Check checklists (the bundled ones by default) for errors.
    Lint(LintArgs),
    /// Write a baseline: the JSON output of a check (always exit 0 unless sds cannot run).
    Baseline(CheckArgs),
    /// Combine the JSON outputs of `check --shard` runs into one verdict and one output.
    Merge(MergeArgs),
    /// Explain a finding code (SDS031, threshold-violated) or a checklist item (SDS-CRASH-001).
    Explain {
        /// A finding code or name, or an item id.
        what: String,
        /// Checklist files or folders to look items up in, instead of the bundled ones.
        #[arg(long = "checklist", value_name = "PATH")]
        checklists: Vec<PathBuf>,
    },
    /// Compare two checklist versions: items added, retired and changed.
    Diff(DiffArgs),
    /// Write a report skeleton for a vehicle: a result for every item that applies.
    Init(InitArgs),
    /// Print the catalogue of a checklist version as Markdown (all items per domain).
    Catalog {
        /// `ID@VERSION` or a path. Default: the newest bundled version.
        checklist: Option<String>,
        /// Checklist files or folders to look versions up in, besides the bundled ones.
        #[arg(long = "checklist", value_name = "PATH")]
        checklists: Vec<PathBuf>,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from this command line's own definition.
    Manpage,
    /// Print a JSON Schema: report, checklist, waivers or findings.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        name: SchemaName,
        /// With `report`: narrow the schema to one checklist version (ID@VERSION
        /// or a path), so an editor knows its vehicle attribute vocabulary.
        #[arg(long, value_name = "ID@VERSION|PATH")]
        checklist: Option<String>,
    },
    /// Read and parse files as `check` does, and nothing more (the benchmark's baseline).
    #[command(hide = true)]
    DebugParse {
        /// Files or folders.
        paths: Vec<PathBuf>,
        /// Worker threads. Default: every core.
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
    /// Serve the Language Server Protocol on standard input and output (for editors).
    Lsp(LspArgs),
    /// List the loaded checklists: id, versions, points, items and domains.
    List {
        /// Checklist files or folders to load instead of the bundled ones.
        #[arg(long = "checklist", value_name = "PATH")]
        checklists: Vec<PathBuf>,
    },
}

/// `sds lsp`: the checks of `sds check` in an editor.
#[derive(Args)]
pub(crate) struct LspArgs {
    /// Checklist files or folders to load instead of the bundled ones.
    #[arg(long = "checklist", value_name = "PATH")]
    pub(crate) checklists: Vec<PathBuf>,
    /// Check evidence files and their sha256 when a report is saved.
    #[arg(long)]
    pub(crate) verify_evidence: bool,
    /// Judge freshness and waivers at this date (YYYY-MM-DD) instead of each report's issue date.
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// Link each finding code to `<URL>#sds031` (e.g. a copy of docs/findings.md).
    #[arg(long, value_name = "URL")]
    pub(crate) link_base: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SchemaName {
    Report,
    Checklist,
    Waivers,
    Findings,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Markdown,
    Html,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// One `path:line:col: CODE message` line per finding.
    Concise,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum FailOnArg {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Args)]
pub(crate) struct OutputArgs {
    /// Output format (repeatable: one check, several outputs; the n-th --output
    /// goes with the n-th --format). Default: human.
    #[arg(long, value_enum)]
    pub(crate) format: Vec<Format>,
    /// Write the output to FILE (whole or not at all) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Vec<PathBuf>,
    /// The lowest severity that fails the gate. Default: error (or sds.toml's `fail-on`).
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<FailOnArg>,
}

/// `sds.toml`: found from the current folder upward unless told otherwise.
#[derive(Args, Clone)]
pub(crate) struct ConfigArgs {
    /// Read options from FILE instead of the nearest sds.toml (current folder upward).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,
    /// Read no sds.toml.
    #[arg(long)]
    pub(crate) no_config: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub(crate) enum ColorArg {
    /// On a terminal, unless NO_COLOR is set; always when CLICOLOR_FORCE is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options for people reading the output.
#[derive(Args, Clone)]
pub(crate) struct PeopleArgs {
    /// Print only the gating findings and the verdict (human, concise and github formats).
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Also print how many findings each code has (after the human output, else on standard error).
    #[arg(long)]
    pub(crate) statistics: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub(crate) color: ColorArg,
    /// Link finding codes to the findings reference under URL (the sds docs folder, or the
    /// findings page): Markdown and HTML links, SARIF helpUri.
    #[arg(long, value_name = "URL")]
    pub(crate) link_base: Option<String>,
    /// The Markdown output's size budget in bytes (default: under GitHub's 1 MiB step-summary
    /// limit; 65000 for a pull-request comment): failing reports first, the rest counted.
    #[arg(long, value_name = "BYTES", default_value_t = crate::render::markdown::DEFAULT_BUDGET)]
    pub(crate) markdown_limit: usize,
}

#[derive(Args)]
pub(crate) struct CheckArgs {
    /// Report files or folders (walked for *.yaml, *.yml, *.json). Default: the current folder.
    pub(crate) paths: Vec<PathBuf>,
    /// Checklist file or folder (repeatable). Default: the bundled checklists.
    #[arg(long = "checklist", value_name = "PATH")]
    pub(crate) checklists: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    /// Fail the gate when a report scores under PCT percent of its applicable points
    /// (a finite number from 0 to 100; a report with no applicable points never meets it).
    #[arg(long, value_name = "PCT", value_parser = parse_min_score)]
    pub(crate) min_score: Option<f64>,
    /// Open evidence files: check they exist, stay in the report's folder, and match their sha256.
    #[arg(long)]
    pub(crate) verify_evidence: bool,
    /// Judge freshness and waivers at DATE (YYYY-MM-DD) instead of each report's issue date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// Waivers file (sds_waivers: 1).
    #[arg(long, value_name = "FILE")]
    pub(crate) waivers: Option<PathBuf>,
    /// Worker threads. Default: every core.
    #[arg(long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// Leave out paths matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Pass the gate even when no report was found.
    #[arg(long)]
    pub(crate) allow_empty: bool,
    /// Refuse files larger than BYTES (SDS004).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_size)]
    pub(crate) max_file_size: u64,
    /// Refuse files nested deeper than N levels (SDS004). At most 512, the depth proven safe
    /// for the stack; flow collections (`[`, `{`) nest at most 255 deep whatever N is.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth,
          value_parser = parse_max_depth)]
    pub(crate) max_depth: usize,
    /// Refuse files holding more than N values, aliases expanded (SDS004).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_values)]
    pub(crate) max_values: usize,
    /// Refuse files whose YAML aliases expand to more than N values (SDS004).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_alias_nodes)]
    pub(crate) max_alias_values: usize,
    /// Check only part I of N of the inputs (round-robin over the sorted inputs), for CI matrices;
    /// combine the parts with `sds merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub(crate) shard: Option<(usize, usize)>,
    /// A JSON output of an earlier run: findings already in it (same report id, item and code;
    /// without an item, same node and message) are shown apart and do not gate, one finding per
    /// entry over the whole run; its entries that no longer occur are listed.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,
    /// Set a code's severity, e.g. SDS050=error (repeatable; overrides sds.toml's [severity]).
    /// Codes that can never be waived, and findings of `waivable: false` items, are never lowered.
    #[arg(long = "severity", value_name = "CODE=LEVEL", value_parser = crate::config::parse_override)]
    pub(crate) severity: Vec<(crate::Code, crate::Severity)>,
    /// Skip files that are not reports (no top-level `sds_report`), counting them as skipped
    /// (for pre-commit, which passes every staged YAML and JSON file).
    #[arg(long)]
    pub(crate) skip_non_reports: bool,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    #[command(flatten)]
    pub(crate) people: PeopleArgs,
}

fn parse_min_score(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "{s:?} is not a percentage: give a finite number from 0 to 100"
        )),
    }
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("{s:?} is not I/N with 1 <= I <= N (e.g. 2/3)");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

#[derive(Args)]
pub(crate) struct MergeArgs {
    /// JSON outputs of `sds check --format json` (one per shard).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Checklist files or folders the shards used, besides the bundled ones.
    #[arg(long = "checklist", value_name = "PATH")]
    pub(crate) checklists: Vec<PathBuf>,
    /// Output format. The verdict follows the options the shards were run with.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
    /// Write the output to FILE (whole or not at all) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Refuse shard files larger than BYTES (as `check` refuses reports).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_size)]
    pub(crate) max_file_size: u64,
}

#[derive(Args)]
pub(crate) struct DiffArgs {
    /// The old version: a checklist path, or ID@VERSION (e.g. sds@1.0.0).
    pub(crate) old: String,
    /// The new version: a checklist path, or ID@VERSION (e.g. sds@1.1.0).
    pub(crate) new: String,
    /// Checklist files or folders to look ID@VERSION up in, besides the bundled ones.
    #[arg(long = "checklist", value_name = "PATH")]
    pub(crate) checklists: Vec<PathBuf>,
    /// Also check the reports under DIR against both versions and list those that pass no more.
    #[arg(long, value_name = "DIR")]
    pub(crate) reports: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub(crate) format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct InitArgs {
    /// Checklist: ID@VERSION or a path. Default: the newest bundled version.
    #[arg(long, value_name = "ID@VERSION|PATH")]
    pub(crate) checklist: Option<String>,
    /// Vehicle file: what a report's `vehicle:` holds (model, variant, software, attributes).
    #[arg(long, value_name = "FILE", required_unless_present = "attr")]
    pub(crate) vehicle: Option<PathBuf>,
    /// Instead of --vehicle: a vehicle attribute KEY=VALUE (repeatable; lists comma-separated:
    /// features=urban_noa,ecall). Use with --software.
    #[arg(long, value_name = "KEY=VALUE", conflicts_with = "vehicle")]
    pub(crate) attr: Vec<String>,
    /// Vehicle software version (with --attr).
    #[arg(long, value_name = "VERSION", default_value = "0.0.0")]
    pub(crate) software: String,
    /// Report id to write.
    #[arg(long, value_name = "ID", default_value = "RPT-NEW")]
    pub(crate) report_id: String,
    /// Issue date to write (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub(crate) issued: Option<chrono::NaiveDate>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Args)]
pub(crate) struct LintArgs {
    /// Checklist files or folders. Default: sds.toml's `checklists`, else the bundled checklists.
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    #[command(flatten)]
    pub(crate) people: PeopleArgs,
}

fn parse_max_depth(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|e| format!("{e}"))?;
    if n > crate::load::MAX_DEPTH_CEILING {
        return Err(format!(
            "at most {}: deeper nesting is not proven safe for the stack (docs/security.md)",
            crate::load::MAX_DEPTH_CEILING
        ));
    }
    Ok(n)
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

/// `--fail-on` as the engine knows it.
pub(crate) fn fail_on(f: FailOnArg) -> FailOn {
    match f {
        FailOnArg::Error => FailOn::Error,
        FailOnArg::Warning => FailOn::Warning,
        FailOnArg::Note => FailOn::Note,
        FailOnArg::Never => FailOn::Never,
    }
}

impl SchemaName {
    /// The library's name of this schema.
    pub(crate) fn kind(self) -> SchemaKind {
        match self {
            SchemaName::Report => SchemaKind::Report,
            SchemaName::Checklist => SchemaKind::Checklist,
            SchemaName::Waivers => SchemaKind::Waivers,
            SchemaName::Findings => SchemaKind::Findings,
        }
    }
}
