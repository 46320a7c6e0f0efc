//! The tree builder: collections open and close as the events arrive, with
//! the depth, value and alias budgets counted on the way.

use std::collections::{HashMap, HashSet};

use super::positions::Positions;
use super::{depth_error, max_depth};
use crate::codes::Code;
use crate::load::node::{Entry, Node, Span, Value};
use crate::load::{Limits, LoadError};
use crate::source::FileId;

/// An open collection while its events arrive.
pub(super) enum Frame {
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

pub(super) struct Builder<'a> {
    pub(super) pos: Positions,
    limits: &'a Limits,
    stack: Vec<Frame>,
    pub(super) anchors: HashMap<usize, (Node, Size)>,
    /// Values materialised through aliases.
    nodes: usize,
    /// Bytes of text materialised through aliases.
    alias_bytes: usize,
    /// Most bytes aliases may materialise: as many as the file holds, at least
    /// 1 MiB. Counting values alone let one long string aliased 1,600 times
    /// take 1.6 GB from a 1 MB file.
    max_alias_bytes: usize,
    /// Values in the document so far, aliases expanded.
    values: usize,
    pub(super) root: Option<Node>,
}

/// What an anchored subtree costs each time an alias repeats it.
#[derive(Clone, Copy, Default)]
pub(super) struct Size {
    pub(super) values: usize,
    bytes: usize,
}

impl<'a> Builder<'a> {
    pub(super) fn new(text: &'a str, limits: &'a Limits, file: FileId) -> Self {
        Builder {
            pos: Positions::new(text, file),
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            alias_bytes: 0,
            max_alias_bytes: text.len().max(1 << 20),
            values: 0,
            root: None,
        }
    }

    /// Counts values and bytes materialised through aliases against their budgets.
    pub(super) fn count(&mut self, size: Size, span: Span) -> Result<(), LoadError> {
        self.nodes = self.nodes.saturating_add(size.values);
        self.alias_bytes = self.alias_bytes.saturating_add(size.bytes);
        if self.alias_bytes > self.max_alias_bytes {
            return Err(LoadError {
                code: Code::InputLimit,
                message: format!(
                    "aliases expand to more than {} bytes of text (as much as the file holds, \
                     at least 1 MiB): refused (alias bomb?)",
                    self.max_alias_bytes
                ),
                help: Some("a report needs no aliases: write the values out".into()),
                span,
                at: None,
            });
        }
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
                at: None,
            });
        }
        Ok(())
    }

    /// Counts values in the document against their cap.
    fn grow(&mut self, n: usize, span: Span) -> Result<(), LoadError> {
        self.values = self.values.saturating_add(n);
        if self.values > self.limits.max_values {
            return Err(LoadError {
                code: Code::InputLimit,
                message: format!(
                    "more than {} values in one file: refused",
                    self.limits.max_values
                ),
                help: Some(
                    "a report holds a few thousand values: split the file, or raise the limit \
                     with --max-values N"
                        .into(),
                ),
                span,
                at: None,
            });
        }
        Ok(())
    }

    pub(super) fn open(&mut self, frame: Frame) -> Result<(), LoadError> {
        if self.stack.len() >= max_depth(self.limits) {
            let span = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(depth_error(span, self.limits));
        }
        self.stack.push(frame);
        Ok(())
    }

    pub(super) fn close(&mut self, end: Span) -> Result<(), LoadError> {
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

    pub(super) fn push(&mut self, node: Node, anchor: usize) -> Result<(), LoadError> {
        let size = if anchor == 0 {
            Size::default()
        } else {
            subtree_size(&node)
        };
        self.push_counted(node, anchor, size, 1)
    }

    /// Adds a node to the collection open. `adds` is how many values that
    /// makes: 1 for a node read from the text (a collection's children were
    /// counted as they came), the whole subtree for an alias's copy.
    pub(super) fn push_counted(
        &mut self,
        node: Node,
        anchor: usize,
        size: Size,
        adds: usize,
    ) -> Result<(), LoadError> {
        self.grow(adds, node.span)?;
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
                    let key = key_node(&node)?;
                    let name = key.as_str().unwrap_or_default();
                    let duplicate = if let Some(set) = seen {
                        !set.insert(name.to_owned())
                    } else {
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
                            at: None,
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
fn key_node(node: &Node) -> Result<Node, LoadError> {
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
                at: None,
            });
        }
    };
    Ok(Node {
        value: Value::Str(text),
        span: node.span,
    })
}

/// Values and text bytes of a subtree, walked without recursion.
fn subtree_size(node: &Node) -> Size {
    let mut size = Size::default();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        size.values += 1;
        match &n.value {
            Value::Str(s) => size.bytes += s.len(),
            Value::Seq(v) => todo.extend(v),
            Value::Map(v) => {
                for e in v {
                    size.values += 1;
                    size.bytes += e.key.as_str().map_or(0, str::len);
                    todo.push(&e.value);
                }
            }
            _ => {}
        }
    }
    size
}
