//! `sds lsp` with a real editor: headless Neovim (its built-in LSP client,
//! driven by tests/lsp_neovim.lua) opens a report with known gaps. The
//! diagnostics it receives must be `sds check --format json`'s findings
//! (codes and lines), and applying the SDS020 quick fix must leave a file
//! with no SDS020.
//!
//! Neovim must be installed (`.ci/run` installs Debian's `neovim`). Without
//! it this test fails, so CI can never pass it silently; set
//! `SDS_SKIP_NEOVIM=1` to skip it on a machine without Neovim.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn findings(v: &Value) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn diagnostics(v: &Value) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn neovim_gets_the_findings_of_sds_check_and_applies_the_sds020_fix() {
    if std::env::var("SDS_SKIP_NEOVIM").as_deref() == Ok("1") {
        eprintln!("SDS_SKIP_NEOVIM=1: the Neovim test is skipped");
        return;
    }
    let nvim = Command::new("nvim").arg("--version").output();
    assert!(
        nvim.is_ok_and(|o| o.status.success()),
        "Neovim (`nvim`) is not installed: `apt-get install neovim`, or set SDS_SKIP_NEOVIM=1 to skip this test"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("erev-gaps");
    copy_dir(&root.join("examples/erev-gaps"), &work);
    let report = work.join("report.yaml");
    let check = |p: &Path| common::json(&["check", p.to_str().unwrap()]).0;
    let want = findings(&check(&report));
    assert!(
        want.iter().any(|(c, _)| c == "SDS020"),
        "the example has missing results"
    );

    let out = dir.path().join("nvim.json");
    let state = dir.path().join("xdg");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            root.join("tests/lsp_neovim.lua").display()
        ))
        .env("SDS_BIN", env!("CARGO_BIN_EXE_sds"))
        .env("SDS_REPORT", &report)
        .env("SDS_OUT", &out)
        .env("XDG_STATE_HOME", &state)
        .env("XDG_CACHE_HOME", &state)
        .env("XDG_DATA_HOME", &state)
        .env("XDG_CONFIG_HOME", &state)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("Neovim did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out).unwrap_or_else(|e| {
        let mut err = String::new();
        let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
        panic!("Neovim wrote no result ({e}): {err}")
    });
    let got: Value = serde_json::from_str(&text).unwrap();
    assert!(
        got["error"].is_null(),
        "the Neovim script failed: {}",
        got["error"]
    );
    assert_eq!(
        diagnostics(&got["before"]),
        want,
        "Neovim's diagnostics vs sds check"
    );
    for d in got["before"].as_array().unwrap() {
        assert_eq!(d["source"], "sds");
    }
    let fixed = check(&report);
    let after = findings(&fixed);
    assert!(!after.iter().any(|(c, _)| c == "SDS020"), "{after:?}");
    assert!(
        after.iter().any(|(c, _)| c == "SDS021"),
        "the inserted results are not_tested"
    );
    assert_eq!(
        diagnostics(&got["after"]),
        after,
        "Neovim's diagnostics after the fix vs sds check"
    );
}
