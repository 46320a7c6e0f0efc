//! serde formats of the fields that sds writes one exact way: a finding code
//! and a date are refused unless written exactly so.

use crate::codes::{ALL, Code};

/// The exact code `SDSnnn` (no names, no other case: only what sds writes).
fn exact_code(s: &str) -> Option<Code> {
    ALL.iter().copied().find(|c| c.as_str() == s)
}

pub(super) mod code {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::codes::Code;

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde's `with` hands over a reference
    pub fn serialize<S: Serializer>(c: &Code, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = String::deserialize(d)?;
        super::exact_code(&s).ok_or_else(|| D::Error::custom(format!("unknown finding code {s:?}")))
    }
}

pub(super) mod opt_code {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::codes::Code;

    // serde's `with` hands over a reference to the field
    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
    pub fn serialize<S: Serializer>(c: &Option<Code>, s: S) -> Result<S::Ok, S::Error> {
        match c {
            Some(c) => s.serialize_str(c.as_str()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Code>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => super::exact_code(&s)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("unknown finding code {s:?}"))),
        }
    }
}

pub(super) mod opt_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    // serde's `with` hands over a reference to the field
    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)]
    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .ok()
                .filter(|d| d.to_string() == s)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{s:?} is not a date YYYY-MM-DD"))),
        }
    }
}
