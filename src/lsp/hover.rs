//! Hover: an item id shows what the item asks (title, scenario, bounds with
//! units, evidence, references, and whether it applies to this vehicle); a
//! metric its unit, description and the bound of the result's item; a
//! finding code its explanation from the registry.

use std::fmt::Write;
use std::str::FromStr;

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::Server;
use super::context;
use super::text::word_at;
use crate::checklist::{Checklist, Item};
use crate::codes::Code;
use crate::diff::conditions_text;
use crate::explain;

impl Server {
    // The request dispatcher (`Server::with_params`) hands every handler its params by value.
    #[allow(clippy::needless_pass_by_value)]
    pub(super) fn hover(&mut self, p: HoverParams) -> Option<Hover> {
        let uri = &p.text_document_position_params.text_document.uri;
        let pos = p.text_document_position_params.position;
        let catalog = self.catalog.as_ref().ok().cloned();
        let doc = self.analysed(uri)?;
        let text = &doc.text;
        let offset = doc.index.offset(text, pos);
        let (start, end) = word_at(text, offset)?;
        let word = text.get(start..end)?.trim_end_matches('.');
        let value = if word.len() == 6 && word.starts_with("SDS") {
            Code::from_str(word).ok().map(explain::code)
        } else {
            None
        };
        let value = value.or_else(|| {
            let catalog = catalog.as_deref()?;
            let c = doc.facts.checklist(catalog)?;
            if let Some(it) = c.item(word) {
                return Some(item_text(c, it, doc));
            }
            let m = c.metrics.get(word)?;
            let line = doc.index.position(text, offset).line as usize;
            let lines: Vec<&str> = (0..=line).map(|l| doc.index.line(text, l)).collect();
            let (ls, _) = doc.index.line_range(text, line);
            let cur = context::cursor(&lines, offset - ls, ls);
            let mut s = format!("**{word}** — {}\n\nunit: `{}`", m.description, m.unit_text);
            if let Some(u) = m.unit {
                let _ = write!(s, " ({})", u.dimension);
            }
            if let Some(it) = cur.item.as_deref().and_then(|i| c.item(i)) {
                for b in it.bounds().filter(|b| b.metric == word) {
                    let _ = write!(s, "\n\nbound for {}: {}", it.id, b.describe());
                }
            }
            Some(s)
        })?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(doc.index.range(text, start, end)),
        })
    }
}

fn item_text(c: &Checklist, it: &Item, doc: &super::Document) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "**{}** — {}\n", it.id, it.title);
    let _ = writeln!(
        s,
        "{} · domain {} · {} point{} · {}{}\n",
        c.label(),
        it.domain,
        it.points,
        if it.points == 1 { "" } else { "s" },
        crate::diff::severity_text(it.severity),
        if it.waivable { "" } else { " · not waivable" }
    );
    let _ = writeln!(s, "scenario: {}\n", it.scenario);
    if !it.conditions.is_empty() {
        let cond: Vec<String> = it
            .conditions
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        let _ = writeln!(s, "conditions: {}\n", cond.join("; "));
    }
    let applies = it.applies_to(&doc.facts.known_attributes(c), c);
    let _ = writeln!(
        s,
        "applies to: {} — **{}**\n",
        conditions_text(&it.applies_when),
        if applies {
            "applies to this vehicle"
        } else {
            "does not apply to this vehicle"
        }
    );
    let bound = |b: &crate::checklist::Bound| {
        let unit = c
            .metrics
            .get(&b.metric)
            .map_or("", |m| m.unit_text.as_str());
        format!("`{}` {} (unit `{unit}`)", b.metric, b.describe())
    };
    if !it.any_of.is_empty() {
        let _ = writeln!(
            s,
            "acceptance (status pass, and at least one of these alternatives in full):"
        );
        for (n, alt) in it.any_of.iter().enumerate() {
            let all: Vec<String> = alt.iter().map(bound).collect();
            let _ = writeln!(s, "{}. {}", n + 1, all.join(" and "));
        }
        s.push('\n');
    } else if it.acceptance.is_empty() {
        let _ = writeln!(s, "acceptance: status pass (no measurable bound)\n");
    } else {
        let _ = writeln!(s, "acceptance (status pass, and):");
        for b in &it.acceptance {
            let _ = writeln!(s, "- {}", bound(b));
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "evidence: {}\n",
        if it.evidence.is_empty() {
            "none required".to_owned()
        } else {
            it.evidence.join(", ")
        }
    );
    if let Some(d) = it.validity_days {
        let _ = writeln!(s, "valid for {d} days after `tested_on`\n");
    }
    if let Some(l) = it.retest_on {
        let _ = writeln!(
            s,
            "retest on every {} change of the vehicle software\n",
            l.as_str()
        );
    }
    if !it.references.is_empty() {
        let _ = writeln!(s, "references:");
        for r in &it.references {
            let _ = writeln!(s, "- {r}");
        }
    }
    s
}
