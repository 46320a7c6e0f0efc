//! Any bytes as a checklist (alone, and as the second version of the test
//! checklist): load, validate, compile and lint. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sds::checklist::source::load_texts;
use sds::load::{Limits, decode};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec()) else { return };
    let _ = load_texts(vec![("fuzz.yaml".into(), text.clone())], &Limits::default());
    let base = include_str!("../../tests/fixtures/checklists/mini/1.0.0.yaml").to_owned();
    let _ = load_texts(vec![("a.yaml".into(), base), ("b.yaml".into(), text)], &Limits::default());
});
