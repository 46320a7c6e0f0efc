//! Where the cursor stands in a YAML report, read from the lines around it.
//!
//! Completion runs while the user types, when the document is often not
//! valid YAML (`status: ` with nothing after it, `- item: SDS-CR`), so the
//! context comes from indentation and keys on the lines, not from the parsed
//! tree. Block style and one-line flow maps (`{id: sds, version: "^1.0"}`,
//! `- {kind: video, path: ...}`) are understood; JSON written one key per
//! line mostly is too (quotes around keys are ignored).

/// The cursor's place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Keys of the enclosing mappings, outermost first (`["results", "measurements"]`).
    pub path: Vec<String>,
    /// The key whose value the cursor is in, when it is after `key:`.
    pub key: Option<String>,
    /// The text typed so far of the word at the cursor (a key or a value).
    pub prefix: String,
    /// Byte offset (in the document) where `prefix` starts.
    pub prefix_start: usize,
    /// The text of the value before the cursor (`512 ` for `hic15: 512 |`).
    pub value_before: String,
    /// The `item:` of the result (or waiver) the cursor is in.
    pub item: Option<String>,
}

struct Line<'a> {
    /// Column of the first character after the indent and any `- ` markers.
    content: usize,
    /// Column of the last `- ` marker, if the line starts a sequence entry.
    dash: Option<usize>,
    /// The key on the line, if it starts with `key:`.
    key: Option<&'a str>,
    /// What follows `key:` (trimmed, comment removed).
    value: &'a str,
}

fn unquote(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

fn strip_comment(s: &str) -> &str {
    // A `#` starts a comment only after a space (or at the start), as in YAML.
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') {
            return &s[..i];
        }
    }
    s
}

fn read_line(line: &str) -> Option<Line<'_>> {
    let mut i = 0;
    let b = line.as_bytes();
    let mut dash = None;
    loop {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if b.get(i) == Some(&b'-') && matches!(b.get(i + 1), Some(b' ') | None) {
            dash = Some(i);
            i += 1;
            continue;
        }
        break;
    }
    let rest = line.get(i..)?;
    let trimmed = strip_comment(rest).trim_end();
    if trimmed.is_empty() && dash.is_none() {
        return None;
    }
    let (key, value) = match key_split(trimmed) {
        Some((k, v)) => (Some(k), v.trim()),
        None => (None, trimmed),
    };
    Some(Line {
        content: i,
        dash,
        key,
        value,
    })
}

/// `key: value` or `key:` at the start of `s` (the key may be quoted).
fn key_split(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('{') || s.starts_with('[') {
        return None;
    }
    let bytes = s.as_bytes();
    let mut quote = None;
    for (i, &c) in bytes.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, b'"' | b'\'') if i == 0 => quote = Some(c),
            (None, b':') if matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) => {
                return Some((unquote(&s[..i]), &s[i + 1..]));
            }
            _ => {}
        }
    }
    None
}

/// Reads the cursor's context: `lines` are the document's lines up to and
/// including the cursor's, `col` the byte column on the last one, `line_start`
/// the byte offset of that line in the document.
#[must_use]
pub fn cursor(lines: &[&str], col: usize, line_start: usize) -> Cursor {
    let Some((current, above)) = lines.split_last() else {
        return Cursor::default();
    };
    let col = col.min(current.len());
    let before = current.get(..col).unwrap_or(current);
    let mut c = Cursor::default();
    // The word being typed: back to a space, `[`, `{`, `,` or a quote.
    let word_len: usize = before
        .chars()
        .rev()
        .take_while(|ch| !matches!(ch, ' ' | '\t' | '{' | '[' | ',' | '"' | '\'' | ':'))
        .map(char::len_utf8)
        .sum();
    before[before.len() - word_len..].clone_into(&mut c.prefix);
    c.prefix_start = line_start + before.len() - word_len;
    let mut flow_parent = None;
    if let Some(open) = before.rfind('{').filter(|&o| !before[o..].contains('}')) {
        // Inside a one-line flow map: the key is the last `k:` after `{` or `,`.
        let seg = &before[open + 1..];
        let part = seg.rsplit(',').next().unwrap_or(seg);
        if let Some((k, v)) = part.split_once(':') {
            c.key = Some(unquote(k.trim()).to_owned());
            v.trim_start().clone_into(&mut c.value_before);
        }
        // `checklist: {id: ...}`: the flow map's own key encloses the cursor.
        if let Some((k, _)) = key_split(before[..open].trim_start().trim_start_matches("- ")) {
            flow_parent = Some(k.to_owned());
        }
        // `{item: X, ...}` on this line names the item.
        c.item = flow_value(&before[open + 1..], "item")
            .or_else(|| flow_value(current.get(open + 1..).unwrap_or_default(), "item"));
    } else if let Some(l) = read_line(before)
        && let Some(k) = l.key
    {
        c.key = Some(k.to_owned());
        let after_colon = before.find(':').map_or("", |i| &before[i + 1..]);
        after_colon.trim_start().clone_into(&mut c.value_before);
        if k == "item" {
            c.item = read_line(current)
                .map(|l| unquote(l.value).to_owned())
                .filter(|s| !s.is_empty());
        }
    }
    let cur = read_line(current);
    let mut threshold = cur.as_ref().map_or(col, |l| l.content.min(col));
    // The first key of a sequence entry (`- item: ...`): the entry's siblings
    // are below, its parent is the first line above at the dash's indent or less.
    if let Some(d) = cur.as_ref().and_then(|l| l.dash) {
        threshold = d + 1;
    }
    let mut path = Vec::new();
    let mut item_depth = None;
    for line in above.iter().rev() {
        let Some(l) = read_line(line) else { continue };
        if l.content == threshold && l.key == Some("item") && c.item.is_none() {
            c.item = Some(unquote(l.value).to_owned());
            item_depth = Some(path.len());
        }
        if l.content < threshold
            && let Some(k) = l.key
        {
            path.push(k.to_owned());
            threshold = l.content;
        }
        if let Some(d) = l.dash
            && l.content == threshold
        {
            threshold = d + 1;
        }
        if threshold == 0 {
            break;
        }
    }
    path.reverse();
    if let Some(p) = flow_parent {
        path.push(p);
    }
    // An `item:` is the result's only when it stands in the entry of `results`
    // or `waivers` that encloses the cursor, not in a nested map.
    if let Some(d) = item_depth
        && path.len() != d + 1
    {
        c.item = None;
    }
    c.path = path;
    c
}

