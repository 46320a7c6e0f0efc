//! Quick fixes: insert the missing results (SDS020) as `sds init` writes
//! them, replace an unknown item id (SDS011) with the nearest ids of the
//! checklist, an undeclared vehicle attribute or value (SDS014) with the
//! nearest declared ones, and quote a version written as a number
//! (`version: 1.10`).

use std::collections::HashMap;
use std::fmt::Write as _;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit, Url,
    WorkspaceEdit,
};

use super::Server;
use super::analysis;
use super::text::LineIndex;
use crate::checklist::Checklist;
use crate::codes::Code;
use crate::finding::Finding;
use crate::init;
use crate::load::{Node, Value};

impl Server {
    pub(super) fn code_actions(&mut self, p: CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = p.text_document.uri;
        let catalog = self.catalog.as_ref().ok().cloned();
        let doc = self.analysed(&uri)?;
        let a = doc.analysis.as_ref()?;
        let text = &doc.text;
        let ix = &doc.index;
        let root = a.tree.as_ref();
        let checklist = catalog.as_deref().and_then(|c| doc.facts.checklist(c));
        let touches = |f: &Finding| {
            let r = ix.range(text, f.span.start + a.shift, f.span.end + a.shift);
            r.start.line <= p.range.end.line && r.end.line >= p.range.start.line
        };
        let mut out = Vec::new();
        let missing: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.code == Code::MissingResult)
            .filter_map(|f| f.item.as_deref())
            .collect();
        if !missing.is_empty()
            && a.findings
                .iter()
                .any(|f| f.code == Code::MissingResult && touches(f))
            && let (Some(root), Some(c)) = (root, checklist)
            && let Some(edit) = insert_results(root, text, ix, a.shift, c, &missing, &doc.facts)
        {
            let title = if missing.len() == 1 {
                format!("Insert the missing result for {}", missing[0])
            } else {
                format!(
                    "Insert the {} missing results (as `sds init` writes them)",
                    missing.len()
                )
            };
            out.push(action(title, &uri, vec![edit], true));
        }
        for f in a.findings.iter().filter(|f| touches(f)) {
            let range = ix.range(text, f.span.start + a.shift, f.span.end + a.shift);
            let written = text
                .get(f.span.start + a.shift..f.span.end + a.shift)
                .unwrap_or_default();
            if f.code == Code::UnknownItem
                && let (Some(c), Some(item)) = (checklist, f.item.as_deref())
            {
                let quoted = written.starts_with(['"', '\'']);
                for (i, s) in nearest(c, item).into_iter().enumerate() {
                    let new = if quoted {
                        format!("\"{s}\"")
                    } else {
                        s.clone()
                    };
                    out.push(action(
                        format!("Replace {item} with {s}"),
                        &uri,
                        vec![TextEdit::new(range, new)],
                        i == 0,
                    ));
                }
            }
            if f.code == Code::InvalidVehicleAttribute
                && let (Some(root), Some(c)) = (root, checklist)
            {
                for (i, s) in attribute_suggestions(root, c, f, written)
                    .into_iter()
                    .enumerate()
                {
                    out.push(action(
                        format!("Replace {} with {s}", written.trim()),
                        &uri,
                        vec![TextEdit::new(range, yaml_text(&s))],
                        i == 0,
                    ));
                }
            }
            if let Some(q) = quote_version(root, f, written) {
                out.push(action(
                    format!("Quote the version: \"{q}\""),
                    &uri,
                    vec![TextEdit::new(range, format!("\"{q}\""))],
                    true,
                ));
            }
        }
        Some(out)
    }
}

fn action(title: String, uri: &Url, edits: Vec<TextEdit>, preferred: bool) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}

/// Up to three item ids of the checklist nearest to `id`, by the one
/// did-you-mean rule ([`crate::text::nearest`]) the findings use too.
fn nearest(c: &Checklist, id: &str) -> Vec<String> {
    let ids: Vec<&str> = c.items.iter().map(|i| i.id.as_str()).collect();
    crate::text::nearest(id, &ids, 3)
        .into_iter()
        .map(ToOwned::to_owned)
        .collect()
}

/// The text of a finding's node when it is a `version:` written as a number.
fn quote_version(root: Option<&Node>, f: &Finding, written: &str) -> Option<String> {
    let root = root?;
    let plain = !written.is_empty()
        && written.chars().all(|c| c.is_ascii_digit() || c == '.')
        && written.contains('.');
    if !plain {
        return None;
    }
    // Only the `version` of `checklist:` (reports) or of the header (checklists).
    let node = [
        root.get("checklist").and_then(|c| c.get("version")),
        root.get("version"),
    ]
    .into_iter()
    .flatten()
    .find(|n| n.span.start == f.span.start)?;
    matches!(node.value, Value::Float(_) | Value::Int(_)).then(|| written.to_owned())
}

