//! Tests of `cli`, continued (the file is split to stay under 600 lines).

use super::*;

#[test]
fn shards_merged_give_the_same_output_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let inputs = ["examples", "tests/fixtures/codes"];
    let mut all = vec!["check", "--checklist", MINI, "--format", "json", "--output"];
    let single = d("all.json");
    all.push(&single);
    all.extend(inputs);
    sds().args(&all).output().unwrap();
    let mut parts = Vec::new();
    for i in 1..=3 {
        let out = d(&format!("s{i}.json"));
        let shard = format!("{i}/3");
        let mut args = vec![
            "check",
            "--checklist",
            MINI,
            "--format",
            "json",
            "--shard",
            &shard,
            "--output",
            &out,
        ];
        args.extend(inputs);
        sds().args(&args).output().unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert!(
            v["summary"]["found"].as_u64().unwrap() > 10,
            "each shard gets a share"
        );
        parts.push(out);
    }
    let merged = d("merged.json");
    let mut args = vec![
        "merge",
        "--checklist",
        MINI,
        "--format",
        "json",
        "--output",
        &merged,
    ];
    args.extend(parts.iter().map(String::as_str));
    let code = sds().args(&args).output().unwrap().status.code();
    assert_eq!(code, Some(1), "the merged verdict");
    assert_eq!(
        std::fs::read_to_string(&merged).unwrap(),
        std::fs::read_to_string(&single).unwrap()
    );
    // The human rendering of the merge gives the same verdict and totals.
    let mut args = vec!["merge", "--checklist", MINI];
    args.extend(parts.iter().map(String::as_str));
    let text = String::from_utf8(sds().args(&args).output().unwrap().stdout).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&single).unwrap()).unwrap();
    assert!(
        text.contains(&format!("{} errors", v["summary"]["errors"])),
        "{text}"
    );
    assert_eq!(code_of(&["check", "--shard", "4/3", PASS]), 2);
}

#[test]
fn a_baseline_gates_on_new_gaps_only_whatever_lines_moved() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.yaml");
    std::fs::copy("tests/fixtures/codes/SDS031/above-max.yaml", &report).unwrap();
    let base = dir.path().join("base.json");
    let r = report.to_str().unwrap();
    let b = base.to_str().unwrap();
    assert_eq!(
        code_of(&["baseline", "--checklist", MINI, "--output", b, r]),
        0
    );
    // Lines move (a comment block on top), and one new gap appears (CRASH-002 not tested).
    let text = std::fs::read_to_string(&report).unwrap();
    let edited = format!(
        "# moved\n# down\n# by three lines\n{}",
        text.replacen(
            "  - item: SDS-CRASH-002\n    status: pass",
            "  - item: SDS-CRASH-002\n    status: not_tested",
            1
        )
    );
    std::fs::write(&report, edited).unwrap();
    let (v, code) = json(&["check", "--checklist", MINI, "--baseline", b, r]);
    assert_eq!(code, 1);
    let findings = code_items(&v);
    assert_eq!(
        findings,
        [("SDS021", "SDS-CRASH-002")],
        "only the new gap gates"
    );
    let old: Vec<&str> = v["reports"][0]["baselined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(old, ["SDS031", "SDS033"]);
    assert_eq!(v["summary"]["baselined"], 2);
    assert_eq!(
        v["options"]["baseline"]["sha256"].as_str().unwrap().len(),
        64
    );
    // Fixing a baselined gap leaves a stale entry, listed; nothing new gates.
    let fixed = std::fs::read_to_string(&report)
        .unwrap()
        .replace("hic15: 812", "hic15: 512")
        .replace("status: not_tested", "status: pass");
    std::fs::write(&report, fixed).unwrap();
    let (v, code) = json(&["check", "--checklist", MINI, "--baseline", b, r]);
    assert_eq!(code, 0);
    let stale: Vec<&str> = v["summary"]["stale_baseline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(stale, ["SDS031", "SDS033"]);
    assert_eq!(
        code_of(&["check", "--checklist", MINI, "--baseline", "Cargo.toml", r]),
        2
    );
}

#[test]
fn completions_and_manpage_come_from_the_command_line_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = sds().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("sds") && text.contains("check") && text.contains("fail-on"),
            "{shell}"
        );
    }
    let out = sds().args(["manpage"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(".ie") && text.contains(".TH sds 1") && text.contains("check"),
        "{text}"
    );
}

#[test]
fn pre_commit_hooks_name_real_commands() {
    let hooks = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    for entry in hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: "))
    {
        let args: Vec<&str> = entry.split_whitespace().skip(1).chain(["--help"]).collect();
        assert_eq!(
            sds().args(&args).output().unwrap().status.code(),
            Some(0),
            "{entry}"
        );
    }
    assert!(hooks.contains("id: sds-check"));
}

