//! `sds merge` through the real binary: it merges every part of one run
//! exactly once, or refuses (exit 2) saying what is wrong; a missing shard can
//! never turn a failing run into a pass (PRODUCT.md §4).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::{MINI, sds};

const PASS: &str = "tests/fixtures/reports/pass.yaml";
const FAILING: &str = "tests/fixtures/codes/SDS031/above-max.yaml";

/// A folder of three reports, dealt one per shard of three: `a` and `b`
/// pass, `c` (part 3/3) fails.
fn three_reports() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(PASS, dir.path().join("a.yaml")).unwrap();
    std::fs::copy(PASS, dir.path().join("b.yaml")).unwrap();
    std::fs::copy(FAILING, dir.path().join("c.yaml")).unwrap();
    dir
}

/// Runs `sds check --shard I/N --format json` on `inputs` with `extra`
/// options, writing `out`; returns its path.
fn shard(out: &Path, part: &str, inputs: &[&Path], extra: &[&str]) -> PathBuf {
    let o = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            "--format",
            "json",
            "--shard",
            part,
        ])
        .args(extra)
        .arg("--output")
        .arg(out)
        .args(inputs)
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out.to_path_buf()
}

fn merge(files: &[&Path], extra: &[&str]) -> Output {
    sds()
        .args(["merge", "--checklist", MINI])
        .args(extra)
        .args(files)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap()
}

fn refused(out: &Output, says: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(says), "expected {says:?} in: {err}");
}

#[test]
fn a_missing_shard_is_refused_even_when_the_others_pass() {
    let reports = three_reports();
    let out = tempfile::tempdir().unwrap();
    let r = [reports.path()];
    let parts: Vec<PathBuf> = (1..=3)
        .map(|i| {
            shard(
                &out.path().join(format!("{i}.json")),
                &format!("{i}/3"),
                &r,
                &[],
            )
        })
        .collect();
    // The parts that hold only passing reports would pass on their own.
    refused(&merge(&[&parts[0], &parts[1]], &[]), "3/3");
    refused(&merge(&[&parts[1], &parts[2]], &[]), "1/3");
    refused(&merge(&[&parts[2]], &[]), "1/3, 2/3");
    // All three: the failure in part 3 fails the merged run.
    let all = merge(&[&parts[0], &parts[1], &parts[2]], &[]);
    assert_eq!(
        all.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
}

#[test]
fn a_shard_given_twice_is_refused() {
    let reports = three_reports();
    let out = tempfile::tempdir().unwrap();
    let r = [reports.path()];
    let p1 = shard(&out.path().join("1.json"), "1/2", &r, &[]);
    let p2 = shard(&out.path().join("2.json"), "2/2", &r, &[]);
    let copy = out.path().join("1-again.json");
    std::fs::copy(&p1, &copy).unwrap();
    refused(&merge(&[&p1, &copy, &p2], &[]), "twice");
    refused(&merge(&[&p1, &copy], &[]), "twice");
}

#[test]
fn shards_of_different_inputs_checklists_or_options_are_refused() {
    let reports = three_reports();
    let out = tempfile::tempdir().unwrap();
    let r = [reports.path()];
    let p1 = shard(&out.path().join("1.json"), "1/2", &r, &[]);
    // Inputs: part 2 of another set of files (one more report).
    let more = three_reports();
    std::fs::copy(PASS, more.path().join("d.yaml")).unwrap();
    let other = shard(&out.path().join("2-other.json"), "2/2", &[more.path()], &[]);
    refused(&merge(&[&p1, &other], &[]), "different inputs");
    // Part 2 of the same folder, run otherwise: each is refused, and says why.
    for (name, args, why) in [
        // Inputs: a file left out.
        ("excl", ["--exclude", "b.yaml"], "different inputs"),
        // Options: another size limit (it decides what is refused as SDS004).
        ("limit", ["--max-file-size", "1000000"], "different options"),
        ("as-of", ["--as-of", "2025-10-01"], "different options"),
    ] {
        let p2 = shard(&out.path().join(format!("2-{name}.json")), "2/2", &r, &args);
        refused(&merge(&[&p1, &p2], &[]), why);
    }
    // Checklists: part 2 checked against the mini checklist and the bundled one.
    let o = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            "--checklist",
            "checklists/sds",
        ])
        .args(["--format", "json", "--shard", "2/2", "--output"])
        .arg(out.path().join("2-lists.json"))
        .arg(reports.path())
        .output()
        .unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)));
    refused(
        &merge(&[&p1, &out.path().join("2-lists.json")], &[]),
        "different",
    );
    // Parts of different splits.
    let of3 = shard(&out.path().join("2of3.json"), "2/3", &r, &[]);
    refused(&merge(&[&p1, &of3], &[]), "one split");
    // The right part 2 merges.
    let p2 = shard(&out.path().join("2.json"), "2/2", &r, &[]);
    assert_eq!(merge(&[&p1, &p2], &[]).status.code(), Some(1));
}

