//! Every finding code of the contract is raised by a fixture at the stated
//! line and column, and not raised where the data are right. Each fixture
//! states in its header comments what it expects (`# expect: SDS031 18:14`,
//! or `# expect: nothing` for a clean case).
//!
//! One test per fixture, named by its path (`cargo test --test codes SDS031`
//! runs that code's fixtures): a new file under `tests/fixtures/codes`,
//! `tests/fixtures/evidence` or `tests/fixtures/lint` is a new test without
//! any Rust edit. Each runs in-process through the library (spawning the
//! binary adds nothing here; `tests/cli.rs` and `tests/snapshots.rs` drive it)
//! and snapshots the human output, so a change of any code's wording shows
//! in review. The harness is libtest-mimic (docs/decisions.md).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::fixture::options;
use common::{MINI, expectations, fixtures, found, json};
use libtest_mimic::{Arguments, Failed, Trial};
use sds::engine::{Options, Run};

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let reports = fixtures("tests/fixtures/codes", 2)
        .into_iter()
        .chain(fixtures("tests/fixtures/evidence", 1));
    let mut trials: Vec<Trial> = reports
        .map(|f| trial(f, report_fixture))
        .chain(
            fixtures("tests/fixtures/lint", 2)
                .into_iter()
                .map(|f| trial(f, lint_fixture)),
        )
        .collect();
    trials.push(Trial::test(
        "every_code_has_a_fixture",
        every_code_has_a_fixture,
    ));
    trials.push(Trial::test(
        "every_code_has_a_rendered_snapshot",
        every_code_has_a_rendered_snapshot,
    ));
    #[cfg(unix)]
    trials.push(Trial::test(
        "unreadable_paths_are_findings_and_the_run_goes_on",
        unreadable_paths_are_findings_and_the_run_goes_on,
    ));
    libtest_mimic::run(&args, trials).exit_code()
}

/// A test named by the fixture's path below `tests/fixtures/`.
fn trial(path: PathBuf, check: fn(&Path) -> Result<(), Failed>) -> Trial {
    let name = path
        .strip_prefix("tests/fixtures")
        .unwrap_or(&path)
        .to_string_lossy()
        .into_owned();
    Trial::test(name, move || check(&path))
}

/// The snapshot of a fixture: `SDS031__above-max` for
/// `codes/SDS031/above-max.yaml`, `lint__SDS101__total`, `evidence__report`.
fn snapshot_name(path: &Path) -> String {
    let rel = path.strip_prefix("tests/fixtures").unwrap_or(path);
    let rel = rel.strip_prefix("codes").unwrap_or(rel).with_extension("");
    rel.iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("__")
}

/// The human output, as `sds check`/`sds lint` prints it without colour.
fn human(run: &Run) -> String {
    human_at(run, 100)
}

fn human_at(run: &Run, width: usize) -> String {
    let style = sds::render::human::Style {
        color: false,
        width,
    };
    sds::render::human::render(run, style)
}

/// `CODE LINE:COL` of every finding of the report at `path`, read from the JSON output.
fn findings(run: &Run, path: &str) -> Result<Vec<String>, Failed> {
    let v: serde_json::Value = serde_json::from_str(&sds::render::json::render(run))
        .map_err(|e| format!("the JSON output does not parse: {e}"))?;
    Ok(found(&v, path))
}

fn same(got: &[String], want: &[String], what: &str) -> Result<(), Failed> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: found {got:?}, the fixture expects {want:?}").into())
    }
}

fn report_fixture(path: &Path) -> Result<(), Failed> {
    let e = expectations(path);
    let p = path.to_string_lossy();
    let run = sds::engine::check(options(path, &e.args)?).map_err(|err| err.to_string())?;
    same(&findings(&run, &p)?, &e.findings, "findings")?;
    let gate_fails = run
        .outcomes
        .iter()
        .flat_map(|o| &o.findings)
        .any(|f| f.severity == sds::Severity::Error);
    if run.pass == gate_fails {
        return Err(format!(
            "the gate says pass = {}, the findings say otherwise",
            run.pass
        )
        .into());
    }
    let text = human(&run);
    for exp in &e.findings {
        let (code, at) = exp
            .split_once(' ')
            .ok_or("an expectation is not `CODE LINE:COL`")?;
        if !text.contains(&format!("{code}(")) {
            return Err(format!("{code} not shown:\n{text}").into());
        }
        // SDS004 for a file too large to read has no node to point at.
        if (code != "SDS004" || at != "1:1") && !text.contains(&format!("╭─[{p}:{at}]")) {
            return Err(format!("no snippet at {at}:\n{text}").into());
        }
    }
    let command = format!("sds check {p} {}", e.args.join(" "));
    insta::assert_snapshot!(snapshot_name(path), text, command.trim_end());
    Ok(())
}

