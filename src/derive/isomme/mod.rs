//! The ISO-MME reader (ISO/TS 13499): a dataset folder, its `.mme` file, or a
//! zip holding it (at the root or under one folder), to channels in SI units.
//!
//! Every byte goes through the loader's size limit; a zip member is capped on
//! what it inflates to, and the whole dataset on what it reads in total, so a
//! zip bomb or a huge channel is refused, never followed. File names come
//! from the `.mme` stem and the channel numbers of the `.chn`, matched
//! case-insensitively against directory or archive listings: nothing a file
//! says can name a path outside the dataset.

mod channel;
mod container;
mod number;

pub use channel::{decode_text, descriptors};

use channel::{channel_number, decode_owned, parse_channel};
use container::{Reader, Source, has_ext, open_dir, open_zip, too_large};

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use crate::load::{self, Limits};

use super::{DataError, DataErrorKind};

/// One channel as listed in the `.chn`, with its data or why it cannot be used.
///
/// Its file is read (and charged to the dataset's budget) with the dataset,
/// so every read error and limit is what it always was; the text is decoded
/// and parsed into samples only when a criterion first asks (decisions §17).
#[derive(Debug)]
pub struct Channel {
    /// The 16-character code, upper-cased.
    pub code: String,
    /// The channel file, relative to the dataset (`Channel/T.001`).
    pub file: String,
    /// The file's bytes until they are parsed (then taken, to free them).
    pending: Mutex<Option<Vec<u8>>>,
    /// Samples and time base, or why they cannot be read (reported only when
    /// a criterion needs this channel).
    data: OnceLock<Result<ChannelData, DataError>>,
}

impl Channel {
    fn new(code: String, file: String, bytes: Option<Vec<u8>>) -> Channel {
        let data = OnceLock::new();
        if bytes.is_none() {
            // Already settled: nothing to parse.
            let _ = data.set(Err(err(
                DataErrorKind::MissingChannel,
                format!("channel {code} is listed but its file {file} is missing"),
            )));
        }
        Channel {
            code,
            file,
            pending: Mutex::new(bytes),
            data,
        }
    }

    /// Samples and time base, parsed on first use (once, whichever thread
    /// asks first), or why they cannot be read.
    ///
    /// # Errors
    /// The file is missing, or its text is not a channel sds can read.
    pub fn data(&self) -> Result<&ChannelData, &DataError> {
        self.data
            .get_or_init(|| {
                // A poisoned lock only means a panic elsewhere; the bytes are intact.
                let bytes = self
                    .pending
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take()
                    .unwrap_or_default();
                parse_channel(&self.code, &self.file, &decode_owned(bytes))
            })
            .as_ref()
    }
}

/// A channel's samples in the canonical (SI) unit of its dimension.
#[derive(Debug, Clone)]
pub struct ChannelData {
    /// Time of the first sample, seconds.
    pub t0: f64,
    /// Sampling interval, seconds.
    pub dt: f64,
    /// Samples, SI (m/s², N, Nm, m, ...).
    pub samples: Vec<f64>,
    /// The unit as written in the file.
    pub unit: String,
}

/// Everything read from a dataset.
#[derive(Debug)]
pub struct Raw {
    /// The `.mme` stem, which names every other file.
    pub test: String,
    /// Channels in `.chn` order.
    pub channels: Vec<Channel>,
}

/// How much a dataset may read in total, as a multiple of the per-file limit:
/// a real dataset is many small channel files; this still refuses a bomb.
const TOTAL_FILES_FACTOR: u64 = 4;
/// Most channels a `.chn` may list (real datasets hold a few hundred).
const MAX_CHANNELS: usize = 10_000;
/// How deep a folder is searched for its `.mme`.
const MME_SEARCH_DEPTH: usize = 3;

fn err(kind: DataErrorKind, message: String) -> DataError {
    DataError { kind, message }
}

fn unreadable(message: String) -> DataError {
    err(DataErrorKind::Unreadable, message)
}

/// Reads a dataset: a folder, a `.mme` file, or a zip archive.
///
/// # Errors
/// Unreadable containers, no or several `.mme`, no `.chn`, limits.
pub fn read(path: &Path, limits: &Limits) -> Result<Raw, DataError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| unreadable(format!("cannot read {}: {e}", path.display())))?;
    let (source, mme_name, mme_bytes) = if meta.is_dir() {
        open_dir(path, path, limits)?
    } else if has_ext(path, "mme") {
        let parent = path.parent().unwrap_or(Path::new("."));
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        open_dir(parent, path, limits)?
    } else {
        let bytes = load::read_bytes(path, limits).map_err(|e| load_error(&e.message, e.code))?;
        if !bytes.starts_with(b"PK") {
            return Err(unreadable(format!(
                "{} is neither an ISO-MME folder, a .mme file nor a zip archive",
                path.display()
            )));
        }
        open_zip(path, bytes, limits)?
    };
    read_source(source, &mme_name, &mme_bytes, limits)
}

/// Reads a dataset from the bytes of a zip archive (`name` is for messages).
///
/// # Errors
/// As [`read`].
pub fn read_zip(name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Raw, DataError> {
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_large(name, limits.max_file_size));
    }
    let (source, mme_name, mme_bytes) = open_zip(Path::new(name), bytes, limits)?;
    read_source(source, &mme_name, &mme_bytes, limits)
}

fn read_source(
    source: Source,
    mme_name: &str,
    mme_bytes: &[u8],
    limits: &Limits,
) -> Result<Raw, DataError> {
    let mut r = Reader {
        source,
        limits,
        budget: limits.max_file_size.saturating_mul(TOTAL_FILES_FACTOR),
        channel_dir: None,
    };
    r.spend(mme_bytes.len() as u64)?;
    let test = mme_name
        .rsplit_once('.')
        .map_or(mme_name, |(stem, _)| stem)
        .to_owned();
    let chn_name = format!("{test}.chn");
    let chn = r.channel_file(&chn_name)?.ok_or_else(|| {
        err(
            DataErrorKind::MissingChannel,
            format!("the dataset has no channel list Channel/{chn_name}"),
        )
    })?;
    let chn_text = decode_owned(chn);
    let mut channels = Vec::new();
    for (name, value) in descriptors(&chn_text) {
        let Some(number) = channel_number(name) else {
            continue;
        };
        if channels.len() >= MAX_CHANNELS {
            return Err(err(
                DataErrorKind::Limit,
                format!("the channel list names more than {MAX_CHANNELS} channels: refused"),
            ));
        }
        let code: String = value
            .split(|c: char| c == '/' || c.is_whitespace())
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_ascii_uppercase();
        let file_name = format!("{test}.{number}");
        let file = format!("Channel/{file_name}");
        let bytes = r.channel_file(&file_name)?;
        channels.push(Channel::new(code, file, bytes));
    }
    Ok(Raw { test, channels })
}

fn load_error(message: &str, code: crate::Code) -> DataError {
    let kind = if code == crate::Code::InputLimit {
        DataErrorKind::Limit
    } else {
        DataErrorKind::Unreadable
    };
    err(kind, message.to_owned())
}
