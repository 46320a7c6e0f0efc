//! The candidates, behind one uniform entry point.

use serde::de::{Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer};
use std::collections::HashMap;

use crate::stree;

/// Candidates used for robustness tests (c, d).
pub const CANDIDATES: &[&str] = &[
    "serde_yaml",
    "serde_yaml_ng",
    "serde_saphyr",
    "saphyr_events",
    "saphyr_tree",
    "yaml_rust2",
];

/// Section (c) additionally runs `Parser::load` (recursive) to show its stack use.
pub const CANDIDATES_C: &[&str] = &[
    "serde_yaml",
    "serde_yaml_ng",
    "serde_saphyr",
    "saphyr_events",
    "saphyr_tree",
    "saphyr_load",
    "yaml_rust2",
];

pub fn label(c: &str) -> &'static str {
    match c {
        "serde_yaml" => "serde_yaml 0.9.34 → serde_yaml::Value",
        "serde_yaml_ng" => "serde_yaml_ng 0.10.0 → serde_yaml_ng::Value",
        "serde_saphyr" => "serde-saphyr 2.1.1 → serde_json::Value (default Options)",
        "serde_saphyr_nobudget" => "serde-saphyr 2.1.1 → serde_json::Value, `budget: None`",
        "serde_saphyr_typed" => "serde-saphyr 2.1.1 → typed struct with Spanned<T> fields",
        "saphyr_events" => "saphyr-parser 0.3.4, events only",
        "saphyr_tree" => "saphyr-parser 0.3.4, events + spanned tree (depth 64, alias budget, dup keys)",
        "yaml_rust2" => "yaml-rust2 0.13.1 → YamlLoader::load_from_str",
        _ => "?",
    }
}

pub fn short(c: &str) -> &'static str {
    match c {
        "serde_yaml" => "serde_yaml",
        "serde_yaml_ng" => "serde_yaml_ng",
        "serde_saphyr" => "serde-saphyr",
        "serde_saphyr_typed" => "serde-saphyr (typed+Spanned)",
        "saphyr_events" => "saphyr-parser events",
        "saphyr_tree" => "saphyr-parser tree",
        "saphyr_load" => "saphyr-parser `Parser::load`",
        "yaml_rust2" => "yaml-rust2",
        _ => "?",
    }
}

fn flat(s: String) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 160 {
        let t: String = s.chars().take(157).collect();
        format!("{t}...")
    } else {
        s
    }
}

fn utf8(input: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(input).map_err(|e| format!("(caller's str::from_utf8) {e}"))
}

/// Parse `input` with candidate `c`. Ok(summary) or Err(error message).
pub fn run(c: &str, input: &[u8]) -> Result<String, String> {
    match c {
        "serde_yaml" => serde_yaml::from_slice::<serde_yaml::Value>(input)
            .map(|v| summarize_yaml(&format!("{v:?}")))
            .map_err(|e| flat(e.to_string())),
        "serde_yaml_ng" => serde_yaml_ng::from_slice::<serde_yaml_ng::Value>(input)
            .map(|v| summarize_yaml(&format!("{v:?}")))
            .map_err(|e| flat(e.to_string())),
        "serde_saphyr" => serde_saphyr::from_slice::<serde_json::Value>(input)
            .map(|v| summarize_yaml(&v.to_string()))
            .map_err(|e| flat(e.to_string())),
        "saphyr_events" => {
            let s = utf8(input)?;
            stree::events_only(s).map(|n| format!("{n} events")).map_err(flat)
        }
        "saphyr_tree" => {
            let s = utf8(input)?;
            stree::build(s, &stree::Limits::default())
                .map(|n| summarize_yaml(&format!("{n:?}")))
                .map_err(|e| flat(e.to_string()))
        }
        "saphyr_load" => {
            struct Count(usize);
            impl<'i> saphyr_parser::SpannedEventReceiver<'i> for Count {
                fn on_event(&mut self, _ev: saphyr_parser::Event<'i>, _span: saphyr_parser::Span) {
                    self.0 += 1;
                }
            }
            let s = utf8(input)?;
            let mut n = Count(0);
            saphyr_parser::Parser::new_from_str(s)
                .load(&mut n, true)
                .map(|()| format!("{} events", n.0))
                .map_err(|e| flat(e.to_string()))
        }
        "yaml_rust2" => {
            let s = utf8(input)?;
            yaml_rust2::YamlLoader::load_from_str(s)
                .map(|docs| {
                    format!("{} doc(s): {}", docs.len(), summarize_yaml(&format!("{docs:?}")))
                })
                .map_err(|e| flat(e.to_string()))
        }
        _ => Err(format!("unknown candidate {c}")),
    }
}

