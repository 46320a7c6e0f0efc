//! Any bytes as an ISO-MME dataset: either a zip archive as is, or (first
//! byte even) the texts of a `.mme`, a `.chn` and three channel files,
//! separated by 0xFF bytes and packed into a zip here, so the fuzzer reaches
//! the descriptor and sample parsers without having to forge a zip. Every
//! criterion is then derived from whatever was read. Must never panic.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use sds::derive::{Criterion, Dataset, DeriveSpec, Sign, derive};
use sds::load::Limits;

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
    let one = |criterion, location: &str, dimension: &str, direction, cfc, sign| DeriveSpec {
        criterion: Some(criterion),
        location: Some(location.into()),
        dimension: Some(dimension.into()),
        direction: Some(direction),
        cfc,
        sign,
        duration_ms: Some(10.0),
        ..DeriveSpec::default()
    };
    vec![
        head(Criterion::Hic, Some(15.0), None),
        head(Criterion::Hic, Some(36.0), None),
        head(Criterion::Exceedance, None, Some(3.0)),
        head(Criterion::Peak, None, None),
        one(Criterion::Peak, "HEAD0000", "AC", 'X', None, None),
        one(Criterion::Peak, "CHST0000", "DS", 'X', Some(180), Some(Sign::Compression)),
        one(Criterion::Vc, "CHST0000", "DS", 'X', Some(180), None),
        one(Criterion::Exceedance, "FEMRLE00", "FO", 'Z', Some(600), Some(Sign::Compression)),
        one(Criterion::Peak, "NECKUP00", "FO", 'Z', Some(60), Some(Sign::Tension)),
        DeriveSpec {
            criterion: Some(Criterion::TibiaIndex),
            over: vec!["TIBILEUP".into(), "TIBIRIUP".into()],
            cfc: Some(600),
            ..DeriveSpec::default()
        },
    ]
}

fn pack(data: &[u8]) -> Vec<u8> {
    let mut parts = data.split(|&b| b == 0xFF);
    let names = ["T/T.mme", "T/Channel/T.chn", "T/Channel/T.001", "T/Channel/T.002", "T/Channel/T.003"];
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for name in names {
        let body = parts.next().unwrap_or(b"");
        if w.start_file(name, opts).is_err() || w.write_all(body).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(Cursor::into_inner).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode % 2 == 0 { pack(rest) } else { rest.to_vec() };
    let limits = Limits {
        max_file_size: 1 << 20,
        ..Limits::default()
    };
    let Ok(ds) = Dataset::from_zip_bytes("fuzz.zip", bytes, &limits) else {
        return;
    };
    for spec in specs() {
        for position in ["11", "13"] {
            if let Ok(d) = derive(&ds, &spec, position) {
                let _ = d.where_found();
            }
        }
    }
});
