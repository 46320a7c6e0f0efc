//! Issue 11, robustness round 2: inputs that crashed, walked out of their
//! folder, forged the verdict or were silently left out, and outputs that
//! were left half-written. Each test drives the real binary. Time and memory
//! are shown by `benches/hostile.py`, not timed here.

mod common;

use std::path::{Path, PathBuf};

use common::{MINI, fuzz_corpus, sds};

const PASS: &str = "tests/fixtures/reports/pass.yaml";

/// The passing fixture with one bound broken, written as minified JSON (one
/// line) whose failing value stands past column 65,535.
fn minified_failing_report() -> String {
    let text = std::fs::read_to_string(PASS)
        .unwrap()
        .replace("hic15: 512", "hic15: 812")
        .replace(
            "lab: Example Proving Ground",
            &format!("lab: {}", "L".repeat(70_000)),
        );
    let tree = sds::load::parse(&text, &sds::load::Limits::default()).unwrap();
    let json = serde_json::to_string(&tree.to_json()).unwrap();
    assert!(!json.contains('\n'));
    assert!(json.find("812").unwrap() > 65_535);
    json
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_finding_past_column_65535_renders_in_the_human_format() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("minified.json");
    let json = minified_failing_report();
    std::fs::write(&report, &json).unwrap();
    let o = sds()
        .args(["check", "--checklist", MINI])
        .arg(&report)
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // The exact line and column, and a window of the line around the value, not all of it.
    let col = json[..json.find("812").unwrap()].chars().count() + 1;
    assert!(out.contains(&format!("minified.json:1:{col}]")), "{out}");
    assert!(out.contains("812"), "{out}");
    assert!(
        out.len() < 20_000,
        "the whole line was printed: {} bytes",
        out.len()
    );
    assert!(out.contains("gate: FAIL"));
}

#[test]
fn lint_renders_a_finding_past_column_65535() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(format!("{MINI}/1.0.0.yaml")).unwrap();
    let mut tree = sds::load::parse(&text, &sds::load::Limits::default())
        .unwrap()
        .to_json();
    tree["title"] = serde_json::Value::String("T".repeat(70_000));
    // A duplicate item id at the end of the one line: SDS100.
    let items = tree["items"].as_array_mut().unwrap();
    let first = items[0].clone();
    items.push(first);
    let path = dir.path().join("1.0.0.json");
    std::fs::write(&path, serde_json::to_string(&tree).unwrap()).unwrap();
    let o = sds().arg("lint").arg(&path).output().unwrap();
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("SDS100"), "{out}");
}

/// `depth` block sequences nested in one another (`- - - 1`), under a report key.
fn nested(depth: usize) -> String {
    format!("sds_report: 1\nx:\n  {}1\n", "- ".repeat(depth))
}

#[test]
fn max_depth_has_a_proven_ceiling_and_deep_files_never_overflow_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.yaml");
    std::fs::write(&deep, nested(40_000)).unwrap();
    // Above the ceiling is refused before any work, naming the ceiling.
    let o = sds()
        .args(["check", "--checklist", MINI, "--max-depth", "100000"])
        .arg(&deep)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("512"));
    // At the ceiling, 40,000 levels are refused and 512 (the report mapping and 511 lists) are checked, on
    // worker threads (whose stacks are the smallest) and in every format.
    for (depth, expect) in [(40_000, "SDS004"), (511, "SDS002")] {
        std::fs::write(&deep, nested(depth)).unwrap();
        for format in ["human", "json", "sarif", "junit", "markdown", "html"] {
            let o = sds()
                .args([
                    "check",
                    "--checklist",
                    MINI,
                    "--max-depth",
                    "512",
                    "--jobs",
                    "2",
                ])
                .args(["--format", format])
                .arg(&deep)
                .output()
                .unwrap();
            assert_eq!(
                o.status.code(),
                Some(1),
                "{depth} levels, {format}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(stdout(&o).contains(expect), "{depth} levels, {format}");
        }
    }
}

