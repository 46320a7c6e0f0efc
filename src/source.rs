//! Positions in a file's text: the one place where byte offsets become lines
//! and columns, and back.
//!
//! Everything the loader builds holds byte ranges ([`crate::load::Span`]);
//! a line and column are worked out here, from a table of line starts, when
//! a file's findings are final ([`crate::outcome::Outcome::locate`]) and for
//! the editor's positions (`sds lsp`, in UTF-16 code units). The text itself
//! is not kept beside every finding: a run streams thousands of reports and
//! drops each text once its findings are located.

/// A file in the table of the load that read it: the checklist loader's
/// files in load order ([`crate::checklist::source::Loaded::files`]), or the
/// one file of a report's check (id 0). A span names its file, so a finding
/// raised over several files (a checklist folder, versions compared) goes to
/// the outcome of the file it stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    /// The id of the file at `index` in its table.
    #[must_use]
    pub fn new(index: usize) -> Self {
        FileId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// Its index in its table.
    #[must_use]
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A place for people: 1-based line, and 1-based column counted in
/// characters (Unicode scalar values), as editors and `file:line:col` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Location {
    /// 1-based line (0 only before the finding is located).
    pub line: u32,
    /// 1-based column, in characters (0 only before the finding is located).
    pub col: u32,
}

impl Location {
    /// The top of a file.
    pub const TOP: Location = Location { line: 1, col: 1 };

    /// Whether this is a real place (line and column are 1-based once located).
    #[must_use]
    pub fn is_known(self) -> bool {
        self.line > 0 && self.col > 0
    }
}

/// Which characters end a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnds {
    /// `\n` (so `\r\n` too): what editors' "go to line", grep and miette count.
    Newline,
    /// `\n`, `\r\n` and a lone `\r`: what the Language Server Protocol counts.
    NewlineOrCr,
}

/// The byte offset where each line of one text starts.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Indexes `text`, its lines ending at `\n`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        Self::with_ends(text, LineEnds::Newline)
    }

    /// Indexes `text`, its lines ending where `ends` says.
    #[must_use]
    pub fn with_ends(text: &str, ends: LineEnds) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let breaks = match b {
                b'\n' => true,
                b'\r' => ends == LineEnds::NewlineOrCr && bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if breaks {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (an empty text has one).
    #[must_use]
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte offset `offset`.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte range of 0-based line `line` without its line break (empty past the end).
    #[must_use]
    pub fn line_range(&self, text: &str, line: usize) -> (usize, usize) {
        let Some(&start) = self.starts.get(line) else {
            return (self.len, self.len);
        };
        let mut end = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.len)
            .max(start);
        // The line break alone: `\n`, `\r\n` or `\r`. A `\r` before the
        // break is the line's own text when lines end at `\n` only.
        let b = text.as_bytes();
        let last = |end: usize| (end > start).then(|| b.get(end - 1)).flatten().copied();
        if last(end) == Some(b'\n') {
            end -= 1;
            if last(end) == Some(b'\r') {
                end -= 1;
            }
        } else if last(end) == Some(b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// The text of 0-based line `line`, without its line break.
    #[must_use]
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let (s, e) = self.line_range(text, line);
        text.get(s..e).unwrap_or_default()
    }

    /// `offset` clamped to the text and moved back to a character boundary,
    /// with its 0-based line and that line's start.
    fn anchor(&self, text: &str, offset: usize) -> (usize, usize, usize) {
        let mut offset = offset.min(self.len).min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        (offset, line, start)
    }

    /// The line and column (in characters) of a byte offset.
    #[must_use]
    pub fn location(&self, text: &str, offset: usize) -> Location {
        let (offset, line, start) = self.anchor(text, offset);
        let chars = text.get(start..offset).map_or(0, |s| s.chars().count());
        Location {
            line: to_u32(line + 1),
            col: to_u32(chars + 1),
        }
    }

    /// The 0-based line and UTF-16 column of a byte offset (the editor's position).
    #[must_use]
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let (offset, line, start) = self.anchor(text, offset);
        let units: usize = text
            .get(start..offset)
            .unwrap_or_default()
            .chars()
            .map(char::len_utf16)
            .sum();
        (to_u32(line), to_u32(units))
    }

    /// The byte offset of a 0-based line and UTF-16 column: a column past the
    /// end of its line is the end of the line, one inside a surrogate pair is
    /// the character's start, a line past the last is the end of the text.
    #[must_use]
    pub fn utf16_offset(&self, text: &str, line: usize, units: usize) -> usize {
        if line >= self.starts.len() {
            return self.len;
        }
        let (start, end) = self.line_range(text, line);
        let mut seen = 0usize;
        for (i, c) in text.get(start..end).unwrap_or_default().char_indices() {
            let next = seen + c.len_utf16();
            if next > units {
                return start + i;
            }
            seen = next;
        }
        end
    }
}

