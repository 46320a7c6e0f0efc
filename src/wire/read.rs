//! Reading a findings document back: schema first, then serde, then what
//! the schema cannot say.

use std::path::Path;

use super::Document;
use crate::load::{self, Limits as LoadLimits};
use crate::outcome::ItemState;
use crate::schema::{self, SchemaKind};

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
