//! The gate cannot be fooled. The metamorphic property of PRODUCT.md §7:
//! every gap-making mutation of a passing report makes `sds check` fail, run
//! through the real binary. The base is the bundled BEV example, which passes
//! 1.1.0 at 100 %; each mutation kind is applied at several places of it and
//! each must turn the verdict to "fail". Every new way to fool the gate that
//! anyone finds becomes a row of `mutations()`.

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
        }
    }
    assert!(
        passed.is_empty(),
        "mutations that did not fail the gate: {passed:#?}"
    );
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

#[test]
fn two_different_checklists_with_one_version_are_refused_identical_copies_are_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/fixtures/checklists/mini/1.0.0.yaml").unwrap();
    let a = write(dir.path(), "a/mini.yaml", &text);
    let b = write(dir.path(), "b/mini.yaml", &text);
    let pass = "tests/fixtures/reports/pass.yaml";
    let (_, code) = json(&["check", "--checklist", &a, "--checklist", &b, pass]);
    assert_ne!(code, 2, "identical copies are one checklist");
    let changed = write(
        dir.path(),
        "c/mini.yaml",
        &text.replace("{metric: hic15, max: 700}", "{metric: hic15, max: 1000}"),
    );
    let out = sds()
        .args(["check", "--checklist", &a, "--checklist", &changed, pass])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (v, code) = json(&["lint", &a, &changed]);
    assert_eq!(code, 1);
    let codes: Vec<String> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().clone())
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, ["SDS108"]);
}

#[test]
fn a_value_a_hair_past_the_bound_fails_and_one_at_the_bound_in_another_unit_passes() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("tests/fixtures/reports/pass.yaml").unwrap();
    let hair = write(
        dir.path(),
        "hair.yaml",
        &base.replace("hic15: 512", "hic15: 700.0000001"),
    );
    let (v, code) = json(&["check", "--checklist", MINI, &hair]);
    assert_eq!(code, 1);
    assert_eq!(v["reports"][0]["findings"][0]["code"], "SDS031");
    // 4.2 cm is exactly 42 mm, the bound: inclusive, and exact through the conversion.
    let at = write(
        dir.path(),
        "at.yaml",
        &base.replace("chest_deflection: 38 mm", "chest_deflection: 4.2 cm"),
    );
    let (v, code) = json(&["check", "--checklist", MINI, &at]);
    assert_eq!(code, 0, "{v:#}");
    // 0.1 + 0.2 style: 9.07 kN written as 9070 N is the bound exactly.
    let n = write(
        dir.path(),
        "n.yaml",
        &base.replace(
            "femur_force: {value: 7200, unit: N}",
            "femur_force: {value: 9070, unit: N}",
        ),
    );
    let (_, code) = json(&["check", "--checklist", MINI, &n]);
    assert_eq!(code, 0);
    let past = write(
        dir.path(),
        "past.yaml",
        &base.replace(
            "femur_force: {value: 7200, unit: N}",
            "femur_force: {value: 9070.000001, unit: N}",
        ),
    );
    let (_, code) = json(&["check", "--checklist", MINI, &past]);
    assert_eq!(code, 1);
}

#[test]
fn unit_less_quantities_are_never_given_the_registry_unit() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("tests/fixtures/reports/pass.yaml").unwrap();
    for (from, to) in [
        ("hic15: 512", "hic15: \"8\""),
        (
            "femur_force: {value: 7200, unit: N}",
            "femur_force: {value: 0}",
        ),
        (
            "femur_force: {value: 7200, unit: N}",
            "femur_force: {value: 0, unit: N, note: x}",
        ),
    ] {
        let p = write(dir.path(), "r.yaml", &base.replace(from, to));
        let (v, code) = json(&["check", "--checklist", MINI, &p]);
        assert_eq!(code, 1, "{to}");
        assert_eq!(v["reports"][0]["findings"][0]["code"], "SDS034", "{to}");
    }
}

#[test]
fn a_waived_item_never_earns_even_when_its_only_other_finding_is_sds035() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string("tests/fixtures/reports/pass.yaml").unwrap();
    let text = base.replace("hic15: 512\n", "hic15: 512\n      hic_extra: 1\n")
        + "waivers:\n  - {item: SDS-CRASH-002, reason: r, approved_by: a, expires: 2099-01-01}\n";
    let text = text.replace(
        "femur_force: {value: 7200, unit: N}",
        "femur_force: {value: 7200, unit: N}\n      femur_extra: 1",
    );
    let p = write(dir.path(), "r.yaml", &text);
    let (v, _) = json(&["check", "--checklist", MINI, &p]);
    let score = &v["reports"][0]["score"];
    assert_eq!(score["waived"], 1, "{v:#}");
    assert_eq!(
        score["earned"].as_u64().unwrap() + 1,
        score["applicable"].as_u64().unwrap(),
        "{v:#}"
    );
}

