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
pub mod criteria;
pub mod isomme;
pub mod spec;

pub use spec::Tolerance;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::load::Limits;
use crate::units::{self, Unit};

use criteria::Found;

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
    pub fn where_found(&self) -> String {
        let (a, b) = (self.window.0 * 1000.0, self.window.1 * 1000.0);
        if a == b {
            format!("at {a:.2} ms")
        } else {
            format!("window {a:.2}-{b:.2} ms")
        }
    }
}

/// Filtered samples by (channel index, CFC).
type FilteredChannels = HashMap<(usize, u32), Arc<Vec<f64>>>;

/// A dataset read once and shared (cloning is a reference count).
#[derive(Debug, Clone)]
pub struct Dataset {
    raw: Arc<isomme::Raw>,
    /// Channels already filtered, by (channel index, CFC): HIC15, HIC36 and
    /// a3ms all read the same three head channels at CFC 1000.
    filtered: Arc<Mutex<FilteredChannels>>,
}

impl Dataset {
    /// Reads a dataset: a folder holding one `.mme`, a `.mme` file, or a zip.
    ///
    /// # Errors
    /// The container cannot be read, holds no dataset, or breaks a limit.
    pub fn open(path: &Path, limits: &Limits) -> Result<Dataset, DataError> {
        Ok(Dataset {
            raw: Arc::new(isomme::read(path, limits)?),
            filtered: Arc::default(),
        })
    }

    /// Reads a dataset from the bytes of a zip archive (`name` is for messages).
    ///
    /// # Errors
    /// As [`Dataset::open`].
    pub fn from_zip_bytes(
        name: &str,
        bytes: Vec<u8>,
        limits: &Limits,
    ) -> Result<Dataset, DataError> {
        Ok(Dataset {
            raw: Arc::new(isomme::read_zip(name, bytes, limits)?),
            filtered: Arc::default(),
        })
    }

    /// Whether both are the one dataset read once (a cache hit).
    #[must_use]
    pub fn same_as(&self, other: &Dataset) -> bool {
        Arc::ptr_eq(&self.raw, &other.raw)
    }

    /// The test name (the `.mme` stem).
    #[must_use]
    pub fn test(&self) -> &str {
        &self.raw.test
    }

    /// The channel codes, in `.chn` order.
    pub fn channel_codes(&self) -> impl Iterator<Item = &str> {
        self.raw.channels.iter().map(|c| c.code.as_str())
    }
}

/// One dataset's read, done once: the first caller fills it, the others wait.
type Slot = OnceLock<Result<Dataset, DataError>>;

/// Datasets by canonical path, each read at most once per run however many
/// reports and threads ask for it (a failure is remembered too).
#[derive(Debug, Default)]
pub struct DatasetCache {
    map: Mutex<HashMap<PathBuf, Arc<Slot>>>,
}

impl DatasetCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The dataset at `path`, read on first use.
    ///
    /// # Errors
    /// As [`Dataset::open`].
    pub fn get(&self, path: &Path, limits: &Limits) -> Result<Dataset, DataError> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let cell = {
            // A poisoned lock only means another thread panicked mid-insert; the map is intact.
            let mut map = self
                .map
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(map.entry(key).or_default())
        };
        // The lock is released: other datasets load in parallel, while this
        // one's readers wait for the first to finish.
        cell.get_or_init(|| Dataset::open(path, limits)).clone()
    }
}

/// A unit's `(factor, offset)` to its dimension's canonical (SI) unit, as f64:
/// the one place the unit table is turned into signal-processing arithmetic.
#[must_use]
pub fn si_factor(unit: &Unit) -> (f64, f64) {
    let zero = units::Exact::from_integer(0.into());
    let one = units::Exact::from_integer(1.into());
    let offset = unit.to_canonical(&zero);
    let factor = unit.to_canonical(&one) - &offset;
    (units::approx(&factor), units::approx(&offset))
}

