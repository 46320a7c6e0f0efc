//! The text of `sds.toml` to [`Settings`]: every key checked, an unknown
//! one named with the nearest known key.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::severity::parse_override;
use super::{AsOf, KEYS, OUTPUT_KEYS, Settings};
use crate::codes::Code;
use crate::finding::Severity;
use crate::severity::FailOn;

/// "; did you mean `x`?" for the known word nearest to `word` (the one
/// did-you-mean rule, [`crate::text::nearest`]), else the known keys.
fn nearest(word: &str, known: &[&str]) -> String {
    match crate::text::nearest(word, known, 1).first() {
        Some(k) => format!("; did you mean `{k}`?"),
        None => format!(" (known keys: {})", known.join(", ")),
    }
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
