//! The channel frequency class (CFC) filter of ISO 6487 / SAE J211-1: a
//! two-pole Butterworth low-pass run forward, then backward (phaseless,
//! four poles overall), with ISO 6487's start-up handling: the record is
//! extended at each end by points mirrored through the end value, and each
//! pass starts from the mean of its first ten inputs.

/// The filter classes a criterion may ask for, as (CFC, ISO-MME class letter).
pub const CLASSES: [(u32, char); 4] = [(1000, 'A'), (600, 'B'), (180, 'C'), (60, 'D')];

/// ISO 6487 Annex A's design frequency factor, ω_d = 2π · CFC · 1.25 · 5/3.
/// SAE J211-1 (1995) Appendix C writes 2.0775 instead; the two differ by
/// 0.3 % in ω_d and by less than 0.001 % on HIC15 (docs/decisions.md).
const DESIGN_FACTOR: f64 = 1.25 * 5.0 / 3.0;

/// Minimum sample rate for a class, as a multiple of the CFC: 10 kHz for
/// CFC 1000, the rate real head channels are recorded at. Below it the
/// digital filter drifts from the class's corridor (its −3 dB point moves up
/// through the tan pre-warp) and peaks are under-sampled.
pub const MIN_RATE_PER_CFC: f64 = 10.0;

/// The class letter of a CFC, if it is one of the four.
#[must_use]
pub fn class_letter(cfc: u32) -> Option<char> {
    CLASSES.iter().find(|(c, _)| *c == cfc).map(|(_, l)| *l)
}

/// The CFC a channel code's filter-class letter says its data is already
/// filtered to: `Some(None)` for unfiltered (`0`) or pre-filtered above
/// CFC 1000 (`P`), `Some(Some(cfc))` for the four classes (either edition of
/// the standard), `None` for anything sds does not re-filter (special,
/// video, constant, combined classes).
#[must_use]
pub fn filtered_to(letter: char) -> Option<Option<u32>> {
    Some(match letter.to_ascii_uppercase() {
        '0' | 'P' => None,
        'A' | 'E' => Some(1000),
        'B' | 'F' => Some(600),
        'C' | 'G' => Some(180),
        'D' | 'H' => Some(60),
        'Q' => Some(59), // pre-filtered below CFC 60: coarser than any class
        _ => return None,
    })
}

/// Filters `x` (sampled every `dt` seconds) to class `cfc`.
#[must_use]
// The padding is a positive count of samples, clamped to the record: the
// float to usize cast cannot lose anything that matters.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn filter(x: &[f64], dt: f64, cfc: u32) -> Vec<f64> {
    let n = x.len();
    if n < 2 {
        return x.to_vec();
    }
    // At least 10 ms and 100 points of padding, never more than the record.
    let pad = ((0.01 / dt).round().max(100.0) as usize).min(n - 1);
    let mut buf = Vec::with_capacity(n + 2 * pad);
    buf.extend((1..=pad).rev().map(|k| 2.0 * x[0] - x[k]));
    buf.extend_from_slice(x);
    buf.extend((1..=pad).map(|k| 2.0 * x[n - 1] - x[n - 1 - k]));

    let wd = 2.0 * std::f64::consts::PI * f64::from(cfc) * DESIGN_FACTOR;
    let wa = (wd * dt / 2.0).tan();
    let sq2 = std::f64::consts::SQRT_2;
    let d = 1.0 + sq2 * wa + wa * wa;
    let b0 = wa * wa / d;
    let c = Coefficients {
        b0,
        b1: 2.0 * b0,
        b2: b0,
        a1: -2.0 * (wa * wa - 1.0) / d,
        a2: (-1.0 + sq2 * wa - wa * wa) / d,
    };
    pass(&mut buf, &c);
    buf.reverse();
    pass(&mut buf, &c);
    buf.reverse();
    buf.drain(..pad);
    buf.truncate(n);
    buf
}

struct Coefficients {
    b0: f64,
    b1: f64,
    b2: f64,
    a1: f64,
    a2: f64,
}

/// One pass in place; the first two outputs are the mean of the first ten inputs.
// `head` is at most 10: the usize to f64 cast is exact.
#[allow(clippy::cast_precision_loss)]
fn pass(y: &mut [f64], c: &Coefficients) {
    if y.len() < 3 {
        return;
    }
    let head = y.len().min(10);
    let start = y[..head].iter().sum::<f64>() / head as f64;
    let (mut x1, mut x0) = (y[0], y[1]);
    y[0] = start;
    y[1] = start;
    for i in 2..y.len() {
        let x2 = x1;
        x1 = x0;
        x0 = y[i];
        y[i] = c.b0 * x0 + c.b1 * x1 + c.b2 * x2 + c.a1 * y[i - 1] + c.a2 * y[i - 2];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_passes_unchanged() {
        let x = vec![3.5; 500];
        for v in filter(&x, 1e-4, 1000) {
            assert!((v - 3.5).abs() < 1e-9);
        }
    }

    #[test]
    fn ramp_passes_unchanged() {
        // The mirrored padding continues a ramp exactly, so no start-up error.
        let x: Vec<f64> = (0..2000).map(|i| f64::from(i) * 0.01).collect();
        let y = filter(&x, 1e-4, 180);
        for (a, b) in x.iter().zip(&y).skip(20).take(1960) {
            assert!((a - b).abs() < 1e-6, "{a} {b}");
        }
    }

    #[test]
    fn attenuates_above_and_passes_below_the_class() {
        let dt = 1e-4;
        let amp = |f: f64, cfc| {
            let x: Vec<f64> = (0..4000)
                .map(|i| (2.0 * std::f64::consts::PI * f * f64::from(i) * dt).sin())
                .collect();
            filter(&x, dt, cfc)[1000..3000]
                .iter()
                .fold(0.0f64, |m, v| m.max(v.abs()))
        };
        assert!(amp(50.0, 180) > 0.98);
        assert!(amp(2000.0, 180) < 0.01);
        // CFC 60 at 100 Hz: about −3 dB (the forward-backward pair's corner).
        let a = amp(100.0, 60);
        assert!((0.6..0.8).contains(&a), "{a}");
    }

    #[test]
    fn short_records_do_not_panic() {
        for n in 0..12 {
            let x: Vec<f64> = (0..n).map(f64::from).collect();
            assert_eq!(filter(&x, 1e-4, 1000).len(), x.len());
        }
    }
}
