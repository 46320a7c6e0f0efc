//! Channel selection: the channel a spec names, filtered to its class (once),
//! in SI units, alone or as a resultant of its three components.

use std::sync::OnceLock;

use super::dataset::filtered;
use super::{DataError, DataErrorKind, Dataset, cfc, error, isomme};
use crate::units::{self, Unit};

/// A unit's `(factor, offset)` to its dimension's canonical (SI) unit, as f64:
/// the one place the unit table is turned into signal-processing arithmetic.
#[must_use]
pub fn si_factor(unit: &Unit) -> (f64, f64) {
    // Exact rational arithmetic per channel and criterion showed in profiles:
    // each table unit's pair is computed once per process.
    static TABLE_FACTORS: OnceLock<Vec<OnceLock<(f64, f64)>>> = OnceLock::new();
    let slots =
        TABLE_FACTORS.get_or_init(|| units::TABLE.iter().map(|_| OnceLock::new()).collect());
    match units::TABLE.iter().position(|u| std::ptr::eq(u, unit)) {
        Some(i) => *slots[i].get_or_init(|| exact_si_factor(unit)),
        None => exact_si_factor(unit),
    }
}

fn exact_si_factor(unit: &Unit) -> (f64, f64) {
    let zero = units::Exact::from_integer(0.into());
    let one = units::Exact::from_integer(1.into());
    let offset = unit.to_canonical(&zero);
    let factor = unit.to_canonical(&one) - &offset;
    (units::approx(&factor), units::approx(&offset))
}

pub(super) fn unit(symbol: &'static str) -> &'static Unit {
    // Only spellings the table's own tests pin are passed here.
    units::lookup(symbol).unwrap_or(&units::TABLE[0])
}

/// A channel ready for a criterion: selected, filtered, in SI units.
pub(super) struct Signal {
    pub(super) code: String,
    pub(super) t0: f64,
    pub(super) dt: f64,
    pub(super) x: Vec<f64>,
}

impl Signal {
    // Sample indices stay far below 2^52, where usize to f64 is exact.
    #[allow(clippy::cast_precision_loss)]
    pub(super) fn time(&self, i: usize) -> f64 {
        self.t0 + i as f64 * self.dt
    }
}

pub(super) fn same_time_base(sigs: &[&Signal]) -> Result<(), DataError> {
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

// x, y, z are the three axes, as in the standard's formula.
#[allow(clippy::many_single_char_names)]
pub(super) fn resultant(
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
pub(super) fn channel(
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
    let d = chan.data().map_err(Clone::clone)?;
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

/// A rate for a message: 1000 rather than 999.9999999.
fn round_sig(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
