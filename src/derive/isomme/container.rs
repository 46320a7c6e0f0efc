//! Where a dataset's files come from: a folder (every path fenced inside it)
//! or a zip archive (every member capped on what it inflates to).

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use super::{
    DataError, DataErrorKind, MME_SEARCH_DEPTH, TOTAL_FILES_FACTOR, err, load_error, unreadable,
};
use crate::load::{self, Limits};

/// Where the dataset's files come from.
pub(super) enum Source {
    Dir {
        /// Folder holding the `.mme`.
        root: PathBuf,
        /// Canonical folder every file must stay inside (links included).
        fence: PathBuf,
    },
    Zip {
        archive: zip::ZipArchive<Cursor<Vec<u8>>>,
        /// Lower-cased member name -> index.
        members: HashMap<String, usize>,
        /// Lower-cased folder of the `.mme` inside the archive (`""` or `t0042/`).
        prefix: String,
    },
}

pub(super) struct Reader<'l> {
    pub(super) source: Source,
    pub(super) limits: &'l Limits,
    pub(super) budget: u64,
    /// Lower-cased name -> path in the dataset's `Channel` folder (folder source only).
    pub(super) channel_dir: Option<HashMap<String, PathBuf>>,
}

pub(super) fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Finds the one `.mme` (the named file, or searched under the folder) and reads it.
pub(super) fn open_dir(
    dir: &Path,
    named: &Path,
    limits: &Limits,
) -> Result<(Source, String, Vec<u8>), DataError> {
    let fence = dir
        .canonicalize()
        .map_err(|e| unreadable(format!("cannot read {}: {e}", dir.display())))?;
    let mme = if named.is_dir() {
        let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
            .max_depth(MME_SEARCH_DEPTH)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && has_ext(e.path(), "mme"))
            .map(walkdir::DirEntry::into_path)
            .collect();
        match found.len() {
            0 => {
                return Err(unreadable(format!(
                    "{} holds no .mme file: not an ISO-MME dataset",
                    dir.display()
                )));
            }
            1 => found.remove(0),
            n => {
                return Err(unreadable(format!(
                    "{} holds {n} .mme files; name the one to use",
                    dir.display()
                )));
            }
        }
    } else {
        named.to_path_buf()
    };
    let root = mme.parent().unwrap_or(dir).to_path_buf();
    let bytes = read_fenced(&mme, &fence, limits)?;
    let name = mme
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((Source::Dir { root, fence }, name, bytes))
}

fn read_fenced(path: &Path, fence: &Path, limits: &Limits) -> Result<Vec<u8>, DataError> {
    let real = path
        .canonicalize()
        .map_err(|e| unreadable(format!("cannot read {}: {e}", path.display())))?;
    if !real.starts_with(fence) {
        return Err(unreadable(format!(
            "{} leads outside the dataset folder",
            path.display()
        )));
    }
    load::read_bytes(path, limits).map_err(|e| load_error(&e.message, e.code))
}

pub(super) fn open_zip(
    path: &Path,
    bytes: Vec<u8>,
    limits: &Limits,
) -> Result<(Source, String, Vec<u8>), DataError> {
    let bad = |e: zip::result::ZipError| {
        unreadable(format!(
            "cannot read {} as a zip archive: {e}",
            path.display()
        ))
    };
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let mut members = HashMap::new();
    let mut mmes = Vec::new();
    for i in 0..archive.len() {
        let Some(Ok(name)) = archive.name_for_index(i) else {
            continue;
        };
        let lower = name.replace('\\', "/").to_lowercase();
        // `lower` is already lower-cased: the extension compares exactly.
        if lower.rsplit_once('.').is_some_and(|(_, ext)| ext == "mme")
            && !lower.starts_with("__macosx/")
        {
            mmes.push(lower.clone());
        }
        members.entry(lower).or_insert(i);
    }
    let mme = match mmes.len() {
        0 => {
            return Err(unreadable(format!(
                "{} holds no .mme file: not an ISO-MME dataset",
                path.display()
            )));
        }
        1 => mmes.remove(0),
        n => {
            return Err(unreadable(format!(
                "{} holds {n} .mme files; an archive must hold one dataset",
                path.display()
            )));
        }
    };
    let (prefix, name) = match mme.rfind('/') {
        Some(i) => (mme[..=i].to_owned(), mme[i + 1..].to_owned()),
        None => (String::new(), mme.clone()),
    };
    // The stem names the other files; keep the archive's own spelling of it.
    let index = members.get(&mme).copied().unwrap_or(0);
    let display_name = match archive.name_for_index(index) {
        Some(Ok(n)) => n.rsplit(['/', '\\']).next().unwrap_or(&n).to_owned(),
        _ => name,
    };
    let mut source = Source::Zip {
        archive,
        members,
        prefix,
    };
    // The total budget is charged by the caller.
    let bytes = zip_member(&mut source, &mme, limits.max_file_size)?.unwrap_or_default();
    Ok((source, display_name, bytes))
}

