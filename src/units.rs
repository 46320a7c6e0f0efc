//! The one unit table. Units convert within a dimension, never across: a unit
//! of another dimension, or one the table lacks, is SDS034, never a guess.
//!
//! Energy (J) and moment (Nm) share SI base units but are separate dimensions
//! here, or a value in J would silently satisfy a bound in Nm.

use std::fmt;

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the names say it
pub enum Dimension {
    Dimensionless,
    Count,
    Time,
    Length,
    Speed,
    Acceleration,
    Force,
    Moment,
    Energy,
    Pressure,
    Mass,
    Temperature,
    Voltage,
    Current,
    Resistance,
    Insulation,
    SoundLevel,
    FailureRate,
    Angle,
    SpecificEnergy,
    Illuminance,
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Dimension::Dimensionless => "dimensionless",
            Dimension::Count => "count",
            Dimension::Time => "time",
            Dimension::Length => "length",
            Dimension::Speed => "speed",
            Dimension::Acceleration => "acceleration",
            Dimension::Force => "force",
            Dimension::Moment => "moment",
            Dimension::Energy => "energy",
            Dimension::Pressure => "pressure",
            Dimension::Mass => "mass",
            Dimension::Temperature => "temperature",
            Dimension::Voltage => "voltage",
            Dimension::Current => "current",
            Dimension::Resistance => "resistance",
            Dimension::Insulation => "insulation resistance per volt",
            Dimension::SoundLevel => "sound level",
            Dimension::FailureRate => "failure rate",
            Dimension::Angle => "angle",
            Dimension::SpecificEnergy => "specific energy",
            Dimension::Illuminance => "illuminance",
        };
        f.write_str(s)
    }
}

/// A unit: `canonical = value * factor + offset`, in the dimension's SI unit.
#[derive(Debug, PartialEq)]
pub struct Unit {
    /// The spelling as written in files.
    pub symbol: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    factor: f64,
    offset: f64,
}

impl Unit {
    /// The value in the dimension's canonical (SI) unit.
    #[must_use]
    pub fn to_canonical(&self, value: f64) -> f64 {
        value * self.factor + self.offset
    }

    /// A canonical value back in this unit.
    #[must_use]
    pub fn from_canonical(&self, canonical: f64) -> f64 {
        (canonical - self.offset) / self.factor
    }
}

macro_rules! units {
    ($( $sym:literal => $dim:ident, $factor:expr, $offset:expr; )*) => {
        /// Every unit spelling sds understands.
        pub static TABLE: &[Unit] = &[ $( Unit { symbol: $sym, dimension: Dimension::$dim, factor: $factor, offset: $offset }, )* ];
    };
}

const G0: f64 = 9.806_65;

units! {
    "1" => Dimensionless, 1.0, 0.0;
    "%" => Dimensionless, 0.01, 0.0;
    "count" => Count, 1.0, 0.0;
    "ms" => Time, 0.001, 0.0;
    "s" => Time, 1.0, 0.0;
    "min" => Time, 60.0, 0.0;
    "h" => Time, 3600.0, 0.0;
    "mm" => Length, 0.001, 0.0;
    "cm" => Length, 0.01, 0.0;
    "m" => Length, 1.0, 0.0;
    "km" => Length, 1000.0, 0.0;
    "km/h" => Speed, 1.0 / 3.6, 0.0;
    "m/s" => Speed, 1.0, 0.0;
    "mph" => Speed, 0.447_04, 0.0;
    "m/s2" => Acceleration, 1.0, 0.0;
    "m/s^2" => Acceleration, 1.0, 0.0;
    "m/s²" => Acceleration, 1.0, 0.0;
    // ISO-MME channel files: `m/(s*s)` (the RED B code list) and astropy's `m / s2`.
    "m/(s*s)" => Acceleration, 1.0, 0.0;
    "m / s2" => Acceleration, 1.0, 0.0;
    "g" => Acceleration, G0, 0.0;
    "N" => Force, 1.0, 0.0;
    "kN" => Force, 1000.0, 0.0;
    "Nm" => Moment, 1.0, 0.0;
    "N*m" => Moment, 1.0, 0.0;
    "N·m" => Moment, 1.0, 0.0;
    "N m" => Moment, 1.0, 0.0;
    "J" => Energy, 1.0, 0.0;
    "kJ" => Energy, 1000.0, 0.0;
    "Wh" => Energy, 3600.0, 0.0;
    "kWh" => Energy, 3.6e6, 0.0;
    "Pa" => Pressure, 1.0, 0.0;
    "kPa" => Pressure, 1000.0, 0.0;
    "MPa" => Pressure, 1.0e6, 0.0;
    "bar" => Pressure, 1.0e5, 0.0;
    "kg" => Mass, 1.0, 0.0;
    "t" => Mass, 1000.0, 0.0;
    "K" => Temperature, 1.0, 0.0;
    "degC" => Temperature, 1.0, 273.15;
    "°C" => Temperature, 1.0, 273.15;
    "degF" => Temperature, 5.0 / 9.0, 459.67 * 5.0 / 9.0;
    "°F" => Temperature, 5.0 / 9.0, 459.67 * 5.0 / 9.0;
    "mV" => Voltage, 0.001, 0.0;
    "V" => Voltage, 1.0, 0.0;
    "kV" => Voltage, 1000.0, 0.0;
    "mA" => Current, 0.001, 0.0;
    "A" => Current, 1.0, 0.0;
    "ohm" => Resistance, 1.0, 0.0;
    "Ω" => Resistance, 1.0, 0.0;
    "kohm" => Resistance, 1000.0, 0.0;
    "kΩ" => Resistance, 1000.0, 0.0;
    "Mohm" => Resistance, 1.0e6, 0.0;
    "MΩ" => Resistance, 1.0e6, 0.0;
    "ohm/V" => Insulation, 1.0, 0.0;
    "Ω/V" => Insulation, 1.0, 0.0;
    "dB(A)" => SoundLevel, 1.0, 0.0;
    "FIT" => FailureRate, 1.0, 0.0;
    "deg" => Angle, 1.0, 0.0;
    "°" => Angle, 1.0, 0.0;
    "m2/s2" => SpecificEnergy, 1.0, 0.0;
    "m²/s²" => SpecificEnergy, 1.0, 0.0;
    "lx" => Illuminance, 1.0, 0.0;
}

