//! `sds list`: the loaded checklists, one line each.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::checklist::ChecklistSource;
use crate::cli::ExitStatus;
use crate::load::Limits;

pub(crate) fn run(checklists: Vec<PathBuf>) -> Result<ExitStatus, String> {
    let sources: Vec<_> = if checklists.is_empty() {
        vec![ChecklistSource::Bundled]
    } else {
        checklists.into_iter().map(ChecklistSource::Path).collect()
    };
    let loaded = crate::checklist::source::load_all(&sources, &Limits::default());
    let mut out = String::new();
    for c in &loaded.checklists {
        let points: u32 = c.items.iter().map(|i| i.points).sum();
        let _ = writeln!(
            out,
            "{}@{}{}  {} — {} items, {} points (total_points {}), {} domains: {}",
            c.id,
            c.version,
            if c.bundled { " (bundled)" } else { "" },
            c.title,
            c.items.len(),
            points,
            c.total_points,
            c.domains.len(),
            c.domains
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if loaded.has_errors() {
        out.push_str("some checklists have errors: run `sds lint` to see them\n");
    }
    crate::cli::output::print(&out)?;
    Ok(ExitStatus::Success)
}
