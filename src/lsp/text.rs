//! Positions: the loader's spans are byte offsets, LSP positions are lines
//! and UTF-16 code units (the protocol's default encoding). One table of line
//! starts converts both ways; nothing else in the server does arithmetic on
//! positions.

use lsp_types::{Position, Range};

use crate::source::{self, LineEnds};

/// Line starts of one text, for converting offsets and positions: the
/// library's [`source::LineIndex`] with the protocol's line ends (a lone
/// `\r` ends a line too) and its `lsp_types` positions.
#[derive(Debug, Clone)]
pub struct LineIndex(source::LineIndex);

impl LineIndex {
    /// Indexes `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        LineIndex(source::LineIndex::with_ends(text, LineEnds::NewlineOrCr))
    }

    /// Number of lines.
    #[must_use]
    pub fn lines(&self) -> usize {
        self.0.lines()
    }

    /// The byte range of line `line` without its line break (empty past the end).
    #[must_use]
    pub fn line_range(&self, text: &str, line: usize) -> (usize, usize) {
        self.0.line_range(text, line)
    }

    /// The text of line `line`, without its line break.
    #[must_use]
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        self.0.line(text, line)
    }

    /// The position of a byte offset (clamped to the text, moved back to a
    /// character boundary), in UTF-16 code units.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let (line, units) = self.0.utf16_position(text, offset);
        Position::new(line, units)
    }

    /// The range of a byte range.
    #[must_use]
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(
            self.position(text, start),
            self.position(text, end.max(start)),
        )
    }

    /// The byte offset of a position; a position past the end of its line is
    /// the end of the line, one inside a surrogate pair is the character's
    /// start, one past the last line is the end of the text.
    #[must_use]
    pub fn offset(&self, text: &str, p: Position) -> usize {
        self.0
            .utf16_offset(text, p.line as usize, p.character as usize)
    }
}

/// The word under (or just before) byte offset `at` on its line: letters,
/// digits, `_`, `-` and `.`, the characters of item ids, metric names and
/// codes. Returns its byte range.
#[must_use]
pub fn word_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let at = at.min(text.len());
    if !text.is_char_boundary(at) {
        return None;
    }
    let before = text.get(..at)?;
    let after = text.get(at..)?;
    let start = at
        - before
            .chars()
            .rev()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let end = at
        + after
            .chars()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "a: é😀x\nb: 1\r\nc\rd";
        let ix = LineIndex::new(text);
        assert_eq!(ix.lines(), 4);
        let x = text.find('x').unwrap();
        // `a: ` 3 units, é 1, 😀 2
        assert_eq!(ix.position(text, x), Position::new(0, 6));
        assert_eq!(ix.offset(text, Position::new(0, 6)), x);
        // inside the surrogate pair: the character's start
        let emoji = text.find('😀').unwrap();
        assert_eq!(ix.offset(text, Position::new(0, 5)), emoji);
        assert_eq!(
            ix.position(text, text.find('1').unwrap()),
            Position::new(1, 3)
        );
        assert_eq!(
            ix.position(text, text.find('c').unwrap()),
            Position::new(2, 0)
        );
        assert_eq!(
            ix.position(text, text.find('d').unwrap()),
            Position::new(3, 0)
        );
        assert_eq!(ix.line(text, 1), "b: 1");
        // past the end of a line, and past the last line
        assert_eq!(
            ix.offset(text, Position::new(1, 99)),
            text.find("\r\n").unwrap()
        );
        assert_eq!(ix.offset(text, Position::new(99, 0)), text.len());
        // an offset inside a character moves back to its start
        assert_eq!(ix.position(text, emoji + 1), Position::new(0, 4));
    }

    #[test]
    fn words_are_ids_and_names() {
        let t = "  - item: SDS-CRASH-001 # x";
        let at = t.find("CRASH").unwrap();
        let (s, e) = word_at(t, at).unwrap();
        assert_eq!(&t[s..e], "SDS-CRASH-001");
        assert_eq!(word_at(t, 1), None);
        assert_eq!(word_at(t, t.len()), Some((t.len() - 1, t.len())));
    }
}
