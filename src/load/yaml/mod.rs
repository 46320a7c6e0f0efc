//! YAML (and JSON, which YAML 1.2 contains) text to a spanned [`Node`] tree.
//!
//! Built on `saphyr-parser`'s event stream (see docs/decisions.md for why):
//! each event carries its span, so positions come with the single parse.
//! Limits are enforced while the events arrive, so a hostile file is refused
//! as soon as it crosses one, before the rest of it is parsed.

mod builder;
mod positions;
mod scalar;
#[cfg(test)]
mod tests;

use saphyr_parser::{Event, Parser};

use super::node::{Node, Span, Value};
use super::{Limits, LoadError, MAX_DEPTH_CEILING};
use crate::codes::Code;
use crate::source::FileId;
use builder::{Builder, Frame};
use positions::Positions;
use scalar::scalar_value;

/// Parses one YAML (or JSON) document into a spanned tree.
///
/// # Errors
/// SDS001 for syntax errors, duplicate keys and several documents; SDS002 for
/// non-scalar keys; SDS004 when a limit is crossed.
pub fn parse(text: &str, limits: &Limits, file: FileId) -> Result<Node, LoadError> {
    let mut b = Builder::new(text, limits, file);
    flow_guard(text, &b.pos, limits)?;
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
                        at: None,
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
                let unknown = || LoadError {
                    code: Code::ParseError,
                    message: "alias to an unknown anchor".into(),
                    help: None,
                    span,
                    at: None,
                };
                let size = b.anchors.get(&id).ok_or_else(unknown)?.1;
                // Counted before the copy is made, so a refused alias costs nothing.
                b.count(size, span)?;
                let mut node = b.anchors.get(&id).ok_or_else(unknown)?.0.clone();
                // An aliased number keeps the place of its anchor's text, so it can
                // still be read exactly from what was written (see `number.rs`).
                if !matches!(node.value, Value::Float(_)) {
                    node.span = span;
                }
                b.push_counted(node, 0, size, size.values)?;
            }
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    let top = b.pos.top();
    Ok(b.root.unwrap_or(Node {
        value: Value::Null,
        span: top,
    }))
}

/// Refuses a file with more flow separators (`,`, `[`, `{`) than the value
/// cap, before parsing. Inside a flow collection the parser keeps every token
/// until the collection closes (it might yet turn out to be a key), about 350
/// bytes a token: a 60 MB `[0,0,0,...]` would take 10 GB before the first
/// value reached the cap. Every flow value but the last of each collection is
/// followed by a `,`, so a file within the cap holds at most a few times the
/// cap in flow tokens. Separators inside quoted text count too: no real
/// report comes near the cap (a 190-item report has a few thousand).
fn flow_guard(text: &str, pos: &Positions, limits: &Limits) -> Result<(), LoadError> {
    let Some((at, _)) = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b',' | b'[' | b'{'))
        .nth(limits.max_values)
    else {
        return Ok(());
    };
    Err(LoadError {
        code: Code::InputLimit,
        message: format!(
            "more than {} values (counting the separators `,`, `[`, `{{`) in one file: refused",
            limits.max_values
        ),
        help: Some(
            "a report holds a few thousand values: split the file, or raise the limit with \
             --max-values N"
                .into(),
        ),
        span: pos.point_at(at),
        at: None,
    })
}

/// The parser's own nesting guard trips before ours on flow collections (it
/// reads ahead); it is the same limit, so it is reported as one.
fn scan_error(e: &saphyr_parser::ScanError, pos: &Positions, limits: &Limits) -> LoadError {
    let span = pos.point(e.marker());
    if e.info().contains("recursion limit") {
        let mut e = depth_error(span, limits);
        e.message = format!(
            "flow collections (`[`, `{{`) nested deeper than {FLOW_CEILING} levels: refused"
        );
        return e;
    }
    LoadError {
        code: Code::ParseError,
        message: format!("invalid YAML: {}", e.info()),
        help: None,
        span,
        at: None,
    }
}

/// The parser's own ceiling on flow collections (`[`, `{`): it counts them in a byte.
const FLOW_CEILING: usize = 255;

fn depth_error(span: Span, limits: &Limits) -> LoadError {
    LoadError {
        code: Code::InputLimit,
        message: format!("nested deeper than {} levels: refused", max_depth(limits)),
        help: Some(format!(
            "a report is a few levels deep: flatten the structure, or raise the limit with \
             --max-depth N (at most {MAX_DEPTH_CEILING}, the depth proven safe; flow collections \
             `[`/`{{` at most {FLOW_CEILING})"
        )),
        span,
        at: None,
    }
}

/// The depth in force: the asked one, never above the proven-safe ceiling.
fn max_depth(limits: &Limits) -> usize {
    limits.max_depth.min(MAX_DEPTH_CEILING)
}
