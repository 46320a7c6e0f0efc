//! Finding the inputs: the paths named, and the data files in named folders
//! (PRODUCT.md §4).
//!
//! A walk never leaves the folder it was given: a link (to a folder or a
//! file) whose target lies outside it is an SDS005 input, not followed, so a
//! link to `/` cannot walk the machine and nothing outside is read or
//! printed. A data-file name on something that is not a regular file (a
//! FIFO, a device, a socket, a link to one) is SDS005 too, never silently left
//! out. One file reached by several spellings (`r.yaml`, `./r.yaml`, a folder
//! holding it, a link to it) is one input: the first in sorted order.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::inputs::{Input, display, is_data_file};

/// The name standard input is shown under.
pub(crate) const STDIN: &str = "<stdin>";

/// What an entry's type says about it, for the message.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    let _ = ft;
    "not a regular file"
}

/// Files named, and `*.yaml`, `*.yml`, `*.json` in folders (recursively,
/// following links that stay inside, sorted by path), each excluded one
/// marked. Lazy: the walk advances as inputs are taken; only the canonical
/// paths already seen are kept, to check each file once.
pub(super) fn discover<'a>(
    paths: &'a [PathBuf],
    exclude: &'a globset::GlobSet,
) -> impl Iterator<Item = (String, Input)> + 'a {
    // A glob matches the whole path or one name in it (`--exclude vehicles`
    // leaves out every folder or file named so, as in .gitignore).
    let excluded =
        move |p: &Path| exclude.is_match(p) || p.file_name().is_some_and(|n| exclude.is_match(n));
    let found = paths.iter().flat_map(
        move |root| -> Box<dyn Iterator<Item = (String, Input, Option<PathBuf>)>> {
            if root.as_os_str() == "-" {
                return Box::new(std::iter::once((STDIN.to_owned(), Input::Stdin, None)));
            }
            if !root.is_dir() {
                let input = if excluded(root) {
                    Input::Excluded
                } else {
                    Input::File(root.clone())
                };
                let canonical = std::fs::canonicalize(root).ok();
                return Box::new(std::iter::once((display(root), input, canonical)));
            }
            let Ok(inside) = std::fs::canonicalize(root) else {
                return Box::new(std::iter::once((
                    display(root),
                    Input::Unreadable("cannot resolve the folder".into()),
                    None,
                )));
            };
            Box::new(Walk {
                inner: walkdir::WalkDir::new(root)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter(),
                root: root.clone(),
                inside,
                excluded: Box::new(excluded),
            })
        },
    );
    // The same file named twice, inside two named folders, or reached
    // through a link, is checked once.
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut seen_stdin = false;
    found.filter_map(move |(path, input, canonical)| {
        let first = match (&input, canonical) {
            (Input::Stdin, _) => !std::mem::replace(&mut seen_stdin, true),
            (_, Some(c)) => seen.insert(c),
            (_, None) => seen.insert(PathBuf::from(&path)),
        };
        first.then_some((path, input))
    })
}

/// One named folder's walk.
struct Walk<'a> {
    inner: walkdir::IntoIter,
    root: PathBuf,
    /// The folder's canonical path: every link must resolve inside it.
    inside: PathBuf,
    excluded: Box<dyn Fn(&Path) -> bool + 'a>,
}

impl Iterator for Walk<'_> {
    type Item = (String, Input, Option<PathBuf>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let entry = match self.inner.next()? {
                Ok(e) => e,
                Err(e) => {
                    let p = e
                        .path()
                        .map_or_else(|| self.root.clone(), Path::to_path_buf);
                    if (self.excluded)(&p) {
                        continue;
                    }
                    let why = if e.loop_ancestor().is_some() {
                        "a link loop".to_owned()
                    } else {
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    };
                    return Some((display(&p), Input::Unreadable(why), None));
                }
            };
            let p = entry.path();
            let ft = entry.file_type();
            if entry.depth() > 0 && ft.is_dir() && (self.excluded)(p) {
                // An excluded folder is not walked, but it is counted (found,
                // and skipped with its reason), never silently gone.
                self.inner.skip_current_dir();
                return Some((display(p), Input::Excluded, None));
            }
            let canonical = if entry.path_is_symlink() {
                match std::fs::canonicalize(p) {
                    Ok(c) if c.starts_with(&self.inside) => Some(c),
                    Ok(c) => {
                        if ft.is_dir() {
                            self.inner.skip_current_dir();
                        } else if !is_data_file(p) {
                            continue;
                        }
                        if (self.excluded)(p) {
                            continue;
                        }
                        let why = format!(
                            "a link leading out of {} (to {}): not followed; name the target on \
                             the command line to check it",
                            display(&self.root),
                            display(&c)
                        );
                        return Some((display(p), Input::Unreadable(why), None));
                    }
                    Err(e) => {
                        if !is_data_file(p) {
                            continue;
                        }
                        return Some((display(p), Input::Unreadable(e.to_string()), None));
                    }
                }
            } else {
                None
            };
            if ft.is_dir() || !is_data_file(p) {
                continue;
            }
            let canonical = canonical.or_else(|| std::fs::canonicalize(p).ok());
            let input = if (self.excluded)(p) {
                Input::Excluded
            } else if ft.is_file() {
                Input::File(p.to_path_buf())
            } else {
                Input::Unreadable(format!("{}: only regular files are read", kind_of(ft)))
            };
            return Some((display(p), input, canonical));
        }
    }
}
