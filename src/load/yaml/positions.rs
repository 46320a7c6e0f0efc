//! Positions: the parser's character indices to byte offsets (lines and
//! columns are worked out from the text when shown, in [`crate::source`]).

use saphyr_parser::Span as YSpan;

use super::super::node::Span;
use crate::source::FileId;

/// Maps the parser's character positions to byte offsets.
pub(super) struct Positions {
    /// Byte offset of each character, or `None` when the text is ASCII (offsets equal indices).
    char_starts: Option<Vec<usize>>,
    len: usize,
    file: FileId,
}

impl Positions {
    pub(super) fn new(text: &str, file: FileId) -> Self {
        let char_starts = (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b).collect());
        Positions {
            char_starts,
            len: text.len(),
            file,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_starts {
            None => char_index.min(self.len),
            Some(v) => v.get(char_index).copied().unwrap_or(self.len),
        }
    }

    pub(super) fn span(&self, s: &YSpan) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span {
            file: self.file,
            start,
            end,
        }
    }

    /// An empty span at a byte offset (for errors found without the parser).
    pub(super) fn point_at(&self, at: usize) -> Span {
        Span::at(self.file, at.min(self.len))
    }

    /// The top of the file.
    pub(super) fn top(&self) -> Span {
        Span::top(self.file)
    }

    /// An error position. The scanner's marker may stand past the end of the
    /// text (it reads a virtual line break at the end): the offset is clamped.
    pub(super) fn point(&self, m: &saphyr_parser::Marker) -> Span {
        Span::at(self.file, self.byte(m.index()))
    }
}
