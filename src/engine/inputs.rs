//! Input discovery: what the paths given name (the walk itself is in
//! `walk.rs`), which of them `--exclude` leaves out, the digest of the whole
//! list, and the SDS005 of an input found but not readable.

use std::path::{Path, PathBuf};

use super::Error;
use crate::checklist::source;
use crate::codes::Code;
use crate::finding::Finding;
use crate::load;
use crate::outcome::Outcome;

/// One input path found.
pub(super) enum Input {
    File(PathBuf),
    /// Found but not readable, with why.
    Unreadable(String),
    /// Matched by `--exclude`: counted as skipped, never read.
    Excluded,
    /// `-`: one report read from standard input, shown as `<stdin>`.
    Stdin,
}

pub(super) fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

pub(super) fn is_data_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

pub(super) fn exclude_set(globs: &[String]) -> Result<globset::GlobSet, Error> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        b.add(globset::Glob::new(g).map_err(|e| Error::Usage(format!("--exclude {g}: {e}")))?);
    }
    b.build().map_err(|e| Error::Usage(e.to_string()))
}

/// sha256 over the list of inputs found: one `path NUL` each, an excluded
/// one marked `x`, so runs that walk or exclude differently differ.
#[derive(Default)]
pub(super) struct InputsDigest(sha2::Sha256);

impl InputsDigest {
    pub(super) fn add(&mut self, path: &str, input: &Input) {
        use sha2::Digest;
        if matches!(input, Input::Excluded) {
            self.0.update(b"x");
        }
        self.0.update(path.as_bytes());
        self.0.update([0]);
    }

    pub(super) fn finish(self) -> String {
        use sha2::Digest;
        source::hex(&self.0.finalize())
    }
}

/// SDS005: an input the walk found but could not read (`why` says why).
pub(super) fn unreadable(shown: &str, why: &str) -> Outcome {
    let mut o = Outcome::new(shown);
    o.findings.push(Finding::new(
        Code::UnreadableInput,
        load::Span::TOP,
        format!("cannot read {shown}: {why}"),
    ));
    o.locate("");
    o
}
