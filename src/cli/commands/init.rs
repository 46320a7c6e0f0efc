//! `sds init`: a report skeleton for a vehicle, from a vehicle file or from
//! `--attr KEY=VALUE` flags.

use std::path::Path;

use crate::cli::ExitStatus;
use crate::cli::args::InitArgs;
use crate::init::Vehicle;
use crate::load::Limits;

pub(crate) fn run(a: &InitArgs) -> Result<ExitStatus, String> {
    let checklist = super::named_or_newest(a.checklist.as_deref(), &[])?;
    let vehicle = match &a.vehicle {
        Some(path) => load_vehicle(path)?,
        None => Vehicle {
            software: a.software.clone(),
            attributes: attributes(&a.attr)?,
            ..Default::default()
        },
    };
    let issued = a
        .issued
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let problems = vehicle.attribute_problems(&checklist);
    if !problems.is_empty() {
        return Err(format!(
            "the vehicle's attributes do not fit {}'s vocabulary (SDS014 in a report):\n  {}",
            checklist.label(),
            problems.join("\n  ")
        ));
    }
    let text = crate::init::skeleton(&checklist, &vehicle, &a.report_id, issued);
    super::write_out(a.output.as_deref(), &text)?;
    Ok(ExitStatus::Success)
}

/// Reads, decodes and parses a vehicle file (what a report's `vehicle:` holds).
// This belongs beside `Vehicle` (`Vehicle::load(path)`); it waits here until
// the read path is one (issue 12, item 5).
fn load_vehicle(path: &Path) -> Result<Vehicle, String> {
    let bytes = crate::load::read_bytes(path, &Limits::default()).map_err(|e| e.message)?;
    let text =
        crate::load::decode(bytes).map_err(|e| format!("{}: {}", path.display(), e.message))?;
    let root = crate::load::parse(&text, &Limits::default()).map_err(|e| {
        let at = crate::source::LineIndex::new(&text).location(&text, e.span.start);
        format!("{}:{}:{}: {}", path.display(), at.line, at.col, e.message)
    })?;
    Vehicle::from_tree(&root, &text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `--attr KEY=VALUE` flags as attributes (a value lists comma-separated items).
fn attributes(flags: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut attributes = Vec::new();
    for kv in flags {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| format!("--attr {kv}: expected KEY=VALUE"))?;
        let values = v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        attributes.push((k.trim().to_owned(), values));
    }
    Ok(attributes)
}
