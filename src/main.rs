//! The `sds` binary: parses arguments, calls the library, prints, and maps
//! the result to the exit status: 0 the gate passes, 1 it fails, 2 the tool
//! could not do its job.
#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use sds::engine::{self, FailOn, Options, Run};
use sds::load::Limits;
use sds::render::{human, json};
use sds::schema::SchemaKind;

#[derive(Parser)]
#[command(
    name = "sds",
    version,
    about = "Check vehicle test reports against scenario-defined safety checklists"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
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
struct LspArgs {
    /// Checklist files or folders to load instead of the bundled ones.
    #[arg(long = "checklist", value_name = "PATH")]
    checklists: Vec<PathBuf>,
    /// Check evidence files and their sha256 when a report is saved.
    #[arg(long)]
    verify_evidence: bool,
    /// Judge freshness and waivers at this date (YYYY-MM-DD) instead of each report's issue date.
    #[arg(long, value_name = "DATE")]
    as_of: Option<chrono::NaiveDate>,
    /// Link each finding code to `<URL>#sds031` (e.g. a copy of docs/findings.md).
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaName {
    Report,
    Checklist,
    Waivers,
    Findings,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
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
enum FailOnArg {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Args)]
struct OutputArgs {
    /// Output format (repeatable: one check, several outputs; the n-th --output
    /// goes with the n-th --format). Default: human.
    #[arg(long, value_enum)]
    format: Vec<Format>,
    /// Write the output to FILE (whole or not at all) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Vec<PathBuf>,
    /// The lowest severity that fails the gate. Default: error (or sds.toml's `fail-on`).
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
}

/// `sds.toml`: found from the current folder upward unless told otherwise.
#[derive(Args, Clone)]
struct ConfigArgs {
    /// Read options from FILE instead of the nearest sds.toml (current folder upward).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no sds.toml.
    #[arg(long)]
    no_config: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
enum ColorArg {
    /// On a terminal, unless NO_COLOR is set; always when CLICOLOR_FORCE is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options for people reading the output.
#[derive(Args, Clone)]
struct PeopleArgs {
    /// Print only the gating findings and the verdict (human, concise and github formats).
    #[arg(long, short)]
    quiet: bool,
    /// Also print how many findings each code has (after the human output, else on standard error).
    #[arg(long)]
    statistics: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorArg,
    /// Link finding codes to the findings reference under URL (the sds docs folder, or the
    /// findings page): Markdown and HTML links, SARIF helpUri.
    #[arg(long, value_name = "URL")]
    link_base: Option<String>,
    /// The Markdown output's size budget in bytes (default: under GitHub's 1 MiB step-summary
    /// limit; 65000 for a pull-request comment): failing reports first, the rest counted.
    #[arg(long, value_name = "BYTES", default_value_t = sds::render::markdown::DEFAULT_BUDGET)]
    markdown_limit: usize,
}

#[derive(Args)]
struct CheckArgs {
    /// Report files or folders (walked for *.yaml, *.yml, *.json). Default: the current folder.
    paths: Vec<PathBuf>,
    /// Checklist file or folder (repeatable). Default: the bundled checklists.
    #[arg(long = "checklist", value_name = "PATH")]
    checklists: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Fail the gate when a report scores under PCT percent of its applicable points
    /// (a finite number from 0 to 100; a report with no applicable points never meets it).
    #[arg(long, value_name = "PCT", value_parser = parse_min_score)]
    min_score: Option<f64>,
    /// Open evidence files: check they exist, stay in the report's folder, and match their sha256.
    #[arg(long)]
    verify_evidence: bool,
    /// Judge freshness and waivers at DATE (YYYY-MM-DD) instead of each report's issue date.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    as_of: Option<chrono::NaiveDate>,
    /// Waivers file (sds_waivers: 1).
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Worker threads. Default: every core.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Leave out paths matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Pass the gate even when no report was found.
    #[arg(long)]
    allow_empty: bool,
    /// Refuse files larger than BYTES (SDS004).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_size)]
    max_file_size: u64,
    /// Refuse files nested deeper than N levels (SDS004). At most 512, the depth proven safe
    /// for the stack; flow collections (`[`, `{`) nest at most 255 deep whatever N is.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_depth,
          value_parser = parse_max_depth)]
    max_depth: usize,
    /// Refuse files holding more than N values, aliases expanded (SDS004).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_values)]
    max_values: usize,
    /// Refuse files whose YAML aliases expand to more than N values (SDS004).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_alias_nodes)]
    max_alias_values: usize,
    /// Check only part I of N of the inputs (round-robin over the sorted inputs), for CI matrices;
    /// combine the parts with `sds merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// A JSON output of an earlier run: findings already in it (same report id, item and code;
    /// without an item, same node and message) are shown apart and do not gate, one finding per
    /// entry over the whole run; its entries that no longer occur are listed.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Set a code's severity, e.g. SDS050=error (repeatable; overrides sds.toml's [severity]).
    /// Codes that can never be waived, and findings of `waivable: false` items, are never lowered.
    #[arg(long = "severity", value_name = "CODE=LEVEL", value_parser = sds::config::parse_override)]
    severity: Vec<(sds::Code, sds::Severity)>,
    /// Skip files that are not reports (no top-level `sds_report`), counting them as skipped
    /// (for pre-commit, which passes every staged YAML and JSON file).
    #[arg(long)]
    skip_non_reports: bool,
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    people: PeopleArgs,
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
struct MergeArgs {
    /// JSON outputs of `sds check --format json` (one per shard).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Checklist files or folders the shards used, besides the bundled ones.
    #[arg(long = "checklist", value_name = "PATH")]
    checklists: Vec<PathBuf>,
    /// Output format. The verdict follows the options the shards were run with.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Write the output to FILE (whole or not at all) instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Refuse shard files larger than BYTES (as `check` refuses reports).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_file_size)]
    max_file_size: u64,
}

#[derive(Args)]
struct DiffArgs {
    /// The old version: a checklist path, or ID@VERSION (e.g. sds@1.0.0).
    old: String,
    /// The new version: a checklist path, or ID@VERSION (e.g. sds@1.1.0).
    new: String,
    /// Checklist files or folders to look ID@VERSION up in, besides the bundled ones.
    #[arg(long = "checklist", value_name = "PATH")]
    checklists: Vec<PathBuf>,
    /// Also check the reports under DIR against both versions and list those that pass no more.
    #[arg(long, value_name = "DIR")]
    reports: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct InitArgs {
    /// Checklist: ID@VERSION or a path. Default: the newest bundled version.
    #[arg(long, value_name = "ID@VERSION|PATH")]
    checklist: Option<String>,
    /// Vehicle file: what a report's `vehicle:` holds (model, variant, software, attributes).
    #[arg(long, value_name = "FILE", required_unless_present = "attr")]
    vehicle: Option<PathBuf>,
    /// Instead of --vehicle: a vehicle attribute KEY=VALUE (repeatable; lists comma-separated:
    /// features=urban_noa,ecall). Use with --software.
    #[arg(long, value_name = "KEY=VALUE", conflicts_with = "vehicle")]
    attr: Vec<String>,
    /// Vehicle software version (with --attr).
    #[arg(long, value_name = "VERSION", default_value = "0.0.0")]
    software: String,
    /// Report id to write.
    #[arg(long, value_name = "ID", default_value = "RPT-NEW")]
    report_id: String,
    /// Issue date to write (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    issued: Option<chrono::NaiveDate>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct LintArgs {
    /// Checklist files or folders. Default: sds.toml's `checklists`, else the bundled checklists.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    people: PeopleArgs,
}

fn parse_max_depth(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|e| format!("{e}"))?;
    if n > sds::load::MAX_DEPTH_CEILING {
        return Err(format!(
            "at most {}: deeper nesting is not proven safe for the stack (docs/security.md)",
            sds::load::MAX_DEPTH_CEILING
        ));
    }
    Ok(n)
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

fn fail_on(f: FailOnArg) -> FailOn {
    match f {
        FailOnArg::Error => FailOn::Error,
        FailOnArg::Warning => FailOn::Warning,
        FailOnArg::Note => FailOn::Note,
        FailOnArg::Never => FailOn::Never,
    }
}

/// A progress bar on standard error, for runs of many files on a terminal:
/// never in CI logs, never when standard error is piped, and not over a human
/// report being written to the same terminal.
fn progress_bar(out: &OutputArgs) -> Option<engine::ProgressHook> {
    let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let human_on_terminal = out
        .pairs()
        .unwrap_or_default()
        .iter()
        .any(|(f, d)| *f == Format::Human && d.is_none());
    let stdout_free = !human_on_terminal || !std::io::stdout().is_terminal();
    (interactive && stdout_free)
        .then(|| engine::ProgressHook(std::sync::Arc::new(Bar(indicatif::ProgressBar::hidden()))))
}

struct Bar(indicatif::ProgressBar);

impl engine::Progress for Bar {
    fn start(&self) {
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos} files checked ({msg}, {elapsed})",
        ) {
            self.0.set_style(style);
        }
    }
    fn advance(&self) {
        self.0.inc(1);
        // indicatif's own rate looks at the last few steps, and outcomes
        // arrive in batches: the average since the start is the true rate.
        let secs = self.0.elapsed().as_secs_f64();
        if secs > 0.0 {
            #[allow(clippy::cast_precision_loss)] // a file count, far below 2^52
            let rate = self.0.position() as f64 / secs;
            self.0.set_message(format!("{rate:.0} files/s"));
        }
        // A few files check faster than a progress line can be read: show it from the 50th on.
        if self.0.position() == 50 {
            self.0
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// `--color`, set once before any output.
static COLOR: std::sync::OnceLock<ColorArg> = std::sync::OnceLock::new();

/// Colour: `--color always|never` as told; `auto` on a terminal, never with
/// NO_COLOR (https://no-color.org), always with CLICOLOR_FORCE (not `0`).
fn color_for(to_terminal: bool) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.get().copied().unwrap_or_default() {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorArg::Auto => to_terminal || set("CLICOLOR_FORCE"),
    }
}

/// Writes to standard output; a closed pipe (`sds ... | head`) ends quietly.
fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes a file whole or not at all: to a temporary file beside it, then renamed over it.
fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let tmp = temporary_beside(path);
    let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}

impl OutputArgs {
    /// Each format with where it goes (None: standard output).
    fn pairs(&self) -> Result<Vec<(Format, Option<&Path>)>, String> {
        let formats = if self.format.is_empty() {
            &[Format::Human][..]
        } else {
            &self.format[..]
        };
        if self.output.len() > formats.len() {
            return Err(
                "more --output than --format: the n-th --output goes with the n-th --format".into(),
            );
        }
        let pairs: Vec<_> = formats
            .iter()
            .enumerate()
            .map(|(i, f)| (*f, self.output.get(i).map(PathBuf::as_path)))
            .collect();
        if pairs.iter().filter(|(_, o)| o.is_none()).count() > 1 {
            return Err(
                "only one format can go to standard output: give the others an --output FILE"
                    .into(),
            );
        }
        Ok(pairs)
    }

