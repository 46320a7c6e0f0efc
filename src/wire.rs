//! The wire model of the JSON output (`schema/findings.schema.json`): one
//! serde type per object of the schema, used both to write the output
//! (`render::json`) and to read it back (`sds merge`, `--baseline`), so the
//! writer and the readers can never disagree about a field.
//!
//! Reading is strict, because a merged verdict or a baseline rests on what is
//! read: the text is first validated against the schema (which says what is
//! wrong, and where, in terms a person knows), then deserialized into these
//! types, every object with `deny_unknown_fields` and no field defaulted but
//! the optional ones. A finding code, a severity, a date, a shard, a letter
//! of `score.items` that is not exactly as sds writes it is refused, never
//! read as something else.
//!
//! Field order here is the order in the output (serde writes fields in
//! declaration order), so these declarations fix the byte layout too.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checklist::source::sha256_hex;
use crate::codes::{ALL, Code};
use crate::engine::{ChecklistInfo, Command as EngineCommand, FailOn as EngineFailOn, Run};
use crate::finding::{Finding as EngineFinding, Severity};
use crate::load::{self, Limits as LoadLimits, Span};
use crate::outcome::{
    ChecklistRef as EngineChecklistRef, ItemState, Outcome, Points, Score as EngineScore,
};
use crate::schema::{self, SchemaKind};

/// The whole document, as read back by `sds merge` and `--baseline`. (The
/// writer streams it in pieces: [`Header`], each [`Report`], then the rest.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Format version: 1.
    pub sds_findings: u32,
    /// The command that wrote it.
    pub command: Command,
    /// The tool and its version.
    pub tool: Tool,
    /// One entry per input file.
    pub reports: Vec<Report>,
    /// The options that change the verdict.
    pub options: Options,
    /// Every loaded checklist.
    pub checklists: Vec<Checklist>,
    /// Digests of the inputs and checklists (`check` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digests: Option<Digests>,
    /// The gate's verdict.
    pub verdict: Verdict,
    /// Counts.
    pub summary: Summary,
}

/// What comes before `reports` in the streamed document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// Format version: 1.
    pub sds_findings: u32,
    /// The command.
    pub command: Command,
    /// The tool.
    pub tool: Tool,
}

/// `check` or `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `sds check` (and `sds merge`, `sds baseline`).
    Check,
    /// `sds lint`.
    Lint,
}

/// The tool that wrote the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Always `sds`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// `pass` or `fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Exit 0.
    Pass,
    /// Exit 1.
    Fail,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// `error`.
    Error,
    /// `warning`.
    Warning,
    /// `note`.
    Note,
    /// `never`.
    Never,
}

/// The options that change the verdict (`options`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// `--fail-on`.
    pub fail_on: FailOn,
    /// `--min-score`.
    pub min_score: Option<f64>,
    /// `--verify-evidence`.
    pub verify_evidence: bool,
    /// `--as-of`.
    #[serde(with = "opt_date")]
    pub as_of: Option<NaiveDate>,
    /// `--allow-empty`.
    pub allow_empty: bool,
    /// `--shard I/N`.
    pub shard: Option<String>,
    /// `--baseline`: path and sha256.
    pub baseline: Option<FileRef>,
    /// `--waivers`: path and sha256.
    pub waivers: Option<FileRef>,
    /// `--max-file-size`, `--max-depth`, `--max-alias-values`: what is refused as SDS004.
    pub limits: Limits,
    /// The `sds.toml` the options came from: path and sha256 (absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<FileRef>,
    /// Per-code severity overrides (`[severity]`, `--severity`); absent: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityOverride>,
}

/// One per-code severity override, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityOverride {
    /// `SDSnnn`.
    #[serde(with = "code")]
    pub code: Code,
    /// The severity of its findings in this run.
    pub severity: Severity,
    /// `config` (sds.toml) or `command_line` (`--severity`).
    pub from: String,
}

/// The waiver behind an SDS060 finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// `report` (the report's own `waivers:`) or `waivers_file` (`--waivers`).
    pub from: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub approved_by: String,
}

/// A file an option names, with its sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// As given.
    pub path: String,
    /// Lowercase hex.
    pub sha256: String,
}

