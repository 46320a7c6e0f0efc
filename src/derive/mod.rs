//! Measurements derived from raw test data (PRODUCT.md, "Measurements derived
//! from raw test data"): read an ISO-MME dataset once, then re-derive a
//! criterion (peak, HIC, exceedance level, VC, tibia index) from its channels
//! so a claimed value can be checked against what the sensors recorded.
//!
//! [`isomme`] reads the container, [`cfc`] filters, [`criteria`] computes;
//! this module picks the channels a [`DeriveSpec`] names, filters them to its
//! class (only those not already filtered to it), converts through the one
//! unit table, and says where the value was found.

pub mod cfc;
mod channels;
pub mod criteria;
mod dataset;
mod evaluate;
pub mod isomme;
pub mod spec;

pub use channels::si_factor;
pub use dataset::{Dataset, DatasetCache};
pub use evaluate::derive;
pub use spec::Tolerance;

use std::fmt;

/// Why a value could not be derived: what SDS045 prints.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The class of problem.
    pub kind: DataErrorKind,
    /// A sentence naming the file, channel or line at fault.
    pub message: String,
}

/// Classes of [`DataError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataErrorKind {
    /// The container or a file in it cannot be read (not a dataset, not a zip, I/O).
    Unreadable,
    /// A size limit refused the data.
    Limit,
    /// A channel the criterion needs is not in the dataset.
    MissingChannel,
    /// A channel is sampled too coarsely for the filter class.
    TooCoarse,
    /// A sample or a numeric header is not a number.
    NotANumber,
    /// Something sds does not handle: a unit, a dummy's constants, a time base.
    Unsupported,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DataError {}

fn error(kind: DataErrorKind, message: String) -> DataError {
    DataError { kind, message }
}

/// The criteria sds implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Signed peak of one channel (or the largest over several locations).
    Peak,
    /// Head injury criterion: the maximum over every window up to `window_ms`.
    Hic,
    /// The level exceeded for `duration_ms` cumulatively (head a3ms, femur 10 ms).
    Exceedance,
    /// Viscous criterion (SAE J1727).
    Vc,
    /// Tibia index.
    TibiaIndex,
}

impl Criterion {
    /// The spelling in a checklist's `derive.criterion`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Criterion> {
        Some(match s {
            "peak" => Criterion::Peak,
            "hic" => Criterion::Hic,
            "exceedance" => Criterion::Exceedance,
            "vc" => Criterion::Vc,
            "tibia_index" => Criterion::TibiaIndex,
            _ => return None,
        })
    }

    /// The spelling in a checklist.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Criterion::Peak => "peak",
            Criterion::Hic => "hic",
            Criterion::Exceedance => "exceedance",
            Criterion::Vc => "vc",
            Criterion::TibiaIndex => "tibia_index",
        }
    }
}

/// Which side of a signed channel counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// The most negative value, as a positive magnitude (chest, femur, tibia).
    Compression,
    /// The most positive value (neck tension).
    Tension,
}

/// How a metric is derived: the checklist's `derive` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeriveSpec {
    /// What to compute (`None` only in a spec still being built).
    pub criterion: Option<Criterion>,
    /// HIC: the longest window, ms.
    pub window_ms: Option<f64>,
    /// Exceedance: the cumulative duration, ms.
    pub duration_ms: Option<f64>,
    /// Main location and fine locations 1 and 2 (8 characters, `HEAD0000`).
    pub location: Option<String>,
    /// Several locations instead of one: the largest value over them.
    pub over: Vec<String>,
    /// Physical dimension (2 characters: `AC`, `FO`, `DS`, `MO`).
    pub dimension: Option<String>,
    /// Direction (`X`, `Y`, `Z`), unless `resultant`.
    pub direction: Option<char>,
    /// The resultant of X, Y and Z.
    pub resultant: bool,
    /// CFC the data must be filtered to (1000, 600, 180, 60).
    pub cfc: Option<u32>,
    /// Which side of a signed channel counts (absent: the largest magnitude).
    pub sign: Option<Sign>,
}

impl DeriveSpec {
    /// Checks the spec is complete and consistent (for checklist compilation).
    ///
    /// # Errors
    /// A sentence saying what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        let criterion = self.criterion.ok_or("`criterion` is required")?;
        for loc in self.locations() {
            if loc.len() != 8 || !loc.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(format!(
                    "location `{loc}` is not 8 letters or digits (main location + fine locations 1 and 2, e.g. HEAD0000)"
                ));
            }
        }
        if self.locations().is_empty() {
            return Err("`location` or `over` is required".into());
        }
        if self.location.is_some() && !self.over.is_empty() {
            return Err("give `location` or `over`, not both".into());
        }
        if let Some(c) = self.cfc
            && cfc::class_letter(c).is_none()
        {
            return Err(format!("cfc {c} is not one of 1000, 600, 180, 60"));
        }
        let dimension_ok = self
            .dimension
            .as_deref()
            .is_some_and(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_alphanumeric()));
        if criterion != Criterion::TibiaIndex && !dimension_ok {
            return Err("`dimension` (2 characters, e.g. AC) is required".into());
        }
        match (self.direction, self.resultant) {
            (Some(_), true) => return Err("give `direction` or `resultant: true`, not both".into()),
            (None, false) if criterion != Criterion::TibiaIndex => {
                return Err("`direction` or `resultant: true` is required".into());
            }
            (Some(d), false) if !matches!(d, 'X' | 'Y' | 'Z' | '1' | '2' | '3') => {
                return Err(format!("direction `{d}` is not X, Y, Z, 1, 2 or 3"));
            }
            _ => {}
        }
        let positive = |v: Option<f64>| v.is_some_and(|v| v.is_finite() && v > 0.0 && v <= 1000.0);
        match criterion {
            Criterion::Hic if !positive(self.window_ms) => {
                Err("hic needs `window_ms` (more than 0, at most 1000)".into())
            }
            Criterion::Exceedance if !positive(self.duration_ms) => {
                Err("exceedance needs `duration_ms` (more than 0, at most 1000)".into())
            }
            _ => Ok(()),
        }
    }

    fn locations(&self) -> Vec<&str> {
        match &self.location {
            Some(l) => vec![l.as_str()],
            None => self.over.iter().map(String::as_str).collect(),
        }
    }
}

/// A derived value and how it was found, for the message and the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The value, in `unit`.
    pub value: f64,
    /// A spelling from the unit table (`1`, `g`, `N`, `Nm`, `mm`, `m/s`).
    pub unit: &'static str,
    /// Codes of the channels read, as in the dataset.
    pub channels: Vec<String>,
    /// Where it was found, seconds on the dataset's time axis: the window of
    /// a HIC or an exceedance level, or (both ends equal) the instant of a peak.
    pub window: (f64, f64),
}

impl Derived {
    /// `"window 41.20-56.20 ms"` or `"at 52.30 ms"`, for messages.
    #[must_use]
    // A peak's window is built with both ends the same value, so exact
    // equality is the test meant here.
    #[allow(clippy::float_cmp)]
    pub fn where_found(&self) -> String {
        let (a, b) = (self.window.0 * 1000.0, self.window.1 * 1000.0);
        if a == b {
            format!("at {a:.2} ms")
        } else {
            format!("window {a:.2}-{b:.2} ms")
        }
    }
}