#[test]
fn a_waiver_glob_star_does_not_reach_sub_folders() {
    let dir = tempfile::tempdir().unwrap();
    let missing = std::fs::read_to_string("tests/fixtures/codes/SDS020/missing.yaml").unwrap();
    let top = write(dir.path(), "top.yaml", &missing);
    let deep = write(dir.path(), "sub/deep.yaml", &missing);
    let w = write(
        dir.path(),
        "waivers.yaml",
        "sds_waivers: 1\nwaivers:\n  - {item: SDS-RESCUE-001, reason: r, approved_by: a, expires: 2099-01-01, reports: \"*.yaml\"}\n",
    );
    let (v, code) = json(&["check", "--checklist", MINI, "--waivers", &w, &top, &deep]);
    assert_eq!(code, 1, "{v:#}");
    let by_path = |p: &str| {
        v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == p)
            .unwrap()["findings"][0]["code"]
            .clone()
    };
    assert_eq!(by_path(&top), "SDS060");
    assert_eq!(by_path(&deep), "SDS020");
    // The same file named two ways gets one answer.
    let dotted = format!("{}/./top.yaml", dir.path().display());
    let (v, code) = json(&["check", "--checklist", MINI, "--waivers", &w, &dotted]);
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn a_file_waiver_reports_one_problem_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = std::fs::read_to_string("tests/fixtures/codes/SDS020/missing.yaml").unwrap();
    let a = write(dir.path(), "a.yaml", &missing);
    let b = write(dir.path(), "b.yaml", &missing);
    let w = write(
        dir.path(),
        "waivers.yaml",
        "sds_waivers: 1\nwaivers:\n  - {item: SDS-RESCUE-001, reason: r, approved_by: a, expires: 2020-01-01}\n  - {item: SDS-CRASH-001, reason: r, approved_by: a, expires: 2099-01-01}\n",
    );
    let (v, code) = json(&["check", "--checklist", MINI, "--waivers", &w, &a, &b]);
    assert_eq!(code, 1);
    let all: Vec<(String, String)> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        r["path"].as_str().unwrap().to_owned(),
                        f["code"].as_str().unwrap().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let in_file: Vec<&str> = all
        .iter()
        .filter(|(p, _)| p == &w)
        .map(|(_, c)| c.as_str())
        .collect();
    // Expired: SDS061 once, not also SDS062; CRASH-001 cannot be waived: SDS063 (if it mattered) or SDS062, once.
    assert_eq!(
        in_file.iter().filter(|c| **c == "SDS061").count(),
        1,
        "{all:?}"
    );
    assert!(
        !in_file.contains(&"SDS061") || in_file.iter().filter(|c| **c == "SDS062").count() <= 1
    );
    assert_eq!(
        all.iter().filter(|(_, c)| c == "SDS061").count(),
        1,
        "{all:?}"
    );
    // One finding per problem waiver: the expired one SDS061 (not also SDS062),
    // the one that covered nothing SDS062.
    let mut sorted = in_file.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["SDS061", "SDS062"], "{all:?}");
}

#[test]
fn a_report_with_the_same_mini_head_checks() {
    // Guards the helper text above: the head alone is a report with gaps, not an error.
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "r.yaml", &format!("{MINI_HEAD}results: []\n"));
    let (v, code) = json(&["check", "--checklist", MINI, &p]);
    assert_eq!(code, 1);
    assert_eq!(v["reports"][0]["findings"][0]["code"], "SDS020");
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

#[test]
fn any_of_passes_a_vehicle_meeting_only_a_later_alternative() {
    // Only isolation (the third alternative): the bus stays live at 400 V.
    let (v, code) = anyof_run(
        "      hv_bus_voltage: 400\n      insulation_dc: 480 ohm/V\n      insulation_ac: \"0.6 kohm/V\"\n",
        "pass",
    );
    // 0.6 kohm/V is not a unit of the table: that alternative cannot be read.
    assert_eq!(code, 1, "{v:#}");
    let (v, code) = anyof_run(
        "      hv_bus_voltage: 400\n      insulation_dc: 480 ohm/V\n      insulation_ac: \"600 Ω/V\"\n",
        "pass",
    );
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["reports"][0]["score"]["earned"], 1);
}

