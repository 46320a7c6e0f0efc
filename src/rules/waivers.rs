//! Waivers: SDS060 to SDS063.
//!
//! A valid waiver (reason, approver, end date, not past at the as-of date)
//! turns the findings of its item into SDS060 notes in place, so an audit
//! still sees what was accepted. An expired waiver changes nothing but adds
//! SDS061; a waiver on an item marked `waivable: false` adds SDS063.

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use super::Context;
use crate::codes::{Code, Family};
use crate::finding::{Finding, Severity};
use crate::load::Span;
use crate::outcome::Outcome;

/// A waiver from `--waivers FILE`.
#[derive(Debug, Clone)]
pub struct ExternalWaiver {
    /// The item it covers.
    pub item: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it.
    pub approved_by: String,
    /// Last day it is valid.
    pub expires: NaiveDate,
    /// `reports:` glob (gitignore rules: `*` and `?` never cross `/`, `**`
    /// does), matched against the report's path relative to [`Self::base`].
    pub reports: Option<globset::GlobMatcher>,
    /// The folder holding the waivers file, normalised (see [`normalise`]).
    pub base: PathBuf,
    /// `report:` id.
    pub report: Option<String>,
    /// Where it stands in the waivers file (`file:line`).
    pub origin: String,
    /// Its span in the waivers file.
    pub span: Span,
}

impl ExternalWaiver {
    /// Whether it is meant for this report; `path` is the report's path
    /// normalised by [`normalise`], so one file named two ways gets one answer.
    #[must_use]
    pub fn matches(&self, path: &Path, report_id: &str) -> bool {
        self.reports.as_ref().is_none_or(|g| {
            path.strip_prefix(&self.base)
                .is_ok_and(|relative| g.is_match(relative))
        }) && self.report.as_ref().is_none_or(|r| r == report_id)
    }
}

/// A path made absolute and free of `.`, `..` and links where the file
/// exists (lexically otherwise), so `r.yaml`, `./r.yaml` and `/abs/r.yaml`
/// are one path.
#[must_use]
pub fn normalise(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in absolute.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// What an external waiver did in one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalUse {
    /// It covered findings (SDS060).
    Covered,
    /// It would have covered findings but had expired (its SDS061 is
    /// reported once, in the waivers file).
    Expired,
    /// It names an item that cannot be waived (its SDS063 is reported once,
    /// in the waivers file).
    NotAllowed,
}

/// What applying waivers did.
#[derive(Debug, Default)]
pub struct Applied {
    /// External waivers (by index in the waivers file) that mattered here, and how.
    pub used_external: Vec<(usize, ExternalUse)>,
}

/// One waiver, wherever it came from.
struct Any<'a> {
    item: &'a str,
    reason: &'a str,
    approved_by: &'a str,
    expires: NaiveDate,
    /// For report waivers: the item node's span and the expires span.
    at: Option<(Span, Span)>,
    external: Option<(usize, &'a str)>,
}

/// Findings a waiver may cover: never the input itself, what the report is
/// about, an evidence path escape (`Code::never_waivable`), a report that
/// could not be resolved (SDS010), nor the waivers' own findings.
fn waivable_code(code: Code) -> bool {
    !code.never_waivable()
        && code != Code::ChecklistNotFound
        && code.info().family != Family::Waivers
}

/// SDS060 (in place of covered findings), SDS061, SDS062, SDS063.
pub fn apply(ctx: &Context<'_>, findings: &mut Vec<Finding>) -> Applied {
    let all = gather(ctx);
    let mut applied = Applied::default();
    let mut added = Vec::new();
    for w in &all {
        // Only what would have covered a finding counts as used, whatever became of it.
        if let Some((how, true)) = apply_one(ctx, w, findings, &mut added)
            && let Some((i, _)) = w.external
        {
            applied.used_external.push((i, how));
        }
    }
    findings.extend(added);
    applied
}

/// The report's own waivers, then the external ones that match it.
fn gather<'a>(ctx: &Context<'a>) -> Vec<Any<'a>> {
    let mut all: Vec<Any<'_>> = ctx
        .report
        .waivers
        .iter()
        .map(|w| Any {
            item: w.item.as_str().unwrap_or_default(),
            reason: w.reason,
            approved_by: w.approved_by,
            expires: w.expires.date,
            at: Some((w.item.span, w.expires.span)),
            external: None,
        })
        .collect();
    all.extend(ctx.external_waivers.iter().map(|(i, w)| Any {
        item: &w.item,
        reason: &w.reason,
        approved_by: &w.approved_by,
        expires: w.expires,
        at: None,
        external: Some((*i, w.origin.as_str())),
    }));
    all
}

