//! Issue 15's performance target: every criterion of one 10 kHz, 0.2 s,
//! 21-channel ISO-MME dataset in under 50 ms on one core.
//!
//!     cargo bench --bench derive
//!
//! Writes a synthetic raw (class 0) dataset to a temporary folder, then times
//! reading it and deriving the 13 criteria a frontal HIII test is judged by
//! (HIC15, HIC36, head a3ms and peak, chest deflection and VC, femur peak and
//! 10 ms level, neck tension, shear and extension, tibia index and
//! compression over four locations), each channel filtered to its class.
//! Prints the median and the slowest of the timed rounds.
// Sample indices and rates are small: the casts are exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use sds::derive::{Criterion, Dataset, DeriveSpec, Sign, derive};
use sds::load::Limits;

const RATE: f64 = 10_000.0;
const SAMPLES: usize = 2_000; // 0.2 s
const ROUNDS: usize = 30;

fn hav(t: f64, center: f64, width: f64) -> f64 {
    let x = (t - center) / width;
    if x.abs() < 0.5 {
        0.5 * (1.0 + (2.0 * std::f64::consts::PI * x).cos())
    } else {
        0.0
    }
}

/// A channel to write: code, unit, and its value at time t.
type Spec = (String, &'static str, Box<dyn Fn(f64) -> f64>);

/// The 21 channels.
fn channels() -> Vec<Spec> {
    let wiggle = |a: f64, f: f64| move |t: f64| a * (2.0 * std::f64::consts::PI * f * t).sin();
    let mut v: Vec<Spec> = vec![
        (
            "11HEAD0000H3ACX0".into(),
            "g",
            Box::new(move |t| -60.0 * hav(t, 0.06, 0.03) + wiggle(3.0, 1500.0)(t)),
        ),
        (
            "11HEAD0000H3ACY0".into(),
            "g",
            Box::new(move |t| 12.0 * hav(t, 0.06, 0.03) + wiggle(1.0, 2100.0)(t)),
        ),
        (
            "11HEAD0000H3ACZ0".into(),
            "g",
            Box::new(move |t| 25.0 * hav(t, 0.058, 0.028) + wiggle(2.0, 2500.0)(t)),
        ),
        (
            "11NECKUP00H3FOX0".into(),
            "N",
            Box::new(move |t| 700.0 * hav(t, 0.07, 0.03) + wiggle(30.0, 1300.0)(t)),
        ),
        (
            "11NECKUP00H3FOZ0".into(),
            "N",
            Box::new(move |t| 1900.0 * hav(t, 0.07, 0.03) + wiggle(50.0, 1400.0)(t)),
        ),
        (
            "11NECKUP00H3MOY0".into(),
            "Nm",
            Box::new(move |t| -35.0 * hav(t, 0.08, 0.03) + wiggle(2.0, 900.0)(t)),
        ),
        (
            "11CHST0000H3DSX0".into(),
            "mm",
            Box::new(move |t| -36.0 * hav(t, 0.07, 0.07) + wiggle(0.3, 900.0)(t)),
        ),
        (
            "11FEMRLE00H3FOZ0".into(),
            "N",
            Box::new(move |t| -5200.0 * hav(t, 0.05, 0.035) + wiggle(150.0, 1200.0)(t)),
        ),
        (
            "11FEMRRI00H3FOZ0".into(),
            "N",
            Box::new(move |t| -4300.0 * hav(t, 0.055, 0.04) + wiggle(150.0, 1100.0)(t)),
        ),
    ];
    for loc in ["LEUP", "LELO", "RIUP", "RILO"] {
        v.push((
            format!("11TIBI{loc}H3MOX0"),
            "Nm",
            Box::new(move |t| 70.0 * hav(t, 0.06, 0.03) + wiggle(4.0, 1000.0)(t)),
        ));
        v.push((
            format!("11TIBI{loc}H3MOY0"),
            "Nm",
            Box::new(move |t| -95.0 * hav(t, 0.062, 0.026) + wiggle(4.0, 1300.0)(t)),
        ));
        v.push((
            format!("11TIBI{loc}H3FOZ0"),
            "N",
            Box::new(move |t| -3100.0 * hav(t, 0.06, 0.036) + wiggle(60.0, 800.0)(t)),
        ));
    }
    v
}

fn write_dataset(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("Channel"))?;
    std::fs::write(
        dir.join("BENCH.mme"),
        "Data format                 :ISO-MME\nTest number                 :BENCH\n",
    )?;
    let chans = channels();
    let mut chn = format!("Number of channels          :{}\n", chans.len());
    for (i, (code, unit, f)) in chans.iter().enumerate() {
        let _ = writeln!(chn, "Name of channel {:03}         :{code} / bench", i + 1);
        let mut s = format!(
            "Channel code                :{code}\nSampling interval           :1.000000E-4\nTime of first sample        :-1.000000E-2\nNumber of samples           :{SAMPLES}\nUnit                        :{unit}\n"
        );
        for k in 0..SAMPLES {
            let t = -0.01 + k as f64 / RATE;
            let _ = writeln!(s, "{:.6E}", f(t));
        }
        std::fs::write(dir.join(format!("Channel/BENCH.{:03}", i + 1)), s)?;
    }
    std::fs::write(dir.join("Channel/BENCH.chn"), chn)
}

