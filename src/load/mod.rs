//! The one loader: bytes on disk to a spanned [`Node`] tree, with every
//! failure (unreadable, too large, not UTF-8, not YAML, too deep) turned into
//! a finding-shaped [`LoadError`] rather than an `Err` that stops the run.

pub mod json_view;
pub mod node;
pub mod yaml;

use std::fs::File;
use std::io::Read;
use std::path::Path;

pub use node::{Entry, Node, Span, Value};

use crate::codes::Code;
use crate::source::{FileId, LineIndex, Location};

/// Limits that keep a hostile input from exhausting time or memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_size: u64,
    /// Deepest nesting of collections.
    pub max_depth: usize,
    /// Most values that aliases may expand to in one document.
    pub max_alias_nodes: usize,
    /// Most values (scalars and collections, aliases expanded) in one document.
    pub max_values: usize,
}

/// The deepest nesting any `--max-depth` can allow. Checking walks the tree
/// recursively (the schema validator, the renderers, dropping the tree), and
/// a worker thread's 2 MiB stack was measured to hold about 1,000 levels in a
/// debug build (more in release): 512 keeps a margin of two. A real report is
/// about 6 levels deep. `tests/robustness.rs` checks 512 levels on a worker.
pub const MAX_DEPTH_CEILING: usize = 512;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // A real report is 40-60 KB; 64 MiB leaves room for any real one.
            max_file_size: 64 * 1024 * 1024,
            // Reports nest about 6 levels; free `conditions`/`notes` maps a few more.
            max_depth: 64,
            // A 190-item report holds about 5,000 values and needs no aliases at all;
            // this lets a file share a few blocks while a "billion laughs" stops at once.
            max_alias_nodes: 100_000,
            // A 190-item report holds about 5,000 values. Each value costs about
            // 100 bytes in the tree (and a flow value about 350 bytes in the
            // parser's look-ahead), so a file of tiny values (`[0,0,0,...]`)
            // would cost 50 to 175 times its size; this cap bounds it.
            max_values: 100_000,
        }
    }
}

/// Why an input could not become a tree: one finding's worth.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// SDS001, SDS002, SDS004 or SDS005.
    pub code: Code,
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// Where (the top of the file when nothing closer exists).
    pub span: Span,
    /// The line and column, when the error is found where the text cannot be
    /// indexed (bytes that are not UTF-8); else worked out from the text.
    pub at: Option<Location>,
}

impl LoadError {
    fn at_top(code: Code, message: String, help: Option<String>) -> Self {
        LoadError {
            code,
            message,
            help,
            span: Span::TOP,
            at: None,
        }
    }
}

/// Reads a file whole, refusing to read more than the size limit.
///
/// # Errors
/// SDS005 when the path cannot be read or is not a regular file, SDS004 when it is too large.
pub fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, LoadError> {
    let unreadable = |e: std::io::Error| {
        LoadError::at_top(
            Code::UnreadableInput,
            format!("cannot read {}: {e}", path.display()),
            None,
        )
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(LoadError::at_top(
            Code::UnreadableInput,
            format!("{} is not a regular file", path.display()),
            None,
        ));
    }
    let too_large = || {
        LoadError::at_top(
            Code::InputLimit,
            format!(
                "larger than the {} byte limit: refused",
                limits.max_file_size
            ),
            Some("raise the limit with --max-file-size BYTES if the file is genuine".into()),
        )
    };
    if meta.len() > limits.max_file_size {
        return Err(too_large());
    }
    let file = File::open(path).map_err(unreadable)?;
    let mut bytes =
        Vec::with_capacity(usize::try_from(meta.len().min(limits.max_file_size)).unwrap_or(0));
    // Read one byte past the cap so a file that grew since `metadata` is still caught.
    file.take(limits.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a stream (standard input) whole, refusing to read more than the size limit.
///
/// # Errors
/// SDS005 when it cannot be read, SDS004 when it is too large.
pub fn read_limited(reader: impl Read, name: &str, limits: &Limits) -> Result<Vec<u8>, LoadError> {
    let mut bytes = Vec::new();
    reader
        .take(limits.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| {
            LoadError::at_top(
                Code::UnreadableInput,
                format!("cannot read {name}: {e}"),
                None,
            )
        })?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(LoadError::at_top(
            Code::InputLimit,
            format!(
                "larger than the {} byte limit: refused",
                limits.max_file_size
            ),
            Some("raise the limit with --max-file-size BYTES if the input is genuine".into()),
        ));
    }
    Ok(bytes)
}

/// Decodes bytes to text: UTF-8 with or without BOM, or UTF-16 with a BOM.
///
/// # Errors
/// SDS001 at the first byte that is not valid UTF-8 (or UTF-16).
pub fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode(rest.to_vec());
    }
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(from_bytes) = utf16 {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| from_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16(&units).map_err(|_| {
            LoadError::at_top(
                Code::ParseError,
                "the file starts with a UTF-16 byte order mark but is not valid UTF-16".into(),
                Some("save the file as UTF-8".into()),
            )
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        // `good` is valid UTF-8 by construction, so this never loses text.
        let text = String::from_utf8_lossy(good);
        let at = LineIndex::new(&text).location(&text, text.len());
        LoadError {
            code: Code::ParseError,
            message: format!(
                "not valid UTF-8 (byte 0x{:02X} at offset {})",
                e.as_bytes().get(good.len()).copied().unwrap_or(0),
                good.len()
            ),
            help: Some("save the file as UTF-8".into()),
            // The file is the one being read; its outcome holds this finding alone.
            span: Span::at(FileId::default(), good.len()),
            at: Some(at),
        }
    })
}

