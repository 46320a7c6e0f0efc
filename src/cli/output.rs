//! Where output goes: the `--format`/`--output` pairs, standard output (a
//! closed pipe ends quietly), files written whole or not at all, and colour.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::args::{ColorArg, Format, OutputArgs};
use crate::render::human;

/// `--color`, set once before any output.
pub(crate) static COLOR: std::sync::OnceLock<ColorArg> = std::sync::OnceLock::new();

/// Colour: `--color always|never` as told; `auto` on a terminal, never with
/// `NO_COLOR` (<https://no-color.org>), always with `CLICOLOR_FORCE` (not `0`).
pub(crate) fn color_for(to_terminal: bool) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.get().copied().unwrap_or_default() {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorArg::Auto => to_terminal || set("CLICOLOR_FORCE"),
    }
}

/// Writes to standard output; a closed pipe (`sds ... | head`) ends quietly.
pub(crate) fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes a file whole or not at all: to a temporary file beside it, then renamed over it.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let tmp = temporary_beside(path);
    let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    Ok(())
}

impl OutputArgs {
    /// Each format with where it goes (None: standard output).
    pub(crate) fn pairs(&self) -> Result<Vec<(Format, Option<&Path>)>, String> {
        let formats = if self.format.is_empty() {
            &[Format::Human][..]
        } else {
            &self.format[..]
        };
        if self.output.len() > formats.len() {
            return Err(
                "more --output than --format: the n-th --output goes with the n-th --format".into(),
            );
        }
        let pairs: Vec<_> = formats
            .iter()
            .enumerate()
            .map(|(i, f)| (*f, self.output.get(i).map(PathBuf::as_path)))
            .collect();
        if pairs.iter().filter(|(_, o)| o.is_none()).count() > 1 {
            return Err(
                "only one format can go to standard output: give the others an --output FILE"
                    .into(),
            );
        }
        Ok(pairs)
    }

    /// Checks every output before any work: no file named twice (however
    /// spelt), each one's folder exists and can be written to, none is a folder.
    pub(crate) fn check_writable(&self) -> Result<(), String> {
        let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
        for (_, dest) in self.pairs()? {
            let Some(path) = dest else { continue };
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = path
                .file_name()
                .ok_or_else(|| format!("--output {}: not a file name", path.display()))?;
            let folder = std::fs::canonicalize(dir).map_err(|e| {
                format!(
                    "--output {}: its folder {} cannot be used: {e}",
                    path.display(),
                    dir.display()
                )
            })?;
            if path.is_dir() {
                return Err(format!("--output {}: is a folder", path.display()));
            }
            // A link to an existing file is the file it names.
            let key = std::fs::canonicalize(path).unwrap_or_else(|_| folder.join(name));
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                return Err(format!(
                    "--output {} and --output {} name one file: each output needs its own",
                    first.display(),
                    path.display()
                ));
            }
            let probe = temporary_beside(path);
            std::fs::File::create(&probe)
                .map_err(|e| format!("--output {}: cannot write there: {e}", path.display()))?;
            let _ = std::fs::remove_file(&probe);
            seen.push((key, path));
        }
        Ok(())
    }

    /// The one format and its destination, when there is exactly one.
    pub(crate) fn single(&self) -> Option<(Format, Option<&Path>)> {
        match self.pairs() {
            Ok(p) if p.len() == 1 => Some(p[0]),
            _ => None,
        }
    }

    /// Whether a format shows source lines (so file texts must be kept).
    pub(crate) fn shows_sources(&self) -> bool {
        self.format.is_empty()
            || self
                .format
                .iter()
                .any(|f| matches!(f, Format::Human | Format::Html))
    }
}

/// Where output goes while it is written: standard output, or a temporary
/// file beside `--output` that is renamed over it once whole.
pub(crate) struct Sink {
    out: Box<dyn Write>,
    tmp: Option<(PathBuf, PathBuf)>,
    /// The first write error: later writes are skipped, and it is reported when finished.
    error: Option<std::io::Error>,
}

