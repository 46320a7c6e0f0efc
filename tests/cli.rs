//! The command line as a user or a CI job runs it: exit codes, options,
//! output files, the JSON contract.

mod common;

use common::{MINI, code_items, json, sds};

const PASS: &str = "tests/fixtures/reports/pass.yaml";
const FAILING: &str = "tests/fixtures/codes/SDS031/above-max.yaml";
const WARNING_ONLY: &str = "tests/fixtures/codes/SDS035/unknown-metric.yaml";

fn code(args: &[&str]) -> i32 {
    sds().args(args).output().unwrap().status.code().unwrap()
}

#[test]
fn exit_0_when_the_gate_passes_and_1_when_it_fails() {
    assert_eq!(code(&["check", "--checklist", MINI, PASS]), 0);
    assert_eq!(code(&["check", "--checklist", MINI, FAILING]), 1);
    assert_eq!(code(&["check", "--checklist", MINI, PASS, FAILING]), 1);
}

#[test]
fn fail_on_sets_the_threshold() {
    assert_eq!(code(&["check", "--checklist", MINI, WARNING_ONLY]), 0);
    assert_eq!(
        code(&[
            "check",
            "--checklist",
            MINI,
            "--fail-on",
            "warning",
            WARNING_ONLY
        ]),
        1
    );
    assert_eq!(
        code(&["check", "--checklist", MINI, "--fail-on", "never", FAILING]),
        0
    );
    let waived = "tests/fixtures/codes/SDS060/waived.yaml";
    assert_eq!(code(&["check", "--checklist", MINI, waived]), 0);
    assert_eq!(
        code(&["check", "--checklist", MINI, "--fail-on", "note", waived]),
        1
    );
}

#[test]
fn min_score_gates_on_the_percentage_of_applicable_points() {
    let missing = "tests/fixtures/codes/SDS020/missing.yaml"; // 4 of 5 points
    assert_eq!(
        code(&[
            "check",
            "--checklist",
            MINI,
            "--fail-on",
            "never",
            "--min-score",
            "80",
            missing
        ]),
        0
    );
    assert_eq!(
        code(&[
            "check",
            "--checklist",
            MINI,
            "--fail-on",
            "never",
            "--min-score",
            "80.1",
            missing
        ]),
        1
    );
    let (v, _) = json(&["check", "--checklist", MINI, missing]);
    let s = &v["reports"][0]["score"];
    assert_eq!(
        (
            s["earned"].as_u64(),
            s["applicable"].as_u64(),
            s["total"].as_u64()
        ),
        (Some(4), Some(5), Some(6))
    );
    assert_eq!(s["percent"], 80.0);
    // A report that cannot be scored never meets a minimum score.
    let broken = "tests/fixtures/codes/SDS001/duplicate-key.yaml";
    assert_eq!(
        code(&[
            "check",
            "--checklist",
            MINI,
            "--fail-on",
            "never",
            "--min-score",
            "0",
            broken
        ]),
        1
    );
}

#[test]
fn no_report_fails_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_eq!(code(&["check", "--checklist", MINI, d]), 1);
    assert_eq!(code(&["check", "--checklist", MINI, "--allow-empty", d]), 0);
    let (v, _) = json(&["check", "--checklist", MINI, d]);
    assert_eq!(v["summary"]["found"], 0);
    assert_eq!(v["verdict"], "fail");
}

#[test]
fn checklists_and_waivers_files_among_inputs_are_skipped_and_counted() {
    let (v, c) = json(&[
        "check",
        "--checklist",
        MINI,
        "tests/fixtures/checklists/mini/1.0.0.yaml",
        PASS,
    ]);
    assert_eq!(c, 0);
    assert_eq!(v["summary"]["found"], 2);
    assert_eq!(v["summary"]["checked"], 1);
    assert_eq!(v["summary"]["skipped"], 1);
    assert_eq!(
        v["summary"]["skipped_files"][0]["reason"],
        "a checklist (sds_checklist)"
    );
    assert_eq!(v["reports"].as_array().unwrap().len(), 1);
}

