//! `sds schema`: a JSON Schema, the report one optionally narrowed to a checklist version.

use crate::checklist::ChecklistSource;
use crate::cli::ExitStatus;
use crate::cli::args::SchemaName;
use crate::cli::output::print;
use crate::load::Limits;

pub(crate) fn run(name: SchemaName, checklist: Option<&str>) -> Result<ExitStatus, String> {
    match (name, checklist) {
        (SchemaName::Report, Some(spec)) => {
            let sources = vec![ChecklistSource::Bundled];
            let c = crate::checklist::source::find(spec, &sources, &Limits::default())?;
            let schema = c.report_schema();
            print(&(serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())? + "\n"))?;
        }
        (name, _) => print(name.kind().text())?,
    }
    Ok(ExitStatus::Success)
}
