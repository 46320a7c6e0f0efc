//! Evaluating a [`DeriveSpec`] on a dataset: pick the signal, compute the
//! criterion, and say where its value was found.

use super::channels::{Signal, channel, resultant, same_time_base, si_factor, unit};
use super::criteria::{self, Found};
use super::{Criterion, DataError, DataErrorKind, Dataset, DeriveSpec, Derived, Sign, error};

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

// The window is positive (checked by `DeriveSpec::validate`) and a float to
// usize cast saturates, so the whole-sample count is exact or clamped.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
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
