//! YAML (and JSON, which YAML 1.2 contains) text to a spanned [`Node`] tree.
//!
//! Built on `saphyr-parser`'s event stream (see docs/decisions.md for why):
//! each event carries its span, so positions come with the single parse.
//! Limits are enforced while the events arrive, so a hostile file is refused
//! as soon as it crosses one, before the rest of it is parsed.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use super::node::{Entry, Node, Span, Value};
use super::{Limits, LoadError};
use crate::codes::Code;

/// Maps the parser's character positions to byte offsets, and its lines to
/// the lines every other tool counts (ending at `\n`).
struct Positions<'a> {
    /// Byte offset of each character, or `None` when the text is ASCII (offsets equal indices).
    char_starts: Option<Vec<usize>>,
    /// Byte offsets where lines start, kept only when the text has a lone `\r`:
    /// YAML counts that as a line break, editors and miette do not, so then
    /// lines are recounted from the bytes.
    line_starts: Option<Vec<usize>>,
    text: &'a str,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        let char_starts = (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b).collect());
        let b = text.as_bytes();
        let lone_cr = memchr_cr(b).any(|i| b.get(i + 1) != Some(&b'\n'));
        let line_starts = lone_cr.then(|| {
            std::iter::once(0)
                .chain(
                    b.iter()
                        .enumerate()
                        .filter(|(_, c)| **c == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        Positions {
            char_starts,
            line_starts,
            text,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_starts {
            None => char_index.min(self.text.len()),
            Some(v) => v.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    /// Line and column of a byte offset, counted from the text.
    fn line_col(&self, byte: usize) -> (u32, u32) {
        let (line, start) = match &self.line_starts {
            Some(starts) => {
                let i = starts.partition_point(|&s| s <= byte).saturating_sub(1);
                (i + 1, starts.get(i).copied().unwrap_or(0))
            }
            None => {
                let before = &self.text.as_bytes()[..byte];
                let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
                (
                    line,
                    before
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |i| i + 1),
                )
            }
        };
        let col = self.text.get(start..byte).map_or(0, |s| s.chars().count()) + 1;
        (to_u32(line), to_u32(col))
    }

    fn span(&self, s: &YSpan) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        let (line, col) = if self.line_starts.is_some() {
            self.line_col(start)
        } else {
            (to_u32(s.start.line()), to_u32(s.start.col() + 1))
        };
        Span {
            start,
            end,
            line,
            col,
        }
    }

    /// An error position. The scanner's marker may stand past the end of the
    /// text (it reads a virtual line break at the end), so line and column are
    /// taken from the byte offset instead; errors are rare, so the scan is cheap.
    fn point(&self, m: &saphyr_parser::Marker) -> Span {
        let start = self.byte(m.index());
        let (line, col) = self.line_col(start);
        Span {
            start,
            end: start,
            line,
            col,
        }
    }
}

fn memchr_cr(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\r')
        .map(|(i, _)| i)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An open collection while its events arrive.
enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<Entry>,
        pending_key: Option<Node>,
        /// Built once a mapping grows past a few keys, so duplicate detection stays linear.
        seen: Option<HashSet<String>>,
    },
}

/// Above this many keys a mapping's duplicate check switches from a scan to a set.
const SCAN_LIMIT: usize = 16;

struct Builder<'a> {
    pos: Positions<'a>,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    root: Option<Node>,
}

/// Parses one YAML (or JSON) document into a spanned tree.
///
/// # Errors
/// SDS001 for syntax errors, duplicate keys and several documents; SDS002 for
/// non-scalar keys; SDS004 when a limit is crossed.
pub fn parse(text: &str, limits: &Limits) -> Result<Node, LoadError> {
    let mut b = Builder {
        pos: Positions::new(text),
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, yspan) = next.map_err(|e| scan_error(&e, &b.pos, limits))?;
        let span = b.pos.span(&yspan);
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(LoadError {
                        code: Code::ParseError,
                        message:
                            "a second YAML document in one file: a file holds exactly one document"
                                .into(),
                        help: Some("split the documents into separate files".into()),
                        span,
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar_value(&text, style, tag.as_deref());
                b.push(Node { value, span }, anchor)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.open(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                })?;
            }
            Event::MappingStart(anchor, _) => {
                b.open(Frame::Map {
                    start: span,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                    seen: None,
                })?;
            }
            Event::SequenceEnd | Event::MappingEnd => b.close(span)?,
            Event::Alias(id) => {
                let Some((node, size)) = b.anchors.get(&id) else {
                    return Err(LoadError {
                        code: Code::ParseError,
                        message: "alias to an unknown anchor".into(),
                        help: None,
                        span,
                    });
                };
                let (mut node, size) = (node.clone(), *size);
                b.count(size, span)?;
                // An aliased number keeps the place of its anchor's text, so it can
                // still be read exactly from what was written (see `number.rs`).
                if !matches!(node.value, Value::Float(_)) {
                    node.span = span;
                }
                b.push_counted(node, 0, size)?;
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    Ok(b.root.unwrap_or(Node {
        value: Value::Null,
        span: Span::TOP,
    }))
}

/// The parser's own nesting guard trips before ours on flow collections (it
/// reads ahead); it is the same limit, so it is reported as one.
fn scan_error(e: &saphyr_parser::ScanError, pos: &Positions<'_>, limits: &Limits) -> LoadError {
    let span = pos.point(e.marker());
    if e.info().contains("recursion limit") {
        return depth_error(span, limits);
    }
    LoadError {
        code: Code::ParseError,
        message: format!("invalid YAML: {}", e.info()),
        help: None,
        span,
    }
}

fn depth_error(span: Span, limits: &Limits) -> LoadError {
    LoadError {
        code: Code::InputLimit,
        message: format!("nested deeper than {} levels: refused", limits.max_depth),
        help: Some(
            "a report is a few levels deep: flatten the structure, or raise the limit with --max-depth N"
                .into(),
        ),
        span,
    }
}

impl Builder<'_> {
    /// Counts values materialised through aliases against their budget.
    fn count(&mut self, n: usize, span: Span) -> Result<(), LoadError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_alias_nodes {
            return Err(LoadError {
                code: Code::InputLimit,
                message: format!(
                    "aliases expand to more than {} values: refused (alias bomb?)",
                    self.limits.max_alias_nodes
                ),
                help: Some(
                    "a report needs no alias chains: write the values out, or raise the limit with \
                     --max-alias-values N"
                        .into(),
                ),
                span,
            });
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<(), LoadError> {
        if self.stack.len() >= self.limits.max_depth {
            let span = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(depth_error(span, self.limits));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (value, start, anchor) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
            } => (Value::Seq(items), start, anchor),
            Frame::Map {
                start,
                anchor,
                entries,
                ..
            } => (Value::Map(entries), start, anchor),
        };
        let span = Span {
            end: end.end.max(start.start),
            ..start
        };
        self.push(Node { value, span }, anchor)
    }

    fn push(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        let size = if anchor == 0 { 0 } else { subtree_size(&node) };
        self.push_counted(node, anchor, size)
    }

    fn push_counted(&mut self, node: Node, anchor: usize, size: usize) -> Result<(), LoadError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Frame::Map {
                entries,
                pending_key,
                seen,
                ..
            }) => match pending_key.take() {
                None => {
                    let key = key_node(node)?;
                    let name = key.as_str().unwrap_or_default();
                    let duplicate = match seen {
                        Some(set) => !set.insert(name.to_owned()),
                        None => {
                            let dup = entries.iter().any(|e| e.key.as_str() == Some(name));
                            if entries.len() >= SCAN_LIMIT {
                                *seen = Some(
                                    entries
                                        .iter()
                                        .filter_map(|e| e.key.as_str().map(str::to_owned))
                                        .chain(std::iter::once(name.to_owned()))
                                        .collect(),
                                );
                            }
                            dup
                        }
                    };
                    if duplicate {
                        return Err(LoadError {
                            code: Code::ParseError,
                            message: format!("duplicate key `{name}` in one mapping"),
                            help: Some(
                                "a parser that kept the last value would silently change the data: \
                                 keep one"
                                    .into(),
                            ),
                            span: key.span,
                        });
                    }
                    *pending_key = Some(key);
                    Ok(())
                }
                Some(key) => {
                    entries.push(Entry { key, value: node });
                    Ok(())
                }
            },
        }
    }
}

