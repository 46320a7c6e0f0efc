//! Tests of `trust`, continued (the file is split to stay under 600 lines).

use super::*;

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