#[test]
fn the_alias_budget_counts_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aliases.yaml");
    // 100 aliases of one 200 KB string: 100 values, but 20 MB of text.
    let text = format!(
        "sds_report: 1\nlong: &s \"{}\"\ncopies: [{}]\n",
        "x".repeat(200_000),
        vec!["*s"; 100].join(", ")
    );
    std::fs::write(&path, text).unwrap();
    let o = sds()
        .args(["check", "--checklist", MINI, "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["reports"][0]["findings"][0];
    assert_eq!(f["code"], "SDS004", "{out}");
    assert!(f["message"].as_str().unwrap().contains("bytes"), "{f}");
}

#[test]
fn a_file_of_too_many_values_is_refused_before_it_fills_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.json");
    let values = vec!["0"; 150_000].join(",");
    std::fs::write(&path, format!("{{\"sds_report\": 1, \"x\": [{values}]}}")).unwrap();
    let o = sds()
        .args(["check", "--checklist", MINI, "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let f = &v["reports"][0]["findings"];
    assert_eq!(f.as_array().unwrap().len(), 1, "{f}");
    assert_eq!(f[0]["code"], "SDS004", "{f}");
}

/// A folder holding one passing report and whatever `build` adds.
fn folder(build: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    std::fs::copy(PASS, reports.join("pass.yaml")).unwrap();
    build(dir.path());
    dir
}

fn check_json(args: &[&std::ffi::OsStr]) -> (Option<i32>, serde_json::Value, String) {
    let o = sds()
        .args(["check", "--checklist", MINI, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let text = stdout(&o);
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (o.status.code(), v, text)
}

/// `(path, codes)` of each report in a JSON output.
fn reports(v: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_owned(),
                r["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["code"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_folder_is_sds005_and_not_followed() {
    let dir = folder(|root| {
        let outside = root.join("outside");
        std::fs::create_dir(&outside).unwrap();
        // A file outside whose line would show in an SDS002 snippet.
        std::fs::write(
            outside.join("secret.yaml"),
            "sds_report: 1\nsecret: hunter2\n",
        )
        .unwrap();
        std::os::unix::fs::symlink(&outside, root.join("reports/out")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.yaml"), root.join("reports/s.yaml"))
            .unwrap();
        std::os::unix::fs::symlink("/", root.join("reports/everything")).unwrap();
        // A link that stays inside is followed.
        std::fs::create_dir(root.join("reports/real")).unwrap();
        std::fs::copy(PASS, root.join("reports/real/inner.yaml")).unwrap();
        std::os::unix::fs::symlink(root.join("reports/real"), root.join("reports/alias")).unwrap();
    });
    let folder = dir.path().join("reports");
    let (code, v, text) = check_json(&[folder.as_os_str()]);
    assert_eq!(code, Some(1));
    assert!(!text.contains("hunter2"), "a file outside was read: {text}");
    let got = reports(&v);
    let named = |suffix: &str| {
        got.iter()
            .find(|(p, _)| p.ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix} in {got:?}"))
            .1
            .clone()
    };
    assert_eq!(named("reports/out"), ["SDS005"]);
    assert_eq!(named("reports/s.yaml"), ["SDS005"]);
    assert_eq!(named("reports/everything"), ["SDS005"]);
    // reports/real/inner.yaml and reports/alias/inner.yaml are one file: checked once.
    assert_eq!(
        got.iter()
            .filter(|(p, _)| p.ends_with("inner.yaml"))
            .count(),
        1,
        "{got:?}"
    );
    assert_eq!(got.len(), 5, "{got:?}");
    // The human format prints no line of the outside file either.
    let o = sds()
        .args(["check", "--checklist", MINI])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(!stdout(&o).contains("hunter2"));
}

#[cfg(unix)]
#[test]
fn fifos_devices_and_links_to_them_are_sds005() {
    let dir = folder(|root| {
        let fifo = root.join("reports/pipe.yaml");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        // A link to a FIFO that has no data-file name of its own.
        let unnamed = root.join("reports/pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&unnamed)
                .status()
                .unwrap()
                .success()
        );
        std::os::unix::fs::symlink(&unnamed, root.join("reports/to-pipe.yml")).unwrap();
        std::os::unix::fs::symlink("/dev/null", root.join("reports/null.json")).unwrap();
    });
    let folder = dir.path().join("reports");
    // The walk leaves the folder for /dev/null only as far as saying so.
    let (_, v, _) = check_json(&[folder.as_os_str()]);
    let got = reports(&v);
    for name in ["pipe.yaml", "to-pipe.yml", "null.json"] {
        let r = got.iter().find(|(p, _)| p.ends_with(name));
        assert_eq!(
            r.map(|r| r.1.clone()),
            Some(vec!["SDS005".to_owned()]),
            "{name}: {got:?}"
        );
    }
    assert_eq!(v["summary"]["found"], 4, "{}", v["summary"]);
}

#[test]
fn one_file_named_several_ways_is_checked_once() {
    let dir = folder(|_| {});
    let folder = dir.path().join("reports");
    let file = folder.join("pass.yaml");
    let dotted: PathBuf = folder.join(".").join("pass.yaml");
    let climbed: PathBuf = folder.join("..").join("reports").join("pass.yaml");
    let (code, v, _) = check_json(&[
        file.as_os_str(),
        dotted.as_os_str(),
        climbed.as_os_str(),
        folder.as_os_str(),
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(reports(&v).len(), 1, "{:?}", reports(&v));
    assert_eq!(v["summary"]["found"], 1);
}

#[test]
fn a_dash_reads_one_report_from_standard_input() {
    let o = sds()
        .args(["check", "--checklist", MINI, "--format", "json", "-", "-"])
        .write_stdin(std::fs::read(PASS).unwrap())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(reports(&v), [("<stdin>".to_owned(), vec![])]);
}

/// No line a report can make print may look like the verdict, and no
/// control character may reach the terminal.
fn assert_unforged(out: &str) {
    for line in out.lines() {
        assert!(
            !line.trim_start().starts_with("gate: PASS"),
            "forged verdict line: {line:?}"
        );
    }
    assert!(
        !out.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a control character reached the output: {out:?}"
    );
}

#[test]
fn control_characters_in_ids_and_file_names_cannot_forge_the_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/fixtures/codes/SDS031/above-max.yaml")
        .unwrap()
        .replace(
            "id: RPT-PASS",
            "id: \"RPT\\e[2K\\rgate: PASS\\ngate: PASS\\u202E\"",
        );
    assert!(text.contains("\\e[2K"), "the fixture changed: {text}");
    let name = if cfg!(unix) {
        "r\u{1b}[2K\rgate: PASS\ngate: PASS.yaml"
    } else {
        "r.yaml"
    };
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    for format in ["human", "markdown", "junit", "html"] {
        let o = sds()
            .args(["check", "--checklist", MINI, "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}");
        let out = stdout(&o);
        assert_unforged(&out);
        if format == "human" {
            assert!(out.contains("\\u{1b}[2K"), "{out}");
            assert!(out.ends_with("gate: FAIL (2 finding(s) at or above --fail-on error)\n"));
        }
    }
}

#[test]
fn several_outputs_are_written_all_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let blocked = dir.path().join("not-a-folder");
    std::fs::write(&blocked, "a file").unwrap();
    let bad = blocked.join("out.sarif");
    let o = sds()
        .args(["check", "--checklist", MINI, PASS])
        .args(["--format", "json", "--output"])
        .arg(&good)
        .args(["--format", "sarif", "--output"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        !good.exists(),
        "one output was written while another failed"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file was left behind"
    );
}

#[test]
fn two_outputs_naming_one_file_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("out.json");
    let b = dir.path().join(".").join("out.json");
    let o = sds()
        .args(["check", "--checklist", MINI, PASS])
        .args(["--format", "json", "--output"])
        .arg(&a)
        .args(["--format", "sarif", "--output"])
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("name one file"));
    assert!(!a.exists());
}

#[test]
fn an_output_in_a_missing_folder_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing").join("out.json");
    let o = sds()
        .args([
            "check",
            "--checklist",
            MINI,
            PASS,
            "--format",
            "json",
            "--output",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn min_score_must_be_a_percentage() {
    for bad in ["NaN", "inf", "-1", "100.5", "abc"] {
        let o = sds()
            .args(["check", "--checklist", MINI, PASS, "--min-score", bad])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "--min-score {bad}");
    }
}

/// Every text input of the `check` fuzz target's corpus, checked in-process
/// against both the mini and the bundled checklists and rendered for people
/// and as JSON: no panic, and every finding's span lies on character
/// boundaries of its text (what the snippets cut at).
#[test]
fn the_fuzz_corpus_checks_and_renders() {
    use sds::checklist::Catalog;
    use sds::checklist::source::{ChecklistSource, load_all};
    use sds::engine::{Options, check_str};
    use sds::load::Limits;
    let catalog = Catalog::new(
        load_all(
            &[
                ChecklistSource::Bundled,
                ChecklistSource::Path(PathBuf::from(MINI)),
            ],
            &Limits::default(),
        )
        .checklists,
    );
    let options = Options::default();
    let style = sds::render::human::Style {
        color: false,
        width: 100,
    };
    let corpus = fuzz_corpus();
    assert!(corpus.len() > 2_000);
    for (name, text) in &corpus {
        let mut o = check_str(name, text, &catalog, &options);
        o.source = Some(text.as_str().into());
        for f in &o.findings {
            let (a, b) = (f.span.start.min(text.len()), f.span.end.min(text.len()));
            assert!(
                text.is_char_boundary(a) && text.is_char_boundary(b),
                "{name}: {f:?}"
            );
        }
        let human = sds::render::human::report(&o, sds::engine::Command::Check, style);
        assert!(
            human.contains(name.as_str()) || o.findings.is_empty(),
            "{name}"
        );
        let json: serde_json::Value = serde_json::from_str(&sds::render::json::report(&o)).unwrap();
        assert_eq!(
            json["findings"].as_array().map(Vec::len),
            Some(o.findings.len()),
            "{name}"
        );
    }
}

/// The whole-run formats keep their pieces in temporary files: with no usable
/// temporary folder the run is exit 2 with the reason, and nothing is written.
#[test]
fn no_temporary_folder_is_exit_2_and_no_output() {
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-tmp");
    std::fs::create_dir_all(&out_dir).unwrap();
    for format in ["sarif", "junit", "markdown", "html"] {
        let target = out_dir.join(format!("out.{format}"));
        let _ = std::fs::remove_file(&target);
        let out = sds()
            .env("TMPDIR", "/nonexistent/sds-tmp")
            .args(["check", "examples/bev-pass", "--format", format, "--output"])
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("cannot create a temporary file"),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!target.exists(), "{format}: a partial output was written");
    }
}
