//! The formats CI systems read, driven through the real binary: GitHub
//! workflow commands, GitLab Code Quality JSON, the concise one-line format,
//! and SARIF's fingerprints, help links and suppressions.

#[path = "../common/mod.rs"]
mod common;
mod people_options;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{MINI, sarif_validator, sds};
use serde_json::Value;

/// A fresh folder under the test's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("ci_formats")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `sds check ARGS --format FORMAT` and the same check as JSON in one
/// run; returns the format's standard output and the JSON document.
fn with_json(args: &[&str], format: &str, name: &str) -> (String, Value) {
    let json_path = temp_dir(name).join("out.json");
    let out = sds()
        .arg("check")
        .args(args)
        .args(["--format", "json", "--output"])
        .arg(&json_path)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    (String::from_utf8(out.stdout).unwrap(), json)
}

/// (path, line, column, code, message) of every finding of a JSON output (not baselined).
fn json_findings(v: &Value) -> Vec<(String, u64, u64, String, String)> {
    let mut out = Vec::new();
    for r in v["reports"].as_array().unwrap() {
        for f in r["findings"].as_array().unwrap() {
            out.push((
                r["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

// ------------------------------------------------------------------ github

/// Undoes GitHub's escaping (the inverse of `@actions/core`'s `escapeData` /
/// `escapeProperty`), so a test can compare with the JSON text.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Parses one workflow command `::cmd k=v,k=v::data` strictly: the command
/// is known, the property names are GitHub's, no property value holds a raw
/// `:` or `,`, and nothing (value or data) holds a raw CR or LF.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, data) = rest.split_once("::").expect("has a second ::");
    let (cmd, props) = head.split_once(' ').expect("has properties");
    assert!(
        ["error", "warning", "notice"].contains(&cmd),
        "unknown command {cmd}"
    );
    assert!(!data.contains('\n') && !data.contains('\r'));
    let props: Vec<(String, String)> = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("k=v");
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&k),
                "unknown property {k}"
            );
            assert!(!v.contains(':'), "raw `:` in property {k}={v}");
            (k.to_owned(), unescape(v))
        })
        .collect();
    // Every `%` is an escape: `%25`, `%0D`, `%0A` (and `%3A`, `%2C` in properties).
    for part in [head, data] {
        for (i, _) in part.match_indices('%') {
            let esc = &part[i..(i + 3).min(part.len())];
            assert!(
                ["%25", "%0D", "%0A", "%3A", "%2C"].contains(&esc),
                "a raw % in {line:?}"
            );
        }
    }
    (cmd.to_owned(), props, unescape(data))
}

#[test]
fn github_format_is_one_workflow_command_per_finding() {
    let (out, json) = with_json(&["examples/"], "github", "github");
    let expected = json_findings(&json);
    let lines: Vec<&str> = out.lines().collect();
    let (commands, rest): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| l.starts_with("::"));
    assert_eq!(commands.len(), expected.len(), "{out}");
    assert_eq!(rest.len(), 1, "one summary line: {rest:?}");
    assert!(rest[0].contains("gate: FAIL"), "{}", rest[0]);
    for (line, (path, l, c, code, message)) in commands.iter().zip(&expected) {
        let (cmd, props, data) = parse_command(line);
        let get = |k: &str| props.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("file").as_deref(), Some(path.as_str()));
        assert_eq!(get("line"), Some(l.to_string()));
        assert_eq!(get("col"), Some(c.to_string()));
        assert!(get("title").unwrap().starts_with(code.as_str()));
        assert!(
            data.starts_with(message.as_str()),
            "{data:?} vs {message:?}"
        );
        let f = json["reports"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap())
            .find(|f| f["code"] == code.as_str() && f["line"] == *l)
            .unwrap();
        let want = match f["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "notice",
        };
        assert_eq!(cmd, want);
    }
}

