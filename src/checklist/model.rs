//! What a compiled checklist is: items, bounds in canonical units, metrics,
//! domains and the vehicle attributes it declares.

use std::collections::{BTreeMap, HashMap};

use num_traits::Signed;
use semver::Version;

use super::source::{self, ChecklistFile};
use crate::load::Span;
use crate::units::{self, Dimension, Exact, Unit};

/// How much an item matters (not how many points it is worth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ItemSeverity {
    Critical,
    Major,
    Minor,
}

/// The software level whose change forces a retest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Level {
    Major,
    Minor,
    Patch,
}

impl Level {
    /// As written in checklists.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Major => "major",
            Level::Minor => "minor",
            Level::Patch => "patch",
        }
    }

    /// How many version components are compared at this level.
    #[must_use]
    pub fn components(self) -> usize {
        match self {
            Level::Major => 1,
            Level::Minor => 2,
            Level::Patch => 3,
        }
    }
}

/// A metric of the registry.
#[derive(Debug, Clone)]
pub struct Metric {
    /// The unit as written.
    pub unit_text: String,
    /// The unit, when the table knows it (SDS104 otherwise).
    pub unit: Option<&'static Unit>,
    /// What it measures.
    pub description: String,
    /// Where its unit stands in the header file.
    pub unit_span: Span,
    /// The physically possible span of a value, in canonical units (a
    /// `count` is always whole and at least 0, whatever the registry says).
    pub range: Range,
    /// How the value is derived from raw test data, when the registry says.
    pub derive: Option<crate::derive::DeriveSpec>,
    /// How far a stated value may differ from the derived one.
    pub tolerance: crate::derive::Tolerance,
}

/// A metric's physically possible span (`range: {min?, max?}` in the
/// registry unit), kept in canonical units; a value outside is SDS036.
#[derive(Debug, Clone, Default)]
pub struct Range {
    /// Lowest possible value, canonical.
    pub min: Option<Exact>,
    /// Highest possible value, canonical.
    pub max: Option<Exact>,
    /// Where `range:` stands, when declared.
    pub span: Option<Span>,
}

impl Metric {
    /// Whether this metric counts events (whole numbers, never negative).
    #[must_use]
    pub fn is_count(&self) -> bool {
        self.unit.is_some_and(|u| u.dimension == Dimension::Count)
    }

    /// Why a canonical value is impossible for this metric (SDS036), if it is.
    #[must_use]
    pub fn impossible(&self, canonical: &Exact) -> Option<String> {
        let unit = self.unit?;
        let shown = |v: &Exact| format!("{}{}", units::show(&unit.from_canonical(v)), suffix(unit));
        if self.is_count() {
            if !canonical.is_integer() {
                return Some("a count is a whole number".to_owned());
            }
            if canonical.is_negative() {
                return Some("a count is never negative".to_owned());
            }
        }
        if let Some(min) = &self.range.min
            && canonical < min
        {
            return Some(format!("its possible range starts at {}", shown(min)));
        }
        if let Some(max) = &self.range.max
            && canonical > max
        {
            return Some(format!("its possible range ends at {}", shown(max)));
        }
        None
    }
}

/// ` mm` after a number (see [`units::suffix`]).
#[must_use]
pub fn suffix(unit: &Unit) -> String {
    units::suffix(unit.symbol)
}

/// One acceptance bound, with its limits in the metric's unit and in canonical units.
#[derive(Debug, Clone)]
pub struct Bound {
    /// The metric name.
    pub metric: String,
    /// Lower limit, inclusive, in the registry unit.
    pub min: Option<f64>,
    /// Upper limit, inclusive, in the registry unit.
    pub max: Option<f64>,
    /// `min` in canonical units, exact (read from its text).
    pub min_canonical: Option<Exact>,
    /// `max` in canonical units, exact (read from its text).
    pub max_canonical: Option<Exact>,
    /// The metric's unit (None when the metric or its unit is undefined: lint error).
    pub unit: Option<&'static Unit>,
    /// Where the bound stands (for lint).
    pub span: Span,
    /// Where the metric name stands (for lint).
    pub metric_span: Span,
}

impl Bound {
    /// `min ≤ x ≤ max` written for people, in the registry unit.
    #[must_use]
    pub fn describe(&self) -> String {
        let u = units::suffix(self.unit.map_or("", |u| u.symbol));
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("between {a} and {b}{u}"),
            (Some(a), None) => format!("at least {a}{u}"),
            (None, Some(b)) => format!("at most {b}{u}"),
            (None, None) => "unbounded".into(),
        }
    }
}

