//! `sds.toml`: defaults for the options of `check` and `lint`, and per-code
//! severities. Documented key by key in `docs/config.md`.
//!
//! The file is found from the current folder upward (or named with
//! `--config FILE`; `--no-config` ignores it). The command line overrides
//! it. Paths in it are relative to the folder holding it, so a run from a
//! subfolder means the same files. An unknown key is an error naming the
//! nearest known key: a misspelt `fail-on` must never be silently ignored in
//! a certification gate.
//!
//! Severity overrides are applied once per report, after checking
//! ([`apply_severity`]); they can raise any finding, but never lower a
//! code that can never be waived ([`Code::never_waivable`]), SDS010 (a
//! report that was not checked), a checklist-lint code, or any finding of an
//! item marked `waivable: false`.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::checklist::Catalog;
use crate::codes::{self, Code, Family};
use crate::engine::FailOn;
use crate::finding::Severity;
use crate::outcome::Outcome;

/// The file name looked for.
pub const FILE_NAME: &str = "sds.toml";

/// Every top-level key, in the order `docs/config.md` documents them.
pub const KEYS: &[&str] = &[
    "checklists",
    "waivers",
    "exclude",
    "fail-on",
    "min-score",
    "as-of",
    "verify-evidence",
    "allow-empty",
    "skip-non-reports",
    "link-base",
    "outputs",
    "severity",
];

/// Keys of an `outputs` entry.
const OUTPUT_KEYS: &[&str] = &["format", "path"];

/// Where a severity override came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideSource {
    /// `[severity]` of `sds.toml`.
    Config,
    /// `--severity CODE=LEVEL`.
    CommandLine,
}

impl OverrideSource {
    /// As written in the audit trail.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            OverrideSource::Config => "config",
            OverrideSource::CommandLine => "command_line",
        }
    }
}

/// One per-code severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeverityOverride {
    /// The code.
    pub code: Code,
    /// Its severity in this run.
    pub severity: Severity,
    /// Where it was set.
    pub from: OverrideSource,
}

/// The as-of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// Each report's own `report.issued` date (the default).
    Issued,
    /// The day of the run.
    Today,
    /// A fixed date.
    Date(NaiveDate),
}

/// What an `sds.toml` says (paths already resolved against its folder).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// `checklists`.
    pub checklists: Vec<PathBuf>,
    /// `waivers`.
    pub waivers: Option<PathBuf>,
    /// `exclude`.
    pub exclude: Vec<String>,
    /// `fail-on`.
    pub fail_on: Option<FailOn>,
    /// `min-score`.
    pub min_score: Option<f64>,
    /// `as-of`.
    pub as_of: Option<AsOf>,
    /// `verify-evidence`.
    pub verify_evidence: Option<bool>,
    /// `allow-empty`.
    pub allow_empty: Option<bool>,
    /// `skip-non-reports`.
    pub skip_non_reports: Option<bool>,
    /// `link-base`.
    pub link_base: Option<String>,
    /// `outputs`: (format name, file or standard output).
    pub outputs: Vec<(String, Option<PathBuf>)>,
    /// `[severity]`, in code order.
    pub severity: Vec<(Code, Severity)>,
}

/// A config file read.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Its path.
    pub path: PathBuf,
    /// sha256 of its bytes, for the audit trail.
    pub sha256: String,
    /// What it says.
    pub settings: Settings,
}

/// Why a config file cannot be used (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ConfigError {}

/// The nearest `sds.toml`: in `start` or the closest folder above it.
#[must_use]
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The nearest `sds.toml` from `start` upward, as a path relative to
/// `start` (`sds.toml`, `../sds.toml`), so the audit trail does not depend on
/// where the checkout lies.
#[must_use]
pub fn find_relative(start: &Path) -> Option<PathBuf> {
    start.ancestors().enumerate().find_map(|(up, d)| {
        d.join(FILE_NAME).is_file().then(|| {
            let mut p = PathBuf::new();
            for _ in 0..up {
                p.push("..");
            }
            p.join(FILE_NAME)
        })
    })
}

/// ", did you mean `x`?" for the known word nearest to `word`, when one is close.
fn nearest(word: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(
            || format!(" (known keys: {})", known.join(", ")),
            |(_, k)| format!("; did you mean `{k}`?"),
        )
}

/// Reads and validates a config file.
///
/// # Errors
/// The file cannot be read, is not TOML, holds an unknown key, a value of
/// the wrong type, or a severity override that is not allowed.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let err = |message: String| ConfigError {
        path: path.display().to_string(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| err("not UTF-8 text".into()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let settings = parse(text, base).map_err(err)?;
    Ok(Config {
        path: path.to_path_buf(),
        sha256: crate::checklist::source::sha256_hex(&bytes),
        settings,
    })
}

fn expect_str<'a>(key: &str, v: &'a toml::Value) -> Result<&'a str, String> {
    v.as_str()
        .ok_or_else(|| format!("`{key}` must be a string, not {}", v.type_str()))
}

