//! The human renderer alone, on any text and any findings over it: lines of
//! any length, control characters in the text, the path, the report id, the
//! messages and the help, and many findings with arbitrary (even wrong)
//! spans. Must never panic, and never let a control character through.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use sds::codes::Code;
use sds::engine::Command;
use sds::finding::Finding;
use sds::load::Span;
use sds::outcome::Outcome;
use sds::render::human;
use sds::source::FileId;

/// Reads little-endian numbers from the fuzzer's bytes, zero once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u16(&mut self) -> usize {
        let (a, b) = (self.0.first().copied(), self.0.get(1).copied());
        self.0 = self.0.get(2..).unwrap_or_default();
        usize::from(a.unwrap_or(0)) | usize::from(b.unwrap_or(0)) << 8
    }
}

fuzz_target!(|data: &[u8]| {
    // The first quarter drives the findings, the rest is the file.
    let split = data.len() / 4;
    let (control, body) = data.split_at(split);
    let text = String::from_utf8_lossy(body);
    // Long lines without long inputs: a byte repeats the text's first line.
    let text: String = match control.first() {
        Some(&n) if n > 200 => text.replacen('\n', &" x".repeat(usize::from(n) * 300), 1),
        _ => text.into_owned(),
    };
    let mut bytes = Bytes(control);
    let mut o = Outcome::new("fuzz\u{1b}[2K\ngate: PASS.yaml");
    o.id = Some(text.chars().take(40).collect());
    o.source = Some(Arc::from(text.as_str()));
    let n = bytes.u16() % 2000;
    for i in 0..n {
        let mut start = bytes.u16() * 37 % (text.len() + 2);
        let mut end = start + bytes.u16() % 300;
        // Snap to character boundaries as the loader's spans are; a few stay
        // out of range on purpose (the renderer must fall back, not panic).
        while start < text.len() && !text.is_char_boundary(start) {
            start += 1;
        }
        end = end.max(start);
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        let span = Span {
            end,
            ..Span::at(FileId::default(), start)
        };
        let quoted: String = text.chars().skip(i).take(50).collect();
        let mut f = Finding::new(Code::SchemaViolation, span, format!("value {quoted}\u{7}\r"))
            .help(format!("help\u{9b}{quoted}"));
        if i % 3 == 0 {
            f = f.label(quoted);
        }
        o.findings.push(f);
    }
    // Located as a check locates them (out-of-range spans clamp to the end).
    o.locate(&text);
    let out = human::report(&o, Command::Check, human::Style::default());
    assert!(
        !out.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the output"
    );
    for line in out.lines() {
        assert!(!line.starts_with("gate:"), "a forged verdict line: {line}");
    }
});
