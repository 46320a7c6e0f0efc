//! The gate cannot be fooled. The metamorphic property of PRODUCT.md §7:
//! every gap-making mutation of a passing report makes `sds check` fail, run
//! through the real binary. The base is the bundled BEV example, which passes
//! 1.1.0 at 100 %; each mutation kind is applied at several places of it and
//! each must turn the verdict to "fail". Every new way to fool the gate that
//! anyone finds becomes a row of `mutations()`.

mod cases;
#[path = "../common/mod.rs"]
mod common;

use common::{MINI, json, sds};
use sds::checklist::{ChecklistSource, source::load_all};
use sds::load::Limits;

const BASE: &str = "examples/bev-pass/report.yaml";

/// The result blocks of a report's text: (item id, first line, end line), lines 0-based.
fn blocks(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(id) = l.strip_prefix("  - item: ") {
            if let Some(last) = out.last_mut() {
                last.2 = i;
            }
            out.push((id.trim().to_owned(), i, lines.len()));
        } else if !l.starts_with(' ')
            && !l.starts_with('#')
            && !l.is_empty()
            && let Some(last) = out.last_mut()
            && last.2 == lines.len()
        {
            last.2 = i;
        }
    }
    out
}

fn lines_of(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn join(lines: &[String]) -> String {
    lines.join("\n") + "\n"
}

/// The passing results that have a line `      <metric>: ...` bounded by a `max`
/// in the bundled 1.1.0, with that line, the metric and the bound.
fn bounded_lines(text: &str) -> Vec<(usize, String, f64, String)> {
    let loaded = load_all(&[ChecklistSource::Bundled], &Limits::default());
    let c = loaded
        .checklists
        .iter()
        .find(|c| c.version.to_string() == "1.1.0")
        .expect("bundled 1.1.0");
    let lines = lines_of(text);
    let mut out = Vec::new();
    for (id, start, end) in blocks(text) {
        let Some(item) = c.item(&id) else { continue };
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let Some((name, _)) = line.trim().split_once(':') else {
                continue;
            };
            if !line.starts_with("      ") || line.starts_with("       ") {
                continue;
            }
            if let Some(b) = item
                .acceptance
                .iter()
                .find(|b| b.metric == name && b.max.is_some())
            {
                let unit = c.metrics[name].unit_text.clone();
                out.push((i, name.to_owned(), b.max.unwrap_or_default(), unit));
            }
        }
    }
    out
}

/// Picks `n` entries spread over `v` (first, last and between).
fn spread<T: Clone>(v: &[T], n: usize) -> Vec<T> {
    if v.len() <= n {
        return v.to_vec();
    }
    (0..n)
        .map(|k| v[k * (v.len() - 1) / (n - 1)].clone())
        .collect()
}

type Mutation = (&'static str, Vec<String>, Vec<&'static str>);

/// The base report, cut up for mutating.
struct Base {
    text: String,
    lines: Vec<String>,
    results: Vec<(String, usize, usize)>,
    bounded: Vec<(usize, String, f64, String)>,
}

impl Base {
    /// The base's text with `edit` applied to its lines.
    fn with(&self, edit: &dyn Fn(&mut Vec<String>)) -> String {
        let mut l = self.lines.clone();
        edit(&mut l);
        join(&l)
    }

    /// The `status: pass` line of the result starting at `start`.
    fn status_line(&self, start: usize) -> usize {
        (start..self.lines.len())
            .find(|&i| self.lines[i].trim() == "status: pass")
            .unwrap_or(start)
    }
}

/// Every gap-making mutation kind, each at up to two places of the base (the
/// first and the last result, so both ends of the file are reached).
fn mutations(base: &str) -> Vec<Mutation> {
    let b = Base {
        text: base.to_owned(),
        lines: lines_of(base),
        results: blocks(base),
        bounded: bounded_lines(base),
    };
    let mut out: Vec<Mutation> = Vec::new();
    result_mutations(&b, &mut out);
    bad_waiver_mutations(&b, &mut out);
    bound_mutations(&b, &mut out);
    file_mutations(&b, &mut out);
    out
}

