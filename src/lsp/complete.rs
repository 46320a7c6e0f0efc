//! Completion in reports: item ids not yet reported, statuses, the metrics
//! of the item's acceptance with their units, the units of a metric's
//! dimension, evidence kinds, vehicle attributes and their values, and
//! checklist ids and versions. Candidates come from the checklist the report
//! names (see [`super::analysis::Facts::checklist`]).

use std::collections::{BTreeMap, BTreeSet};

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, TextEdit,
};

use super::Server;
use super::context::{self, Cursor};
use crate::checklist::{Catalog, Checklist};
use crate::units;

const STATUSES: [(&str, &str); 4] = [
    (
        "pass",
        "tested, and every bound and evidence requirement is met",
    ),
    ("fail", "tested and failed (SDS030)"),
    ("not_tested", "not tested yet (SDS021)"),
    (
        "not_applicable",
        "does not apply to this vehicle (SDS022 when the checklist says it does)",
    ),
];

/// Attribute names and values of the checklist's vocabulary (`vehicle_attributes`).
#[must_use]
pub fn vocabulary(c: &Checklist) -> BTreeMap<String, (Vec<String>, bool, bool)> {
    c.vehicle_attributes
        .iter()
        .map(|a| (a.name.clone(), (a.values.clone(), a.list, a.required)))
        .collect()
}

struct Candidate {
    label: String,
    insert: String,
    detail: Option<String>,
    doc: Option<String>,
    kind: CompletionItemKind,
    sort: String,
}

impl Candidate {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Self {
        let label = label.into();
        Candidate {
            insert: label.clone(),
            sort: label.clone(),
            label,
            detail: None,
            doc: None,
            kind,
        }
    }
    fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = Some(d.into());
        self
    }
}

impl Server {
    // The request dispatcher (`Server::with_params`) hands every handler its params by value.
    #[allow(clippy::needless_pass_by_value)]
    pub(super) fn completion(&mut self, p: CompletionParams) -> Option<CompletionResponse> {
        let uri = &p.text_document_position.text_document.uri;
        let pos = p.text_document_position.position;
        let catalog = self.catalog.as_ref().ok()?.clone();
        let doc = self.analysed(uri)?;
        let text = &doc.text;
        let offset = doc.index.offset(text, pos);
        let line = doc.index.position(text, offset).line as usize;
        let lines: Vec<&str> = (0..=line).map(|l| doc.index.line(text, l)).collect();
        let (line_start, _) = doc.index.line_range(text, line);
        let cur = context::cursor(&lines, offset - line_start, line_start);
        let checklist = doc.facts.checklist(&catalog);
        let mut facts = doc.facts.clone();
        // Items reported in the current text, read line by line: the text may
        // not parse while a result is being typed.
        facts.items.extend(
            text.lines()
                .filter_map(|l| {
                    l.trim_start()
                        .trim_start_matches("- ")
                        .strip_prefix("item:")
                })
                .map(|v| v.trim().trim_matches(['"', '\'']).to_owned()),
        );
        let quoted = offset > 0
            && cur.prefix_start > 0
            && matches!(
                text.as_bytes().get(cur.prefix_start - 1),
                Some(b'"' | b'\'')
            );
        let cands = candidates(&cur, checklist, &catalog, &facts, quoted);
        if cands.is_empty() {
            return None;
        }
        let range = doc.index.range(text, cur.prefix_start, offset);
        let items = cands
            .into_iter()
            .map(|c| CompletionItem {
                label: c.label,
                kind: Some(c.kind),
                detail: c.detail,
                documentation: c.doc.map(|value| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value,
                    })
                }),
                sort_text: Some(c.sort),
                filter_text: None,
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, c.insert))),
                ..CompletionItem::default()
            })
            .collect();
        Some(CompletionResponse::Array(items))
    }
}

fn last(path: &[String]) -> &str {
    path.last().map_or("", String::as_str)
}

fn candidates(
    cur: &Cursor,
    checklist: Option<&Checklist>,
    catalog: &Catalog,
    facts: &super::analysis::Facts,
    quoted: bool,
) -> Vec<Candidate> {
    let key = cur.key.as_deref();
    let parent = last(&cur.path);
    let mut out = Vec::new();
    match (parent, key) {
        ("results" | "waivers", Some("item")) => {
            if let Some(c) = checklist {
                out = item_candidates(parent, c, facts);
            }
        }
        ("results", Some("status")) => {
            for (s, why) in STATUSES {
                out.push(Candidate::new(s, CompletionItemKind::ENUM_MEMBER).detail(why));
            }
        }
        ("measurements", None) => {
            if let Some(c) = checklist {
                out = metric_candidates(cur, c);
            }
        }
        ("measurements", Some(metric))
            if cur
                .value_before
                .starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') =>
        {
            out.extend(units_of(checklist, metric));
        }
        (_, Some("unit"))
            if cur.path.len() >= 2 && cur.path[cur.path.len() - 2] == "measurements" =>
        {
            out.extend(units_of(checklist, parent));
        }
        (_, Some("kind")) if cur.path.iter().any(|p| p == "evidence") => {
            if let Some(c) = checklist {
                out = evidence_candidates(cur, c);
            }
        }
        ("attributes", None) => {
            if let Some(c) = checklist {
                out = attribute_candidates(c);
            }
        }
        ("attributes", Some(attr)) => {
            let Some(c) = checklist else { return out };
            if let Some((values, _, _)) = vocabulary(c).get(attr) {
                for v in values {
                    out.push(Candidate::new(v, CompletionItemKind::ENUM_MEMBER).detail(attr));
                }
            }
        }
        ("checklist", Some("id")) => {
            let mut ids: Vec<&str> = catalog.all().iter().map(|c| c.id.as_str()).collect();
            ids.dedup();
            for id in ids {
                out.push(Candidate::new(id, CompletionItemKind::MODULE));
            }
        }
        ("checklist", Some("version")) => {
            out = version_candidates(catalog, facts, quoted);
        }
        _ => {}
    }
    let prefix = cur.prefix.as_str();
    out.retain(|c| {
        c.label.starts_with(prefix)
            || prefix.is_empty()
            || c.label
                .to_ascii_lowercase()
                .contains(&prefix.to_ascii_lowercase())
    });
    out
}