/// The edit that appends results for `missing` to the report's `results:`,
/// each as `sds init` writes it, at the indentation the list already uses.
fn insert_results(
    root: &Node,
    text: &str,
    ix: &LineIndex,
    shift: usize,
    c: &Checklist,
    missing: &[&str],
    facts: &analysis::Facts,
) -> Option<TextEdit> {
    // JSON reports would need JSON; the fix writes YAML only.
    if analysis::body(text).1.trim_start().starts_with('{') {
        return None;
    }
    let issued = facts
        .issued
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let software = facts.software.clone().unwrap_or_default();
    let mut block = String::new();
    for id in missing {
        if let Some(it) = c.item(id) {
            init::write_result(&mut block, c, it, &software, issued);
        }
    }
    if block.is_empty() {
        return None;
    }
    let entry = root.entry("results")?;
    let indented = |indent: usize| -> String {
        let mut out = String::new();
        for l in block.lines() {
            let l = l.strip_prefix("  ").unwrap_or(l);
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{}{l}", " ".repeat(indent));
        }
        out
    };
    match &entry.value.value {
        Value::Seq(items) if !items.is_empty() => {
            let first = items.first()?;
            let lastn = items.last()?;
            // A flow list (`[...]`) cannot take block entries.
            if text.get(entry.value.span.start + shift..)?.starts_with('[') {
                return None;
            }
            let first_line = ix.position(text, first.span.start + shift).line as usize;
            let line_text = ix.line(text, first_line);
            let indent = line_text.len() - line_text.trim_start_matches(' ').len();
            // After the line the last entry ends on (its span may already
            // end past that line's break).
            let end = lastn.span.end + shift;
            let (at, mut new) = if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\n') {
                (end, indented(indent))
            } else {
                match text.get(end..).and_then(|t| t.find('\n')) {
                    Some(i) => (end + i + 1, indented(indent)),
                    None => (text.len(), format!("\n{}", indented(indent))),
                }
            };
            if at == text.len() && !new.ends_with('\n') {
                new.push('\n');
            }
            let at = ix.position(text, at);
            Some(TextEdit::new(Range::new(at, at), new))
        }
        Value::Seq(_) | Value::Null => {
            // `results: []` or `results:` with nothing: the value becomes a block list.
            let key_line = ix.position(text, entry.key.span.start + shift);
            let line_text = ix.line(text, key_line.line as usize);
            let indent = line_text.len() - line_text.trim_start_matches(' ').len() + 2;
            let range = if matches!(entry.value.value, Value::Null)
                && entry.value.span.start == entry.value.span.end
            {
                let p = ix.position(text, entry.key.span.end + shift + 1);
                Range::new(p, p)
            } else {
                ix.range(
                    text,
                    entry.value.span.start + shift,
                    entry.value.span.end + shift,
                )
            };
            let body = indented(indent);
            Some(TextEdit::new(
                range,
                format!("\n{}", body.trim_end_matches('\n')),
            ))
        }
        _ => None,
    }
}

/// For an SDS014 at an undeclared attribute name or value: the nearest
/// declared names or values of the checklist's vocabulary.
fn attribute_suggestions(root: &Node, c: &Checklist, f: &Finding, written: &str) -> Vec<String> {
    let Some(attrs) = root.get("vehicle").and_then(|v| v.get("attributes")) else {
        return Vec::new();
    };
    let text = written.trim().trim_matches(['"', '\'']);
    for e in attrs.entries() {
        if e.key.span == f.span {
            let names: Vec<&str> = c
                .vehicle_attributes
                .iter()
                .map(|a| a.name.as_str())
                .collect();
            return crate::text::nearest(text, &names, 3)
                .into_iter()
                .map(ToOwned::to_owned)
                .collect();
        }
        let scalars: Vec<&Node> = match &e.value.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![&e.value],
        };
        if scalars
            .iter()
            .any(|n| n.span == f.span && !matches!(n.value, Value::Seq(_) | Value::Map(_)))
        {
            let Some(decl) = e.key.as_str().and_then(|k| c.attribute(k)) else {
                return Vec::new();
            };
            let values: Vec<&str> = decl.values.iter().map(String::as_str).collect();
            return crate::text::nearest(text, &values, 3)
                .into_iter()
                .map(ToOwned::to_owned)
                .collect();
        }
    }
    Vec::new()
}

/// A value as YAML: plain when it is an identifier, else double-quoted.
fn yaml_text(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}
