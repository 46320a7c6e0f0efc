//! What checking one file produced: the unit every renderer formats.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity};
use crate::source;

/// Points of a report, overall or for one domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Points {
    /// Points of applicable items demonstrated in full.
    pub earned: u32,
    /// Points of applicable items whose only findings are waived.
    pub waived: u32,
    /// Points of the items that apply to this vehicle.
    pub applicable: u32,
    /// Points of all items (the checklist's `total_points` overall).
    pub total: u32,
}

impl Points {
    /// `earned / applicable` in percent; none when nothing applies (a
    /// report with no applicable points has no score, never "100 %").
    #[must_use]
    pub fn percent(&self) -> Option<f64> {
        (self.applicable > 0).then(|| f64::from(self.earned) * 100.0 / f64::from(self.applicable))
    }

    /// The percentage for people, with `decimals` places, or `n/a`.
    #[must_use]
    pub fn percent_text(&self, decimals: usize) -> String {
        self.percent()
            .map_or_else(|| "n/a".to_owned(), |p| format!("{p:.decimals$}%"))
    }
}

/// Where one checklist item stands for one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    /// Applies, and its points are earned.
    Earned,
    /// Applies and has a result, but does not earn (failed, bound broken, stale, ...).
    Failed,
    /// Applies and has no result.
    Missing,
    /// Applies; all its findings are waived.
    Waived,
    /// Does not apply to this vehicle.
    NotApplicable,
}

impl ItemState {
    /// One letter per state, for the compact `score.items` string of the JSON output.
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            ItemState::Earned => 'E',
            ItemState::Failed => 'F',
            ItemState::Missing => 'M',
            ItemState::Waived => 'W',
            ItemState::NotApplicable => 'N',
        }
    }

    /// The state of a letter of `score.items`.
    #[must_use]
    pub fn from_letter(c: char) -> Option<Self> {
        Some(match c {
            'E' => ItemState::Earned,
            'F' => ItemState::Failed,
            'M' => ItemState::Missing,
            'W' => ItemState::Waived,
            'N' => ItemState::NotApplicable,
            _ => return None,
        })
    }

    /// Lowercase name, as in outputs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Earned => "earned",
            ItemState::Failed => "failed",
            ItemState::Missing => "missing",
            ItemState::Waived => "waived",
            ItemState::NotApplicable => "not_applicable",
        }
    }
}

/// A report's score: overall and per domain (in the checklist's domain order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Score {
    /// Over all items.
    pub overall: Points,
    /// Per domain: id, title, points.
    pub domains: Vec<(String, String, Points)>,
    /// The state of each checklist item, in the checklist's item order.
    pub items: Vec<ItemState>,
}

/// The checklist a report resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistRef {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256 of the checklist (file, or manifest of a folder's files).
    pub sha256: String,
}

/// One input file's outcome.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The path as given or found.
    pub path: String,
    /// sha256 of its bytes, when it could be read.
    pub sha256: Option<String>,
    /// `report.id`, when it could be read.
    pub id: Option<String>,
    /// The date freshness and waivers were judged at.
    pub as_of: Option<NaiveDate>,
    /// The checklist it resolved to.
    pub checklist: Option<ChecklistRef>,
    /// The score, when the report could be checked.
    pub score: Option<Score>,
    /// Findings, sorted by position.
    pub findings: Vec<Finding>,
    /// The text, kept only where a renderer shows source lines.
    pub source: Option<Arc<str>>,
    /// Values derived from raw test data (`reports[].derived[]` in JSON).
    pub derived: Vec<DerivedRecord>,
}

impl Outcome {
    /// An outcome with nothing in it yet.
    #[must_use]
    pub fn new(path: impl Into<String>) -> Self {
        Outcome {
            path: path.into(),
            ..Outcome::default()
        }
    }

    /// Gives each finding not yet located the line and column of its span's
    /// start in `text`, the file this outcome is of. Called where a file's
    /// findings are final and its text is still at hand: the text is not kept
    /// beside the findings (a run streams thousands of reports).
    pub fn locate(&mut self, text: &str) {
        let mut todo: Vec<&mut Finding> = self
            .findings
            .iter_mut()
            .filter(|f| !f.at.is_known())
            .collect();
        let offsets: Vec<usize> = todo.iter().map(|f| f.span.start).collect();
        for (f, at) in todo.iter_mut().zip(source::locate_all(text, &offsets)) {
            f.at = at;
        }
    }

    /// [`Outcome::locate`] in the outcome's own text. Without one, the only
    /// findings are those of a file that could not be read, at its top.
    pub fn locate_in_source(&mut self) {
        let text = self.source.clone();
        self.locate(text.as_deref().unwrap_or_default());
    }

    /// Sorts findings into the fixed output order (position, code, item, message).
    pub fn sort_findings(&mut self) {
        self.findings.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.message.cmp(&b.message))
        });
    }

    /// Number of findings at this severity.
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity && !f.baselined)
            .count()
    }
}

/// One value derived from raw data, for the audit trail (`reports[].derived[]`):
/// what an audit needs to repeat the computation. The engine's record and the
/// findings JSON's are one type: a merged shard or a baseline keeps it whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedRecord {
    /// The item.
    pub item: String,
    /// The metric.
    pub metric: String,
    /// The derived value, in the metric's registry unit.
    pub value: f64,
    /// The registry unit.
    pub unit: String,
    /// The stated value in the registry unit, when there is one.
    pub claimed: Option<f64>,
    /// `data.path` as written.
    pub data: String,
    /// `data.position`.
    pub position: String,
    /// Codes of the channels read.
    pub channels: Vec<String>,
    /// Where the value was found, ms (a window, or an instant twice); a
    /// two-number array in JSON.
    pub window_ms: (f64, f64),
}
