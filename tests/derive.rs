//! Measurements derived from raw test data, through the real binary: a claim
//! the data supports passes; one it does not is SDS044 at the value; a value
//! taken from the data alone is judged by the bounds; data that cannot be
//! used is SDS045; a data path out of the report's folder is SDS043.
// Sample rates, counts and positions here are small: the casts are exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::{found, json};

const CHECKLIST: &str = "tests/fixtures/checklists/derive";
/// The fixture dataset every case reads (its reference values are in
/// tests/fixtures/isomme/expected.json: HIC15 222.19, a3ms 65.89 g, chest
/// 36.06 mm, femur 5.258 kN).
const T2: &str = "tests/fixtures/isomme/t2-zip-top-crlf.zip";

/// A temporary folder holding `report.yaml` (from `results`) and `data/t2.zip`.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(results: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(root.join(T2), dir.path().join("data/t2.zip")).unwrap();
        let report = format!(
            "sds_report: 1\n\
             checklist: {{id: dmini, version: \"1.0.0\"}}\n\
             vehicle: {{model: Example, software: \"1.0.0\", attributes: {{powertrain: bev}}}}\n\
             report: {{id: RPT-DERIVE, issued: 2026-11-30}}\n\
             results:\n{results}"
        );
        std::fs::write(dir.path().join("report.yaml"), report).unwrap();
        Case { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("report.yaml")
    }

    fn run(&self) -> (serde_json::Value, i32, Vec<String>) {
        let p = self.path();
        let p = p.to_str().unwrap();
        let (v, code) = json(&["check", "--checklist", CHECKLIST, p]);
        let f = found(&v, p);
        (v, code, f)
    }
}

/// Results for both items; `crash1` is the measurements block of SDS-CRASH-001.
fn results(crash1: &str, femur: &str) -> String {
    format!(
        "  - item: SDS-CRASH-001\n    status: pass\n    tested_on: 2026-11-02\n    measurements:\n{crash1}\
         \x20   evidence: [{{kind: test_report, path: data/t2.zip}}]\n\
         \x20 - item: SDS-CRASH-002\n    status: pass\n    tested_on: 2026-11-02\n    measurements:\n\
         \x20     femur_force: {femur}\n      test_speed: 50\n\
         \x20   evidence: [{{kind: test_report, path: data/t2.zip}}]\n"
    )
}

const DATA: &str = "{path: data/t2.zip, position: \"11\"}";

fn head(hic: &str) -> String {
    format!(
        "      hic15: {hic}\n      head_a3ms: {{value: 65.9, unit: g, data: {DATA}}}\n      chest_deflection: {{value: 36.1, unit: mm, data: {DATA}}}\n"
    )
}

#[test]
fn a_claim_within_tolerance_passes_and_is_listed() {
    let c = Case::new(&results(
        &head(&format!("{{value: 223.5, unit: \"1\", data: {DATA}}}")),
        "4.1 kN",
    ));
    let (v, code, f) = c.run();
    assert!(f.is_empty(), "{f:?}");
    assert_eq!(code, 0);
    let derived = v["reports"][0]["derived"].as_array().unwrap();
    assert_eq!(derived.len(), 3);
    let hic = derived.iter().find(|d| d["metric"] == "hic15").unwrap();
    let value = hic["value"].as_f64().unwrap();
    assert!((value - 222.194).abs() < 0.01, "{value}");
    assert_eq!(hic["claimed"], 223.5);
    assert_eq!(hic["channels"].as_array().unwrap().len(), 3);
    let w = hic["window_ms"].as_array().unwrap();
    let width = w[1].as_f64().unwrap() - w[0].as_f64().unwrap();
    assert!(width > 0.0 && width <= 15.0, "{width}");
    assert_eq!(hic["data"], "data/t2.zip");
}

#[test]
fn a_claim_5_percent_off_is_sds044_at_its_value() {
    // 233.3 is 5 % above the data's 222.2; the tolerance is 1 %.
    let c = Case::new(&results(
        &head(&format!("{{value: 233.3, unit: \"1\", data: {DATA}}}")),
        "4.1 kN",
    ));
    let (v, code, f) = c.run();
    // Line 10 of the report, the `233.3` after `      hic15: {value: `.
    assert_eq!(f, vec!["SDS044 10:22"]);
    assert_eq!(code, 1);
    let m = v["reports"][0]["findings"][0]["message"].as_str().unwrap();
    for part in ["233.3", "222.2", "1 %", "window", "11HEAD0000H3ACX0"] {
        assert!(m.contains(part), "{part} not in {m}");
    }
}

#[test]
fn result_level_data_covers_every_derivable_measurement() {
    let crash1 = "      hic15: 233.3\n      head_a3ms: 65.9 g\n      chest_deflection: 36.1 mm\n";
    let r = results(crash1, "4.1 kN").replacen(
        "    measurements:\n",
        &format!("    data: {DATA}\n    measurements:\n"),
        1,
    );
    let (v, _, f) = Case::new(&r).run();
    assert_eq!(f, vec!["SDS044 11:14"]);
    assert_eq!(v["reports"][0]["derived"].as_array().unwrap().len(), 3);
}

