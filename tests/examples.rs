//! The examples behave as their names and headers say (`# expect-verdict`,
//! `# expect-codes` at the top of each report), against the bundled checklist.

mod common;

use std::collections::BTreeSet;

use common::{json, sds};

fn header(path: &str, key: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
        .unwrap_or_else(|| panic!("{path} has no `# {key}:` line"))
        .trim()
        .to_owned()
}

fn codes(v: &serde_json::Value) -> BTreeSet<String> {
    v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_example_gives_its_stated_verdict_and_codes() {
    let mut seen = 0;
    for entry in std::fs::read_dir("examples").unwrap() {
        let dir = entry.unwrap().path();
        let report = dir.join("report.yaml");
        if !report.exists() {
            continue;
        }
        seen += 1;
        let p = report.to_str().unwrap();
        let (v, code) = json(&["check", p]);
        let verdict = header(p, "expect-verdict");
        assert_eq!(v["verdict"], verdict.as_str(), "{p}");
        assert_eq!(code, i32::from(verdict == "fail"), "{p}");
        let want: BTreeSet<String> = match header(p, "expect-codes").as_str() {
            "none" => BTreeSet::new(),
            list => list.split_whitespace().map(str::to_owned).collect(),
        };
        assert_eq!(codes(&v), want, "{p}");
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("pass") {
            assert!(
                v["reports"][0]["findings"].as_array().unwrap().is_empty(),
                "{p}"
            );
            assert_eq!(v["reports"][0]["score"]["percent"], 100.0, "{p}");
        }
    }
    assert!(seen >= 3, "at least three example vehicles");
}

#[test]
fn evidence_of_the_examples_verifies_except_the_planted_mismatch() {
    let (v, code) = json(&["check", "--verify-evidence", "examples/bev-pass"]);
    assert_eq!(code, 0, "{v:#}");
    let (v, _) = json(&["check", "--verify-evidence", "examples/erev-gaps"]);
    let mismatches: Vec<_> = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "SDS042")
        .collect();
    assert_eq!(mismatches.len(), 1, "{mismatches:#?}");
    assert_eq!(mismatches[0]["item"], "SDS-RESCUE-010");
}

#[test]
fn the_readme_command_checks_every_example_and_shows_domain_scores() {
    let out = sds().args(["check", "examples/"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the examples include reports with gaps"
    );
    assert!(
        text.contains("found 5 files: 5 reports checked, 0 skipped"),
        "{text}"
    );
    for domain in [
        "CRASH", "OCC", "VRU", "ADAS", "ADS", "HV", "RESCUE", "DMS", "CYBER", "ENV",
    ] {
        assert!(
            text.contains(&format!("\n  {domain} ")),
            "no {domain} row:\n{text}"
        );
    }
}