/// Input limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Bytes.
    pub max_file_size: u64,
    /// Levels of nesting.
    pub max_depth: usize,
    /// Values aliases may expand to.
    pub max_alias_values: usize,
    /// Values one file may hold.
    pub max_values: usize,
}

/// One loaded checklist version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256 of the file (or of the manifest of a folder's files).
    pub sha256: String,
    /// Compiled into the binary.
    pub bundled: bool,
    /// Each file with its sha256.
    pub files: Vec<ChecklistFile>,
}

/// One file of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistFile {
    /// Path.
    pub path: String,
    /// sha256.
    pub sha256: String,
}

/// What a run was made of, so the shards of one run can be told from others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Digests {
    /// sha256 over every input found, in sorted order, before `--shard`
    /// picks a share (so every shard of one run records the same one).
    pub inputs: String,
    /// sha256 over the loaded checklists' `id`, `version` and `sha256`.
    pub checklists: String,
}

/// `summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Files found.
    pub found: usize,
    /// Inputs checked.
    pub checked: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Findings at error severity (baselined ones apart).
    pub errors: usize,
    /// At warning severity.
    pub warnings: usize,
    /// At note severity.
    pub notes: usize,
    /// Findings the baseline absorbed.
    pub baselined: usize,
    /// Baseline entries that no longer occur.
    pub stale_baseline: Vec<StaleEntry>,
    /// Files skipped, with why.
    pub skipped_files: Vec<Skipped>,
}

/// A file skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skipped {
    /// Path.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// A baseline entry (its key), as listed when it no longer occurs. Ordered
/// so that lists of them are sorted the same way on every machine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaleEntry {
    /// The report id.
    pub report: String,
    /// The item (null for a finding without one).
    pub item: Option<String>,
    /// The code.
    #[serde(with = "code")]
    pub code: Code,
    /// For an entry without an item: the pointer of the node at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For an entry without an item: the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One input file (`reports[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Path as given or found.
    pub path: String,
    /// sha256 of the bytes, when read.
    pub sha256: Option<String>,
    /// `report.id`, when read.
    pub id: Option<String>,
    /// The date it was judged at.
    #[serde(with = "opt_date")]
    pub as_of: Option<NaiveDate>,
    /// The checklist it resolved to.
    pub checklist: Option<ChecklistRef>,
    /// The score, when checked.
    pub score: Option<Score>,
    /// Findings (those absorbed by a baseline apart).
    pub findings: Vec<Finding>,
    /// Findings the baseline absorbed; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baselined: Vec<Finding>,
    /// Values derived from raw test data; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<Derived>,
}

/// A value derived from raw test data (`reports[].derived[]`): what an audit
/// needs to repeat the computation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// The item.
    pub item: String,
    /// The metric.
    pub metric: String,
    /// The derived value, in the registry unit.
    pub value: f64,
    /// The registry unit.
    pub unit: String,
    /// The stated value in the registry unit, or null.
    pub claimed: Option<f64>,
    /// `data.path` as written.
    pub data: String,
    /// `data.position`.
    pub position: String,
    /// Codes of the channels read.
    pub channels: Vec<String>,
    /// Where it was found, ms: a window, or an instant twice.
    pub window_ms: [f64; 2],
}

/// The checklist a report resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRef {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256.
    pub sha256: String,
}

/// A report's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Points earned.
    pub earned: u32,
    /// Points waived.
    pub waived: u32,
    /// Points applicable.
    pub applicable: u32,
    /// The checklist's `total_points`.
    pub total: u32,
    /// earned / applicable in percent, two decimals; null when nothing applies.
    pub percent: Option<f64>,
    /// One letter per item (`ItemState::letter`).
    pub items: String,
    /// Per domain.
    pub domains: Vec<DomainScore>,
}

/// A domain's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainScore {
    /// Domain id.
    pub id: String,
    /// Domain title.
    pub title: String,
    /// Points earned.
    pub earned: u32,
    /// Points waived.
    pub waived: u32,
    /// Points applicable.
    pub applicable: u32,
    /// Points of the domain's items.
    pub total: u32,
    /// earned / applicable in percent; null when nothing applies.
    pub percent: Option<f64>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// `SDSnnn`.
    #[serde(with = "code")]
    pub code: Code,
    /// The code's kebab-case name.
    pub name: String,
    /// Severity.
    pub severity: Severity,
    /// The item, if any.
    pub item: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// JSON pointer of the node at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For SDS060: the code the waiver covers.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_code")]
    pub waives: Option<Code>,
    /// For SDS060: the waiver that covers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Waiver>,
}

