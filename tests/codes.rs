//! Every finding code of the contract is raised by a fixture at the stated
//! line and column, and not raised where the data are right. Each fixture
//! states in its header comments what it expects (`# expect: SDS031 18:14`,
//! or `# expect: nothing` for a clean case).

mod common;

use std::collections::BTreeSet;

use common::{MINI, expectations, fixtures, found, json, sds};

fn check_fixture(path: &std::path::Path) -> Vec<String> {
    let e = expectations(path);
    let p = path.to_str().unwrap();
    let mut args = vec!["check", "--checklist", MINI, p];
    args.extend(e.args.iter().map(String::as_str));
    let (v, code) = json(&args);
    let got = found(&v, p);
    assert_eq!(got, e.findings, "{p}");
    let gate_fails = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["severity"] == "error");
    assert_eq!(code, i32::from(gate_fails), "{p}: exit code");
    e.findings
}

#[test]
fn report_fixtures_raise_exactly_their_findings() {
    let mut seen = BTreeSet::new();
    let files: Vec<_> = fixtures("tests/fixtures/codes", 2)
        .into_iter()
        .chain(fixtures("tests/fixtures/evidence", 1))
        .collect();
    assert!(files.len() > 40);
    for f in &files {
        for e in check_fixture(f) {
            seen.insert(e[..6].to_owned());
        }
    }
    for f in lint_fixture_runs() {
        seen.extend(f);
    }
    seen.insert("SDS005".into()); // raised by `unreadable_paths_are_findings` below
    let all: BTreeSet<String> = sds::codes::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let missing: Vec<_> = all.difference(&seen).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

fn lint_fixture_runs() -> Vec<Vec<String>> {
    let mut seen = Vec::new();
    for f in fixtures("tests/fixtures/lint", 2) {
        let e = expectations(&f);
        let p = f.to_str().unwrap().to_owned();
        // SDS105 and SDS108 compare versions: lint the folder holding both.
        let target = if p.contains("SDS105") || p.contains("SDS108") {
            f.parent().unwrap().to_str().unwrap().to_owned()
        } else {
            p.clone()
        };
        let (v, code) = json(&["lint", &target]);
        assert_eq!(found(&v, &p), e.findings, "{p}");
        if target == p {
            assert_eq!(code, i32::from(!e.findings.is_empty()), "{p}: exit code");
        }
        seen.push(e.findings.iter().map(|s| s[..6].to_owned()).collect());
    }
    seen
}

#[test]
fn lint_fixtures_raise_exactly_their_findings() {
    assert!(lint_fixture_runs().len() >= 10);
}

#[test]
fn human_output_shows_each_finding_at_its_line_with_a_snippet() {
    for f in fixtures("tests/fixtures/codes", 2) {
        let e = expectations(&f);
        let p = f.to_str().unwrap();
        let out = sds()
            .args(["check", "--checklist", MINI, p])
            .args(&e.args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        for exp in &e.findings {
            let (code, at) = exp.split_once(' ').unwrap();
            assert!(
                text.contains(&format!("{code}(")),
                "{p}: {code} not shown:\n{text}"
            );
            if code != "SDS004" || at != "1:1" {
                assert!(
                    text.contains(&format!("╭─[{p}:{at}]")),
                    "{p}: no snippet at {at}:\n{text}"
                );
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn unreadable_paths_are_findings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy("tests/fixtures/reports/pass.yaml", root.join("b-good.yaml")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.yaml"), root.join("a-dangling.yaml")).unwrap();
    std::fs::create_dir(root.join("c-loop")).unwrap();
    std::os::unix::fs::symlink(root.join("c-loop"), root.join("c-loop/self")).unwrap();
    let r = root.to_str().unwrap();
    let (v, code) = json(&[
        "check",
        "--checklist",
        &format!("{}/{MINI}", env!("CARGO_MANIFEST_DIR")),
        r,
    ]);
    assert_eq!(code, 1);
    let reports = v["reports"].as_array().unwrap();
    let codes: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap(),
                r["findings"][0]["code"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(reports.len(), 3, "{codes:?}");
    assert!(
        codes[0].0.ends_with("a-dangling.yaml") && codes[0].1 == "SDS005",
        "{codes:?}"
    );
    assert!(
        codes[1].0.ends_with("b-good.yaml") && codes[1].1 == "-",
        "{codes:?}"
    );
    assert!(
        codes[2].0.contains("c-loop") && codes[2].1 == "SDS005",
        "{codes:?}"
    );
    assert_eq!(reports[1]["score"]["earned"], 5);
}