impl Sink {
    pub(crate) fn open(output: Option<&Path>) -> Result<Self, String> {
        let Some(path) = output else {
            return Ok(Sink {
                out: Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
                tmp: None,
                error: None,
            });
        };
        let tmp = temporary_beside(path);
        let file = std::fs::File::create(&tmp)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(Sink {
            out: Box::new(std::io::BufWriter::new(file)),
            tmp: Some((tmp, path.to_path_buf())),
            error: None,
        })
    }

    pub(crate) fn write(&mut self, text: &str) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(text.as_bytes())
        {
            self.error = Some(e);
        }
    }

    /// Gives up: a temporary file is removed, so nothing is left half-written.
    pub(crate) fn discard(self) {
        if let Some((tmp, _)) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
        }
    }

    /// Flushes, and renames a temporary file into place. A closed pipe on
    /// standard output (`sds check | head`) is not an error.
    pub(crate) fn finish(mut self) -> Result<(), String> {
        let flushed = self.out.flush();
        drop(self.out);
        match self.tmp {
            None => match (self.error, flushed) {
                // The guard is tried for each side in turn: a closed pipe on
                // one does not hide another error on the other.
                (Some(e), _) | (_, Err(e)) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(format!("cannot write to standard output: {e}"))
                }
                _ => Ok(()),
            },
            Some((tmp, path)) => {
                let result = match (self.error, flushed) {
                    (Some(e), _) | (None, Err(e)) => Err(e),
                    (None, Ok(())) => std::fs::rename(&tmp, &path),
                };
                if let Err(e) = result {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(format!("cannot write {}: {e}", path.display()));
                }
                Ok(())
            }
        }
    }
}

pub(crate) fn temporary_beside(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.sds-{}.tmp", std::process::id()))
}

pub(crate) fn stderr_style() -> human::Style {
    human::Style {
        color: color_for(std::io::stderr().is_terminal()),
        width: 100,
    }
}

#[cfg(test)]
mod tests {
    use super::Sink;
    use std::io::{self, ErrorKind, Write};

    /// A writer that fails every write and flush with one error kind.
    struct Failing(ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(self.0, "test"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::new(self.0, "test"))
        }
    }

    fn stdout_like(kind: ErrorKind) -> Sink {
        Sink {
            out: Box::new(Failing(kind)),
            tmp: None,
            error: None,
        }
    }

    #[test]
    fn a_closed_pipe_on_standard_output_ends_quietly() {
        let mut sink = stdout_like(ErrorKind::BrokenPipe);
        sink.write("text");
        assert_eq!(sink.finish(), Ok(()));
    }

    #[test]
    fn another_write_error_on_standard_output_is_reported() {
        let mut sink = stdout_like(ErrorKind::PermissionDenied);
        sink.write("text");
        let e = sink.finish().unwrap_err();
        assert!(e.starts_with("cannot write to standard output: "), "{e}");
    }

    #[test]
    fn a_failing_flush_after_a_closed_pipe_is_still_reported() {
        // Every write was refused as a closed pipe, then the flush fails otherwise.
        struct Mixed;
        impl Write for Mixed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(ErrorKind::BrokenPipe, "pipe"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Err(io::Error::new(ErrorKind::PermissionDenied, "flush"))
            }
        }
        let mut sink = Sink {
            out: Box::new(Mixed),
            tmp: None,
            error: None,
        };
        sink.write("text");
        assert_eq!(
            sink.finish(),
            Err("cannot write to standard output: flush".to_owned())
        );
    }

    #[test]
    fn a_file_is_written_whole_on_finish_and_not_at_all_on_discard() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.json");
        let mut sink = Sink::open(Some(&kept)).unwrap();
        sink.write("one ");
        sink.write("two");
        assert!(!kept.exists(), "written before it is whole");
        sink.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "one two");

        let dropped = dir.path().join("dropped.json");
        let mut sink = Sink::open(Some(&dropped)).unwrap();
        sink.write("half");
        sink.discard();
        assert!(!dropped.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "a temporary file is left"
        );
    }
}