#[test]
fn a_broken_checklist_stops_the_run_with_exit_2() {
    let out = sds()
        .args([
            "check",
            "--checklist",
            "tests/fixtures/lint/SDS101/total.yaml",
            PASS,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SDS101"), "{err}");
    assert!(err.contains("no verdict can rest on it"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(code(&["check", "--fail-on", "sometimes", PASS]), 2);
    assert_eq!(code(&["check", "--as-of", "yesterday", PASS]), 2);
    assert_eq!(code(&["check", "--format", "pdf", PASS]), 2);
    assert_eq!(code(&["explain", "SDS999"]), 2);
    assert_eq!(code(&["frobnicate"]), 2);
}

#[test]
fn output_is_written_whole_to_a_file_and_an_unwritable_one_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.json");
    let out = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            "--format",
            "json",
            "--output",
            file.to_str().unwrap(),
            FAILING,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(v["verdict"], "fail");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left behind"
    );
    let nowhere = dir.path().join("no/such/dir/out.json");
    assert_eq!(
        code(&[
            "check",
            "--checklist",
            MINI,
            "--output",
            nowhere.to_str().unwrap(),
            PASS
        ]),
        2
    );
}

#[test]
fn json_output_follows_its_schema_and_is_byte_identical_across_jobs() {
    let args = [
        "check",
        "--checklist",
        MINI,
        "--format",
        "json",
        "tests/fixtures/codes",
    ];
    let one = sds().args(args).args(["--jobs", "1"]).output().unwrap();
    let many = sds().args(args).args(["--jobs", "4"]).output().unwrap();
    assert_eq!(one.stdout, many.stdout);
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let errors = sds::schema::validate_json(&v, sds::schema::SchemaKind::Findings);
    assert!(errors.is_empty(), "{errors:#?}");
    let paths: Vec<&str> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted, "reports come in sorted path order");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let c = &v["checklists"][0];
    assert_eq!(c["id"], "mini");
    assert_eq!(c["files"][0]["sha256"].as_str().unwrap().len(), 64);
    assert!(v["reports"][0]["sha256"].as_str().unwrap().len() == 64);
}

#[test]
fn findings_carry_the_contract_fields_and_help_for_unknown_items() {
    let (v, _) = json(&[
        "check",
        "--checklist",
        MINI,
        "tests/fixtures/codes/SDS011/typo.yaml",
    ]);
    let f = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SDS011")
        .unwrap()
        .clone();
    assert_eq!(f["name"], "unknown-item");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["item"], "SDS-RESCEU-001");
    assert!(f["message"].as_str().unwrap().contains("SDS-RESCUE-001"));
    assert!(f["help"].as_str().unwrap().contains("SDS-RESCUE-001"));
    let r = &v["reports"][0];
    assert_eq!(r["id"], "RPT-PASS");
    assert_eq!(r["checklist"]["version"], "1.1.0");
    assert_eq!(r["as_of"], "2025-09-30");
}

#[test]
fn requirements_resolve_to_the_highest_match_and_exact_versions_exactly() {
    let text = std::fs::read_to_string(PASS).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (spec, want) in [
        ("^1.0", "1.1.0"),
        ("1.0.0", "1.0.0"),
        ("~1.0", "1.0.0"),
        (">=1.0, <2", "1.1.0"),
        ("1.1.0", "1.1.0"),
    ] {
        let p = dir.path().join("r.yaml");
        std::fs::write(
            &p,
            text.replace("version: \"^1.0\"", &format!("version: \"{spec}\"")),
        )
        .unwrap();
        let (v, _) = json(&[
            "check",
            "--checklist",
            &format!("{}/{MINI}", env!("CARGO_MANIFEST_DIR")),
            p.to_str().unwrap(),
        ]);
        assert_eq!(v["reports"][0]["checklist"]["version"], want, "{spec}");
    }
}