fn summarize_yaml(dbg: &str) -> String {
    if dbg.len() > 100 {
        format!("ok ({} bytes of Debug output)", dbg.len())
    } else {
        format!("ok: {}", flat(dbg.to_string()))
    }
}

// ---------------------------------------------------------------------------
// Typed model for serde-saphyr speed test (every leaf Spanned).
pub mod typed {
    use serde::Deserialize;
    use serde_saphyr::Spanned;
    use std::collections::HashMap;

    #[allow(dead_code)]
    #[derive(Deserialize)]
    pub struct Report {
        pub sds_report: Spanned<u32>,
        pub checklist: Spanned<HashMap<String, Spanned<String>>>,
        pub vehicle: Spanned<Vehicle>,
        pub report: Spanned<HashMap<String, Spanned<String>>>,
        pub results: Vec<Spanned<Entry>>,
    }
    #[allow(dead_code)]
    #[derive(Deserialize)]
    pub struct Vehicle {
        pub model: Spanned<String>,
        pub variant: Spanned<String>,
        pub software: Spanned<String>,
        pub attributes: Spanned<serde_json::Value>,
    }
    #[allow(dead_code)]
    #[derive(Deserialize)]
    pub struct Entry {
        pub item: Spanned<String>,
        pub status: Spanned<String>,
        pub tested_on: Spanned<String>,
        pub software: Spanned<String>,
        pub measurements: HashMap<Spanned<String>, Spanned<serde_json::Value>>,
        #[serde(default)]
        pub evidence: Vec<Spanned<Evidence>>,
        #[serde(default)]
        pub notes: Option<Spanned<String>>,
    }
    #[allow(dead_code)]
    #[derive(Deserialize)]
    pub struct Evidence {
        pub kind: Spanned<String>,
        pub path: Spanned<String>,
        pub sha256: Spanned<String>,
    }
}

// ---------------------------------------------------------------------------
// (a) span probes.

/// For serde_yaml / serde_yaml_ng: the only way to get a position is an error raised
/// while deserialising the node. We reject the value 812 with a custom error.
fn reject_812<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let v = u32::deserialize(d)?;
    if v == 812 { Err(D::Error::custom("hic15 = 812 rejected")) } else { Ok(v) }
}
#[derive(Deserialize)]
struct EReport {
    #[allow(dead_code)]
    results: Vec<EEntry>,
}
#[derive(Deserialize)]
struct EEntry {
    #[allow(dead_code)]
    measurements: EMeas,
}
#[derive(Deserialize)]
struct EMeas {
    #[allow(dead_code)]
    #[serde(deserialize_with = "reject_812")]
    hic15: u32,
}
#[derive(Deserialize)]
struct EUni {
    #[allow(dead_code)]
    x: EMeas,
}
/// Key probe: a key type that rejects `hic15`.
struct KeyProbe;
impl<'de> Deserialize<'de> for KeyProbe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "hic15" { Err(D::Error::custom("key hic15 rejected")) } else { Ok(KeyProbe) }
    }
}
impl PartialEq for KeyProbe {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}
impl Eq for KeyProbe {}
impl std::hash::Hash for KeyProbe {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}
pub const KEY_PROBE_DOC: &str = "a: 1\nhic15: 812\n";