fn expect_bool(key: &str, v: &toml::Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("`{key}` must be true or false, not {}", v.type_str()))
}

fn strings(key: &str, v: &toml::Value) -> Result<Vec<String>, String> {
    match v {
        toml::Value::String(s) => Ok(vec![s.clone()]),
        toml::Value::Array(a) => a
            .iter()
            .map(|x| expect_str(key, x).map(ToOwned::to_owned))
            .collect(),
        other => Err(format!(
            "`{key}` must be a string or a list of strings, not {}",
            other.type_str()
        )),
    }
}

/// A path of the file, relative to the folder holding it.
fn resolve(base: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() || base.as_os_str().is_empty() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

/// Parses the text of a config file; relative paths are resolved against `base`.
///
/// # Errors
/// What is wrong, naming the key.
pub fn parse(text: &str, base: &Path) -> Result<Settings, String> {
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("not valid TOML: {}", e.message()))?;
    let mut s = Settings::default();
    for (key, v) in &table {
        match key.as_str() {
            "checklists" => {
                s.checklists = strings(key, v)?.iter().map(|p| resolve(base, p)).collect();
            }
            "waivers" => s.waivers = Some(resolve(base, expect_str(key, v)?)),
            "exclude" => s.exclude = strings(key, v)?,
            "fail-on" => {
                s.fail_on = Some(match expect_str(key, v)? {
                    "error" => FailOn::Error,
                    "warning" => FailOn::Warning,
                    "note" => FailOn::Note,
                    "never" => FailOn::Never,
                    other => {
                        return Err(format!(
                            "`fail-on = {other:?}`: expected error, warning, note or never"
                        ));
                    }
                });
            }
            "min-score" => {
                #[allow(clippy::cast_precision_loss)] // a percentage: 0..=100
                let n = match v {
                    toml::Value::Integer(i) => *i as f64,
                    toml::Value::Float(f) => *f,
                    other => {
                        return Err(format!(
                            "`min-score` must be a number, not {}",
                            other.type_str()
                        ));
                    }
                };
                if !(0.0..=100.0).contains(&n) {
                    return Err(format!("`min-score = {n}`: must be a number from 0 to 100"));
                }
                s.min_score = Some(n);
            }
            "as-of" => s.as_of = Some(as_of(v)?),
            "verify-evidence" => s.verify_evidence = Some(expect_bool(key, v)?),
            "allow-empty" => s.allow_empty = Some(expect_bool(key, v)?),
            "skip-non-reports" => s.skip_non_reports = Some(expect_bool(key, v)?),
            "link-base" => s.link_base = Some(expect_str(key, v)?.to_owned()),
            "outputs" => s.outputs = outputs(v, base)?,
            "severity" => s.severity = severities(v)?,
            other => {
                return Err(format!("unknown key `{other}`{}", nearest(other, KEYS)));
            }
        }
    }
    Ok(s)
}

fn as_of(v: &toml::Value) -> Result<AsOf, String> {
    let text = match v {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        other => {
            return Err(format!(
                "`as-of` must be \"issued\", \"today\" or a date, not {}",
                other.type_str()
            ));
        }
    };
    match text.as_str() {
        "issued" => Ok(AsOf::Issued),
        "today" => Ok(AsOf::Today),
        t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(AsOf::Date)
            .map_err(|_| {
                format!("`as-of = {t:?}`: expected \"issued\", \"today\" or a date YYYY-MM-DD")
            }),
    }
}

fn outputs(v: &toml::Value, base: &Path) -> Result<Vec<(String, Option<PathBuf>)>, String> {
    let list = v
        .as_array()
        .ok_or_else(|| "`outputs` must be a list of {format, path} tables".to_owned())?;
    let mut out = Vec::new();
    for entry in list {
        let t = entry.as_table().ok_or_else(|| {
            "each entry of `outputs` must be a table such as {format = \"sarif\", path = \"sds.sarif\"}"
                .to_owned()
        })?;
        for k in t.keys() {
            if !OUTPUT_KEYS.contains(&k.as_str()) {
                return Err(format!(
                    "unknown key `{k}` in `outputs`{}",
                    nearest(k, OUTPUT_KEYS)
                ));
            }
        }
        let format = t
            .get("format")
            .ok_or_else(|| "an entry of `outputs` has no `format`".to_owned())
            .and_then(|f| expect_str("format", f))?;
        let path = t
            .get("path")
            .map(|p| expect_str("path", p).map(|p| resolve(base, p)))
            .transpose()?;
        out.push((format.to_owned(), path));
    }
    Ok(out)
}