fn flow_value(s: &str, key: &str) -> Option<String> {
    let s = s.split('}').next().unwrap_or(s);
    s.split(',').find_map(|part| {
        let (k, v) = part.split_once(':')?;
        (unquote(k.trim()) == key)
            .then(|| unquote(v.trim()).to_owned())
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(doc: &str) -> Cursor {
        let i = doc.find('|').unwrap();
        let text = doc.replace('|', "");
        let before = &text[..i];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
        let lines: Vec<&str> = text[..end].split('\n').collect();
        cursor(&lines, i - line_start, line_start)
    }

    const REPORT: &str = "sds_report: 1\nchecklist: {id: sds, version: \"1.0.0\"}\nvehicle:\n  software: \"1\"\n  attributes:\n    powertrain: bev\n";

    #[test]
    fn status_of_a_result() {
        let c = at(&format!(
            "{REPORT}results:\n  - item: SDS-CRASH-001\n    tested_on: 2025-01-01\n    status: pa|\n"
        ));
        assert_eq!(c.path, ["results"]);
        assert_eq!(c.key.as_deref(), Some("status"));
        assert_eq!(c.prefix, "pa");
        assert_eq!(c.item.as_deref(), Some("SDS-CRASH-001"));
    }

    #[test]
    fn measurement_of_a_result_in_compact_style() {
        let c = at(&format!(
            "{REPORT}results:\n- item: SDS-CRASH-001\n  measurements:\n    hic15: 512 |\n"
        ));
        assert_eq!(c.path, ["results", "measurements"]);
        assert_eq!(c.key.as_deref(), Some("hic15"));
        assert_eq!(c.value_before, "512 ");
        assert_eq!(c.item.as_deref(), Some("SDS-CRASH-001"));
    }

    #[test]
    fn item_being_typed_and_new_key() {
        let c = at(&format!(
            "{REPORT}results:\n  - item: SDS-CRASH-001\n    status: pass\n  - item: SDS-CR|\n"
        ));
        assert_eq!(c.path, ["results"]);
        assert_eq!(c.key.as_deref(), Some("item"));
        assert_eq!(c.prefix, "SDS-CR");
        let c = at(&format!("{REPORT}    |"));
        assert_eq!(c.path, ["vehicle", "attributes"]);
        assert_eq!(c.key, None);
        let c = at(&format!("{REPORT}    powertrain: b|"));
        assert_eq!(c.path, ["vehicle", "attributes"]);
        assert_eq!(c.key.as_deref(), Some("powertrain"));
    }

    #[test]
    fn flow_maps_on_one_line() {
        let c = at("sds_report: 1\nchecklist: {id: sds, version: \"1.|\"}\n");
        assert_eq!(c.path, ["checklist"]);
        assert_eq!(c.key.as_deref(), Some("version"));
        assert_eq!(c.prefix, "1.");
        let c =
            at("results:\n  - item: SDS-CRASH-001\n    evidence:\n      - {kind: vi|, path: a}\n");
        assert_eq!(c.path, ["results", "evidence"]);
        assert_eq!(c.key.as_deref(), Some("kind"));
        assert_eq!(c.item.as_deref(), Some("SDS-CRASH-001"));
    }

    #[test]
    fn the_item_of_another_result_is_not_taken() {
        let c = at("results:\n  - item: SDS-CRASH-001\n  - status: p|\n");
        assert_eq!(c.item, None);
        assert_eq!(c.path, ["results"]);
    }
}