/// Keys must be scalars; they are kept as text so `1: x` and `"1": x` name the same key.
fn key_node(node: Node) -> Result<Node, LoadError> {
    let text = match &node.value {
        Value::Str(s) => {
            return Ok(Node {
                value: Value::Str(s.clone()),
                span: node.span,
            });
        }
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) | Value::Map(_) => {
            return Err(LoadError {
                code: Code::SchemaViolation,
                message: format!("a mapping key must be text, found {}", node.kind_name()),
                help: None,
                span: node.span,
            });
        }
    };
    Ok(Node {
        value: Value::Str(text),
        span: node.span,
    })
}

fn subtree_size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(v) => v.iter().map(subtree_size).sum(),
        Value::Map(v) => v.iter().map(|e| 1 + subtree_size(&e.value)).sum::<usize>(),
        _ => 0,
    }
}

/// Resolves a scalar by the YAML 1.2 core schema: only plain scalars are typed.
fn scalar_value(text: &str, style: ScalarStyle, tag: Option<&saphyr_parser::Tag>) -> Value {
    if let Some(tag) = tag
        && (tag.is_yaml_core_schema() || tag.handle == "!!")
        && tag.suffix == "str"
    {
        return Value::Str(text.to_owned());
    }
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = parse_int(text) {
        return v;
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.to_owned())
}