/// The unit with this exact spelling.
#[must_use]
pub fn lookup(symbol: &str) -> Option<&'static Unit> {
    TABLE.iter().find(|u| u.symbol == symbol)
}

/// Why a quantity could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum QuantityError {
    /// Not a number, nor `"<number> <unit>"`.
    NotANumber(String),
    /// The unit is not in the table.
    UnknownUnit(String),
    /// The unit is of another dimension than the metric's.
    WrongDimension {
        /// The unit written.
        unit: &'static str,
        /// Its dimension.
        found: Dimension,
        /// The metric's dimension.
        expected: Dimension,
    },
    /// A count that is not a whole number.
    NotWhole(f64),
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::NotANumber(s) => write!(f, "{s} is not a number with an optional unit"),
            QuantityError::UnknownUnit(u) => write!(f, "unit `{u}` is not in the unit table"),
            QuantityError::WrongDimension {
                unit,
                found,
                expected,
            } => write!(
                f,
                "unit `{unit}` measures {found}, but the metric measures {expected}"
            ),
            QuantityError::NotWhole(v) => write!(f, "{v} is not a whole number of counts"),
        }
    }
}

/// Splits `"38 mm"` (or `"38mm"`) into number and unit text.
///
/// # Errors
/// [`QuantityError::NotANumber`] when no number leads the text.
pub fn split_quantity(text: &str) -> Result<(f64, &str), QuantityError> {
    let t = text.trim();
    let number_len = t
        .char_indices()
        .take_while(|&(i, c)| {
            c.is_ascii_digit()
                || c == '.'
                || ((c == '-' || c == '+')
                    && (i == 0 || matches!(t.as_bytes()[i - 1], b'e' | b'E')))
                || ((c == 'e' || c == 'E')
                    && i > 0
                    && t[i + 1..].starts_with(|n: char| n.is_ascii_digit() || n == '-' || n == '+'))
        })
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let value = t[..number_len]
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| QuantityError::NotANumber(format!("{text:?}")))?;
    Ok((value, t[number_len..].trim()))
}

/// Converts `value` written in `unit` (or in `metric_unit` when `unit` is `None`)
/// to the canonical unit of `metric_unit`'s dimension.
///
/// # Errors
/// Unknown unit, wrong dimension, or a count that is not whole.
pub fn to_canonical(
    value: f64,
    unit: Option<&str>,
    metric_unit: &'static Unit,
) -> Result<f64, QuantityError> {
    let unit = match unit {
        None | Some("") => metric_unit,
        Some(u) => lookup(u).ok_or_else(|| QuantityError::UnknownUnit(u.to_owned()))?,
    };
    if unit.dimension != metric_unit.dimension {
        return Err(QuantityError::WrongDimension {
            unit: unit.symbol,
            found: unit.dimension,
            expected: metric_unit.dimension,
        });
    }
    if unit.dimension == Dimension::Count && value.fract() != 0.0 {
        return Err(QuantityError::NotWhole(value));
    }
    Ok(unit.to_canonical(value))
}

