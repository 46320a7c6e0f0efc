//! `--baseline FILE` through the real binary: keys of meaning counted over
//! the whole run, never absorbing what was not checked, and a baseline read
//! as strictly as a report (PRODUCT.md §4).

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{MINI, json, sds};

const PASS: &str = "tests/fixtures/reports/pass.yaml";
const FAILING: &str = "tests/fixtures/codes/SDS031/above-max.yaml";

fn code_of(args: &[&str]) -> i32 {
    sds().args(args).output().unwrap().status.code().unwrap()
}

/// Writes a baseline of `inputs` to `base`.
fn baseline(base: &Path, inputs: &[&Path]) {
    let mut args = vec!["baseline", "--checklist", MINI, "--output"];
    args.push(base.to_str().unwrap());
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let out = sds().args(&args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `(path, code)` of the findings under `list` (`findings` or `baselined`) of every report.
fn listed(v: &serde_json::Value, list: &str) -> Vec<(String, String)> {
    let mut got = Vec::new();
    for r in v["reports"].as_array().unwrap() {
        let name = Path::new(r["path"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for f in r[list].as_array().map(Vec::as_slice).unwrap_or_default() {
            got.push((name.clone(), f["code"].as_str().unwrap().to_owned()));
        }
    }
    got
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn a_baseline_of_one_file_does_not_absorb_a_second_file_with_the_same_report_id() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    std::fs::copy(FAILING, &a).unwrap();
    let base = dir.path().join("base.json");
    baseline(&base, &[&a]);
    // A second file, the same report id and the same gaps: new, so it gates.
    std::fs::copy(FAILING, dir.path().join("b.yaml")).unwrap();
    std::fs::rename(&base, dir.path().join("base.not-an-input")).unwrap();
    let base = dir.path().join("base.not-an-input");
    let (v, code) = json(&[
        "check",
        "--checklist",
        MINI,
        "--baseline",
        base.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "the second file's gaps gate");
    assert_eq!(
        listed(&v, "baselined"),
        pairs(&[("a.yaml", "SDS031"), ("a.yaml", "SDS033")])
    );
    assert_eq!(
        listed(&v, "findings"),
        pairs(&[("b.yaml", "SDS031"), ("b.yaml", "SDS033")])
    );
    assert_eq!(v["summary"]["baselined"], 2);
    assert_eq!(v["summary"]["stale_baseline"], serde_json::json!([]));
}

#[test]
fn a_key_that_occurs_more_often_than_in_the_baseline_gates_the_extra_ones() {
    let dir = tempfile::tempdir().unwrap();
    let base_dir = tempfile::tempdir().unwrap();
    let base = base_dir.path().join("base.json");
    for n in ["a.yaml", "b.yaml"] {
        std::fs::copy(FAILING, dir.path().join(n)).unwrap();
    }
    baseline(&base, &[dir.path()]);
    // Both files were in the baseline: nothing gates.
    let args = |extra: &str| {
        vec![
            "check".to_owned(),
            "--checklist".into(),
            MINI.into(),
            "--baseline".into(),
            base.to_string_lossy().into_owned(),
            extra.to_owned(),
        ]
    };
    let a = args(dir.path().to_str().unwrap());
    let (v, code) = json(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["baselined"], 4);
    // A third copy: its gaps are one more than the baseline holds.
    std::fs::copy(FAILING, dir.path().join("c.yaml")).unwrap();
    let (v, code) = json(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1);
    assert_eq!(
        listed(&v, "findings"),
        pairs(&[("c.yaml", "SDS031"), ("c.yaml", "SDS033")]),
        "the first occurrences in input order are the known ones"
    );
    // One file left: two entries are stale, and listed.
    for n in ["b.yaml", "c.yaml"] {
        std::fs::remove_file(dir.path().join(n)).unwrap();
    }
    let (v, code) = json(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0);
    let stale: Vec<(&str, &str)> = v["summary"]["stale_baseline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["report"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(stale, [("RPT-PASS", "SDS031"), ("RPT-PASS", "SDS033")]);
}

#[test]
fn one_schema_error_in_the_baseline_does_not_absorb_a_different_one() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.yaml");
    let pass = std::fs::read_to_string(PASS).unwrap();
    let with_field = |field: &str, nth: usize| {
        let mut out = String::new();
        for (i, part) in pass.split("    status: pass\n").enumerate() {
            if i > 0 {
                out.push_str("    status: pass\n");
                if i == nth {
                    out.push_str(field);
                }
            }
            out.push_str(part);
        }
        out
    };
    std::fs::write(&report, with_field("    colour: red\n", 1)).unwrap();
    let base = dir.path().join("base.json");
    baseline(&base, &[&report]);
    let b = base.to_str().unwrap();
    let r = report.to_str().unwrap();
    // Another unknown field, in another result: another SDS002.
    std::fs::write(&report, with_field("    flavour: sweet\n", 2)).unwrap();
    let (v, code) = json(&["check", "--checklist", MINI, "--baseline", b, r]);
    assert_eq!(code, 1, "a new schema error gates");
    let f = &v["reports"][0]["findings"][0];
    assert_eq!(f["code"], "SDS002");
    assert_eq!(f["pointer"], "/results/1/flavour");
    assert!(v["reports"][0].get("baselined").is_none());
    // And the very same one is not absorbed either: a baseline never
    // accepts a report that could not be read as a report.
    std::fs::write(&report, with_field("    colour: red\n", 1)).unwrap();
    let (v, code) = json(&["check", "--checklist", MINI, "--baseline", b, r]);
    assert_eq!(code, 1);
    assert_eq!(
        v["reports"][0]["findings"][0]["pointer"],
        "/results/0/colour"
    );
    assert_eq!(v["summary"]["baselined"], 0);
}

#[test]
fn a_baseline_never_absorbs_what_no_waiver_could_nor_an_unchecked_report() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = [
        (
            "a.yaml",
            "tests/fixtures/codes/SDS001/duplicate-key.yaml",
            "SDS001",
        ),
        (
            "b.yaml",
            "tests/fixtures/codes/SDS010/no-such-version.yaml",
            "SDS010",
        ),
        (
            "c.yaml",
            "tests/fixtures/codes/SDS043/parent-escape.yaml",
            "SDS043",
        ),
        ("d.yaml", "tests/fixtures/codes/SDS011/typo.yaml", "SDS011"),
        (
            "e.yaml",
            "tests/fixtures/codes/SDS013/second-result.yaml",
            "SDS013",
        ),
        (
            "f.yaml",
            "tests/fixtures/codes/SDS014/value-not-declared.yaml",
            "SDS014",
        ),
    ];
    for (name, from, _) in fixtures {
        std::fs::copy(from, dir.path().join(name)).unwrap();
    }
    let base_dir = tempfile::tempdir().unwrap();
    let base = base_dir.path().join("base.json");
    baseline(&base, &[dir.path()]);
    let (v, code) = json(&[
        "check",
        "--checklist",
        MINI,
        "--baseline",
        base.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let gating = listed(&v, "findings");
    for (name, _, want) in fixtures {
        assert!(
            gating.contains(&(name.to_owned(), want.to_owned())),
            "{want} of {name} still gates: {gating:?}"
        );
    }
    assert!(
        listed(&v, "baselined").iter().all(|(_, c)| ![
            "SDS001", "SDS010", "SDS043", "SDS011", "SDS013", "SDS014"
        ]
        .contains(&c.as_str())),
        "{:?}",
        listed(&v, "baselined")
    );
}

#[test]
fn a_baseline_is_read_with_the_limits_of_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            "--baseline",
            "/dev/zero",
            PASS,
        ])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(started.elapsed() < Duration::from_secs(30));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a regular file"), "{err}");
    // A real baseline over the size cap is refused as a report would be.
    let base = dir.path().join("base.json");
    baseline(&base, &[Path::new(FAILING)]);
    let out = sds()
        .args(["check", "--checklist", MINI, "--max-file-size", "100"])
        .arg("--baseline")
        .arg(&base)
        .arg(PASS)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("100 byte limit"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_baseline_that_is_not_exactly_an_sds_check_output_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    baseline(&base, &[Path::new(FAILING)]);
    let text = std::fs::read_to_string(&base).unwrap();
    let cases = [
        (
            "an unknown severity",
            text.replacen("\"severity\": \"error\"", "\"severity\": \"critical\"", 1),
        ),
        (
            "an unknown field",
            text.replacen("\"line\": 18,", "\"line\": 18, \"lines\": 2,", 1),
        ),
        (
            "a wrong type",
            text.replacen("\"line\": 18,", "\"line\": \"18\",", 1),
        ),
        (
            "a name that is not its code's",
            text.replacen("\"threshold-violated\"", "\"failed\"", 1),
        ),
        (
            "an unknown code",
            text.replacen("\"SDS031\"", "\"SDS999\"", 1),
        ),
        ("not sds at all", "{\"sds_findings\": 1}".to_owned()),
        ("not JSON", "sds_findings: 1\n".to_owned()),
    ];
    let bad = dir.path().join("bad.json");
    for (what, text) in cases {
        std::fs::write(&bad, &text).unwrap();
        let out = sds()
            .args(["check", "--checklist", MINI, "--baseline"])
            .arg(&bad)
            .arg(FAILING)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--baseline"),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A lint output is not a baseline.
    let lint = dir.path().join("lint.json");
    assert_eq!(
        code_of(&[
            "lint",
            MINI,
            "--format",
            "json",
            "--output",
            lint.to_str().unwrap()
        ]),
        0
    );
    assert_eq!(
        code_of(&[
            "check",
            "--checklist",
            MINI,
            "--baseline",
            lint.to_str().unwrap(),
            FAILING
        ]),
        2
    );
    // The untouched file is accepted, and absorbs what it holds.
    assert_eq!(
        code_of(&[
            "check",
            "--checklist",
            MINI,
            "--baseline",
            base.to_str().unwrap(),
            FAILING
        ]),
        0
    );
}
