//! The one unit table. Units convert within a dimension, never across: a unit
//! of another dimension, or one the table lacks, is SDS034, never a guess.
//!
//! Energy (J) and moment (Nm) share SI base units but are separate dimensions
//! here, or a value in J would silently satisfy a bound in Nm.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

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

/// An exact number: every bound and measurement is compared as a rational
/// taken from its text, so no floating-point rounding can decide a verdict.
pub type Exact = BigRational;

/// A unit: `canonical = value * factor + offset`, in the dimension's SI unit.
/// Factor and offset are exact fractions (`numerator / denominator`).
#[derive(Debug, PartialEq)]
pub struct Unit {
    /// The spelling as written in files.
    pub symbol: &'static str,
    /// What it measures.
    pub dimension: Dimension,
    factor: (i64, i64),
    offset: (i64, i64),
}

fn ratio((n, d): (i64, i64)) -> Exact {
    Exact::new(BigInt::from(n), BigInt::from(d))
}

impl Unit {
    /// The value in the dimension's canonical (SI) unit, exactly.
    #[must_use]
    pub fn to_canonical(&self, value: &Exact) -> Exact {
        value * ratio(self.factor) + ratio(self.offset)
    }

    /// A canonical value back in this unit, exactly.
    #[must_use]
    pub fn from_canonical(&self, canonical: &Exact) -> Exact {
        (canonical - ratio(self.offset)) / ratio(self.factor)
    }
}

macro_rules! units {
    ($( $sym:literal => $dim:ident, $factor:expr, $offset:expr; )*) => {
        /// Every unit spelling sds understands.
        pub static TABLE: &[Unit] = &[ $( Unit { symbol: $sym, dimension: Dimension::$dim, factor: $factor, offset: $offset }, )* ];
    };
}

/// Standard gravity, 9.80665 m/s² (exact by definition).
const G0: (i64, i64) = (980_665, 100_000);
const ONE: (i64, i64) = (1, 1);
const ZERO: (i64, i64) = (0, 1);
/// 273.15 K, exact.
const CELSIUS: (i64, i64) = (27_315, 100);
/// degF: K = (F + 459.67) x 5/9, so the offset is 459.67 x 5/9 = 229835/900.
const FAHRENHEIT: (i64, i64) = (229_835, 900);

