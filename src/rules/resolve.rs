//! Which loaded checklist a report is checked against: SDS010 when none fits.

use crate::checklist::catalog::ResolveError;
use crate::checklist::{Catalog, Checklist};
use crate::codes::Code;
use crate::finding::Finding;
use crate::report::Report;

/// The checklist `report` names (or `pin`, when the run pins one version),
/// or the SDS010 that says why none of the loaded ones fits.
///
/// # Errors
/// SDS010 when no loaded checklist has the id, no loaded version satisfies
/// the version asked for, or that version is not a version at all.
pub fn checklist<'c>(
    catalog: &'c Catalog,
    report: &Report<'_>,
    pin: Option<&(String, semver::Version)>,
) -> Result<&'c Checklist, Box<Finding>> {
    let id = report.checklist_id.as_str().unwrap_or_default();
    let version = report.checklist_version.as_str().unwrap_or_default();
    let resolved = match pin {
        Some((pid, pv)) => catalog.get(pid, pv).ok_or(ResolveError::NoVersion {
            loaded: vec![format!("{pid}@{pv} (pinned)")],
        }),
        None => catalog.resolve(id, version),
    };
    resolved.map_err(|e| Box::new(not_found(report, id, version, &e)))
}

/// SDS010.
fn not_found(report: &Report<'_>, id: &str, version: &str, e: &ResolveError) -> Finding {
    let (span, message, help) = match e {
        ResolveError::UnknownId { loaded } => (
            report.checklist_id.span,
            format!("no checklist `{id}` is loaded"),
            format!(
                "loaded checklists: {}; load another with --checklist PATH",
                loaded.join(", ")
            ),
        ),
        ResolveError::NoVersion { loaded } => (
            report.checklist_version.span,
            format!("no loaded version of `{id}` satisfies {version:?}"),
            format!(
                "loaded versions: {}; an exact version such as \"1.0.0\" means exactly that version, a requirement such as \"^1.0\" the highest match",
                loaded.join(", ")
            ),
        ),
        ResolveError::BadVersion(why) => (
            report.checklist_version.span,
            format!("{version:?} is neither a version nor a version requirement ({why})"),
            "write an exact version (\"1.1.0\") or a requirement (\"^1.0\")".to_owned(),
        ),
    };
    Finding::new(Code::ChecklistNotFound, span, message).help(help)
}