fn lint_fixture(path: &Path) -> Result<(), Failed> {
    let e = expectations(path);
    let p = path.to_string_lossy();
    // SDS105 and SDS108 compare versions: lint the folder holding both.
    let across = ["SDS105", "SDS108"].iter().any(|c| p.contains(c));
    let target = if across {
        path.parent().unwrap_or(path)
    } else {
        path
    };
    let run = sds::engine::lint(Options {
        paths: vec![target.to_path_buf()],
        keep_sources: true,
        ..Options::default()
    });
    same(&findings(&run, &p)?, &e.findings, "findings")?;
    if !across && run.pass != e.findings.is_empty() {
        return Err(format!("the gate says pass = {}", run.pass).into());
    }
    let shown = target.to_string_lossy();
    insta::assert_snapshot!(
        snapshot_name(path),
        human(&run),
        &format!("sds lint {shown}")
    );
    Ok(())
}

/// The codes a fixture header says it raises.
fn expected_codes() -> BTreeSet<String> {
    [
        "tests/fixtures/codes",
        "tests/fixtures/evidence",
        "tests/fixtures/lint",
    ]
    .iter()
    .flat_map(|d| fixtures(d, 2))
    .flat_map(|f| expectations(&f).findings)
    .filter_map(|e| e.get(..6).map(str::to_owned))
    .collect()
}

fn missing(seen: &BTreeSet<String>, what: &str) -> Result<(), Failed> {
    let missing: Vec<_> = sds::codes::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !seen.contains(*c))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("codes without {what}: {missing:?}").into())
    }
}

fn every_code_has_a_fixture() -> Result<(), Failed> {
    let mut seen = expected_codes();
    // No fixture file can be unreadable in git: the test below makes the paths.
    #[cfg(unix)]
    seen.insert("SDS005".into());
    missing(&seen, "a fixture")
}

/// A code shows in a snapshot as `SDS031(threshold-violated)` (human) or
/// `"code": "SDS031"` (JSON); a fixture path in a snapshot's header does not count.
fn every_code_has_a_rendered_snapshot() -> Result<(), Failed> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "snap") {
            text.push_str(&std::fs::read_to_string(&path).map_err(|e| e.to_string())?);
        }
    }
    let seen = sds::codes::ALL
        .iter()
        .filter(|c| {
            text.contains(&format!("{}({})", c.as_str(), c.name()))
                || text.contains(&format!("\"code\": \"{}\"", c.as_str()))
        })
        .map(|c| c.as_str().to_owned())
        .collect();
    missing(&seen, "a rendered snapshot in tests/snapshots")
}

#[cfg(unix)]
fn unreadable_paths_are_findings_and_the_run_goes_on() -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    std::fs::copy("tests/fixtures/reports/pass.yaml", root.join("b-good.yaml"))?;
    std::os::unix::fs::symlink(root.join("nowhere.yaml"), root.join("a-dangling.yaml"))?;
    std::fs::create_dir(root.join("c-loop"))?;
    std::os::unix::fs::symlink(root.join("c-loop"), root.join("c-loop/self"))?;
    let r = root.to_string_lossy();
    // Through the binary: the exit status is part of what is checked.
    let (v, code) = json(&[
        "check",
        "--checklist",
        &format!("{}/{MINI}", env!("CARGO_MANIFEST_DIR")),
        &r,
    ]);
    assert_eq!(code, 1);
    let reports = v["reports"].as_array().ok_or("no reports")?;
    let codes: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or("-"),
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
    // SDS005 has no fixture file (git cannot hold an unreadable path): its
    // rendered snapshot comes from here, the temporary folder masked.
    let run = sds::engine::check(Options {
        paths: vec![root.join("a-dangling.yaml")],
        checklists: vec![MINI.into()],
        keep_sources: true,
        ..Options::default()
    })
    .map_err(|e| e.to_string())?;
    // Wide enough that the temporary path's length cannot move a line break.
    let text = human_at(&run, 1000).replace(&*r, "[TMP]");
    insta::assert_snapshot!("SDS005__dangling-link", text);
    Ok(())
}