/// The locations of many byte offsets of one text, in the order given, in
/// one pass over the text up to the furthest offset. Unlike a [`LineIndex`]
/// it keeps nothing per line, so locating a file's findings costs no memory
/// however many lines it has (a 64 MiB file of empty lines would take half
/// a gigabyte of line starts). Offsets are clamped to the text and moved back
/// to a character boundary, as [`LineIndex::location`] does, with the same
/// result.
#[must_use]
pub fn locate_all(text: &str, offsets: &[usize]) -> Vec<Location> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Location::TOP; offsets.len()];
    // The scan's cursor: a byte offset, its 1-based line, and the characters
    // between its line's start and it.
    let (mut pos, mut line, mut chars) = (0usize, 1usize, 0usize);
    for i in order {
        let mut at = offsets[i].min(text.len());
        while at > 0 && !text.is_char_boundary(at) {
            at -= 1;
        }
        // `at >= pos` always (offsets ascend, and moving back to a boundary
        // never passes an earlier boundary-aligned offset).
        let segment = text.get(pos..at).unwrap_or_default();
        match segment.rfind('\n') {
            Some(last) => {
                line += segment.bytes().filter(|&b| b == b'\n').count();
                chars = segment[last + 1..].chars().count();
            }
            None => chars += segment.chars().count(),
        }
        pos = at.max(pos);
        out[i] = Location {
            line: to_u32(line),
            col: to_u32(chars + 1),
        };
    }
    out
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_characters_and_newlines_only() {
        let text = "a: é😀x\nb: 1\r\nc\rd";
        let ix = LineIndex::new(text);
        assert_eq!(ix.lines(), 3);
        let at = |needle: &str| ix.location(text, text.find(needle).unwrap());
        assert_eq!(at("x"), Location { line: 1, col: 6 });
        assert_eq!(at("1"), Location { line: 2, col: 4 });
        // A lone `\r` does not end a line for people (editors, grep, miette).
        assert_eq!(at("d"), Location { line: 3, col: 3 });
        assert_eq!(ix.location(text, 0), Location::TOP);
        // Past the end: the end of the text.
        assert_eq!(ix.location(text, 999), Location { line: 3, col: 4 });
        // Inside a character: its start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(ix.location(text, emoji + 2), Location { line: 1, col: 5 });
        assert_eq!(ix.line(text, 1), "b: 1");
        assert_eq!(ix.line(text, 2), "c\rd");
        // Only the break is cut: a `\r` before `\r\n` is the line's own.
        let odd = "a\r\r\nb\r";
        let ix = LineIndex::new(odd);
        assert_eq!(ix.line(odd, 0), "a\r");
        assert_eq!(ix.line(odd, 1), "b");
    }

    #[test]
    fn the_editor_counts_lone_cr_and_utf16_units() {
        let text = "a: é😀x\nb: 1\r\nc\rd";
        let ix = LineIndex::with_ends(text, LineEnds::NewlineOrCr);
        assert_eq!(ix.lines(), 4);
        let x = text.find('x').unwrap();
        assert_eq!(ix.utf16_position(text, x), (0, 6));
        assert_eq!(ix.utf16_offset(text, 0, 6), x);
        assert_eq!(ix.utf16_position(text, text.find('d').unwrap()), (3, 0));
        assert_eq!(ix.line(text, 1), "b: 1");
    }

    #[test]
    fn locating_many_offsets_agrees_with_the_index() {
        let text = "a: é😀x\nb: 1\r\n\n\nc\rd 😀😀\n";
        let ix = LineIndex::new(text);
        // Every offset, each boundary and inside characters, in a scrambled order.
        let mut offsets: Vec<usize> = (0..=text.len() + 3).collect();
        offsets.reverse();
        offsets.swap(2, 9);
        let all = locate_all(text, &offsets);
        for (o, at) in offsets.iter().zip(&all) {
            assert_eq!(*at, ix.location(text, *o), "offset {o}");
        }
        assert_eq!(locate_all("", &[0, 5]), vec![Location::TOP; 2]);
    }

    #[test]
    fn an_empty_text_has_one_line() {
        let ix = LineIndex::new("");
        assert_eq!(ix.lines(), 1);
        assert_eq!(ix.location("", 0), Location::TOP);
        assert_eq!(ix.line("", 0), "");
        assert_eq!(ix.line("", 5), "");
    }
}