/// Mutations of a whole result: dropped, its status, dates, evidence.
fn result_mutations(b: &Base, out: &mut Vec<Mutation>) {
    let results = &b.results;
    let mut add = |name: &'static str, text: String, args: Vec<&'static str>| {
        out.push((name, vec![text], args));
    };
    let with = |edit: &dyn Fn(&mut Vec<String>)| b.with(edit);
    let status_line = |start: usize| b.status_line(start);
    for (id, start, end) in spread(results, 2) {
        add(
            "drop a result",
            with(&|l| {
                l.drain(start..end);
            }),
            vec![],
        );
        for to in ["fail", "not_tested"] {
            add(
                "change a status",
                with(&|l| l[status_line(start)] = format!("    status: {to}")),
                vec![],
            );
        }
        add(
            "misspell the item id",
            with(&|l| l[start] = format!("  - item: {id}X")),
            vec![],
        );
        add(
            "drop an evidence entry",
            with(&|l| {
                if let Some(i) = (start..end).find(|&i| l[i].contains("{kind: ")) {
                    l.remove(i);
                }
            }),
            vec![],
        );
        add(
            "date a result after the report",
            with(&|l| {
                if let Some(i) = (start..end).find(|&i| l[i].starts_with("    tested_on: ")) {
                    l[i] = "    tested_on: 2099-01-01".into();
                }
            }),
            vec![],
        );
        add(
            "send an evidence path out of the folder",
            with(&|l| {
                if let Some(i) = (start..end).find(|&i| l[i].contains("path: evidence/")) {
                    l[i] = l[i].replace("path: evidence/", "path: ../../");
                }
            }),
            vec![],
        );
        add(
            "send an evidence path out and waive the item in the report",
            with(&|l| {
                if let Some(i) = (start..end).find(|&i| l[i].contains("path: evidence/")) {
                    l[i] = l[i].replace("path: evidence/", "path: /etc/");
                }
                l.push(format!("waivers:\n  - {{item: {id}, reason: accepted, approved_by: Q. Lead, expires: 2099-12-31}}"));
            }),
            vec![],
        );
        add(
            "duplicate a result with another status",
            with(&|l| {
                let copy: Vec<String> = l[start..end].to_vec();
                let at = end;
                for (k, line) in copy.into_iter().enumerate() {
                    let line = if line.trim() == "status: pass" {
                        "    status: fail".into()
                    } else {
                        line
                    };
                    l.insert(at + k, line);
                }
            }),
            vec![],
        );
    }
}

/// A result dropped and "waived" in the report by a waiver that cannot hold.
fn bad_waiver_mutations(b: &Base, out: &mut Vec<Mutation>) {
    let bad = [
        (
            "drop a result and waive it with a blank reason",
            "reason: \" \", approved_by: Q. Lead, expires: 2099-12-31",
        ),
        (
            "drop a result and waive it with a blank approver",
            "reason: accepted, approved_by: \"\\t\", expires: 2099-12-31",
        ),
        (
            "drop a result and waive it with an expired waiver",
            "reason: accepted, approved_by: Q. Lead, expires: 2020-01-01",
        ),
    ];
    for (id, start, end) in spread(&b.results, 2) {
        for (name, fields) in bad {
            let text = b.with(&|l| {
                l.drain(start..end);
                l.push(format!("waivers:\n  - {{item: {id}, {fields}}}"));
            });
            out.push((name, vec![text], vec![]));
        }
    }
}

