//! Snapshots of rendered output, so a review shows where each caret lands
//! and how the summary reads. Update with `INSTA_UPDATE=always cargo test`
//! (or `cargo insta review`) and read the diff.

mod common;

use common::{MINI, sds};

fn run(args: &[&str]) -> String {
    let out = sds().args(args).output().unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

macro_rules! human {
    ($name:ident, $path:expr $(, $extra:expr)*) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(run(&["check", "--checklist", MINI, $path $(, $extra)*]));
        }
    };
}

human!(human_pass, "tests/fixtures/reports/pass.yaml");
human!(
    human_sds001_duplicate_key,
    "tests/fixtures/codes/SDS001/duplicate-key.yaml"
);
human!(
    human_sds002_float_version,
    "tests/fixtures/codes/SDS002/float-version.yaml"
);
human!(
    human_sds004_deep_nesting,
    "tests/fixtures/codes/SDS004/deep-nesting.yaml"
);
human!(
    human_sds010_exact_version,
    "tests/fixtures/codes/SDS010/exact-means-exact.yaml"
);
human!(human_sds011_typo, "tests/fixtures/codes/SDS011/typo.yaml");
human!(
    human_sds020_missing,
    "tests/fixtures/codes/SDS020/missing.yaml"
);
human!(
    human_sds031_above_max,
    "tests/fixtures/codes/SDS031/above-max.yaml"
);
human!(
    human_sds034_wrong_dimension,
    "tests/fixtures/codes/SDS034/wrong-dimension.yaml"
);
human!(
    human_sds050_stale,
    "tests/fixtures/codes/SDS050/stale.yaml",
    "--as-of",
    "2026-07-01"
);
human!(
    human_sds060_waived,
    "tests/fixtures/codes/SDS060/waived.yaml"
);
human!(
    human_sds063_not_waivable,
    "tests/fixtures/codes/SDS063/not-waivable.yaml"
);
human!(
    human_evidence_verified,
    "tests/fixtures/evidence/report.yaml",
    "--verify-evidence"
);

#[test]
fn human_lint_sds101() {
    insta::assert_snapshot!(run(&["lint", "tests/fixtures/lint/SDS101/total.yaml"]));
}

#[test]
fn json_sds031_above_max() {
    insta::assert_snapshot!(run(&[
        "check",
        "--checklist",
        MINI,
        "--format",
        "json",
        "tests/fixtures/codes/SDS031/above-max.yaml"
    ]));
}

#[test]
fn json_lint_sds105() {
    insta::assert_snapshot!(run(&[
        "lint",
        "--format",
        "json",
        "tests/fixtures/lint/SDS105"
    ]));
}
