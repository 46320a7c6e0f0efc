//! `--baseline FILE`: the findings of an earlier run, accepted as known gaps.
//!
//! A finding is keyed on meaning, never on a line: the report id, the item
//! and the code, and for a finding without an item also the JSON pointer of
//! the node at fault and the message, so one schema-level finding never
//! stands for another. Keys are counted over the whole run, in input order:
//! each entry absorbs one finding, so a key that occurs more often now (a
//! second file with the same report id, a second occurrence in one file)
//! gates. A baseline can accept a known gap, never a report that was not
//! checked: findings no waiver can turn off (`Code::never_waivable`) and
//! SDS010 are never absorbed, nor anything of a report without an id.

use std::collections::BTreeMap;
use std::path::Path;

use crate::codes::Code;
use crate::finding::Finding;
use crate::load::Limits;
use crate::outcome::Outcome;
use crate::wire::{self, Command, Document, StaleEntry};

/// The key of a baseline entry (the same shape it is listed in when stale).
pub type Key = StaleEntry;

/// How a run used its baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineUse {
    /// sha256 of the baseline file.
    pub sha256: String,
    /// Entries of the baseline that no longer occur, sorted.
    pub stale: Vec<Key>,
}

/// Whether a baseline may ever absorb a finding of this code.
#[must_use]
pub fn absorbable(code: Code) -> bool {
    !code.never_waivable() && code != Code::ChecklistNotFound
}

fn key(
    report: Option<&str>,
    code: Code,
    item: Option<&str>,
    pointer: Option<&str>,
    message: &str,
) -> Option<Key> {
    if !absorbable(code) {
        return None;
    }
    let report = report?.to_owned();
    Some(match item {
        Some(item) => Key {
            report,
            item: Some(item.to_owned()),
            code,
            pointer: None,
            message: None,
        },
        None => Key {
            report,
            item: None,
            code,
            pointer: pointer.map(ToOwned::to_owned),
            message: Some(message.to_owned()),
        },
    })
}

/// The key of a finding of the report with id `report`, or `None` when no
/// baseline may absorb it.
#[must_use]
pub fn key_of(report: Option<&str>, f: &Finding) -> Option<Key> {
    key(
        report,
        f.code,
        f.item.as_deref(),
        f.pointer.as_deref(),
        &f.message,
    )
}

fn wire_key(report: Option<&str>, f: &wire::Finding) -> Option<Key> {
    key(
        report,
        f.code,
        f.item.as_deref(),
        f.pointer.as_deref(),
        &f.message,
    )
}

/// An earlier run's findings, counted by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    sha256: String,
    entries: BTreeMap<Key, usize>,
}

impl Baseline {
    /// Reads a JSON output of `sds check` with the limits of a report.
    ///
    /// # Errors
    /// What is wrong with the file, in one line.
    pub fn load(path: &Path, limits: &Limits) -> Result<Self, String> {
        let bytes = crate::load::read_bytes(path, limits).map_err(|e| e.message)?;
        let doc = wire::parse(&bytes)?;
        Self::of_output(&doc, crate::checklist::source::sha256_hex(&bytes))
    }

    /// The baseline an output holds: its findings, absorbed or not.
    ///
    /// # Errors
    /// When it is not the output of `sds check`.
    pub fn of_output(doc: &Document, sha256: String) -> Result<Self, String> {
        if doc.command != Command::Check {
            return Err("not a JSON output of `sds check` (it is of `sds lint`)".into());
        }
        let mut entries = BTreeMap::new();
        for r in &doc.reports {
            for f in r.findings.iter().chain(&r.baselined) {
                if let Some(k) = wire_key(r.id.as_deref(), f) {
                    *entries.entry(k).or_default() += 1;
                }
            }
        }
        Ok(Baseline { sha256, entries })
    }

    /// The baseline a shard was checked against, rebuilt from its output:
    /// what it absorbed plus what it listed as stale (each shard sees the
    /// whole baseline). `None` when the shard used no baseline.
    #[must_use]
    pub fn of_shard(doc: &Document) -> Option<Self> {
        let sha256 = doc.options.baseline.as_ref()?.sha256.clone();
        let mut entries: BTreeMap<Key, usize> = BTreeMap::new();
        for r in &doc.reports {
            for f in &r.baselined {
                if let Some(k) = wire_key(r.id.as_deref(), f) {
                    *entries.entry(k).or_default() += 1;
                }
            }
        }
        for k in &doc.summary.stale_baseline {
            *entries.entry(k.clone()).or_default() += 1;
        }
        Some(Baseline { sha256, entries })
    }

