//! Tests of `lsp`, continued (the file is split to stay under 600 lines).

use super::*;

#[test]
fn completion_offers_what_the_checklist_allows() {
    let mut c = Client::mini();
    let base = read("tests/fixtures/codes/SDS020/missing.yaml");
    let uri = Url::parse("untitled:report.yaml").unwrap();
    // A new result being typed: items without a result, applicable ones first.
    let text = format!("{base}  - item: SDS-\n");
    c.open(&uri, &text);
    let l = labels(&c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text, "  - item: SDS-\n", 14),
    ));
    assert!(l.contains(&"SDS-RESCUE-001".to_owned()), "{l:?}");
    assert!(
        !l.contains(&"SDS-CRASH-001".to_owned()),
        "already reported: {l:?}"
    );
    let items = c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text, "  - item: SDS-\n", 14),
    );
    let all = items.as_array().unwrap();
    let first = all
        .iter()
        .min_by_key(|i| i["sortText"].as_str().unwrap().to_owned())
        .unwrap();
    assert!(!first["detail"].as_str().unwrap().contains("does not apply"));
    // status values
    let text2 = format!("{base}  - item: SDS-RESCUE-001\n    status: \n");
    c.change(&uri, 2, &text2);
    let l = labels(&c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text2, "    status: \n", 12),
    ));
    assert_eq!(l, ["pass", "fail", "not_tested", "not_applicable"]);
    // metrics of the item's acceptance, with their unit
    let text3 = base.replace(
        "      test_speed: 50.2\n",
        "      test_speed: 50.2\n      \n",
    );
    c.change(&uri, 3, &text3);
    let got = c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text3, "50.2\n      \n", 11),
    );
    let l = labels(&got);
    assert_eq!(l, ["femur_force", "test_speed"]);
    assert!(
        got[0]["detail"].as_str().unwrap().starts_with("kN"),
        "{got}"
    );
    // units of the metric's dimension after a number
    let text4 = base
        .replace("hic15: 512", "chest_deflection: 38 ")
        .replace("      chest_deflection: 38 mm\n", "");
    c.change(&uri, 4, &text4);
    let l = labels(&c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text4, "chest_deflection: 38 ", 21),
    ));
    assert!(
        l.contains(&"mm".to_owned()) && l.contains(&"cm".to_owned()) && l.contains(&"m".to_owned()),
        "{l:?}"
    );
    assert!(!l.contains(&"ms".to_owned()), "{l:?}");
    c.shutdown();
}

#[test]
fn completion_offers_evidence_attributes_and_checklists() {
    let mut c = Client::mini();
    let base = read("tests/fixtures/codes/SDS020/missing.yaml");
    let uri = Url::parse("untitled:report.yaml").unwrap();
    c.open(&uri, &base);
    // evidence kinds
    let text5 = base.replace("{kind: video,", "{kind: ,");
    c.change(&uri, 5, &text5);
    let got = c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text5, "{kind: ,", 7),
    );
    let l = labels(&got);
    assert!(
        l.contains(&"video".to_owned()) && l.contains(&"certificate".to_owned()),
        "{l:?}"
    );
    // vehicle attribute values from the checklist's vocabulary
    let text6 = base.replace(
        "attributes: {powertrain: erev,",
        "attributes: {powertrain: ,",
    );
    c.change(&uri, 6, &text6);
    let l = labels(&c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text6, "powertrain: ,", 12),
    ));
    assert_eq!(l, ["bev", "phev", "erev", "ice", "fcev"]);
    // checklist versions, quoted
    let text7 = base.replace("version: \"^1.0\"", "version: ");
    c.change(&uri, 7, &text7);
    let got = c.at(
        "textDocument/completion",
        &uri,
        pos_of(&text7, "version: }", 9),
    );
    assert_eq!(labels(&got), ["1.1.0", "1.0.0"]);
    assert_eq!(got[0]["textEdit"]["newText"], "\"1.1.0\"");
    // checklist ids
    let text8 = base.replace("{id: mini,", "{id: m,");
    c.change(&uri, 8, &text8);
    assert_eq!(
        labels(&c.at(
            "textDocument/completion",
            &uri,
            pos_of(&text8, "{id: m,", 6)
        )),
        ["mini"]
    );
    c.shutdown();
}

