//! Channels are read with their dataset but parsed only when a criterion
//! first needs them (decisions §17): a broken channel no criterion needs
//! changes nothing, a needed one fails with the message it always had, and
//! the dataset's size limits still count every channel file.

use std::path::{Path, PathBuf};

use sds::derive::{Criterion, DataErrorKind, Dataset, DeriveSpec, Sign, derive};
use sds::load::Limits;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/isomme/t1-folder-lf")
}

/// A copy of t1-folder-lf with `Channel/T1FOLDER.007` (upper neck Fz) replaced.
fn with_neck_file(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("Channel")).unwrap();
    std::fs::copy(
        fixture().join("T1FOLDER.mme"),
        dir.path().join("T1FOLDER.mme"),
    )
    .unwrap();
    for e in std::fs::read_dir(fixture().join("Channel")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("Channel").join(e.file_name())).unwrap();
    }
    std::fs::write(dir.path().join("Channel/T1FOLDER.007"), text).unwrap();
    dir
}

fn neck_with_bad_line() -> (String, usize) {
    let good = std::fs::read_to_string(fixture().join("Channel/T1FOLDER.007")).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    // A sample well after the header: line 600 (1-based).
    lines[599] = "12,5";
    (lines.join("\n") + "\n", 600)
}

fn spec(criterion: Criterion, location: &str, dimension: &str) -> DeriveSpec {
    DeriveSpec {
        criterion: Some(criterion),
        location: Some(location.into()),
        dimension: Some(dimension.into()),
        ..DeriveSpec::default()
    }
}

/// Criteria that read every channel but the upper neck's.
fn neckless_specs() -> Vec<DeriveSpec> {
    vec![
        DeriveSpec {
            window_ms: Some(15.0),
            resultant: true,
            cfc: Some(1000),
            ..spec(Criterion::Hic, "HEAD0000", "AC")
        },
        DeriveSpec {
            direction: Some('X'),
            cfc: Some(180),
            sign: Some(Sign::Compression),
            ..spec(Criterion::Peak, "CHST0000", "DS")
        },
        DeriveSpec {
            location: None,
            over: vec!["FEMRLE00".into(), "FEMRRI00".into()],
            direction: Some('Z'),
            cfc: Some(600),
            sign: Some(Sign::Compression),
            ..spec(Criterion::Peak, "", "FO")
        },
        DeriveSpec {
            criterion: Some(Criterion::TibiaIndex),
            over: vec!["TIBILEUP".into(), "TIBIRIUP".into()],
            cfc: Some(600),
            ..DeriveSpec::default()
        },
    ]
}

fn neck_tension() -> DeriveSpec {
    DeriveSpec {
        direction: Some('Z'),
        cfc: Some(1000),
        sign: Some(Sign::Tension),
        ..spec(Criterion::Peak, "NECKUP00", "FO")
    }
}

#[test]
fn a_broken_channel_no_criterion_needs_changes_nothing() {
    let (bad, _) = neck_with_bad_line();
    let broken = with_neck_file(&bad);
    let original = Dataset::open(&fixture(), &Limits::default()).unwrap();
    let copy = Dataset::open(broken.path(), &Limits::default()).unwrap();
    for s in neckless_specs() {
        let want = derive(&original, &s, "11").unwrap();
        assert_eq!(derive(&copy, &s, "11").unwrap(), want, "{s:?}");
    }
}

#[test]
fn a_broken_channel_a_criterion_needs_fails_with_its_message() {
    let (bad, line) = neck_with_bad_line();
    let broken = with_neck_file(&bad);
    let copy = Dataset::open(broken.path(), &Limits::default()).unwrap();
    let e = derive(&copy, &neck_tension(), "11").unwrap_err();
    assert_eq!(e.kind, DataErrorKind::NotANumber);
    assert_eq!(
        e.message,
        format!(
            "Channel/T1FOLDER.007 line {line}: `12,5` is not a number (channel 11NECKUP00H3FOZ0)"
        )
    );
    // Asked again (the parse is done once): the same error, and the others still derive.
    assert_eq!(derive(&copy, &neck_tension(), "11").unwrap_err(), e);
    assert!(derive(&copy, &neckless_specs()[0], "11").is_ok());
}

#[test]
fn an_oversized_channel_no_criterion_needs_is_still_refused() {
    // Every channel file is still read and counted with the dataset, so a
    // bomb in a channel nobody asks for refuses the dataset as before.
    let good = std::fs::read_to_string(fixture().join("Channel/T1FOLDER.007")).unwrap();
    let big = good.repeat(6);
    let dir = with_neck_file(&big);
    let limits = Limits {
        max_file_size: u64::try_from(big.len() - 1).unwrap(),
        ..Limits::default()
    };
    let e = Dataset::open(dir.path(), &limits).unwrap_err();
    assert_eq!(e.kind, DataErrorKind::Limit, "{e}");
    assert!(Dataset::open(&fixture(), &limits).is_ok());
}

#[test]
fn threads_asking_for_one_channel_at_once_get_one_answer() {
    let data = Dataset::open(&fixture(), &Limits::default()).unwrap();
    let want = derive(
        &Dataset::open(&fixture(), &Limits::default()).unwrap(),
        &neckless_specs()[0],
        "11",
    )
    .unwrap();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| derive(&data, &neckless_specs()[0], "11").unwrap()))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), want);
        }
    });
}

#[test]
fn a_datasets_memo_gives_what_derive_gives() {
    let (bad, _) = neck_with_bad_line();
    let broken = with_neck_file(&bad);
    let data = Dataset::open(broken.path(), &Limits::default()).unwrap();
    let fresh = Dataset::open(broken.path(), &Limits::default()).unwrap();
    let mut specs = neckless_specs();
    specs.push(neck_tension());
    for s in &specs {
        let want = derive(&fresh, s, "11");
        // Asked twice (computed, then remembered): the same value or error.
        assert_eq!(data.derive(s, "11"), want, "{s:?}");
        assert_eq!(data.derive(s, "11"), want, "{s:?}");
    }
    // Another position is another question.
    assert_eq!(
        data.derive(&specs[0], "13").unwrap_err().kind,
        DataErrorKind::MissingChannel
    );
}
