//! Tests of `ci_formats`, continued (the file is split to stay under 600 lines).

use super::*;

#[test]
fn quiet_prints_only_gating_findings_and_the_verdict() {
    let out = sds()
        .args(["check", "examples/", "--quiet", "--format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !text.contains(" SDS050 "),
        "a warning does not gate: {text}"
    );
    assert!(!text.contains(" SDS060 "), "a note does not gate: {text}");
    assert!(text.contains(" SDS031 "), "{text}");
    let human = sds().args(["check", "examples/", "-q"]).output().unwrap();
    let h = String::from_utf8(human.stdout).unwrap();
    assert!(!h.contains("stale-result"), "{h}");
    assert!(h.contains("threshold-violated"));
    let json: Value = serde_json::from_slice(
        &sds()
            .args(["check", "examples/", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let (n, errors) = (&json["summary"]["checked"], &json["summary"]["errors"]);
    assert!(
        h.trim_end().ends_with(&format!(
            "gate: FAIL ({errors} finding(s) at or above --fail-on error)"
        )),
        "{h}"
    );
    let (found, skipped) = (&json["summary"]["found"], &json["summary"]["skipped"]);
    assert!(h.contains(&format!(
        "found {found} files: {n} reports checked, {skipped} skipped"
    )));
}

#[test]
fn statistics_counts_findings_per_code() {
    let (json_text, json) = {
        let out = sds()
            .args(["check", "examples/", "--format", "json"])
            .output()
            .unwrap();
        let t = String::from_utf8(out.stdout).unwrap();
        let v: Value = serde_json::from_str(&t).unwrap();
        (t, v)
    };
    assert!(!json_text.is_empty());
    let out = sds()
        .args(["check", "examples/", "--statistics", "--format", "concise"])
        .output()
        .unwrap();
    let stats = String::from_utf8(out.stderr).unwrap();
    let mut want: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::default();
    for (_, _, _, code, _) in json_findings(&json) {
        *want.entry(code).or_default() += 1;
    }
    for (code, n) in want {
        assert!(
            stats.lines().any(|l| l
                .split_whitespace()
                .take(2)
                .eq([n.to_string().as_str(), code.as_str()])),
            "{code} {n} in {stats}"
        );
    }
}

#[test]
fn color_follows_the_flag_no_color_and_clicolor_force() {
    let colored = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = sds();
        c.args(["check", "examples/erev-gaps"]).args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.output().unwrap();
        String::from_utf8_lossy(&out.stdout).contains('\u{1b}')
    };
    assert!(!colored(&[], &[]), "not a terminal: no colour");
    assert!(colored(&["--color", "always"], &[]));
    assert!(
        colored(&["--color", "always"], &[("NO_COLOR", "1")]),
        "the flag wins"
    );
    assert!(!colored(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(colored(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!colored(&[], &[("CLICOLOR_FORCE", "0")]));
}

#[test]
fn rough_edges_man_page_completions_diff_and_exclude() {
    let man = sds().arg("manpage").output().unwrap();
    let man = String::from_utf8(man.stdout).unwrap();
    assert!(
        !man.contains("(1)"),
        "no reference to pages nothing generates"
    );
    for sub in ["check", "lint", "merge", "diff", "explain"] {
        assert!(man.contains(&format!(".SS \"sds {sub}\"")), "{sub}");
    }
    assert!(man.contains("EXIT STATUS") && man.contains("sds.toml") && man.contains("NO_COLOR"));
    let bash = sds().args(["completions", "bash"]).output().unwrap();
    let bash = String::from_utf8(bash.stdout).unwrap();
    assert!(bash.contains("check") && !bash.contains("debug-parse"));
    let diff = sds()
        .args([
            "diff",
            "sds@1.0.0",
            "sds@1.1.0",
            "--reports",
            "/nonexistent/reports",
        ])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(2));
    // An excluded folder is counted, found and skipped.
    let dir = temp_dir("exclude");
    std::fs::create_dir_all(dir.join("drafts")).unwrap();
    std::fs::copy("tests/fixtures/reports/pass.yaml", dir.join("pass.yaml")).unwrap();
    std::fs::copy(
        "tests/fixtures/reports/pass.yaml",
        dir.join("drafts/a.yaml"),
    )
    .unwrap();
    let out = sds()
        .arg("check")
        .arg(&dir)
        .args([
            "--checklist",
            MINI,
            "--exclude",
            "drafts",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["found"], 2);
    assert_eq!(v["summary"]["checked"], 1);
    assert_eq!(v["summary"]["skipped"], 1);
    assert!(
        v["summary"]["skipped_files"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("drafts")
    );
}

#[test]
fn skip_non_reports_counts_them_as_skipped() {
    let dir = temp_dir("non-reports");
    std::fs::copy("tests/fixtures/reports/pass.yaml", dir.join("pass.yaml")).unwrap();
    std::fs::write(dir.join("ci.yml"), "name: ci\non: [push]\n").unwrap();
    // A broken report still names itself and is checked, not skipped.
    std::fs::write(dir.join("broken.yaml"), "sds_report: 1\nresults: [\n").unwrap();
    let out = sds()
        .arg("check")
        .arg(&dir)
        .args([
            "--checklist",
            MINI,
            "--skip-non-reports",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["checked"], 2);
    assert_eq!(v["summary"]["skipped"], 1);
    assert_eq!(
        v["summary"]["skipped_files"][0]["reason"],
        "not a report (no sds_report)"
    );
    // Without the flag the workflow is an input, and fails as one.
    let out = sds()
        .arg("check")
        .arg(dir.join("ci.yml"))
        .args(["--checklist", MINI])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
