//! Helpers shared by the integration tests: run the real binary, read fixture expectations.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub mod fixture;

pub const MINI: &str = "tests/fixtures/checklists/mini";

/// The `sds` binary, run from the crate root.
pub fn sds() -> Command {
    let mut c = Command::cargo_bin("sds").expect("the sds binary builds");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c
}

/// What a fixture's header comments say: `# args: ...` and `# expect: CODE LINE:COL` lines.
pub struct Expect {
    pub args: Vec<String>,
    pub findings: Vec<String>,
}

pub fn expectations(path: &Path) -> Expect {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    let mut e = Expect {
        args: Vec::new(),
        findings: Vec::new(),
    };
    let mut said = false;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(a) = line.strip_prefix("# args: ") {
            e.args = a.split_whitespace().map(str::to_owned).collect();
        } else if line == "# expect: nothing" {
            said = true;
        } else if let Some(f) = line.strip_prefix("# expect: ") {
            said = true;
            e.findings.push(f.to_owned());
        }
    }
    assert!(said, "{} states no expectation", path.display());
    e.findings.sort();
    e
}

/// Fixture files under a folder of the crate, sorted.
pub fn fixtures(dir: &str, depth: usize) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .max_depth(depth)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            e.path()
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap()
                .to_path_buf()
        })
        .collect();
    v.sort();
    v
}

/// Runs `sds` with arguments and parses its JSON output.
pub fn json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = sds()
        .args(args)
        .arg("--format")
        .arg("json")
        .output()
        .expect("sds runs");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

/// `CODE LINE:COL` of every finding of the report at `path`.
pub fn found(v: &serde_json::Value, path: &str) -> Vec<String> {
    let mut got: Vec<String> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"] == path)
        .flat_map(|r| r["findings"].as_array().unwrap().iter())
        .map(|f| {
            format!(
                "{} {}:{}",
                f["code"].as_str().unwrap(),
                f["line"],
                f["column"]
            )
        })
        .collect();
    got.sort();
    got
}

/// `(code, item)` of every finding of the first report (item `""` when none).
pub fn code_items(v: &serde_json::Value) -> Vec<(&str, &str)> {
    v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["item"].as_str().unwrap_or(""),
            )
        })
        .collect()
}

// ------------------------------------------------------------ public schemas

/// Vendored copies of the public schemas (see schema/vendor/README.md).
const SHARED_SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/vendor");

/// A file of the vendored public schemas; a clear failure (not a skip) when it is missing.
pub fn shared_schema(name: &str) -> PathBuf {
    let p = Path::new(SHARED_SCHEMAS).join(name);
    assert!(
        p.is_file(),
        "{} is missing: the format tests validate against the vendored public schemas in schema/vendor/",
        p.display()
    );
    p
}

const BAD_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

/// Replaces the published SARIF schema's invalid `language` patterns; returns how many.
fn fix_patterns(v: &mut serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => {
            let mut n = 0;
            for (k, child) in m.iter_mut() {
                if k == "pattern" && child == BAD_LANGUAGE_PATTERN {
                    *child = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                    n += 1;
                } else {
                    n += fix_patterns(child);
                }
            }
            n
        }
        serde_json::Value::Array(a) => a.iter_mut().map(fix_patterns).sum(),
        _ => 0,
    }
}

/// The shared SARIF schema, compiled.
pub fn sarif_validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared_schema("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    // The published schema's pattern for `language` (of a run and of a tool
    // component) has a stray `]` ("...[a-zA-Z]{2}]?$"): JavaScript accepts it,
    // the meta-schema's `format: regex` check does not, so the schema would not
    // compile. Our log carries no `language`; the repaired pattern changes nothing we test.
    let fixed = fix_patterns(&mut schema);
    assert_eq!(
        fixed, 2,
        "the known bad `language` patterns of the SARIF schema"
    );
    jsonschema::validator_for(&schema).unwrap()
}

/// The inputs of the `check` fuzz target's corpus (`tests/fixtures/fuzz/
/// check-corpus.zip`: 2,313 inputs, minimised by `cargo fuzz cmin` after a
/// run), each decoded as sds decodes a report; those that are not text are
/// left out.
pub fn fuzz_corpus() -> Vec<(String, String)> {
    use std::io::Read;
    let file = std::fs::File::open("tests/fixtures/fuzz/check-corpus.zip").unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Ok(text) = sds::load::decode(bytes) {
            out.push((name, text));
        }
    }
    out
}
