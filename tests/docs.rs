//! Generated docs and schemas agree with the code's own registries.
//! Regenerate with `SDS_UPDATE_DOCS=1 cargo test --test docs`.

use std::path::Path;

fn current(path: &str, generated: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("SDS_UPDATE_DOCS").is_some() {
        std::fs::write(&file, generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{path} is stale: run `SDS_UPDATE_DOCS=1 cargo test --test docs`"
    );
}

/// The first fixture that raises `code`, and the finding as the human format renders it.
fn example(code: sds::Code) -> Option<(String, String)> {
    use sds::checklist::{Catalog, source::load_texts};
    use sds::load::Limits;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &Path| std::fs::read_to_string(root.join(p)).unwrap();
    let style = sds::render::human::Style {
        color: false,
        width: 100,
    };
    let mini = || {
        let files = ["1.0.0.yaml", "1.1.0/checklist.yaml", "1.1.0/items.yaml"]
            .iter()
            .map(|f| {
                let p = format!("tests/fixtures/checklists/mini/{f}");
                (p.clone(), read(Path::new(&p)))
            })
            .collect();
        Catalog::new(load_texts(files, &Limits::default()).checklists)
    };
    let sorted = |dir: &str| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(root.join(dir))
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| Path::new(dir).join(e.file_name()))
                    .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/codes"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    dirs.sort();
    let others = dirs
        .into_iter()
        .flat_map(|d| sorted(&format!("tests/fixtures/codes/{}", d.to_string_lossy())));
    let reports = sorted(&format!("tests/fixtures/codes/{code}"))
        .into_iter()
        .chain(sorted("tests/fixtures/evidence"))
        .chain(others);
    for path in reports {
        let text = read(&path);
        if text.contains("--max-file-size") {
            continue;
        }
        let options = sds::engine::Options {
            verify_evidence: text.contains("# args: --verify-evidence"),
            as_of: text
                .lines()
                .find_map(|l| l.strip_prefix("# args: --as-of "))
                .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()),
            ..Default::default()
        };
        let shown = path.to_string_lossy().into_owned();
        let o = sds::engine::check_str(&shown, &text, &mini(), &options);
        if let Some(f) = o.findings.iter().find(|f| f.code == code) {
            let text: std::sync::Arc<str> = text.into();
            return Some((
                shown.clone(),
                sds::render::human::finding(f, &shown, Some(&text), style),
            ));
        }
    }
    let lint_dir = format!("tests/fixtures/lint/{code}");
    let files: Vec<(String, String)> = sorted(&lint_dir)
        .into_iter()
        .map(|p| (p.to_string_lossy().into_owned(), read(&p)))
        .collect();
    let loaded = load_texts(files, &Limits::default());
    loaded.files.iter().find_map(|o| {
        let f = o.findings.iter().find(|f| f.code == code)?;
        Some((
            o.path.clone(),
            sds::render::human::finding(f, &o.path, o.source.as_ref(), style),
        ))
    })
}

#[test]
fn findings_reference_is_generated_from_the_registry() {
    current(
        "docs/findings.md",
        &sds::codes::reference_markdown(&example),
    );
}

#[test]
fn findings_schema_lists_exactly_the_registry_codes() {
    // The schema's code list is generated from the registry, never kept by hand.
    let mut schema: serde_json::Value =
        serde_json::from_str(sds::schema::SchemaKind::Findings.text()).unwrap();
    let registry: Vec<&str> = sds::codes::ALL.iter().map(|c| c.as_str()).collect();
    schema["$defs"]["finding"]["properties"]["code"]["enum"] = serde_json::json!(registry);
    let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    current("schema/findings.schema.json", &generated);
}

#[test]
fn formats_doc_lists_every_unit_of_the_table() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/formats.md"))
            .unwrap();
    for u in sds::units::TABLE {
        assert!(
            doc.contains(&format!("`{}`", u.symbol)),
            "docs/formats.md does not list unit `{}`",
            u.symbol
        );
    }
}

#[test]
fn findings_doc_names_every_code() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/findings.md"))
            .unwrap();
    for c in sds::codes::ALL {
        assert!(doc.contains(&format!("### {}", c.as_str())));
    }
}

#[test]
fn checklist_catalogue_is_generated_from_the_checklist_files() {
    use sds::checklist::{ChecklistSource, source::load_all};
    use std::fmt::Write;
    let loaded = load_all(&[ChecklistSource::Bundled], &sds::load::Limits::default());
    let mut index = String::from(
        "# Checklist catalogue\n\n<!-- Generated by `sds catalog` (checked by tests/docs.rs); do not edit by hand. -->\n\n\
Every item of each bundled checklist version, per domain: `sds catalog ID@VERSION` prints one.\n\n",
    );
    for c in &loaded.checklists {
        let name = format!("{}-{}.md", c.id, c.version);
        current(
            &format!("docs/checklist/{name}"),
            &sds::catalog_doc::markdown(c),
        );
        writeln!(
            index,
            "- [{} {}]({name}) — {}, {} items",
            c.id,
            c.version,
            c.title,
            c.items.len()
        )
        .unwrap();
    }
    current("docs/checklist/README.md", &index);
}

#[test]
fn the_catalog_command_prints_the_committed_catalogue() {
    let out = assert_cmd::Command::cargo_bin("sds")
        .unwrap()
        .args(["catalog", "sds@1.1.0"])
        .output()
        .unwrap();
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/checklist/sds-1.1.0.md"))
            .unwrap();
    assert_eq!(out.stdout, committed);
}
