//! Reading one input into a tree: the bytes, their sha256, the text and the
//! parsed document, or the outcome that says why it could not be read.

use std::path::Path;
use std::sync::Arc;

use super::inputs::display;
use crate::checklist::source::sha256_hex;
use crate::load::{self, Limits, Node};
use crate::outcome::Outcome;

/// Reads a file into a tree, or the outcome that says why it could not be.
pub(super) fn read_tree(
    path: &Path,
    limits: &Limits,
    keep: bool,
) -> (Outcome, Option<(String, Node)>) {
    tree_of(&display(path), load::read_bytes(path, limits), limits, keep)
}

/// Bytes read (or why not) into a tree, or the outcome that says why it could not be.
pub(super) fn tree_of(
    shown: &str,
    bytes: Result<Vec<u8>, load::LoadError>,
    limits: &Limits,
    keep: bool,
) -> (Outcome, Option<(String, Node)>) {
    let mut o = Outcome::new(shown);
    let text = bytes.and_then(|bytes| {
        o.sha256 = Some(sha256_hex(&bytes));
        load::decode(bytes)
    });
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            // Bytes that are not text carry their own line and column; a
            // file that could not be read is reported at its top.
            o.findings.push(e.into());
            o.locate("");
            return (o, None);
        }
    };
    if keep {
        o.source = Some(Arc::from(text.as_str()));
    }
    match load::parse(&text, limits) {
        Ok(root) => (o, Some((text, root))),
        Err(e) => {
            o.findings.push(e.into());
            o.locate(&text);
            (o, None)
        }
    }
}
