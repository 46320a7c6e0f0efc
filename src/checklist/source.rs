//! Where checklists come from: files and folders on disk, or the versions
//! compiled into the binary. Both go through the same loader and compiler.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};

use super::{Checklist, compile};
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{self, DocKind, Limits};
use crate::outcome::Outcome;
use crate::schema::{self, SchemaKind};
use crate::source::FileId;

/// The bundled checklists: `checklists/<id>/<version>/*.yaml`.
static BUNDLED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/checklists");

/// Where to load checklists from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistSource {
    /// The versions compiled into the binary.
    Bundled,
    /// A checklist file, a checklist folder, or a folder of them.
    Path(PathBuf),
}

/// One file of a checklist, kept for the audit trail and for rendering lint findings.
#[derive(Debug, Clone)]
pub struct ChecklistFile {
    /// As shown in output (`<bundled>/sds/1.0.0/crash.yaml` for bundled files).
    pub path: String,
    /// Its text.
    pub text: Arc<str>,
    /// Lowercase hex sha256 of its bytes.
    pub sha256: String,
    /// Compiled into the binary.
    pub bundled: bool,
}

/// Lowercase hex sha256.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of bytes.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The sha256 of a single file, or for several files the sha256 of the manifest
/// `"<sha256>  <name>\n"` lines sorted by name (names relative to the folder).
#[must_use]
pub fn manifest_digest(files: &[ChecklistFile]) -> String {
    if let [one] = files {
        return one.sha256.clone();
    }
    let mut lines: Vec<String> = files
        .iter()
        .map(|f| {
            let name = f.path.rsplit(['/', '\\']).next().unwrap_or(&f.path);
            format!("{}  {name}\n", f.sha256)
        })
        .collect();
    lines.sort();
    sha256_hex(lines.concat().as_bytes())
}

/// Everything loading checklists produced: the compiled checklists and, for
/// each file read, its outcome (with lint findings).
#[derive(Debug, Default)]
pub struct Loaded {
    /// Checklists that compiled (possibly with lint findings).
    pub checklists: Vec<Checklist>,
    /// One outcome per file read, in load order.
    pub files: Vec<Outcome>,
}

impl Loaded {
    /// Whether any file has a finding at error severity.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.files
            .iter()
            .flat_map(|f| &f.findings)
            .any(|f| f.severity == crate::Severity::Error)
    }
}

/// A file as found: its display path and how to get its bytes.
struct Found {
    path: String,
    bytes: Result<Vec<u8>, load::LoadError>,
    bundled: bool,
}

/// Loads checklists from text in memory (`(path, text)` pairs; a path ending
/// in `checklist.yaml` makes its folder one version), as [`load_all`] does from disk.
#[must_use]
pub fn load_texts(files: Vec<(String, String)>, limits: &Limits) -> Loaded {
    let found = files
        .into_iter()
        .map(|(path, text)| Found {
            path,
            bytes: Ok(text.into_bytes()),
            bundled: false,
        })
        .collect();
    load_found(found, limits)
}

/// Loads, validates, compiles and lints the checklists of every source.
#[must_use]
pub fn load_all(sources: &[ChecklistSource], limits: &Limits) -> Loaded {
    let mut found = Vec::new();
    for s in sources {
        match s {
            ChecklistSource::Bundled => bundled_files(&BUNDLED, &mut found),
            ChecklistSource::Path(p) => disk_files(p, limits, &mut found),
        }
    }
    load_found(found, limits)
}

fn load_found(found: Vec<Found>, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    for unit in group_units(found) {
        load_unit(unit, limits, &mut loaded);
    }
    let mut cross = super::lint::lint_duplicate_versions(&mut loaded.checklists);
    cross.extend(super::lint::lint_across_versions(&loaded.checklists));
    route(&mut loaded.files, cross);
    for o in &mut loaded.files {
        o.locate_in_source();
        o.sort_findings();
    }
    loaded
        .checklists
        .sort_by(|a, b| (&a.id, &a.version).cmp(&(&b.id, &b.version)));
    loaded
}

/// Each finding to the outcome of the file its span stands in (a span's file
/// id is its file's index in `files`, given when it was parsed).
fn route(files: &mut [Outcome], findings: Vec<Finding>) {
    for f in findings {
        if let Some(o) = files.get_mut(f.span.file.index()) {
            o.findings.push(f);
        }
    }
}

fn is_data_file(name: &str) -> bool {
    // Lower-cased first, so the extension compares exactly.
    let l = name.to_ascii_lowercase();
    l.rsplit_once('.')
        .is_some_and(|(_, ext)| matches!(ext, "yaml" | "yml" | "json"))
}

fn bundled_files(dir: &Dir<'_>, out: &mut Vec<Found>) {
    let mut files: Vec<_> = dir.files().collect();
    files.sort_by_key(|f| f.path());
    for f in files {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if is_data_file(&path) {
            out.push(Found {
                path: format!("<bundled>/{path}"),
                bytes: Ok(f.contents().to_vec()),
                bundled: true,
            });
        }
    }
    let mut dirs: Vec<_> = dir.dirs().collect();
    dirs.sort_by_key(|d| d.path());
    for d in dirs {
        bundled_files(d, out);
    }
}