#[test]
fn github_format_escapes_report_text_so_it_cannot_forge_commands() {
    let dir = temp_dir("github-escape");
    let report = std::fs::read_to_string("tests/fixtures/reports/pass.yaml").unwrap();
    // An unknown item id holding every character GitHub's syntax gives meaning to.
    let evil = report.replace(
        "  - item: SDS-RESCUE-001\n",
        "  - item: \"X:1,50%\\n::error file=forged.yaml::forged\\r\"\n    status: pass\n  - item: SDS-RESCUE-001\n",
    );
    std::fs::write(dir.join("r.yaml"), evil).unwrap();
    let path = dir.join("r.yaml");
    let (out, json) = with_json(
        &[path.to_str().unwrap(), "--checklist", MINI],
        "github",
        "github-escape-out",
    );
    let expected = json_findings(&json);
    assert!(
        expected.iter().any(|f| f.4.contains("forged")),
        "the message quotes the id: {expected:?}"
    );
    let commands: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(commands.len(), expected.len(), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("::error file=forged")),
        "{out}"
    );
    for (line, f) in commands.iter().zip(&expected) {
        let (_, props, data) = parse_command(line);
        assert!(data.starts_with(&f.4), "{data:?} vs {:?}", f.4);
        let title = &props.iter().find(|(k, _)| k == "title").unwrap().1;
        assert!(title.starts_with(&f.3));
    }
}

// ------------------------------------------------------------------ gitlab

