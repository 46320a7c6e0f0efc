//! Injury criteria on evenly sampled signals. Pure arithmetic: the caller has
//! already selected, filtered and converted the channels.
//!
//! Window lengths are whole sample counts, never sums of floating seconds
//! (adding 0.015 to a time stamp flips between 149 and 150 samples at 10 kHz).

/// A criterion's value and where in the record it was found (sample indices).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// The value.
    pub value: f64,
    /// First sample of the window (or the sample of a peak).
    pub start: usize,
    /// Last sample of the window (equal to `start` for a peak).
    pub end: usize,
}

/// The sample with the largest value (`None` for an empty signal).
#[must_use]
pub fn max(x: &[f64]) -> Option<Found> {
    let (i, &v) =
        x.iter()
            .enumerate()
            .fold(None, |best: Option<(usize, &f64)>, (i, v)| match best {
                Some((_, b)) if b >= v => best,
                _ => Some((i, v)),
            })?;
    Some(Found {
        value: v,
        start: i,
        end: i,
    })
}

/// HIC over every window of at most `max_samples` intervals:
/// max (t2 − t1) · [mean of a over [t1, t2]]^2.5, the mean by the trapezoid
/// rule, `a` in g, `dt` in seconds. Windows with a non-positive mean never count.
#[must_use]
// Window widths are sample counts, far below 2^52: usize to f64 is exact.
#[allow(clippy::cast_precision_loss)]
pub fn hic(a: &[f64], dt: f64, max_samples: usize) -> Option<Found> {
    if a.len() < 2 || max_samples == 0 {
        return None;
    }
    // A window never holds more than the record (a tiny `dt` asks for billions).
    let max_samples = max_samples.min(a.len() - 1);
    // Cumulative integral in g·s; the mean of any window is one subtraction.
    let mut cum = Vec::with_capacity(a.len());
    let mut s = 0.0;
    cum.push(0.0);
    for w in a.windows(2) {
        s += 0.5 * (w[0] + w[1]) * dt;
        cum.push(s);
    }
    // HIC = dur · (ΔI/dur)^2.5 = ΔI^2.5 · dur^−1.5; the second factor per width, once.
    let inv: Vec<f64> = (0..=max_samples)
        .map(|k| {
            let dur = k as f64 * dt;
            1.0 / (dur * dur.sqrt())
        })
        .collect();
    // A window's mean never exceeds the largest sample it holds, so no
    // window starting at `i` beats (largest sample within reach)^2.5 · (its
    // longest width): starts whose bound is at most the best so far are
    // skipped (a head pulse is short, so most of a record is). The bound is
    // widened by a millionth against rounding; the windows searched, their
    // order and the values compared are those of the exhaustive search.
    let reach = reach_max(a, max_samples);
    // One real window's value, found cheaply around the largest sample:
    // the maximum is at least this, so a start whose bound is below it is
    // skipped even before the scan has found anything.
    let hic_of = |i: usize, j: usize| {
        let area = cum[j] - cum[i];
        (area > 0.0).then(|| area * area * area.sqrt() * inv[j - i])
    };
    let floor = floor_near_peak(a, max_samples, &hic_of);
    let mut best: Option<Found> = None;
    for i in 0..a.len() - 1 {
        let last = (i + max_samples).min(a.len() - 1);
        let peak = reach[i];
        let bound = peak * peak * peak.sqrt() * ((last - i) as f64 * dt) * (1.0 + 1e-6);
        if peak <= 0.0 || bound < floor || best.is_some_and(|b| bound <= b.value) {
            continue;
        }
        for j in i + 1..=last {
            let area = cum[j] - cum[i];
            if area <= 0.0 {
                continue;
            }
            let v = area * area * area.sqrt() * inv[j - i];
            if best.is_none_or(|b| v > b.value) {
                best = Some(Found {
                    value: v,
                    start: i,
                    end: j,
                });
            }
        }
    }
    best
}

