//! The JSON Schemas in `schema/`: the single source of structural truth.
//!
//! They are compiled into the binary and once per process, and every
//! report, checklist and waivers file is validated against its schema before
//! anything reads it. A violation becomes SDS002 at the node the error's
//! JSON pointer names, with a message a person can act on.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};

use crate::codes::Code;
use crate::finding::Finding;
use crate::load::json_view::TreeJson;
use crate::load::{Node, Value};

/// The schemas `sds schema NAME` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// `schema/report.schema.json`.
    Report,
    /// `schema/checklist.schema.json`.
    Checklist,
    /// `schema/waivers.schema.json`.
    Waivers,
    /// `schema/findings.schema.json` (the JSON output).
    Findings,
}

impl SchemaKind {
    /// Every schema, in the order `sds schema` lists them.
    pub const ALL: [SchemaKind; 4] = [
        SchemaKind::Report,
        SchemaKind::Checklist,
        SchemaKind::Waivers,
        SchemaKind::Findings,
    ];

    /// The name used on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SchemaKind::Report => "report",
            SchemaKind::Checklist => "checklist",
            SchemaKind::Waivers => "waivers",
            SchemaKind::Findings => "findings",
        }
    }

    /// The schema's text, as in `schema/`.
    #[must_use]
    pub fn text(self) -> &'static str {
        match self {
            SchemaKind::Report => include_str!("../schema/report.schema.json"),
            SchemaKind::Checklist => include_str!("../schema/checklist.schema.json"),
            SchemaKind::Waivers => include_str!("../schema/waivers.schema.json"),
            SchemaKind::Findings => include_str!("../schema/findings.schema.json"),
        }
    }

    fn json(self) -> serde_json::Value {
        // The schemas are compiled into the binary and tested (`bundled_schemas_compile`).
        serde_json::from_str(self.text())
            .unwrap_or_else(|e| panic!("bundled {} schema is not JSON: {e}", self.name()))
    }

    /// The validator over `serde_json` values, which reports errors with their paths.
    fn validator(self) -> &'static Validator {
        static CELLS: [OnceLock<Validator>; 4] = [const { OnceLock::new() }; 4];
        CELLS[self as usize].get_or_init(|| {
            jsonschema::validator_for(&self.json())
                .unwrap_or_else(|e| panic!("bundled {} schema does not compile: {e}", self.name()))
        })
    }

    /// The validator over the spanned tree itself, for the fast yes/no answer.
    fn tree_validator(self) -> &'static Validator<TreeJson> {
        static CELLS: [OnceLock<Validator<TreeJson>>; 4] = [const { OnceLock::new() }; 4];
        CELLS[self as usize].get_or_init(|| {
            jsonschema::options_for::<TreeJson>()
                .build(&self.json())
                .unwrap_or_else(|e| panic!("bundled {} schema does not compile: {e}", self.name()))
        })
    }
}

/// Validates a tree against a schema. `text` is the file's text, used to quote
/// values as they were written (so `1.10` is shown as `1.10`, not `1.1`).
#[must_use]
pub fn validate(root: &Node, text: &str, kind: SchemaKind) -> Vec<Finding> {
    // Most files are valid: the yes/no check runs on the tree where it lies,
    // short-circuits and builds nothing; only an invalid file is copied into a
    // serde_json value for the validator that reports errors with their paths.
    if kind.tree_validator().is_valid(root) {
        return Vec::new();
    }
    let json = root.to_json();
    let validator = kind.validator();
    let mut findings: Vec<Finding> = validator
        .iter_errors(&json)
        .map(|e| to_finding(root, text, &e))
        .collect();
    findings.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then(a.message.cmp(&b.message))
    });
    findings.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    findings
}

