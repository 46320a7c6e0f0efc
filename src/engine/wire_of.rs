//! The run's records of the findings JSON, built from the engine's types.
//! Here rather than in `wire` so that `wire` (read by the baseline and merge
//! loaders the engine uses) depends on nothing of the engine.

use std::fmt::Write as _;

use crate::checklist::source::sha256_hex;
use crate::severity::Severity;
use crate::wire::{
    Checklist, ChecklistFile, Command, Digests, FileRef, Header, Limits, Options, SeverityOverride,
    Skipped, Summary, Tool,
};

use super::{ChecklistInfo, Command as EngineCommand, Run};

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
    let mut lines = String::new();
    for c in checklists {
        // Writing to a String cannot fail.
        let _ = writeln!(lines, "{}\t{}\t{}", c.id, c.version, c.sha256);
    }
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
