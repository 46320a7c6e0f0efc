use super::*;

#[test]
fn every_documented_key_parses_and_paths_are_relative_to_the_file() {
    let s = parse(
        r#"
checklists = ["lists/"]
waivers = "w.yaml"
exclude = "drafts/**"
fail-on = "warning"
min-score = 90
as-of = 2026-01-31
verify-evidence = true
allow-empty = false
skip-non-reports = true
link-base = "https://example.com/sds/docs/"
outputs = [{format = "sarif", path = "out/sds.sarif"}, {format = "human"}]
[severity]
SDS050 = "error"
SDS035 = "note"
"#,
        Path::new("/repo"),
    )
    .unwrap();
    assert_eq!(s.checklists, vec![PathBuf::from("/repo/lists/")]);
    assert_eq!(s.waivers, Some(PathBuf::from("/repo/w.yaml")));
    assert_eq!(s.exclude, vec!["drafts/**".to_owned()]);
    assert_eq!(s.fail_on, Some(FailOn::Warning));
    assert_eq!(s.min_score, Some(90.0));
    assert_eq!(
        s.as_of,
        Some(AsOf::Date(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()))
    );
    assert_eq!(
        s.outputs,
        vec![
            ("sarif".into(), Some(PathBuf::from("/repo/out/sds.sarif"))),
            ("human".into(), None)
        ]
    );
    assert_eq!(
        s.severity,
        vec![
            (Code::UnknownMetric, Severity::Note),
            (Code::StaleResult, Severity::Error)
        ]
    );
}

#[test]
fn an_unknown_key_names_the_nearest() {
    let e = parse("fail_on = \"error\"\n", Path::new("")).unwrap_err();
    assert!(e.contains("unknown key `fail_on`"), "{e}");
    assert!(e.contains("did you mean `fail-on`"), "{e}");
    let e = parse(
        "outputs = [{format = \"json\", paht = \"x\"}]",
        Path::new(""),
    )
    .unwrap_err();
    assert!(e.contains("did you mean `path`"), "{e}");
    let e = parse("[severity]\nSDS501 = \"error\"\n", Path::new("")).unwrap_err();
    assert!(e.contains("not a finding code"), "{e}");
    let e = parse(
        "[severity]\nSDS050 = \"error\"\nstale-result = \"note\"\n",
        Path::new(""),
    )
    .unwrap_err();
    assert!(e.contains("twice"), "{e}");
    // A name mistyped; a key like nothing known lists the keys instead.
    let e = parse("[severity]\nstale-reslt = \"error\"\n", Path::new("")).unwrap_err();
    assert!(e.contains("did you mean stale-result"), "{e}");
    let e = parse("zzzzzz = 1\n", Path::new("")).unwrap_err();
    assert!(
        e.contains("known keys: ") && !e.contains("did you mean"),
        "{e}"
    );
}

#[test]
fn never_waivable_codes_cannot_be_lowered_but_can_be_raised() {
    assert!(parse_override("SDS043=warning").is_err());
    assert!(parse_override("SDS001=note").is_err());
    assert!(parse_override("SDS010=warning").is_err());
    assert!(parse_override("SDS012=note").is_err());
    assert!(parse_override("SDS012=error").is_ok());
    assert!(parse_override("SDS012=warning").is_ok());
    assert!(parse_override("SDS101=warning").is_err());
    assert!(parse_override("SDS050=error").is_ok());
    assert!(parse_override("SDS031=warning").is_ok());
}

#[test]
fn the_command_line_wins_code_by_code() {
    let m = merge_overrides(
        &[
            (Code::StaleResult, Severity::Error),
            (Code::UnknownMetric, Severity::Note),
        ],
        &[(Code::StaleResult, Severity::Note)],
    );
    assert_eq!(m.len(), 2);
    let stale = m.iter().find(|o| o.code == Code::StaleResult).unwrap();
    assert_eq!(stale.severity, Severity::Note);
    assert_eq!(stale.from, OverrideSource::CommandLine);
}
