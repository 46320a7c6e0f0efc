//! Diagnostics of one open document: the findings `sds check` (for a report)
//! or `sds lint` (for a checklist) gives on the same text, as LSP diagnostics.
//!
//! Reports go through [`engine::check_parsed`], the checker `sds check` runs on a
//! file once it is read, so the editor and the command line cannot disagree;
//! tests compare the two on every fixture.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Url,
};

use super::text::LineIndex;
use crate::checklist::{Attributes, Catalog, Checklist, source};
use crate::codes::Code;
use crate::engine::{self, Options};
use crate::finding::{Finding, Severity};
use crate::load::{self, DocKind, Limits, Node, Span, Value};

/// What the server knows of a report's text when it last parsed: enough for
/// completion and hover to work while the text is broken mid-edit.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// `checklist.id` and `checklist.version` as written.
    pub checklist: Option<(String, String)>,
    /// A tree holding only the report's `vehicle:` entry, from which the
    /// known attributes are judged against whichever checklist applies.
    pub vehicle: Option<Node>,
    /// Items that have a result.
    pub items: Vec<String>,
    /// `report.issued`.
    pub issued: Option<NaiveDate>,
    /// `vehicle.software`.
    pub software: Option<String>,
}

impl Facts {
    /// Reads the facts of a parsed report (any shape: missing parts stay empty).
    #[must_use]
    pub fn of(root: &Node) -> Self {
        let text = |n: Option<&Node>| n.and_then(Node::as_str).map(ToOwned::to_owned);
        let checklist = root.get("checklist");
        let vehicle = root.get("vehicle");
        Facts {
            checklist: text(checklist.and_then(|c| c.get("id"))).map(|id| {
                (
                    id,
                    text(checklist.and_then(|c| c.get("version"))).unwrap_or_default(),
                )
            }),
            vehicle: root.entry("vehicle").map(|e| Node {
                value: Value::Map(vec![e.clone()]),
                span: root.span,
            }),
            items: root
                .get("results")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|r| text(r.get("item")))
                .collect(),
            issued: text(root.get("report").and_then(|r| r.get("issued")))
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            software: text(vehicle.and_then(|v| v.get("software"))),
        }
    }

    /// The vehicle's known attributes (stated, declared and valid) under
    /// `c`'s vocabulary, as the checker judges them: an unknown attribute
    /// matches every value.
    #[must_use]
    pub fn known_attributes(&self, c: &Checklist) -> Attributes {
        self.vehicle
            .as_ref()
            .map(|v| crate::rules::attributes::judge(v, c, &mut Vec::new()))
            .unwrap_or_default()
    }

    /// The checklist these facts name, else the newest loaded version of the
    /// same id, else the newest loaded checklist: completion and hover still
    /// help while the version is being typed.
    #[must_use]
    pub fn checklist<'c>(&self, catalog: &'c Catalog) -> Option<&'c Checklist> {
        if let Some((id, version)) = &self.checklist {
            if let Ok(c) = catalog.resolve(id, version) {
                return Some(c);
            }
            if let Some(c) = catalog.all().iter().rev().find(|c| &c.id == id) {
                return Some(c);
            }
        }
        catalog
            .all()
            .iter()
            .max_by(|a, b| a.version.cmp(&b.version))
    }
}

/// The server's settings, from the command line of `sds lsp`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Checklist files or folders to load; empty means the bundled ones.
    pub checklists: Vec<PathBuf>,
    /// Check evidence files and their sha256 when a document is saved.
    pub verify_evidence: bool,
    /// The date freshness and waivers are judged at (default: each report's issue date).
    pub as_of: Option<NaiveDate>,
    /// Where code descriptions link to: `<link_base>#sds031`.
    pub link_base: Option<String>,
    /// Input limits (as `sds check`'s defaults).
    pub limits: Limits,
    /// Per-code severities of `sds.toml` (`[severity]`), applied as `sds check` applies them.
    pub severity: Vec<crate::config::SeverityOverride>,
}