#[test]
fn any_of_met_by_none_is_one_sds031_naming_each_alternative_with_sds033_for_pass() {
    let (v, code) = anyof_run(
        "      hv_bus_voltage: 400\n      insulation_dc: 80 ohm/V\n",
        "pass",
    );
    assert_eq!(code, 1);
    // At the `measurements:` key (line 10), no SDS032 for alternatives not taken.
    assert_eq!(codes_lines(&v), ["SDS031 10", "SDS033 10"], "{v:#}");
    let message = v["reports"][0]["findings"][0]["message"].as_str().unwrap();
    for part in [
        "(1) hv_bus_voltage = 400 is above its bound (at most 60 V)",
        "(2) lacks hv_bus_energy (must be at most 0.2 J)",
        "(3) insulation_dc = 80 ohm/V is below its bound (at least 100 ohm/V), lacks insulation_ac",
    ] {
        assert!(message.contains(part), "{message}");
    }
    let (v, code) = anyof_run("      hv_bus_voltage: 400\n", "fail");
    assert_eq!(code, 1);
    let got = codes_lines(&v);
    assert_eq!(
        got.iter().filter(|c| c.starts_with("SDS031")).count(),
        1,
        "{got:?}"
    );
    assert!(got.iter().any(|c| c.starts_with("SDS030")), "{got:?}");
}

#[test]
fn any_of_alternatives_show_in_explain_init_and_diff() {
    let out = sds()
        .args(["explain", "--checklist", ANYOF, "SDS-HV-902"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("at least one of these alternatives"),
        "{text}"
    );
    assert!(text.contains("(3)"), "{text}");
    let dir = tempfile::tempdir().unwrap();
    let vehicle = write(
        dir.path(),
        "v.yaml",
        "model: X\nsoftware: \"1\"\nattributes: {powertrain: bev}\n",
    );
    let out = sds()
        .args(["init", "--checklist", ANYOF, "--vehicle", &vehicle])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("#   (3) insulation_dc at least 100 ohm/V"),
        "{text}"
    );
    let fewer = write(
        dir.path(),
        "c.yaml",
        &std::fs::read_to_string(ANYOF)
            .unwrap()
            .replace("version: \"1.0.0\"", "version: \"1.1.0\"")
            .replace("        - [{metric: hv_bus_energy, max: 0.2}]\n", ""),
    );
    let out = sds().args(["diff", ANYOF, &fewer]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("any_of -(hv_bus_energy at most 0.2 J)"),
        "{text}"
    );
}

#[test]
fn init_refuses_a_vehicle_outside_the_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let vehicle = write(
        dir.path(),
        "v.yaml",
        "model: X\nsoftware: \"1\"\nattributes: {powertrain: electric, market: CN}\n",
    );
    let out = sds()
        .args(["init", "--vehicle", &vehicle])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"electric\" is not a declared value of `powertrain`"),
        "{err}"
    );
}

#[test]
fn the_report_schema_for_a_checklist_knows_its_vocabulary() {
    let out = sds()
        .args(["schema", "report", "--checklist", "sds@1.1.0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let as_json = |text: &str| -> serde_json::Value { serde_json::from_str(text).unwrap() };
    let good = as_json(
        "{\"vehicle\": {\"software\": \"1\", \"attributes\": {\"powertrain\": \"bev\", \"features\": [\"ecall\"]}}}",
    );
    let bad = as_json(
        "{\"vehicle\": {\"software\": \"1\", \"attributes\": {\"powertrain\": \"electric\"}}}",
    );
    let errors = |v: &serde_json::Value| {
        validator
            .iter_errors(v)
            .map(|e| e.instance_path().to_string())
            .filter(|p| p.starts_with("/vehicle"))
            .count()
    };
    assert_eq!(errors(&good), 0);
    assert_eq!(errors(&bad), 1);
}

#[test]
fn dropping_a_shard_never_passes() {
    // Two reports, one with a gap; split in two, the failing part dropped.
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(BASE).unwrap();
    write(dir.path(), "reports/a.yaml", &good);
    write(
        dir.path(),
        "reports/b.yaml",
        &good.replacen("    status: pass\n", "    status: fail\n", 1),
    );
    let reports = dir.path().join("reports");
    let mut parts = Vec::new();
    for i in 1..=2 {
        let out = dir.path().join(format!("part{i}.json"));
        let shard = format!("{i}/2");
        let _ = sds()
            .args([
                "check",
                "--shard",
                &shard,
                "--format",
                "json",
                "--output",
                out.to_str().unwrap(),
                reports.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        parts.push(out.to_string_lossy().into_owned());
    }
    let all = sds()
        .args(["merge", &parts[0], &parts[1]])
        .output()
        .unwrap();
    assert_eq!(all.status.code(), Some(1), "both parts: the gap fails");
    let one = sds().args(["merge", &parts[0]]).output().unwrap();
    assert_eq!(one.status.code(), Some(2), "a part missing is refused");
}