fn parse_int(text: &str) -> Option<Value> {
    let (radix, digits) = if let Some(h) = text.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = text.strip_prefix("0o") {
        (8, o)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            // Too large for i64: keep the magnitude rather than misread it as text.
            Err(_) => Value::Float(text.parse::<f64>().ok()?),
        });
    };
    if digits.is_empty() {
        return None;
    }
    i64::from_str_radix(digits, radix).ok().map(Value::Int)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let b = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Node, LoadError> {
        parse(text, &Limits::default())
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let n = load("a: 1\nb: 1.10\nc: \"1.10\"\nd: true\ne: ~\nf: 2025-09-30\ng: 0x1F\nh: 1e3\n")
            .unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Int(1));
        assert_eq!(n.get("b").unwrap().value, Value::Float(1.1));
        assert_eq!(n.get("c").unwrap().value, Value::Str("1.10".into()));
        assert_eq!(n.get("d").unwrap().value, Value::Bool(true));
        assert_eq!(n.get("e").unwrap().value, Value::Null);
        assert_eq!(n.get("f").unwrap().value, Value::Str("2025-09-30".into()));
        assert_eq!(n.get("g").unwrap().value, Value::Int(31));
        assert_eq!(n.get("h").unwrap().value, Value::Float(1000.0));
    }

    #[test]
    fn spans_point_at_values() {
        let text = "results:\n  - item: SDS-X-001\n    hic15: 512\n";
        let n = load(text).unwrap();
        let v = n.pointer("/results/0/hic15").unwrap();
        assert_eq!((v.span.line, v.span.col), (3, 12));
        assert_eq!(&text[v.span.start..v.span.end], "512");
        let k = n.entry("results").unwrap();
        assert_eq!((k.key.span.line, k.key.span.col), (1, 1));
    }

    #[test]
    fn spans_are_bytes_after_multibyte_text() {
        let text = "a: \"°C°C\"\nb: 7\n";
        let n = load(text).unwrap();
        let b = n.get("b").unwrap();
        assert_eq!(&text[b.span.start..b.span.end], "7");
        assert_eq!((b.span.line, b.span.col), (2, 4));
    }

    #[test]
    fn duplicate_keys_are_refused_at_the_second() {
        let e = load("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.code, Code::ParseError);
        assert_eq!((e.span.line, e.span.col), (3, 1));
        let many: String = (0..40).map(|i| format!("k{i}: 1\n")).collect::<String>() + "k7: 2\n";
        let e = load(&many).unwrap_err();
        assert_eq!(e.span.line, 41);
    }

    #[test]
    fn depth_and_alias_limits() {
        let deep = "[".repeat(500) + &"]".repeat(500);
        assert_eq!(load(&deep).unwrap_err().code, Code::InputLimit);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb += &format!(
                "b{i}: &b{i} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            );
        }
        assert_eq!(load(&bomb).unwrap_err().code, Code::InputLimit);
        let ok = load("a: &x {v: 1}\nb: *x\n").unwrap();
        assert_eq!(ok.pointer("/b/v").unwrap().value, Value::Int(1));
    }

    #[test]
    fn crlf_and_lone_cr_lines_are_counted_as_editors_do() {
        let n = load("a: 1\r\nb: 2\r\n").unwrap();
        assert_eq!(
            (n.get("b").unwrap().span.line, n.get("b").unwrap().span.col),
            (2, 4)
        );
        let n = load("a: [x,\r  y]\nb: 2\n").unwrap();
        assert_eq!(
            (n.get("b").unwrap().span.line, n.get("b").unwrap().span.col),
            (2, 4)
        );
    }

    #[test]
    fn second_document_is_refused() {
        let e = load("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(e.code, Code::ParseError);
        assert_eq!(e.span.line, 2);
    }

    #[test]
    fn json_is_read_as_yaml() {
        let n = load("{\n\t\"a\": [1, 2.5, \"x\"],\n\t\"b\": {\"c\": null}\n}\n").unwrap();
        assert_eq!(n.pointer("/a/1").unwrap().value, Value::Float(2.5));
        assert_eq!(n.pointer("/b/c").unwrap().span.line, 3);
    }

    #[test]
    fn empty_input_is_null() {
        assert_eq!(load("").unwrap().value, Value::Null);
        assert_eq!(load("# only a comment\n").unwrap().value, Value::Null);
    }
}
