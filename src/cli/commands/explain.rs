//! `sds explain`: a finding code, or a checklist item.

use std::path::PathBuf;

use crate::cli::ExitStatus;
use crate::cli::output::print;
use crate::load::Limits;

pub(crate) fn run(what: &str, checklists: Vec<PathBuf>) -> Result<ExitStatus, String> {
    if let Ok(c) = what.parse::<crate::Code>() {
        print(&crate::explain::code(c))?;
        return Ok(ExitStatus::Success);
    }
    let loaded =
        crate::checklist::source::load_all(&super::sources(checklists), &Limits::default());
    let catalog = crate::checklist::Catalog::new(loaded.checklists);
    if let Some(text) = crate::explain::item(&catalog, what) {
        print(&text)?;
        return Ok(ExitStatus::Success);
    }
    let near = crate::explain::nearest_items(&catalog, what);
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(" or "))
    };
    // The range of codes comes from the registry, so it stays true as codes are added.
    let codes = match (crate::codes::ALL.first(), crate::codes::ALL.last()) {
        (Some(first), Some(last)) => format!("{}..{}, ", first.as_str(), last.as_str()),
        _ => String::new(),
    };
    Err(format!(
        "{what:?} is neither a finding code ({codes}or a name such as threshold-violated) nor an item of a loaded checklist{hint}"
    ))
}