fn specs() -> Vec<DeriveSpec> {
    let head = |criterion, window_ms, duration_ms| DeriveSpec {
        criterion: Some(criterion),
        window_ms,
        duration_ms,
        location: Some("HEAD0000".into()),
        dimension: Some("AC".into()),
        resultant: true,
        cfc: Some(1000),
        ..DeriveSpec::default()
    };
    let one = |criterion, loc: &str, dim: &str, dir, cfc, sign| DeriveSpec {
        criterion: Some(criterion),
        location: Some(loc.into()),
        dimension: Some(dim.into()),
        direction: Some(dir),
        cfc: Some(cfc),
        sign,
        ..DeriveSpec::default()
    };
    let tibias: Vec<String> = ["TIBILEUP", "TIBILELO", "TIBIRIUP", "TIBIRILO"]
        .map(String::from)
        .to_vec();
    let femurs: Vec<String> = vec!["FEMRLE00".into(), "FEMRRI00".into()];
    vec![
        head(Criterion::Hic, Some(15.0), None),
        head(Criterion::Hic, Some(36.0), None),
        head(Criterion::Exceedance, None, Some(3.0)),
        head(Criterion::Peak, None, None),
        one(
            Criterion::Peak,
            "CHST0000",
            "DS",
            'X',
            180,
            Some(Sign::Compression),
        ),
        one(Criterion::Vc, "CHST0000", "DS", 'X', 180, None),
        DeriveSpec {
            location: None,
            over: femurs.clone(),
            ..one(
                Criterion::Peak,
                "X",
                "FO",
                'Z',
                600,
                Some(Sign::Compression),
            )
        },
        DeriveSpec {
            location: None,
            over: femurs,
            duration_ms: Some(10.0),
            ..one(
                Criterion::Exceedance,
                "X",
                "FO",
                'Z',
                600,
                Some(Sign::Compression),
            )
        },
        one(
            Criterion::Peak,
            "NECKUP00",
            "FO",
            'Z',
            1000,
            Some(Sign::Tension),
        ),
        one(Criterion::Peak, "NECKUP00", "FO", 'X', 1000, None),
        one(
            Criterion::Peak,
            "NECKUP00",
            "MO",
            'Y',
            600,
            Some(Sign::Compression),
        ),
        DeriveSpec {
            criterion: Some(Criterion::TibiaIndex),
            over: tibias.clone(),
            cfc: Some(600),
            ..DeriveSpec::default()
        },
        DeriveSpec {
            location: None,
            over: tibias,
            ..one(
                Criterion::Peak,
                "X",
                "FO",
                'Z',
                600,
                Some(Sign::Compression),
            )
        },
    ]
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path().join("BENCH");
    write_dataset(&dir).expect("the dataset is written");
    let limits = Limits::default();
    let specs = specs();
    let (mut open_all, mut derive_only) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let ds = Dataset::open(&dir, &limits).expect("the dataset opens");
        let opened = t.elapsed();
        for s in &specs {
            std::hint::black_box(derive(&ds, s, "11").expect("every criterion derives"));
        }
        let total = t.elapsed();
        open_all.push(total);
        derive_only.push(total.checked_sub(opened).unwrap());
    }
    let max = |v: &[Duration]| v.iter().max().copied().unwrap_or_default();
    println!(
        "derive: {} channels x {SAMPLES} samples at {RATE} Hz, {} criteria, {ROUNDS} rounds",
        channels().len(),
        specs.len()
    );
    println!(
        "  read + derive all: median {:.2} ms, slowest {:.2} ms",
        median(open_all.clone()).as_secs_f64() * 1e3,
        max(&open_all).as_secs_f64() * 1e3
    );
    println!(
        "  derive all (files read, channels parsed on first use): median {:.2} ms, slowest {:.2} ms",
        median(derive_only.clone()).as_secs_f64() * 1e3,
        max(&derive_only).as_secs_f64() * 1e3
    );
}