#[test]
fn a_tampered_shard_is_refused() {
    let reports = three_reports();
    let out = tempfile::tempdir().unwrap();
    let r = [reports.path()];
    // Part 1 of 2 holds a.yaml and c.yaml, with c's errors.
    let p1 = shard(&out.path().join("1.json"), "1/2", &r, &[]);
    let p2 = shard(&out.path().join("2.json"), "2/2", &r, &[]);
    let text = std::fs::read_to_string(&p1).unwrap();
    assert!(text.contains("\"severity\": \"error\""));
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        f(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    };
    let cases = [
        (
            "an unknown severity",
            text.replace("\"severity\": \"error\"", "\"severity\": \"fatal\""),
            "fatal",
        ),
        (
            "an unknown field",
            text.replacen("\"column\": 14", "\"column\": 14, \"col\": 14", 1),
            "col",
        ),
        (
            "a wrong type",
            text.replacen("\"line\": 18", "\"line\": \"18\"", 1),
            "line",
        ),
        (
            "a name that is not its code's",
            text.replacen("\"threshold-violated\"", "\"status-contradiction\"", 1),
            "named",
        ),
        (
            "a shard that is not I/N",
            text.replace("\"shard\": \"1/2\"", "\"shard\": \"01/2\""),
            "shard",
        ),
        (
            "a checklist digest that does not match",
            edit(&|v| v["digests"]["checklists"] = "0".repeat(64).into()),
            "does not match",
        ),
        (
            "a missing digest",
            edit(&|v| {
                v.as_object_mut().unwrap().remove("digests");
            }),
            "digest",
        ),
        (
            "gaps moved to `baselined` without a baseline",
            edit(&|v| {
                let r = v["reports"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|r| !r["findings"].as_array().unwrap().is_empty())
                    .unwrap();
                r["baselined"] = r["findings"].take();
                r["findings"] = serde_json::json!([]);
            }),
            "names no baseline",
        ),
    ];
    let bad = out.path().join("1-bad.json");
    for (what, tampered, says) in cases {
        assert_ne!(tampered, text, "{what}: the tampering took");
        std::fs::write(&bad, &tampered).unwrap();
        let o = merge(&[&bad, &p2], &[]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(says),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn a_merge_input_is_read_with_the_limits_of_a_report() {
    refused(&merge(&[Path::new("/dev/zero")], &[]), "not a regular file");
    let reports = three_reports();
    let out = tempfile::tempdir().unwrap();
    let p1 = shard(&out.path().join("1.json"), "1/1", &[reports.path()], &[]);
    refused(
        &merge(&[&p1], &["--max-file-size", "100"]),
        "100 byte limit",
    );
    refused(&merge(&[Path::new("Cargo.toml")], &[]), "not JSON");
    // A whole run is its own single part.
    assert_eq!(merge(&[&p1], &[]).status.code(), Some(1));
}

#[test]
fn shards_with_a_baseline_merge_to_one_run_counted_over_all_of_them() {
    // A baseline of one failing report; now two files carry that report id.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(FAILING, dir.path().join("a.yaml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let base = out.path().join("base.json");
    let o = sds()
        .args(["baseline", "--checklist", MINI, "--output"])
        .arg(&base)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    std::fs::copy(FAILING, dir.path().join("b.yaml")).unwrap();
    let b = base.to_str().unwrap();
    let single = out.path().join("single.json");
    let one = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            "--format",
            "json",
            "--baseline",
            b,
            "--output",
        ])
        .arg(&single)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(one.status.code(), Some(1), "b.yaml's gaps are new");
    // Each shard sees one file and would absorb its gaps; merged, the
    // baseline counts once over both, as in the single run.
    let d = [dir.path()];
    let p1 = shard(&out.path().join("1.json"), "1/2", &d, &["--baseline", b]);
    let p2 = shard(&out.path().join("2.json"), "2/2", &d, &["--baseline", b]);
    let merged = out.path().join("merged.json");
    let m = merge(
        &[&p1, &p2],
        &["--format", "json", "--output", merged.to_str().unwrap()],
    );
    assert_eq!(
        m.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&m.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&merged).unwrap(),
        std::fs::read_to_string(&single).unwrap()
    );
}

