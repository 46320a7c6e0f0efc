//! The derived-measurements library against independent references: six
//! ISO-MME datasets (folder and zip, LF and CRLF, g and m/s², N and kN, mm
//! and m) whose expected values were computed by pyisomme and a brute-force
//! HIC (tests/fixtures/isomme/README.md says how).

use std::path::{Path, PathBuf};

use sds::derive::{Criterion, DataErrorKind, Dataset, DatasetCache, DeriveSpec, Sign, derive};
use sds::load::Limits;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/isomme")
}

fn spec(v: &Value) -> DeriveSpec {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let f = |k: &str| v.get(k).and_then(Value::as_f64);
    DeriveSpec {
        criterion: s("criterion").as_deref().and_then(Criterion::parse),
        window_ms: f("window_ms"),
        duration_ms: f("duration_ms"),
        location: s("location"),
        over: v
            .get("over")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        dimension: s("dimension"),
        direction: s("direction").and_then(|d| d.chars().next()),
        resultant: v.get("resultant").and_then(Value::as_bool).unwrap_or(false),
        cfc: v
            .get("cfc")
            .and_then(Value::as_u64)
            .map(|c| u32::try_from(c).unwrap()),
        sign: match s("sign").as_deref() {
            Some("compression") => Some(Sign::Compression),
            Some("tension") => Some(Sign::Tension),
            _ => None,
        },
    }
}

fn expected() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(root().join("expected.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

#[test]
fn every_criterion_agrees_with_its_reference_within_0_1_percent() {
    let sets = expected();
    assert!(sets.len() >= 6);
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, set) in &sets {
        let path = root().join(set["path"].as_str().unwrap());
        let data =
            Dataset::open(&path, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let position = set["position"].as_str().unwrap();
        for (metric, exp) in set["expected"].as_object().unwrap() {
            let want = exp["value"].as_f64().unwrap();
            let got = derive(&data, &spec(&exp["derive"]), position)
                .unwrap_or_else(|e| panic!("{name} {metric}: {e}"));
            assert_eq!(got.unit, exp["unit"].as_str().unwrap(), "{name} {metric}");
            let rel = (got.value - want).abs() / want.abs();
            if rel > 0.001 {
                failures.push(format!(
                    "{name} {metric}: derived {} vs reference {want} ({:.4} %)",
                    got.value,
                    rel * 100.0
                ));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 6 * 12);
}

#[test]
fn hic_window_is_whole_samples_and_inside_the_limit() {
    let data = Dataset::open(&root().join("t4-folder-crlf-bom"), &Limits::default()).unwrap();
    let sets = expected();
    let exp = &sets["t4-folder-crlf-bom"]["expected"];
    let d15 = derive(&data, &spec(&exp["hic15"]["derive"]), "11").unwrap();
    let d36 = derive(&data, &spec(&exp["hic36"]["derive"]), "11").unwrap();
    // This pulse is longer than 15 ms: HIC36 finds a longer window and a larger value.
    assert!(d36.value > d15.value * 1.05, "{} {}", d36.value, d15.value);
    let w15 = d15.window.1 - d15.window.0;
    assert!(w15 <= 0.015 + 1e-9 && w15 > 0.010, "{w15}");
    assert!(d36.window.1 - d36.window.0 > 0.015);
    assert_eq!(d15.channels.len(), 3);
    assert!(d15.where_found().starts_with("window "));
}

#[test]
fn folder_mme_path_and_cache_give_one_dataset() {
    let dir = root().join("t1-folder-lf");
    let by_dir = Dataset::open(&dir, &Limits::default()).unwrap();
    let by_mme = Dataset::open(&dir.join("T1FOLDER.mme"), &Limits::default()).unwrap();
    assert_eq!(by_dir.test(), "T1FOLDER");
    assert_eq!(
        by_dir.channel_codes().collect::<Vec<_>>(),
        by_mme.channel_codes().collect::<Vec<_>>()
    );
    let cache = DatasetCache::new();
    let a = cache.get(&dir, &Limits::default()).unwrap();
    let b = cache
        .get(&root().join("./t1-folder-lf"), &Limits::default())
        .unwrap();
    assert_eq!(a.channel_codes().count(), 14);
    assert_eq!(b.test(), a.test());
}

#[test]
fn missing_channel_and_bad_position_are_errors_not_guesses() {
    let data = Dataset::open(&root().join("t2-zip-top-crlf.zip"), &Limits::default()).unwrap();
    let s = DeriveSpec {
        criterion: Some(Criterion::Peak),
        location: Some("KNSLLE00".into()),
        dimension: Some("DS".into()),
        direction: Some('X'),
        cfc: Some(180),
        ..DeriveSpec::default()
    };
    let e = derive(&data, &s, "11").unwrap_err();
    assert_eq!(e.kind, DataErrorKind::MissingChannel);
    assert!(e.message.contains("11KNSLLE00??DSX?"), "{}", e.message);
    // The passenger (13) has no channels in this dataset.
    let head = DeriveSpec {
        location: Some("HEAD0000".into()),
        dimension: Some("AC".into()),
        ..s.clone()
    };
    assert_eq!(
        derive(&data, &head, "13").unwrap_err().kind,
        DataErrorKind::MissingChannel
    );
    assert!(derive(&data, &head, "1").is_err());
}

#[test]
fn too_small_limits_refuse_the_data() {
    let tiny = Limits {
        max_file_size: 1000,
        ..Limits::default()
    };
    let e = Dataset::open(&root().join("t3-zip-flat-upper.zip"), &tiny).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Limit, "{e}");
    let e = Dataset::open(&root().join("t1-folder-lf"), &tiny).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Limit, "{e}");
}

#[test]
fn not_a_dataset() {
    let e = Dataset::open(&root().join("make.py"), &Limits::default()).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Unreadable);
    let e = Dataset::open(&root().join("nope.zip"), &Limits::default()).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Unreadable);
}