#[derive(Deserialize)]
struct SReport {
    results: Vec<SEntry>,
}
#[derive(Deserialize)]
struct SEntry {
    measurements: HashMap<serde_saphyr::Spanned<String>, serde_saphyr::Spanned<serde_json::Value>>,
}
#[derive(Deserialize)]
struct SUni {
    x: HashMap<serde_saphyr::Spanned<String>, serde_saphyr::Spanned<serde_json::Value>>,
}

/// A found position: (line, column, index) exactly as the crate reports them.
pub type Pos = (u64, u64, Option<u64>, Option<u64>); // line, col, char index, byte index

pub struct SpanProbe {
    pub value: Result<Pos, String>,
    pub key: Result<Pos, String>,
    pub uni_value: Result<Pos, String>,
}

pub fn span_probe(c: &str, doc: &str) -> SpanProbe {
    match c {
        "serde_yaml" => {
            let loc = |e: serde_yaml::Error| -> Result<Pos, String> {
                let l = e.location().ok_or_else(|| format!("no location: {e}"))?;
                Ok((l.line() as u64, l.column() as u64, None, Some(l.index() as u64)))
            };
            SpanProbe {
                value: match serde_yaml::from_str::<EReport>(doc) {
                    Ok(_) => Err("no error raised".into()),
                    Err(e) => loc(e),
                },
                key: match serde_yaml::from_str::<HashMap<KeyProbe, IgnoredAny>>(KEY_PROBE_DOC) {
                    Ok(_) => Err("no error raised".into()),
                    Err(e) => loc(e),
                },
                uni_value: match serde_yaml::from_str::<EUni>(crate::inputs::UNICODE_PROBE) {
                    Ok(_) => Err("no error raised".into()),
                    Err(e) => loc(e),
                },
            }
        }
        "serde_yaml_ng" => {
            let loc = |e: serde_yaml_ng::Error| -> Result<Pos, String> {
                let l = e.location().ok_or_else(|| format!("no location: {e}"))?;
                Ok((l.line() as u64, l.column() as u64, None, Some(l.index() as u64)))
            };
            SpanProbe {
                value: match serde_yaml_ng::from_str::<EReport>(doc) {
                    Ok(_) => Err("no error raised".into()),
                    Err(e) => loc(e),
                },
                key: match serde_yaml_ng::from_str::<HashMap<KeyProbe, IgnoredAny>>(KEY_PROBE_DOC) {
                    Ok(_) => Err("no error raised".into()),
                    Err(e) => loc(e),
                },
                uni_value: match serde_yaml_ng::from_str::<EUni>(crate::inputs::UNICODE_PROBE) {
                    Ok(_) => Err("no error raised".into()),
                    Err(e) => loc(e),
                },
            }
        }
        "serde_saphyr_typed" => {
            let conv = |l: &serde_saphyr::Location| -> Pos {
                (l.line(), l.column(), Some(l.span().offset()), l.span().byte_offset())
            };
            let find = |m: &HashMap<serde_saphyr::Spanned<String>, serde_saphyr::Spanned<serde_json::Value>>| {
                m.iter()
                    .find(|(k, _)| k.value == "hic15")
                    .map(|(k, v)| (conv(&k.referenced), conv(&v.referenced)))
                    .ok_or_else(|| "hic15 not found".to_string())
            };
            let r = serde_saphyr::from_str::<SReport>(doc)
                .map_err(|e| flat(e.to_string()))
                .and_then(|r| find(&r.results[crate::inputs::PROBE_ENTRY].measurements));
            let u = serde_saphyr::from_str::<SUni>(crate::inputs::UNICODE_PROBE)
                .map_err(|e| flat(e.to_string()))
                .and_then(|r| find(&r.x));
            SpanProbe {
                value: r.clone().map(|x| x.1),
                key: r.map(|x| x.0),
                uni_value: u.map(|x| x.1),
            }
        }
        "saphyr_tree" => {
            let conv = |s: saphyr_parser::Span| -> Pos {
                (s.start.line() as u64, s.start.col() as u64, Some(s.start.index() as u64), None)
            };
            let r = stree::build(doc, &stree::Limits::default())
                .map_err(|e| e.to_string())
                .and_then(|root| {
                    let (k, v) = root
                        .get("results")
                        .and_then(|(_, v)| v.idx(crate::inputs::PROBE_ENTRY))
                        .and_then(|e| e.get("measurements"))
                        .and_then(|(_, m)| m.get("hic15"))
                        .ok_or("path not found")?;
                    Ok((conv(k.span()), conv(v.span())))
                });
            let u = stree::build(crate::inputs::UNICODE_PROBE, &stree::Limits::default())
                .map_err(|e| e.to_string())
                .and_then(|root| {
                    let (_, v) = root
                        .get("x")
                        .and_then(|(_, m)| m.get("hic15"))
                        .ok_or("path not found")?;
                    Ok(conv(v.span()))
                });
            SpanProbe { value: r.clone().map(|x| x.1), key: r.map(|x| x.0), uni_value: u }
        }
        "yaml_rust2" => {
            // Yaml (the tree) carries no positions; the event API gives a start Marker.
            struct Sink(Vec<(yaml_rust2::Event, yaml_rust2::scanner::Marker)>);
            impl yaml_rust2::parser::MarkedEventReceiver for Sink {
                fn on_event(&mut self, ev: yaml_rust2::Event, m: yaml_rust2::scanner::Marker) {
                    self.0.push((ev, m));
                }
            }
            let run = |src: &str| -> Result<(Pos, Pos), String> {
                let mut sink = Sink(Vec::new());
                let mut p = yaml_rust2::parser::Parser::new_from_str(src);
                p.load(&mut sink, false).map_err(|e| e.to_string())?;
                let i = sink
                    .0
                    .iter()
                    .position(|(e, _)| matches!(e, yaml_rust2::Event::Scalar(v, ..) if v == "812"))
                    .ok_or("812 not found")?;
                let conv = |m: &yaml_rust2::scanner::Marker| -> Pos {
                    (m.line() as u64, m.col() as u64, Some(m.index() as u64), None)
                };
                Ok((conv(&sink.0[i - 1].1), conv(&sink.0[i].1)))
            };
            let r = run(doc);
            SpanProbe {
                value: r.clone().map(|x| x.1),
                key: r.map(|x| x.0),
                uni_value: run(crate::inputs::UNICODE_PROBE).map(|x| x.1),
            }
        }
        _ => SpanProbe {
            value: Err("n/a".into()),
            key: Err("n/a".into()),
            uni_value: Err("n/a".into()),
        },
    }
}

