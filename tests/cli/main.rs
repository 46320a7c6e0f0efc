//! The command line as a user or a CI job runs it: exit codes, options,
//! output files, the JSON contract.

#[path = "../common/mod.rs"]
mod common;
mod runs_and_files;

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
    let gate = |min: &str| {
        code(&[
            "check",
            "--checklist",
            MINI,
            "--fail-on",
            "never",
            "--min-score",
            min,
            missing,
        ])
    };
    assert_eq!(gate("80"), 0);
    assert_eq!(gate("80.1"), 1);
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

fn code_of(args: &[&str]) -> i32 {
    sds().args(args).output().unwrap().status.code().unwrap()
}