// ---- from the engine's types (writing) ----

impl From<&EngineFinding> for Finding {
    fn from(f: &EngineFinding) -> Self {
        Finding {
            code: f.code,
            name: f.code.name().to_owned(),
            severity: f.severity,
            item: f.item.clone(),
            message: f.message.clone(),
            help: f.help.clone(),
            line: f.span.line.max(1),
            column: f.span.col.max(1),
            pointer: f.pointer.clone(),
            waives: f.waives,
            waiver: f.waiver.as_ref().map(|w| Waiver {
                from: if w.external { "waivers_file" } else { "report" }.to_owned(),
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
            }),
        }
    }
}

fn percent(p: &Points) -> Option<f64> {
    p.percent().map(|v| (v * 100.0).round() / 100.0)
}

impl From<&Outcome> for Report {
    fn from(o: &Outcome) -> Self {
        Report {
            path: o.path.clone(),
            sha256: o.sha256.clone(),
            id: o.id.clone(),
            as_of: o.as_of,
            checklist: o.checklist.as_ref().map(|c| ChecklistRef {
                id: c.id.clone(),
                version: c.version.clone(),
                sha256: c.sha256.clone(),
            }),
            score: o.score.as_ref().map(|s| Score {
                earned: s.overall.earned,
                waived: s.overall.waived,
                applicable: s.overall.applicable,
                total: s.overall.total,
                percent: percent(&s.overall),
                items: s.items.iter().map(|i| i.letter()).collect(),
                domains: s
                    .domains
                    .iter()
                    .map(|(id, title, p)| DomainScore {
                        id: id.clone(),
                        title: title.clone(),
                        earned: p.earned,
                        waived: p.waived,
                        applicable: p.applicable,
                        total: p.total,
                        percent: percent(p),
                    })
                    .collect(),
            }),
            findings: o
                .findings
                .iter()
                .filter(|f| !f.baselined)
                .map(Finding::from)
                .collect(),
            baselined: o
                .findings
                .iter()
                .filter(|f| f.baselined)
                .map(Finding::from)
                .collect(),
            derived: o
                .derived
                .iter()
                .map(|d| Derived {
                    item: d.item.clone(),
                    metric: d.metric.clone(),
                    value: d.value,
                    unit: d.unit.clone(),
                    claimed: d.claimed,
                    data: d.data.clone(),
                    position: d.position.clone(),
                    channels: d.channels.clone(),
                    window_ms: [d.window_ms.0, d.window_ms.1],
                })
                .collect(),
        }
    }
}

impl From<&ChecklistInfo> for Checklist {
    fn from(c: &ChecklistInfo) -> Self {
        Checklist {
            id: c.id.clone(),
            version: c.version.clone(),
            sha256: c.sha256.clone(),
            bundled: c.bundled,
            files: c
                .files
                .iter()
                .map(|(path, sha256)| ChecklistFile {
                    path: path.clone(),
                    sha256: sha256.clone(),
                })
                .collect(),
        }
    }
}

impl From<EngineCommand> for Command {
    fn from(c: EngineCommand) -> Self {
        match c {
            EngineCommand::Check => Command::Check,
            EngineCommand::Lint => Command::Lint,
        }
    }
}

impl From<EngineFailOn> for FailOn {
    fn from(f: EngineFailOn) -> Self {
        match f {
            EngineFailOn::Error => FailOn::Error,
            EngineFailOn::Warning => FailOn::Warning,
            EngineFailOn::Note => FailOn::Note,
            EngineFailOn::Never => FailOn::Never,
        }
    }
}

impl From<FailOn> for EngineFailOn {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => EngineFailOn::Error,
            FailOn::Warning => EngineFailOn::Warning,
            FailOn::Note => EngineFailOn::Note,
            FailOn::Never => EngineFailOn::Never,
        }
    }
}

impl Header {
    /// The header of a run of `command` by this build of sds.
    #[must_use]
    pub fn of(command: EngineCommand) -> Self {
        Header {
            sds_findings: 1,
            command: command.into(),
            tool: Tool::this(),
        }
    }
}

