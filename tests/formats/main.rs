//! The SARIF, JUnit, Markdown and HTML outputs: valid against the shared
//! schemas, complete (every finding appears), reproducible, and escaped.

#[path = "../common/mod.rs"]
mod common;
mod html_and_streamed;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{MINI, sarif_validator, shared_schema};
use sds::engine::{Options, Run, check};
use sds::outcome::ItemState;
use sds::render::{html, junit, markdown, sarif};

fn run(paths: &[&str], checklists: &[&str]) -> Run {
    check(Options {
        paths: paths.iter().map(PathBuf::from).collect(),
        checklists: checklists.iter().map(PathBuf::from).collect(),
        ..Options::default()
    })
    .unwrap_or_else(|e| panic!("check {paths:?}: {e}"))
}

/// The examples checked against the bundled checklist (`crash-data/` brings
/// its own, see examples/README.md), in the order a walk of `examples/` gives.
fn examples() -> Run {
    run(
        &[
            "examples/bev-pass",
            "examples/bev-pass-1.2.0",
            "examples/erev-1.0.0",
            "examples/erev-gaps",
            "examples/phev-stale",
        ],
        &[],
    )
}

/// Writes `text` under the test's temporary folder and returns the path.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("formats");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn findings(run: &Run) -> usize {
    run.outcomes.iter().map(|o| o.findings.len()).sum()
}

// ---------------------------------------------------------------- SARIF

