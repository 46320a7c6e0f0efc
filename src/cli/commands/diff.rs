//! `sds diff`: two checklist versions compared, and optionally the reports
//! that pass the old one and fail the new one.

use std::fmt::Write as _;

use crate::checklist::Checklist;
use crate::cli::ExitStatus;
use crate::cli::args::{DiffArgs, Format};
use crate::diff::{Affected, ChecklistDiff};
use crate::engine::Options;
use crate::load::Limits;
use crate::render::json;

pub(crate) fn run(a: DiffArgs) -> Result<ExitStatus, String> {
    let sources = super::sources(a.checklists);
    let old = crate::checklist::source::find(&a.old, &sources, &Limits::default())?;
    let new = crate::checklist::source::find(&a.new, &sources, &Limits::default())?;
    let d = crate::diff::diff(&old, &new);
    let affected = match &a.reports {
        Some(dir) if !dir.is_dir() => {
            return Err(format!(
                "--reports {}: not a folder that can be read",
                dir.display()
            ));
        }
        Some(dir) => Some(
            crate::diff::affected_reports(
                &old,
                &new,
                &Options {
                    paths: vec![dir.clone()],
                    ..Options::default()
                },
            )
            .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    let text = match a.format {
        Format::Json => json_text(&d, &old, &new, affected.as_deref()),
        Format::Sarif
        | Format::Junit
        | Format::Markdown
        | Format::Html
        | Format::Github
        | Format::Gitlab
        | Format::Concise => {
            return Err("sds diff writes --format human or json".into());
        }
        Format::Human => human_text(&d, &old, &new, affected.as_deref()),
    };
    super::write_out(a.output.as_deref(), &text)?;
    Ok(ExitStatus::Success)
}

fn json_text(
    d: &ChecklistDiff,
    old: &Checklist,
    new: &Checklist,
    affected: Option<&[Affected]>,
) -> String {
    let mut v = d.to_json(old, new);
    if let Some(list) = affected {
        v["reports"] = list
            .iter()
            .map(|r| {
                serde_json::json!({
                    "path": r.path, "id": r.id,
                    "findings": r.findings.iter().map(json::finding).collect::<Vec<_>>(),
                })
            })
            .collect();
    }
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn human_text(
    d: &ChecklistDiff,
    old: &Checklist,
    new: &Checklist,
    affected: Option<&[Affected]>,
) -> String {
    let mut s = d.render_human(old, new);
    if let Some(list) = affected {
        let _ = write!(
            s,
            "\n{} report(s) with no error under {} have errors under {}:\n",
            list.len(),
            old.label(),
            new.label()
        );
        for r in list {
            let _ = writeln!(s, "{} ({})", r.path, r.id.as_deref().unwrap_or("no id"));
            for f in &r.findings {
                let _ = writeln!(
                    s,
                    "  {}:{}:{}: {} {}",
                    r.path, f.at.line, f.at.col, f.code, f.message
                );
            }
        }
    }
    s
}