units! {
    "1" => Dimensionless, ONE, ZERO;
    "%" => Dimensionless, (1, 100), ZERO;
    "count" => Count, ONE, ZERO;
    "ms" => Time, (1, 1000), ZERO;
    "s" => Time, ONE, ZERO;
    "min" => Time, (60, 1), ZERO;
    "h" => Time, (3600, 1), ZERO;
    "mm" => Length, (1, 1000), ZERO;
    "cm" => Length, (1, 100), ZERO;
    "m" => Length, ONE, ZERO;
    "km" => Length, (1000, 1), ZERO;
    "km/h" => Speed, (5, 18), ZERO;
    "m/s" => Speed, ONE, ZERO;
    // 1 mph = 1.609344 km/h = 0.44704 m/s exactly (international mile).
    "mph" => Speed, (44_704, 100_000), ZERO;
    "m/s2" => Acceleration, ONE, ZERO;
    "m/s^2" => Acceleration, ONE, ZERO;
    "m/s²" => Acceleration, ONE, ZERO;
    // ISO-MME channel files: `m/(s*s)` (the RED B code list) and astropy's `m / s2`.
    "m/(s*s)" => Acceleration, ONE, ZERO;
    "m / s2" => Acceleration, ONE, ZERO;
    "g" => Acceleration, G0, ZERO;
    "N" => Force, ONE, ZERO;
    "kN" => Force, (1000, 1), ZERO;
    "Nm" => Moment, ONE, ZERO;
    "N*m" => Moment, ONE, ZERO;
    "N·m" => Moment, ONE, ZERO;
    "N m" => Moment, ONE, ZERO;
    "J" => Energy, ONE, ZERO;
    "kJ" => Energy, (1000, 1), ZERO;
    "Wh" => Energy, (3600, 1), ZERO;
    "kWh" => Energy, (3_600_000, 1), ZERO;
    "Pa" => Pressure, ONE, ZERO;
    "kPa" => Pressure, (1000, 1), ZERO;
    "MPa" => Pressure, (1_000_000, 1), ZERO;
    "bar" => Pressure, (100_000, 1), ZERO;
    "kg" => Mass, ONE, ZERO;
    "t" => Mass, (1000, 1), ZERO;
    "K" => Temperature, ONE, ZERO;
    "degC" => Temperature, ONE, CELSIUS;
    "°C" => Temperature, ONE, CELSIUS;
    "degF" => Temperature, (5, 9), FAHRENHEIT;
    "°F" => Temperature, (5, 9), FAHRENHEIT;
    "mV" => Voltage, (1, 1000), ZERO;
    "V" => Voltage, ONE, ZERO;
    "kV" => Voltage, (1000, 1), ZERO;
    "mA" => Current, (1, 1000), ZERO;
    "A" => Current, ONE, ZERO;
    "ohm" => Resistance, ONE, ZERO;
    "Ω" => Resistance, ONE, ZERO;
    "kohm" => Resistance, (1000, 1), ZERO;
    "kΩ" => Resistance, (1000, 1), ZERO;
    "Mohm" => Resistance, (1_000_000, 1), ZERO;
    "MΩ" => Resistance, (1_000_000, 1), ZERO;
    "ohm/V" => Insulation, ONE, ZERO;
    "Ω/V" => Insulation, ONE, ZERO;
    "dB(A)" => SoundLevel, ONE, ZERO;
    "FIT" => FailureRate, ONE, ZERO;
    "deg" => Angle, ONE, ZERO;
    "°" => Angle, ONE, ZERO;
    "m2/s2" => SpecificEnergy, ONE, ZERO;
    "m²/s²" => SpecificEnergy, ONE, ZERO;
    "lx" => Illuminance, ONE, ZERO;
}

/// The largest decimal exponent accepted in a number's text. Beyond it a
/// value is "too large to hold" (SDS034): no measurement needs it, and an
/// exponent of a billion would make an exact number of gigabytes.
const MAX_EXPONENT: i64 = 400;

/// A number's text read exactly: `650.0000001` is not 650. Accepts an
/// optional sign, digits with an optional fraction, and an optional exponent
/// (`1e3`, `2.5E-3`), as YAML and JSON write numbers. `None` for anything
/// else, and for numbers too large (or too finely written) to hold.
#[must_use]
pub fn parse_exact(text: &str) -> Option<Exact> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits: String = whole.chars().chain(fraction.chars()).collect();
    let digits = digits.trim_start_matches('0');
    let scale = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let magnitude = i64::try_from(digits.len()).ok()?.checked_add(scale)?;
    if digits.is_empty() {
        return Some(Exact::zero());
    }
    if magnitude > MAX_EXPONENT || scale < -2 * MAX_EXPONENT {
        return None;
    }
    let mut n: BigInt = digits.parse().ok()?;
    if negative {
        n = -n;
    }
    let ten = BigInt::from(10u8);
    let power = |e: i64| num_traits::pow(ten.clone(), usize::try_from(e).unwrap_or(0));
    Some(if scale >= 0 {
        Exact::from_integer(n * power(scale))
    } else {
        Exact::new(n, power(-scale))
    })
}

/// An exact number for display and reports (`f64` loses nothing a person reads).
#[must_use]
pub fn approx(value: &Exact) -> f64 {
    value.to_f64().unwrap_or(f64::NAN)
}

/// An exact number written for people: shortest decimal of its `f64`, or the
/// whole number when it is one.
#[must_use]
// Exact float comparison on purpose: is the rounded figure the same number?
#[allow(clippy::float_cmp)]
pub fn show(value: &Exact) -> String {
    if value.is_integer() {
        return value.to_integer().to_string();
    }
    let f = approx(value);
    let rounded = (f * 1e6).round() / 1e6;
    if rounded == f || rounded != 0.0 {
        format!("{rounded}")
    } else {
        format!("{f}")
    }
}

