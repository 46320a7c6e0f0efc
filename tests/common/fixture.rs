//! A fixture's `# args:` as library options, for tests that check fixtures
//! in-process (`tests/codes.rs`) and the findings reference (`tests/docs.rs`).

use std::path::Path;

use sds::engine::Options;

use super::MINI;

/// Options for checking the fixture at `path` against the mini checklist with
/// its `# args:`. Only the options fixtures use are read; any other is an
/// error naming it, never a silent default.
pub fn options(path: &Path, args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        paths: vec![path.to_path_buf()],
        checklists: vec![MINI.into()],
        keep_sources: true,
        ..Options::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--verify-evidence" => o.verify_evidence = true,
            "--as-of" => o.as_of = Some(value()?.parse().map_err(|e| format!("{a}: {e}"))?),
            "--checklist" => o.checklists.push(value()?.into()),
            "--max-file-size" => {
                o.limits.max_file_size = value()?.parse().map_err(|e| format!("{a}: {e}"))?;
            }
            _ => {
                return Err(format!(
                    "{a}: not an option tests/common/fixture.rs passes to the library"
                ));
            }
        }
    }
    Ok(o)
}