/// The largest HIC of a few windows of every width class centred on the
/// largest sample (0 when none has a positive mean): a floor under the
/// maximum, since each is a window the full search also weighs.
fn floor_near_peak(
    a: &[f64],
    max_samples: usize,
    hic_of: &dyn Fn(usize, usize) -> Option<f64>,
) -> f64 {
    let Some(p) = max(a).map(|m| m.start) else {
        return 0.0;
    };
    let last = a.len() - 1;
    let step = (max_samples / 32).max(1);
    let mut floor = 0.0_f64;
    for width in (1..=max_samples).step_by(step) {
        let start = p.saturating_sub(width / 2).min(last.saturating_sub(width));
        let end = (start + width).min(last);
        if end > start
            && let Some(v) = hic_of(start, end)
        {
            floor = floor.max(v);
        }
    }
    floor
}

/// For each sample `i`, the largest sample of `a[i..=i + width]` (a sliding
/// maximum, one pass with a deque of candidates).
fn reach_max(a: &[f64], width: usize) -> Vec<f64> {
    let mut out = vec![0.0; a.len()];
    // Indices of candidates, largest index first, values decreasing towards the back.
    let mut candidates: std::collections::VecDeque<usize> = std::collections::VecDeque::new();
    for i in (0..a.len()).rev() {
        while candidates.back().is_some_and(|&k| a[k] <= a[i]) {
            candidates.pop_back();
        }
        candidates.push_back(i);
        while candidates.front().is_some_and(|&k| k > i + width) {
            candidates.pop_front();
        }
        out[i] = candidates.front().map_or(a[i], |&k| a[k]);
    }
    out
}

/// Time (seconds) during which the piecewise-linear signal is at or above `level`.
fn time_at_or_above(x: &[f64], dt: f64, level: f64) -> f64 {
    let mut t = 0.0;
    for w in x.windows(2) {
        let (a, b) = (w[0], w[1]);
        t += if a >= level && b >= level {
            dt
        } else if a < level && b < level {
            0.0
        } else if a >= level {
            dt * (a - level) / (a - b)
        } else {
            dt * (b - level) / (b - a)
        };
    }
    t
}

/// [`time_at_or_above`] over the segments `(x[i], x[i + 1])` listed, in order.
fn time_above_on(x: &[f64], segments: &[usize], dt: f64, level: f64) -> f64 {
    let mut t = 0.0;
    for &i in segments {
        let (a, b) = (x[i], x[i + 1]);
        t += if a >= level && b >= level {
            dt
        } else if a < level && b < level {
            0.0
        } else if a >= level {
            dt * (a - level) / (a - b)
        } else {
            dt * (b - level) / (b - a)
        };
    }
    t
}

/// The highest level the signal stays at or above for `duration` seconds in
/// total (cumulatively; the piecewise-linear reading of the samples, crossing
/// times interpolated). `None` when the record is shorter than `duration`.
/// The window is the first and last sample at or above that level.
#[must_use]
pub fn exceedance(x: &[f64], dt: f64, duration: f64) -> Option<Found> {
    let (lo0, hi0) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    if x.len() < 2 || time_at_or_above(x, dt, lo0) < duration {
        return None;
    }
    // Time above is non-increasing in the level: bisect to the last level
    // that still holds for `duration` (64 halvings reach the f64 resolution).
    // Every level tried from here on is above `lo`, so a segment wholly
    // below `lo` only ever adds 0.0 to the sum: dropping it (in order) gives
    // the same sum, bit for bit, over ever fewer segments.
    let (mut lo, mut hi) = (lo0, hi0);
    let mut segments: Vec<usize> = (0..x.len() - 1).collect();
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if time_above_on(x, &segments, dt, mid) >= duration {
            lo = mid;
            segments.retain(|&i| x[i] >= lo || x[i + 1] >= lo);
        } else {
            hi = mid;
        }
    }
    let start = x.iter().position(|&v| v >= lo).unwrap_or(0);
    let end = x.iter().rposition(|&v| v >= lo).unwrap_or(start);
    Some(Found {
        value: lo,
        start,
        end,
    })
}