mod no_panic {
    //! The reader and every criterion on hostile input, on stable Rust (the
    //! `isomme` fuzz target does the same under libFuzzer).
    use std::io::{Cursor, Write};

    use proptest::prelude::*;
    use sds::derive::{Criterion, Dataset, DeriveSpec, derive};
    use sds::load::Limits;

    fn specs() -> Vec<DeriveSpec> {
        let head = |criterion| DeriveSpec {
            criterion: Some(criterion),
            window_ms: Some(15.0),
            duration_ms: Some(3.0),
            location: Some("HEAD0000".into()),
            dimension: Some("AC".into()),
            resultant: true,
            cfc: Some(1000),
            ..DeriveSpec::default()
        };
        vec![
            head(Criterion::Hic),
            head(Criterion::Exceedance),
            head(Criterion::Peak),
            DeriveSpec {
                resultant: false,
                direction: Some('X'),
                cfc: None,
                ..head(Criterion::Vc)
            },
        ]
    }

    fn derive_all(bytes: Vec<u8>) {
        let limits = Limits {
            max_file_size: 1 << 20,
            ..Limits::default()
        };
        if let Ok(ds) = Dataset::from_zip_bytes("p.zip", bytes, &limits) {
            for s in specs() {
                let _ = derive(&ds, &s, "11");
            }
        }
    }

    fn pack(files: &[(&str, String)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in files {
            w.start_file(*name, o).unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn damaged_archives_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16)) {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            let mut bytes = std::fs::read(root.join("tests/fixtures/isomme/t3-zip-flat-upper.zip")).unwrap();
            for (i, b) in flips {
                let at = i.index(bytes.len());
                bytes[at] = b;
            }
            derive_all(bytes);
        }

        #[test]
        fn any_channel_text_never_panics(
            header in "[ -~\r\n]{0,200}",
            samples in proptest::collection::vec("[-+0-9.eE]{0,12}|NOVALUE|NaN|inf|", 0..40),
            interval in "[-+0-9.eE]{0,8}",
        ) {
            let chn = "Name of channel 001 :11HEAD0000H3ACX0\nName of channel 002 :11HEAD0000H3ACY0\nName of channel 003 :11HEAD0000H3ACZ0\n".to_owned();
            let body = format!("Unit :g\nSampling interval :{interval}\n{header}\n{}\n", samples.join("\n"));
            let good = format!("Unit :g\nSampling interval :1E-4\n{}\n", "1.5\n".repeat(40));
            derive_all(pack(&[
                ("T/T.mme", "Data format :ISO-MME\n".into()),
                ("T/Channel/T.chn", chn),
                ("T/Channel/T.001", body),
                ("T/Channel/T.002", good.clone()),
                ("T/Channel/T.003", good),
            ]));
        }
    }
}