// Type-error probe: `hic15: 812` into a u8 (error raised inside the scalar's own Deserialize).
#[derive(Deserialize)]
struct TM {
    #[allow(dead_code)]
    a: u32,
    #[allow(dead_code)]
    hic15: u8,
}
#[derive(Deserialize)]
struct TD {
    #[allow(dead_code)]
    m: TM,
}
pub const TYPE_PROBE_DOC: &str = "m:\n  a: 1\n  hic15: 812\n";

pub fn type_error_probe(c: &str) -> String {
    match c {
        "serde_yaml" => match serde_yaml::from_str::<TD>(TYPE_PROBE_DOC) {
            Ok(_) => "no error".into(),
            Err(e) => format!("{:?} — `{e}`", e.location().map(|l| (l.line(), l.column(), l.index()))),
        },
        "serde_yaml_ng" => match serde_yaml_ng::from_str::<TD>(TYPE_PROBE_DOC) {
            Ok(_) => "no error".into(),
            Err(e) => format!("{:?} — `{e}`", e.location().map(|l| (l.line(), l.column(), l.index()))),
        },
        "serde_saphyr_typed" => match serde_saphyr::from_str::<TD>(TYPE_PROBE_DOC) {
            Ok(_) => "no error".into(),
            Err(e) => format!(
                "{:?} — `{}`",
                e.location().map(|l| (l.line(), l.column(), l.span().offset())),
                flat(e.to_string())
            ),
        },
        _ => "n/a".into(),
    }
}
