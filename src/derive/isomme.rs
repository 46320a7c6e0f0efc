//! The ISO-MME reader (ISO/TS 13499): a dataset folder, its `.mme` file, or a
//! zip holding it (at the root or under one folder), to channels in SI units.
//!
//! Every byte goes through the loader's size limit; a zip member is capped on
//! what it inflates to, and the whole dataset on what it reads in total, so a
//! zip bomb or a huge channel is refused, never followed. File names come
//! from the `.mme` stem and the channel numbers of the `.chn`, matched
//! case-insensitively against directory or archive listings: nothing a file
//! says can name a path outside the dataset.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use crate::load::{self, Limits};
use crate::units::{self, Dimension};

use super::{DataError, DataErrorKind};

/// One channel as listed in the `.chn`, with its data or why it cannot be used.
#[derive(Debug)]
pub struct Channel {
    /// The 16-character code, upper-cased.
    pub code: String,
    /// The channel file, relative to the dataset (`Channel/T.001`).
    pub file: String,
    /// Samples and time base, or why they cannot be read (reported only when
    /// a criterion needs this channel).
    pub data: Result<ChannelData, DataError>,
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

/// Where the dataset's files come from.
enum Source {
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

struct Reader<'l> {
    source: Source,
    limits: &'l Limits,
    budget: u64,
    /// Lower-cased name -> path in the dataset's `Channel` folder (folder source only).
    channel_dir: Option<HashMap<String, PathBuf>>,
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
    let chn_text = decode_text(chn);
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
        let data = match r.channel_file(&file_name)? {
            None => Err(err(
                DataErrorKind::MissingChannel,
                format!("channel {code} is listed but its file {file} is missing"),
            )),
            Some(bytes) => parse_channel(&code, &file, &decode_text(bytes)),
        };
        channels.push(Channel { code, file, data });
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

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Finds the one `.mme` (the named file, or searched under the folder) and reads it.
fn open_dir(
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

fn open_zip(
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
        if lower.ends_with(".mme") && !lower.starts_with("__macosx/") {
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
    let mut out = Vec::new();
    (&mut file)
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| bad(&e))?;
    if out.len() as u64 > cap {
        return Err(too_large(lower, cap));
    }
    Ok(Some(out))
}

fn too_large(name: &str, cap: u64) -> DataError {
    err(
        DataErrorKind::Limit,
        format!("{name} is larger than the {cap} byte limit: refused"),
    )
}

impl Reader<'_> {
    fn spend(&mut self, n: u64) -> Result<(), DataError> {
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
    fn channel_file(&mut self, name: &str) -> Result<Option<Vec<u8>>, DataError> {
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

/// Text from bytes as pyisomme reads it: a BOM (UTF-8 or UTF-16) wins, then
/// UTF-8, then Windows-1252 (its five undefined bytes as ISO-8859-1).
#[must_use]
pub fn decode_text(bytes: Vec<u8>) -> String {
    let has_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF]);
    if (has_bom || std::str::from_utf8(&bytes).is_ok())
        && let Ok(t) = load::decode(bytes.clone())
    {
        return t;
    }
    bytes.iter().map(|&b| windows_1252(b)).collect()
}

fn windows_1252(b: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// `name : value` lines, split at the first colon, both trimmed. Stops at
/// the first line that is not a descriptor (where a channel's samples begin).
pub fn descriptors(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .map_while(|l| l.split_once(':').map(|(n, v)| (n.trim(), v.trim())))
}

/// `Name of channel 007` -> `007` (the file extension).
fn channel_number(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let rest = lower.strip_prefix("name of channel")?.trim();
    if rest.is_empty() || rest.len() > 6 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{rest:0>3}"))
}

/// A descriptor value, with `NOVALUE`, `NONE` and the empty string as absent.
fn present(v: &str) -> Option<&str> {
    let v = v.trim();
    if v.is_empty() || v.eq_ignore_ascii_case("novalue") || v.eq_ignore_ascii_case("none") {
        None
    } else {
        Some(v)
    }
}

/// The unit dimension a channel code's dimension field must have.
fn expected_dimension(code: &str) -> Option<Dimension> {
    Some(match code.get(12..14)? {
        "AC" => Dimension::Acceleration,
        "FO" => Dimension::Force,
        "MO" => Dimension::Moment,
        "DS" | "DC" => Dimension::Length,
        "VE" => Dimension::Speed,
        "TI" => Dimension::Time,
        "EN" => Dimension::Energy,
        "PR" => Dimension::Pressure,
        "AN" => Dimension::Angle,
        _ => return None,
    })
}

/// Parses one channel file: header descriptors, then one sample per line.
fn parse_channel(code: &str, file: &str, text: &str) -> Result<ChannelData, DataError> {
    let mut header: HashMap<String, &str> = HashMap::new();
    let mut header_lines = 0usize;
    for (name, value) in descriptors(text) {
        header_lines += 1;
        header.entry(name.to_ascii_lowercase()).or_insert(value);
    }
    let get = |k: &str| header.get(k).copied().and_then(present);
    let not_number = |what: String| err(DataErrorKind::NotANumber, what);
    let number = |k: &str| -> Result<Option<f64>, DataError> {
        match get(k) {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    not_number(format!(
                        "{file}: `{k}` is `{v}`, not a number (channel {code})"
                    ))
                }),
        }
    };
    let unit_text = get("unit").unwrap_or("");
    let unit = units::lookup(unit_text).ok_or_else(|| {
        err(
            DataErrorKind::Unsupported,
            format!("{file}: unit `{unit_text}` of channel {code} is not in the unit table"),
        )
    })?;
    if let Some(dim) = expected_dimension(code)
        && unit.dimension != dim
    {
        return Err(err(
            DataErrorKind::Unsupported,
            format!(
                "{file}: unit `{unit_text}` of channel {code} measures {}, but the code says {dim}",
                unit.dimension
            ),
        ));
    }
    let (factor, offset) = super::si_factor(unit);
    let mut samples = Vec::new();
    for (i, line) in text.lines().enumerate().skip(header_lines) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => samples.push(v * factor + offset),
            _ => {
                let shown: String = t.chars().take(40).collect();
                return Err(not_number(format!(
                    "{file} line {}: `{shown}` is not a number (channel {code})",
                    i + 1
                )));
            }
        }
    }
    if let Some(n) = number("number of samples")?
        && n != samples.len() as f64
    {
        return Err(not_number(format!(
            "{file}: declares {n} samples but holds {} (channel {code})",
            samples.len()
        )));
    }
    if samples.is_empty() {
        return Err(not_number(format!(
            "{file}: channel {code} holds no samples"
        )));
    }
    let explicit = get("reference channel").is_some_and(|v| v.eq_ignore_ascii_case("explicit"));
    let dt = number("sampling interval")?;
    let t0 = number("time of first sample")?.unwrap_or(0.0);
    let dt = match dt {
        Some(dt) if dt > 0.0 => dt,
        Some(dt) => {
            return Err(not_number(format!(
                "{file}: sampling interval {dt} is not positive (channel {code})"
            )));
        }
        None if explicit => {
            // A time axis given by another channel's values: not read (yet).
            return Err(err(
                DataErrorKind::Unsupported,
                format!(
                    "{file}: channel {code} is timed by an explicit reference channel; sds needs `Sampling interval` and `Time of first sample`"
                ),
            ));
        }
        None => {
            return Err(not_number(format!(
                "{file}: channel {code} has no `Sampling interval`"
            )));
        }
    };
    Ok(ChannelData {
        t0,
        dt,
        samples,
        unit: unit_text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_split_at_first_colon() {
        let d: Vec<_> = descriptors("Time of test  :10:32:45\r\nUnit:g\r\n1.5\r\n").collect();
        assert_eq!(d, vec![("Time of test", "10:32:45"), ("Unit", "g")]);
    }

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(decode_text(b"Temp \xB0C \x80".to_vec()), "Temp °C €");
        assert_eq!(decode_text(b"\xEF\xBB\xBFa".to_vec()), "a");
    }

    #[test]
    fn channel_numbers() {
        assert_eq!(
            channel_number("Name of channel 007").as_deref(),
            Some("007")
        );
        assert_eq!(channel_number("name of channel 12").as_deref(), Some("012"));
        assert_eq!(channel_number("Number of channels"), None);
        assert_eq!(channel_number("Name of channel ../x"), None);
    }

    #[test]
    fn channel_parse_errors_are_errors() {
        let head = "Unit :g\nSampling interval :1E-4\nTime of first sample :0\n";
        let ok = parse_channel("11HEAD0000H3ACX0", "f", &format!("{head}1\n2\n")).unwrap();
        assert_eq!(ok.samples.len(), 2);
        let nan = parse_channel("11HEAD0000H3ACX0", "f", &format!("{head}1\nNOVALUE\n"));
        assert_eq!(nan.unwrap_err().kind, DataErrorKind::NotANumber);
        let count = parse_channel(
            "11HEAD0000H3ACX0",
            "f",
            &format!("{head}Number of samples :3\n1\n2\n"),
        );
        assert_eq!(count.unwrap_err().kind, DataErrorKind::NotANumber);
        let gram = parse_channel("11FEMRLE00H3FOZ0", "f", &format!("{head}1\n"));
        assert_eq!(gram.unwrap_err().kind, DataErrorKind::Unsupported);
    }
}
