//! The bundled 190-point checklist and the commands around it: lint, diff,
//! explain, init, catalogue.

mod common;

use std::collections::BTreeSet;

use common::{code_items, json, sds};
use sds::checklist::source::load_all;
use sds::checklist::{Catalog, ChecklistSource};
use sds::load::Limits;

fn bundled() -> Catalog {
    Catalog::new(load_all(&[ChecklistSource::Bundled], &Limits::default()).checklists)
}

fn attrs(pairs: &[(&str, &[&str])]) -> sds::checklist::Attributes {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
        .collect()
}

#[test]
fn both_bundled_versions_are_complete_and_lint_clean() {
    let loaded = load_all(&[ChecklistSource::Bundled], &Limits::default());
    assert!(
        !loaded.has_errors(),
        "{:#?}",
        loaded
            .files
            .iter()
            .filter(|f| !f.findings.is_empty())
            .collect::<Vec<_>>()
    );
    let versions: Vec<String> = loaded
        .checklists
        .iter()
        .map(|c| c.version.to_string())
        .collect();
    assert_eq!(versions, ["1.0.0", "1.1.0", "1.2.0"]);
    let erev = attrs(&[
        ("powertrain", &["erev"]),
        ("market", &["CN"]),
        ("category", &["M1"]),
        ("features", &["urban_noa", "electric_door_handles"]),
    ]);
    for c in &loaded.checklists {
        let n = c.items.len();
        assert_eq!(n, 190, "{}", c.label());
        assert_eq!(c.items.iter().map(|i| i.points).sum::<u32>(), 190);
        assert_eq!(c.total_points, 190);
        assert!(
            c.items.iter().all(|i| !i.references.is_empty()),
            "every item names a public reference"
        );
        let bounded = c.items.iter().filter(|i| !i.acceptance.is_empty()).count();
        let conditions = c.items.iter().filter(|i| !i.conditions.is_empty()).count();
        let dependent = c
            .items
            .iter()
            .filter(|i| !i.applies_when.is_empty())
            .count();
        assert!(bounded * 100 >= n * 80, "{bounded} of {n} with a bound");
        assert!(
            conditions * 100 >= n * 60,
            "{conditions} of {n} with conditions"
        );
        assert!(dependent >= 15, "{dependent} vehicle-dependent");
        let applicable = c.items.iter().filter(|i| i.applies_to(&erev, c)).count();
        assert!(applicable >= 120, "{applicable} items apply to the EREV");
        let domains: BTreeSet<&str> = c.domains.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(domains.len(), 10);
    }
}