    /// Checks every output before any work: no file named twice (however
    /// spelt), each one's folder exists and can be written to, none is a folder.
    fn check_writable(&self) -> Result<(), String> {
        let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
        for (_, dest) in self.pairs()? {
            let Some(path) = dest else { continue };
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = path
                .file_name()
                .ok_or_else(|| format!("--output {}: not a file name", path.display()))?;
            let folder = std::fs::canonicalize(dir).map_err(|e| {
                format!(
                    "--output {}: its folder {} cannot be used: {e}",
                    path.display(),
                    dir.display()
                )
            })?;
            if path.is_dir() {
                return Err(format!("--output {}: is a folder", path.display()));
            }
            // A link to an existing file is the file it names.
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| folder.join(name));
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                return Err(format!(
                    "--output {} and --output {} name one file: each output needs its own",
                    first.display(),
                    path.display()
                ));
            }
            let probe = temporary_beside(path);
            std::fs::File::create(&probe)
                .map_err(|e| format!("--output {}: cannot write there: {e}", path.display()))?;
            let _ = std::fs::remove_file(&probe);
            seen.push((key, path));
        }
        Ok(())
    }

    /// The one format and its destination, when there is exactly one.
    fn single(&self) -> Option<(Format, Option<&Path>)> {
        match self.pairs() {
            Ok(p) if p.len() == 1 => Some(p[0]),
            _ => None,
        }
    }

