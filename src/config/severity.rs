//! Per-code severity overrides: parsed from `CODE=LEVEL`, checked so that
//! nothing that may never be lowered is, merged, and applied per report.

use crate::checklist::Catalog;
use crate::codes::{self, Code, Family};
use crate::finding::Severity;
use crate::outcome::Outcome;

use super::{OverrideSource, SeverityOverride};

/// `CODE=LEVEL` (`SDS050=error`, `stale-result=error`), checked against the
/// rules of [`check_override`].
///
/// # Errors
/// An unknown code (naming the nearest), an unknown level, or an override
/// that may not be made.
pub fn parse_override(s: &str) -> Result<(Code, Severity), String> {
    let (code, level) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected CODE=LEVEL, e.g. SDS050=error"))?;
    let (code, level) = (code.trim(), level.trim());
    let code: Code = code
        .parse()
        .map_err(|()| format!("{code:?} is not a finding code{}", nearest_code(code)))?;
    let severity = match level {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "note" => Severity::Note,
        other => {
            return Err(format!(
                "{code}={other}: the level must be error, warning or note"
            ));
        }
    };
    check_override(code, severity)?;
    Ok((code, severity))
}

/// "; did you mean SDS050?" for a mistyped code or name: the same number
/// zero-padded (`SDS50`), else the code or name fewest edits away.
fn nearest_code(typed: &str) -> String {
    let upper = typed.to_ascii_uppercase();
    if let Some(n) = upper
        .strip_prefix("SDS")
        .and_then(|d| d.parse::<u32>().ok())
        && let Ok(c) = format!("SDS{n:03}").parse::<Code>()
    {
        return format!("; did you mean {c}?");
    }
    let known: Vec<&str> = codes::ALL
        .iter()
        .flat_map(|c| [c.as_str(), c.name()])
        .collect();
    crate::text::nearest(typed, &known, 1)
        .first()
        .map_or(String::new(), |k| format!("; did you mean {k}?"))
}

/// Whether a code's findings may be lowered at all.
fn lowerable(code: Code) -> bool {
    !code.never_waivable() && code != Code::ChecklistNotFound
}

/// Refuses an override that would lower what may never be lowered: a code
/// no waiver can cover, SDS010 (no verdict can rest on a report that was not
/// checked), and checklist-lint codes (a checklist error always stops a run).
///
/// # Errors
/// Why the override is not allowed.
pub fn check_override(code: Code, severity: Severity) -> Result<(), String> {
    if code.info().family == Family::ChecklistLint {
        return Err(format!(
            "{code} is a checklist-lint code; its severity cannot be changed (a checklist error always stops the run)"
        ));
    }
    if !lowerable(code) && severity < code.severity() {
        return Err(format!(
            "{code} ({}) can never be waived, so it cannot be lowered below error",
            code.name()
        ));
    }
    Ok(())
}

/// The overrides of a run: the file's, then the command line's (which win, code by code).
#[must_use]
pub fn merge_overrides(
    file: &[(Code, Severity)],
    command_line: &[(Code, Severity)],
) -> Vec<SeverityOverride> {
    let mut out: Vec<SeverityOverride> = file
        .iter()
        .filter(|(c, _)| !command_line.iter().any(|(k, _)| k == c))
        .map(|&(code, severity)| SeverityOverride {
            code,
            severity,
            from: OverrideSource::Config,
        })
        .collect();
    for &(code, severity) in command_line {
        out.retain(|o| o.code != code);
        out.push(SeverityOverride {
            code,
            severity,
            from: OverrideSource::CommandLine,
        });
    }
    out.sort_by_key(|o| o.code);
    out
}

/// Applies severity overrides to one report's findings. A finding is never
/// lowered when its code may not be ([`check_override`]) or its item is
/// `waivable: false`; it may always be raised.
pub fn apply_severity(o: &mut Outcome, overrides: &[SeverityOverride], catalog: &Catalog) {
    if overrides.is_empty() {
        return;
    }
    let checklist = o.checklist.as_ref().and_then(|r| {
        let v = semver::Version::parse(&r.version).ok()?;
        catalog.get(&r.id, &v)
    });
    for f in &mut o.findings {
        let Some(ov) = overrides.iter().find(|ov| ov.code == f.code) else {
            continue;
        };
        let locked = !lowerable(f.code)
            || f.code.info().family == Family::ChecklistLint
            || f.item
                .as_deref()
                .and_then(|i| checklist.and_then(|c| c.item(i)))
                .is_some_and(|i| !i.waivable);
        if ov.severity >= f.severity || !locked {
            f.severity = ov.severity;
        }
    }
}

/// `options.config` of a JSON output read back (`sds merge`).
#[must_use]
pub fn config_from_json(v: &serde_json::Value) -> Option<(String, String)> {
    Some((
        v["path"].as_str()?.to_owned(),
        v["sha256"].as_str()?.to_owned(),
    ))
}

/// `options.severity` of a JSON output read back (`sds merge`).
#[must_use]
pub fn overrides_from_json(v: &serde_json::Value) -> Vec<SeverityOverride> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            let code: Code = o["code"].as_str()?.parse().ok()?;
            let severity = match o["severity"].as_str()? {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                _ => Severity::Note,
            };
            let from = if o["from"].as_str()? == "config" {
                OverrideSource::Config
            } else {
                OverrideSource::CommandLine
            };
            Some(SeverityOverride {
                code,
                severity,
                from,
            })
        })
        .collect()
}