#[test]
fn a_report_without_a_percentage_merges_as_it_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("c.yaml");
    std::fs::write(
        &checklist,
        "sds_checklist: 1\nid: only-bev\nversion: \"1.0.0\"\ntitle: t\ntotal_points: 1\nevidence_kinds: [test_report]\nvehicle_attributes:\n  powertrain: {values: [bev, ice]}\ndomains:\n  - {id: HV, title: HV}\nmetrics: {}\nitems:\n  - {id: SDS-HV-001, domain: HV, title: t, scenario: {description: d}, severity: major, applies_when: {powertrain: [bev]}, references: [r]}\n",
    )
    .unwrap();
    let reports = tempfile::tempdir().unwrap();
    for n in ["a.yaml", "b.yaml"] {
        std::fs::write(
            reports.path().join(n),
            "sds_report: 1\nchecklist: {id: only-bev, version: \"1.0.0\"}\nvehicle:\n  software: \"1\"\n  attributes: {powertrain: ice}\nreport: {id: R, issued: 2025-01-01}\nresults: []\n",
        )
        .unwrap();
    }
    for (min, want) in [(None, 0), (Some("95"), 1)] {
        let run = |extra: &[&str], out: &Path| {
            let mut c = sds();
            c.args(["check", "--format", "json", "--checklist"])
                .arg(&checklist)
                .args(extra)
                .args(min.map(|m| vec!["--min-score", m]).unwrap_or_default())
                .arg("--output")
                .arg(out)
                .arg(reports.path());
            c.output().unwrap().status.code()
        };
        let single = dir.path().join("single.json");
        assert_eq!(run(&[], &single), Some(want));
        let (p1, p2) = (dir.path().join("1.json"), dir.path().join("2.json"));
        run(&["--shard", "1/2"], &p1);
        run(&["--shard", "2/2"], &p2);
        let merged = dir.path().join("merged.json");
        let out = sds()
            .args(["merge", "--format", "json", "--checklist"])
            .arg(&checklist)
            .arg("--output")
            .arg(&merged)
            .args([&p1, &p2])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(want),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&merged).unwrap();
        assert!(text.contains("\"percent\": null"));
        assert_eq!(text, std::fs::read_to_string(&single).unwrap());
    }
}

/// The audit trail of values derived from raw data (`reports[].derived[]`)
/// survives a merge: the merged report holds the same records as the shard.
#[test]
fn derived_values_survive_a_merge() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = "examples/crash-data/checklist.yaml";
    let shard = dir.path().join("1.json");
    let o = sds()
        .args(["check", "--format", "json", "--checklist", checklist])
        .args(["--shard", "1/1", "--output"])
        .arg(&shard)
        .arg("examples/crash-data/report.yaml")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let merged = sds()
        .args(["merge", "--format", "json", "--checklist", checklist])
        .arg(&shard)
        .output()
        .unwrap();
    let derived = |v: &serde_json::Value| v["reports"][0]["derived"].clone();
    let before: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&shard).unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert!(
        derived(&before).as_array().is_some_and(|d| d.len() > 5),
        "{before}"
    );
    assert_eq!(derived(&after), derived(&before));
}