#[test]
fn a_waivers_file_applies_by_glob_and_reports_unused_waivers() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("waivers.yaml");
    std::fs::write(
        &w,
        "sds_waivers: 1\nwaivers:\n  - {item: SDS-RESCUE-001, reason: Re-test booked, approved_by: J. Doe, expires: 2026-01-31, reports: \"**/SDS020/*\"}\n  - {item: SDS-HV-001, reason: Unused, approved_by: J. Doe, expires: 2026-01-31}\n",
    )
    .unwrap();
    let w = w.to_str().unwrap();
    // Globs match the report's path relative to the waivers file's folder.
    std::fs::create_dir(dir.path().join("SDS020")).unwrap();
    let copy = dir.path().join("SDS020/missing.yaml");
    std::fs::copy("tests/fixtures/codes/SDS020/missing.yaml", &copy).unwrap();
    let missing = "tests/fixtures/codes/SDS020/missing.yaml";
    let (v, c) = json(&[
        "check",
        "--checklist",
        MINI,
        "--waivers",
        w,
        copy.to_str().unwrap(),
    ]);
    assert_eq!(c, 0, "{v:#}");
    let f = &v["reports"][0]["findings"][0];
    assert_eq!(
        (f["code"].as_str(), f["waives"].as_str()),
        (Some("SDS060"), Some("SDS020"))
    );
    assert_eq!(v["reports"][0]["score"]["waived"], 1);
    let unused = &v["reports"][1];
    assert_eq!(unused["path"], w);
    assert_eq!(unused["findings"][0]["code"], "SDS062");
    assert_eq!(unused["findings"][0]["line"], 4);
    assert_eq!(
        v["options"]["waivers"]["sha256"].as_str().unwrap().len(),
        64
    );
    // The same waiver does not reach a report its glob does not match.
    let elsewhere = dir.path().join("other.yaml");
    std::fs::copy(missing, &elsewhere).unwrap();
    let (v, c) = json(&[
        "check",
        "--checklist",
        MINI,
        "--waivers",
        w,
        elsewhere.to_str().unwrap(),
    ]);
    assert_eq!(c, 1);
    assert_eq!(v["reports"][0]["findings"][0]["code"], "SDS020");
}

#[test]
fn a_waivers_file_without_a_reason_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let w = dir.path().join("waivers.yaml");
    std::fs::write(&w, "sds_waivers: 1\nwaivers:\n  - {item: SDS-HV-001, approved_by: J. Doe, expires: 2026-01-31}\n").unwrap();
    let out = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            "--waivers",
            w.to_str().unwrap(),
            PASS,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reason"));
}

#[test]
fn exclude_leaves_paths_out() {
    let (v, _) = json(&[
        "check",
        "--checklist",
        MINI,
        "--exclude",
        "**/SDS0[0-4]*/**",
        "--exclude",
        "*.json",
        "tests/fixtures/codes",
    ]);
    let paths: Vec<&str> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(!paths.is_empty());
    assert!(
        paths
            .iter()
            .all(|p| p.contains("/SDS05") || p.contains("/SDS06")),
        "{paths:?}"
    );
}

#[test]
fn lint_exits_by_its_findings() {
    assert_eq!(code(&["lint", MINI]), 0);
    assert_eq!(
        code(&["lint", "tests/fixtures/lint/SDS100/duplicate-id.yaml"]),
        1
    );
    assert_eq!(
        code(&[
            "lint",
            "--fail-on",
            "never",
            "tests/fixtures/lint/SDS100/duplicate-id.yaml"
        ]),
        0
    );
    assert_eq!(code(&["lint"]), 0, "the bundled checklists lint clean");
}

