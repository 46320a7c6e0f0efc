//! Properties over generated checklists and reports:
//! - a report generated from any valid checklist with every bound met has no finding;
//! - removing any one result gives exactly one SDS020, for that item;
//! - moving one measurement past its bound gives SDS031 (and SDS033) for that item only;
//! - no input string makes loading or checking panic, and every finding's
//!   line and column agree with its byte span.
// Generated bounds are small integers: the casts are exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

use std::fmt::Write;

use proptest::prelude::*;
use sds::checklist::Catalog;
use sds::checklist::source::load_texts;
use sds::engine::{Options, check_str};
use sds::load::Limits;
use sds::outcome::Outcome;

/// Metrics the generator draws from: name, registry unit, whole numbers only,
/// and another unit of the same dimension with the factor from the registry unit to it.
const METRICS: &[(&str, &str, bool, &str, f64)] = &[
    ("hic15", "1", false, "1", 1.0),
    ("chest_deflection", "mm", false, "cm", 0.1),
    ("femur_force", "kN", false, "N", 1000.0),
    ("impact_speed", "km/h", false, "m/s", 1.0 / 3.6),
    ("unlock_time", "ms", false, "s", 0.001),
    ("fire_events", "count", true, "count", 1.0),
    ("insulation_dc", "ohm/V", false, "Ω/V", 1.0),
    ("cell_temperature", "degC", false, "degC", 1.0),
    ("impact_energy", "J", false, "kJ", 0.001),
    ("neck_moment", "Nm", false, "N*m", 1.0),
];
const DOMAINS: &[&str] = &["CRASH", "HV", "ADAS", "RESCUE"];
const KINDS: &[&str] = &["test_report", "video", "data_log", "photo"];
const POWERTRAINS: &[&str] = &["bev", "erev", "phev", "ice"];
const FEATURES: &[&str] = &["urban_noa", "ecall", "ota"];

#[derive(Debug, Clone)]
struct GenBound {
    metric: usize,
    min: Option<i64>,
    max: Option<i64>,
}

#[derive(Debug, Clone)]
struct GenItem {
    domain: usize,
    bounds: Vec<GenBound>,
    evidence: Vec<usize>,
    powertrains: Option<Vec<usize>>,
    features: Vec<usize>,
    validity_days: Option<u32>,
    retest: bool,
    points: u32,
}

#[derive(Debug, Clone)]
struct Case {
    items: Vec<GenItem>,
    powertrain: usize,
    features: Vec<usize>,
    /// For each result value: how to write it (0 bare, 1 string, 2 map, 3 other unit).
    style: u8,
}

fn bound() -> impl Strategy<Value = GenBound> {
    (0..METRICS.len(), -50i64..500, 1i64..400, 0u8..3).prop_map(|(metric, lo, width, which)| {
        // A count is never negative (SDS036), so a count's bounds, the value
        // inside them (hi - 7) and the one just past them (lo - 3) stay at or above 0.
        let lo = if METRICS[metric].2 { lo.max(10) } else { lo };
        GenBound {
            metric,
            min: (which != 1).then_some(lo),
            max: (which != 0).then_some(lo + width),
        }
    })
}

fn item() -> impl Strategy<Value = GenItem> {
    (
        0..DOMAINS.len(),
        prop::collection::vec(bound(), 0..4),
        prop::collection::btree_set(0..KINDS.len(), 0..3),
        prop::option::of(prop::collection::btree_set(0..POWERTRAINS.len(), 1..4)),
        prop::collection::btree_set(0..FEATURES.len(), 0..2),
        prop::option::of(30u32..1000),
        any::<bool>(),
        1u32..3,
    )
        .prop_map(
            |(
                domain,
                mut bounds,
                evidence,
                powertrains,
                features,
                validity_days,
                retest,
                points,
            )| {
                bounds.sort_by_key(|b| b.metric);
                bounds.dedup_by_key(|b| b.metric);
                GenItem {
                    domain,
                    bounds,
                    evidence: evidence.into_iter().collect(),
                    powertrains: powertrains.map(|p| p.into_iter().collect()),
                    features: features.into_iter().collect(),
                    validity_days,
                    retest,
                    points,
                }
            },
        )
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(item(), 1..12),
        0..POWERTRAINS.len(),
        prop::collection::btree_set(0..FEATURES.len(), 0..4),
        0u8..4,
    )
        .prop_map(|(items, powertrain, features, style)| Case {
            items,
            powertrain,
            features: features.into_iter().collect(),
            style,
        })
}

