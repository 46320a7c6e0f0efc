//! Tests of `formats`, continued (the file is split to stay under 600 lines).

use super::*;

#[test]
fn html_shows_source_lines_when_kept() {
    let r = check(Options {
        paths: vec!["examples/erev-gaps".into()],
        keep_sources: true,
        ..Options::default()
    })
    .unwrap();
    let h = html::render(&r);
    temp_file("erev-gaps.html", &h);
    assert!(h.contains("class=\"source\""));
    assert!(h.contains("chest_deflection") || h.contains("red_light_violations"));
}

#[test]
fn html_escapes_report_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("evil.yaml");
    std::fs::write(&p, EVIL).unwrap();
    let r = check(Options {
        paths: vec![p.clone()],
        checklists: vec![MINI.into()],
        keep_sources: true,
        ..Options::default()
    })
    .unwrap();
    assert!(
        r.outcomes[0]
            .findings
            .iter()
            .any(|f| f.message.contains("<script>")),
        "the fixture puts markup into a finding message"
    );
    let h = html::render(&r);
    temp_file("evil.html", &h);
    assert!(!h.contains("<script"), "unescaped script");
    assert!(!h.contains("<img"), "unescaped img");
    assert!(h.contains("&lt;script&gt;"));
}

#[test]
fn html_of_an_unparsable_report_shows_its_finding() {
    let r = run(&["tests/fixtures/codes/SDS001/duplicate-key.yaml"], &[MINI]);
    let h = html::render(&r);
    assert!(h.contains("SDS001"));
    assert!(h.contains("not scored"));
}

/// Every whole-run format built report by report (spooled to temporary
/// files, as `sds check --format F` does) gives the same bytes as the same
/// run rendered with its outcomes kept, including when the verdict, the
/// waivers and the baseline are known only at the end.
#[test]
fn streamed_writers_match_the_kept_run_render() {
    use sds::render::Streamed;
    let options = || Options {
        paths: vec![
            PathBuf::from("examples/erev-gaps"),
            PathBuf::from("examples/bev-pass"),
        ],
        min_score: Some(99.0),
        ..Options::default()
    };
    let kept = check(options()).unwrap();
    let wanted = [
        ("sarif", sarif::render(&kept)),
        ("junit", junit::render(&kept)),
        ("markdown", markdown::render_within(&kept, 3_000)),
        ("html", html::render(&kept)),
    ];
    let mut writers: Vec<Box<dyn Streamed>> = vec![
        Box::new(sarif::Writer::new().unwrap()),
        Box::new(junit::JunitWriter::new().unwrap()),
        Box::new(markdown::MarkdownWriter::new(3_000).unwrap()),
        Box::new(html::Writer::new().unwrap()),
    ];
    let mut pushed = 0;
    let streamed = sds::engine::check_each(options(), &mut |start, o| {
        // The run handed on while streaming has no verdict or totals yet.
        assert!(start.outcomes.is_empty() && start.reasons.is_empty());
        pushed += 1;
        for w in &mut writers {
            w.push(start, &o).unwrap();
        }
    })
    .unwrap();
    assert_eq!(pushed, kept.outcomes.len());
    assert!(!streamed.pass, "erev-gaps fails the gate");
    for ((name, want), w) in wanted.into_iter().zip(writers) {
        let mut out = Vec::new();
        w.finish(&streamed, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), want, "{name}");
    }
}