#[test]
fn hover_explains_items_metrics_and_codes() {
    let mut c = Client::mini();
    let base = read("tests/fixtures/codes/SDS020/missing.yaml");
    let uri = Url::parse("untitled:report.yaml").unwrap();
    c.open(&uri, &base);
    let h = c.at(
        "textDocument/hover",
        &uri,
        pos_of(&base, "SDS-CRASH-002", 4),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("Full-width, femur load"), "{v}");
    assert!(v.contains("Full-width rigid wall at 50 km/h"), "{v}");
    assert!(
        v.contains("femur_force") && v.contains("at most 9.07 kN"),
        "{v}"
    );
    assert!(
        v.contains("UN R137") && v.contains("applies to this vehicle"),
        "{v}"
    );
    let h = c.at("textDocument/hover", &uri, pos_of(&base, "femur_force:", 2));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("Femur axial force") && v.contains("`kN`") && v.contains("at most 9.07"),
        "{v}"
    );
    let text = base.replace("# expect: SDS020 11:1", "# expect: SDS031 11:1");
    c.change(&uri, 2, &text);
    let h = c.at("textDocument/hover", &uri, pos_of(&text, "SDS031", 2));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.contains("threshold-violated"), "{v}");
    // Nothing to say about a plain word.
    assert!(
        c.at("textDocument/hover", &uri, pos_of(&text, "Example M9", 2))
            .is_null()
    );
    c.shutdown();
}

#[test]
fn quick_fix_inserts_the_missing_results_as_init_writes_them() {
    let mut c = Client::mini();
    let p = "tests/fixtures/codes/SDS020/missing.yaml";
    let (uri, text, d) = c.open_file(p);
    let range: Range = serde_json::from_value(d[0]["range"].clone()).unwrap();
    let acts = actions(&mut c, &uri, range);
    let fix = acts
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("missing result"))
        .unwrap_or_else(|| panic!("{acts:?}"));
    assert_eq!(fix["kind"], "quickfix");
    let fixed = apply(&text, &edits_of(fix, &uri));
    assert!(
        fixed.contains("  - item: SDS-RESCUE-001\n    status: not_tested\n"),
        "{fixed}"
    );
    let codes: Vec<String> = codes_lines(&c.change(&uri, 2, &fixed))
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert!(!codes.contains(&"SDS020".to_owned()), "{codes:?}");
    assert!(
        codes.contains(&"SDS021".to_owned()),
        "the inserted results are not_tested: {codes:?}"
    );
    // `results: []` becomes a block list.
    let empty = text[..=text.find("\nresults:").unwrap()].to_owned() + "results: []\n";
    let d = c.change(&uri, 3, &empty);
    let r: Range =
        serde_json::from_value(d.iter().find(|d| d["code"] == "SDS020").unwrap()["range"].clone())
            .unwrap();
    let acts = actions(&mut c, &uri, r);
    let fixed = apply(&empty, &edits_of(&acts[0], &uri));
    let codes: Vec<String> = codes_lines(&c.change(&uri, 4, &fixed))
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert!(
        !codes.contains(&"SDS020".to_owned()) && codes.contains(&"SDS021".to_owned()),
        "{fixed}\n{codes:?}"
    );
    // A file without a final line break, in the compact style (`- item` at the
    // indentation of `results:`).
    let split = text.find("\nresults:\n").unwrap() + "\nresults:\n".len();
    let block = format!("\n{}", &text[split..]).replace("\n  ", "\n");
    let compact = format!("{}{}", &text[..split], &block[1..])
        .trim_end()
        .to_owned();
    let d = c.change(&uri, 5, &compact);
    let r = d
        .iter()
        .find(|d| d["code"] == "SDS020")
        .unwrap_or_else(|| panic!("{compact}\n{d:?}"));
    let r: Range = serde_json::from_value(r["range"].clone()).unwrap();
    let acts = actions(&mut c, &uri, r);
    let fixed = apply(&compact, &edits_of(&acts[0], &uri));
    assert!(
        fixed.contains("\n- item: SDS-RESCUE-001\n  status: not_tested\n"),
        "{fixed}"
    );
    let codes: Vec<String> = codes_lines(&c.change(&uri, 6, &fixed))
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert!(
        !codes.contains(&"SDS020".to_owned()) && codes.contains(&"SDS021".to_owned()),
        "{fixed}\n{codes:?}"
    );
    c.shutdown();
}

