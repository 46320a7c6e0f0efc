//! One channel's text: the descriptor lines, the encoding, the samples and
//! their time base.

use std::collections::HashMap;

use super::number::{fast_prefix, parse_f64};
use super::{ChannelData, DataError, DataErrorKind, err};
use crate::load;
use crate::units::{self, Dimension};

/// Text from bytes as pyisomme reads it: a BOM (UTF-8 or UTF-16) wins, then
/// UTF-8, then Windows-1252 (its five undefined bytes as ISO-8859-1).
#[must_use]
pub fn decode_text(bytes: &[u8]) -> String {
    let has_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF]);
    if (has_bom || std::str::from_utf8(bytes).is_ok())
        && let Ok(t) = load::decode(bytes.to_vec())
    {
        return t;
    }
    bytes.iter().map(|&b| windows_1252(b)).collect()
}

/// As [`decode_text`], without copying bytes that are already UTF-8.
pub(super) fn decode_owned(bytes: Vec<u8>) -> String {
    let has_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF]);
    if has_bom {
        return decode_text(&bytes);
    }
    // `load::decode` of BOM-less bytes is exactly this UTF-8 check.
    String::from_utf8(bytes)
        .unwrap_or_else(|e| e.as_bytes().iter().map(|&b| windows_1252(b)).collect())
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
pub(super) fn channel_number(name: &str) -> Option<String> {
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

/// A channel file's descriptor lines, by lower-cased name (the first wins).
struct Header<'t> {
    values: HashMap<String, &'t str>,
    /// How many lines they take: the samples start after them.
    lines: usize,
}

impl<'t> Header<'t> {
    fn read(text: &'t str) -> Self {
        let mut values: HashMap<String, &str> = HashMap::new();
        let mut lines = 0usize;
        for (name, value) in descriptors(text) {
            lines += 1;
            values.entry(name.to_ascii_lowercase()).or_insert(value);
        }
        Header { values, lines }
    }

    fn get(&self, k: &str) -> Option<&'t str> {
        self.values.get(k).copied().and_then(present)
    }

    fn number(&self, k: &str, file: &str, code: &str) -> Result<Option<f64>, DataError> {
        match self.get(k) {
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
    }
}

fn not_number(what: String) -> DataError {
    err(DataErrorKind::NotANumber, what)
}

/// Parses one channel file: header descriptors, then one sample per line.
pub(super) fn parse_channel(code: &str, file: &str, text: &str) -> Result<ChannelData, DataError> {
    let header = Header::read(text);
    let unit_text = header.get("unit").unwrap_or("");
    let unit = channel_unit(code, file, unit_text)?;
    let samples = samples(
        code,
        file,
        text,
        header.lines,
        crate::derive::si_factor(unit),
    )?;
    if let Some(n) = header.number("number of samples", file, code)?
        && declared_differs(n, samples.len())
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
    let (t0, dt) = time_base(&header, code, file)?;
    Ok(ChannelData {
        t0,
        dt,
        samples,
        unit: unit_text.to_owned(),
    })
}

/// Whether a declared sample count is not the count read.
// A count read as f64 must equal the count exactly (counts stay far below
// 2^52, where usize to f64 is exact).
#[allow(clippy::float_cmp, clippy::cast_precision_loss)]
fn declared_differs(declared: f64, read: usize) -> bool {
    declared != read as f64
}

/// The channel's unit, from the table, of the dimension its code says.
fn channel_unit(
    code: &str,
    file: &str,
    unit_text: &str,
) -> Result<&'static units::Unit, DataError> {
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
    Ok(unit)
}