/// The progress bar (from the 50th file on, on standard error) shows only on
/// an interactive terminal: never with `CI` set, never when standard error is
/// piped, never over a human report on the same terminal. `script`
/// (util-linux, part of every Debian system) gives the run a terminal; the
/// first case shows the bar can be seen there, so the others can fail.
#[cfg(target_os = "linux")]
#[test]
fn progress_bar_only_on_an_interactive_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..60 {
        std::fs::copy(PASS, dir.path().join(format!("r{i:02}.yaml"))).unwrap();
    }
    let bin = assert_cmd::cargo::cargo_bin("sds");
    let args = |format: &str| {
        format!(
            "'{}' check --format {format} --checklist {MINI} '{}'",
            bin.display(),
            dir.path().display()
        )
    };
    let bar = |out: std::process::Output| {
        String::from_utf8_lossy(&out.stdout).contains("files checked (")
            || String::from_utf8_lossy(&out.stderr).contains("files checked (")
    };
    let on_terminal = |command: String, ci: bool| {
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &command, "/dev/null"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("CI");
        if ci {
            c.env("CI", "true");
        }
        bar(c.output().expect("`script` (util-linux) runs"))
    };
    let json_elsewhere = format!("{} >/dev/null", args("json"));
    assert!(
        on_terminal(json_elsewhere.clone(), false),
        "no bar on a terminal"
    );
    assert!(!on_terminal(json_elsewhere, true), "a bar in CI");
    assert!(
        !on_terminal(args("human"), false),
        "a bar over the human report"
    );
    let piped = sds()
        .args(["check", "--format", "json", "--checklist", MINI])
        .arg(dir.path())
        .env_remove("CI")
        .output()
        .unwrap();
    assert!(!bar(piped), "a bar on a piped standard error");
}

#[cfg(unix)]
#[test]
fn evidence_never_leads_out_of_the_report_folder_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(reports.join("evidence")).unwrap();
    std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        reports.join("evidence/link.pdf"),
    )
    .unwrap();
    let text = std::fs::read_to_string(PASS)
        .unwrap()
        .replace("path: evidence/hv-001.pdf", "path: evidence/link.pdf");
    let report = reports.join("r.yaml");
    std::fs::write(&report, text).unwrap();
    let mini = format!("{}/{MINI}", env!("CARGO_MANIFEST_DIR"));
    let (v, code) = json(&[
        "check",
        "--checklist",
        &mini,
        "--verify-evidence",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let codes = code_items(&v);
    assert!(codes.contains(&("SDS043", "SDS-HV-001")), "{codes:?}");
    // Without --verify-evidence the path is judged lexically only, and it stays inside.
    let (v, _) = json(&["check", "--checklist", &mini, report.to_str().unwrap()]);
    assert!(
        v["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "SDS043")
    );
}

#[test]
fn paths_with_odd_characters_are_read_and_named_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let odd = dir.path().join("dir with space/ünïcødé #1 [a].yaml");
    std::fs::create_dir_all(odd.parent().unwrap()).unwrap();
    std::fs::copy(PASS, &odd).unwrap();
    let mini = format!("{}/{MINI}", env!("CARGO_MANIFEST_DIR"));
    let (v, code) = json(&["check", "--checklist", &mini, dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["reports"][0]["path"], odd.to_str().unwrap());
}

#[cfg(unix)]
#[test]
fn a_fifo_is_not_read_but_reported() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (v, code) = json(&["check", "--checklist", MINI, fifo.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(v["reports"][0]["findings"][0]["code"], "SDS005");
}

#[test]
fn limits_can_be_raised_and_say_how() {
    let deep = "tests/fixtures/codes/SDS004/deep-nesting.yaml";
    let (v, _) = json(&["check", "--checklist", MINI, deep]);
    assert!(
        v["reports"][0]["findings"][0]["help"]
            .as_str()
            .unwrap()
            .contains("--max-depth")
    );
    let (v, _) = json(&["check", "--checklist", MINI, "--max-depth", "200", deep]);
    assert_ne!(v["reports"][0]["findings"][0]["code"], "SDS004");
    let bomb = "tests/fixtures/codes/SDS004/alias-bomb.yaml";
    let (v, _) = json(&["check", "--checklist", MINI, bomb]);
    assert!(
        v["reports"][0]["findings"][0]["help"]
            .as_str()
            .unwrap()
            .contains("--max-alias-values")
    );
}

#[test]
fn one_check_writes_several_formats_each_whole() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    let (sarif, junit, md, html) = (p("r.sarif"), p("r.xml"), p("r.md"), p("r.html"));
    let out = sds()
        .args([
            "check", "--format", "sarif", "--output", &sarif, "--format", "junit", "--output",
            &junit,
        ])
        .args([
            "--format", "markdown", "--output", &md, "--format", "html", "--output", &html,
            "--format", "json", "examples",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .expect("the one format without --output goes to stdout");
    assert_eq!(v["summary"]["checked"], 6);
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .contains("<testsuites")
    );
    assert!(std::fs::read_to_string(&md).unwrap().contains("| report |"));
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .contains("examples/erev-gaps/report.yaml")
    );
    assert_eq!(
        code_of(&["check", "--format", "json", "--format", "sarif", "examples"]),
        2,
        "two formats on stdout"
    );
    assert_eq!(
        code_of(&[
            "check",
            "--output",
            &p("a"),
            "--output",
            &p("b"),
            "examples"
        ]),
        2
    );
}

#[test]
fn nothing_is_printed_on_stderr_when_wrapping_complex_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("thai.yaml");
    let text = std::fs::read_to_string(PASS).unwrap().replace(
        "item: SDS-RESCUE-001",
        &format!("item: SDS-{}-001", "ภาษาไทย".repeat(12)),
    );
    std::fs::write(&report, text).unwrap();
    let out = sds()
        .args(["check", "--checklist", MINI, report.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