#[test]
fn quick_fix_replaces_an_unknown_item_and_quotes_a_float_version() {
    let mut c = Client::mini();
    let p = "tests/fixtures/codes/SDS011/typo.yaml";
    let (uri, text, d) = c.open_file(p);
    let unknown = d.iter().find(|d| d["code"] == "SDS011").unwrap();
    let r: Range = serde_json::from_value(unknown["range"].clone()).unwrap();
    let acts = actions(&mut c, &uri, r);
    let fix = acts
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Replace"))
        .unwrap_or_else(|| panic!("{acts:?}"));
    let fixed = apply(&text, &edits_of(fix, &uri));
    let d = c.change(&uri, 2, &fixed);
    assert!(d.is_empty(), "{d:?}");
    // `version: 1.0` (a YAML float): quoted as written.
    let float = text.replace("{id: mini, version: \"^1.0\"}", "{id: mini, version: 1.10}");
    let d = c.change(&uri, 3, &float);
    let at = pos_of(&float, "1.10", 0);
    let acts = actions(&mut c, &uri, Range::new(at, at));
    let quote = acts
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Quote"))
        .unwrap_or_else(|| panic!("{d:?} {acts:?}"));
    let fixed = apply(&float, &edits_of(quote, &uri));
    assert!(fixed.contains("version: \"1.10\"}"), "{fixed}");
    c.shutdown();
}

#[test]
fn quick_fix_replaces_an_undeclared_vehicle_attribute_or_value() {
    let mut c = Client::mini();
    let uri = Url::parse("untitled:report.yaml").unwrap();
    let base = read("tests/fixtures/codes/SDS020/missing.yaml");
    for (wrong, right) in [
        ("powertrain: EREV", "powertrain: erev"),
        ("powertran: erev", "powertrain: erev"),
    ] {
        let text = base.replace("powertrain: erev", wrong);
        let d = c.open(&uri, &text);
        let bad = d
            .iter()
            .find(|d| d["code"] == "SDS014")
            .unwrap_or_else(|| panic!("{wrong}: {d:?}"));
        let r: Range = serde_json::from_value(bad["range"].clone()).unwrap();
        let acts = actions(&mut c, &uri, r);
        let fix = acts
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with("Replace"))
            .unwrap_or_else(|| panic!("{wrong}: {acts:?}"));
        let fixed = apply(&text, &edits_of(fix, &uri));
        assert!(fixed.contains(right), "{fixed}");
        let codes: Vec<String> = codes_lines(&c.change(&uri, 2, &fixed))
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert!(!codes.contains(&"SDS014".to_owned()), "{codes:?}");
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        assert!(c.diagnostics(&uri).is_empty());
    }
    c.shutdown();
}

/// Documents that are not reports, or hostile ones: every fixture and example,
/// truncated at many points, with bytes flipped, alias bombs, deep nesting
/// and long lines. The server answers each with diagnostics, completion and
/// hover, and is still alive at the end.
#[test]
fn hostile_documents_never_stop_the_server() {
    let mut texts: Vec<String> = fixtures("tests/fixtures", 4)
        .into_iter()
        .chain(fixtures("examples", 3))
        .filter_map(|p| std::fs::read_to_string(root().join(p)).ok())
        .collect();
    let base = read("tests/fixtures/codes/SDS020/missing.yaml");
    for cut in (0..base.len()).step_by(37) {
        if base.is_char_boundary(cut) {
            texts.push(base[..cut].to_owned());
        }
    }
    for (i, ch) in [
        "\0", "\u{FEFF}", "\r", "😀", "\"", "{", "[", "&a", "*a", "!!binary", "\t", "\u{2028}",
    ]
    .iter()
    .enumerate()
    {
        let at = (i * 97 + 13) % base.len();
        let at = (0..=at).rev().find(|&a| base.is_char_boundary(a)).unwrap();
        texts.push(format!("{}{ch}{}", &base[..at], &base[at..]));
    }
    let mut bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
    for i in 0..12 {
        let _ = writeln!(
            bomb,
            "b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]",
            p = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            }
        );
    }
    texts.push(bomb);
    texts.push("[".repeat(100_000));
    texts.push(format!("sds_report: 1\nnotes: {}\n", "x".repeat(2_000_000)));
    texts.push("\u{FEFF}sds_report: 1\n".to_owned());
    texts.push(String::new());
    texts.push("sds_checklist: 1\nitems: [{id: 1}]\n".to_owned());
    texts.push("results:\n- item: SDS-\n  status: \n  measurements:\n    hic15: 1 \n".to_owned());
    let mut c = Client::mini();
    let uri = Url::parse("untitled:hostile.yaml").unwrap();
    c.open(&uri, "");
    for (v, t) in texts.iter().enumerate() {
        let v = i32::try_from(v).unwrap() + 2;
        c.change(&uri, v, t);
        let ix = LineIndex::new(t);
        for line in [0, 1, 5, 12, 40, 10_000] {
            for ch in [0, 3, 9, 200] {
                let p = Position::new(line, ch);
                c.at("textDocument/completion", &uri, p);
                c.at("textDocument/hover", &uri, p);
            }
        }
        let end = ix.position(t, t.len());
        actions(&mut c, &uri, Range::new(Position::new(0, 0), end));
    }
    // Unknown methods get an error response, not silence.
    c.conn
        .sender
        .send(Request::new(RequestId::from(9999), "sds/unknown".into(), json!({})).into())
        .unwrap();
    let (tx, rx) = mpsc::channel();
    loop {
        if let Message::Response(r) = c.recv() {
            tx.send(r.response_result.is_err()).unwrap();
            break;
        }
    }
    assert!(rx.recv().unwrap());
    c.shutdown();
}

