//! The spanned value tree every input is parsed into.
//!
//! Positions are taken in the same pass as parsing (no second parse): every
//! node carries its byte range; lines and columns are worked out from the
//! text when they are shown ([`crate::source`]).

use std::fmt;

use crate::source::FileId;

/// Where a node stands: its file and a byte range in it. Its line and
/// column come from the file's [`crate::source::LineIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// The file, in the table of the load that read it.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The top of file 0 (a report's check reads one file), for findings
    /// with nothing closer to point at.
    pub const TOP: Span = Span::top(FileId(0));

    /// The top of `file`.
    #[must_use]
    pub const fn top(file: FileId) -> Span {
        Span::at(file, 0)
    }

    /// An empty span at byte offset `at` of `file`.
    #[must_use]
    pub const fn at(file: FileId, at: usize) -> Span {
        Span {
            file,
            start: at,
            end: at,
        }
    }
}

/// A parsed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction or exponent (plain, i.e. unquoted, in YAML).
    Float(f64),
    /// Text (any quoted scalar, and plain scalars that are not another type).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in file order. Keys are unique (duplicates are refused by the loader).
    Map(Vec<Entry>),
}

/// One key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key (a `Value::Str`; scalars of other types are kept as their text).
    pub key: Node,
    /// The value.
    pub value: Node,
}

/// A value with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it stands.
    pub span: Span,
}

impl Node {
    /// The value of `key` if this node is a mapping holding it.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry (key and value nodes) of `key` if this node is a mapping holding it.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key.as_str() == Some(key)),
            _ => None,
        }
    }

    /// The text of a string node.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A number node as `f64`.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            #[allow(clippy::cast_precision_loss)] // values beyond 2^53 are not measurements
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// A whole-number node.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// A boolean node.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The items of a sequence node (empty for other nodes).
    #[must_use]
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Seq(v) => v,
            _ => &[],
        }
    }

    /// The entries of a mapping node (empty for other nodes).
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(v) => v,
            _ => &[],
        }
    }

    /// The node a JSON pointer (`/results/3/status`) names, if any.
    #[must_use]
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        let mut node = self;
        for raw in pointer.split('/').skip(1) {
            let token = raw.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Map(_) => node.get(&token)?,
                Value::Seq(v) => v.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The entry whose key a JSON pointer's last segment names (for findings on a key).
    #[must_use]
    pub fn pointer_entry(&self, pointer: &str) -> Option<&Entry> {
        let (parent, last) = pointer.rsplit_once('/')?;
        let last = last.replace("~1", "/").replace("~0", "~");
        self.pointer(parent)?.entry(&last)
    }

    /// A short description of the node's type, for messages ("a number", "a list", ...).
    #[must_use]
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// Converts to JSON for schema validation. Keys keep their text.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(v) => J::Array(v.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| {
                        (
                            e.key.as_str().unwrap_or_default().to_owned(),
                            e.value.to_json(),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for Node {
    /// A one-line rendering of a scalar for messages; collections are named by kind.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Seq(_) | Value::Map(_) => f.write_str(self.kind_name()),
        }
    }
}