/// Validates a JSON value (e.g. sds's own output in tests); returns the errors as text.
#[must_use]
pub fn validate_json(value: &serde_json::Value, kind: SchemaKind) -> Vec<String> {
    kind.validator()
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn to_finding(root: &Node, text: &str, e: &ValidationError<'_>) -> Finding {
    let pointer = e.instance_path().as_str();
    let node = root.pointer(pointer).unwrap_or(root);
    let written = text
        .get(node.span.start..node.span.end)
        .filter(|s| !s.is_empty() && s.len() <= 60 && !s.contains('\n'))
        .map_or_else(|| node.to_string(), ToOwned::to_owned);
    let field = pointer.rsplit('/').next().unwrap_or_default();
    let at = if pointer.is_empty() {
        "the file".to_owned()
    } else {
        format!("`{}`", pointer.trim_start_matches('/').replace('/', "."))
    };
    let mut span = node.span;
    let mut help = None;
    let message = match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => type_name(&t.to_string()),
                TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| type_name(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            if expected == "text" && matches!(node.value, Value::Float(_) | Value::Int(_)) {
                help = Some(format!(
                    "quote it: `{field}: \"{written}\"`. Unquoted, YAML reads {written} as a number{}",
                    if matches!(node.value, Value::Float(_)) {
                        format!(" ({node})")
                    } else {
                        String::new()
                    }
                ));
            }
            match &node.value {
                Value::Null if pointer.is_empty() => {
                    "the file is empty (or holds only comments)".to_owned()
                }
                Value::Null | Value::Seq(_) | Value::Map(_) => {
                    format!("{at} must be {expected}, found {}", node.kind_name())
                }
                _ => format!(
                    "{at} must be {expected}, found {} {written}",
                    node.kind_name()
                ),
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            format!("{at} lacks the required field `{name}`")
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let name = unexpected.first().map(String::as_str).unwrap_or_default();
            if let Some(entry) = node.entry(name) {
                span = entry.key.span;
            }
            help = Some("fields of another tool may be kept under keys starting with `x-`".into());
            format!("unknown field `{name}` in {at}")
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), ToOwned::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            format!("{at} is {written}, not one of: {}", allowed.join(", "))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("{at} must be {expected_value}, found {written}")
        }
        ValidationErrorKind::Pattern { pattern } => {
            let expected = if pattern.contains("[0-9]{4}-") {
                "a date YYYY-MM-DD"
            } else if pattern.contains("{64}") {
                "a sha256 of 64 hex digits"
            } else if pattern.starts_with("^SDS-") {
                "an item id SDS-<DOMAIN>-<NNN>"
            } else if pattern.contains("(0|[1-9]") {
                "a semver version such as \"1.0.0\""
            } else if pattern == "\\S" {
                "not blank (whitespace alone counts as absent: an audit must be able to ask who accepted which risk and why)"
            } else {
                "a value of the documented form"
            };
            format!("{at} must be {expected}, found {written}")
        }
        ValidationErrorKind::MinLength { .. } => format!("{at} must not be empty"),
        ValidationErrorKind::Minimum { limit } => {
            format!("{at} must be at least {limit}, found {written}")
        }
        _ => format!("{at}: {e}"),
    };
    let mut f = Finding::new(Code::SchemaViolation, span, message);
    f.help = help;
    f
}

fn type_name(t: &str) -> String {
    match t {
        "string" => "text",
        "object" => "a mapping",
        "array" => "a list",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "null",
        other => other,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Limits, parse};

    fn check(text: &str, kind: SchemaKind) -> Vec<Finding> {
        validate(&parse(text, &Limits::default()).unwrap(), text, kind)
    }

    #[test]
    fn bundled_schemas_compile() {
        for k in SchemaKind::ALL {
            let _ = k.validator();
            let _ = k.tree_validator();
        }
    }

    /// The tree view and the serde_json copy must agree on every file, or a
    /// file could pass the fast check and break the schema.
    #[test]
    fn the_tree_view_agrees_with_serde_json() {
        let dirs = [
            "tests/fixtures/codes",
            "tests/fixtures/reports",
            "examples",
            "tests/fixtures/lint",
            "checklists",
        ];
        let mut seen = 0;
        for dir in dirs {
            for e in walkdir::WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
            {
                let p = e.path();
                if p.extension().is_none_or(|x| x != "yaml") {
                    continue;
                }
                let text = std::fs::read_to_string(p).unwrap();
                let Ok(root) = parse(&text, &Limits::default()) else {
                    continue;
                };
                let kind = if root.get("sds_checklist").is_some() || root.get("items").is_some() {
                    SchemaKind::Checklist
                } else {
                    SchemaKind::Report
                };
                let json = root.to_json();
                assert_eq!(
                    kind.tree_validator().is_valid(&root),
                    kind.validator().is_valid(&json),
                    "{}",
                    p.display()
                );
                seen += 1;
            }
        }
        assert!(seen > 60);
    }

    #[test]
    fn float_version_says_to_quote_it() {
        let text = "sds_report: 1\nchecklist: {id: sds, version: 1.10}\nvehicle: {software: \"1\"}\nreport: {id: R, issued: 2025-01-01}\nresults: []\n";
        let f = check(text, SchemaKind::Report);
        assert_eq!(f.len(), 1, "{f:?}");
        let at = crate::source::LineIndex::new(text).location(text, f[0].span.start);
        assert_eq!((at.line, at.col), (2, 31));
        assert!(f[0].message.contains("1.10"), "{}", f[0].message);
        assert!(f[0].help.as_deref().unwrap().contains("quote it"));
    }

    #[test]
    fn missing_and_unknown_fields_are_located() {
        let text = "sds_report: 1\nchecklist: {id: sds, version: \"1.0.0\"}\nvehicle: {software: \"1\"}\nreport: {id: R, issued: 2025-01-01}\nresults:\n  - item: X\n    statu: pass\n";
        let f = check(text, SchemaKind::Report);
        assert_eq!(f.len(), 2, "{f:?}");
        let index = crate::source::LineIndex::new(text);
        let line = |f: &Finding| index.location(text, f.span.start).line;
        assert!(f.iter().all(|f| line(f) == 6 || line(f) == 7));
        assert!(f.iter().any(|f| f.message.contains("`status`")));
        assert!(
            f.iter()
                .any(|f| f.message.contains("unknown field `statu`"))
        );
    }
}