fn id(i: usize, it: &GenItem) -> String {
    format!("SDS-{}-{:03}", DOMAINS[it.domain], i + 1)
}

fn checklist_text(c: &Case) -> String {
    let mut s = String::from("sds_checklist: 1\nid: gen\nversion: \"1.0.0\"\ntitle: Generated\n");
    let total: u32 = c.items.iter().map(|i| i.points).sum();
    let _ = writeln!(
        s,
        "total_points: {total}\nevidence_kinds: [{}]\ndomains:",
        KINDS.join(", ")
    );
    for d in DOMAINS {
        let _ = writeln!(s, "  - {{id: {d}, title: {d}}}");
    }
    let _ = writeln!(
        s,
        "vehicle_attributes:\n  powertrain: {{values: [{}]}}\n  features: {{list: true, values: [{}]}}",
        POWERTRAINS.join(", "),
        FEATURES.join(", ")
    );
    s.push_str("metrics:\n");
    for (name, unit, ..) in METRICS {
        let _ = writeln!(s, "  {name}: {{unit: \"{unit}\", description: generated}}");
    }
    s.push_str("items:\n");
    for (i, it) in c.items.iter().enumerate() {
        let _ = writeln!(
            s,
            "  - id: {}\n    domain: {}\n    title: Item {i}",
            id(i, it),
            DOMAINS[it.domain]
        );
        let _ = writeln!(
            s,
            "    scenario: {{description: Generated scenario {i}}}\n    severity: major\n    points: {}",
            it.points
        );
        let mut when = Vec::new();
        if let Some(p) = &it.powertrains {
            when.push(format!(
                "powertrain: [{}]",
                p.iter()
                    .map(|&x| POWERTRAINS[x])
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !it.features.is_empty() {
            when.push(format!(
                "features: [{}]",
                it.features
                    .iter()
                    .map(|&x| FEATURES[x])
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !when.is_empty() {
            let _ = writeln!(s, "    applies_when: {{{}}}", when.join(", "));
        }
        if !it.bounds.is_empty() {
            s.push_str("    acceptance:\n");
            for b in &it.bounds {
                let mut parts = vec![format!("metric: {}", METRICS[b.metric].0)];
                parts.extend(b.min.map(|v| format!("min: {v}")));
                parts.extend(b.max.map(|v| format!("max: {v}")));
                let _ = writeln!(s, "      - {{{}}}", parts.join(", "));
            }
        }
        let _ = writeln!(
            s,
            "    evidence: [{}]",
            it.evidence
                .iter()
                .map(|&k| KINDS[k])
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(d) = it.validity_days {
            let _ = writeln!(s, "    validity_days: {d}");
        }
        if it.retest {
            s.push_str("    retest_on: minor\n");
        }
        s.push_str("    references: [generated]\n");
    }
    s
}

/// Independent of the library: the applicability rule of PRODUCT.md §1-2. A
/// vehicle with no features leaves `features` out (an empty list is
/// SDS014), and an attribute left out matches every value.
fn applies(c: &Case, it: &GenItem) -> bool {
    it.powertrains
        .as_ref()
        .is_none_or(|p| p.contains(&c.powertrain))
        && (c.features.is_empty() || it.features.iter().all(|f| c.features.contains(f)))
}

/// A value inside the bound (strictly, so no rounding question arises).
fn inside(b: &GenBound) -> f64 {
    match (b.min, b.max) {
        (Some(lo), Some(hi)) => (lo + hi) as f64 / 2.0,
        (Some(lo), None) => lo as f64 + 7.0,
        (None, Some(hi)) => hi as f64 - 7.0,
        (None, None) => 0.0,
    }
}

/// A value past the bound.
fn outside(b: &GenBound) -> f64 {
    match (b.min, b.max) {
        (_, Some(hi)) => hi as f64 + 3.0,
        (Some(lo), None) => lo as f64 - 3.0,
        (None, None) => 0.0,
    }
}

fn value_text(c: &Case, metric: usize, v: f64) -> String {
    let (_, unit, whole, other, factor) = METRICS[metric];
    let v = if whole { v.floor() } else { v };
    match c.style {
        0 => format!("{v}"),
        1 => format!("\"{v} {unit}\""),
        2 => format!("{{value: {v}, unit: \"{unit}\"}}"),
        _ => format!("\"{} {other}\"", v * factor),
    }
}

/// The report, with `skip` left out and `breach` (item, bound) moved past its bound.
fn report_text(c: &Case, skip: Option<usize>, breach: Option<(usize, usize)>) -> String {
    let features = if c.features.is_empty() {
        String::new()
    } else {
        format!(
            ", features: [{}]",
            c.features
                .iter()
                .map(|&f| FEATURES[f])
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut s = format!(
        "sds_report: 1\nchecklist: {{id: gen, version: \"1.0.0\"}}\nvehicle:\n  software: \"2.3.4\"\n  attributes: {{powertrain: {}{features}}}\nreport: {{id: RPT-GEN, issued: 2025-09-30}}\n",
        POWERTRAINS[c.powertrain],
    );
    let mut any = false;
    for (i, it) in c.items.iter().enumerate() {
        if !applies(c, it) || skip == Some(i) {
            continue;
        }
        if !any {
            s.push_str("results:\n");
            any = true;
        }
        let _ = writeln!(
            s,
            "  - item: {}\n    status: pass\n    tested_on: 2025-09-20\n    software: \"2.3.4\"",
            id(i, it)
        );
        if !it.bounds.is_empty() {
            s.push_str("    measurements:\n");
            for (n, b) in it.bounds.iter().enumerate() {
                let v = if breach == Some((i, n)) {
                    outside(b)
                } else {
                    inside(b)
                };
                let _ = writeln!(
                    s,
                    "      {}: {}",
                    METRICS[b.metric].0,
                    value_text(c, b.metric, v)
                );
            }
        }
        if !it.evidence.is_empty() {
            s.push_str("    evidence:\n");
            for &k in &it.evidence {
                let _ = writeln!(
                    s,
                    "      - {{kind: {}, path: evidence/{i}-{k}.pdf}}",
                    KINDS[k]
                );
            }
        }
    }
    if !any {
        s.push_str("results: []\n");
    }
    s
}

fn catalog(c: &Case) -> Catalog {
    let loaded = load_texts(
        vec![("gen.yaml".into(), checklist_text(c))],
        &Limits::default(),
    );
    assert!(
        !loaded.has_errors(),
        "generated checklist lints clean: {:#?}",
        loaded.files
    );
    Catalog::new(loaded.checklists)
}

fn codes(o: &Outcome) -> Vec<(String, Option<String>)> {
    o.findings
        .iter()
        .map(|f| (f.code.as_str().to_owned(), f.item.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Locating many offsets in one pass (how a file's findings are located)
    /// agrees with the line index (how the editor and the snippets locate
    /// one), for any text, line ends and offsets, in any order.
    #[test]
    fn one_pass_locations_agree_with_the_line_index(
        text in "[a\\n\\r\\té😀]{0,60}",
        offsets in proptest::collection::vec(0usize..80, 0..20),
    ) {
        let index = sds::source::LineIndex::new(&text);
        let all = sds::source::locate_all(&text, &offsets);
        for (o, at) in offsets.iter().zip(&all) {
            prop_assert_eq!(*at, index.location(&text, *o));
        }
    }

    #[test]
    fn a_report_meeting_every_bound_has_no_finding(c in case()) {
        let cat = catalog(&c);
        let o = check_str("r.yaml", &report_text(&c, None, None), &cat, &Options::default());
        prop_assert!(o.findings.is_empty(), "{:#?}", o.findings);
        let s = o.score.unwrap().overall;
        prop_assert_eq!(s.earned, s.applicable);
        let applicable: u32 = c.items.iter().filter(|i| applies(&c, i)).map(|i| i.points).sum();
        prop_assert_eq!(s.applicable, applicable);
    }

    #[test]
    fn removing_one_result_gives_exactly_one_missing_result(c in case(), pick in any::<prop::sample::Index>()) {
        let applicable: Vec<usize> = (0..c.items.len()).filter(|&i| applies(&c, &c.items[i])).collect();
        prop_assume!(!applicable.is_empty());
        let i = applicable[pick.index(applicable.len())];
        let cat = catalog(&c);
        let o = check_str("r.yaml", &report_text(&c, Some(i), None), &cat, &Options::default());
        prop_assert_eq!(codes(&o), vec![("SDS020".to_owned(), Some(id(i, &c.items[i])))]);
    }

    #[test]
    fn moving_one_measurement_past_its_bound_flags_that_item_only(c in case(), pick in any::<prop::sample::Index>(), which in any::<prop::sample::Index>()) {
        let bounded: Vec<usize> = (0..c.items.len()).filter(|&i| applies(&c, &c.items[i]) && !c.items[i].bounds.is_empty()).collect();
        prop_assume!(!bounded.is_empty());
        let i = bounded[pick.index(bounded.len())];
        let n = which.index(c.items[i].bounds.len());
        let cat = catalog(&c);
        let o = check_str("r.yaml", &report_text(&c, None, Some((i, n))), &cat, &Options::default());
        let item = Some(id(i, &c.items[i]));
        prop_assert_eq!(codes(&o), vec![("SDS031".to_owned(), item.clone()), ("SDS033".to_owned(), item)]);
    }

    #[test]
    fn no_string_makes_checking_panic(text in "\\PC{0,400}") {
        let cat = mini();
        let o = check_str("r.yaml", &text, &cat, &Options::default());
        assert_spans_agree(&text, &o);
    }

    #[test]
    fn no_edit_of_a_real_report_makes_checking_panic(edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, "[\\[\\]{}:,&*!|>'\"#\\- \\n\\r\\t0-9a-zé°]{0,3}"), 1..6)) {
        let mut text = std::fs::read_to_string("tests/fixtures/reports/pass.yaml").unwrap();
        for (at, op, s) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) { i -= 1; }
            match op {
                0 => text.insert_str(i, &s),
                1 => { let end = (i + s.len()).min(text.len()); let mut e = end; while !text.is_char_boundary(e) { e -= 1; } text.replace_range(i..e, ""); }
                _ => { let mut e = (i + s.len()).min(text.len()); while !text.is_char_boundary(e) { e -= 1; } text.replace_range(i..e, &s); }
            }
        }
        let cat = mini();
        let o = check_str("r.yaml", &text, &cat, &Options::default());
        assert_spans_agree(&text, &o);
    }

    #[test]
    fn no_string_makes_loading_a_checklist_panic(text in "\\PC{0,300}") {
        let _ = load_texts(vec![("c.yaml".into(), text)], &Limits::default());
    }
}

fn mini() -> Catalog {
    let dir = "tests/fixtures/checklists/mini";
    let files = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    Catalog::new(load_texts(files, &Limits::default()).checklists)
}

/// Every finding's byte span lies on character boundaries of the text, and
/// the line and column it was located at are those of its start (counted
/// here the naive way, independently of `source::LineIndex`).
fn assert_spans_agree(text: &str, o: &Outcome) {
    for f in &o.findings {
        let s = f.span;
        assert!(
            text.get(s.start..s.end).is_some(),
            "{f:?} does not slice the text"
        );
        let before = &text[..s.start];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        assert_eq!(
            (f.at.line as usize, f.at.col as usize),
            (line, col),
            "{f:?} in {text:?}"
        );
    }
}

#[test]
fn the_generator_makes_what_the_checker_reads() {
    // A fixed case, so a change in the generator that made every property vacuous would show.
    let c = Case {
        items: vec![GenItem {
            domain: 0,
            bounds: vec![GenBound {
                metric: 1,
                min: None,
                max: Some(42),
            }],
            evidence: vec![0],
            powertrains: None,
            features: vec![],
            validity_days: Some(30),
            retest: true,
            points: 2,
        }],
        powertrain: 0,
        features: vec![],
        style: 3,
    };
    let cat = catalog(&c);
    let ok = check_str(
        "r.yaml",
        &report_text(&c, None, None),
        &cat,
        &Options::default(),
    );
    assert_eq!(ok.score.unwrap().overall.earned, 2);
    let bad = check_str(
        "r.yaml",
        &report_text(&c, None, Some((0, 0))),
        &cat,
        &Options::default(),
    );
    assert_eq!(codes(&bad).len(), 2);
    assert!(report_text(&c, None, None).contains("chest_deflection: \"3.5 cm\""));
}