fn unit(symbol: &'static str) -> &'static Unit {
    // Only spellings the table's own tests pin are passed here.
    units::lookup(symbol).unwrap_or(&units::TABLE[0])
}

/// A channel ready for a criterion: selected, filtered, in SI units.
struct Signal {
    code: String,
    t0: f64,
    dt: f64,
    x: Vec<f64>,
}

impl Signal {
    fn time(&self, i: usize) -> f64 {
        self.t0 + i as f64 * self.dt
    }
}

/// Derives `spec` from `data` for the test object and seat `position` (`11`).
///
/// # Errors
/// A needed channel is missing, unreadable, not numbers, too coarsely
/// sampled for the class, or in a unit or for a dummy sds cannot handle.
pub fn derive(data: &Dataset, spec: &DeriveSpec, position: &str) -> Result<Derived, DataError> {
    spec.validate()
        .map_err(|e| error(DataErrorKind::Unsupported, format!("derive: {e}")))?;
    if position.len() != 2 || !position.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(error(
            DataErrorKind::Unsupported,
            format!(
                "position `{position}` is not 2 letters or digits (test object and seat, e.g. 11)"
            ),
        ));
    }
    let position = position.to_ascii_uppercase();
    let mut best: Option<Derived> = None;
    for location in spec.locations() {
        let d = derive_at(data, spec, &position, &location.to_ascii_uppercase())?;
        if best.as_ref().is_none_or(|b| d.value > b.value) {
            let mut d = d;
            if let Some(b) = best.take() {
                // The audit trail lists every channel read, not only the winner's.
                let mut chans = b.channels;
                chans.extend(d.channels);
                d.channels = chans;
            }
            best = Some(d);
        } else if let Some(b) = best.as_mut() {
            b.channels.extend(d.channels);
        }
    }
    best.ok_or_else(|| error(DataErrorKind::Unsupported, "derive: no location".into()))
}

fn derive_at(
    data: &Dataset,
    spec: &DeriveSpec,
    position: &str,
    location: &str,
) -> Result<Derived, DataError> {
    let dimension = spec.dimension.as_deref().unwrap_or("").to_ascii_uppercase();
    let signal = || {
        if spec.resultant {
            resultant(data, position, location, &dimension, spec.cfc)
        } else {
            let dir = spec.direction.unwrap_or('X').to_ascii_uppercase();
            channel(data, position, location, &dimension, dir, spec.cfc)
        }
    };
    match spec.criterion.unwrap_or(Criterion::Peak) {
        Criterion::TibiaIndex => tibia(data, spec, position, location),
        Criterion::Hic => hic(spec, &signal()?),
        Criterion::Vc => vc(&signal()?),
        c @ (Criterion::Peak | Criterion::Exceedance) => level(c, spec, &dimension, &signal()?),
    }
}

fn found(sig: &Signal, f: Found, value: f64, unit: &'static str) -> Derived {
    Derived {
        value,
        unit,
        channels: sig.code.split('+').map(str::to_owned).collect(),
        window: (sig.time(f.start), sig.time(f.end)),
    }
}

fn hic(spec: &DeriveSpec, sig: &Signal) -> Result<Derived, DataError> {
    let g = si_factor(unit("g")).0;
    let a: Vec<f64> = sig.x.iter().map(|v| v / g).collect();
    let window_s = spec.window_ms.unwrap_or(15.0) / 1000.0;
    // Whole samples: a window of T holds floor(T/dt) intervals (the epsilon
    // keeps 0.015/1e-4 = 149.999... at 150).
    let w = (window_s / sig.dt + 1e-9).floor() as usize;
    let f = criteria::hic(&a, sig.dt, w).ok_or_else(|| {
        error(
            DataErrorKind::NotANumber,
            format!("{}: no window with a positive mean acceleration", sig.code),
        )
    })?;
    Ok(found(sig, f, f.value, "1"))
}

fn vc(sig: &Signal) -> Result<Derived, DataError> {
    let dummy = sig.code.get(10..12).unwrap_or("").to_owned();
    let (sf, d0) = vc_constants(&dummy).ok_or_else(|| {
        error(
            DataErrorKind::Unsupported,
            format!(
                "{}: no viscous-criterion constants for dummy `{dummy}`",
                sig.code
            ),
        )
    })?;
    let f = criteria::vc(&sig.x, sig.dt, sf, d0).ok_or_else(|| {
        error(
            DataErrorKind::NotANumber,
            format!("{}: the record is too short for vc", sig.code),
        )
    })?;
    Ok(found(sig, f, f.value, "m/s"))
}

fn level(
    criterion: Criterion,
    spec: &DeriveSpec,
    dimension: &str,
    sig: &Signal,
) -> Result<Derived, DataError> {
    let (out, factor) = output_unit(dimension)?;
    let signed = signed(&sig.x, spec.sign, spec.resultant);
    let f = if criterion == Criterion::Peak {
        criteria::max(&signed)
    } else {
        let d = spec.duration_ms.unwrap_or(3.0) / 1000.0;
        criteria::exceedance(&signed, sig.dt, d)
    };
    let f = f.ok_or_else(|| {
        error(
            DataErrorKind::NotANumber,
            format!(
                "{}: the record ({} samples) is too short for {}",
                sig.code,
                sig.x.len(),
                criterion.as_str()
            ),
        )
    })?;
    // A compression or tension magnitude is never negative (max(−min, 0)).
    let v = if spec.sign.is_some() {
        f.value.max(0.0)
    } else {
        f.value
    };
    Ok(found(sig, f, v / factor, out))
}