impl Bound {
    /// "above" or "below" when the canonical value breaks the bound (no
    /// tolerance: a value beyond the bound by any amount breaks it).
    #[must_use]
    pub fn breach(&self, canonical: &Exact) -> Option<&'static str> {
        if self.max_canonical.as_ref().is_some_and(|m| canonical > m) {
            Some("above")
        } else if self.min_canonical.as_ref().is_some_and(|m| canonical < m) {
            Some("below")
        } else {
            None
        }
    }
}

/// One attribute of the `vehicle_attributes` vocabulary.
#[derive(Debug, Clone)]
pub struct AttributeDecl {
    /// Its name (`powertrain`).
    pub name: String,
    /// The values it may take, compared exactly.
    pub values: Vec<String>,
    /// A report must state it.
    pub required: bool,
    /// It takes a list of values (`features`).
    pub list: bool,
    /// Where its name stands in the header.
    pub span: Span,
}

/// An applicability condition: the vehicle attribute must take one of the values.
#[derive(Debug, Clone)]
pub struct Condition {
    /// Attribute name (`powertrain`, `market`, `features`, ...).
    pub attribute: String,
    /// Allowed values (for a `list: true` attribute: all of these must be present).
    pub values: Vec<String>,
    /// Where the attribute name stands (for lint).
    pub span: Span,
}

/// A compiled checklist item.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct Item {
    pub id: String,
    pub domain: String,
    pub title: String,
    pub scenario: String,
    /// `conditions` as `key: value` text, in file order.
    pub conditions: Vec<(String, String)>,
    pub severity: ItemSeverity,
    pub points: u32,
    pub applies_when: Vec<Condition>,
    /// Bounds that must all hold (`acceptance: [...]`).
    pub acceptance: Vec<Bound>,
    /// Alternative sets of bounds, at least one of which must hold in full
    /// (`acceptance: {any_of: [[...], [...]]}`); empty otherwise.
    pub any_of: Vec<Vec<Bound>>,
    pub evidence: Vec<String>,
    /// Where `evidence:` stands (for lint).
    pub evidence_span: Option<Span>,
    pub validity_days: Option<u32>,
    pub retest_on: Option<Level>,
    pub waivable: bool,
    pub references: Vec<String>,
    /// Index of the file that holds it in [`Checklist::files`].
    pub file: usize,
    /// Where its id stands.
    pub id_span: Span,
    /// Where its domain stands.
    pub domain_span: Span,
}

impl Item {
    /// Every bound of the item: its plain acceptance and the bounds of each
    /// `any_of` alternative. For what names a metric, never for the verdict
    /// (an alternative's bounds hold only together).
    pub fn bounds(&self) -> impl Iterator<Item = &Bound> {
        self.acceptance.iter().chain(self.any_of.iter().flatten())
    }
}

/// A domain of the header.
#[derive(Debug, Clone)]
pub struct Domain {
    /// Id (e.g. `CRASH`).
    pub id: String,
    /// Title.
    pub title: String,
}

/// A compiled checklist version.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// Checklist id (e.g. `sds`).
    pub id: String,
    /// Version.
    pub version: Version,
    /// Where the version stands in the header.
    pub version_span: Span,
    /// Title.
    pub title: String,
    /// Declared total of points.
    pub total_points: u32,
    /// Where `total_points` stands.
    pub total_points_span: Span,
    /// The metric registry.
    pub metrics: BTreeMap<String, Metric>,
    /// Domains in header order.
    pub domains: Vec<Domain>,
    /// Allowed evidence kinds.
    pub evidence_kinds: Vec<String>,
    /// The vocabulary of applicability, in header order.
    pub vehicle_attributes: Vec<AttributeDecl>,
    /// Items in file order.
    pub items: Vec<Item>,
    pub(super) index: HashMap<String, usize>,
    /// The files it was read from, header first.
    pub files: Vec<ChecklistFile>,
    /// The sha256 of the file, or of the manifest of a directory's files.
    pub sha256: String,
    /// Compiled into the binary.
    pub bundled: bool,
}

impl Checklist {
    /// The item with this id.
    #[must_use]
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.index.get(id).map(|&i| &self.items[i])
    }

    /// The position of the item with this id in [`Checklist::items`].
    #[must_use]
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// `id@version`.
    #[must_use]
    pub fn label(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The declared attribute of this name.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&AttributeDecl> {
        self.vehicle_attributes.iter().find(|a| a.name == name)
    }

    /// The sha256 of the content alone (each file's bytes, not its path):
    /// two copies of one checklist in different places are the same checklist.
    #[must_use]
    pub fn content_digest(&self) -> String {
        let mut digests: Vec<&str> = self.files.iter().map(|f| f.sha256.as_str()).collect();
        digests.sort_unstable();
        source::sha256_hex(digests.join("\n").as_bytes())
    }
}
