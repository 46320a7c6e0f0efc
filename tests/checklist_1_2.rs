//! The bundled checklist sds 1.2.0 (issue 13): the any-of post-crash criterion of
//! SDS-HV-002, lint, the CHANGELOG agreeing with `sds diff`, applicability as narrow as
//! the regulations, and the registry ranges. Everything runs through the real binary.

mod common;

use std::collections::BTreeSet;

use common::{json, sds};

const ISOLATION_ONLY: &str = "tests/fixtures/checklist-1.2/hv002-isolation-only.yaml";
const NONE_MET: &str = "tests/fixtures/checklist-1.2/hv002-none-met.yaml";

/// The (code, line) of every finding about `item` in the first report of a JSON output.
fn findings_of(v: &serde_json::Value, item: &str) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = v["reports"][0]["findings"]
        .as_array()
        .expect("findings is a list")
        .iter()
        .filter(|f| f["item"] == item)
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}

/// 1-based line of the first line of `text` that, trimmed, equals `wanted`.
fn line_of(text: &str, wanted: &str) -> u64 {
    let i = text
        .lines()
        .position(|l| l.trim() == wanted)
        .unwrap_or_else(|| panic!("no line {wanted:?}"));
    u64::try_from(i + 1).unwrap_or(u64::MAX)
}

fn check_text(dir: &tempfile::TempDir, name: &str, text: &str) -> serde_json::Value {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    let (v, _) = json(&["check", p.to_str().unwrap()]);
    assert_eq!(v["reports"][0]["checklist"]["version"], "1.2.0", "{v:#}");
    v
}

#[test]
fn hv002_passes_a_vehicle_that_meets_only_the_isolation_alternative() {
    let (v, _) = json(&["check", ISOLATION_ONLY]);
    assert_eq!(v["reports"][0]["checklist"]["version"], "1.2.0");
    assert_eq!(findings_of(&v, "SDS-HV-002"), []);
    // The report is otherwise empty: the other applicable items are missing, so the run
    // fails, which shows the findings above were really computed against 1.2.0.
    let all = v["reports"][0]["findings"].as_array().unwrap();
    assert!(all.iter().any(|f| f["code"] == "SDS020"), "{v:#}");
}

#[test]
fn hv002_fails_a_vehicle_that_meets_no_alternative_with_one_finding_at_measurements() {
    let text = std::fs::read_to_string(NONE_MET).unwrap();
    let (v, code) = json(&["check", NONE_MET]);
    assert_eq!(code, 1);
    let at = line_of(&text, "measurements:");
    assert_eq!(
        findings_of(&v, "SDS-HV-002"),
        [("SDS031".to_owned(), at), ("SDS033".to_owned(), at)],
        "{v:#}"
    );
    let msg = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"] == "SDS-HV-002" && f["code"] == "SDS031")
        .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    // One finding names every alternative: what it breaks or lacks.
    for metric in [
        "hv_bus_voltage",
        "hv_bus_energy",
        "exposed_live_parts",
        "insulation_ac",
    ] {
        assert!(msg.contains(metric), "{metric} not in {msg:?}");
    }
}

#[test]
fn hv002_other_alternatives_and_a_failed_status() {
    let none = std::fs::read_to_string(NONE_MET).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The low-energy alternative alone.
    let energy = none.replace(
        "      insulation_ac: 450\n",
        "      insulation_ac: 450\n      hv_bus_energy: \"0.15 J\"\n",
    );
    assert_ne!(energy, none);
    let v = check_text(&dir, "energy.yaml", &energy);
    assert_eq!(findings_of(&v, "SDS-HV-002"), []);
    // 0.25 J is above the 0.2 J of the low-energy criterion: still no alternative met.
    let v = check_text(
        &dir,
        "energy-high.yaml",
        &energy.replace("0.15 J", "0.25 J"),
    );
    let codes: Vec<String> = findings_of(&v, "SDS-HV-002")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(codes, ["SDS031", "SDS033"]);
    // Physical protection: IPXXB and bonding, both needed.
    let ipxxb = none.replace(
        "      insulation_ac: 450\n",
        "      insulation_ac: 450\n      exposed_live_parts: 0\n      bonding_resistance: \"0.05 ohm\"\n",
    );
    let v = check_text(&dir, "ipxxb.yaml", &ipxxb);
    assert_eq!(findings_of(&v, "SDS-HV-002"), []);
    let half = ipxxb.replace("      bonding_resistance: \"0.05 ohm\"\n", "");
    let v = check_text(&dir, "ipxxb-half.yaml", &half);
    assert!(
        !findings_of(&v, "SDS-HV-002").is_empty(),
        "IPXXB without bonding is not the whole alternative"
    );
    // A failed result meeting nothing: SDS030 and the one SDS031, no SDS033.
    let v = check_text(
        &dir,
        "failed.yaml",
        &none.replace("    status: pass\n", "    status: fail\n"),
    );
    let codes: Vec<String> = findings_of(&v, "SDS-HV-002")
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(codes, ["SDS030", "SDS031"]);
}