/// The values whose maximum is the criterion: compression negated, tension
/// as is, otherwise the magnitude (a resultant is already one).
fn signed(x: &[f64], sign: Option<Sign>, resultant: bool) -> Vec<f64> {
    match sign {
        Some(Sign::Compression) => x.iter().map(|v| -v).collect(),
        Some(Sign::Tension) => x.to_vec(),
        None if resultant => x.to_vec(),
        None => x.iter().map(|v| v.abs()).collect(),
    }
}

/// The unit a peak or level of this dimension is given in, and its SI factor.
fn output_unit(dimension: &str) -> Result<(&'static str, f64), DataError> {
    let sym = match dimension {
        "AC" => "g",
        "FO" => "N",
        "MO" => "Nm",
        "DS" | "DC" => "mm",
        "VE" => "m/s",
        "PR" => "kPa",
        "AN" => "deg",
        _ => {
            return Err(error(
                DataErrorKind::Unsupported,
                format!("derive: dimension `{dimension}` has no unit sds derives in"),
            ));
        }
    };
    Ok((sym, si_factor(unit(sym)).0))
}

/// SAE J1727 scale factor and deformation constant (m) by dummy code.
fn vc_constants(dummy: &str) -> Option<(f64, f64)> {
    Some(match dummy {
        "H3" => (1.3, 0.229),
        "HF" => (1.3, 0.187),
        "HM" => (1.3, 0.254),
        "E2" | "ER" => (1.0, 0.140),
        "S2" => (1.0, 0.138),
        "BS" => (1.0, 0.175),
        "WS" => (1.0, 0.170),
        _ => return None,
    })
}

/// Tibia critical moment (Nm) and force (N) by dummy code.
fn tibia_constants(dummy: &str) -> Option<(f64, f64)> {
    Some(match dummy {
        "H3" | "TH" | "T3" => (225.0, 35_900.0),
        "HF" => (114.0, 22_900.0),
        "HM" => (306.0, 44_100.0),
        _ => return None,
    })
}

fn tibia(
    data: &Dataset,
    spec: &DeriveSpec,
    position: &str,
    location: &str,
) -> Result<Derived, DataError> {
    let mx = channel(data, position, location, "MO", 'X', spec.cfc)?;
    let my = channel(data, position, location, "MO", 'Y', spec.cfc)?;
    let fz = channel(data, position, location, "FO", 'Z', spec.cfc)?;
    same_time_base(&[&mx, &my, &fz])?;
    let dummy = mx.code.get(10..12).unwrap_or("").to_owned();
    let (mc, fc) = tibia_constants(&dummy).ok_or_else(|| {
        error(
            DataErrorKind::Unsupported,
            format!(
                "{}: no tibia-index critical values for dummy `{dummy}`",
                mx.code
            ),
        )
    })?;
    let f = criteria::tibia_index(&mx.x, &my.x, &fz.x, mc, fc).ok_or_else(|| {
        error(
            DataErrorKind::NotANumber,
            format!("{}: empty record", mx.code),
        )
    })?;
    let t = mx.time(f.start);
    Ok(Derived {
        value: f.value,
        unit: "1",
        channels: vec![mx.code, my.code, fz.code],
        window: (t, t),
    })
}

fn same_time_base(sigs: &[&Signal]) -> Result<(), DataError> {
    let first = sigs[0];
    for s in &sigs[1..] {
        let same_dt = (s.dt - first.dt).abs() <= first.dt * 1e-9;
        let same_t0 = (s.t0 - first.t0).abs() <= first.dt * 0.5;
        if !same_dt || !same_t0 {
            return Err(error(
                DataErrorKind::Unsupported,
                format!(
                    "{} and {} are on different time bases (first sample {} s vs {} s, interval {} s vs {} s)",
                    first.code, s.code, first.t0, s.t0, first.dt, s.dt
                ),
            ));
        }
    }
    Ok(())
}