/// Reads one archive member (by lower-cased full name), inflating at most `cap` bytes.
fn zip_member(source: &mut Source, lower: &str, cap: u64) -> Result<Option<Vec<u8>>, DataError> {
    let Source::Zip {
        archive, members, ..
    } = source
    else {
        return Ok(None);
    };
    let Some(&i) = members.get(lower) else {
        return Ok(None);
    };
    let bad =
        |e: &dyn std::fmt::Display| unreadable(format!("cannot read {lower} in the archive: {e}"));
    let mut file = archive.by_index(i).map_err(|e| bad(&e))?;
    if file.is_dir() {
        return Ok(None);
    }
    if file.size() > cap {
        return Err(too_large(lower, cap));
    }
    // Sized once by the declared size (already within the cap), not grown by
    // doubling; a member that lies about it is still held to the cap below.
    let mut out = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
    (&mut file)
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| bad(&e))?;
    if out.len() as u64 > cap {
        return Err(too_large(lower, cap));
    }
    Ok(Some(out))
}

pub(super) fn too_large(name: &str, cap: u64) -> DataError {
    err(
        DataErrorKind::Limit,
        format!("{name} is larger than the {cap} byte limit: refused"),
    )
}

impl Reader<'_> {
    pub(super) fn spend(&mut self, n: u64) -> Result<(), DataError> {
        self.budget = self.budget.checked_sub(n).ok_or_else(|| {
            err(
                DataErrorKind::Limit,
                format!(
                    "the dataset is larger than {} bytes in total: refused",
                    self.limits.max_file_size.saturating_mul(TOTAL_FILES_FACTOR)
                ),
            )
        })?;
        Ok(())
    }

    /// A file of the `Channel` folder by name, matched case-insensitively.
    pub(super) fn channel_file(&mut self, name: &str) -> Result<Option<Vec<u8>>, DataError> {
        let lower = name.to_lowercase();
        let cap = self.limits.max_file_size.min(self.budget);
        let bytes = match &mut self.source {
            Source::Zip { prefix, .. } => {
                let full = format!("{prefix}channel/{lower}");
                zip_member(&mut self.source, &full, cap)?
            }
            Source::Dir { root, fence } => {
                if self.channel_dir.is_none() {
                    self.channel_dir = Some(list_channel_dir(root));
                }
                let path = self
                    .channel_dir
                    .as_ref()
                    .and_then(|m| m.get(&lower))
                    .cloned();
                match path {
                    None => None,
                    Some(p) => Some(read_fenced(&p, fence, self.limits)?),
                }
            }
        };
        if let Some(b) = &bytes {
            self.spend(b.len() as u64)?;
        }
        Ok(bytes)
    }
}

/// The `Channel` folder's files by lower-cased name (an exact-case name wins a tie).
fn list_channel_dir(root: &Path) -> HashMap<String, PathBuf> {
    let mut map = HashMap::new();
    let Ok(entries) = std::fs::read_dir(root) else {
        return map;
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case("channel")
        })
        .map(|e| e.path())
        .collect();
    // `Channel` before `CHANNEL` before `channel`: deterministic on any file system.
    dirs.sort();
    for dir in dirs {
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = files.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if let Some(n) = f.file_name() {
                map.entry(n.to_string_lossy().to_lowercase()).or_insert(f);
            }
        }
    }
    map
}