impl Tool {
    /// This build of sds.
    #[must_use]
    pub fn this() -> Self {
        Tool {
            name: "sds".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

impl Options {
    /// The verdict-changing options of a run.
    #[must_use]
    pub fn of(run: &Run) -> Self {
        let o = &run.options;
        Options {
            fail_on: o.fail_on.into(),
            min_score: o.min_score,
            verify_evidence: o.verify_evidence,
            as_of: o.as_of,
            allow_empty: o.allow_empty,
            shard: o.shard.map(|(i, n)| format!("{i}/{n}")),
            baseline: o.baseline.as_ref().map(|p| FileRef {
                path: p.to_string_lossy().into_owned(),
                sha256: run
                    .baseline
                    .as_ref()
                    .map(|b| b.sha256.clone())
                    .unwrap_or_default(),
            }),
            waivers: o.waivers.as_ref().map(|p| FileRef {
                path: p.to_string_lossy().into_owned(),
                sha256: run.waivers_sha256.clone().unwrap_or_default(),
            }),
            limits: Limits {
                max_file_size: o.limits.max_file_size,
                max_depth: o.limits.max_depth,
                max_alias_values: o.limits.max_alias_nodes,
                max_values: o.limits.max_values,
            },
            config: o.config.as_ref().map(|(path, sha256)| FileRef {
                path: path.clone(),
                sha256: sha256.clone(),
            }),
            severity: o
                .severity
                .iter()
                .map(|ov| SeverityOverride {
                    code: ov.code,
                    severity: ov.severity,
                    from: ov.from.as_str().to_owned(),
                })
                .collect(),
        }
    }

    /// `shard` as `(I, N)`; a run without `--shard` is part 1 of 1.
    ///
    /// # Errors
    /// When it is not `I/N` with `1 <= I <= N`, as sds writes it.
    pub fn shard(&self) -> Result<(usize, usize), String> {
        let Some(s) = &self.shard else {
            return Ok((1, 1));
        };
        let bad = || format!("`options.shard` is {s:?}, not I/N with 1 <= I <= N");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let num = |t: &str| -> Result<usize, String> {
            // Only the digits sds writes: no sign, space or leading zero.
            if t.is_empty() || t.starts_with('0') || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            t.parse().map_err(|_| bad())
        };
        let (i, n) = (num(i)?, num(n)?);
        if i > n {
            return Err(bad());
        }
        Ok((i, n))
    }
}

impl Summary {
    /// The summary of a run.
    #[must_use]
    pub fn of(run: &Run) -> Self {
        Summary {
            found: run.found,
            checked: run.checked,
            skipped: run.skipped.len(),
            errors: run.count(Severity::Error),
            warnings: run.count(Severity::Warning),
            notes: run.count(Severity::Note),
            baselined: run.totals.baselined,
            stale_baseline: run
                .baseline
                .as_ref()
                .map(|b| b.stale.clone())
                .unwrap_or_default(),
            skipped_files: run
                .skipped
                .iter()
                .map(|(path, reason)| Skipped {
                    path: path.clone(),
                    reason: reason.clone(),
                })
                .collect(),
        }
    }
}

/// The digest of a list of loaded checklists: sha256 over one
/// `id <TAB> version <TAB> sha256 <LF>` line each, in load order.
#[must_use]
pub fn checklists_digest(checklists: &[ChecklistInfo]) -> String {
    let lines: String = checklists
        .iter()
        .map(|c| format!("{}\t{}\t{}\n", c.id, c.version, c.sha256))
        .collect();
    sha256_hex(lines.as_bytes())
}

impl Digests {
    /// The digests of a `check` run (none for `lint`, which has no shards).
    #[must_use]
    pub fn of(run: &Run) -> Option<Self> {
        Some(Digests {
            inputs: run.inputs_sha256.clone()?,
            checklists: checklists_digest(&run.checklists),
        })
    }
}

// ---- back to the engine's types (reading) ----

impl Finding {
    /// The finding as the engine holds it (no byte span: line and column only).
    ///
    /// # Errors
    /// When `name` is not the name of `code`.
    pub fn into_finding(self, baselined: bool) -> Result<EngineFinding, String> {
        if self.name != self.code.name() {
            return Err(format!(
                "finding {} is named {:?}, not {:?}",
                self.code,
                self.name,
                self.code.name()
            ));
        }
        let mut f = EngineFinding::new(
            self.code,
            Span {
                start: 0,
                end: 0,
                line: self.line,
                col: self.column,
            },
            self.message,
        );
        f.severity = self.severity;
        f.item = self.item;
        f.help = self.help;
        f.pointer = self.pointer;
        f.waives = self.waives;
        f.waiver = self.waiver.map(|w| {
            Box::new(crate::finding::WaiverRef {
                external: w.from == "waivers_file",
                reason: w.reason,
                approved_by: w.approved_by,
            })
        });
        f.baselined = baselined;
        Ok(f)
    }
}

impl Report {
    /// The outcome as the engine holds it.
    ///
    /// # Errors
    /// A finding whose name does not match its code, or a letter of
    /// `score.items` that names no state.
    pub fn into_outcome(self) -> Result<Outcome, String> {
        let mut o = Outcome::new(self.path);
        o.sha256 = self.sha256;
        o.id = self.id;
        o.as_of = self.as_of;
        o.checklist = self.checklist.map(|c| EngineChecklistRef {
            id: c.id,
            version: c.version,
            sha256: c.sha256,
        });
        o.score = match self.score {
            None => None,
            Some(s) => Some(EngineScore {
                overall: Points {
                    earned: s.earned,
                    waived: s.waived,
                    applicable: s.applicable,
                    total: s.total,
                },
                domains: s
                    .domains
                    .into_iter()
                    .map(|d| {
                        let p = Points {
                            earned: d.earned,
                            waived: d.waived,
                            applicable: d.applicable,
                            total: d.total,
                        };
                        (d.id, d.title, p)
                    })
                    .collect(),
                items: s
                    .items
                    .chars()
                    .map(|c| {
                        ItemState::from_letter(c).ok_or_else(|| {
                            format!("`score.items` holds {c:?}, which names no state")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            }),
        };
        for f in self.findings {
            o.findings.push(f.into_finding(false)?);
        }
        for f in self.baselined {
            o.findings.push(f.into_finding(true)?);
        }
        o.sort_findings();
        Ok(o)
    }
}

impl Checklist {
    /// As the engine holds it.
    #[must_use]
    pub fn into_info(self) -> ChecklistInfo {
        ChecklistInfo {
            id: self.id,
            version: self.version,
            sha256: self.sha256,
            bundled: self.bundled,
            files: self.files.into_iter().map(|f| (f.path, f.sha256)).collect(),
        }
    }
}

/// Reads a JSON output of sds with the limits of a report (size cap, regular
/// files only), and checks it as [`parse`] does.
///
/// # Errors
/// What is wrong, in one line: unreadable, too large, not JSON, not an sds
/// output (the first schema errors), or a field sds never writes.
pub fn read(path: &Path, limits: &LoadLimits) -> Result<Document, String> {
    let bytes = load::read_bytes(path, limits).map_err(|e| e.message)?;
    parse(&bytes)
}

/// Checks bytes against the findings schema, then reads them into a [`Document`].
///
/// # Errors
/// As [`read`].
pub fn parse(bytes: &[u8]) -> Result<Document, String> {
    // serde_json refuses nesting deeper than 128 levels, so no input can
    // exhaust the stack here.
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let errors = schema::validate_json(&value, SchemaKind::Findings);
    if !errors.is_empty() {
        let more = if errors.len() > 3 {
            format!(" (and {} more)", errors.len() - 3)
        } else {
            String::new()
        };
        return Err(format!(
            "not a JSON output of sds (`sds schema findings`): {}{more}",
            errors
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    let doc: Document =
        serde_json::from_value(value).map_err(|e| format!("not a JSON output of sds: {e}"))?;
    doc.check()?;
    Ok(doc)
}

impl Document {
    /// What the schema cannot say: each finding's name is its code's, each
    /// letter of `score.items` names a state, `options.shard` is `I/N`.
    fn check(&self) -> Result<(), String> {
        self.options.shard()?;
        for r in &self.reports {
            for f in r.findings.iter().chain(&r.baselined) {
                if f.name != f.code.name() {
                    return Err(format!(
                        "{}: finding {} is named {:?}, not {:?}",
                        r.path,
                        f.code,
                        f.name,
                        f.code.name()
                    ));
                }
            }
            if let Some(c) = r.score.as_ref().and_then(|s| {
                s.items
                    .chars()
                    .find(|c| ItemState::from_letter(*c).is_none())
            }) {
                return Err(format!(
                    "{}: `score.items` holds {c:?}, which names no state",
                    r.path
                ));
            }
        }
        Ok(())
    }
}

/// The exact code `SDSnnn` (no names, no other case: only what sds writes).
fn exact_code(s: &str) -> Option<Code> {
    ALL.iter().copied().find(|c| c.as_str() == s)
}

mod code {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::codes::Code;

    pub fn serialize<S: Serializer>(c: &Code, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = String::deserialize(d)?;
        super::exact_code(&s).ok_or_else(|| D::Error::custom(format!("unknown finding code {s:?}")))
    }
}

mod opt_code {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::codes::Code;

    #[allow(clippy::ref_option)] // serde's `with` hands over a reference to the field
    pub fn serialize<S: Serializer>(c: &Option<Code>, s: S) -> Result<S::Ok, S::Error> {
        match c {
            Some(c) => s.serialize_str(c.as_str()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Code>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => super::exact_code(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("unknown finding code {s:?}"))),
        }
    }
}

mod opt_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    #[allow(clippy::ref_option)] // serde's `with` hands over a reference to the field
    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .ok()
                .filter(|d| d.to_string() == s)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{s:?} is not a date YYYY-MM-DD"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(shard: Option<&str>) -> Options {
        Options {
            fail_on: FailOn::Error,
            min_score: None,
            verify_evidence: false,
            as_of: None,
            allow_empty: false,
            shard: shard.map(ToOwned::to_owned),
            baseline: None,
            waivers: None,
            limits: Limits {
                max_file_size: 1,
                max_depth: 1,
                max_alias_values: 1,
                max_values: 1,
            },
            config: None,
            severity: Vec::new(),
        }
    }

    #[test]
    fn shards_are_read_only_as_sds_writes_them() {
        assert_eq!(options(None).shard(), Ok((1, 1)));
        assert_eq!(options(Some("2/3")).shard(), Ok((2, 3)));
        assert_eq!(options(Some("12/12")).shard(), Ok((12, 12)));
        for bad in [
            "0/3", "4/3", "02/3", "2/03", " 2/3", "+2/3", "2", "2/3/4", "a/b", "/",
        ] {
            assert!(options(Some(bad)).shard().is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_severities_and_dates_are_exact() {
        let f = |code: &str, severity: &str| {
            serde_json::from_value::<Finding>(serde_json::json!({
                "code": code, "name": "threshold-violated", "severity": severity,
                "item": null, "message": "m", "line": 1, "column": 1,
            }))
        };
        assert!(f("SDS031", "error").is_ok());
        assert!(f("sds031", "error").is_err());
        assert!(f("threshold-violated", "error").is_err());
        assert!(f("SDS031", "Error").is_err());
        assert!(f("SDS031", "critical").is_err());
        let r = |d: &str| {
            let mut v = serde_json::to_value(Report::from(&Outcome::new("a"))).unwrap();
            v["as_of"] = d.into();
            serde_json::from_value::<Report>(v)
        };
        assert!(r("2025-09-30").is_ok());
        assert!(r("2025-9-30").is_err());
        assert!(r("2025-02-30").is_err());
    }

    #[test]
    fn a_report_round_trips() {
        let mut o = Outcome::new("r.yaml");
        o.id = Some("R".into());
        let mut f = EngineFinding::new(
            Code::ThresholdViolated,
            Span {
                start: 3,
                end: 5,
                line: 7,
                col: 9,
            },
            "too high",
        )
        .item("SDS-CRASH-001");
        f.pointer = Some("/results/0".into());
        o.findings.push(f.clone());
        f.baselined = true;
        f.code = Code::Failed;
        o.findings.push(f);
        let wire = Report::from(&o);
        assert_eq!(wire.findings.len(), 1);
        assert_eq!(wire.baselined.len(), 1);
        let text = serde_json::to_string(&wire).unwrap();
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, wire);
        let o2 = back.into_outcome().unwrap();
        assert_eq!(Report::from(&o2), wire);
    }
}