/// Mutations of a measurement past its bound, in every spelling.
fn bound_mutations(b: &Base, out: &mut Vec<Mutation>) {
    let bounded = &b.bounded;
    let mut add = |name: &'static str, text: String, args: Vec<&'static str>| {
        out.push((name, vec![text], args));
    };
    let with = |edit: &dyn Fn(&mut Vec<String>)| b.with(edit);
    for (i, name, max, unit) in spread(bounded, 2) {
        let indent = "      ";
        // The bound plus a hair, written as text: exact, no tolerance.
        let hair = if max.fract() == 0.0 {
            format!("{max}.0000001")
        } else {
            format!("{max}0000001")
        };
        add(
            "move a value a hair past its bound",
            with(&|l| l[i] = format!("{indent}{name}: {hair}")),
            vec![],
        );
        let other = sds::units::TABLE.iter().find(|u| {
            sds::units::lookup(&unit).is_some_and(|m| m.dimension == u.dimension)
                && u.symbol != unit
                && u.symbol != "°C"
                && u.symbol != "degF"
                && u.symbol != "°F"
                && u.symbol != "K"
        });
        if let (Some(other), Some(m)) = (other, sds::units::lookup(&unit)) {
            // 1 % (or one unit) past the bound, in another unit of the dimension.
            let past = max + (max.abs() * 0.01).max(1.0);
            let exact = sds::units::parse_exact(&format!("{past}")).unwrap();
            let v = sds::units::approx(&other.from_canonical(&m.to_canonical(&exact)));
            add(
                "move a value past its bound in another unit",
                with(&|l| l[i] = format!("{indent}{name}: \"{v:.9} {}\"", other.symbol)),
                vec![],
            );
        }
        for (kind, value) in [
            (
                "write a number without its unit as text",
                "\"0\"".to_owned(),
            ),
            ("write a map without a unit", "{value: 0}".to_owned()),
            (
                "write a map with an extra key",
                format!("{{value: 0, unit: \"{unit}\", approx: true}}"),
            ),
            ("write NaN", ".nan".to_owned()),
            ("write a boolean", "true".to_owned()),
            ("write a list", "[0]".to_owned()),
            ("write a value too large to hold", "1e999".to_owned()),
            ("write a unit of another dimension", "\"1 kg\"".to_owned()),
            ("write a negative magnitude", "-1".to_owned()),
        ] {
            add(
                kind,
                with(&|l| l[i] = format!("{indent}{name}: {value}")),
                vec![],
            );
        }
        add(
            "drop a bounded measurement",
            with(&|l| {
                l.remove(i);
            }),
            vec![],
        );
    }
}

/// Mutations of the vehicle, the header and the options.
fn file_mutations(b: &Base, out: &mut Vec<Mutation>) {
    let base = b.text.as_str();
    let results = &b.results;
    let mut add = |name: &'static str, text: String, args: Vec<&'static str>| {
        out.push((name, vec![text], args));
    };
    let with = |edit: &dyn Fn(&mut Vec<String>)| b.with(edit);
    // Vehicle attributes: an invented or misspelt value never removes an item.
    let hv: Vec<(String, usize, usize)> = results
        .iter()
        .filter(|(id, ..)| id.starts_with("SDS-HV-"))
        .cloned()
        .collect();
    for spelling in ["electric", "BEV", "bev ", ""] {
        add(
            "misspell the powertrain and drop every HV result",
            with(&|l| {
                for (_, start, end) in hv.iter().rev() {
                    l.drain(*start..*end);
                }
                for line in l.iter_mut() {
                    if line.contains("attributes: {powertrain: bev") {
                        *line =
                            line.replace("powertrain: bev", &format!("powertrain: \"{spelling}\""));
                    }
                }
            }),
            vec![],
        );
    }
    add(
        "state the powertrain as an empty list and drop every HV result",
        with(&|l| {
            for (_, start, end) in hv.iter().rev() {
                l.drain(*start..*end);
            }
            for line in l.iter_mut() {
                if line.contains("attributes: {powertrain: bev") {
                    *line = line.replace("powertrain: bev", "powertrain: []");
                }
            }
        }),
        vec![],
    );
    add(
        "state the features as one string",
        with(&|l| {
            for line in l.iter_mut() {
                if let Some(at) = line.find("features: [") {
                    *line = format!("{}features: \"highway_noa, fast_charge\"}}", &line[..at]);
                }
            }
        }),
        vec![],
    );
    add(
        "name a checklist version that is not loaded",
        base.replace("version: \"1.1.0\"}", "version: \"1.1.9\"}"),
        vec![],
    );
    add(
        "repeat a key",
        base.replacen(
            "    status: pass\n",
            "    status: pass\n    status: pass\n",
            1,
        ),
        vec![],
    );
    add(
        "age the results past their validity (gating warnings)",
        with(&|l| {
            for x in l.iter_mut().filter(|x| x.starts_with("    tested_on: ")) {
                *x = "    tested_on: 2001-01-01".into();
            }
        }),
        vec!["--fail-on", "warning"],
    );
    add(
        "judge the report ten years later (gating warnings)",
        base.to_owned(),
        vec!["--as-of", "2036-01-01", "--fail-on", "warning"],
    );
    add(
        "demand a score the report cannot have",
        with(&|l| {
            let (_, start, end) = &results[0];
            l.drain(*start..*end);
        }),
        vec!["--fail-on", "never", "--min-score", "100"],
    );
}

