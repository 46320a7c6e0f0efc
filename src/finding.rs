//! A finding: data only. Renderers format it; they decide nothing.

use crate::codes::Code;
use crate::load::Span;
use crate::source::Location;

pub use crate::severity::Severity;

/// One problem, at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The code; name and default severity come from the registry.
    pub code: Code,
    /// Severity (the code's default, or `note` for a waived finding).
    pub severity: Severity,
    /// The checklist item it concerns, if any.
    pub item: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it, where there is advice.
    pub help: Option<String>,
    /// The node at fault, as a byte range of its file.
    pub span: Span,
    /// The line and column of `span`'s start, worked out when the file's
    /// findings are final ([`crate::outcome::Outcome::locate`]), or read with
    /// the finding from a findings JSON. Zero until then.
    pub at: Location,
    /// Short text for the label under the node (defaults to the code's name).
    pub label: Option<String>,
    /// For SDS060: the code the waiver covers.
    pub waives: Option<Code>,
    /// Already in the `--baseline`: shown apart, never gating.
    pub baselined: bool,
    /// The JSON pointer of the node at fault (`/results/3/status`), when the
    /// finding stands at a node of the report's tree: the place a baseline
    /// keys a finding without an item on, since lines move.
    pub pointer: Option<String>,
    /// For SDS060: the waiver that covers it (SARIF `suppressions` name its origin and reason).
    pub waiver: Option<Box<WaiverRef>>,
}

/// The waiver behind an SDS060 finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverRef {
    /// From a `--waivers FILE` (true) or the report's own `waivers:` (false).
    pub external: bool,
    /// Why the risk is accepted (the waiver's `reason`).
    pub reason: String,
    /// Who accepted it.
    pub approved_by: String,
}

impl Finding {
    /// A finding with the code's default severity.
    #[must_use]
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity(),
            item: None,
            message: message.into(),
            help: None,
            span,
            // Located with the rest of its file's findings, all at once.
            at: Location::default(),
            label: None,
            waives: None,
            baselined: false,
            waiver: None,
            pointer: None,
        }
    }

    /// Sets the item.
    #[must_use]
    pub fn item(mut self, item: impl Into<String>) -> Self {
        self.item = Some(item.into());
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the label text.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The order findings are reported in: by position, then code (and the
    /// code a waiver covers), then item. Before findings are located, their
    /// byte offsets give the same order their lines and columns will.
    #[must_use]
    pub fn sort_key(&self) -> (Location, usize, Code, Option<Code>, Option<&str>) {
        (
            self.at,
            self.span.start,
            self.code,
            self.waives,
            self.item.as_deref(),
        )
    }
}

impl From<crate::load::LoadError> for Finding {
    fn from(e: crate::load::LoadError) -> Self {
        Finding {
            help: e.help,
            at: e.at.unwrap_or_default(),
            ..Finding::new(e.code, e.span, e.message)
        }
    }
}