    /// Whether a format shows source lines (so file texts must be kept).
    fn shows_sources(&self) -> bool {
        self.format.is_empty()
            || self
                .format
                .iter()
                .any(|f| matches!(f, Format::Human | Format::Html))
    }
}

/// A whole run in one format.
fn render(run: &Run, format: Format, to_terminal: bool, people: &PeopleArgs) -> String {
    let style = human::Style {
        color: color_for(to_terminal),
        width: 100,
    };
    match format {
        Format::Json => json::render(run),
        Format::Human | Format::Concise | Format::Github => {
            let quiet = people.quiet.then_some(run.options.fail_on);
            let mut s: String = run
                .outcomes
                .iter()
                .map(|o| person_report(o, format, run.command, style, quiet))
                .collect();
            s.push_str(&person_footer(run, format, people));
            s
        }
        Format::Gitlab => sds::render::gitlab::render(run),
        Format::Sarif => sds::render::sarif::render(run),
        Format::Junit => sds::render::junit::render(run),
        Format::Markdown => sds::render::markdown::render_within(run, people.markdown_limit),
        Format::Html => sds::render::html::render(run),
    }
}

/// One report in a format for people; with `--quiet` (`quiet` holds
/// `--fail-on`) only its gating findings, without the points summary.
fn person_report(
    o: &sds::outcome::Outcome,
    format: Format,
    command: engine::Command,
    style: human::Style,
    quiet: Option<FailOn>,
) -> String {
    let filtered;
    let o = match quiet {
        Some(fail_on) => {
            let mut q = sds::outcome::Outcome {
                findings: Vec::new(),
                ..o.clone()
            };
            q.findings = o
                .findings
                .iter()
                .filter(|f| !f.baselined && fail_on.fails(f.severity))
                .cloned()
                .collect();
            filtered = q;
            &filtered
        }
        None => o,
    };
    match (format, quiet) {
        (Format::Concise, _) => sds::render::concise::report(o),
        (Format::Github, _) => sds::render::github::report(o),
        (_, Some(_)) => o
            .findings
            .iter()
            .map(|f| human::finding(f, &o.path, o.source.as_ref(), style) + "\n")
            .collect(),
        (_, None) => human::report(o, command, style),
    }
}