fn disk_files(path: &Path, limits: &Limits, out: &mut Vec<Found>) {
    let display = |p: &Path| p.to_string_lossy().into_owned();
    if !path.is_dir() {
        out.push(Found {
            path: display(path),
            bytes: load::read_bytes(path, limits),
            bundled: false,
        });
        return;
    }
    for entry in walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() && is_data_file(&e.file_name().to_string_lossy()) => {
                out.push(Found {
                    path: display(e.path()),
                    bytes: load::read_bytes(e.path(), limits),
                    bundled: false,
                });
            }
            Ok(_) => {}
            Err(e) => out.push(Found {
                path: e.path().map_or_else(|| display(path), display),
                bytes: Err(load::LoadError {
                    code: Code::UnreadableInput,
                    message: format!("cannot read: {e}"),
                    help: None,
                    span: load::Span::TOP,
                    at: None,
                }),
                bundled: false,
            }),
        }
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once(['/', '\\']).map_or("", |(d, _)| d)
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn is_header_name(path: &str) -> bool {
    matches!(
        file_name(path),
        "checklist.yaml" | "checklist.yml" | "checklist.json"
    )
}

/// Groups files into checklist versions: a folder holding `checklist.yaml` is
/// one version (header first, then the other files by name); any other file is
/// a version of its own.
fn group_units(found: Vec<Found>) -> Vec<Vec<Found>> {
    let version_dirs: BTreeSet<String> = found
        .iter()
        .filter(|f| is_header_name(&f.path))
        .map(|f| parent(&f.path).to_owned())
        .collect();
    let mut units: Vec<Vec<Found>> = Vec::new();
    let mut by_dir: Vec<(String, Vec<Found>)> = Vec::new();
    for f in found {
        let dir = parent(&f.path).to_owned();
        if version_dirs.contains(&dir) {
            match by_dir.iter_mut().find(|(d, _)| *d == dir) {
                Some((_, v)) => v.push(f),
                None => by_dir.push((dir, vec![f])),
            }
        } else {
            units.push(vec![f]);
        }
    }
    for (_, mut files) in by_dir {
        files.sort_by(|a, b| {
            (!is_header_name(&a.path), &a.path).cmp(&(!is_header_name(&b.path), &b.path))
        });
        units.push(files);
    }
    units
}

fn load_unit(unit: Vec<Found>, limits: &Limits, loaded: &mut Loaded) {
    let lone = unit.len() == 1;
    let mut files = Vec::new();
    let mut roots = Vec::new();
    let mut broken = false;
    for (i, f) in unit.into_iter().enumerate() {
        let mut outcome = Outcome::new(f.path.clone());
        let parsed = f.bytes.and_then(|bytes| {
            outcome.sha256 = Some(sha256_hex(&bytes));
            let text = load::decode(bytes)?;
            outcome.source = Some(Arc::from(text.as_str()));
            let root = load::parse_file(&text, limits, FileId::new(loaded.files.len()))?;
            Ok((text, root))
        });
        match parsed {
            Err(e) => {
                outcome.findings.push(e.into());
                broken = true;
            }
            Ok((text, root)) => {
                let kind = load::doc_kind(&root);
                if lone && kind != DocKind::Checklist {
                    // A file in a folder of checklists that is not one: not ours to judge.
                    if kind != DocKind::Unknown || root.get("items").is_none() {
                        continue;
                    }
                }
                let mut findings: Vec<Finding> = Vec::new();
                if i == 0 && kind != DocKind::Checklist {
                    findings.push(Finding::new(
                        Code::SchemaViolation,
                        load::Span::TOP,
                        "a checklist's first file must start with `sds_checklist: 1`",
                    ));
                } else if let Err(e) = load::check_format(&root, DocKind::Checklist) {
                    findings.push(e.into());
                } else {
                    findings.extend(schema::validate(&root, &text, SchemaKind::Checklist));
                }
                broken |= !findings.is_empty();
                outcome.findings = findings;
                files.push(ChecklistFile {
                    path: f.path,
                    text: Arc::from(text),
                    sha256: outcome.sha256.clone().unwrap_or_default(),
                    bundled: f.bundled,
                });
                roots.push(root);
            }
        }
        loaded.files.push(outcome);
    }
    if broken || files.is_empty() {
        return;
    }
    let (checklist, findings) = compile(files, &roots);
    route(&mut loaded.files, findings);
    if let Some(c) = checklist {
        loaded.checklists.push(c);
    }
}

/// A checklist named on the command line: a path (file or version folder),
/// or `ID@VERSION` (a version or requirement) of the checklists of `sources`.
///
/// # Errors
/// A message when nothing or more than one version matches, or the checklist has errors.
pub fn find(spec: &str, sources: &[ChecklistSource], limits: &Limits) -> Result<Checklist, String> {
    let path = Path::new(spec);
    if path.exists() {
        let loaded = load_all(&[ChecklistSource::Path(path.to_path_buf())], limits);
        if loaded.has_errors() {
            return Err(format!("{spec} has errors: run `sds lint {spec}`"));
        }
        let mut found = loaded.checklists;
        return match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(format!("{spec} holds no checklist")),
            n => Err(format!(
                "{spec} holds {n} checklist versions: name one (a version folder, or ID@VERSION)"
            )),
        };
    }
    let Some((id, version)) = spec.split_once('@') else {
        return Err(format!(
            "{spec:?} is neither a checklist path nor ID@VERSION (e.g. sds@1.1.0)"
        ));
    };
    let loaded = load_all(sources, limits);
    if loaded.has_errors() {
        return Err("a loaded checklist has errors: run `sds lint`".into());
    }
    let catalog = super::Catalog::new(loaded.checklists);
    let found = catalog.resolve(id, version).map_err(|e| match e {
        super::catalog::ResolveError::UnknownId { loaded } => {
            format!(
                "no checklist `{id}` is loaded (loaded: {})",
                loaded.join(", ")
            )
        }
        super::catalog::ResolveError::NoVersion { loaded } => {
            format!(
                "no version of `{id}` matches {version:?} (loaded: {})",
                loaded.join(", ")
            )
        }
        super::catalog::ResolveError::BadVersion(why) => format!("{version:?}: {why}"),
    })?;
    Ok(found.clone())
}
