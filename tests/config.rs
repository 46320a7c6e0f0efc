//! `sds.toml` and `--severity`, through the real binary: where the file is
//! found, what the command line overrides, what can never be lowered, and
//! what the audit trail records.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn mini() -> PathBuf {
    root().join(common::MINI)
}

/// A fresh folder under the test's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("config")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `sds` run in `dir`.
fn sds_in(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("sds").unwrap();
    c.current_dir(dir);
    c
}

/// A project: `sds.toml` with `config`, a `reports/` folder holding the mini
/// checklist's passing report (whose CRASH-002 result goes stale after
/// 2026-06-13: one SDS050 warning and nothing else when judged in 2027).
fn project(name: &str, config: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/reports/pass.yaml"),
        dir.join("reports/pass.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("sds.toml"),
        format!(
            "checklists = [{:?}]\nas-of = 2027-01-01\n{config}",
            mini().display().to_string()
        ),
    )
    .unwrap();
    dir
}

fn json_of(c: &mut Command) -> (Option<i32>, Value, String) {
    let out = c.args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), v, stderr)
}

fn codes_and_severities(v: &Value) -> Vec<(String, String, String)> {
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["item"].as_str().unwrap_or_default().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_file_is_found_upward_and_its_fail_on_gates() {
    let dir = project("upward", "fail-on = \"warning\"\n");
    // From a subfolder: the file above applies, and its relative paths are
    // relative to it, not to the current folder.
    let sub = dir.join("reports");
    let (code, v, err) = json_of(sds_in(&sub).args(["check", "."]));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        codes_and_severities(&v),
        vec![("SDS050".into(), "SDS-CRASH-002".into(), "warning".into())]
    );
    assert_eq!(v["options"]["fail_on"], "warning");
    assert_eq!(v["options"]["as_of"], "2027-01-01");
    assert_eq!(v["options"]["config"]["path"], "../sds.toml");
    let sha = hex(&Sha256::digest(
        std::fs::read(dir.join("sds.toml")).unwrap(),
    ));
    assert_eq!(v["options"]["config"]["sha256"], sha);
    // The command line overrides the file.
    let (code, v, _) = json_of(sds_in(&sub).args(["check", ".", "--fail-on", "error"]));
    assert_eq!(code, Some(0));
    assert_eq!(v["options"]["fail_on"], "error");
    let (code, _, _) = json_of(sds_in(&sub).args(["check", ".", "--as-of", "2025-09-30"]));
    assert_eq!(code, Some(0), "no finding at the issue date");
    // --no-config ignores the file: the bundled checklists do not know `mini`.
    let (code, v, _) = json_of(sds_in(&sub).args(["check", ".", "--no-config"]));
    assert_eq!(code, Some(1));
    assert_eq!(codes_and_severities(&v)[0].0, "SDS010");
    assert_eq!(v["options"]["config"], Value::Null);
}

#[test]
fn severity_from_the_file_and_the_command_line_which_wins() {
    let dir = project("severity", "[severity]\nSDS050 = \"error\"\n");
    let (code, v, err) = json_of(sds_in(&dir).args(["check", "reports"]));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(codes_and_severities(&v)[0].2, "error");
    assert_eq!(
        v["options"]["severity"],
        serde_json::json!([{"code": "SDS050", "severity": "error", "from": "config"}])
    );
    let (code, v, _) =
        json_of(sds_in(&dir).args(["check", "reports", "--severity", "SDS050=note"]));
    assert_eq!(code, Some(0));
    assert_eq!(codes_and_severities(&v)[0].2, "note");
    assert_eq!(
        v["options"]["severity"],
        serde_json::json!([{"code": "SDS050", "severity": "note", "from": "command_line"}])
    );
    // The SARIF audit trail records the same.
    let out = sds_in(&dir)
        .args([
            "check",
            "reports",
            "--format",
            "sarif",
            "--severity",
            "SDS035=error",
        ])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let opts = &s["runs"][0]["invocations"][0]["properties"]["options"];
    assert_eq!(opts["config"]["path"], "sds.toml");
    assert_eq!(opts["severity"].as_array().unwrap().len(), 2);
    assert_eq!(s["runs"][0]["results"][0]["level"], "error");
}

