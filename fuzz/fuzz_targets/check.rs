//! Any bytes as a report: decode, parse, validate, check against the test
//! checklist, and render every finding in every format. Must never panic.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use sds::checklist::{Catalog, source::load_texts};
use sds::engine::{Options, check_str};
use sds::load::{Limits, decode};
use sds::render::human;

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| {
        let files = vec![
            ("mini/1.0.0.yaml".into(), include_str!("../../tests/fixtures/checklists/mini/1.0.0.yaml").into()),
            ("mini/1.1.0/checklist.yaml".into(), include_str!("../../tests/fixtures/checklists/mini/1.1.0/checklist.yaml").into()),
            ("mini/1.1.0/items.yaml".into(), include_str!("../../tests/fixtures/checklists/mini/1.1.0/items.yaml").into()),
        ];
        Catalog::new(load_texts(files, &Limits::default()).checklists)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = match decode(data.to_vec()) {
        Ok(t) => t,
        Err(_) => return,
    };
    let o = check_str("fuzz.yaml", &text, catalog(), &Options::default());
    let source: Arc<str> = Arc::from(text.as_str());
    for f in &o.findings {
        assert!(text.get(f.span.start..f.span.end).is_some(), "span off a char boundary: {f:?}");
        let _ = human::finding(f, "fuzz.yaml", Some(&source), human::Style::default());
        let _ = sds::render::json::finding(f);
    }
    let _ = sds::render::json::outcome(&o);
});