/// Whether `value` is at or below `max` (both canonical), allowing only for
/// the rounding of unit conversion (one part in 10^9), never more.
#[must_use]
pub fn within_max(value: f64, max: f64) -> bool {
    value <= max + tolerance(max)
}

/// Whether `value` is at or above `min` (both canonical); see [`within_max`].
#[must_use]
pub fn within_min(value: f64, min: f64) -> bool {
    value >= min - tolerance(min)
}

fn tolerance(bound: f64) -> f64 {
    bound.abs().max(f64::MIN_POSITIVE) * 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spellings_are_unique_and_contract_units_exist() {
        let mut seen = std::collections::HashSet::new();
        for u in TABLE {
            assert!(seen.insert(u.symbol), "{} twice", u.symbol);
        }
        for s in [
            "1", "%", "count", "ms", "s", "min", "h", "mm", "cm", "m", "km", "km/h", "m/s", "mph",
            "m/s2", "m/s^2", "g", "N", "kN", "Nm", "N*m", "J", "kJ", "Wh", "kWh", "Pa", "kPa",
            "MPa", "bar", "kg", "t", "degC", "°C", "K", "degF", "mV", "V", "kV", "mA", "A", "ohm",
            "kohm", "Mohm", "Ω", "kΩ", "MΩ", "ohm/V", "Ω/V", "dB(A)",
        ] {
            assert!(lookup(s).is_some(), "{s} missing");
        }
    }

    #[test]
    fn conversions() {
        let mm = lookup("mm").unwrap();
        assert!((to_canonical(4.2, Some("cm"), mm).unwrap() - 0.042).abs() < 1e-12);
        let c = lookup("degC").unwrap();
        assert!((to_canonical(212.0, Some("degF"), c).unwrap() - 373.15).abs() < 1e-9);
        assert!((c.from_canonical(to_canonical(32.0, Some("degF"), c).unwrap())).abs() < 1e-9);
        let g = lookup("g").unwrap();
        assert!((to_canonical(1.0, Some("m/s2"), g).unwrap() - 1.0).abs() < 1e-12);
        assert!(matches!(
            to_canonical(1.0, Some("J"), lookup("Nm").unwrap()),
            Err(QuantityError::WrongDimension { .. })
        ));
        assert!(matches!(
            to_canonical(1.0, Some("kg"), g),
            Err(QuantityError::WrongDimension { .. })
        ));
        assert!(matches!(
            to_canonical(1.0, Some("furlong"), mm),
            Err(QuantityError::UnknownUnit(_))
        ));
        assert!(matches!(
            to_canonical(1.5, None, lookup("count").unwrap()),
            Err(QuantityError::NotWhole(_))
        ));
    }

    #[test]
    fn quantities_split() {
        assert_eq!(split_quantity("38 mm").unwrap(), (38.0, "mm"));
        assert_eq!(split_quantity("38mm").unwrap(), (38.0, "mm"));
        assert_eq!(split_quantity("-0.1 m").unwrap(), (-0.1, "m"));
        assert_eq!(split_quantity("1e3 N").unwrap(), (1000.0, "N"));
        assert_eq!(split_quantity("2.5e-3 s").unwrap(), (0.0025, "s"));
        assert_eq!(split_quantity("60 °C").unwrap(), (60.0, "°C"));
        assert_eq!(split_quantity("42").unwrap(), (42.0, ""));
        assert!(split_quantity("about 40 mm").is_err());
        assert!(split_quantity("mm").is_err());
        assert!(split_quantity("").is_err());
    }

    #[test]
    fn bounds_are_inclusive_through_conversion() {
        let m = lookup("m").unwrap();
        let max = m.to_canonical(0.7);
        let v = to_canonical(700.0, Some("mm"), m).unwrap();
        assert!(within_max(v, max));
        assert!(!within_max(
            to_canonical(700.001, Some("mm"), m).unwrap(),
            max
        ));
        assert!(within_min(v, max));
    }

    proptest! {
        #[test]
        fn conversion_round_trips(v in -1.0e6f64..1.0e6, a in 0..TABLE.len(), b in 0usize..64) {
            let from = &TABLE[a];
            let peers: Vec<&Unit> = TABLE.iter().filter(|u| u.dimension == from.dimension).collect();
            let to = peers[b % peers.len()];
            let there = to.from_canonical(from.to_canonical(v));
            let back = from.from_canonical(to.to_canonical(there));
            prop_assert!((back - v).abs() <= 1e-9 * v.abs().max(1.0), "{} {} -> {} {} -> {}", v, from.symbol, there, to.symbol, back);
        }
    }
}