/// The end of a format for people: the summary and verdict (with `--quiet`,
/// the counts of files and the verdict), and with `--statistics` a count per code.
fn person_footer(run: &Run, format: Format, people: &PeopleArgs) -> String {
    let mut s = match format {
        Format::Concise => sds::render::concise::footer(run),
        Format::Github => sds::render::github::footer(run),
        _ if people.quiet => {
            let full = human::footer(run);
            let last = full.lines().last().unwrap_or_default();
            format!("{}\n{last}\n", run.inputs_only())
        }
        _ => human::footer(run),
    };
    if people.statistics && format == Format::Human {
        s.push_str(&statistics(run));
    }
    s
}

/// `--statistics`: findings per code, most frequent first.
fn statistics(run: &Run) -> String {
    let mut counts = run.totals.per_code.nonzero();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut s = String::from("findings per code:\n");
    for (code, n) in counts {
        s.push_str(&format!("{n:>7}  {code}  {}\n", code.name()));
    }
    s
}

/// Renders a run (its outcomes kept) in every requested format and writes
/// them all or none: each file goes to a temporary file beside its target,
/// and the temporary files are renamed into place only once every one is
/// complete. Standard output, which cannot be taken back, is written last.
fn emit(run: &Run, out: &OutputArgs, people: &PeopleArgs) -> Result<ExitCode, String> {
    let pairs = out.pairs()?;
    if people.statistics
        && !pairs
            .iter()
            .any(|(f, d)| *f == Format::Human && d.is_none())
    {
        eprint!("{}", statistics(run));
    }
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let mut to_stdout = None;
    let discard = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (format, dest) in pairs {
        let text = render(
            run,
            format,
            dest.is_none() && std::io::stdout().is_terminal(),
            people,
        );
        let Some(path) = dest else {
            to_stdout = Some(text);
            continue;
        };
        let tmp = temporary_beside(path);
        if let Err(e) = std::fs::write(&tmp, &text) {
            let _ = std::fs::remove_file(&tmp);
            discard(&staged);
            return Err(format!("cannot write {}: {e}", path.display()));
        }
        staged.push((tmp, path));
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            // Renames in one folder do not fail short of a vanished folder;
            // the ones not yet renamed are withdrawn.
            discard(&staged[i..]);
            return Err(format!("cannot write {}: {e}", path.display()));
        }
    }
    if let Some(text) = to_stdout {
        print(&text)?;
    }
    Ok(if run.pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Where output goes while it is written: standard output, or a temporary
/// file beside `--output` that is renamed over it once whole.
struct Sink {
    out: Box<dyn Write>,
    tmp: Option<(PathBuf, PathBuf)>,
    error: Option<String>,
}

impl Sink {
    fn open(output: Option<&Path>) -> Result<Self, String> {
        let Some(path) = output else {
            return Ok(Sink {
                out: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
                tmp: None,
                error: None,
            });
        };
        let tmp = temporary_beside(path);
        let file = std::fs::File::create(&tmp)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Sink {
            out: Box::new(std::io::BufWriter::new(file)),
            tmp: Some((tmp, path.to_path_buf())),
            error: None,
        })
    }

    fn write(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(text.as_bytes())
        {
            self.error = Some(e.to_string());
        }
    }

    /// Flushes, and renames a temporary file into place. A closed pipe on
    /// standard output (`sds check | head`) is not an error.
    fn finish(mut self) -> Result<(), String> {
        let flushed = self.out.flush();
        drop(self.out);
        match self.tmp {
            None => match (self.error, flushed) {
                (Some(e), _) if !e.contains("Broken pipe") => {
                    Err(format!("cannot write to standard output: {e}"))
                }
                (_, Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write to standard output: {e}"))
                }
                _ => Ok(()),
            },
            Some((tmp, path)) => {
                let result = match (self.error, flushed) {
                    (Some(e), _) => Err(e),
                    (None, Err(e)) => Err(e.to_string()),
                    (None, Ok(())) => std::fs::rename(&tmp, &path).map_err(|e| e.to_string()),
                };
                if let Err(e) = result {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(format!("cannot write {}: {e}", path.display()));
                }
                Ok(())
            }
        }
    }
}

