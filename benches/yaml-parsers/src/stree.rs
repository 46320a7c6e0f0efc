//! A minimal spanned value tree built from `saphyr-parser` events, iteratively (no
//! recursion while parsing), with a depth limit, an alias-expansion budget, single-document
//! enforcement and duplicate-key detection. This is the shape `sds` would use.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

#[allow(dead_code)] // style/tag are carried for the checker, unused in the benchmark
#[derive(Clone, Debug)]
pub enum Node<'a> {
    Scalar {
        value: Cow<'a, str>,
        style: ScalarStyle,
        tag: Option<String>,
        span: Span,
    },
    Seq {
        items: Vec<Node<'a>>,
        span: Span,
    },
    Map {
        entries: Vec<(Node<'a>, Node<'a>)>,
        span: Span,
    },
}

impl<'a> Node<'a> {
    pub fn span(&self) -> Span {
        match self {
            Node::Scalar { span, .. } | Node::Seq { span, .. } | Node::Map { span, .. } => *span,
        }
    }
    pub fn get(&self, key: &str) -> Option<&(Node<'a>, Node<'a>)> {
        match self {
            Node::Map { entries, .. } => entries
                .iter()
                .find(|(k, _)| matches!(k, Node::Scalar { value, .. } if value == key)),
            _ => None,
        }
    }
    pub fn idx(&self, i: usize) -> Option<&Node<'a>> {
        match self {
            Node::Seq { items, .. } => items.get(i),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct TreeError {
    pub msg: String,
    /// 1-based
    pub line: usize,
    /// 0-based, characters
    pub col: usize,
}

impl std::fmt::Display for TreeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {} column {}", self.msg, self.line, self.col + 1)
    }
}

pub struct Limits {
    pub max_depth: usize,
    /// Total nodes that alias expansion may add to the tree.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 64, max_alias_nodes: 10_000 }
    }
}

enum Frame<'a> {
    Seq {
        items: Vec<Node<'a>>,
        start: Span,
        anchor: usize,
        size: usize,
    },
    Map {
        entries: Vec<(Node<'a>, Node<'a>)>,
        pending_key: Option<Node<'a>>,
        seen: HashSet<Cow<'a, str>>,
        start: Span,
        anchor: usize,
        size: usize,
    },
}

fn err(msg: impl Into<String>, span: Span) -> TreeError {
    TreeError { msg: msg.into(), line: span.start.line(), col: span.start.col() }
}

pub fn build<'a>(src: &'a str, lim: &Limits) -> Result<Node<'a>, TreeError> {
    let mut p = Parser::new_from_str(src);
    let mut stack: Vec<Frame<'a>> = Vec::new();
    // anchor id -> (node, size in nodes). Anchored nodes are cloned on alias.
    let mut anchors: HashMap<usize, (Node<'a>, usize)> = HashMap::new();
    let mut alias_nodes = 0usize;
    let mut root: Option<Node<'a>> = None;
    let mut docs = 0usize;

    while let Some(res) = p.next_event() {
        let (ev, span) = res.map_err(|e| TreeError {
            msg: e.info().to_string(),
            line: e.marker().line(),
            col: e.marker().col(),
        })?;
        let (node, size) = match ev {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(err("more than one YAML document", span));
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let n = Node::Scalar { value, style, tag: tag.map(|t| t.to_string()), span };
                if anchor > 0 {
                    anchors.insert(anchor, (n.clone(), 1));
                }
                (n, 1)
            }
            Event::Alias(id) => {
                let Some((n, size)) = anchors.get(&id) else {
                    // Includes self-references (`&a [*a]`): the anchor is not complete yet.
                    return Err(err("alias to an undefined or incomplete anchor", span));
                };
                alias_nodes = alias_nodes.saturating_add(*size);
                if alias_nodes > lim.max_alias_nodes {
                    return Err(err(
                        format!("alias expansion exceeds budget of {} nodes", lim.max_alias_nodes),
                        span,
                    ));
                }
                (n.clone(), *size)
            }
            Event::SequenceStart(anchor, _tag) => {
                if stack.len() >= lim.max_depth {
                    return Err(err(format!("nesting deeper than {}", lim.max_depth), span));
                }
                stack.push(Frame::Seq { items: Vec::new(), start: span, anchor, size: 1 });
                continue;
            }
            Event::MappingStart(anchor, _tag) => {
                if stack.len() >= lim.max_depth {
                    return Err(err(format!("nesting deeper than {}", lim.max_depth), span));
                }
                stack.push(Frame::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    seen: HashSet::new(),
                    start: span,
                    anchor,
                    size: 1,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    return Err(err("unbalanced collection end", span));
                };
                let (n, anchor, size) = match frame {
                    Frame::Seq { items, start, anchor, size } => {
                        (Node::Seq { items, span: Span::new(start.start, span.end) }, anchor, size)
                    }
                    Frame::Map { entries, pending_key, start, anchor, size, .. } => {
                        if pending_key.is_some() {
                            return Err(err("mapping key without value", span));
                        }
                        (Node::Map { entries, span: Span::new(start.start, span.end) }, anchor, size)
                    }
                };
                if anchor > 0 {
                    anchors.insert(anchor, (n.clone(), size));
                }
                (n, size)
            }
        };
        match stack.last_mut() {
            None => {
                if root.is_some() {
                    return Err(err("unexpected second root node", node.span()));
                }
                root = Some(node);
            }
            Some(Frame::Seq { items, size: s, .. }) => {
                *s = s.saturating_add(size);
                items.push(node);
            }
            Some(Frame::Map { entries, pending_key, seen, size: s, .. }) => {
                *s = s.saturating_add(size);
                if let Some(k) = pending_key.take() {
                    entries.push((k, node));
                } else {
                    match &node {
                        Node::Scalar { value, .. } => {
                            if !seen.insert(value.clone()) {
                                return Err(err(format!("duplicate key `{value}`"), node.span()));
                            }
                        }
                        _ => return Err(err("non-scalar mapping key", node.span())),
                    }
                    *pending_key = Some(node);
                }
            }
        }
    }
    root.ok_or_else(|| TreeError { msg: "empty document".into(), line: 1, col: 0 })
}

/// Drain the event stream only (no tree). Returns the number of events.
pub fn events_only(src: &str) -> Result<usize, String> {
    let mut p = Parser::new_from_str(src);
    let mut n = 0usize;
    while let Some(res) = p.next_event() {
        res.map_err(|e| e.to_string())?;
        n += 1;
    }
    Ok(n)
}
