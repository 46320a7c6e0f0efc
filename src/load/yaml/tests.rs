use std::fmt::Write as _;

use super::*;

fn load(text: &str) -> Result<Node, LoadError> {
    parse(text, &Limits::default(), FileId::default())
}

/// The line and column of a span's start, as a finding there is located.
fn lc(text: &str, span: Span) -> (u32, u32) {
    let at = crate::source::LineIndex::new(text).location(text, span.start);
    (at.line, at.col)
}

#[test]
fn scalars_follow_the_core_schema() {
    let n = load("a: 1\nb: 1.10\nc: \"1.10\"\nd: true\ne: ~\nf: 2025-09-30\ng: 0x1F\nh: 1e3\n")
        .unwrap();
    assert_eq!(n.get("a").unwrap().value, Value::Int(1));
    assert_eq!(n.get("b").unwrap().value, Value::Float(1.1));
    assert_eq!(n.get("c").unwrap().value, Value::Str("1.10".into()));
    assert_eq!(n.get("d").unwrap().value, Value::Bool(true));
    assert_eq!(n.get("e").unwrap().value, Value::Null);
    assert_eq!(n.get("f").unwrap().value, Value::Str("2025-09-30".into()));
    assert_eq!(n.get("g").unwrap().value, Value::Int(31));
    assert_eq!(n.get("h").unwrap().value, Value::Float(1000.0));
}

#[test]
fn spans_point_at_values() {
    let text = "results:\n  - item: SDS-X-001\n    hic15: 512\n";
    let n = load(text).unwrap();
    let v = n.pointer("/results/0/hic15").unwrap();
    assert_eq!(lc(text, v.span), (3, 12));
    assert_eq!(&text[v.span.start..v.span.end], "512");
    let k = n.entry("results").unwrap();
    assert_eq!(lc(text, k.key.span), (1, 1));
}

#[test]
fn spans_are_bytes_after_multibyte_text() {
    let text = "a: \"°C°C\"\nb: 7\n";
    let n = load(text).unwrap();
    let b = n.get("b").unwrap();
    assert_eq!(&text[b.span.start..b.span.end], "7");
    assert_eq!(lc(text, b.span), (2, 4));
}

#[test]
fn duplicate_keys_are_refused_at_the_second() {
    let text = "a: 1\nb: 2\na: 3\n";
    let e = load(text).unwrap_err();
    assert_eq!(e.code, Code::ParseError);
    assert_eq!(lc(text, e.span), (3, 1));
    let mut many = String::new();
    for i in 0..40 {
        let _ = writeln!(many, "k{i}: 1");
    }
    many += "k7: 2\n";
    let e = load(&many).unwrap_err();
    assert_eq!(lc(&many, e.span).0, 41);
}

#[test]
fn depth_and_alias_limits() {
    let deep = "[".repeat(500) + &"]".repeat(500);
    assert_eq!(load(&deep).unwrap_err().code, Code::InputLimit);
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        let _ = writeln!(
            bomb,
            "b{i}: &b{i} [{}]",
            vec![format!("*{prev}"); 10].join(", ")
        );
    }
    assert_eq!(load(&bomb).unwrap_err().code, Code::InputLimit);
    let ok = load("a: &x {v: 1}\nb: *x\n").unwrap();
    assert_eq!(ok.pointer("/b/v").unwrap().value, Value::Int(1));
}

#[test]
fn crlf_and_lone_cr_lines_are_counted_as_editors_do() {
    for text in ["a: 1\r\nb: 2\r\n", "a: [x,\r  y]\nb: 2\n"] {
        let n = load(text).unwrap();
        assert_eq!(lc(text, n.get("b").unwrap().span), (2, 4), "{text:?}");
    }
}

#[test]
fn second_document_is_refused() {
    let text = "a: 1\n---\nb: 2\n";
    let e = load(text).unwrap_err();
    assert_eq!(e.code, Code::ParseError);
    assert_eq!(lc(text, e.span).0, 2);
}

#[test]
fn json_is_read_as_yaml() {
    let text = "{\n\t\"a\": [1, 2.5, \"x\"],\n\t\"b\": {\"c\": null}\n}\n";
    let n = load(text).unwrap();
    assert_eq!(n.pointer("/a/1").unwrap().value, Value::Float(2.5));
    assert_eq!(lc(text, n.pointer("/b/c").unwrap().span).0, 3);
}

#[test]
fn empty_input_is_null() {
    assert_eq!(load("").unwrap().value, Value::Null);
    assert_eq!(load("# only a comment\n").unwrap().value, Value::Null);
}
