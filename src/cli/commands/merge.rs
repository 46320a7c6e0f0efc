//! `sds merge`: the JSON outputs of `check --shard` runs as one verdict and one output.

use crate::cli::ExitStatus;
use crate::cli::args::{ColorArg, MergeArgs, OutputArgs, PeopleArgs};
use crate::load::Limits;

pub(crate) fn run(a: MergeArgs) -> Result<ExitStatus, String> {
    let limits = Limits {
        max_file_size: a.max_file_size,
        ..Limits::default()
    };
    let mut inputs = Vec::new();
    for f in &a.files {
        let doc = crate::wire::read(f, &limits).map_err(|e| format!("{}: {e}", f.display()))?;
        inputs.push((f.display().to_string(), doc));
    }
    let loaded =
        crate::checklist::source::load_all(&super::sources(a.checklists), &Limits::default());
    let catalog = std::sync::Arc::new(crate::checklist::Catalog::new(loaded.checklists));
    let merged = crate::merge::merge(inputs, catalog)?;
    crate::cli::render::emit(
        &merged,
        &OutputArgs {
            format: vec![a.format],
            output: a.output.into_iter().collect(),
            fail_on: None,
        },
        &PeopleArgs {
            quiet: false,
            statistics: false,
            color: ColorArg::Auto,
            link_base: None,
            markdown_limit: crate::render::markdown::DEFAULT_BUDGET,
        },
    )
}