#[test]
fn the_base_report_passes() {
    let (v, code) = json(&["check", BASE]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["reports"][0]["score"]["percent"], 100.0);
}

#[test]
fn every_gap_making_mutation_fails_the_gate() {
    let base = std::fs::read_to_string(BASE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let all = mutations(&base);
    let kinds: std::collections::BTreeSet<&str> = all.iter().map(|m| m.0).collect();
    assert!(kinds.len() >= 20, "only {} mutation kinds", kinds.len());
    let mut passed = Vec::new();
    for (n, (kind, texts, args)) in all.iter().enumerate() {
        for text in texts {
            assert!(
                !args.is_empty() || text != &base,
                "{kind}: the mutation changed nothing"
            );
            let path = dir.path().join(format!("m{n}.yaml"));
            std::fs::write(&path, text).unwrap();
            let mut a = vec!["check", path.to_str().unwrap()];
            a.extend(args.iter().copied());
            let out = sds().args(&a).output().unwrap();
            if out.status.code() != Some(1) {
                passed.push(format!("{kind} (#{n}): exit {:?}", out.status.code()));
            }
            if let Some(why) = whole_run_formats_pass(dir.path(), &a) {
                passed.push(format!("{kind} (#{n}): {why}"));
            }
        }
    }
    assert!(
        passed.is_empty(),
        "mutations that did not fail the gate: {passed:#?}"
    );
}

/// The same check written as JSON, SARIF, JUnit, Markdown and HTML at once
/// (the report-by-report path of the whole-run formats): why it did not fail
/// in every one of them, if it did not. A missing or unreadable output counts
/// as not failing.
fn whole_run_formats_pass(dir: &std::path::Path, check: &[&str]) -> Option<String> {
    let out_of = |ext: &str| dir.join(format!("all.{ext}"));
    let mut a: Vec<String> = check.iter().map(|s| (*s).to_owned()).collect();
    for f in ["sarif", "junit", "markdown", "html"] {
        a.extend(["--format".into(), f.into(), "--output".into()]);
        a.push(out_of(f).to_string_lossy().into_owned());
    }
    a.extend(["--format".into(), "json".into()]);
    let out = sds().args(&a).output().unwrap();
    if out.status.code() != Some(1) {
        return Some(format!("several outputs: exit {:?}", out.status.code()));
    }
    let read = |ext: &str| std::fs::read_to_string(out_of(ext)).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let sarif: serde_json::Value = serde_json::from_str(&read("sarif")).unwrap_or_default();
    let (junit, markdown, html) = (read("junit"), read("markdown"), read("html"));
    let verdicts = [
        ("json", json["verdict"] == "fail"),
        (
            "sarif",
            sarif["runs"][0]["invocations"][0]["properties"]["verdict"] == "fail",
        ),
        (
            "junit",
            junit.contains("name=\"run.verdict\" value=\"fail\"") || !junit.contains("run.verdict"),
        ),
        ("markdown", markdown.contains(": FAIL")),
        (
            "html",
            html.contains("<span class=\"verdict fail\">FAIL</span>"),
        ),
    ];
    let wrong: Vec<&str> = verdicts.iter().filter(|v| !v.1).map(|v| v.0).collect();
    (!wrong.is_empty()).then(|| format!("a passing verdict in {wrong:?}"))
}

// ---- Cases of the trust issue, each through the real binary. ----

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

const MINI_HEAD: &str = "sds_report: 1\nchecklist: {id: mini, version: \"1.0.0\"}\nvehicle:\n  software: \"1.0.0\"\n  attributes: {powertrain: ice}\nreport: {id: R-1, issued: 2025-09-30}\n";

#[test]
fn a_report_with_no_applicable_points_has_no_percentage_and_fails_min_score() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = write(
        dir.path(),
        "c.yaml",
        "sds_checklist: 1\nid: only-bev\nversion: \"1.0.0\"\ntitle: t\ntotal_points: 1\nevidence_kinds: [test_report]\nvehicle_attributes:\n  powertrain: {values: [bev, ice]}\ndomains:\n  - {id: HV, title: HV}\nmetrics: {}\nitems:\n  - {id: SDS-HV-001, domain: HV, title: t, scenario: {description: d}, severity: major, applies_when: {powertrain: [bev]}, references: [r]}\n",
    );
    let report = write(
        dir.path(),
        "r.yaml",
        "sds_report: 1\nchecklist: {id: only-bev, version: \"1.0.0\"}\nvehicle:\n  software: \"1\"\n  attributes: {powertrain: ice}\nreport: {id: R, issued: 2025-01-01}\nresults: []\n",
    );
    let (v, code) = json(&["check", "--checklist", &checklist, &report]);
    assert_eq!(code, 0);
    assert_eq!(v["reports"][0]["score"]["percent"], serde_json::Value::Null);
    let (_, code) = json(&[
        "check",
        "--checklist",
        &checklist,
        "--min-score",
        "95",
        &report,
    ]);
    assert_eq!(code, 1, "no applicable point never meets --min-score");
    let out = sds()
        .args(["check", "--checklist", &checklist, &report])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("n/a"));
}

