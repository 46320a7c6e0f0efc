//! A checklist's `derive` and `tolerance` entries, read from the spanned tree.

use crate::load::{Node, Span, Value};

use super::{Criterion, DeriveSpec, Sign};

/// How far a claimed value may differ from the derived one. The larger of
/// the two allowances wins; absent both, relative 0.01.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// A fraction of the derived value's magnitude.
    pub relative: Option<f64>,
    /// An amount in the metric's registry unit.
    pub absolute: Option<f64>,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            relative: Some(0.01),
            absolute: None,
        }
    }
}

impl Tolerance {
    /// The allowance around `derived` (both in the registry unit).
    #[must_use]
    pub fn allowance(&self, derived: f64) -> f64 {
        let rel = self.relative.map_or(0.0, |r| r * derived.abs());
        rel.max(self.absolute.unwrap_or(0.0))
    }

    /// Whether `claimed` is within the allowance of `derived` (inclusive).
    #[must_use]
    pub fn allows(&self, claimed: f64, derived: f64) -> bool {
        (claimed - derived).abs() <= self.allowance(derived)
    }

    /// `"1 %"`, `"0.5 mm"`, `"1 % or 0.5 mm, whichever is larger"`.
    #[must_use]
    pub fn describe(&self, unit: &str) -> String {
        let rel = self.relative.map(|r| format!("{} %", r * 100.0));
        let abs = self.absolute.map(|a| {
            if unit == "1" {
                format!("{a}")
            } else {
                format!("{a} {unit}")
            }
        });
        match (rel, abs) {
            (Some(r), Some(a)) => format!("{r} or {a}, whichever is larger"),
            (Some(r), None) => r,
            (None, Some(a)) => a,
            (None, None) => "0".into(),
        }
    }

    /// Reads `{relative?, absolute?}`.
    ///
    /// # Errors
    /// Where and why the entry is not a tolerance.
    pub fn from_node(node: &Node) -> Result<Tolerance, (Span, String)> {
        let Value::Map(entries) = &node.value else {
            return Err((
                node.span,
                "`tolerance` must be a map {relative?, absolute?}".into(),
            ));
        };
        let mut t = Tolerance {
            relative: None,
            absolute: None,
        };
        for e in entries {
            let key = e.key.as_str().unwrap_or_default();
            let v = e
                .value
                .as_f64()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    (
                        e.value.span,
                        format!("tolerance `{key}` must be a number >= 0"),
                    )
                })?;
            match key {
                "relative" => t.relative = Some(v),
                "absolute" => t.absolute = Some(v),
                _ => {
                    return Err((
                        e.key.span,
                        format!("`{key}` is not a tolerance field (relative, absolute)"),
                    ));
                }
            }
        }
        if t.relative.is_none() && t.absolute.is_none() {
            return Err((
                node.span,
                "`tolerance` needs `relative` or `absolute`".into(),
            ));
        }
        Ok(t)
    }
}