fn units_of(checklist: Option<&Checklist>, metric: &str) -> Vec<Candidate> {
    let Some(unit) = checklist
        .and_then(|c| c.metrics.get(metric))
        .and_then(|m| m.unit)
    else {
        return Vec::new();
    };
    units::TABLE
        .iter()
        .filter(|u| u.dimension == unit.dimension)
        .map(|u| {
            let mut c = Candidate::new(u.symbol, CompletionItemKind::UNIT).detail(
                if u.symbol == unit.symbol {
                    format!("{} (the registry unit)", u.dimension)
                } else {
                    u.dimension.to_string()
                },
            );
            c.sort = format!("{}{}", u8::from(u.symbol != unit.symbol), u.symbol);
            c
        })
        .collect()
}

/// Item ids: those not yet reported (under `results`), applicable first.
fn item_candidates(parent: &str, c: &Checklist, facts: &super::analysis::Facts) -> Vec<Candidate> {
    let mut out = Vec::new();
    let known = facts.known_attributes(c);
    for (i, it) in c.items.iter().enumerate() {
        let reported = facts.items.iter().any(|x| x == &it.id);
        if parent == "results" && reported {
            continue;
        }
        let applies = it.applies_to(&known, c);
        let mut cand = Candidate::new(&it.id, CompletionItemKind::VALUE).detail(format!(
            "{}{}",
            it.title,
            if applies {
                ""
            } else {
                " (does not apply to this vehicle)"
            }
        ));
        cand.doc = Some(format!(
            "**{}** — {}\n\n{}\n\n{}",
            it.id,
            it.title,
            it.scenario,
            if applies {
                "Applies to this vehicle."
            } else {
                "Does not apply to this vehicle (its `applies_when` excludes it)."
            }
        ));
        // Applicable items first, then in checklist order.
        cand.sort = format!("{}{i:05}", u8::from(!applies));
        out.push(cand);
    }
    out
}

/// Metric names: the current item's, else every metric of the checklist.
fn metric_candidates(cur: &Cursor, c: &Checklist) -> Vec<Candidate> {
    let mut out = Vec::new();
    let wanted: Vec<&str> = match cur.item.as_deref().and_then(|i| c.item(i)) {
        Some(it) => it.bounds().map(|b| b.metric.as_str()).collect(),
        None => c.metrics.keys().map(String::as_str).collect(),
    };
    let mut seen = BTreeSet::new();
    for m in wanted {
        if !seen.insert(m) {
            continue;
        }
        let Some(metric) = c.metrics.get(m) else {
            continue;
        };
        let bounds: Vec<String> = cur
            .item
            .as_deref()
            .and_then(|i| c.item(i))
            .map(|it| {
                it.bounds()
                    .filter(|b| b.metric == m)
                    .map(crate::checklist::Bound::describe)
                    .collect()
            })
            .unwrap_or_default();
        let mut cand = Candidate::new(m, CompletionItemKind::FIELD)
            .detail(format!("{} — {}", metric.unit_text, metric.description));
        if !bounds.is_empty() {
            cand.doc = Some(format!("bound: {}", bounds.join(", ")));
        }
        cand.insert = format!("{m}: ");
        out.push(cand);
    }
    out
}

/// Evidence kinds, those the current item requires first.
fn evidence_candidates(cur: &Cursor, c: &Checklist) -> Vec<Candidate> {
    let mut out = Vec::new();
    let needed: Vec<&String> = cur
        .item
        .as_deref()
        .and_then(|i| c.item(i))
        .map(|it| it.evidence.iter().collect())
        .unwrap_or_default();
    for k in &c.evidence_kinds {
        let need = needed.contains(&k);
        let mut cand = Candidate::new(k, CompletionItemKind::ENUM_MEMBER);
        if need {
            cand = cand.detail("required by this item");
        }
        cand.sort = format!("{}{k}", u8::from(!need));
        out.push(cand);
    }
    out
}

/// The vehicle attributes the checklist declares.
fn attribute_candidates(c: &Checklist) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (name, (values, list, required)) in vocabulary(c) {
        let mut cand = Candidate::new(&name, CompletionItemKind::FIELD).detail(format!(
            "{}{}: {}",
            if required { "required; " } else { "" },
            if list { "a list of" } else { "one of" },
            values.join(", ")
        ));
        cand.insert = if list {
            format!("{name}: [")
        } else {
            format!("{name}: ")
        };
        out.push(cand);
    }
    out
}

/// Checklist versions, newest first, of the stated id if any.
fn version_candidates(
    catalog: &Catalog,
    facts: &super::analysis::Facts,
    quoted: bool,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let id = facts.checklist.as_ref().map(|(id, _)| id.as_str());
    for c in catalog
        .all()
        .iter()
        .rev()
        .filter(|c| id.is_none_or(|i| i == c.id))
    {
        let v = c.version.to_string();
        let mut cand = Candidate::new(&v, CompletionItemKind::CONSTANT).detail(format!(
            "{} ({} items)",
            c.title,
            c.items.len()
        ));
        // A version is always a quoted string (`1.10` would be a number).
        if !quoted {
            cand.insert = format!("\"{v}\"");
        }
        cand.sort = format!("{:05}", out.len());
        out.push(cand);
    }
    out
}
