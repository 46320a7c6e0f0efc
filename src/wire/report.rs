//! One input file (`reports[]`): its checklist, score and derived figures,
//! to and from the engine's `Outcome`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Finding;
use crate::outcome::{
    ChecklistRef as EngineChecklistRef, ItemState, Outcome, Points, Score as EngineScore,
};

/// One input file (`reports[]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Path as given or found.
    pub path: String,
    /// sha256 of the bytes, when read.
    pub sha256: Option<String>,
    /// `report.id`, when read.
    pub id: Option<String>,
    /// The date it was judged at.
    #[serde(with = "super::fields::opt_date")]
    pub as_of: Option<NaiveDate>,
    /// The checklist it resolved to.
    pub checklist: Option<ChecklistRef>,
    /// The score, when checked.
    pub score: Option<Score>,
    /// Findings (those absorbed by a baseline apart).
    pub findings: Vec<Finding>,
    /// Findings the baseline absorbed; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub baselined: Vec<Finding>,
    /// Values derived from raw test data; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derived: Vec<Derived>,
}

/// A value derived from raw test data (`reports[].derived[]`): the engine's
/// record itself.
pub use crate::outcome::DerivedRecord as Derived;

/// The checklist a report resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRef {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256.
    pub sha256: String,
}

/// A report's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Points earned.
    pub earned: u32,
    /// Points waived.
    pub waived: u32,
    /// Points applicable.
    pub applicable: u32,
    /// The checklist's `total_points`.
    pub total: u32,
    /// earned / applicable in percent, two decimals; null when nothing applies.
    pub percent: Option<f64>,
    /// One letter per item (`ItemState::letter`).
    pub items: String,
    /// Per domain.
    pub domains: Vec<DomainScore>,
}

/// A domain's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainScore {
    /// Domain id.
    pub id: String,
    /// Domain title.
    pub title: String,
    /// Points earned.
    pub earned: u32,
    /// Points waived.
    pub waived: u32,
    /// Points applicable.
    pub applicable: u32,
    /// Points of the domain's items.
    pub total: u32,
    /// earned / applicable in percent; null when nothing applies.
    pub percent: Option<f64>,
}

fn percent(p: &Points) -> Option<f64> {
    p.percent().map(|v| (v * 100.0).round() / 100.0)
}

impl From<&Outcome> for Report {
    fn from(o: &Outcome) -> Self {
        Report {
            path: o.path.clone(),
            sha256: o.sha256.clone(),
            id: o.id.clone(),
            as_of: o.as_of,
            checklist: o.checklist.as_ref().map(|c| ChecklistRef {
                id: c.id.clone(),
                version: c.version.clone(),
                sha256: c.sha256.clone(),
            }),
            score: o.score.as_ref().map(|s| Score {
                earned: s.overall.earned,
                waived: s.overall.waived,
                applicable: s.overall.applicable,
                total: s.overall.total,
                percent: percent(&s.overall),
                items: s.items.iter().map(|i| i.letter()).collect(),
                domains: s
                    .domains
                    .iter()
                    .map(|(id, title, p)| DomainScore {
                        id: id.clone(),
                        title: title.clone(),
                        earned: p.earned,
                        waived: p.waived,
                        applicable: p.applicable,
                        total: p.total,
                        percent: percent(p),
                    })
                    .collect(),
            }),
            findings: o
                .findings
                .iter()
                .filter(|f| !f.baselined)
                .map(Finding::from)
                .collect(),
            baselined: o
                .findings
                .iter()
                .filter(|f| f.baselined)
                .map(Finding::from)
                .collect(),
            derived: o.derived.clone(),
        }
    }
}

impl Report {
    /// The outcome as the engine holds it.
    ///
    /// # Errors
    /// A finding whose name does not match its code, or a letter of
    /// `score.items` that names no state.
    pub fn into_outcome(self) -> Result<Outcome, String> {
        let mut o = Outcome::new(self.path);
        o.sha256 = self.sha256;
        o.id = self.id;
        o.as_of = self.as_of;
        o.checklist = self.checklist.map(|c| EngineChecklistRef {
            id: c.id,
            version: c.version,
            sha256: c.sha256,
        });
        o.score = match self.score {
            None => None,
            Some(s) => Some(EngineScore {
                overall: Points {
                    earned: s.earned,
                    waived: s.waived,
                    applicable: s.applicable,
                    total: s.total,
                },
                domains: s
                    .domains
                    .into_iter()
                    .map(|d| {
                        let p = Points {
                            earned: d.earned,
                            waived: d.waived,
                            applicable: d.applicable,
                            total: d.total,
                        };
                        (d.id, d.title, p)
                    })
                    .collect(),
                items: s
                    .items
                    .chars()
                    .map(|c| {
                        ItemState::from_letter(c).ok_or_else(|| {
                            format!("`score.items` holds {c:?}, which names no state")
                        })
                    })
                    .collect::<Result<_, _>>()?,
            }),
        };
        for f in self.findings {
            o.findings.push(f.into_finding(false)?);
        }
        for f in self.baselined {
            o.findings.push(f.into_finding(true)?);
        }
        o.derived = self.derived;
        o.sort_findings();
        Ok(o)
    }
}