/// The viscous criterion time history's maximum: VC(t) = sf · V(t) · D(t)/d0,
/// V by the five-point central difference of SAE J1727, D in metres. The
/// product does not depend on the sign convention of the deflection; it is
/// positive while the chest is compressed further and negative while it
/// recovers, so the maximum is the compression phase's.
#[must_use]
pub fn vc(d: &[f64], dt: f64, sf: f64, d0: f64) -> Option<Found> {
    if d.len() < 5 {
        return None;
    }
    let mut best: Option<Found> = None;
    for i in 2..d.len() - 2 {
        let v = (8.0 * (d[i + 1] - d[i - 1]) - (d[i + 2] - d[i - 2])) / (12.0 * dt);
        let value = sf * v * d[i] / d0;
        if best.is_none_or(|b| value > b.value) {
            best = Some(Found {
                value,
                start: i,
                end: i,
            });
        }
    }
    best
}

/// Tibia index time history's maximum: |M_R / mc| + |Fz / fc| with
/// M_R = √(Mx² + My²), taken only while the tibia is in compression (Fz < 0),
/// as Euro NCAP's definition ("axial compressive force") and pyisomme do.
#[must_use]
pub fn tibia_index(mx: &[f64], my: &[f64], fz: &[f64], mc: f64, fc: f64) -> Option<Found> {
    let n = mx.len().min(my.len()).min(fz.len());
    let ti: Vec<f64> = (0..n)
        .map(|i| {
            if fz[i] < 0.0 {
                mx[i].hypot(my[i]) / mc + (fz[i] / fc).abs()
            } else {
                0.0
            }
        })
        .collect();
    max(&ti)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(n: usize, from: usize, to: usize, level: f64) -> Vec<f64> {
        (0..n)
            .map(|i| if (from..to).contains(&i) { level } else { 0.0 })
            .collect()
    }

    #[test]
    fn hic_of_a_short_rectangle_is_its_own_width() {
        // 100 g for 10 ms at 10 kHz: HIC = 0.010 · 100^2.5 = 1000 for any T >= 10 ms.
        // The trapezoid rule ramps each edge over one sample, so allow that.
        let a = rect(2000, 500, 600, 100.0);
        let h = hic(&a, 1e-4, 150).unwrap();
        assert!((h.value - 1000.0).abs() < 12.0, "{}", h.value);
        let h36 = hic(&a, 1e-4, 360).unwrap();
        assert!((h36.value - h.value).abs() < 1e-9);
        // A window shorter than the pulse sees less.
        assert!(hic(&a, 1e-4, 50).unwrap().value < h.value);
    }

    #[test]
    fn hic_window_longer_than_the_record_is_the_record() {
        let a = rect(50, 10, 20, 100.0);
        assert_eq!(hic(&a, 1e-4, usize::MAX), hic(&a, 1e-4, 49));
    }

    /// The search without the bound, as it was before it.
    #[allow(clippy::cast_precision_loss)] // sample counts, far below 2^52
    fn hic_exhaustive(a: &[f64], dt: f64, max_samples: usize) -> Option<Found> {
        let max_samples = max_samples.min(a.len() - 1);
        let mut best: Option<Found> = None;
        for i in 0..a.len() - 1 {
            for j in i + 1..=(i + max_samples).min(a.len() - 1) {
                let area: f64 = a[i..=j].windows(2).map(|w| 0.5 * (w[0] + w[1]) * dt).sum();
                if area <= 0.0 {
                    continue;
                }
                let dur = (j - i) as f64 * dt;
                let v = area * area * area.sqrt() / (dur * dur.sqrt());
                if best.is_none_or(|b| v > b.value * (1.0 + 1e-12)) {
                    best = Some(Found {
                        value: v,
                        start: i,
                        end: j,
                    });
                }
            }
        }
        best
    }

    proptest::proptest! {
        #[test]
        fn the_bound_never_changes_the_hic(
            a in proptest::collection::vec(-20.0f64..120.0, 2..160),
            width in 1usize..60,
        ) {
            let fast = hic(&a, 1e-4, width);
            let slow = hic_exhaustive(&a, 1e-4, width);
            match (fast, slow) {
                (None, None) => {}
                (Some(f), Some(s)) => {
                    proptest::prop_assert!((f.value - s.value).abs() <= 1e-9 * s.value.abs().max(1.0), "{f:?} {s:?}");
                }
                other => proptest::prop_assert!(false, "{other:?}"),
            }
        }
    }

    #[test]
    #[allow(clippy::float_cmp)] // a maximum is one of the samples, exactly
    fn reach_max_is_the_window_maximum() {
        let a = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
        let r = reach_max(&a, 2);
        for i in 0..a.len() {
            let want = a[i..=(i + 2).min(a.len() - 1)]
                .iter()
                .copied()
                .fold(f64::MIN, f64::max);
            assert_eq!(r[i], want, "{i}");
        }
    }

    #[test]
    fn hic_ignores_negative_means() {
        assert!(hic(&[-1.0; 100], 1e-4, 10).is_none());
    }

    /// The bisection over every segment at every step, as it was first written.
    fn exceedance_over_all_segments(x: &[f64], dt: f64, duration: f64) -> Option<f64> {
        let (lo0, hi0) = x
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                (l.min(v), h.max(v))
            });
        if x.len() < 2 || time_at_or_above(x, dt, lo0) < duration {
            return None;
        }
        let (mut lo, mut hi) = (lo0, hi0);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if time_at_or_above(x, dt, mid) >= duration {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Some(lo)
    }

    proptest::proptest! {
        #[test]
        fn exceedance_drops_only_segments_that_add_nothing(
            a in proptest::collection::vec(-50.0f64..150.0, 2..400),
            steps in 1u32..60,
        ) {
            let dt = 1e-4;
            let duration = dt * f64::from(steps) * 0.7;
            let want = exceedance_over_all_segments(&a, dt, duration).map(f64::to_bits);
            proptest::prop_assert_eq!(exceedance(&a, dt, duration).map(|f| f.value.to_bits()), want);
        }
    }

    #[test]
    fn exceedance_is_cumulative() {
        // Two 2 ms plateaus at 80 g: 4 ms in total at 80, so a3ms = 80.
        let mut a = rect(1000, 100, 121, 80.0);
        for v in &mut a[500..521] {
            *v = 80.0;
        }
        let e = exceedance(&a, 1e-4, 0.003).unwrap();
        assert!((e.value - 80.0).abs() < 1e-6, "{}", e.value);
        // A single 2 ms plateau is not held for 3 ms.
        let single = rect(1000, 100, 121, 80.0);
        assert!(exceedance(&single, 1e-4, 0.003).unwrap().value < 80.0);
        assert!(exceedance(&[1.0, 2.0], 1e-4, 0.003).is_none());
    }

    #[test]
    fn exceedance_of_a_triangle_is_exact() {
        // 0 -> 100 over 10 ms and back: above L for (1 - L/100) · 20 ms.
        let x: Vec<f64> = (0..=200)
            .map(|i| 100.0 - (f64::from(i) - 100.0).abs())
            .collect();
        let e = exceedance(&x, 1e-4, 0.003).unwrap();
        assert!((e.value - 85.0).abs() < 1e-6, "{}", e.value);
    }

    #[test]
    fn vc_of_a_ramp() {
        // D = −v·t: V = −v, VC = sf · v² t / d0, largest at the end.
        let dt = 1e-4;
        let d: Vec<f64> = (0..100).map(|i| -2.0 * f64::from(i) * dt).collect();
        let f = vc(&d, dt, 1.3, 0.229).unwrap();
        let expect = 1.3 * 2.0 * 2.0 * 97.0 * dt / 0.229;
        assert!((f.value - expect).abs() < 1e-9, "{} {expect}", f.value);
    }

    #[test]
    fn tibia_index_only_in_compression() {
        let f = tibia_index(
            &[0.0, 225.0],
            &[0.0, 0.0],
            &[-1000.0, 500.0],
            225.0,
            35_900.0,
        )
        .unwrap();
        assert!((f.value - 1000.0 / 35_900.0).abs() < 1e-12);
    }
}
