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
use crate::source::{LineIndex, Location};

/// Lines up to this many bytes are drawn whole, as they are in the file.
pub(super) const LONG_LINE: usize = 200;
/// How much of a long line is drawn before the column at fault, in bytes.
const BEFORE: usize = 60;
/// How much of a long line is drawn in all, in bytes.
const WINDOW: usize = 140;
/// A label covering more lines than this is drawn on its first line only.
const MAX_LABEL_LINES: usize = 12;

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
    /// The lines of `span` in `text`, one line of context either side;
    /// `at` is where the finding says it stands. `None` when the span does
    /// not lie in the text.
    pub(super) fn cut(
        text: &str,
        lines: &LineIndex,
        span: Span,
        at: Location,
        name: &str,
    ) -> Option<Self> {
        if span.end > text.len() || span.start > span.end {
            return None;
        }
        let first = lines.line_of(span.start);
        let mut last = lines.line_of(span.end.saturating_sub(1).max(span.start));
        if last - first >= MAX_LABEL_LINES {
            last = first;
        }
        let from = first.saturating_sub(1);
        let to = (last + 1).min(lines.lines().saturating_sub(1));
        let mut out = String::new();
        let (mut label_start, mut label_end) = (None, None);
        for i in from..=to {
            if i > from {
                out.push('\n');
            }
            let (ls, le) = lines.line_range(text, i);
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
                usize::try_from(at.line.saturating_sub(1)).unwrap_or(0),
                usize::try_from(at.col.saturating_sub(1)).unwrap_or(0),
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

    /// Cuts the snippet of `start..end`, located as the outcome would locate it.
    fn cut(text: &str, start: usize, end: usize) -> Option<Snippet> {
        let lines = LineIndex::new(text);
        let at = lines.location(text, start);
        Snippet::cut(
            text,
            &lines,
            Span {
                end,
                ..Span::at(crate::source::FileId(0), start)
            },
            at,
            "f",
        )
    }

    #[test]
    fn short_lines_are_kept_whole_with_one_line_of_context() {
        let text = "a: 1\nb: 2\nc: 3\nd: 4\n";
        let s = cut(text, 8, 9).unwrap();
        assert_eq!(s.text, "a: 1\nb: 2\nc: 3");
        assert_eq!(&s.text[s.label.0..s.label.0 + s.label.1], "2");
        assert_eq!(s.first_line, 0);
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let text = format!("{{\"a\": [{}\"bad\"]}}", "1, ".repeat(40_000));
        let at = text.find("\"bad\"").unwrap();
        let s = cut(&text, at, at + 5).unwrap();
        assert!(s.text.len() < 2 * WINDOW, "{}", s.text.len());
        assert_eq!(&s.text[s.label.0..s.label.0 + s.label.1], "\"bad\"");
        assert_eq!(s.at, (0, at));
    }

    #[test]
    fn controls_are_escaped_and_the_label_follows() {
        let text = "id: \"\u{1b}[2K\"\nx: 1\n";
        let x = text.find("x:").unwrap();
        let s = cut(text, x, x + 1).unwrap();
        assert!(!s.text.contains('\u{1b}'));
        assert_eq!(&s.text[s.label.0..s.label.0 + s.label.1], "x");
    }

    #[test]
    fn a_span_at_the_very_end_is_drawn() {
        let text = "a: 1\n";
        let s = cut(text, 5, 5).unwrap();
        assert_eq!(s.label, (s.text.len(), 0));
    }
}
