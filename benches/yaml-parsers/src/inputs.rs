//! Input generators: the realistic report and the pathological cases.

use std::fmt::Write as _;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Index (0-based) of the list entry whose `hic15` is 812 (the 120th entry).
pub const PROBE_ENTRY: usize = 119;
pub const PROBE_HIC: u32 = 812;

/// A realistic ~50 KB report with `n` result entries. Entry `PROBE_ENTRY` always has
/// `hic15: 812`; no other entry has the value 812 anywhere.
pub fn report(n: usize) -> String {
    let mut s = String::with_capacity(64 * 1024);
    s.push_str(
        "sds_report: 1\n\
         checklist: {id: sds, version: \"^1.0\"}\n\
         vehicle:\n  model: Example M9\n  variant: EREV 6-seat\n  software: \"4.2.1\"\n\
         \x20 attributes: {powertrain: erev, market: CN, features: [urban_noa, electric_door_handles]}\n\
         report: {id: RPT-2025-0042, issued: 2025-09-30, lab: Example Proving Ground}\n\
         results:\n",
    );
    let cats = ["CRASH", "ADAS", "HV", "BRAKE", "DOOR", "CHILD", "FIRE", "EMC"];
    let statuses = ["pass", "pass", "pass", "fail", "not_applicable", "pass"];
    let notes = [
        "repeat run after fixture change",
        "witnessed by lab engineer",
        "dummy recalibrated before test",
        "second sample, same software build",
        "see attached video for details",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let cat = cats[i % cats.len()];
        let num = i / cats.len() + 1;
        let _ = writeln!(s, "  - item: SDS-{cat}-{num:03}");
        let _ = writeln!(s, "    status: {}", statuses[rng.below(statuses.len() as u64) as usize]);
        let _ = writeln!(
            s,
            "    tested_on: 2025-{:02}-{:02}",
            1 + rng.below(9),
            1 + rng.below(28)
        );
        let _ = writeln!(s, "    software: \"4.2.{}\"", rng.below(3));
        s.push_str("    measurements:\n");
        let mut hic = 300 + rng.below(600) as u32;
        if hic == PROBE_HIC {
            hic += 1;
        }
        if i == PROBE_ENTRY {
            hic = PROBE_HIC;
        }
        let _ = writeln!(s, "      hic15: {hic}");
        if i % 5 != 4 {
            let _ = writeln!(s, "      chest_deflection: {} mm", 20 + rng.below(30));
        }
        if i % 3 == 0 {
            let _ = writeln!(
                s,
                "      door_unlock_time: {{value: {}, unit: ms}}",
                1000 + rng.below(4000)
            );
        }
        if i % 2 == 1 {
            s.push_str("    evidence:\n");
            let mut hex = String::with_capacity(64);
            for _ in 0..4 {
                let _ = write!(hex, "{:016x}", rng.next());
            }
            let _ = writeln!(
                s,
                "      - {{kind: test_report, path: evidence/{}-{num:03}.pdf, sha256: \"{hex}\"}}",
                cat.to_ascii_lowercase()
            );
        }
        if i % 2 == 0 {
            let _ = writeln!(s, "    notes: {}", notes[rng.below(notes.len() as u64) as usize]);
        }
    }
    s
}

/// (line 1-based, column 0-based in chars, char index) of the probe value `812` and of its key.
pub fn probe_expected(doc: &str) -> ((usize, usize, usize), (usize, usize, usize)) {
    let needle = format!("hic15: {PROBE_HIC}\n");
    let kpos = doc.find(&needle).expect("probe present");
    assert_eq!(doc.matches(&needle).count(), 1);
    let vpos = kpos + "hic15: ".len();
    (pos_of(doc, kpos), pos_of(doc, vpos))
}