/// The one rule for writing a unit after a number: ` mm`, and nothing for the
/// dimensionless `1` or a `count` ("at most 0", not "at most 0 count").
#[must_use]
pub fn suffix(symbol: &str) -> String {
    match symbol {
        "" | "1" | "count" => String::new(),
        u => format!(" {u}"),
    }
}

/// The unit with this exact spelling.
#[must_use]
pub fn lookup(symbol: &str) -> Option<&'static Unit> {
    TABLE.iter().find(|u| u.symbol == symbol)
}

/// Why a quantity could not be read (SDS034).
#[derive(Debug, Clone, PartialEq)]
pub enum QuantityError {
    /// Not a number, nor `"<number> <unit>"`, nor `{value, unit}`.
    NotANumber(String),
    /// A number in text or a map with no unit: sds never guesses one.
    MissingUnit(String),
    /// Too large (or written too finely) to hold.
    TooLarge(String),
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
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::NotANumber(s) => write!(
                f,
                "{s} is not a quantity (a number, \"<number> <unit>\" or {{value, unit}})"
            ),
            QuantityError::MissingUnit(s) => write!(
                f,
                "{s} has no unit: a quantity written as text or as a map must name its unit"
            ),
            QuantityError::TooLarge(s) => write!(f, "{s} is too large to hold"),
            QuantityError::UnknownUnit(u) => write!(f, "unit `{u}` is not in the unit table"),
            QuantityError::WrongDimension {
                unit,
                found,
                expected,
            } => write!(
                f,
                "unit `{unit}` measures {found}, but the metric measures {expected}"
            ),
        }
    }
}

/// The length of the number that leads `t` (sign, digits, fraction, exponent).
fn number_len(t: &str) -> usize {
    t.char_indices()
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
        .unwrap_or(0)
}

/// Splits `"38 mm"` (or `"38mm"`) into its exact number and its unit text.
///
/// # Errors
/// No number leads the text, the number is too large, or no unit follows it.
pub fn split_quantity(text: &str) -> Result<(Exact, &str), QuantityError> {
    let t = text.trim();
    let n = number_len(t);
    if n == 0 {
        return Err(QuantityError::NotANumber(format!("{text:?}")));
    }
    let value = match parse_exact(&t[..n]) {
        Some(v) => v,
        None if t[..n].parse::<f64>().is_ok_and(f64::is_finite) => {
            return Err(QuantityError::TooLarge(format!("{text:?}")));
        }
        None => return Err(QuantityError::NotANumber(format!("{text:?}"))),
    };
    let unit = t[n..].trim();
    if unit.is_empty() {
        return Err(QuantityError::MissingUnit(format!("{text:?}")));
    }
    Ok((value, unit))
}