#[test]
fn lint_is_clean_on_1_2_0() {
    let out = sds()
        .args(["lint", "checklists/sds/1.2.0"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sds().args(["list"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("sds@1.2.0 (bundled)") && text.contains("190 items, 190 points"),
        "{text}"
    );
}

/// The text of the CHANGELOG section of `version`, up to the next version heading.
fn changelog_section(version: &str) -> String {
    let changelog = std::fs::read_to_string("checklists/sds/CHANGELOG.md").unwrap();
    let start = changelog
        .find(&format!("## [{version}]"))
        .unwrap_or_else(|| panic!("no section for {version}"));
    let section = &changelog[start..];
    section[..section[3..].find("\n## [").map_or(section.len(), |i| i + 3)].to_owned()
}

/// Ids of the bullets that start with an item id (`- SDS-CRASH-004 ...`).
fn bullet_ids(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("- SDS-"))
        .map(|rest| format!("SDS-{}", rest.split_whitespace().next().unwrap_or_default()))
        .collect()
}

fn ids(v: &serde_json::Value, key: &str) -> BTreeSet<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {v:#}"))
        .iter()
        .map(|i| i["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn changelog_of_1_2_0_lists_exactly_what_diff_finds() {
    let section = changelog_section("1.2.0");
    assert!(section.starts_with("## [1.2.0] - 2026-11-30"));
    let (v, code) = json(&["diff", "sds@1.1.0", "sds@1.2.0"]);
    assert_eq!(code, 0);
    let (added, retired, changed) = (ids(&v, "added"), ids(&v, "retired"), ids(&v, "changed"));
    let listed: BTreeSet<String> = added
        .iter()
        .chain(&retired)
        .chain(&changed)
        .cloned()
        .collect();
    assert_eq!(bullet_ids(&section), listed, "diff and CHANGELOG disagree");
    let part = |from: &str, to: Option<&str>| {
        let a = section.find(from).unwrap_or_else(|| panic!("no {from}"));
        let b = to.map_or(section.len(), |t| section.find(t).unwrap());
        bullet_ids(&section[a..b])
    };
    assert_eq!(part("### Added", Some("### Changed")), added);
    assert_eq!(part("### Removed", None), retired);
    // As many retired as added: still 190 items of 1 point.
    assert_eq!(added.len(), retired.len());
    assert!(added.contains("SDS-CRASH-027") && retired.contains("SDS-DMS-010"));
    let crash21 = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "SDS-CRASH-021")
        .expect("SDS-CRASH-021 changed");
    let chest = crash21["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["metric"] == "chest_deflection_5f")
        .expect("a change of chest_deflection_5f");
    assert_eq!(
        (chest["old"].as_f64(), chest["new"].as_f64()),
        (Some(42.0), Some(34.0))
    );
    assert_eq!(chest["direction"], "tightened");
    assert!(
        changed.contains("SDS-HV-002"),
        "the any-of change is listed"
    );
    // No retired id of any earlier version comes back.
    let (old, _) = json(&["diff", "sds@1.0.0", "sds@1.1.0"]);
    for id in ids(&old, "retired") {
        assert!(!added.contains(&id), "{id} reused");
    }
}

#[test]
fn the_unconfirmed_count_is_the_one_the_changelog_states() {
    let section = changelog_section("1.2.0");
    let stated: usize = section
        .split("went from 84 to ")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("the CHANGELOG states the new count");
    let mut count = 0;
    for entry in std::fs::read_dir("checklists/sds/1.2.0").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Items are separated by their `- id:` lines; an item counts once.
        for item in text.split("\n  - id: ").skip(1) {
            let refs = item.split("    references:").nth(1).unwrap_or_default();
            if refs.contains("unconfirmed") {
                count += 1;
            }
        }
    }
    assert_eq!(count, stated);
    assert!(stated < 84);
}

/// Item ids of an `sds init` skeleton for sds 1.2.0 and the given attributes.
fn skeleton_items(attrs: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["init", "--checklist", "sds@1.2.0", "--issued", "2026-11-30"];
    for a in attrs {
        args.push("--attr");
        args.push(a);
    }
    let out = sds().args(&args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- item: "))
        .map(|s| s.trim_matches('"').to_owned())
        .collect()
}

#[test]
fn applicability_is_as_narrow_as_the_regulations() {
    let plain_cn = skeleton_items(&["powertrain=ice", "market=CN", "category=M1", "features=ota"]);
    let l2_cn = skeleton_items(&[
        "powertrain=ice",
        "market=CN",
        "category=M1",
        "features=ota,combined_driver_assistance",
    ]);
    for id in ["SDS-DMS-001", "SDS-DMS-002", "SDS-DMS-003", "SDS-ADS-007"] {
        assert!(!plain_cn.contains(id), "{id} binds a CN car without L2");
        assert!(l2_cn.contains(id), "{id} binds a CN car with L2");
    }
    // GB 48001's hand space covers every exterior handle in CN, hidden or not.
    assert!(plain_cn.contains("SDS-RESCUE-019"));
    // RXSWIN is an R156 (EU) concept; CN has GB 44496.
    assert!(!plain_cn.contains("SDS-CYBER-003") && plain_cn.contains("SDS-CYBER-013"));
    // A BEV is rear-impacted (UN R153), and has no fuel system item.
    let bev = skeleton_items(&["powertrain=bev", "market=EU", "category=M1"]);
    assert!(bev.contains("SDS-CRASH-027") && !bev.contains("SDS-CRASH-017"));
    assert!(bev.contains("SDS-HV-002") && bev.contains("SDS-ENV-015"));
    // The C-NCAP speed window is not applied to Euro NCAP runs.
    assert!(!bev.contains("SDS-CRASH-009"));
}

#[test]
fn every_magnitude_in_the_registry_has_a_range() {
    let header = std::fs::read_to_string("checklists/sds/1.2.0/checklist.yaml").unwrap();
    let metrics = header.split("\nmetrics:\n").nth(1).unwrap_or_default();
    let mut seen = 0;
    // The registry runs to the next top-level key.
    for line in metrics
        .lines()
        .take_while(|l| !l.starts_with(|c: char| c.is_ascii_alphabetic()))
    {
        if !line.contains("unit:") {
            continue;
        }
        seen += 1;
        assert!(
            line.contains("range: {") || line.contains("signed:"),
            "no range and not declared signed: {line}"
        );
        if line.contains("unit: count") {
            assert!(
                line.contains("range: {min: 0"),
                "a count starts at 0: {line}"
            );
        }
    }
    assert!(seen > 150, "{seen} metrics read");
}

/// A skeleton must be a valid report: every applicable item not yet tested (SDS021),
/// nothing else, though two `any_of` alternatives of SDS-HV-005 share a metric.
#[test]
fn init_skeleton_of_1_2_0_is_a_valid_report() {
    let out = sds()
        .args([
            "init",
            "--checklist",
            "sds@1.2.0",
            "--attr",
            "powertrain=bev",
            "--attr",
            "market=EU",
            "--attr",
            "category=M1",
            "--attr",
            "features=combined_driver_assistance,highway_noa",
            "--software",
            "1.0.0",
            "--issued",
            "2026-11-30",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let v = check_text(&dir, "skeleton.yaml", &String::from_utf8_lossy(&out.stdout));
    let findings = v["reports"][0]["findings"].as_array().unwrap();
    assert!(
        !findings.is_empty() && findings.iter().all(|f| f["code"] == "SDS021"),
        "{findings:#?}"
    );
}
