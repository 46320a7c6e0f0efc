//! Sample text to `f64`, as `str::parse::<f64>` does it, faster on the
//! common spellings (`-2.6428998E+00`).
//!
//! A decimal of at most 19 digits whose value is `m · 10^e` with `m ≤ 2^53`
//! and `|e| ≤ 22` is computed as one IEEE multiplication or division of two
//! exactly representable numbers (Clinger's fast path), which is correctly
//! rounded, as the standard library's parse is: the two give the same bits.
//! Everything else (more digits, large exponents, `inf`, `nan`, odd
//! spellings, errors) goes to `str::parse` itself, so exactly the same
//! strings are accepted. A property test holds the two together.

/// 10^0 .. 10^22, every one exact in an f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `s.parse::<f64>().ok()`, bit for bit.
pub(super) fn parse_f64(s: &str) -> Option<f64> {
    fast(s.as_bytes()).or_else(|| s.parse::<f64>().ok())
}

/// The fast path, or `None` to leave the string to `str::parse`.
fn fast(bytes: &[u8]) -> Option<f64> {
    fast_prefix(bytes)
        .filter(|&(_, n)| n == bytes.len())
        .map(|(v, _)| v)
}

/// The number the longest run of number syntax at the start of `bytes`
/// spells and that run's length, when the fast path applies to it; `None`
/// when it does not (the caller then reads the whole line the slow way).
pub(super) fn fast_prefix(bytes: &[u8]) -> Option<(f64, usize)> {
    let (negative, sign) = match bytes.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let mut mantissa: u64 = 0;
    let mut digits = 0u32;
    let mut frac_digits = 0i32;
    let mut i = sign;
    let mut seen_point = false;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 19 {
                    return None;
                }
                mantissa = mantissa * 10 + u64::from(c - b'0');
                if seen_point {
                    frac_digits += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let mut exp: i32 = 0;
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        let neg_exp = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while let Some(&c) = bytes.get(i).filter(|c| c.is_ascii_digit()) {
            if i - start == 4 {
                return None;
            }
            exp = exp * 10 + i32::from(c - b'0');
            i += 1;
        }
        if i == start {
            return None;
        }
        if neg_exp {
            exp = -exp;
        }
    }
    if mantissa > 1 << 53 {
        return None;
    }
    let e10 = exp - frac_digits;
    // mantissa ≤ 2^53 is exact as an f64.
    #[allow(clippy::cast_precision_loss)]
    let x = mantissa as f64;
    let p = *POW10.get(usize::try_from(e10.unsigned_abs()).ok()?)?;
    let v = if e10 < 0 { x / p } else { x * p };
    Some((if negative { -v } else { v }, i))
}

#[cfg(test)]
mod tests {
    use super::parse_f64;
    use proptest::prelude::*;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(parse_f64(s).map(f64::to_bits), want, "`{s}`");
    }

    #[test]
    fn odd_spellings_are_the_standard_librarys() {
        for s in [
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1e-",
            ".5",
            "5.",
            "-.5",
            "+5.",
            "1.e5",
            "..1",
            "1..",
            "1.2.3",
            "inf",
            "-inf",
            "+inf",
            "infinity",
            "Infinity",
            "INF",
            "nan",
            "NaN",
            "-nan",
            "+nan",
            "0x10",
            "1_000",
            " 1",
            "1 ",
            "1e99999",
            "1e-99999",
            "-0",
            "+0",
            "-0.0",
            "0e0",
            "9007199254740993",
            "9007199254740992",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "12345678901234567890",
            "1234567890123456789",
            "2.7819608E-01",
            "-2.6428998E+00",
            "1E4",
            "1e0004",
            "1e00004",
            "١",
            "1.5\u{0}",
            "−1",
        ] {
            same(s);
        }
    }

    proptest! {
        #[test]
        fn decimals_parse_to_the_same_bits(
            s in r"[+-]?[0-9]{0,21}(\.[0-9]{0,21})?([eE][+-]?[0-9]{0,5})?"
        ) {
            let want = s.parse::<f64>().ok().map(f64::to_bits);
            prop_assert_eq!(parse_f64(&s).map(f64::to_bits), want, "`{}`", s);
        }

        #[test]
        fn any_text_parses_to_the_same_bits(s in r"[-+0-9.eEinfatyINFATY _x]{0,12}") {
            let want = s.parse::<f64>().ok().map(f64::to_bits);
            prop_assert_eq!(parse_f64(&s).map(f64::to_bits), want, "`{}`", s);
        }

        #[test]
        fn printed_floats_parse_back_the_same(x in any::<f64>(), precision in 0usize..20) {
            for s in [format!("{x:.precision$e}"), format!("{x:E}"), format!("{x}"),
                      format!("{x:.precision$}")] {
                let want = s.parse::<f64>().ok().map(f64::to_bits);
                prop_assert_eq!(parse_f64(&s).map(f64::to_bits), want, "`{}`", s);
            }
        }
    }
}