/// The samples after the header, one a line, converted by `(factor, offset)` to SI.
fn samples(
    code: &str,
    file: &str,
    text: &str,
    header_lines: usize,
    (factor, offset): (f64, f64),
) -> Result<Vec<f64>, DataError> {
    // About one sample per 12 bytes (`-2.6428998E+00`): one allocation, not a dozen.
    let mut samples = Vec::with_capacity(text.len() / 12);
    let bytes = text.as_bytes();
    let mut pos = 0;
    for _ in 0..header_lines {
        pos = next_line(bytes, pos);
    }
    let mut index = header_lines;
    while pos < bytes.len() {
        // The usual line: a number at its start, then the line's end. Its
        // text is then exactly the number (nothing to trim), read in one pass.
        if let Some((v, n)) = fast_prefix(&bytes[pos..]) {
            let end = pos + n;
            let next = match (bytes.get(end), bytes.get(end + 1)) {
                (None, _) => Some(end),
                (Some(b'\n'), _) => Some(end + 1),
                (Some(b'\r'), Some(b'\n')) => Some(end + 2),
                _ => None,
            };
            if let Some(next) = next {
                samples.push(v * factor + offset);
                pos = next;
                index += 1;
                continue;
            }
        }
        let end = bytes[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |n| pos + n);
        // Split at an ASCII `\n`: both ends are character boundaries.
        let t = trim(&text[pos..end]);
        pos = end + 1;
        index += 1;
        if t.is_empty() {
            continue;
        }
        match parse_f64(t) {
            Some(v) if v.is_finite() => samples.push(v * factor + offset),
            _ => {
                let shown: String = t.chars().take(40).collect();
                return Err(not_number(format!(
                    "{file} line {index}: `{shown}` is not a number (channel {code})"
                )));
            }
        }
    }
    Ok(samples)
}

/// Where the line after the one starting at `pos` starts (or the end).
fn next_line(bytes: &[u8], pos: usize) -> usize {
    bytes
        .get(pos..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |n| pos + n + 1)
}

/// `str::trim`, without its per-character search when both ends are
/// printable ASCII (the usual sample line).
fn trim(line: &str) -> &str {
    let b = line.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => line,
        _ => line.trim(),
    }
}

/// `(time of first sample, sampling interval)`, in seconds.
fn time_base(header: &Header, code: &str, file: &str) -> Result<(f64, f64), DataError> {
    let explicit = header
        .get("reference channel")
        .is_some_and(|v| v.eq_ignore_ascii_case("explicit"));
    let dt = header.number("sampling interval", file, code)?;
    let t0 = header
        .number("time of first sample", file, code)?
        .unwrap_or(0.0);
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
    Ok((t0, dt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_split_at_first_colon() {
        let d: Vec<_> = descriptors("Time of test  :10:32:45\r\nUnit:g\r\n1.5\r\n").collect();
        assert_eq!(d, vec![("Time of test", "10:32:45"), ("Unit", "g")]);
    }

    /// The samples as first written: `str::lines`, `str::trim`, `str::parse`.
    fn samples_by_std(text: &str, header_lines: usize) -> Result<Vec<u64>, String> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate().skip(header_lines) {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() => out.push((v * 2.5 + 1.0).to_bits()),
                _ => {
                    let shown: String = t.chars().take(40).collect();
                    return Err(format!(
                        "f line {}: `{shown}` is not a number (channel c)",
                        i + 1
                    ));
                }
            }
        }
        Ok(out)
    }

    fn same_samples(text: &str, header_lines: usize) {
        let ours = samples("c", "f", text, header_lines, (2.5, 1.0))
            .map(|v| v.into_iter().map(f64::to_bits).collect::<Vec<_>>())
            .map_err(|e| e.message);
        assert_eq!(ours, samples_by_std(text, header_lines), "{text:?}");
    }

    #[test]
    fn samples_are_read_as_str_lines_trim_and_parse_read_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n1\n",
            "h:1\r\n2\r\n\r\n 3 \n",
            "1\r2\r",
            " 4\t\n\u{a0}5\u{a0}\n",
            "\u{2003}1\n2\u{85}",
            "\r\n\r\n",
            "1e5\n1e\n",
            "1.5x\n",
            "-0\n+1.\n.5\n",
            "1e00001\n",
            "inf\n",
            "nan\n",
            "1\r",
            "1\r\r\n2",
        ] {
            for h in 0..2 {
                same_samples(text, h);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_sample_text_reads_as_the_standard_library_reads_it(
            lines in proptest::collection::vec(
                r"[ \t]?[+-]?[0-9]{0,21}(\.[0-9]{0,5})?([eE][+-]?[0-9]{0,5})?[ \t\r]?|[ -~]{0,6}|\u{a0}1",
                0..12,
            ),
            crlf in proptest::bool::ANY,
            header in 0usize..3,
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            same_samples(&text, header);
        }
    }

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(decode_text(b"Temp \xB0C \x80"), "Temp °C €");
        assert_eq!(decode_text(b"\xEF\xBB\xBFa"), "a");
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