/// Parses text (YAML or JSON) into a tree, as the one file of its load (id 0).
///
/// # Errors
/// See [`yaml::parse`].
pub fn parse(text: &str, limits: &Limits) -> Result<Node, LoadError> {
    yaml::parse(text, limits, FileId::default())
}

/// Parses text (YAML or JSON) into a tree whose spans name `file`.
///
/// # Errors
/// See [`yaml::parse`].
pub fn parse_file(text: &str, limits: &Limits, file: FileId) -> Result<Node, LoadError> {
    yaml::parse(text, limits, file)
}

/// What a file declares itself to be, by its top-level format key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// `sds_report: N`.
    Report,
    /// `sds_checklist: N`.
    Checklist,
    /// `sds_waivers: N`.
    Waivers,
    /// None of those keys.
    Unknown,
}

impl DocKind {
    /// The format key that names this kind.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            DocKind::Report => "sds_report",
            DocKind::Checklist => "sds_checklist",
            DocKind::Waivers => "sds_waivers",
            DocKind::Unknown => "",
        }
    }
}

/// The kind a document declares.
#[must_use]
pub fn doc_kind(root: &Node) -> DocKind {
    [DocKind::Report, DocKind::Checklist, DocKind::Waivers]
        .into_iter()
        .find(|k| root.get(k.key()).is_some())
        .unwrap_or(DocKind::Unknown)
}

/// Checks the format number before the schema, so an unknown format is SDS003 alone.
///
/// # Errors
/// SDS003 when the format key holds a whole number other than `1`.
pub fn check_format(root: &Node, kind: DocKind) -> Result<(), LoadError> {
    let Some(entry) = root.entry(kind.key()) else {
        return Ok(());
    };
    match entry.value.as_i64() {
        Some(1) | None => Ok(()),
        Some(n) => Err(LoadError {
            code: Code::UnsupportedFormat,
            message: format!(
                "`{}: {n}` is not a format this version of sds reads (it reads 1)",
                kind.key()
            ),
            help: Some(format!(
                "write the file in format 1 (`{}: 1`) or upgrade sds",
                kind.key()
            )),
            span: entry.value.span,
            at: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), "a: 1");
        let mut le = vec![0xFF, 0xFE];
        le.extend("a: °".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le).unwrap(), "a: °");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode(b"a: 1\nb: \xFF\n".to_vec()).unwrap_err();
        assert_eq!(e.code, Code::ParseError);
        assert_eq!(e.span.start, 8);
        assert_eq!(e.at, Some(Location { line: 2, col: 4 }));
    }

    #[test]
    fn format_number_is_read_first() {
        let text = "sds_report: 2\n";
        let root = parse(text, &Limits::default()).unwrap();
        assert_eq!(doc_kind(&root), DocKind::Report);
        let e = check_format(&root, DocKind::Report).unwrap_err();
        assert_eq!(e.code, Code::UnsupportedFormat);
        assert_eq!(&text[e.span.start..e.span.end], "2");
    }
}
