//! The few source lines miette draws under a finding, cut from the file
//! beforehand.
//!
//! miette's own source reader scans the file from its first byte for every
//! label (quadratic in the findings of a large file) and cannot draw a line
//! past column 65535 (it panics). So each finding gets a [`Snippet`]: only
//! its lines and one line of context either side, a line longer than
//! [`LONG_LINE`] cut to a window around the column at fault, and control
//! characters escaped. miette is told the true line and column, so the
//! header (`path:line:col`) and the gutter numbers stay exact.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::load::Span;
use crate::render::escape_control;

/// Lines up to this many bytes are drawn whole, as they are in the file.
pub(super) const LONG_LINE: usize = 200;
/// How much of a long line is drawn before the column at fault, in bytes.
const BEFORE: usize = 60;
/// How much of a long line is drawn in all, in bytes.
const WINDOW: usize = 140;
/// A label covering more lines than this is drawn on its first line only.
const MAX_LABEL_LINES: usize = 12;

/// Where each line of a file starts (lines end at `\n`, as the loader counts them).
pub(crate) struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The bytes of line `i`, without its line break (`\n` or `\r\n`).
    fn bounds(&self, text: &str, i: usize) -> (usize, usize) {
        let start = self.starts.get(i).copied().unwrap_or(self.len);
        let mut end = self
            .starts
            .get(i + 1)
            .map_or(self.len, |next| next.saturating_sub(1));
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    fn count(&self) -> usize {
        self.starts.len()
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A few lines of a file, ready for miette, with the finding's label inside them.
#[derive(Debug)]
pub(super) struct Snippet {
    name: String,
    text: String,
    /// 0-based number of the first line of `text`.
    first_line: usize,
    /// 0-based line and column (characters) of the finding, as the JSON output gives them.
    at: (usize, usize),
    /// The label's offset and length within `text`.
    pub(super) label: (usize, usize),
}

impl Snippet {
    /// The lines of `span` in `text`, one line of context either side.
    /// `None` when the span does not lie in the text.
    pub(super) fn cut(text: &str, lines: &Lines, span: Span, name: &str) -> Option<Self> {
        if span.end > text.len() || span.start > span.end {
            return None;
        }
        let first = lines.line_of(span.start);
        let mut last = lines.line_of(span.end.saturating_sub(1).max(span.start));
        if last - first >= MAX_LABEL_LINES {
            last = first;
        }
        let from = first.saturating_sub(1);
        let to = (last + 1).min(lines.count().saturating_sub(1));
        let mut out = String::new();
        let (mut label_start, mut label_end) = (None, None);
        for i in from..=to {
            if i > from {
                out.push('\n');
            }
            let (ls, le) = lines.bounds(text, i);
            // A long line is cut to a window: around the label's start on the
            // line where the label starts, from the line's start elsewhere.
            let (ws, we) = if le - ls <= LONG_LINE {
                (ls, le)
            } else {
                let anchor = if i == first { span.start } else { ls };
                let ws = floor_boundary(text, anchor.saturating_sub(BEFORE).max(ls));
                (ws, floor_boundary(text, (ws + WINDOW).min(le)))
            };
            if ws > ls {
                out.push('…');
            }
            let clamp = |o: usize| floor_boundary(text, o.clamp(ws, we));
            let s = (i == first).then(|| clamp(span.start));
            let e = (i == last).then(|| {
                if first == last {
                    clamp(span.end).max(clamp(span.start))
                } else {
                    clamp(span.end)
                }
            });
            let segment = &text[ws..we];
            for (k, c) in segment.char_indices() {
                if s == Some(ws + k) {
                    label_start = Some(out.len());
                }
                if e == Some(ws + k) {
                    label_end = Some(out.len());
                }
                // A tab is drawn as spaces by miette; every other control is escaped.
                let mut buf = [0u8; 4];
                if c == '\t' {
                    out.push(c);
                } else {
                    out.push_str(&escape_control(c.encode_utf8(&mut buf)));
                }
            }
            if s == Some(we) {
                label_start = Some(out.len());
            }
            if e == Some(we) {
                label_end = Some(out.len());
            }
            if we < le {
                out.push('…');
            }
        }
        let start = label_start?;
        let end = label_end.unwrap_or(start).max(start);
        Some(Snippet {
            name: name.to_owned(),
            text: out,
            first_line: from,
            at: (
                usize::try_from(span.line.saturating_sub(1)).unwrap_or(0),
                usize::try_from(span.col.saturating_sub(1)).unwrap_or(0),
            ),
            label: (start, end - start),
        })
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if span.offset() + span.len() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let line_count = self.text.matches('\n').count();
        // miette asks without context for the header's line and column, and
        // with context for the lines it draws: the first gets the finding's
        // own position, the second the whole snippet.
        let (line, column) = if context_lines_before == 0 && context_lines_after == 0 {
            self.at
        } else {
            (self.first_line, 0)
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.text.as_bytes(),
            (0, self.text.len()).into(),
            line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, start: usize, end: usize) -> Span {
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Span {
            start,
            end,
            line: u32::try_from(line).unwrap(),
            col: u32::try_from(col).unwrap(),
        }
    }

    #[test]
    fn short_lines_are_kept_whole_with_one_line_of_context() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\n";
        let lines = Lines::new(text);
        let s = Snippet::cut(text, &lines, span(text, 8, 9), "f").unwrap();
        assert_eq!(s.text, "a: 1\nb: 2\nc: 3");
        assert_eq!(&s.text[s.label.0..s.label.0 + s.label.1], "2");
        assert_eq!(s.first_line, 0);
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let text = format!("{{\"a\": [{}\"bad\"]}}", "1, ".repeat(40_000));
        let at = text.find("\"bad\"").unwrap();
        let lines = Lines::new(&text);
        let s = Snippet::cut(&text, &lines, span(&text, at, at + 5), "f").unwrap();
        assert!(s.text.len() < 2 * WINDOW, "{}", s.text.len());
        assert_eq!(&s.text[s.label.0..s.label.0 + s.label.1], "\"bad\"");
        assert_eq!(s.at, (0, at));
    }

    #[test]
    fn controls_are_escaped_and_the_label_follows() {
        let text = "id: \"\u{1b}[2K\"\nx: 1\n";
        let lines = Lines::new(text);
        let x = text.find("x:").unwrap();
        let s = Snippet::cut(text, &lines, span(text, x, x + 1), "f").unwrap();
        assert!(!s.text.contains('\u{1b}'));
        assert_eq!(&s.text[s.label.0..s.label.0 + s.label.1], "x");
    }

    #[test]
    fn a_span_at_the_very_end_is_drawn() {
        let text = "a: 1\n";
        let lines = Lines::new(text);
        let s = Snippet::cut(text, &lines, span(text, 5, 5), "f").unwrap();
        assert_eq!(s.label, (s.text.len(), 0));
    }
}