fn gitlab_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/ci/gitlab-code-quality.schema.json").unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn gitlab_format_is_a_code_quality_report() {
    let (out, json) = with_json(&["examples/"], "gitlab", "gitlab");
    let v: Value = serde_json::from_str(&out).unwrap();
    let validator = gitlab_validator();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let expected = json_findings(&json);
    let issues = v.as_array().unwrap();
    assert_eq!(issues.len(), expected.len());
    for (i, (path, line, _, code, message)) in issues.iter().zip(&expected) {
        assert_eq!(i["location"]["path"], path.as_str());
        assert_eq!(i["location"]["lines"]["begin"], *line);
        assert_eq!(i["check_name"], code.as_str());
        assert!(
            i["description"]
                .as_str()
                .unwrap()
                .ends_with(message.as_str())
        );
    }
    let prints: BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
    // The schema bites: a severity GitLab does not know is refused.
    let mut broken = v.clone();
    broken[0]["severity"] = "error".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn gitlab_of_a_clean_run_is_an_empty_array() {
    let out = sds()
        .args([
            "check",
            "tests/fixtures/reports/pass.yaml",
            "--checklist",
            MINI,
        ])
        .args(["--as-of", "2025-09-30", "--format", "gitlab"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!([]));
}

/// Fingerprints of the gitlab output and of SARIF's `partialFingerprints` for a report.
fn prints(report: &Path, name: &str) -> (Vec<String>, Vec<String>, Vec<u64>) {
    let sarif = temp_dir(name).join("out.sarif");
    let out = sds()
        .arg("check")
        .arg(report)
        .args(["--format", "sarif", "--output"])
        .arg(&sarif)
        .args(["--format", "gitlab"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let gl = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    let lines = v
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["location"]["lines"]["begin"].as_u64().unwrap())
        .collect();
    let s: Value = serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    let sa = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["sdsMeaning/v1"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    (gl, sa, lines)
}

#[test]
fn fingerprints_follow_meaning_not_lines() {
    let dir = temp_dir("moved");
    let text = std::fs::read_to_string("examples/erev-gaps/report.yaml").unwrap();
    let original = dir.join("report.yaml");
    std::fs::write(&original, &text).unwrap();
    let (gl_a, sa_a, lines_a) = prints(&original, "moved-a");
    // The same report with three comment lines on top: every finding moves down.
    let moved_dir = dir.join("moved");
    std::fs::create_dir_all(&moved_dir).unwrap();
    let moved = moved_dir.join("report.yaml");
    std::fs::write(&moved, format!("# one\n# two\n# three\n{text}")).unwrap();
    let (gl_b, sa_b, lines_b) = prints(&moved, "moved-b");
    assert!(!gl_a.is_empty());
    assert_ne!(lines_a, lines_b, "the findings did move");
    assert_eq!(gl_a, gl_b);
    assert_eq!(sa_a, sa_b);
    assert_eq!(gl_a, sa_a, "one recipe for both formats");
    // A different finding has a different fingerprint.
    let set: BTreeSet<&String> = gl_a.iter().collect();
    assert_eq!(set.len(), gl_a.len());
}

// ------------------------------------------------------------------ concise

#[test]
fn concise_is_one_line_per_finding_then_the_verdict() {
    let (out, json) = with_json(&["examples/"], "concise", "concise");
    let expected = json_findings(&json);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len() + 1, "{out}");
    for (line, (path, l, c, code, message)) in lines.iter().zip(&expected) {
        let prefix = format!("{path}:{l}:{c}: {code} ");
        assert!(line.starts_with(&prefix), "{line:?} vs {prefix:?}");
        assert!(line[prefix.len()..].starts_with(message.as_str()));
    }
    let last = lines.last().unwrap();
    let n = json["summary"]["checked"].as_u64().unwrap();
    let (found, skipped) = (&json["summary"]["found"], &json["summary"]["skipped"]);
    assert!(
        last.starts_with(&format!(
            "found {found} files: {n} reports checked, {skipped} skipped"
        )),
        "{last}"
    );
    assert!(last.ends_with(')') && last.contains("gate: FAIL"), "{last}");
}

// ------------------------------------------------------------------ SARIF

fn assert_valid_sarif(v: &Value) {
    let errors: Vec<String> = sarif_validator()
        .iter_errors(v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_suppressions_help_uri_and_fingerprints() {
    let dir = temp_dir("sarif");
    // A waivers file covering the stale result of the PHEV example.
    let waivers = dir.join("waivers.yaml");
    std::fs::write(
        &waivers,
        "sds_waivers: 1\nwaivers:\n  - item: SDS-ADAS-010\n    reason: \"re-test booked for week 3\"\n    approved_by: \"Q. Manager\"\n    expires: 2099-01-01\n",
    )
    .unwrap();
    // A baseline: the JSON of the run without the waivers file.
    let baseline = dir.join("baseline.json");
    sds()
        .args(["baseline", "examples/erev-gaps", "--output"])
        .arg(&baseline)
        .assert()
        .success();
    let sarif = dir.join("out.sarif");
    sds()
        .args(["check", "examples/", "--format", "sarif", "--output"])
        .arg(&sarif)
        .arg("--waivers")
        .arg(&waivers)
        .arg("--baseline")
        .arg(&baseline)
        .args(["--link-base", "https://example.org/sds/docs/"])
        .assert()
        .code(1);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_valid_sarif(&v);
    let run = &v["runs"][0];
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let id = rule["id"].as_str().unwrap().to_ascii_lowercase();
        assert_eq!(
            rule["helpUri"],
            format!("https://example.org/sds/docs/findings.md#{id}")
        );
    }
    let results = run["results"].as_array().unwrap();
    let kinds = |pred: &dyn Fn(&Value) -> bool| -> Vec<(String, String)> {
        results
            .iter()
            .filter(|r| pred(r))
            .map(|r| {
                let s = &r["suppressions"][0];
                (
                    s["kind"].as_str().unwrap_or("none").to_owned(),
                    s["justification"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    // The report's own waiver (erev-gaps, SDS-ENV-007) is in source.
    let own = kinds(&|r| r["properties"]["item"] == "SDS-ENV-007");
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].0, "inSource");
    assert!(
        own[0].1.starts_with("Headlamp photometry slot booked"),
        "{own:?}"
    );
    // The waivers file is external, with its reason.
    let file = kinds(&|r| r["properties"]["item"] == "SDS-ADAS-010");
    assert_eq!(
        file,
        vec![(
            "external".to_owned(),
            "re-test booked for week 3".to_owned()
        )]
    );
    // Baselined findings are external and `unchanged`; the others carry no suppression.
    let baselined: Vec<&Value> = results
        .iter()
        .filter(|r| r["baselineState"] == "unchanged")
        .collect();
    assert!(!baselined.is_empty());
    for r in &baselined {
        let last = r["suppressions"].as_array().unwrap().last().unwrap();
        assert_eq!(last["kind"], "external");
        assert!(last["justification"].as_str().unwrap().contains("baseline"));
    }
    let unsuppressed = results
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .count();
    assert!(unsuppressed > 0);
    for r in results {
        assert_eq!(
            r["partialFingerprints"]["sdsMeaning/v1"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
    }
    // Without --link-base, no helpUri.
    let plain = sds()
        .args(["check", "examples/", "--format", "sarif"])
        .output()
        .unwrap();
    let p: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(
        p["runs"][0]["tool"]["driver"]["rules"][0]
            .get("helpUri")
            .is_none()
    );
}

// ------------------------------------------------------------------ Markdown

/// A folder of `failing` reports with a gap each and `passing` clean ones (mini checklist).
fn many_reports(name: &str, failing: usize, passing: usize) -> PathBuf {
    let dir = temp_dir(name);
    let pass = std::fs::read_to_string("tests/fixtures/reports/pass.yaml").unwrap();
    let bad = pass
        .replace("hic15: 512", "hic15: 900")
        .replace("      chest_deflection: 38 mm\n", "");
    for i in 0..failing {
        std::fs::write(
            dir.join(format!("f{i:05}.yaml")),
            bad.replace("RPT-PASS", &format!("RPT-F{i}")),
        )
        .unwrap();
    }
    for i in 0..passing {
        std::fs::write(
            dir.join(format!("a{i:05}.yaml")),
            pass.replace("RPT-PASS", &format!("RPT-P{i}")),
        )
        .unwrap();
    }
    dir
}

fn markdown(dir: &Path, extra: &[&str]) -> String {
    let out = sds()
        .arg("check")
        .arg(dir)
        .args(["--checklist", MINI, "--format", "markdown"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn markdown_stays_within_its_budget_failing_reports_first() {
    let dir = many_reports("md-budget", 900, 600);
    for (limit, args) in [
        (sds::render::markdown::DEFAULT_BUDGET, vec![]),
        (65_000, vec!["--markdown-limit", "65000"]),
        (20_000, vec!["--markdown-limit", "20000"]),
    ] {
        let md = markdown(&dir, &args);
        assert!(md.len() <= limit, "{} bytes over {limit}", md.len());
        assert!(
            md.starts_with("## sds check: FAIL"),
            "the verdict always comes first"
        );
        assert!(
            md.contains("Found 1500 files: 1500 reports checked"),
            "counts stay whole"
        );
        // Failing reports come before every passing one.
        let rows: Vec<&str> = md
            .lines()
            .filter(|l| l.starts_with("| ") && l.contains(".yaml | RPT-"))
            .collect();
        let first_pass = rows.iter().position(|r| r.contains("RPT-P"));
        let last_fail = rows.iter().rposition(|r| r.contains("RPT-F"));
        if let (Some(p), Some(f)) = (first_pass, last_fail) {
            assert!(f < p, "a failing row after a passing one at {limit}");
        }
        assert!(
            rows.iter().any(|r| r.contains("RPT-F")),
            "some failing report is listed at {limit}"
        );
        // What was left out is said, and the tables are whole rows.
        assert!(
            md.contains("Shortened to stay within its size budget"),
            "{limit}"
        );
        for line in md.lines().filter(|l| l.starts_with('|')) {
            assert!(line.ends_with('|'), "a cut row: {line}");
        }
        let details = md.matches("<details>").count();
        assert_eq!(details, md.matches("</details>").count());
    }
    // A small run is whole, with no notice.
    let small = many_reports("md-small", 2, 3);
    let md = markdown(&small, &[]);
    assert!(!md.contains("Shortened"), "{md}");
    let rows = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(".yaml |"))
        .count();
    assert_eq!(rows, 5 + 5, "report and domain rows: {md}");
}

#[test]
fn markdown_code_spans_are_literal_and_codes_link_under_link_base() {
    let dir = many_reports("md-code", 1, 0);
    let md = markdown(&dir, &["--link-base", "https://example.org/sds/docs/"]);
    // SDS032's help holds a code span with a placeholder.
    assert!(md.contains("`chest_deflection: <value> mm`"), "{md}");
    assert!(!md.contains("&lt;value&gt;"), "{md}");
    assert!(
        md.contains("[SDS031](https://example.org/sds/docs/findings.md#sds031) threshold-violated"),
        "{md}"
    );
    let plain = markdown(&dir, &[]);
    assert!(plain.contains("| SDS031 threshold-violated |"), "{plain}");
}

// ------------------------------------------------------------------ people's options, rough edges