#[test]
fn min_score_must_be_a_finite_percentage() {
    for bad in ["NaN", "inf", "-1", "100.5", "x"] {
        let out = sds()
            .args(["check", "--min-score", bad, BASE])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--min-score {bad}");
    }
}

#[test]
fn a_float_validity_is_refused_not_silently_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/fixtures/checklists/mini/1.0.0.yaml")
        .unwrap()
        .replace("validity_days: 365", "validity_days: 730.0");
    let c = write(dir.path(), "mini.yaml", &text);
    let (v, code) = json(&["lint", &c]);
    assert_eq!(code, 1);
    assert_eq!(v["reports"][0]["findings"][0]["code"], "SDS002");
    let out = sds()
        .args([
            "check",
            "--checklist",
            &c,
            "tests/fixtures/reports/pass.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// ---- `any_of` acceptance ----

const ANYOF: &str = "tests/fixtures/checklists/anyof/1.0.0.yaml";

fn anyof_report(measurements: &str, status: &str) -> String {
    format!(
        "sds_report: 1\nchecklist: {{id: anyof, version: \"1.0.0\"}}\nvehicle:\n  software: \"1\"\n  attributes: {{powertrain: bev}}\nreport: {{id: R, issued: 2025-01-01}}\nresults:\n  - item: SDS-HV-902\n    status: {status}\n    measurements:\n{measurements}    evidence:\n      - {{kind: test_report, path: e.pdf}}\n"
    )
}

fn anyof_run(measurements: &str, status: &str) -> (serde_json::Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "r.yaml", &anyof_report(measurements, status));
    json(&["check", "--checklist", ANYOF, &p])
}

fn codes_lines(v: &serde_json::Value) -> Vec<String> {
    v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["code"].as_str().unwrap(), f["line"]))
        .collect()
}
