//! Numbers as written. A bound or a measurement is compared exactly, as the
//! rational its text denotes (`650.0000001` is not 650), never through a
//! binary float: the loader's `f64` is for people and for renderers only.

use num_traits::FromPrimitive;

use crate::load::{Node, Value};
use crate::units::{self, Exact};

/// Why a number node cannot be held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number node.
    NotANumber,
    /// NaN or infinity.
    NotFinite,
    /// Too large (or written too finely) to hold.
    TooLarge,
}

/// The exact value of a number node, read from its text in `source` (the
/// text the node was parsed from).
///
/// # Errors
/// The node is not a finite number, or too large to hold.
// The float is compared exactly on purpose: the text must be this very number.
#[allow(clippy::float_cmp)]
pub fn exact(node: &Node, source: &str) -> Result<Exact, NumberError> {
    match node.value {
        Value::Int(i) => Ok(Exact::from_integer(i.into())),
        Value::Float(f) if !f.is_finite() => Err(NumberError::NotFinite),
        Value::Float(f) => {
            let mut text = source
                .get(node.span.start..node.span.end)
                .unwrap_or("")
                .trim();
            // A node's place may begin at its anchor or tag (`&n 1.5`, `!!float 1.5`).
            while text.starts_with(['&', '!']) {
                text = text
                    .split_once(char::is_whitespace)
                    .map_or("", |(_, rest)| rest.trim_start());
            }
            match units::parse_exact(text) {
                // The text is this very number (not, say, a flow bracket).
                Some(e) if units::approx(&e) == f => Ok(e),
                None if text.parse::<f64>().is_ok() => Err(NumberError::TooLarge),
                // No text to read (a value built in memory): the float is all there is.
                _ => Exact::from_f64(f).ok_or(NumberError::NotFinite),
            }
        }
        _ => Err(NumberError::NotANumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Limits, parse};

    fn first(text: &str, key: &str) -> Result<Exact, NumberError> {
        let root = parse(text, &Limits::default()).unwrap();
        exact(root.get(key).unwrap(), text)
    }

    #[test]
    fn read_from_text() {
        let e = |t: &str| units::parse_exact(t).unwrap();
        assert_eq!(first("a: 650.0000001\n", "a").unwrap(), e("650.0000001"));
        assert_eq!(
            first("a: 650.00000000000000001\n", "a").unwrap(),
            e("650.00000000000000001")
        );
        assert_eq!(first("{\"a\": 0.1}", "a").unwrap(), e("0.1"));
        assert_eq!(first("a: 12\n", "a").unwrap(), e("12"));
        assert_eq!(
            first("x: &n 650.00000000000000001\na: *n\n", "a").unwrap(),
            e("650.00000000000000001")
        );
        assert_eq!(
            first("a: !!float 650.00000000000000001\n", "a").unwrap(),
            e("650.00000000000000001")
        );
        assert_eq!(first("a: .nan\n", "a"), Err(NumberError::NotFinite));
        assert_eq!(first("a: -.inf\n", "a"), Err(NumberError::NotFinite));
        assert_eq!(first("a: 1e999\n", "a"), Err(NumberError::NotFinite));
        assert_eq!(first("a: 1e300\n", "a").map(|_| ()), Ok(()));
        assert_eq!(first("a: 1e-390\n", "a").unwrap(), e("1e-390"));
        assert_eq!(first("a: 1e-900\n", "a"), Err(NumberError::TooLarge));
        assert_eq!(first("a: x\n", "a"), Err(NumberError::NotANumber));
    }
}
