//! Scalars typed by the YAML 1.2 core schema.

use saphyr_parser::ScalarStyle;

use crate::load::node::Value;

/// Resolves a scalar by the YAML 1.2 core schema: only plain scalars are typed.
pub(super) fn scalar_value(
    text: &str,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> Value {
    if let Some(tag) = tag
        && (tag.is_yaml_core_schema() || tag.handle == "!!")
        && tag.suffix == "str"
    {
        return Value::Str(text.to_owned());
    }
    if style != ScalarStyle::Plain {
        return Value::Str(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(v) = parse_int(text) {
        return v;
    }
    if is_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::Str(text.to_owned())
}

fn parse_int(text: &str) -> Option<Value> {
    let (radix, digits) = if let Some(h) = text.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = text.strip_prefix("0o") {
        (8, o)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(match text.parse::<i64>() {
            Ok(i) => Value::Int(i),
            // Too large for i64: keep the magnitude rather than misread it as text.
            Err(_) => Value::Float(text.parse::<f64>().ok()?),
        });
    };
    if digits.is_empty() {
        return None;
    }
    i64::from_str_radix(digits, radix).ok().map(Value::Int)
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let b = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}