fn assert_valid_sarif(validator: &jsonschema::Validator, out: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(out)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_of_the_examples_is_valid_sarif_2_1_0() {
    let validator = sarif_validator();
    let out: serde_json::Value = serde_json::from_str(&sarif::render(&examples())).unwrap();
    assert_valid_sarif(&validator, &out);
    assert_eq!(out["version"], "2.1.0");
    // The validator does bite: a level SARIF does not know is rejected.
    let mut broken = out.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_and_junit_of_a_lint_run_are_valid() {
    let r = sds::engine::lint(Options {
        paths: vec!["tests/fixtures/lint".into()],
        ..Options::default()
    });
    assert!(findings(&r) > 0);
    let out: serde_json::Value = serde_json::from_str(&sarif::render(&r)).unwrap();
    assert_valid_sarif(&sarif_validator(), &out);
    assert_eq!(
        out["runs"][0]["results"].as_array().unwrap().len(),
        findings(&r)
    );
    xmllint(&temp_file("lint.junit.xml", &junit::render(&r)));
    let md = markdown::render(&r);
    assert!(md.starts_with("## sds lint: FAIL"), "{md}");
    let h = html::render(&r);
    assert!(h.contains("SDS101"));
}

#[test]
fn sarif_has_one_rule_per_registry_code() {
    let out: serde_json::Value = serde_json::from_str(&sarif::render(&examples())).unwrap();
    let rules = out["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), sds::codes::ALL.len());
    for (rule, code) in rules.iter().zip(sds::codes::ALL) {
        let info = code.info();
        assert_eq!(rule["id"], info.code);
        assert_eq!(rule["name"], info.name);
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert_eq!(rule["fullDescription"]["text"], info.explanation);
        assert_eq!(rule["help"]["text"], info.explanation);
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            info.severity.as_str()
        );
    }
}

#[test]
fn sarif_has_one_result_per_finding_at_its_line_and_column() {
    let r = examples();
    let out: serde_json::Value = serde_json::from_str(&sarif::render(&r)).unwrap();
    let run = &out["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let results = run["results"].as_array().unwrap();
    assert!(findings(&r) > 0);
    assert_eq!(results.len(), findings(&r));
    let mut i = 0;
    let mut waived = 0;
    for o in &r.outcomes {
        for f in &o.findings {
            let res = &results[i];
            i += 1;
            assert_eq!(res["ruleId"], f.code.as_str());
            assert_eq!(res["level"], f.severity.as_str());
            assert_eq!(res["message"]["text"], f.message.as_str());
            let loc = &res["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uri"], o.path.replace('\\', "/"));
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert_eq!(loc["region"]["startLine"], f.at.line);
            assert_eq!(loc["region"]["startColumn"], f.at.col);
            assert_eq!(res["properties"]["item"], serde_json::json!(f.item));
            if let Some(w) = f.waives {
                waived += 1;
                assert_eq!(res["properties"]["waives"], w.as_str());
            }
        }
    }
    assert!(waived > 0, "the examples include a waived finding (SDS060)");
}

#[test]
fn sarif_artifacts_and_audit_trail() {
    let r = examples();
    let text = sarif::render(&r);
    let out: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &out["runs"][0];
    let artifacts = run["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), r.outcomes.len());
    for (a, o) in artifacts.iter().zip(&r.outcomes) {
        assert_eq!(a["location"]["uri"], o.path.as_str());
        let sha = a["hashes"]["sha-256"].as_str().unwrap();
        assert_eq!(Some(sha), o.sha256.as_deref());
        assert_eq!(sha.len(), 64);
    }
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let audit = &run["invocations"][0]["properties"];
    assert_eq!(audit["toolVersion"], env!("CARGO_PKG_VERSION"));
    assert_eq!(audit["options"]["fail_on"], "error");
    let checklists = audit["checklists"].as_array().unwrap();
    assert!(!checklists.is_empty());
    for c in checklists {
        assert_eq!(c["sha256"].as_str().unwrap().len(), 64);
        assert!(!c["files"].as_array().unwrap().is_empty());
    }
    for rep in audit["reports"].as_array().unwrap() {
        assert!(rep["as_of"].is_string(), "{rep}");
    }
    // Reproducible: no wall-clock time, the same bytes every time.
    assert_eq!(text, sarif::render(&examples()));
    assert!(!text.contains("startTimeUtc") && !text.contains("endTimeUtc"));
}

#[test]
fn sarif_of_an_unparsable_report_still_names_it() {
    let r = run(&["tests/fixtures/codes/SDS001/duplicate-key.yaml"], &[MINI]);
    let out: serde_json::Value = serde_json::from_str(&sarif::render(&r)).unwrap();
    let results = out["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[0]["ruleId"], "SDS001");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/codes/SDS001/duplicate-key.yaml"
    );
}

// ---------------------------------------------------------------- JUnit

fn xmllint(file: &Path) {
    let xsd = shared_schema("junit.xsd");
    let out = Command::new("xmllint")
        .arg("--schema")
        .arg(&xsd)
        .arg("--noout")
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run xmllint ({e}); install it: apt-get install -y libxml2-utils")
        });
    assert!(
        out.status.success(),
        "{} is not valid against {}:\n{}",
        file.display(),
        xsd.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The attributes of every `<testsuite>` and the `<testcase>` children it holds, by a plain scan.
fn suites(xml: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for part in xml.split("<testsuite ").skip(1) {
        let (head, rest) = part.split_once('>').unwrap();
        let body = rest.split("</testsuite>").next().unwrap();
        let cases = body
            .split("<testcase ")
            .skip(1)
            .map(|c| c.split("</testcase>").next().unwrap().to_owned())
            .collect();
        out.push((head.to_owned(), cases));
    }
    out
}

fn attribute(head: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let start = format!(" {head}").find(&key).unwrap() + key.len() - 1;
    head[start..].split('"').next().unwrap().to_owned()
}

#[test]
fn junit_of_the_examples_is_valid_and_counts_items() {
    let r = examples();
    let xml = junit::render(&r);
    xmllint(&temp_file("examples.junit.xml", &xml));
    let suites = suites(&xml);
    assert_eq!(suites.len(), r.outcomes.len());
    for ((head, cases), o) in suites.iter().zip(&r.outcomes) {
        assert_eq!(attribute(head, "name"), o.path);
        let score = o.score.as_ref().unwrap();
        let applicable = score
            .items
            .iter()
            .filter(|s| **s != ItemState::NotApplicable)
            .count();
        let not_earned = score
            .items
            .iter()
            .filter(|s| matches!(s, ItemState::Failed | ItemState::Missing))
            .count();
        let waived = score
            .items
            .iter()
            .filter(|s| **s == ItemState::Waived)
            .count();
        // One more testcase when findings outside the applicable items include an error.
        let extra = cases
            .iter()
            .filter(|c| c.contains("classname=\"report\""))
            .count();
        assert_eq!(cases.len(), applicable + extra, "{}", o.path);
        assert_eq!(attribute(head, "tests"), (applicable + extra).to_string());
        assert_eq!(
            attribute(head, "failures"),
            (not_earned + extra).to_string()
        );
        assert_eq!(attribute(head, "skipped"), waived.to_string());
        assert_eq!(attribute(head, "errors"), "0");
        let as_of = o.as_of.unwrap();
        assert_eq!(attribute(head, "timestamp"), format!("{as_of}T00:00:00"));
        assert_eq!(
            cases.iter().filter(|c| c.contains("<failure ")).count(),
            not_earned + extra
        );
        // Every finding is in the suite's system-out.
        for f in &o.findings {
            assert!(
                xml.contains(&format!(
                    "{}:{}:{}: {} {}",
                    o.path, f.at.line, f.at.col, f.severity, f.code
                )),
                "{} {f:?}",
                o.path
            );
        }
    }
    assert!(xml.contains("<skipped message=\"waived: SDS020\""));
    assert!(xml.contains("type=\"SDS031\""));
}

#[test]
fn junit_of_fixtures_is_valid() {
    for (name, path) in [
        (
            "duplicate-key",
            "tests/fixtures/codes/SDS001/duplicate-key.yaml",
        ),
        (
            "float-version",
            "tests/fixtures/codes/SDS002/float-version.yaml",
        ),
        (
            "waiver-without-reason",
            "tests/fixtures/codes/SDS002/waiver-without-reason.yaml",
        ),
        ("unknown-item", "tests/fixtures/codes/SDS011"),
        ("waived", "tests/fixtures/codes/SDS060/waived.yaml"),
        ("expired", "tests/fixtures/codes/SDS061"),
        ("pass", "tests/fixtures/reports/pass.yaml"),
        ("all-codes", "tests/fixtures/codes"),
    ] {
        let r = run(&[path], &[MINI]);
        let xml = junit::render(&r);
        xmllint(&temp_file(&format!("{name}.junit.xml"), &xml));
        let total: usize = r.outcomes.iter().map(|o| o.findings.len()).sum();
        let listed = xml.matches(": error SDS").count()
            + xml.matches(": warning SDS").count()
            + xml.matches(": note SDS").count();
        assert_eq!(
            listed, total,
            "{name}: every finding is listed in system-out"
        );
    }
}

#[test]
fn junit_of_an_unparsable_report_is_one_errored_testcase() {
    let r = run(&["tests/fixtures/codes/SDS001/duplicate-key.yaml"], &[MINI]);
    let xml = junit::render(&r);
    let suites = suites(&xml);
    assert_eq!(suites.len(), 1);
    let (head, cases) = &suites[0];
    assert_eq!(attribute(head, "tests"), "1");
    assert_eq!(attribute(head, "errors"), "1");
    assert_eq!(attribute(head, "failures"), "0");
    assert_eq!(cases.len(), 1);
    assert!(cases[0].contains("<error message=") && cases[0].contains("type=\"SDS001\""));
}

#[test]
fn junit_keeps_findings_outside_items() {
    // SDS002 at a waiver: the report is not scored, and the finding is the testcase's error.
    let r = run(
        &["tests/fixtures/codes/SDS002/waiver-without-reason.yaml"],
        &[MINI],
    );
    let xml = junit::render(&r);
    assert!(xml.contains("type=\"SDS002\""), "{xml}");
}

#[test]
fn junit_escapes_report_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.yaml");
    std::fs::write(&p, EVIL).unwrap();
    let r = run(&[p.to_str().unwrap()], &[MINI]);
    let xml = junit::render(&r);
    let f = temp_file("evil.junit.xml", &xml);
    xmllint(&f);
    assert!(!xml.contains("<script>"));
    assert!(!xml.contains('\u{1}'));
}

// ---------------------------------------------------------------- Markdown

/// A report with HTML, a `|`, a control character and a line break in places that reach the output.
const EVIL: &str = "sds_report: 1
checklist: {id: mini, version: \"1.0.0\"}
vehicle: {model: \"<b>M</b>\", software: \"1.0.0\", attributes: {powertrain: bev}}
report: {id: \"RPT-<script>alert(1)</script>|x\", issued: 2025-01-10}
results:
  - item: \"<script>alert('id')</script>|\\x01\\nnext\"
    status: pass
    notes: \"<script>alert('notes')</script> & </td>\"
  - item: SDS-CRASH-001
    status: fail
    notes: \"<img src=x onerror=alert(1)>\"
";

#[test]
fn markdown_has_tables_and_a_link_per_finding() {
    let r = examples();
    let md = markdown::render(&r);
    assert!(md.contains("| report |"), "{md}");
    assert!(md.contains("|---"));
    for o in &r.outcomes {
        for f in &o.findings {
            let link = format!("[{0}:{1}]({0}#L{1})", o.path, f.at.line);
            assert!(md.contains(&link), "missing {link}");
        }
    }
}

/// The first result of a bundled-checklist example alone: about 180 SDS020 findings.
fn sparse_report(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string("examples/bev-pass/report.yaml").unwrap();
    let second = text.match_indices("\n  - item:").nth(1).unwrap().0;
    let p = dir.join("sparse.yaml");
    std::fs::write(&p, &text[..=second]).unwrap();
    p
}

#[test]
fn markdown_collapses_long_finding_lists() {
    let dir = tempfile::tempdir().unwrap();
    let p = sparse_report(dir.path());
    let r = run(&[p.to_str().unwrap(), "examples/bev-pass"], &[]);
    assert!(r.outcomes[0].findings.len() > markdown::COLLAPSE_OVER);
    let md = markdown::render(&r);
    assert_eq!(md.matches("<details>").count(), 1, "{md}");
    assert_eq!(md.matches("</details>").count(), 1);
    assert!(md.contains("SDS020 missing-result"));
}

#[test]
fn markdown_escapes_cells() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.yaml");
    std::fs::write(&p, EVIL).unwrap();
    let r = run(&[p.to_str().unwrap()], &[MINI]);
    let md = markdown::render(&r);
    assert!(!md.contains("<script>"), "{md}");
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt;\\|x"),
        "{md}"
    );
    // Every row of a table has as many unescaped `|` as its header: no cell breaks out.
    let pipes = |l: &str| {
        let b = l.as_bytes();
        (0..b.len())
            .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
            .count()
    };
    let mut header = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        let n = pipes(line);
        match header {
            None => header = Some(n),
            Some(h) => assert_eq!(n, h, "{line}"),
        }
    }
    assert!(md.contains("SDS011 unknown-item"));
}

#[test]
fn markdown_snapshot_of_a_fixture_run() {
    let r = run(
        &[
            "tests/fixtures/codes/SDS060/waived.yaml",
            "tests/fixtures/codes/SDS001/duplicate-key.yaml",
            "tests/fixtures/codes/SDS031",
        ],
        &[MINI],
    );
    insta::assert_snapshot!("markdown_fixtures", markdown::render(&r));
}

// ---------------------------------------------------------------- HTML

#[test]
fn html_is_self_contained() {
    let h = html::render(&examples());
    temp_file("examples.html", &h);
    for banned in [
        "http://", "https://", "src=", "@import", "url(", "<link", "<script",
    ] {
        assert!(
            !h.contains(banned),
            "the page must not load anything: found {banned:?}"
        );
    }
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.contains("<style>"));
}

#[test]
fn html_has_a_cell_per_checklist_point() {
    let r = examples();
    let h = html::render(&r);
    let body = &h[h.find("<main>").unwrap()..];
    // Each report's part: from its own `id="rN"` to the next report.
    let part = |i: usize| {
        let start = body
            .find(&format!(" id=\"r{i}\""))
            .unwrap_or_else(|| panic!("report {i} has no part"));
        let rest = &body[start + 1..];
        let end = rest
            .find("\n<section class=\"report ")
            .into_iter()
            .chain(rest.find("\n<details class=\"report "))
            .min()
            .unwrap_or(rest.len());
        &rest[..end]
    };
    let mut states = BTreeSet::new();
    for (i, o) in r.outcomes.iter().enumerate() {
        let s = part(i);
        let checklist = r.checklist_of(o).unwrap();
        let cells = s.matches("<i class=").count() + s.matches("<a class=").count();
        assert_eq!(cells, checklist.items.len(), "{}", o.path);
        assert_eq!(cells, 190, "{}", o.path);
        for state in &o.score.as_ref().unwrap().items {
            let letter = state.letter();
            assert!(
                s.contains(&format!("<i class=\"{letter} x"))
                    || s.contains(&format!("<a class=\"{letter} x")),
                "{} lacks a {letter} cell",
                o.path
            );
            states.insert(state.as_str());
        }
    }
    // Every item's id and title are in the tooltips, once per checklist version.
    let style = &h[..h.find("</style>").unwrap()];
    for c in &r.checklists {
        let checklist = r
            .catalog
            .as_ref()
            .unwrap()
            .get(&c.id, &semver::Version::parse(&c.version).unwrap());
        if let Some(checklist) = checklist.filter(|k| {
            r.outcomes
                .iter()
                .any(|o| r.checklist_of(o).is_some_and(|x| x.version == k.version))
        }) {
            for item in &checklist.items {
                assert!(
                    style.contains(&format!("\"{} ", item.id)),
                    "{} has no tooltip",
                    item.id
                );
            }
        }
    }
    assert!(
        states.len() >= 4,
        "the examples show most states: {states:?}"
    );
    for state in ["earned", "failed", "missing", "waived", "not_applicable"] {
        assert!(
            h.contains(&format!("legend-{state}")),
            "legend lacks {state}"
        );
    }
}

// ---------------------------------------------------------------- streamed