fn resultant(
    data: &Dataset,
    position: &str,
    location: &str,
    dimension: &str,
    cfc: Option<u32>,
) -> Result<Signal, DataError> {
    // Filter each component, then combine (ISO 6487 practice, and pyisomme's).
    let parts = ['X', 'Y', 'Z'].map(|d| channel(data, position, location, dimension, d, cfc));
    let [x, y, z] = match parts {
        [Ok(x), Ok(y), Ok(z)] => [x, y, z],
        [x, y, z] => {
            // Without all three components, a recorded resultant channel will do.
            return channel(data, position, location, dimension, 'R', cfc).map_err(|_| {
                [x, y, z]
                    .into_iter()
                    .find_map(Result::err)
                    .unwrap_or_else(|| error(DataErrorKind::MissingChannel, String::new()))
            });
        }
    };
    same_time_base(&[&x, &y, &z])?;
    let n = x.x.len().min(y.x.len()).min(z.x.len());
    let r = (0..n)
        .map(|i| (x.x[i] * x.x[i] + y.x[i] * y.x[i] + z.x[i] * z.x[i]).sqrt())
        .collect();
    Ok(Signal {
        code: format!("{}+{}+{}", x.code, y.code, z.code),
        t0: x.t0,
        dt: x.dt,
        x: r,
    })
}

/// The channel `<position><location>??<dimension><direction>?`, filtered to
/// `cfc` unless its code says it already is. Of several matches: one already
/// at the class, else an unfiltered one, else a pre-filtered one, else one
/// filtered to a higher class; the first in `.chn` order among equals.
fn channel(
    data: &Dataset,
    position: &str,
    location: &str,
    dimension: &str,
    direction: char,
    cfc: Option<u32>,
) -> Result<Signal, DataError> {
    let pattern = format!("{position}{location}??{dimension}{direction}?");
    let matches = |code: &str| {
        code.len() == 16
            && code.get(0..2) == Some(position)
            && code.get(2..10) == Some(location)
            && code.get(12..14) == Some(dimension)
            && code[14..].starts_with(direction)
    };
    let mut candidates: Vec<(u8, usize, Option<u32>)> = Vec::new();
    let mut too_filtered: Option<(&isomme::Channel, u32)> = None;
    for (index, c) in data
        .raw
        .channels
        .iter()
        .enumerate()
        .filter(|(_, c)| matches(&c.code))
    {
        let letter = c.code[15..].chars().next().unwrap_or('0');
        let Some(already) = cfc::filtered_to(letter) else {
            continue;
        };
        let rank = match (cfc, already) {
            (None, _) => 0,
            (Some(want), Some(have)) if have == want => 0,
            (Some(_), None) => {
                if letter == '0' {
                    1
                } else {
                    2
                }
            }
            (Some(want), Some(have)) if have > want => 3,
            (Some(_), Some(have)) => {
                too_filtered.get_or_insert((c, have));
                continue;
            }
        };
        let filter_to = match (cfc, already) {
            (Some(want), Some(have)) if have == want => None,
            (want, _) => want,
        };
        candidates.push((rank, index, filter_to));
    }
    candidates.sort_by_key(|(rank, _, _)| *rank);
    let Some(&(_, index, filter_to)) = candidates.first() else {
        return Err(match too_filtered {
            Some((c, have)) => error(
                DataErrorKind::Unsupported,
                format!(
                    "channel {} is already filtered to CFC {have}, below the CFC {} the criterion needs",
                    c.code,
                    cfc.unwrap_or(0)
                ),
            ),
            None => error(
                DataErrorKind::MissingChannel,
                format!("the dataset has no channel {pattern}"),
            ),
        });
    };
    let chan = &data.raw.channels[index];
    let d = chan.data.as_ref().map_err(Clone::clone)?;
    if let Some(want) = cfc {
        let rate = 1.0 / d.dt;
        let need = f64::from(want) * cfc::MIN_RATE_PER_CFC;
        if rate < need * (1.0 - 1e-6) {
            return Err(error(
                DataErrorKind::TooCoarse,
                format!(
                    "channel {} is sampled at {} Hz, too coarse for CFC {want} (at least {} Hz)",
                    chan.code,
                    round_sig(rate),
                    round_sig(need)
                ),
            ));
        }
    }
    let x = match filter_to {
        Some(c) => filtered(data, index, c, || cfc::filter(&d.samples, d.dt, c)),
        None => d.samples.clone(),
    };
    Ok(Signal {
        code: chan.code.clone(),
        t0: d.t0,
        dt: d.dt,
        x,
    })
}

/// A filtered channel, computed once per dataset and class.
fn filtered(
    data: &Dataset,
    index: usize,
    cfc: u32,
    compute: impl FnOnce() -> Vec<f64>,
) -> Vec<f64> {
    let lock = || {
        data.filtered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    if let Some(x) = lock().get(&(index, cfc)) {
        return x.to_vec();
    }
    let x = Arc::new(compute());
    lock().insert((index, cfc), Arc::clone(&x));
    x.to_vec()
}

/// A rate for a message: 1000 rather than 999.9999999.
fn round_sig(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