#[test]
fn a_derived_only_measurement_past_its_bound_is_sds031() {
    // femur_force max 4.5 kN; the data gives 5.26 kN.
    let c = Case::new(&results(&head("222.2"), &format!("{{data: {DATA}}}")));
    let (v, code, f) = c.run();
    assert_eq!(f, vec!["SDS031 18:20", "SDS033 18:20"]);
    assert_eq!(code, 1);
    let m = v["reports"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(m.contains("derived from its data"), "{m}");
    // And within its bound it passes: the derived value is the measurement.
    let ok = Case::new(&results(&head("222.2"), "4.1 kN"));
    assert!(ok.run().2.is_empty());
}

#[test]
fn a_missing_channel_is_sds045_at_the_data_entry() {
    let crash1 = format!(
        "{}      knee_slider_displacement: {{value: 3, unit: mm, data: {DATA}}}\n",
        head("222.2")
    );
    let (v, code, f) = Case::new(&results(&crash1, "4.1 kN")).run();
    assert_eq!(f, vec!["SDS045 13:54"]);
    assert_eq!(code, 1);
    let m = v["reports"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(m.contains("11KNSLLE00??DSX?"), "{m}");
}

#[test]
fn an_unreadable_zip_is_sds045() {
    let c = Case::new(&results(&head("222.2"), "4.1 kN").replace(
        "      head_a3ms: {value: 65.9, unit: g, data: {path: data/t2.zip",
        "      head_a3ms: {value: 65.9, unit: g, data: {path: data/broken.zip",
    ));
    std::fs::write(
        c.dir.path().join("data/broken.zip"),
        b"PK\x03\x04 truncated",
    )
    .unwrap();
    let (v, _, f) = c.run();
    assert_eq!(f, vec!["SDS045 11:41"]);
    let m = v["reports"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(m.contains("zip"), "{m}");
}

/// Head X/Y/Z channels sampled at `rate` Hz, in a folder dataset.
fn write_head_dataset(dir: &Path, rate: f64) {
    std::fs::create_dir_all(dir.join("Channel")).unwrap();
    std::fs::write(dir.join("LOW.mme"), "Data format :ISO-MME\n").unwrap();
    let mut chn = String::new();
    for (i, axis) in ["X", "Y", "Z"].iter().enumerate() {
        let _ = writeln!(chn, "Name of channel {:03} :11HEAD0000H3AC{axis}0", i + 1);
        let mut s = format!(
            "Unit :g\nSampling interval :{}\nTime of first sample :0\n",
            1.0 / rate
        );
        let n = (0.1 * rate) as usize;
        for k in 0..n {
            let t = k as f64 / rate;
            let v = if i == 0 {
                -60.0 * (std::f64::consts::PI * t / 0.1).sin()
            } else {
                1.0
            };
            let _ = writeln!(s, "{v:.6E}");
        }
        std::fs::write(dir.join(format!("Channel/LOW.{:03}", i + 1)), s).unwrap();
    }
    std::fs::write(dir.join("Channel/LOW.chn"), chn).unwrap();
}

#[test]
fn a_1_khz_head_channel_is_too_coarse_for_cfc_1000() {
    let c = Case::new(&results(
        &head("{value: 300, unit: \"1\", data: {path: data/low, position: \"11\"}}"),
        "4.1 kN",
    ));
    write_head_dataset(&c.dir.path().join("data/low"), 1000.0);
    let (v, _, f) = c.run();
    assert_eq!(f, vec!["SDS045 10:38"]);
    let m = v["reports"][0]["findings"][0]["message"].as_str().unwrap();
    assert!(m.contains("1000 Hz") && m.contains("CFC 1000"), "{m}");
    // The same pulse at 10 kHz derives (and its claim of 300 is then wrong).
    let c = Case::new(&results(
        &head("{value: 300, unit: \"1\", data: {path: data/low, position: \"11\"}}"),
        "4.1 kN",
    ));
    write_head_dataset(&c.dir.path().join("data/low"), 10_000.0);
    assert_eq!(c.run().2, vec!["SDS044 10:22"]);
}

#[test]
fn a_data_path_out_of_the_folder_is_sds043_and_not_read() {
    let c = Case::new(&results(
        &head("{value: 300, unit: \"1\", data: {path: ../outside.zip, position: \"11\"}}"),
        "4.1 kN",
    ));
    let (_, code, f) = c.run();
    assert_eq!(f, vec!["SDS043 10:51"]);
    assert_eq!(code, 1);
}

#[test]
fn one_dataset_named_by_many_reports_is_read_once() {
    use sds::derive::DatasetCache;
    use sds::load::Limits;
    let cache = DatasetCache::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = cache.get(&root.join(T2), &Limits::default()).unwrap();
    let b = cache
        .get(
            &root.join("tests/fixtures/../fixtures/isomme/t2-zip-top-crlf.zip"),
            &Limits::default(),
        )
        .unwrap();
    assert!(a.same_as(&b));
}