/// Converts `value` written in `unit` to the canonical unit of `metric_unit`'s
/// dimension, exactly.
///
/// # Errors
/// Unknown unit, or a unit of another dimension.
pub fn to_canonical(
    value: &Exact,
    unit: &str,
    metric_unit: &'static Unit,
) -> Result<Exact, QuantityError> {
    let unit = lookup(unit).ok_or_else(|| QuantityError::UnknownUnit(unit.to_owned()))?;
    if unit.dimension != metric_unit.dimension {
        return Err(QuantityError::WrongDimension {
            unit: unit.symbol,
            found: unit.dimension,
            expected: metric_unit.dimension,
        });
    }
    Ok(unit.to_canonical(value))
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

    fn ex(t: &str) -> Exact {
        parse_exact(t).unwrap()
    }

    #[test]
    fn numbers_are_read_exactly() {
        assert_eq!(ex("650"), Exact::from_integer(650.into()));
        assert!(ex("650.0000001") > ex("650"));
        assert!(ex("650.00000000000000000001") > ex("650"));
        assert_eq!(ex("0.1") + ex("0.2"), ex("0.3"));
        assert_eq!(ex("1e3"), ex("1000"));
        assert_eq!(ex("2.5E-3"), ex("0.0025"));
        assert_eq!(ex("-0.0"), ex("0"));
        assert_eq!(ex("+7."), ex("7"));
        assert_eq!(ex(".5"), ex("0.5"));
        for bad in [
            "",
            "-",
            ".",
            "1e",
            "e3",
            "1.2.3",
            "0x10",
            "1e999999999999",
            "1_000",
            " 1",
        ] {
            assert!(parse_exact(bad).is_none(), "{bad}");
        }
        assert!(parse_exact("1e401").is_none());
        assert!(parse_exact("1e399").is_some());
    }

    #[test]
    fn conversions() {
        let mm = lookup("mm").unwrap();
        assert_eq!(to_canonical(&ex("4.2"), "cm", mm).unwrap(), ex("0.042"));
        let c = lookup("degC").unwrap();
        assert_eq!(to_canonical(&ex("212"), "degF", c).unwrap(), ex("373.15"));
        assert_eq!(
            c.from_canonical(&to_canonical(&ex("32"), "degF", c).unwrap()),
            ex("0")
        );
        assert_eq!(
            c.from_canonical(&to_canonical(&ex("-40"), "degF", c).unwrap()),
            ex("-40")
        );
        let g = lookup("g").unwrap();
        assert_eq!(to_canonical(&ex("1"), "g", g).unwrap(), ex("9.80665"));
        let kmh = lookup("km/h").unwrap();
        assert_eq!(
            kmh.from_canonical(&to_canonical(&ex("1"), "mph", kmh).unwrap()),
            ex("1.609344")
        );
        assert_eq!(
            to_canonical(&ex("70"), "cm", mm).unwrap(),
            mm.to_canonical(&ex("700"))
        );
        assert!(matches!(
            to_canonical(&ex("1"), "J", lookup("Nm").unwrap()),
            Err(QuantityError::WrongDimension { .. })
        ));
        assert!(matches!(
            to_canonical(&ex("1"), "kg", g),
            Err(QuantityError::WrongDimension { .. })
        ));
        assert!(matches!(
            to_canonical(&ex("1"), "furlong", mm),
            Err(QuantityError::UnknownUnit(_))
        ));
    }

    #[test]
    fn quantities_split() {
        assert_eq!(split_quantity("38 mm").unwrap(), (ex("38"), "mm"));
        assert_eq!(split_quantity("38mm").unwrap(), (ex("38"), "mm"));
        assert_eq!(split_quantity("-0.1 m").unwrap(), (ex("-0.1"), "m"));
        assert_eq!(split_quantity("1e3 N").unwrap(), (ex("1000"), "N"));
        assert_eq!(split_quantity("2.5e-3 s").unwrap(), (ex("0.0025"), "s"));
        assert_eq!(split_quantity("60 °C").unwrap(), (ex("60"), "°C"));
        assert!(matches!(
            split_quantity("42"),
            Err(QuantityError::MissingUnit(_))
        ));
        assert!(matches!(
            split_quantity("8 "),
            Err(QuantityError::MissingUnit(_))
        ));
        assert!(matches!(
            split_quantity("1e999 mm"),
            Err(QuantityError::TooLarge(_) | QuantityError::NotANumber(_))
        ));
        assert!(split_quantity("about 40 mm").is_err());
        assert!(split_quantity("mm").is_err());
        assert!(split_quantity("").is_err());
    }

    proptest! {
        #[test]
        fn conversion_round_trips_exactly(n in -1_000_000_000i64..1_000_000_000, d in 1i64..1_000_000, a in 0..TABLE.len(), b in 0usize..64) {
            let v = Exact::new(n.into(), d.into());
            let from = &TABLE[a];
            let peers: Vec<&Unit> = TABLE.iter().filter(|u| u.dimension == from.dimension).collect();
            let to = peers[b % peers.len()];
            let there = to.from_canonical(&from.to_canonical(&v));
            let back = from.from_canonical(&to.to_canonical(&there));
            prop_assert_eq!(back, v);
        }
    }
}
