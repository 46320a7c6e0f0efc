//! Rendered pieces kept on disk until the whole document can be written.
//!
//! SARIF, JUnit, Markdown and HTML open with figures of the whole run (totals,
//! the verdict) and HTML and Markdown put failing reports first, so none of
//! them can be written as the reports are checked. Keeping the outcomes (with
//! their source text, for snippets) until the end made memory grow with the
//! number of reports: 10,000 reports held every report's text at once. Each
//! streamed renderer instead renders a report's pieces as soon as it is
//! checked and appends them here; memory then holds one offset and length per
//! piece, and the document is assembled by copying pieces back in its order.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Where pieces are kept: a file, or memory when the whole document is
/// rendered into a string anyway.
trait Store: Read + Write + Seek + Send {}
impl<T: Read + Write + Seek + Send> Store for T {}

/// Text pieces appended to an anonymous temporary file (removed by the
/// operating system when dropped, even if the process dies), each read back
/// by its index.
pub struct Spool {
    file: Box<dyn Store>,
    end: u64,
    pieces: Vec<(u64, usize)>,
}

impl Spool {
    /// An empty spool in the system's temporary folder.
    ///
    /// # Errors
    /// When no temporary file can be created.
    pub fn new() -> io::Result<Self> {
        let file: File = tempfile::tempfile()?;
        Ok(Spool {
            file: Box::new(file),
            end: 0,
            pieces: Vec::new(),
        })
    }

    /// An empty spool in memory, for a document rendered into a string.
    #[must_use]
    pub fn in_memory() -> Self {
        Spool {
            file: Box::new(io::Cursor::new(Vec::new())),
            end: 0,
            pieces: Vec::new(),
        }
    }

    /// Appends a piece; returns its index.
    ///
    /// # Errors
    /// When the temporary file cannot be written (a full disk).
    pub fn push(&mut self, piece: &str) -> io::Result<usize> {
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(piece.as_bytes())?;
        self.pieces.push((self.end, piece.len()));
        self.end += piece.len() as u64;
        Ok(self.pieces.len() - 1)
    }

    /// Number of pieces.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pieces.len()
    }

    /// Whether no piece was pushed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Size in bytes of a piece (0 for an index never given).
    #[must_use]
    pub fn piece_len(&self, index: usize) -> usize {
        self.pieces.get(index).map_or(0, |p| p.1)
    }

    /// Reads a piece back as text.
    ///
    /// # Errors
    /// When the temporary file cannot be read.
    pub fn get(&mut self, index: usize) -> io::Result<String> {
        let mut buf = Vec::new();
        self.copy(index, &mut buf)?;
        String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    /// Copies a piece to `out`.
    ///
    /// # Errors
    /// When the temporary file cannot be read or `out` written.
    pub fn copy(&mut self, index: usize, out: &mut dyn Write) -> io::Result<()> {
        let Some(&(start, len)) = self.pieces.get(index) else {
            return Ok(());
        };
        self.file.seek(SeekFrom::Start(start))?;
        let copied = io::copy(&mut (&mut self.file).take(len as u64), out)?;
        if copied == len as u64 {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "a spooled piece was cut short",
            ))
        }
    }

    /// Copies every piece, in the order pushed, to `out`.
    ///
    /// # Errors
    /// As [`Spool::copy`].
    pub fn copy_all(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(0))?;
        let copied = io::copy(&mut (&mut self.file).take(self.end), out)?;
        if copied == self.end {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the spool was cut short",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Spool;

    #[test]
    fn pieces_come_back_by_index_and_in_order() {
        check(Spool::new().unwrap());
        check(Spool::in_memory());
    }

    fn check(mut s: Spool) {
        assert!(s.is_empty());
        let a = s.push("first ").unwrap();
        let b = s.push("").unwrap();
        let c = s.push("thïrd").unwrap();
        assert_eq!((a, b, c, s.len()), (0, 1, 2, 3));
        assert_eq!(s.get(c).unwrap(), "thïrd");
        assert_eq!(s.get(a).unwrap(), "first ");
        assert_eq!(s.piece_len(c), "thïrd".len());
        // Reading does not disturb appending.
        s.push("!").unwrap();
        let mut all = Vec::new();
        s.copy_all(&mut all).unwrap();
        assert_eq!(String::from_utf8(all).unwrap(), "first thïrd!");
        let mut one = Vec::new();
        s.copy(1, &mut one).unwrap();
        s.copy(99, &mut one).unwrap();
        assert!(one.is_empty());
    }
}