#[test]
fn explain_and_schema_print_from_the_registry_and_schema_files() {
    let out = sds()
        .args(["explain", "threshold-violated"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("SDS031 threshold-violated"), "{text}");
    assert!(text.contains(sds::Code::ThresholdViolated.info().explanation));
    for name in ["report", "checklist", "waivers", "findings"] {
        let out = sds().args(["schema", name]).output().unwrap();
        let on_disk = std::fs::read(format!("schema/{name}.schema.json")).unwrap();
        assert_eq!(out.stdout, on_disk, "{name}");
    }
}

#[test]
fn the_bundled_checklist_is_the_default() {
    let out = sds().args(["list"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("sds@1.0.0 (bundled)") && text.contains("sds@1.1.0 (bundled)"),
        "{text}"
    );
    assert!(text.contains("190 items, 190 points"), "{text}");
}

#[test]
fn no_colour_when_piped() {
    let out = sds()
        .args(["check", "--checklist", MINI, FAILING])
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b), "ANSI escapes in piped output");
}

#[test]
fn hostile_and_malformed_inputs_get_findings_and_the_others_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read_to_string(PASS).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).unwrap();
    write(
        "a-brackets.yaml",
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).as_bytes(),
    );
    write("b-flowmaps.yaml", "{a: ".repeat(100_000).as_bytes());
    let bomb: String = std::iter::once("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned())
        .chain((1..10).map(|i| {
            format!(
                "a{i}: &a{i} [{}]\n",
                vec![format!("*a{}", i - 1); 10].join(", ")
            )
        }))
        .collect();
    write("c-bomb.yaml", bomb.as_bytes());
    let block: String = (0..2000).fold(String::new(), |mut s, i| {
        s.push_str(&"  ".repeat(i));
        s.push_str("- \n");
        s
    });
    write("d-block.yaml", block.as_bytes());
    write("e-empty.yaml", b"");
    write("f-list.yaml", b"- a\n- b\n");
    write("g-badutf8.yaml", b"sds_report: 1\n\xff\xfe\n");
    write(
        "h-two-documents.yaml",
        format!("{good}---\na: 1\n").as_bytes(),
    );
    write("i-big.yaml", &vec![b'#'; 300_000]);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(good.encode_utf16().flat_map(u16::to_le_bytes));
    write("j-utf16.yaml", &utf16);
    write(
        "k-bom-crlf.yaml",
        format!("\u{feff}{}", good.replace('\n', "\r\n")).as_bytes(),
    );
    write("z-good.yaml", good.as_bytes());
    let (v, code) = json(&[
        "check",
        "--checklist",
        &format!("{}/{MINI}", env!("CARGO_MANIFEST_DIR")),
        "--max-file-size",
        "200000",
        d.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let got: Vec<(String, Option<String>, Option<u64>)> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let name = r["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned();
            (
                name,
                r["findings"][0]["code"].as_str().map(str::to_owned),
                r["score"]["earned"].as_u64(),
            )
        })
        .collect();
    let want = [
        ("a-brackets.yaml", Some("SDS004"), None),
        ("b-flowmaps.yaml", Some("SDS004"), None),
        ("c-bomb.yaml", Some("SDS004"), None),
        ("d-block.yaml", Some("SDS004"), None),
        ("e-empty.yaml", Some("SDS002"), None),
        ("f-list.yaml", Some("SDS002"), None),
        ("g-badutf8.yaml", Some("SDS001"), None),
        ("h-two-documents.yaml", Some("SDS001"), None),
        ("i-big.yaml", Some("SDS004"), None),
        ("j-utf16.yaml", None, Some(5)),
        ("k-bom-crlf.yaml", None, Some(5)),
        ("z-good.yaml", None, Some(5)),
    ];
    let want: Vec<(String, Option<String>, Option<u64>)> = want
        .iter()
        .map(|(n, c, s)| ((*n).to_owned(), c.map(str::to_owned), *s))
        .collect();
    assert_eq!(got, want);
    let empty = &v["reports"][4]["findings"][0]["message"];
    assert!(
        empty.as_str().unwrap().contains("the file is empty"),
        "{empty}"
    );
}

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

fn code_of(args: &[&str]) -> i32 {
    sds().args(args).output().unwrap().status.code().unwrap()
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