fn severities(v: &toml::Value) -> Result<Vec<(Code, Severity)>, String> {
    let t = v.as_table().ok_or_else(|| {
        "`severity` must be a table such as [severity] SDS050 = \"error\"".to_owned()
    })?;
    let mut out = Vec::new();
    for (k, level) in t {
        let level = expect_str(k, level)?;
        let (code, severity) = parse_override(&format!("{k}={level}"))?;
        if out.iter().any(|(c, _)| *c == code) {
            return Err(format!("[severity] sets {code} twice"));
        }
        out.push((code, severity));
    }
    out.sort();
    Ok(out)
}

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
    codes::ALL
        .iter()
        .flat_map(|c| {
            [
                (strsim::levenshtein(&upper, c.as_str()), c.as_str()),
                (strsim::levenshtein(typed, c.name()), c.name()),
            ]
        })
        .min()
        .filter(|(d, _)| *d <= 3)
        .map_or(String::new(), |(_, k)| format!("; did you mean {k}?"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_key_parses_and_paths_are_relative_to_the_file() {
        let s = parse(
            r#"
checklists = ["lists/"]
waivers = "w.yaml"
exclude = "drafts/**"
fail-on = "warning"
min-score = 90
as-of = 2026-01-31
verify-evidence = true
allow-empty = false
skip-non-reports = true
link-base = "https://example.com/sds/docs/"
outputs = [{format = "sarif", path = "out/sds.sarif"}, {format = "human"}]
[severity]
SDS050 = "error"
SDS035 = "note"
"#,
            Path::new("/repo"),
        )
        .unwrap();
        assert_eq!(s.checklists, vec![PathBuf::from("/repo/lists/")]);
        assert_eq!(s.waivers, Some(PathBuf::from("/repo/w.yaml")));
        assert_eq!(s.exclude, vec!["drafts/**".to_owned()]);
        assert_eq!(s.fail_on, Some(FailOn::Warning));
        assert_eq!(s.min_score, Some(90.0));
        assert_eq!(
            s.as_of,
            Some(AsOf::Date(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()))
        );
        assert_eq!(
            s.outputs,
            vec![
                ("sarif".into(), Some(PathBuf::from("/repo/out/sds.sarif"))),
                ("human".into(), None)
            ]
        );
        assert_eq!(
            s.severity,
            vec![
                (Code::UnknownMetric, Severity::Note),
                (Code::StaleResult, Severity::Error)
            ]
        );
    }

    #[test]
    fn an_unknown_key_names_the_nearest() {
        let e = parse("fail_on = \"error\"\n", Path::new("")).unwrap_err();
        assert!(e.contains("unknown key `fail_on`"), "{e}");
        assert!(e.contains("did you mean `fail-on`"), "{e}");
        let e = parse(
            "outputs = [{format = \"json\", paht = \"x\"}]",
            Path::new(""),
        )
        .unwrap_err();
        assert!(e.contains("did you mean `path`"), "{e}");
        let e = parse("[severity]\nSDS501 = \"error\"\n", Path::new("")).unwrap_err();
        assert!(e.contains("not a finding code"), "{e}");
        let e = parse(
            "[severity]\nSDS050 = \"error\"\nstale-result = \"note\"\n",
            Path::new(""),
        )
        .unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn never_waivable_codes_cannot_be_lowered_but_can_be_raised() {
        assert!(parse_override("SDS043=warning").is_err());
        assert!(parse_override("SDS001=note").is_err());
        assert!(parse_override("SDS010=warning").is_err());
        assert!(parse_override("SDS012=note").is_err());
        assert!(parse_override("SDS012=error").is_ok());
        assert!(parse_override("SDS012=warning").is_ok());
        assert!(parse_override("SDS101=warning").is_err());
        assert!(parse_override("SDS050=error").is_ok());
        assert!(parse_override("SDS031=warning").is_ok());
    }

    #[test]
    fn the_command_line_wins_code_by_code() {
        let m = merge_overrides(
            &[
                (Code::StaleResult, Severity::Error),
                (Code::UnknownMetric, Severity::Note),
            ],
            &[(Code::StaleResult, Severity::Note)],
        );
        assert_eq!(m.len(), 2);
        let stale = m.iter().find(|o| o.code == Code::StaleResult).unwrap();
        assert_eq!(stale.severity, Severity::Note);
        assert_eq!(stale.from, OverrideSource::CommandLine);
    }
}
