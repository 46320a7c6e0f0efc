//! Positions: the parser's character indices to byte offsets, and its line
//! count to the one editors use.

use saphyr_parser::Span as YSpan;

use super::super::node::Span;

/// Maps the parser's character positions to byte offsets, and its lines to
/// the lines every other tool counts (ending at `\n`).
pub(super) struct Positions<'a> {
    /// Byte offset of each character, or `None` when the text is ASCII (offsets equal indices).
    char_starts: Option<Vec<usize>>,
    /// Byte offsets where lines start, kept only when the text has a lone `\r`:
    /// YAML counts that as a line break, editors and miette do not, so then
    /// lines are recounted from the bytes.
    line_starts: Option<Vec<usize>>,
    text: &'a str,
}

impl<'a> Positions<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let char_starts = (!text.is_ascii()).then(|| text.char_indices().map(|(b, _)| b).collect());
        let b = text.as_bytes();
        let lone_cr = cr_offsets(b).any(|i| b.get(i + 1) != Some(&b'\n'));
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
        let (line, start) = if let Some(starts) = &self.line_starts {
            let i = starts.partition_point(|&s| s <= byte).saturating_sub(1);
            (i + 1, starts.get(i).copied().unwrap_or(0))
        } else {
            let before = &self.text.as_bytes()[..byte];
            let line = count_newlines(before) + 1;
            (
                line,
                before
                    .iter()
                    .rposition(|&c| c == b'\n')
                    .map_or(0, |i| i + 1),
            )
        };
        let col = self.text.get(start..byte).map_or(0, |s| s.chars().count()) + 1;
        (to_u32(line), to_u32(col))
    }

    pub(super) fn span(&self, s: &YSpan) -> Span {
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

    /// A position given as a byte offset (for errors found without the parser).
    pub(super) fn point_at(&self, start: usize) -> Span {
        let (line, col) = self.line_col(start);
        Span {
            start,
            end: start,
            line,
            col,
        }
    }

    /// An error position. The scanner's marker may stand past the end of the
    /// text (it reads a virtual line break at the end), so line and column are
    /// taken from the byte offset instead; errors are rare, so the scan is cheap.
    pub(super) fn point(&self, m: &saphyr_parser::Marker) -> Span {
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

fn cr_offsets(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\r')
        .map(|(i, _)| i)
}

// One pass over bytes already in cache; not worth a dependency (bytecount).
#[allow(clippy::naive_bytecount)]
fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
