use super::*;
use crate::codes::Code;
use crate::finding::Finding as EngineFinding;
use crate::load::Span;
use crate::outcome::Outcome;

fn options(shard: Option<&str>) -> Options {
    Options {
        fail_on: FailOn::Error,
        min_score: None,
        verify_evidence: false,
        as_of: None,
        allow_empty: false,
        shard: shard.map(ToOwned::to_owned),
        baseline: None,
        waivers: None,
        limits: Limits {
            max_file_size: 1,
            max_depth: 1,
            max_alias_values: 1,
            max_values: 1,
        },
        config: None,
        severity: Vec::new(),
    }
}

#[test]
fn shards_are_read_only_as_sds_writes_them() {
    assert_eq!(options(None).shard(), Ok((1, 1)));
    assert_eq!(options(Some("2/3")).shard(), Ok((2, 3)));
    assert_eq!(options(Some("12/12")).shard(), Ok((12, 12)));
    for bad in [
        "0/3", "4/3", "02/3", "2/03", " 2/3", "+2/3", "2", "2/3/4", "a/b", "/",
    ] {
        assert!(options(Some(bad)).shard().is_err(), "{bad}");
    }
}

#[test]
fn codes_severities_and_dates_are_exact() {
    let f = |code: &str, severity: &str| {
        serde_json::from_value::<Finding>(serde_json::json!({
            "code": code, "name": "threshold-violated", "severity": severity,
            "item": null, "message": "m", "line": 1, "column": 1,
        }))
    };
    assert!(f("SDS031", "error").is_ok());
    assert!(f("sds031", "error").is_err());
    assert!(f("threshold-violated", "error").is_err());
    assert!(f("SDS031", "Error").is_err());
    assert!(f("SDS031", "critical").is_err());
    let r = |d: &str| {
        let mut v = serde_json::to_value(Report::from(&Outcome::new("a"))).unwrap();
        v["as_of"] = d.into();
        serde_json::from_value::<Report>(v)
    };
    assert!(r("2025-09-30").is_ok());
    assert!(r("2025-9-30").is_err());
    assert!(r("2025-02-30").is_err());
}

#[test]
fn a_report_round_trips() {
    let mut o = Outcome::new("r.yaml");
    o.id = Some("R".into());
    let mut f = EngineFinding::new(
        Code::ThresholdViolated,
        Span {
            end: 5,
            ..Span::at(crate::source::FileId(0), 3)
        },
        "too high",
    )
    .item("SDS-CRASH-001");
    f.at = crate::source::Location { line: 7, col: 9 };
    f.pointer = Some("/results/0".into());
    o.findings.push(f.clone());
    f.baselined = true;
    f.code = Code::Failed;
    o.findings.push(f);
    let wire = Report::from(&o);
    assert_eq!(wire.findings.len(), 1);
    assert_eq!(wire.baselined.len(), 1);
    let text = serde_json::to_string(&wire).unwrap();
    let back: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(back, wire);
    let o2 = back.into_outcome().unwrap();
    assert_eq!(Report::from(&o2), wire);
}