impl DeriveSpec {
    /// Reads a checklist's `derive` map and validates it.
    ///
    /// # Errors
    /// Where and why the entry is not a derivation sds can carry out.
    pub fn from_node(node: &Node) -> Result<DeriveSpec, (Span, String)> {
        let Value::Map(entries) = &node.value else {
            return Err((node.span, "`derive` must be a map".into()));
        };
        let mut s = DeriveSpec::default();
        for e in entries {
            let key = e.key.as_str().unwrap_or_default();
            let v = &e.value;
            let at = |msg: String| (v.span, msg);
            let text = || {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| at(format!("`{key}` must be a string")))
            };
            let number = || {
                v.as_f64()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| at(format!("`{key}` must be a number")))
            };
            match key {
                "criterion" => {
                    let c = text()?;
                    s.criterion = Some(Criterion::parse(&c).ok_or_else(|| {
                        at(format!(
                            "criterion `{c}` is not one of peak, hic, exceedance, vc, tibia_index"
                        ))
                    })?);
                }
                "window_ms" => s.window_ms = Some(number()?),
                "duration_ms" => s.duration_ms = Some(number()?),
                "location" => s.location = Some(text()?),
                "over" => {
                    s.over = v
                        .items()
                        .iter()
                        .map(|n| n.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .filter(|l| !l.is_empty() && matches!(v.value, Value::Seq(_)))
                        .ok_or_else(|| at("`over` must be a non-empty list of locations".into()))?;
                }
                "dimension" => s.dimension = Some(text()?),
                "direction" => {
                    let d = text()?;
                    let mut chars = d.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => s.direction = Some(c),
                        _ => return Err(at(format!("direction `{d}` must be one character"))),
                    }
                }
                "resultant" => {
                    s.resultant = v
                        .as_bool()
                        .ok_or_else(|| at("`resultant` must be true or false".into()))?;
                }
                "cfc" => {
                    s.cfc = Some(
                        v.as_i64()
                            .and_then(|c| u32::try_from(c).ok())
                            .ok_or_else(|| at("`cfc` must be 1000, 600, 180 or 60".into()))?,
                    );
                }
                "sign" => {
                    s.sign = Some(match text()?.as_str() {
                        "compression" => Sign::Compression,
                        "tension" => Sign::Tension,
                        other => {
                            return Err(at(format!(
                                "sign `{other}` is not compression or tension"
                            )));
                        }
                    });
                }
                _ => {
                    return Err((
                        e.key.span,
                        format!(
                            "`{key}` is not a derive field (criterion, window_ms, duration_ms, location, over, dimension, direction, resultant, cfc, sign)"
                        ),
                    ));
                }
            }
        }
        s.validate().map_err(|m| (node.span, m))?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Limits, parse};

    fn node(text: &str) -> Node {
        parse(text, &Limits::default()).unwrap()
    }

    #[test]
    fn reads_the_contract_examples() {
        let s = DeriveSpec::from_node(&node(
            "{criterion: hic, window_ms: 15, location: HEAD0000, dimension: AC, resultant: true, cfc: 1000}",
        ))
        .unwrap();
        assert_eq!(s.criterion, Some(Criterion::Hic));
        assert_eq!(s.window_ms, Some(15.0));
        assert!(s.resultant);
        let s = DeriveSpec::from_node(&node(
            "{criterion: peak, sign: compression, over: [FEMRLE00, FEMRRI00], dimension: FO, direction: Z, cfc: 600}",
        ))
        .unwrap();
        assert_eq!(s.over.len(), 2);
        assert_eq!(s.sign, Some(Sign::Compression));
    }

    #[test]
    fn rejects_what_it_cannot_do() {
        for bad in [
            "{criterion: nic, location: HEAD0000, dimension: AC, direction: X}",
            "{criterion: hic, location: HEAD0000, dimension: AC, resultant: true}",
            "{criterion: peak, location: HEAD, dimension: AC, direction: X}",
            "{criterion: peak, location: HEAD0000, dimension: AC, direction: X, cfc: 100}",
            "{criterion: peak, location: HEAD0000, dimension: AC}",
            "{criterion: peak, location: HEAD0000, dimension: AC, direction: X, colour: red}",
            "[peak]",
        ] {
            assert!(DeriveSpec::from_node(&node(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn tolerance_larger_allowance_wins() {
        let t = Tolerance::from_node(&node("{relative: 0.01, absolute: 0.5}")).unwrap();
        assert!(t.allows(38.5, 38.0));
        assert!(!t.allows(38.6, 38.0));
        assert!(t.allows(1010.0, 1000.0));
        assert!(!t.allows(1010.1, 1000.0));
        assert!(Tolerance::from_node(&node("{}")).is_err());
        assert!(Tolerance::from_node(&node("{relative: -1}")).is_err());
        assert!(Tolerance::default().allows(505.0, 500.0));
    }
}