/// `[severity]` of sds.toml reaches the editor as it reaches `sds check`:
/// SDS050 (stale, a warning) raised to an error.
#[test]
fn severity_overrides_apply_in_the_editor() {
    use sds::config::{OverrideSource, SeverityOverride};
    let (mut c, _) = Client::start(Config {
        checklists: vec![root().join(MINI)],
        severity: vec![SeverityOverride {
            code: sds::Code::StaleResult,
            severity: sds::finding::Severity::Error,
            from: OverrideSource::Config,
        }],
        // The fixture is stale at this date (its `# args: --as-of`).
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 7, 1),
        ..Config::default()
    });
    let p = "tests/fixtures/codes/SDS050/stale.yaml";
    let d = c.open(&uri_of(Path::new(p)), &read(p));
    let stale = d.iter().find(|d| d["code"] == "SDS050").expect("an SDS050");
    assert_eq!(stale["severity"], 1, "raised to an error");
    c.shutdown();
}

/// Hover on an `any_of` item states its alternatives, never "no measurable
/// bound" (which would tell the engineer a bare `pass` is enough).
#[test]
fn hover_on_an_any_of_item_lists_its_alternatives() {
    let (mut c, _) = Client::start(Config {
        checklists: vec![root().join("tests/fixtures/checklists/anyof")],
        ..Config::default()
    });
    let text = "sds_report: 1\nchecklist: {id: anyof, version: \"1.0.0\"}\n\
        vehicle: {model: X, software: \"1\", attributes: {powertrain: bev}}\n\
        report: {id: R-1, issued: 2026-10-01}\nresults:\n  - item: SDS-HV-902\n    status: pass\n";
    let uri = Url::parse("untitled:anyof.yaml").unwrap();
    c.open(&uri, text);
    let h = c.at("textDocument/hover", &uri, pos_of(text, "SDS-HV-902", 4));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(!v.contains("no measurable bound"), "{v}");
    assert!(v.contains("at least one of these alternatives"), "{v}");
    assert!(
        v.contains("1. `hv_bus_voltage` at most 60")
            && v.contains("3. `insulation_dc` at least 100")
            && v.contains("and `insulation_ac` at least 500"),
        "{v}"
    );
    // Completion of a measurement under it offers the metrics of every alternative.
    for (v, (typed, wanted)) in [
        ("h", ["hv_bus_voltage", "hv_bus_energy"]),
        ("i", ["insulation_dc", "insulation_ac"]),
    ]
    .into_iter()
    .enumerate()
    {
        let doc = format!("{text}    measurements:\n      {typed}\n");
        c.change(&uri, i32::try_from(v).unwrap() + 2, &doc);
        let at = format!("      {typed}\n");
        let l = labels(&c.at("textDocument/completion", &uri, pos_of(&doc, &at, 7)));
        for m in wanted {
            assert!(l.contains(&m.to_owned()), "{m} missing: {l:?}");
        }
    }
    c.shutdown();
}
