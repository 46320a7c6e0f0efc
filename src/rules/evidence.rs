//! Evidence: SDS040 to SDS043.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use super::Context;
use crate::checklist::Item;
use crate::codes::Code;
use crate::finding::Finding;
use crate::report::{Evidence, ResultEntry, Status};

/// SDS043 (lexical escape) for every status; SDS040 for `pass`; with
/// `--verify-evidence`, for `pass`, SDS041, SDS042 and SDS043 through links.
pub fn check(ctx: &Context<'_>, item: &Item, result: &ResultEntry<'_>, out: &mut Vec<Finding>) {
    let mut escaped = vec![false; result.evidence.len()];
    for (e, esc) in result.evidence.iter().zip(&mut escaped) {
        let path = e.path.as_str().unwrap_or_default();
        if escapes_lexically(path) {
            *esc = true;
            out.push(
                Finding::new(
                    Code::EvidencePathEscape,
                    e.path.span,
                    format!("evidence path {path:?} is absolute or leaves the report's folder"),
                )
                .item(&item.id)
                .help("keep evidence under the report's folder and use a relative path"),
            );
        }
    }
    if result.status != Status::Pass {
        return;
    }
    for kind in &item.evidence {
        if !result.evidence.iter().any(|e| e.kind == kind) {
            let at = result.evidence_key.map_or(result.item.span, |e| e.key.span);
            out.push(
                Finding::new(
                    Code::EvidenceMissing,
                    at,
                    format!(
                        "{} needs evidence of kind `{kind}`, which the result lacks",
                        item.id
                    ),
                )
                .item(&item.id)
                .help(format!(
                    "add `- {{kind: {kind}, path: <file>, sha256: <hex>}}` under evidence"
                )),
            );
        }
    }
    if ctx.verify_evidence {
        for (e, esc) in result.evidence.iter().zip(escaped) {
            if !esc {
                verify(ctx.report_dir, item, e, out);
            }
        }
    }
}

/// Absolute, or a `..` that climbs above the starting folder.
pub(crate) fn escapes_lexically(path: &str) -> bool {
    let b = path.as_bytes();
    if path.starts_with(['/', '\\']) || (b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic())
    {
        return true;
    }
    let mut depth: i64 = 0;
    for part in path.split(['/', '\\']) {
        match part {
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

/// SDS041, SDS042, SDS043 (through links) for one evidence file.
fn verify(dir: &Path, item: &Item, e: &Evidence<'_>, out: &mut Vec<Finding>) {
    let written = e.path.as_str().unwrap_or_default();
    let joined = dir.join(written);
    let missing = |why: String| {
        Finding::new(
            Code::EvidenceFileMissing,
            e.path.span,
            format!("evidence file {written:?} {why}"),
        )
        .item(&item.id)
    };
    let real = match joined.canonicalize() {
        Ok(p) => p,
        Err(err) => {
            out.push(missing(format!("cannot be found: {err}")));
            return;
        }
    };
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if !real.starts_with(&root) || real.components().any(|c| c == Component::ParentDir) {
        out.push(
            Finding::new(
                Code::EvidencePathEscape,
                e.path.span,
                format!(
                    "evidence path {written:?} leads out of the report's folder through a link"
                ),
            )
            .item(&item.id),
        );
        return;
    }
    if !real.is_file() {
        out.push(missing("is not a regular file".into()));
        return;
    }
    let Some(expected) = e.sha256 else { return };
    let expected_hex = expected.as_str().unwrap_or_default().to_ascii_lowercase();
    match hash_file(&real) {
        Ok(actual) if actual == expected_hex => {}
        Ok(actual) => out.push(
            Finding::new(
                Code::EvidenceHashMismatch,
                expected.span,
                format!("evidence file {written:?} has sha256 {actual}, not the recorded one"),
            )
            .item(&item.id)
            .help("restore the original file, or record the sha256 of the right one"),
        ),
        Err(err) => out.push(missing(format!("cannot be read: {err}"))),
    }
}

/// A file as last seen: its canonical path, size and modification time. A
/// file changed since it was hashed gets a new key, so a long-lived process
/// (the language server) never trusts a stale hash.
type FileKey = (PathBuf, u64, Option<std::time::SystemTime>);

/// One file's hash (or why it could not be read), filled by the first worker to ask.
type Slot = Arc<OnceLock<Result<String, String>>>;

/// The hashes taken in this process, one slot per file. Many results (and
/// many reports) name one evidence file; each file is read once, however
/// many workers ask for it at the same time.
fn cache() -> &'static Mutex<HashMap<FileKey, Slot>> {
    static CACHE: OnceLock<Mutex<HashMap<FileKey, Slot>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// sha256 of a file (by its canonical path), hashed once per process and then remembered.
fn hash_file(real: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(real).map_err(|e| e.to_string())?;
    let key = (real.to_path_buf(), meta.len(), meta.modified().ok());
    let slot = {
        // A poisoned lock only means another worker panicked; the map is still sound.
        let mut map = cache()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(map.entry(key).or_default())
    };
    slot.get_or_init(|| hash_stream(real).map_err(|e| e.to_string()))
        .clone()
}

/// sha256 of a file, read in a stream (evidence may be large videos).
fn hash_stream(path: &Path) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = std::io::Read::read(&mut f, &mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::checklist::source::hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::{escapes_lexically, hash_file};

    #[test]
    fn each_file_is_hashed_once_until_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().canonicalize().unwrap().join("e.bin");
        std::fs::write(&path, b"first").unwrap();
        let first = hash_file(&path).unwrap();
        // Same size and time, other bytes: the remembered hash is used, so the
        // file was not read again.
        let when = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, b"other").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
        assert_eq!(hash_file(&path).unwrap(), first);
        // A change of size (or time) is a new file: hashed afresh.
        std::fs::write(&path, b"changed").unwrap();
        assert_ne!(hash_file(&path).unwrap(), first);
    }

    #[test]
    fn lexical_escapes() {
        for p in [
            "/etc/passwd",
            "\\\\server\\x",
            "C:\\x",
            "../x",
            "a/../../x",
            "evidence/../../x",
        ] {
            assert!(escapes_lexically(p), "{p}");
        }
        for p in ["evidence/x.pdf", "a/../x", "./x", "a/./b/../c"] {
            assert!(!escapes_lexically(p), "{p}");
        }
    }
}