#[test]
fn diff_lists_every_change_the_changelog_names_and_nothing_else() {
    let changelog = std::fs::read_to_string("checklists/sds/CHANGELOG.md").unwrap();
    let start = changelog.find("## [1.1.0]").unwrap();
    let section = &changelog[start..];
    let section = &section[..section[3..].find("\n## [").map_or(section.len(), |i| i + 3)];
    // Each change is a bullet that starts with the item id (`- SDS-CRASH-004 ...`).
    let ids = |text: &str| -> BTreeSet<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("- SDS-"))
            .map(|rest| format!("SDS-{}", rest.split_whitespace().next().unwrap_or_default()))
            .collect()
    };
    let named = ids(section);
    let (v, code) = json(&["diff", "sds@1.0.0", "sds@1.1.0"]);
    assert_eq!(code, 0);
    let mut listed = BTreeSet::new();
    for key in ["added", "retired", "changed"] {
        for i in v[key].as_array().unwrap() {
            listed.insert(i["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(listed, named, "diff and CHANGELOG disagree");
    let added: BTreeSet<&str> = v["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let added_section =
        &section[section.find("### Added").unwrap()..section.find("### Changed").unwrap()];
    assert_eq!(
        ids(added_section),
        added.iter().map(|s| (*s).to_owned()).collect(),
        "### Added"
    );
    let retired: BTreeSet<String> = v["retired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        ids(&section[section.find("### Removed").unwrap()..]),
        retired,
        "### Removed"
    );
    let crash4 = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "SDS-CRASH-004")
        .unwrap();
    let b = &crash4["changes"][0];
    assert_eq!(
        (b["kind"].as_str(), b["old"].as_f64(), b["new"].as_f64()),
        (Some("bound"), Some(42.0), Some(34.0))
    );
    assert_eq!(b["direction"], "tightened");
    let text = String::from_utf8(
        sds()
            .args(["diff", "sds@1.0.0", "sds@1.1.0"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for line in text.lines().skip(1) {
        assert!(
            line.starts_with("SDS-"),
            "one item per line, beginning with its id: {line}"
        );
    }
}

#[test]
fn diff_with_reports_names_the_reports_that_pass_no_more() {
    let (v, _) = json(&["diff", "sds@1.0.0", "sds@1.1.0", "--reports", "examples"]);
    let reports: Vec<&str> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(reports, ["examples/erev-1.0.0/report.yaml"]);
    let codes: BTreeSet<&str> = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains("SDS031") && codes.contains("SDS020"),
        "{codes:?}"
    );
}

#[test]
fn diff_of_paths_and_of_a_version_with_itself() {
    let (v, _) = json(&["diff", "checklists/sds/1.1.0", "sds@1.1.0"]);
    assert!(
        v["added"].as_array().unwrap().is_empty() && v["changed"].as_array().unwrap().is_empty()
    );
    let (v, _) = json(&[
        "diff",
        "tests/fixtures/checklists/mini/1.0.0.yaml",
        "tests/fixtures/checklists/mini/1.1.0",
    ]);
    assert_eq!(v["added"][0]["id"], "SDS-ADAS-002");
    assert_eq!(v["retired"][0]["id"], "SDS-RESCUE-009");
    assert_eq!(
        sds()
            .args(["diff", "sds@9.9.9", "sds@1.1.0"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn explain_an_item_shows_bounds_units_references_and_versions() {
    let out = sds().args(["explain", "SDS-CRASH-004"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "SDS-CRASH-004",
        "in versions 1.0.0, 1.1.0, 1.2.0",
        "chest_deflection_5f ≤ 34 mm",
        "references:",
        "changed in 1.1.0: chest_deflection_5f max 42 mm -> 34 mm (tightened)",
        "evidence:",
    ] {
        assert!(text.contains(want), "missing {want:?}:\n{text}");
    }
    let out = sds().args(["explain", "SDS-HV-023"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("not in versions: 1.0.0"));
    let out = sds().args(["explain", "SDS-CRAHS-004"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SDS-CRASH-004"));
}

/// An item id found in several checklists: its versions and changes are
/// those of one checklist, never a comparison of one checklist with another.
#[test]
fn explain_keeps_the_versions_of_one_checklist() {
    let out = sds()
        .args([
            "explain",
            "SDS-CRASH-001",
            "--checklist",
            "tests/fixtures/checklists",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("checklist sds, in versions 1.0.0, 1.1.0, 1.2.0 (shown: 1.2.0)"),
        "{text}"
    );
    assert!(
        text.contains("also in: dmini@1.0.0, mini@1.0.0, mini@1.1.0"),
        "{text}"
    );
    assert!(!text.contains("changed in 1.0.0"), "{text}");
}

/// Fills an `sds init` skeleton of checklist `version`: every result passes with values
/// inside its bounds (for an `any_of` item, inside every alternative's bounds).
fn fill(skeleton: &str, catalog: &Catalog, version: &str, breach: Option<&str>) -> String {
    let c = catalog
        .all()
        .iter()
        .find(|c| c.version.to_string() == version)
        .unwrap();
    let mut item = String::new();
    let mut out = String::new();
    for line in skeleton.lines() {
        if let Some(id) = line.strip_prefix("  - item: ") {
            id.trim_matches('"').clone_into(&mut item);
        }
        let line = line.replace("status: not_tested", "status: pass");
        let filled = match line.split_once(": null") {
            Some((head, _)) => {
                let metric = head.trim().trim_matches('"');
                let it = c.item(&item).unwrap();
                let bounds: Vec<_> = it
                    .acceptance
                    .iter()
                    .chain(it.any_of.iter().flatten())
                    .filter(|b| b.metric == metric)
                    .collect();
                let lo = bounds
                    .iter()
                    .filter_map(|b| b.min)
                    .fold(f64::NEG_INFINITY, f64::max);
                let hi = bounds
                    .iter()
                    .filter_map(|b| b.max)
                    .fold(f64::INFINITY, f64::min);
                let mut v = match (lo.is_finite(), hi.is_finite()) {
                    (true, true) => f64::midpoint(lo, hi),
                    // At the bound: past it could leave the metric's possible range.
                    (true, false) => lo,
                    (false, true) => hi,
                    (false, false) => 0.0,
                };
                if c.metrics[metric].unit_text == "count" {
                    v = v.round();
                }
                if breach == Some(item.as_str()) && metric == it.acceptance[0].metric {
                    v = if hi.is_finite() { hi + 1.0 } else { lo - 1.0 };
                }
                format!("{head}: {v}")
            }
            None => line,
        };
        out.push_str(&filled);
        out.push('\n');
    }
    out
}

/// The newest bundled version, whose `any_of` items the skeleton must list too.
const INIT_VERSION: &str = "sds@1.2.0";

#[test]
fn init_skeleton_filled_with_passing_values_checks_clean_and_one_breach_gives_exactly_that_finding()
{
    let out = sds()
        .args([
            "init",
            "--checklist",
            INIT_VERSION,
            "--vehicle",
            "tests/fixtures/vehicles/example-m9-erev.yaml",
            "--issued",
            "2026-01-15",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let skeleton = String::from_utf8(out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    // As written, the skeleton is a valid report whose every applicable item is not yet tested.
    let (v, code) = json(&["check", &write("skeleton.yaml", &skeleton)]);
    assert_eq!(code, 1);
    let findings = v["reports"][0]["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["code"] == "SDS021"),
        "{findings:#?}"
    );
    assert_eq!(
        findings.len() as u64,
        v["reports"][0]["score"]["applicable"].as_u64().unwrap()
    );
    let catalog = bundled();
    let (v, code) = json(&[
        "check",
        &write(
            "filled.yaml",
            &fill(&skeleton, &catalog, &INIT_VERSION[4..], None),
        ),
    ]);
    assert_eq!(
        v["reports"][0]["findings"],
        serde_json::json!([]),
        "filled skeleton"
    );
    assert_eq!(code, 0);
    assert_eq!(v["reports"][0]["score"]["percent"], 100.0);
    let (v, _) = json(&[
        "check",
        &write(
            "breach.yaml",
            &fill(
                &skeleton,
                &catalog,
                &INIT_VERSION[4..],
                Some("SDS-CRASH-004"),
            ),
        ),
    ]);
    let got = code_items(&v);
    assert_eq!(
        got,
        [("SDS031", "SDS-CRASH-004"), ("SDS033", "SDS-CRASH-004")]
    );
}

#[test]
fn init_from_attributes_and_bad_vehicle_files() {
    let out = sds()
        .args([
            "init",
            "--attr",
            "powertrain=ice",
            "--attr",
            "market=EU",
            "--software",
            "1.0",
            "--issued",
            "2026-01-15",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("powertrain: ice") && !text.contains("SDS-HV-001"),
        "no HV item for an ICE vehicle"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("v.yaml");
    std::fs::write(&bad, "model: X\nsoftware: 1.10\n").unwrap();
    let out = sds()
        .args(["init", "--vehicle", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("quote it"));
}

/// A finding raised over several files (a checklist folder, versions
/// compared) reaches the outcome of the file its span names, at that file's
/// line: the file id in the span, not a path or index carried beside it.
#[test]
fn lint_findings_land_in_the_file_they_stand_in() {
    let dir = "tests/fixtures/checklists/mini";
    let read = |p: &str| std::fs::read_to_string(format!("{dir}/{p}")).unwrap();
    let items = read("1.1.0/items.yaml").replacen("domain: CRASH", "domain: NOPE", 1);
    let files = vec![
        ("mini/1.0.0.yaml".to_owned(), read("1.0.0.yaml")),
        (
            "mini/1.1.0/checklist.yaml".to_owned(),
            read("1.1.0/checklist.yaml"),
        ),
        ("mini/1.1.0/items.yaml".to_owned(), items.clone()),
    ];
    let loaded = sds::checklist::source::load_texts(files, &Limits::default());
    let of = |path: &str| {
        let o = loaded.files.iter().find(|o| o.path == path).unwrap();
        o.findings
            .iter()
            .map(|f| (f.code.as_str(), f.at.line))
            .collect::<Vec<_>>()
    };
    let line = |needle: &str| {
        u32::try_from(items[..items.find(needle).unwrap()].matches('\n').count() + 1).unwrap()
    };
    // SDS105 against 1.0.0 at the id (line 2), SDS103 at the domain (line 3).
    assert_eq!(
        of("mini/1.1.0/items.yaml"),
        vec![("SDS105", line("SDS-CRASH-001")), ("SDS103", line("NOPE"))]
    );
    assert_eq!(of("mini/1.1.0/checklist.yaml"), vec![]);
    assert_eq!(of("mini/1.0.0.yaml"), vec![]);
}