fn temporary_beside(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.sds-{}.tmp", std::process::id()))
}

enum Failure {
    Engine(engine::Error),
    Io(String),
}

/// `sds check` in the human or JSON format: each report is rendered on the
/// worker that checked it and written as soon as its turn comes.
fn check_streamed(
    options: Options,
    out: &OutputArgs,
    people: &PeopleArgs,
) -> Result<ExitCode, Failure> {
    out.check_writable().map_err(Failure::Io)?;
    let (format, dest) = match out.single() {
        Some(
            single @ (
                Format::Human | Format::Json | Format::Concise | Format::Github | Format::Gitlab,
                _,
            ),
        ) => single,
        // Several outputs, or a format that needs the whole run: keep the outcomes.
        _ => {
            let run = engine::check(options).map_err(Failure::Engine)?;
            return emit(&run, out, people).map_err(Failure::Io);
        }
    };
    let mut sink = Sink::open(dest).map_err(Failure::Io)?;
    let run = match format {
        Format::Json => {
            // The header waits for the first report, so a run that cannot
            // start (exit 2) writes nothing at all.
            let mut first = true;
            let run = engine::check_stream(options, &|o| json::report(&o), &mut |text: String| {
                if first {
                    sink.write(&json::header(engine::Command::Check));
                }
                sink.write(json::separator(first));
                sink.write(&text);
                first = false;
            });
            if let Ok(run) = &run {
                if first {
                    sink.write(&json::header(engine::Command::Check));
                }
                sink.write(&json::footer(run, !first));
            }
            run
        }
        Format::Gitlab => {
            use sds::render::gitlab;
            let (mut started, mut any) = (false, false);
            let run = engine::check_stream(options, &|o| o, &mut |o| {
                if !started {
                    sink.write(gitlab::HEADER);
                    started = true;
                }
                let (text, wrote) = gitlab::report(&o, !any);
                sink.write(&text);
                any |= wrote;
            });
            if run.is_ok() {
                if !started {
                    sink.write(gitlab::HEADER);
                }
                sink.write(gitlab::footer(any));
            }
            run
        }
        _ => {
            let color = dest.is_none() && color_for(std::io::stdout().is_terminal());
            let style = human::Style { color, width: 100 };
            let quiet = people.quiet.then_some(options.fail_on);
            let run = engine::check_stream(
                options,
                &|o| person_report(&o, format, engine::Command::Check, style, quiet),
                &mut |text: String| sink.write(&text),
            );
            if let Ok(run) = &run {
                sink.write(&person_footer(run, format, people));
                if people.statistics && (format != Format::Human || dest.is_some()) {
                    eprint!("{}", statistics(run));
                }
            }
            run
        }
    };
    if let Ok(r) = &run
        && people.statistics
        && matches!(format, Format::Json | Format::Gitlab)
    {
        eprint!("{}", statistics(r));
    }
    match run {
        Ok(run) => {
            sink.finish().map_err(Failure::Io)?;
            Ok(if run.pass {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Err(e) => {
            // Nothing is left half-written: a temporary file is removed.
            if let Some((tmp, _)) = &sink.tmp {
                let _ = std::fs::remove_file(tmp);
            }
            Err(Failure::Engine(e))
        }
    }
}

fn stderr_style() -> human::Style {
    human::Style {
        color: color_for(std::io::stderr().is_terminal()),
        width: 100,
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Cmd::Baseline(mut a) => {
            a.output.format = vec![Format::Json];
            if a.output.output.len() != 1 {
                return Err("sds baseline needs one --output FILE".into());
            }
            a.allow_empty = true;
            match run(Cli {
                command: Cmd::Check(a),
            })? {
                code if code == ExitCode::from(1) => Ok(ExitCode::SUCCESS),
                code => Ok(code),
            }
        }
        Cmd::Merge(a) => {
            let limits = Limits {
                max_file_size: a.max_file_size,
                ..Limits::default()
            };
            let mut inputs = Vec::new();
            for f in &a.files {
                let doc =
                    sds::wire::read(f, &limits).map_err(|e| format!("{}: {e}", f.display()))?;
                inputs.push((f.display().to_string(), doc));
            }
            let loaded =
                sds::checklist::source::load_all(&sources(a.checklists), &Limits::default());
            let catalog = std::sync::Arc::new(sds::checklist::Catalog::new(loaded.checklists));
            let merged = sds::merge::merge(inputs, catalog)?;
            emit(
                &merged,
                &OutputArgs {
                    format: vec![a.format],
                    output: a.output.into_iter().collect(),
                    fail_on: None,
                },
                &PeopleArgs {
                    quiet: false,
                    statistics: false,
                    color: ColorArg::Auto,
                    link_base: None,
                    markdown_limit: sds::render::markdown::DEFAULT_BUDGET,
                },
            )
        }
        Cmd::Check(mut a) => {
            let _ = COLOR.set(a.people.color);
            let config = load_config(&a.config)?;
            let settings = config
                .as_ref()
                .map(|c| c.settings.clone())
                .unwrap_or_default();
            let fail_on = a
                .output
                .fail_on
                .map(fail_on)
                .or(settings.fail_on)
                .unwrap_or_default();
            config_outputs(&mut a.output, &settings)?;
            let options = Options {
                severity: sds::config::merge_overrides(&settings.severity, &a.severity),
                config: config
                    .as_ref()
                    .map(|c| (c.path.display().to_string(), c.sha256.clone())),
                skip_non_reports: a.skip_non_reports || settings.skip_non_reports == Some(true),
                link_base: a.people.link_base.clone().or(settings.link_base),
                paths: a.paths,
                checklists: if a.checklists.is_empty() {
                    settings.checklists
                } else {
                    a.checklists
                },
                fail_on,
                min_score: a.min_score.or(settings.min_score),
                verify_evidence: a.verify_evidence || settings.verify_evidence == Some(true),
                as_of: a.as_of.or(match settings.as_of {
                    Some(sds::config::AsOf::Date(d)) => Some(d),
                    Some(sds::config::AsOf::Today) => Some(chrono::Local::now().date_naive()),
                    Some(sds::config::AsOf::Issued) | None => None,
                }),
                waivers: a.waivers.or(settings.waivers),
                jobs: a.jobs,
                exclude: if a.exclude.is_empty() {
                    settings.exclude
                } else {
                    a.exclude
                },
                allow_empty: a.allow_empty || settings.allow_empty == Some(true),
                limits: Limits {
                    max_file_size: a.max_file_size,
                    max_depth: a.max_depth,
                    max_alias_nodes: a.max_alias_values,
                    max_values: a.max_values,
                },
                keep_sources: a.output.shows_sources(),
                pin: None,
                shard: a.shard,
                baseline: a.baseline,
                progress: progress_bar(&a.output),
            };
            match check_streamed(options, &a.output, &a.people) {
                Ok(code) => Ok(code),
                Err(Failure::Io(message)) => Err(message),
                Err(Failure::Engine(engine::Error::ChecklistInvalid(lint_run))) => {
                    eprint!("{}", human::render(&lint_run, stderr_style()));
                    Err(engine::Error::ChecklistInvalid(lint_run).to_string())
                }
                Err(Failure::Engine(engine::Error::WaiversInvalid(path, outcome))) => {
                    for f in &outcome.findings {
                        eprint!(
                            "{}",
                            human::finding(
                                f,
                                &outcome.path,
                                outcome.source.as_ref(),
                                stderr_style()
                            )
                        );
                    }
                    Err(format!("the waivers file {path} is not valid"))
                }
                Err(Failure::Engine(e)) => Err(e.to_string()),
            }
        }
        Cmd::Lint(mut a) => {
            let _ = COLOR.set(a.people.color);
            let config = load_config(&a.config)?;
            let settings = config
                .as_ref()
                .map(|c| c.settings.clone())
                .unwrap_or_default();
            config_outputs(&mut a.output, &settings)?;
            let mut run = engine::lint(Options {
                paths: if a.paths.is_empty() {
                    settings.checklists
                } else {
                    a.paths
                },
                fail_on: a
                    .output
                    .fail_on
                    .map(fail_on)
                    .or(settings.fail_on)
                    .unwrap_or_default(),
                keep_sources: a.output.shows_sources(),
                config: config
                    .as_ref()
                    .map(|c| (c.path.display().to_string(), c.sha256.clone())),
                ..Options::default()
            });
            run.options.link_base = a.people.link_base.clone().or(settings.link_base);
            if run.outcomes.is_empty() {
                return Err("no checklist found to lint".into());
            }
            emit(&run, &a.output, &a.people)
        }
        Cmd::Explain { what, checklists } => {
            if let Ok(c) = what.parse::<sds::Code>() {
                print(&sds::explain::code(c))?;
                return Ok(ExitCode::SUCCESS);
            }
            let loaded = sds::checklist::source::load_all(&sources(checklists), &Limits::default());
            let catalog = sds::checklist::Catalog::new(loaded.checklists);
            match sds::explain::item(&catalog, &what) {
                Some(text) => {
                    print(&text)?;
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    let near = sds::explain::nearest_items(&catalog, &what);
                    let hint = if near.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", near.join(" or "))
                    };
                    Err(format!(
                        "{what:?} is neither a finding code (SDS001..SDS108, or a name such as threshold-violated) nor an item of a loaded checklist{hint}"
                    ))
                }
            }
        }
        Cmd::Diff(a) => diff(a),
        Cmd::Completions { shell } => {
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
            print(&String::from_utf8_lossy(&out))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Manpage => {
            print(&manpage().map_err(|e| format!("cannot render the manual page: {e}"))?)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::DebugParse { paths, jobs } => {
            let (files, bytes) = engine::parse_only(&Options {
                paths,
                jobs,
                ..Options::default()
            })
            .map_err(|e| e.to_string())?;
            print(&format!("parsed {files} files, {bytes} bytes\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Init(a) => init(a),
        Cmd::Catalog {
            checklist,
            checklists,
            output,
        } => {
            let c = named_or_newest(checklist.as_deref(), &checklists)?;
            let text = sds::catalog_doc::markdown(&c);
            match output {
                Some(p) => write_atomically(&p, &text)?,
                None => print(&text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Schema {
            name: SchemaName::Report,
            checklist: Some(spec),
        } => {
            let sources = vec![sds::checklist::ChecklistSource::Bundled];
            let c = sds::checklist::source::find(&spec, &sources, &Limits::default())?;
            let schema = sds::schema::report_for(&c);
            print(&(serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n"))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Schema { name, .. } => {
            let kind = match name {
                SchemaName::Report => SchemaKind::Report,
                SchemaName::Checklist => SchemaKind::Checklist,
                SchemaName::Waivers => SchemaKind::Waivers,
                SchemaName::Findings => SchemaKind::Findings,
            };
            print(kind.text())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Lsp(a) => {
            // sds.toml, found from the current folder upward, gives the defaults;
            // the command line of `sds lsp` overrides them.
            let file = std::env::current_dir()
                .ok()
                .and_then(|d| sds::config::find(&d))
                .map(|p| sds::config::load(&p))
                .transpose()
                .map_err(|e| format!("{e:?}"))?
                .map(|c| c.settings)
                .unwrap_or_default();
            let config = sds::lsp::Config {
                checklists: if a.checklists.is_empty() {
                    file.checklists
                } else {
                    a.checklists
                },
                verify_evidence: a.verify_evidence || file.verify_evidence == Some(true),
                as_of: a.as_of.or(match file.as_of {
                    Some(sds::config::AsOf::Date(d)) => Some(d),
                    Some(sds::config::AsOf::Today) => Some(chrono::Local::now().date_naive()),
                    _ => None,
                }),
                link_base: a.link_base.or(file.link_base),
                limits: Limits::default(),
                severity: sds::config::merge_overrides(&file.severity, &[]),
            };
            sds::lsp::serve_stdio(config).map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::List { checklists } => {
            let sources: Vec<_> = if checklists.is_empty() {
                vec![sds::checklist::ChecklistSource::Bundled]
            } else {
                checklists
                    .into_iter()
                    .map(sds::checklist::ChecklistSource::Path)
                    .collect()
            };
            let loaded = sds::checklist::source::load_all(&sources, &Limits::default());
            let mut out = String::new();
            for c in &loaded.checklists {
                let points: u32 = c.items.iter().map(|i| i.points).sum();
                out.push_str(&format!(
                    "{}@{}{}  {} — {} items, {} points (total_points {}), {} domains: {}\n",
                    c.id,
                    c.version,
                    if c.bundled { " (bundled)" } else { "" },
                    c.title,
                    c.items.len(),
                    points,
                    c.total_points,
                    c.domains.len(),
                    c.domains
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if loaded.has_errors() {
                out.push_str("some checklists have errors: run `sds lint` to see them\n");
            }
            print(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
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

/// The sds.toml of this run: `--config FILE`, else the nearest one from the
/// current folder upward, unless `--no-config`.
fn load_config(c: &ConfigArgs) -> Result<Option<sds::config::Config>, String> {
    if c.no_config {
        return Ok(None);
    }
    let path = match &c.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| sds::config::find_relative(&d)),
    };
    path.map(|p| sds::config::load(&p).map_err(|e| e.to_string()))
        .transpose()
}

/// sds.toml's `outputs`, when the command line names no format and no output.
fn config_outputs(out: &mut OutputArgs, s: &sds::config::Settings) -> Result<(), String> {
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

/// The bundled checklists and those of `paths` (for look-ups by ID@VERSION).
fn sources(paths: Vec<PathBuf>) -> Vec<sds::checklist::ChecklistSource> {
    std::iter::once(sds::checklist::ChecklistSource::Bundled)
        .chain(paths.into_iter().map(sds::checklist::ChecklistSource::Path))
        .collect()
}

/// A checklist named by path or ID@VERSION, or the newest bundled version.
fn named_or_newest(
    spec: Option<&str>,
    extra: &[PathBuf],
) -> Result<sds::checklist::Checklist, String> {
    let sources = sources(extra.to_vec());
    match spec {
        Some(spec) => sds::checklist::source::find(spec, &sources, &Limits::default()),
        None => sds::checklist::source::load_all(
            &[sds::checklist::ChecklistSource::Bundled],
            &Limits::default(),
        )
        .checklists
        .pop()
        .ok_or_else(|| "no bundled checklist".to_owned()),
    }
}

fn diff(a: DiffArgs) -> Result<ExitCode, String> {
    let sources = sources(a.checklists);
    let old = sds::checklist::source::find(&a.old, &sources, &Limits::default())?;
    let new = sds::checklist::source::find(&a.new, &sources, &Limits::default())?;
    let d = sds::diff::diff(&old, &new);
    let affected = match &a.reports {
        Some(dir) if !dir.is_dir() => {
            return Err(format!(
                "--reports {}: not a folder that can be read",
                dir.display()
            ));
        }
        Some(dir) => Some(
            sds::diff::affected_reports(
                &old,
                &new,
                &Options {
                    paths: vec![dir.clone()],
                    ..Options::default()
                },
            )
            .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    let text = match a.format {
        Format::Json => {
            let mut v = d.to_json(&old, &new);
            if let Some(list) = &affected {
                v["reports"] = list
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "path": r.path, "id": r.id,
                            "findings": r.findings.iter().map(json::finding).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
            }
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Sarif
        | Format::Junit
        | Format::Markdown
        | Format::Html
        | Format::Github
        | Format::Gitlab
        | Format::Concise => {
            return Err("sds diff writes --format human or json".into());
        }
        Format::Human => {
            let mut s = d.render_human(&old, &new);
            if let Some(list) = &affected {
                s.push_str(&format!(
                    "\n{} report(s) with no error under {} have errors under {}:\n",
                    list.len(),
                    old.label(),
                    new.label()
                ));
                for r in list {
                    s.push_str(&format!(
                        "{} ({})\n",
                        r.path,
                        r.id.as_deref().unwrap_or("no id")
                    ));
                    for f in &r.findings {
                        s.push_str(&format!(
                            "  {}:{}:{}: {} {}\n",
                            r.path, f.span.line, f.span.col, f.code, f.message
                        ));
                    }
                }
            }
            s
        }
    };
    match &a.output {
        Some(p) => write_atomically(p, &text)?,
        None => print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn init(a: InitArgs) -> Result<ExitCode, String> {
    let checklist = named_or_newest(a.checklist.as_deref(), &[])?;
    let vehicle = match &a.vehicle {
        Some(path) => {
            let bytes = sds::load::read_bytes(path, &Limits::default()).map_err(|e| e.message)?;
            let text = sds::load::decode(bytes)
                .map_err(|e| format!("{}: {}", path.display(), e.message))?;
            let root = sds::load::parse(&text, &Limits::default()).map_err(|e| {
                format!(
                    "{}:{}:{}: {}",
                    path.display(),
                    e.span.line,
                    e.span.col,
                    e.message
                )
            })?;
            sds::init::Vehicle::from_tree(&root).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => {
            let mut attributes = Vec::new();
            for kv in &a.attr {
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--attr {kv}: expected KEY=VALUE"))?;
                let values = v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                attributes.push((k.trim().to_owned(), values));
            }
            sds::init::Vehicle {
                software: a.software.clone(),
                attributes,
                ..Default::default()
            }
        }
    };
    let issued = a
        .issued
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let problems = vehicle.attribute_problems(&checklist);
    if !problems.is_empty() {
        return Err(format!(
            "the vehicle's attributes do not fit {}'s vocabulary (SDS014 in a report):\n  {}",
            checklist.label(),
            problems.join("\n  ")
        ));
    }
    let text = sds::init::skeleton(&checklist, &vehicle, &a.report_id, issued);
    match &a.output {
        Some(p) => write_atomically(p, &text)?,
        None => print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