/// A document's findings, with the text offset they are relative to.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// What the document declares itself to be (`Unknown` when it does not parse).
    pub kind: Option<DocKind>,
    /// Findings, spans relative to the text after any byte order mark.
    pub findings: Vec<Finding>,
    /// Bytes of a leading byte order mark (0 or 3), added to every span.
    pub shift: usize,
    /// The parsed text (None when it does not parse or is too large).
    pub tree: Option<Node>,
}

/// Splits off a leading byte order mark, which `sds check` removes when it
/// decodes a file, so spans computed on the rest are shifted by its length.
#[must_use]
pub fn body(text: &str) -> (usize, &str) {
    text.strip_prefix('\u{FEFF}')
        .map_or((0, text), |rest| (3, rest))
}

/// Checks or lints a document.
#[must_use]
pub fn analyse(
    path: Option<&Path>,
    shown: &str,
    text: &str,
    catalog: Result<&Catalog, &str>,
    config: &Config,
    saved: bool,
) -> Analysis {
    let (shift, body) = body(text);
    let mut a = Analysis {
        shift,
        ..Analysis::default()
    };
    // The size cap `sds check` applies before reading a file.
    if body.len() as u64 > config.limits.max_file_size {
        a.findings.push(
            Finding::new(
                Code::InputLimit,
                Span::TOP,
                format!(
                    "larger than the {} byte limit: refused",
                    config.limits.max_file_size
                ),
            )
            .help("raise the limit with --max-file-size BYTES if the file is genuine"),
        );
        return a;
    }
    a.tree = load::parse(body, &config.limits).ok();
    let kind = a.tree.as_ref().map(load::doc_kind);
    a.kind = kind;
    let in_checklist_folder = path.is_some_and(|p| sibling_header(p).is_some());
    if kind == Some(DocKind::Checklist)
        || (in_checklist_folder && kind != Some(DocKind::Report) && kind != Some(DocKind::Waivers))
    {
        a.findings = lint(path, shown, body, &config.limits);
        return a;
    }
    // Editors send every YAML and JSON file; one that does not say it is an
    // sds file (a CI workflow, a compose file) is none of sds's business.
    // `sds check` would call it a report missing `sds_report` (SDS002).
    let declared = ["sds_report", "sds_checklist", "sds_waivers"]
        .iter()
        .any(|k| body.contains(k));
    if !declared && matches!(kind, None | Some(DocKind::Unknown)) {
        return a;
    }
    let catalog = match catalog {
        Ok(c) => c,
        Err(why) => {
            a.findings
                .push(Finding::new(Code::ChecklistNotFound, Span::TOP, why));
            return a;
        }
    };
    let options = Options {
        // Evidence files are opened on save only: never on every keystroke.
        verify_evidence: saved && config.verify_evidence && path.is_some(),
        as_of: config.as_of,
        limits: config.limits.clone(),
        ..Options::default()
    };
    let mut outcome = match &a.tree {
        Some(root) => engine::check_parsed(shown, body, root, catalog, &options),
        // The parse error, as `sds check` reports it.
        None => engine::check_str(shown, body, catalog, &options),
    };
    crate::config::apply_severity(&mut outcome, &config.severity, catalog);
    a.findings = outcome.findings;
    a
}

/// `checklist.yaml` beside a file that is not itself the header.
fn sibling_header(path: &Path) -> Option<PathBuf> {
    let header = path.parent()?.join("checklist.yaml");
    (path.file_name()? != "checklist.yaml" && header.is_file()).then_some(header)
}

