//! The `--waivers FILE` reader: the file read, checked against its schema,
//! and turned into [`ExternalWaiver`]s; SDS002 for a `reports` glob that
//! does not compile. Any finding makes the file unusable (exit 2).

use std::path::Path;

use super::Error;
use super::inputs::display;
use super::read::read_tree;
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{self, DocKind, Limits, Node};
use crate::outcome::Outcome;
use crate::report;
use crate::rules::ExternalWaiver;
use crate::rules::waivers::normalise;
use crate::schema::{self, SchemaKind};
use crate::source::LineIndex;

/// The waivers of the file, its sha256, and its outcome (which collects the
/// run-wide waiver findings later).
///
/// # Errors
/// [`Error::WaiversInvalid`] with the findings that make the file unusable.
pub(super) fn load(
    path: &Path,
    limits: &Limits,
) -> Result<(Vec<ExternalWaiver>, String, Outcome), Error> {
    let (mut o, tree) = read_tree(path, limits, true);
    let invalid = |mut o: Outcome| {
        o.locate_in_source();
        Error::WaiversInvalid(display(path), Box::new(o))
    };
    let Some((text, root)) = tree else {
        return Err(invalid(o));
    };
    if let Err(e) = load::check_format(&root, DocKind::Waivers) {
        o.findings.push(e.into());
        return Err(invalid(o));
    }
    o.findings = schema::validate(&root, &text, SchemaKind::Waivers);
    let index = LineIndex::new(&text);
    let mut waivers = Vec::new();
    for w in root.get("waivers").map(Node::items).unwrap_or_default() {
        let date = w.get("expires").map(report::date);
        let expires = match date {
            Some(Ok(d)) => d.date,
            Some(Err(f)) => {
                o.findings.push(f);
                continue;
            }
            None => continue,
        };
        let text_of = |k: &str| w.get(k).and_then(Node::as_str).map(ToOwned::to_owned);
        let reports = match text_of("reports") {
            // gitignore and shell rules: `*` and `?` never cross `/`, `**` does.
            Some(g) => match globset::GlobBuilder::new(&g)
                .literal_separator(true)
                .build()
            {
                Ok(g) => Some(g.compile_matcher()),
                Err(e) => {
                    o.findings.push(Finding::new(
                        Code::SchemaViolation,
                        w.get("reports").map_or(w.span, |n| n.span),
                        format!("`reports` is not a valid glob: {e}"),
                    ));
                    continue;
                }
            },
            None => None,
        };
        waivers.push(ExternalWaiver {
            item: text_of("item").unwrap_or_default(),
            reason: text_of("reason").unwrap_or_default(),
            approved_by: text_of("approved_by").unwrap_or_default(),
            expires,
            reports,
            base: normalise(
                path.parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new(".")),
            ),
            report: text_of("report"),
            origin: format!(
                "{}:{}",
                display(path),
                index.location(&text, w.span.start).line
            ),
            span: w.get("item").map_or(w.span, |n| n.span),
        });
    }
    if !o.findings.is_empty() {
        o.sort_findings();
        return Err(invalid(o));
    }
    let sha = o.sha256.clone().unwrap_or_default();
    Ok((waivers, sha, o))
}
