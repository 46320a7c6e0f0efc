//! One finding, to and from the engine's `Finding`.

use serde::{Deserialize, Serialize};

use super::Waiver;
use crate::codes::Code;
use crate::finding::{Finding as EngineFinding, Severity};
use crate::load::Span;
use crate::source::Location;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// `SDSnnn`.
    #[serde(with = "super::fields::code")]
    pub code: Code,
    /// The code's kebab-case name.
    pub name: String,
    /// Severity.
    pub severity: Severity,
    /// The item, if any.
    pub item: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// JSON pointer of the node at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For SDS060: the code the waiver covers.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::fields::opt_code"
    )]
    pub waives: Option<Code>,
    /// For SDS060: the waiver that covers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Waiver>,
}

// ---- from the engine's types (writing) ----

impl From<&EngineFinding> for Finding {
    fn from(f: &EngineFinding) -> Self {
        // Every path from a file to its outcome locates its findings; one
        // that does not would print 1:1 here.
        debug_assert!(f.at.is_known(), "finding not located: {f:?}");
        Finding {
            code: f.code,
            name: f.code.name().to_owned(),
            severity: f.severity,
            item: f.item.clone(),
            message: f.message.clone(),
            help: f.help.clone(),
            line: f.at.line.max(1),
            column: f.at.col.max(1),
            pointer: f.pointer.clone(),
            waives: f.waives,
            waiver: f.waiver.as_ref().map(|w| Waiver {
                from: if w.external { "waivers_file" } else { "report" }.to_owned(),
                reason: w.reason.clone(),
                approved_by: w.approved_by.clone(),
            }),
        }
    }
}

impl Finding {
    /// The finding as the engine holds it (no byte span: line and column only).
    ///
    /// # Errors
    /// When `name` is not the name of `code`.
    pub fn into_finding(self, baselined: bool) -> Result<EngineFinding, String> {
        if self.name != self.code.name() {
            return Err(format!(
                "finding {} is named {:?}, not {:?}",
                self.code,
                self.name,
                self.code.name()
            ));
        }
        // A finding read back has its place as lines and columns only (the
        // text it was found in is not at hand).
        let mut f = EngineFinding::new(self.code, Span::TOP, self.message);
        f.at = Location {
            line: self.line,
            col: self.column,
        };
        f.severity = self.severity;
        f.item = self.item;
        f.help = self.help;
        f.pointer = self.pointer;
        f.waives = self.waives;
        f.waiver = self.waiver.map(|w| {
            Box::new(crate::finding::WaiverRef {
                external: w.from == "waivers_file",
                reason: w.reason,
                approved_by: w.approved_by,
            })
        });
        f.baselined = baselined;
        Ok(f)
    }
}