#[test]
fn codes_that_can_never_be_waived_cannot_be_lowered() {
    for code in [
        "SDS001", "SDS002", "SDS005", "SDS010", "SDS011", "SDS013", "SDS014", "SDS043",
    ] {
        if code.parse::<sds::Code>().is_err() {
            continue; // a code this build does not have yet
        }
        let out = common::sds()
            .args([
                "check",
                "examples/",
                "--severity",
                &format!("{code}=warning"),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{code}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot be lowered"), "{code}: {err}");
        // Raising (or keeping) is allowed.
        common::sds()
            .args(["check", "examples/", "--severity", &format!("{code}=error")])
            .assert()
            .code(1);
    }
    // In the file too: exit 2, naming the file.
    let dir = project("never", "[severity]\nSDS043 = \"note\"\n");
    let out = sds_in(&dir).args(["check", "reports"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sds.toml") && err.contains("cannot be lowered"),
        "{err}"
    );
}

#[test]
fn findings_of_a_non_waivable_item_are_never_lowered() {
    let dir = temp_dir("non-waivable");
    // CRASH-001 (waivable: false) and CRASH-002 (waivable) both break a bound.
    let text = std::fs::read_to_string(root().join("tests/fixtures/reports/pass.yaml"))
        .unwrap()
        .replace("hic15: 512", "hic15: 900")
        .replace("{value: 7200, unit: N}", "{value: 9500, unit: N}");
    std::fs::write(dir.join("r.yaml"), text).unwrap();
    let (code, v, err) = json_of(
        sds_in(&dir)
            .args(["check", "r.yaml", "--as-of", "2025-09-30", "--checklist"])
            .arg(mini())
            .args(["--severity", "SDS031=warning", "--severity", "SDS033=note"]),
    );
    assert_eq!(code, Some(1), "{err}");
    let found = codes_and_severities(&v);
    let sev = |code: &str, item: &str| {
        found
            .iter()
            .find(|(c, i, _)| c == code && i == item)
            .map_or_else(
                || panic!("{code} {item} in {found:?}"),
                |(_, _, s)| s.clone(),
            )
    };
    assert_eq!(sev("SDS031", "SDS-CRASH-001"), "error");
    assert_eq!(sev("SDS033", "SDS-CRASH-001"), "error");
    assert_eq!(sev("SDS031", "SDS-CRASH-002"), "warning");
    assert_eq!(sev("SDS033", "SDS-CRASH-002"), "note");
    // Without the non-waivable item's findings the same overrides pass the gate.
    let only_002 = std::fs::read_to_string(dir.join("r.yaml"))
        .unwrap()
        .replace("hic15: 900", "hic15: 512");
    std::fs::write(dir.join("r.yaml"), only_002).unwrap();
    let (code, _, _) = json_of(
        sds_in(&dir)
            .args(["check", "r.yaml", "--as-of", "2025-09-30", "--checklist"])
            .arg(mini())
            .args(["--severity", "SDS031=warning", "--severity", "SDS033=note"]),
    );
    assert_eq!(code, Some(0));
}

#[test]
fn an_unknown_key_is_exit_2_naming_the_nearest() {
    for (text, want) in [
        ("fail_on = \"error\"\n", "did you mean `fail-on`"),
        ("min-scor = 90\n", "did you mean `min-score`"),
        ("[severity]\nSDS50 = \"error\"\n", "did you mean SDS050"),
        (
            "outputs = [{format = \"json\", pth = \"x\"}]\n",
            "did you mean `path`",
        ),
        ("min-score = 120\n", "from 0 to 100"),
        (
            "fail-on = \"warnings\"\n",
            "expected error, warning, note or never",
        ),
        ("as-of = \"yesterday\"\n", "\"issued\", \"today\" or a date"),
        ("checklists = [\n", "not valid TOML"),
    ] {
        let dir = temp_dir("unknown");
        std::fs::write(dir.join("sds.toml"), text).unwrap();
        let out = sds_in(&dir).args(["check", "."]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{text}: {err}");
        assert!(err.contains("sds.toml"), "{err}");
        // --no-config gets past it; --config names another file.
        let out = sds_in(&dir)
            .args(["check", ".", "--no-config", "--allow-empty"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{text}");
    }
}

#[test]
fn outputs_and_exclude_from_the_file() {
    let dir = project(
        "outputs",
        "exclude = [\"drafts\"]\noutputs = [{format = \"json\", path = \"out/sds.json\"}, {format = \"concise\"}]\n",
    );
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::create_dir_all(dir.join("reports/drafts")).unwrap();
    std::fs::write(dir.join("reports/drafts/broken.yaml"), "sds_report: [\n").unwrap();
    let out = sds_in(&dir.join("reports"))
        .args(["check", "."])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("SDS050"),
        "concise on standard output: {text}"
    );
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/sds.json")).unwrap()).unwrap();
    assert_eq!(v["summary"]["checked"], 1);
    // A --format on the command line replaces the file's outputs.
    std::fs::remove_file(dir.join("out/sds.json")).unwrap();
    let out = sds_in(&dir)
        .args(["check", "reports", "--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!dir.join("out/sds.json").exists());
    // `--config FILE` names the file explicitly, from anywhere.
    let elsewhere = temp_dir("outputs-elsewhere");
    sds_in(&elsewhere)
        .args(["check"])
        .arg(dir.join("reports"))
        .arg("--config")
        .arg(dir.join("sds.toml"))
        .assert()
        .code(0);
    assert!(dir.join("out/sds.json").exists());
}

#[test]
fn lint_reads_the_checklists_of_the_file() {
    let dir = project("lint", "");
    let out = sds_in(&dir)
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == "mini"), "{ids:?}");
}

/// Bytes as lower-case hexadecimal.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