    /// A fresh count for one run.
    #[must_use]
    pub fn tally(&self) -> Tally {
        Tally {
            sha256: self.sha256.clone(),
            left: self.entries.clone(),
        }
    }
}

/// What is left of a baseline as a run goes through its reports, in input order.
#[derive(Debug)]
pub struct Tally {
    sha256: String,
    left: BTreeMap<Key, usize>,
}

impl Tally {
    /// Marks the findings of `o` the baseline still holds an entry for, using
    /// one entry per finding.
    pub fn apply(&mut self, o: &mut Outcome) {
        for f in &mut o.findings {
            f.baselined = false;
            let Some(k) = key_of(o.id.as_deref(), f) else {
                continue;
            };
            if let Some(n) = self.left.get_mut(&k)
                && *n > 0
            {
                *n -= 1;
                f.baselined = true;
            }
        }
    }

    /// sha256 of the baseline file.
    #[must_use]
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The run is over: the entries no finding used are stale.
    #[must_use]
    pub fn finish(self) -> BaselineUse {
        BaselineUse {
            sha256: self.sha256,
            stale: self
                .left
                .into_iter()
                .flat_map(|(k, n)| std::iter::repeat_n(k, n))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Span;

    fn finding(code: Code, item: Option<&str>, pointer: &str, message: &str) -> Finding {
        let mut f = Finding::new(code, Span::TOP, message);
        f.item = item.map(ToOwned::to_owned);
        f.pointer = Some(pointer.to_owned());
        f
    }

    fn outcome(id: &str, findings: Vec<Finding>) -> Outcome {
        let mut o = Outcome::new(format!("{id}.yaml"));
        o.id = Some(id.to_owned());
        o.findings = findings;
        o
    }

    fn baseline_of(outcomes: &[Outcome]) -> Baseline {
        let mut entries = BTreeMap::new();
        for o in outcomes {
            for f in &o.findings {
                if let Some(k) = key_of(o.id.as_deref(), f) {
                    *entries.entry(k).or_default() += 1;
                }
            }
        }
        Baseline {
            sha256: String::new(),
            entries,
        }
    }

    fn absorbed(o: &Outcome) -> Vec<bool> {
        o.findings.iter().map(|f| f.baselined).collect()
    }

    #[test]
    fn without_an_item_the_node_and_the_message_are_the_key() {
        let old = outcome(
            "R",
            vec![finding(Code::StaleResult, None, "/report/issued", "old")],
        );
        let mut tally = baseline_of(&[old]).tally();
        let mut now = outcome(
            "R",
            vec![
                finding(Code::StaleResult, None, "/report/lab", "old"),
                finding(Code::StaleResult, None, "/report/issued", "other"),
                finding(Code::StaleResult, None, "/report/issued", "old"),
            ],
        );
        tally.apply(&mut now);
        assert_eq!(absorbed(&now), [false, false, true]);
        assert!(tally.finish().stale.is_empty());
    }

    #[test]
    fn with_an_item_lines_pointers_and_messages_do_not_matter() {
        let old = outcome(
            "R",
            vec![finding(Code::StaleResult, Some("I"), "/results/0", "a")],
        );
        let mut tally = baseline_of(&[old]).tally();
        let mut now = outcome(
            "R",
            vec![finding(Code::StaleResult, Some("I"), "/results/7", "b")],
        );
        tally.apply(&mut now);
        assert_eq!(absorbed(&now), [true]);
    }

    #[test]
    fn entries_are_used_once_over_the_whole_run_and_the_rest_are_stale() {
        let f = || finding(Code::Failed, Some("I"), "/results/0/status", "m");
        let old = outcome("R", vec![f(), finding(Code::Failed, Some("J"), "/x", "m")]);
        let mut tally = baseline_of(&[old]).tally();
        let mut first = outcome("R", vec![f()]);
        let mut second = outcome("R", vec![f()]);
        tally.apply(&mut first);
        tally.apply(&mut second);
        assert_eq!(
            (absorbed(&first), absorbed(&second)),
            (vec![true], vec![false])
        );
        let stale = tally.finish().stale;
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].item.as_deref(), Some("J"));
    }

    #[test]
    fn what_no_waiver_covers_and_unchecked_reports_are_never_keys() {
        for code in [
            Code::ParseError,
            Code::SchemaViolation,
            Code::ChecklistNotFound,
            Code::InvalidVehicleAttribute,
            Code::EvidencePathEscape,
        ] {
            assert!(key_of(Some("R"), &finding(code, None, "/", "m")).is_none());
        }
        assert!(key_of(None, &finding(Code::Failed, Some("I"), "/", "m")).is_none());
        assert!(key_of(Some("R"), &finding(Code::Failed, Some("I"), "/", "m")).is_some());
    }
}