/// Lints a checklist file as `sds lint` would: with the other files of its
/// version folder (read from disk) when it is one of several.
fn lint(path: Option<&Path>, shown: &str, body: &str, limits: &Limits) -> Vec<Finding> {
    let mut files = vec![(shown.to_owned(), body.to_owned())];
    let folder = path
        .filter(|p| {
            p.file_name().is_some_and(|n| n == "checklist.yaml") || sibling_header(p).is_some()
        })
        .and_then(Path::parent);
    if let Some(dir) = folder {
        let mut others: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                    && Some(p.as_path()) != path
            })
            .collect();
        others.sort();
        for p in others {
            if let Ok(text) = load::read_bytes(&p, limits).and_then(load::decode) {
                files.push((p.to_string_lossy().into_owned(), text));
            }
        }
        // The header first, as the loader expects of a version folder.
        files.sort_by_key(|(p, _)| !p.ends_with("checklist.yaml"));
    }
    let loaded = source::load_texts(files, limits);
    loaded
        .files
        .into_iter()
        .find(|o| o.path == shown)
        .map(|o| o.findings)
        .unwrap_or_default()
}

/// The LSP diagnostic of a finding.
#[must_use]
pub fn diagnostic(
    f: &Finding,
    text: &str,
    index: &LineIndex,
    shift: usize,
    related: Vec<DiagnosticRelatedInformation>,
    link_base: Option<&str>,
) -> Diagnostic {
    let mut message = f.message.clone();
    if let Some(w) = f.waives {
        message = format!("{message} (waives {})", w.as_str());
    }
    if let Some(h) = &f.help {
        message = format!("{message}\nhelp: {h}");
    }
    Diagnostic {
        range: index.range(text, f.span.start + shift, f.span.end + shift),
        severity: Some(match f.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Note => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(f.code.as_str().to_owned())),
        code_description: link_base.and_then(|base| {
            Url::parse(&format!("{base}#{}", f.code.as_str().to_ascii_lowercase()))
                .ok()
                .map(|href| CodeDescription { href })
        }),
        source: Some("sds".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(serde_json::json!({
            "name": f.code.name(),
            "item": f.item,
            "waives": f.waives.map(Code::as_str),
        })),
    }
}

/// Places elsewhere that explain a finding: the waiver that covers or
/// covered it, the first result of a duplicated item, the bound it breaks
/// (when the checklist is a file on disk).
#[must_use]
pub fn related(
    f: &Finding,
    root: Option<&Node>,
    uri: &Url,
    text: &str,
    index: &LineIndex,
    shift: usize,
    checklist: Option<&Checklist>,
) -> Vec<DiagnosticRelatedInformation> {
    let mut out = Vec::new();
    let Some(item) = f.item.as_deref() else {
        return out;
    };
    let here = |span: Span, message: String| DiagnosticRelatedInformation {
        location: Location::new(
            uri.clone(),
            index.range(text, span.start + shift, span.end + shift),
        ),
        message,
    };
    let item_nodes = |list: &str| -> Vec<Span> {
        root.and_then(|r| r.get(list))
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.get("item"))
            .filter(|n| n.as_str() == Some(item))
            .map(|n| n.span)
            .collect()
    };
    match f.code {
        Code::Waived | Code::WaiverExpired => {
            for s in item_nodes("waivers") {
                out.push(here(s, format!("the waiver of {item}")));
            }
        }
        Code::DuplicateResult => {
            if let Some(&s) = item_nodes("results").first() {
                out.push(here(s, format!("the first result for {item}")));
            }
        }
        Code::ThresholdViolated | Code::StatusContradiction | Code::MeasurementMissing => {
            if let Some((c, it)) = checklist.and_then(|c| Some((c, c.item(item)?))) {
                let bounds: Vec<String> = it
                    .bounds()
                    .map(|b| format!("{} {}", b.metric, b.describe()))
                    .collect();
                let file = c.files.get(it.file).filter(|f| !f.bundled);
                let abs = file.and_then(|f| std::path::absolute(&f.path).ok());
                if let Some(url) = abs.and_then(|p| Url::from_file_path(p).ok()) {
                    let ftext = &file.map_or_else(Default::default, |f| f.text.clone());
                    let fx = LineIndex::new(ftext);
                    out.push(DiagnosticRelatedInformation {
                        location: Location::new(
                            url,
                            fx.range(ftext, it.id_span.start, it.id_span.end),
                        ),
                        message: format!("{item} in {}: {}", c.label(), bounds.join("; ")),
                    });
                }
            }
        }
        _ => {}
    }
    out
}