/// Applies one waiver: its own findings go to `added`, covered findings are
/// turned into SDS060 in place. Returns what it did (`None` when it covers
/// nothing and is not on a non-waivable item or expired) and whether it
/// would have covered a finding.
fn apply_one(
    ctx: &Context<'_>,
    w: &Any<'_>,
    findings: &mut [Finding],
    added: &mut Vec<Finding>,
) -> Option<(ExternalUse, bool)> {
    let covers = |f: &Finding| {
        f.item.as_deref() == Some(w.item) && f.severity > Severity::Note && waivable_code(f.code)
    };
    let would_cover = findings.iter().any(covers);
    // External waivers are shared by many reports: their problems are
    // reported once per run, in the waivers file, never in each report.
    let speaks = w.at.is_some();
    let (item_span, expires_span) = w.at.unwrap_or((Span::TOP, Span::TOP));
    let from = w.external.map_or(String::new(), |(_, origin)| {
        format!(" (waiver at {origin})")
    });
    if ctx.checklist.item(w.item).is_some_and(|i| !i.waivable) {
        if speaks {
            added.push(
                Finding::new(
                    Code::WaiverNotAllowed,
                    item_span,
                    format!("{} cannot be waived (waivable: false){from}", w.item),
                )
                .item(w.item)
                .help("remove the waiver and close the gap"),
            );
        }
        return Some((ExternalUse::NotAllowed, would_cover));
    }
    if ctx.as_of > w.expires {
        if speaks {
            added.push(
                Finding::new(
                    Code::WaiverExpired,
                    expires_span,
                    format!(
                        "the waiver of {} expired on {} (as of {}){from}",
                        w.item, w.expires, ctx.as_of
                    ),
                )
                .item(w.item)
                .help("close the gap, or have the waiver renewed by its approver"),
            );
        }
        return Some((ExternalUse::Expired, would_cover));
    }
    if !would_cover {
        if speaks {
            added.push(
                Finding::new(
                    Code::WaiverUnused,
                    item_span,
                    format!("the waiver of {} covers nothing", w.item),
                )
                .item(w.item)
                .help("remove the waiver"),
            );
        }
        return None;
    }
    for f in findings.iter_mut().filter(|f| covers(f)) {
        *f = waived(f, w, &from);
    }
    Some((ExternalUse::Covered, true))
}

/// SDS060 in place of a finding `w` covers.
fn waived(f: &Finding, w: &Any<'_>, from: &str) -> Finding {
    Finding {
        code: Code::Waived,
        severity: Severity::Note,
        message: format!(
            "waived until {} by {}{from}: {}",
            w.expires, w.approved_by, f.message
        ),
        waives: Some(f.code),
        help: None,
        waiver: Some(Box::new(crate::finding::WaiverRef {
            external: w.external.is_some(),
            reason: w.reason.to_owned(),
            approved_by: w.approved_by.to_owned(),
        })),
        ..f.clone()
    }
}

/// The problems of external waivers, each reported once per run, in the
/// waivers file: SDS063 for one on a non-waivable item, SDS061 for one that
/// had expired where it mattered (or at `--as-of`), else SDS062 for one that
/// covered nothing in any report. One problem, one finding.
pub fn run_wide(
    waivers: &[ExternalWaiver],
    used: &[Vec<ExternalUse>],
    as_of: Option<NaiveDate>,
    o: &mut Outcome,
) {
    for (w, how) in waivers.iter().zip(used) {
        let f = if how.contains(&ExternalUse::NotAllowed) {
            Finding::new(
                Code::WaiverNotAllowed,
                w.span,
                format!("{} cannot be waived (waivable: false)", w.item),
            )
            .help("remove the waiver and close the gap")
        } else if how.contains(&ExternalUse::Expired)
            || (how.is_empty() && as_of.is_some_and(|d| d > w.expires))
        {
            Finding::new(
                Code::WaiverExpired,
                w.span,
                format!("the waiver of {} expired on {}", w.item, w.expires),
            )
            .help("close the gap, or have the waiver renewed by its approver")
        } else if how.is_empty() {
            Finding::new(
                Code::WaiverUnused,
                w.span,
                format!(
                    "the waiver of {} covers nothing in any report checked",
                    w.item
                ),
            )
            .help("remove the waiver")
        } else {
            continue;
        };
        o.findings.push(f.item(&w.item));
    }
    o.sort_findings();
}