pub fn pos_of(doc: &str, byte: usize) -> (usize, usize, usize) {
    let before = &doc[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let col = doc[line_start..byte].chars().count();
    (line, col, before.chars().count())
}

/// Non-ASCII probe for char-vs-byte positions. `812` is on line 2.
pub const UNICODE_PROBE: &str = "name: \u{e9}\u{e9}\u{e9}\nx: {k: \u{fc}, hic15: 812}\n";

pub fn pathological(name: &str) -> Option<String> {
    Some(match name {
        "flow_seq_200k" => flow_seq(200_000),
        "flow_seq_100k" => flow_seq(100_000),
        "flow_seq_50k" => flow_seq(50_000),
        "flow_seq_25k" => flow_seq(25_000),
        "flow_brace_200k" => {
            let mut s = "{".repeat(200_000);
            s.push_str(&"}".repeat(200_000));
            s
        }
        "flow_map_100k" | "flow_map_80k" | "flow_map_50k" | "flow_map_25k" => {
            let n = match name {
                "flow_map_100k" => 100_000,
                "flow_map_80k" => 80_000,
                "flow_map_50k" => 50_000,
                _ => 25_000,
            };
            let mut s = "{a: ".repeat(n);
            s.push('1');
            s.push_str(&"}".repeat(n));
            s.push('\n');
            s
        }
        "block_compact_10k" | "block_compact_100k" => {
            // 10,000 (100,000) nested block sequences written compactly: `- - - - ... - x`
            let n = if name == "block_compact_10k" { 10_000 } else { 100_000 };
            let mut s = "- ".repeat(n);
            s.push_str("x\n");
            s
        }
        "block_indented_10k" => {
            // 10,000 nested block sequences, one per line, each indented one more space:
            // "-\n -\n  -\n ..." (about 50 MB because indentation grows).
            let n = 10_000;
            let mut s = String::with_capacity(n * (n + 3) / 2 + 16);
            for k in 0..n {
                for _ in 0..k {
                    s.push(' ');
                }
                s.push_str("-\n");
            }
            for _ in 0..n {
                s.push(' ');
            }
            s.push_str("x\n");
            s
        }
        "billion_laughs" => {
            let mut s = String::new();
            s.push_str("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
            let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
            for w in names.windows(2) {
                let (prev, cur) = (w[0], w[1]);
                let refs = vec![format!("*{prev}"); 9].join(",");
                let _ = writeln!(s, "{cur}: &{cur} [{refs}]");
            }
            s
        }
        "plain_text_50mb" => {
            let line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n";
            let n = 50 * 1024 * 1024 / line.len() + 1;
            line.repeat(n)
        }
        _ => return None,
    })
}

fn flow_seq(n: usize) -> String {
    let mut s = "[".repeat(n);
    s.push_str(&"]".repeat(n));
    s
}

pub const PATHOLOGICAL: &[&str] = &[
    "flow_seq_200k",
    "flow_brace_200k",
    "flow_map_100k",
    "block_compact_10k",
    "block_compact_100k",
    "block_indented_10k",
    "billion_laughs",
    "plain_text_50mb",
];

pub const SCALING: &[&str] =
    &["flow_seq_25k", "flow_seq_50k", "flow_seq_100k", "flow_map_25k", "flow_map_50k", "flow_map_80k"];

/// Malformed / tricky inputs for the panic survey. (name, bytes)
pub fn malformed() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        ("unterminated double quote", b"a: \"unterminated\n".to_vec()),
        ("unterminated single quote", b"a: 'unterminated\n".to_vec()),
        ("truncated mid-structure", b"results:\n  - item: X\n    measurements: {hic15: 5".to_vec()),
        ("truncated flow seq", b"a: [1, 2".to_vec()),
        ("tab as indentation", b"a:\n\tb: 1\n".to_vec()),
        ("tab before block seq", b"\t- a\n".to_vec()),
        ("bad dedent", b"a:\n  - b\n - c\n".to_vec()),
        ("`a: b: c`", b"a: b: c\n".to_vec()),
        ("extra ]", b"a: [1, 2]]\n".to_vec()),
        ("lone &anchor", b"&anchor\n".to_vec()),
        ("anchor on empty value", b"a: &anchor\nb: *anchor\n".to_vec()),
        ("*undefined_alias", b"a: *undefined_alias\n".to_vec()),
        ("self-referential alias", b"a: &a [*a]\n".to_vec()),
        ("complex key `? [a, b]`", b"? [a, b]\n: value\n".to_vec()),
        ("complex key `? {a: 1}`", b"? {a: 1}\n: value\n".to_vec()),
        ("!!binary garbage", b"data: !!binary '@@@ not base64 @@@'\n".to_vec()),
        ("!!int on non-int", b"a: !!int abc\n".to_vec()),
        ("unknown tag", b"a: !custom 1\n".to_vec()),
        ("NUL byte in value", b"a: b\x00c\n".to_vec()),
        ("NUL byte as key", b"\x00: 1\n".to_vec()),
        ("invalid UTF-8 (\\xff\\xfe)", b"a: \xff\xfe\n".to_vec()),
        ("lone surrogate escape \"\\uD800\"", b"a: \"\\uD800\"\n".to_vec()),
        ("escape > U+10FFFF \"\\U0011FFFF\"", b"a: \"\\U0011FFFF\"\n".to_vec()),
        ("BOM inside document", "a: 1\n\u{feff}b: 2\n".as_bytes().to_vec()),
        ("duplicate %YAML directive", b"%YAML 1.2\n%YAML 1.2\n---\na: 1\n".to_vec()),
        ("truncated literal block", b"a: |".to_vec()),
        ("`---` multiple documents", b"---\na: 1\n---\nb: 2\n".to_vec()),
        ("duplicate keys `a: 1\\na: 2`", b"a: 1\na: 2\n".to_vec()),
        ("duplicate keys in flow map", b"{a: 1, a: 2}\n".to_vec()),
        ("empty input", b"".to_vec()),
    ];
    let mut long_line = b"a: ".to_vec();
    long_line.extend(std::iter::repeat_n(b'x', 1_000_000));
    long_line.push(b'\n');
    v.push(("1 MB single line", long_line));
    let mut long_key = vec![b'k'; 2000];
    long_key.extend_from_slice(b": 1\n");
    v.push(("2000-char implicit key", long_key));
    v
}
