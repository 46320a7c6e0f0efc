//! The one registry of finding codes.
//!
//! Every other part of `sds` reads this table: the checker builds findings
//! through [`Code`], `sds explain` prints [`CodeInfo::explanation`], the JSON
//! Schema of the findings output lists the codes, and `docs/findings.md` is
//! generated from it (a test fails when that file drifts). A code number is
//! never reused; a retired code would stay here, marked retired.

use std::fmt;
use std::str::FromStr;

use crate::severity::Severity;

/// The family a code belongs to; also the rule module that raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Reading, parsing, schema and limits (SDS001-005).
    Input,
    /// Resolving items of the checklist and the vehicle (SDS010-014).
    Items,
    /// Coverage of applicable items (SDS020-022).
    Coverage,
    /// Status and measurements against bounds (SDS030-036).
    Measurements,
    /// Evidence, and the raw test data measurements are derived from (SDS040-045).
    Evidence,
    /// Freshness and retest (SDS050-052).
    Freshness,
    /// Waivers (SDS060-063).
    Waivers,
    /// Checklist lint (SDS100-108).
    ChecklistLint,
}

impl Family {
    /// A short title for docs.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Family::Input => "Input: reading, parsing, schema, limits",
            Family::Items => "Items: resolving the checklist and its items",
            Family::Coverage => "Coverage: every applicable item has a result",
            Family::Measurements => "Status and measurements",
            Family::Evidence => "Evidence",
            Family::Freshness => "Freshness and retest",
            Family::Waivers => "Waivers",
            Family::ChecklistLint => "Checklist lint (`sds lint`)",
        }
    }
}

macro_rules! registry {
    ($( $variant:ident = $code:literal, $name:literal, $family:ident, $sev:ident, since $since:literal, $summary:literal, $explanation:literal; )*) => {
        /// A finding code. The variant maps one to one to the `SDSnnn` code and the kebab-case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(
            #[doc = $summary]
            $variant,
        )* }

        /// Every code, in numeric order.
        pub const ALL: &[Code] = &[ $( Code::$variant, )* ];

        impl Code {
            /// The registry row of this code.
            #[must_use]
            pub fn info(self) -> &'static CodeInfo {
                match self { $( Code::$variant => &CodeInfo {
                    code: $code, name: $name, family: Family::$family,
                    severity: Severity::$sev, since: $since,
                    summary: $summary, explanation: $explanation,
                }, )* }
            }
        }
    };
}

/// One row of the registry.
#[derive(Debug)]
pub struct CodeInfo {
    /// `SDSnnn`, stable forever.
    pub code: &'static str,
    /// Kebab-case name that says the problem.
    pub name: &'static str,
    /// The family (and rule module) it belongs to.
    pub family: Family,
    /// Default severity.
    pub severity: Severity,
    /// The version of sds that first raised it, as written in each registry
    /// row. Every row says 0.1.0 today: Cargo.toml has said 0.1.0 since the
    /// first commit and no later version is named yet. A code added after a
    /// release carries the version it ships in (a test keeps it at most the
    /// package's own version).
    pub since: &'static str,
    /// One line: when it is raised.
    pub summary: &'static str,
    /// What it means, why it matters, how to fix it, with an example (Markdown).
    pub explanation: &'static str,
}

impl Code {
    /// `SDSnnn`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.info().code
    }
    /// Kebab-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.info().name
    }
    /// Default severity.
    #[must_use]
    pub fn severity(self) -> Severity {
        self.info().severity
    }
    /// Codes that no waiver, baseline or severity override can ever turn off
    /// (PRODUCT.md §2): the input itself (SDS001-005), what the report is
    /// about (SDS011-014) and an evidence path leaving the folder (SDS043).
    #[must_use]
    pub fn never_waivable(self) -> bool {
        matches!(
            self,
            Code::ParseError
                | Code::SchemaViolation
                | Code::UnsupportedFormat
                | Code::InputLimit
                | Code::UnreadableInput
                | Code::UnknownItem
                | Code::RetiredItem
                | Code::DuplicateResult
                | Code::InvalidVehicleAttribute
                | Code::EvidencePathEscape
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Code {
    type Err = ();
    /// Accepts the code (`SDS031`, any case) or the name (`threshold-violated`).
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim();
        ALL.iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s) || c.name() == s)
            .ok_or(())
    }
}

registry! {
    ParseError = "SDS001", "parse-error", Input, Error, since "0.1.0",
        "The file is not valid YAML or JSON (including duplicate keys and several documents in one file).",
        "The file could not be parsed, so nothing in it can be checked.\n\n\
Also raised for a key that appears twice in one mapping (at the second key: a parser that kept the last \
value would silently change the data) and for a file holding more than one YAML document.\n\n\
**Fix:** correct the syntax at the line shown. Example:\n\n```yaml\nresults:\n  - item: SDS-CRASH-001\n    status: pass\n    status: fail   # SDS001: duplicate key\n```";

    SchemaViolation = "SDS002", "schema-violation", Input, Error, since "0.1.0",
        "The file breaks the report, checklist or waivers schema.",
        "The file parsed but does not have the shape the format requires (see `sds schema report`). \
The finding points at the node the schema rejects and says what was expected and what was found. \
A report with schema violations is not checked further: its gaps cannot be judged reliably.\n\n\
**Fix:** supply the missing field or correct the value. A version written as a YAML number \
(`version: 1.10`) is read as the float 1.1: quote it (`version: \"1.10\"`). A waiver needs `item`, \
`reason`, `approved_by` and `expires`, so that an audit can ask who accepted which risk until when.";

    UnsupportedFormat = "SDS003", "unsupported-format", Input, Error, since "0.1.0",
        "The `sds_report` or `sds_checklist` format number is not one this version of sds reads.",
        "The file declares a format version (`sds_report: 2`) that this version of sds does not know. \
It is reported alone, without schema findings, because the schema of an unknown format is unknown.\n\n\
**Fix:** write the file in format 1 (`sds_report: 1`), or upgrade sds.";

    InputLimit = "SDS004", "input-limit", Input, Error, since "0.1.0",
        "The input exceeds a safety limit (size, nesting depth, alias expansion) and was refused.",
        "sds refuses input that is too large, too deeply nested, or expands too many YAML aliases, \
so a hostile or broken file cannot exhaust memory or time. The other files are still checked.\n\n\
**Fix:** a real report is a few hundred kilobytes with shallow nesting and no alias chains; \
split or simplify the file. The size limit can be raised with `--max-file-size`.";

    UnreadableInput = "SDS005", "unreadable-input", Input, Error, since "0.1.0",
        "A path cannot be read: permission denied, a dangling link, a link loop, or not a regular file.",
        "A path given on the command line, or found while walking a folder, could not be read. It still \
appears in the output with this finding so that nothing is silently left out of the gate.\n\n\
**Fix:** check the permissions and links of the path shown, or exclude it with `--exclude`.";

    ChecklistNotFound = "SDS010", "checklist-not-found", Items, Error, since "0.1.0",
        "No loaded checklist satisfies the report's checklist id and version.",
        "The report's `checklist: {id, version}` names a checklist id that is not loaded, or a version \
(exact, such as `\"1.0.0\"`) or requirement (such as `\"^1.0\"`) that no loaded version satisfies. \
An exact version means exactly that version: a certification report names what it was tested against. \
The report cannot be checked.\n\n**Fix:** load the checklist with `--checklist PATH`, or correct the id \
or version. `sds list` shows what is loaded.";

    UnknownItem = "SDS011", "unknown-item", Items, Error, since "0.1.0",
        "A result names an item the resolved checklist does not have.",
        "A result's `item:` is not an item of the resolved checklist version, nor of an earlier version. \
It is usually a typo; the message names the nearest valid ids.\n\n\
**Fix:** correct the id. Example: `item: SDS-CRAHS-001` -> `item: SDS-CRASH-001`.";

    RetiredItem = "SDS012", "retired-item", Items, Warning, since "0.1.0",
        "A result for an item that an earlier checklist version had but this one retired.",
        "The item existed in an earlier version of the checklist but was retired in the version the report \
resolves to. The result is ignored for scoring.\n\n\
**Fix:** remove the result, or check which item replaced it (`sds diff OLD NEW`).";

    DuplicateResult = "SDS013", "duplicate-result", Items, Error, since "0.1.0",
        "Two or more results for one item (raised at the second and later ones).",
        "An item has more than one result. Which one holds is ambiguous, so the item earns no points \
until there is one. Only the first result is checked.\n\n\
**Fix:** keep one result per item, merging measurements and evidence into it.";

    InvalidVehicleAttribute = "SDS014", "invalid-vehicle-attribute", Items, Error, since "0.1.0",
        "A vehicle attribute or value the checklist's `vehicle_attributes` does not declare, the wrong shape, or a required attribute not stated.",
        "Applicability must never hinge on a spelling: the checklist declares every attribute a vehicle \
may state and every value it may take (`vehicle_attributes`), and a report may state only those. An \
undeclared attribute, a value outside its `values` (`\"electric\"`, `\"EREV\"`, `\"erev \"`, `\"\"`), a list \
where one value is expected or one value where a list is expected (`features: \"a, b\"`), an empty list, or a \
`required` attribute that is not stated is this finding, with the nearest declared values as advice. \
An invalid attribute counts as unknown, and an unknown attribute matches every value: the items it \
would gate apply, so a misspelt value can add findings but never remove an item. Never waivable.\n\n\
**Fix:** write the attribute as the checklist declares it. Example: `powertrain: electric` -> \
`powertrain: bev`. `sds explain ITEM` and `sds catalog` list the vocabulary.";

    MissingResult = "SDS020", "missing-result", Coverage, Error, since "0.1.0",
        "An item that applies to this vehicle has no result: the central gap.",
        "The checklist item applies to the vehicle (its `applies_when` matches the vehicle's attributes, or \
it has none) but the report holds no result for it. The finding points at the `results:` key.\n\n\
**Fix:** run the test and add a result, mark it `not_applicable` if it truly does not apply (which is \
itself checked), or record a waiver.";

    NotTested = "SDS021", "not-tested", Coverage, Error, since "0.1.0",
        "A result has status `not_tested`.",
        "The report lists the item but says it was not tested. The item earns no points.\n\n\
**Fix:** run the test and record `status: pass` with measurements and evidence, or waive it.";

    WronglyNotApplicable = "SDS022", "wrongly-not-applicable", Coverage, Error, since "0.1.0",
        "A result says `not_applicable` for an item that applies to this vehicle.",
        "The item's `applies_when` matches the vehicle's attributes (or it applies to every vehicle), \
so it cannot be declared not applicable.\n\n\
**Fix:** test the item, or correct the vehicle's attributes if they are wrong.";

    Failed = "SDS030", "failed", Measurements, Error, since "0.1.0",
        "A result has status `fail`.",
        "The test was run and failed. Each measurement that breaks a bound is also reported as SDS031.\n\n\
**Fix:** correct the vehicle and re-test; record the passing result.";

    ThresholdViolated = "SDS031", "threshold-violated", Measurements, Error, since "0.1.0",
        "A measurement is outside its acceptance bound.",
        "The measured value, converted to the metric's unit, is below `min` or above `max` (bounds are \
inclusive: `max: 700` passes 700). The finding points at the value. If the result claims `pass`, \
SDS033 is raised as well.\n\n\
**Fix:** re-test, or correct the value if it was mistyped (check the unit).";

    MeasurementMissing = "SDS032", "measurement-missing", Measurements, Error, since "0.1.0",
        "A metric that the item's acceptance needs has no measurement.",
        "A passing result must show every bounded metric. Without the value, the pass is a claim, \
not a demonstration.\n\n\
**Fix:** add the measurement under `measurements:` with its unit, e.g. `hic15: 512`.";

    StatusContradiction = "SDS033", "status-contradiction", Measurements, Error, since "0.1.0",
        "The result says `pass` while a measurement breaks its bound.",
        "The claim contradicts the data: the status says pass but a measurement is outside its bound \
(reported as SDS031 beside this finding).\n\n\
**Fix:** correct the status to `fail`, or the measurement if it was mistyped.";

    UnitMismatch = "SDS034", "unit-mismatch", Measurements, Error, since "0.1.0",
        "A measurement's unit is unknown or of the wrong dimension, or the quantity cannot be read.",
        "The value cannot be compared with its bound: the unit is not in sds's unit table, is of another \
dimension than the metric's (for example `J` for a metric in `Nm`), or the value is not a number. \
sds never guesses. Reported alone, not also as SDS032.\n\n\
**Fix:** write the value as a number in the metric's unit, as `\"<number> <unit>\"`, or as \
`{value: <number>, unit: <unit>}` with a unit of the right dimension (see docs/formats.md).";

    UnknownMetric = "SDS035", "unknown-metric", Measurements, Warning, since "0.1.0",
        "A measurement names a metric the checklist's registry does not define.",
        "The measurement is not used by any bound; it may be a typo of a required metric.\n\n\
**Fix:** correct the metric name, or remove the measurement.";

    ImpossibleValue = "SDS036", "impossible-value", Measurements, Error, since "0.1.0",
        "A value outside the metric's physically possible `range` (a negative HIC, force magnitude or count; a fractional count).",
        "The metric registry may declare a `range` (in the registry unit): the span a value can \
physically take. A value outside it is not a measurement but a typing error, so it is reported alone \
(not also as SDS031). A `count` is always a whole number of at least 0.\n\n\
**Fix:** correct the value (check its sign and unit).";

    EvidenceMissing = "SDS040", "evidence-missing", Evidence, Error, since "0.1.0",
        "A kind of evidence the item requires is absent from the result.",
        "The item lists the evidence kinds a passing result must carry (`test_report`, `video`, ...). \
One of them is absent.\n\n\
**Fix:** add an entry `{kind: <kind>, path: <file>, sha256: <hex>}` under the result's `evidence:`.";

    EvidenceFileMissing = "SDS041", "evidence-file-missing", Evidence, Error, since "0.1.0",
        "With `--verify-evidence`: the evidence file is not there.",
        "The path of the evidence entry, relative to the report's folder, does not name a readable file.\n\n\
**Fix:** add the file or correct the path.";

    EvidenceHashMismatch = "SDS042", "evidence-hash-mismatch", Evidence, Error, since "0.1.0",
        "With `--verify-evidence`: the evidence file's sha256 differs from the one recorded.",
        "The file changed after the report was written, or the recorded hash is wrong.\n\n\
**Fix:** restore the original file, or record the hash of the right file (`sha256sum FILE`).";

    EvidencePathEscape = "SDS043", "evidence-path-escape", Evidence, Error, since "0.1.0",
        "An evidence path is absolute or leaves the report's folder.",
        "Evidence must live beside the report so that the report and its evidence travel together and \
a report cannot make sds read arbitrary files. Checked lexically always, and through links with \
`--verify-evidence`.\n\n**Fix:** copy the evidence under the report's folder and use a relative path.";

    MeasurementContradictsData = "SDS044", "measurement-contradicts-data", Evidence, Error, since "0.1.0",
        "A measured value differs from the one sds derives from the raw test data it names by more than the metric's tolerance.",
        "The measurement (or its result) names raw channel data (`data: {path, position}`, an ISO-MME \
folder or zip) and the checklist's metric registry says how the value is derived from it (`derive`: \
criterion, channel, filter class). sds re-derived it and the stated value is further from it than \
the metric's `tolerance` allows (by default 1 %). The message gives both values, where in the record \
the derived one was found (the HIC window, the time of a peak) and the tolerance. A claim the data \
does not support is not a measurement.\n\n\
**Fix:** correct the stated value to what the data says, or name the dataset it really came from. \
If the lab's processing differs (another filter class, a channel), say so to the checklist's owner: \
the `derive` entry is the agreed definition.";

    DataUnreadable = "SDS045", "data-unreadable", Evidence, Error, since "0.1.0",
        "The raw test data a measurement names cannot be read, lacks a channel the derivation needs, is sampled too coarsely for its filter class, or holds non-numbers.",
        "sds reads the ISO-MME dataset named by `data: {path, position}` (a folder holding one `.mme`, \
the `.mme` itself, or a zip) to re-derive the measurement. It could not: the path is not a dataset \
or not a readable zip, a size limit refused it, the channel the metric's `derive` names (position, \
location, dimension, direction) is not in the `.chn`, a channel is sampled below ten times its \
CFC class (10 kHz for CFC 1000), a sample is `NOVALUE` or not a number, a unit is not in the unit \
table, or the metric has no `derive` at all. The message names the file, channel or line.\n\n\
**Fix:** point `data.path` at the dataset (relative to the report's folder) and `position` at the \
test object and seat of its channel codes (`11`: vehicle 1, driver); export the channels at the \
sample rate and with the codes the derivation needs.";

    StaleResult = "SDS050", "stale-result", Freshness, Warning, since "0.1.0",
        "A result is older than the item's `validity_days`.",
        "At the as-of date (the report's issue date, or `--as-of`) the result's `tested_on` is more than \
`validity_days` ago, or the result records no `tested_on` at all. A stale result earns no points.\n\n\
**Fix:** re-test and record the new date.";

    RetestRequired = "SDS051", "retest-required", Freshness, Error, since "0.1.0",
        "A result was tested on vehicle software older than the item's `retest_on` level allows.",
        "The item must be re-tested when the vehicle software changes at the `retest_on` level \
(`major`, `minor` or `patch`). The result's `software` is older at that level than the report's \
`vehicle.software`, or is not recorded.\n\n\
**Fix:** re-test on the current software and record its version in the result.";

    FutureDate = "SDS052", "future-date", Freshness, Error, since "0.1.0",
        "A result's `tested_on` is after the report's issue date.",
        "A report cannot record a test made after it was issued; the date is wrong or the report was \
edited after issue.\n\n**Fix:** correct the date, or re-issue the report.";

    Waived = "SDS060", "waived", Waivers, Note, since "0.1.0",
        "A finding covered by a valid waiver (kept in the output, not gating).",
        "A waiver with a reason, an approver and an end date covers the item, so the finding that would \
have been raised is reported in its place as this note; its `waives` field names the code it covers. \
The item earns no points but counts as waived.\n\n**Fix:** none needed until the waiver expires.";

    WaiverExpired = "SDS061", "waiver-expired", Waivers, Error, since "0.1.0",
        "A waiver's `expires` date has passed; the findings it covered stand.",
        "The waiver is valid through its `expires` day, judged at the as-of date.\n\n\
**Fix:** close the gap, or have the waiver renewed by its approver.";

    WaiverUnused = "SDS062", "waiver-unused", Waivers, Warning, since "0.1.0",
        "A waiver covers nothing.",
        "No finding of the item it names was raised: the gap was closed, or the item id is wrong. \
Stale waivers hide future gaps.\n\n**Fix:** remove the waiver.";

    WaiverNotAllowed = "SDS063", "waiver-not-allowed", Waivers, Error, since "0.1.0",
        "A waiver names an item marked `waivable: false`.",
        "Some items (life-critical ones) cannot be waived. The waiver has no effect: the findings stand.\n\n\
**Fix:** remove the waiver and close the gap.";

    DuplicateItemId = "SDS100", "duplicate-item-id", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: two items share an id.",
        "Item ids must be unique within a checklist version. Raised at the second and later items.\n\n\
**Fix:** give the item a new, never used id.";

    PointsTotalMismatch = "SDS101", "points-total-mismatch", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: the items' points do not add up to `total_points`.",
        "The declared total and the sum of the items' points (default 1 each) differ, so scores \
would not mean what the header says.\n\n**Fix:** correct `total_points` or the items' points.";

    UndefinedMetric = "SDS102", "undefined-metric", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: an acceptance bound names a metric that is not in the `metrics` registry.",
        "Every bounded metric needs a registry entry with its unit, or its values cannot be converted.\n\n\
**Fix:** add the metric under `metrics:` with a `unit`, or correct the name.";

    UndefinedDomain = "SDS103", "undefined-domain", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: an item names a domain the header does not define.",
        "Scores are given per domain; an item of an unknown domain could not be placed.\n\n\
**Fix:** add the domain under `domains:` or correct the item's `domain`.";

    InvalidBound = "SDS104", "invalid-bound", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: a bound with `min` greater than `max`, no bound at all, or a metric unit the table lacks.",
        "No value could pass such a bound, or values could not be converted.\n\n\
**Fix:** correct the bound, or use a unit from the table in docs/formats.md.";

    IdReuse = "SDS105", "id-reuse", ChecklistLint, Error, since "0.1.0",
        "Checklist lint across versions: an item id is used for a different domain in another version.",
        "Item ids are stable across versions: an id names one test for ever, so that results and \
waivers keep their meaning. Reusing an id for another domain breaks that.\n\n\
**Fix:** retire the old id and give the new item a fresh one.";

    UndefinedAttribute = "SDS106", "undefined-attribute", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: `applies_when` names an attribute or value not in `vehicle_attributes`, or an empty list.",
        "Every attribute and value an item's `applies_when` names must be declared in the header's \
`vehicle_attributes`, or the item would gate on a spelling no report can be checked against. An \
empty list of values means the item could never apply.\n\n\
**Fix:** declare the attribute and its values under `vehicle_attributes`, or correct the name.";

    UndefinedEvidenceKind = "SDS107", "undefined-evidence-kind", ChecklistLint, Error, since "0.1.0",
        "Checklist lint: an item requires an evidence kind not in `evidence_kinds`.",
        "An item's `evidence:` must name kinds declared in the header's `evidence_kinds`, or no \
report could meet it by a declared kind.\n\n**Fix:** declare the kind or correct its name.";

    DuplicateChecklistVersion = "SDS108", "duplicate-checklist-version", ChecklistLint, Error, since "0.1.0",
        "Two loaded checklists with different content claim the same id and version.",
        "A version names one content for ever. Two different checklists that claim one `id@version` \
would make the verdict depend on which one was loaded last. Identical copies (the same files' \
bytes) count as one.\n\n**Fix:** give one of them a new version, or load only one.";
}

/// `docs/findings.md`, generated from this registry (a test keeps the file
/// current). `example` gives, for a code, where an example comes from and the
/// finding as `sds check` renders it.
#[must_use]
pub fn reference_markdown(example: &dyn Fn(Code) -> Option<(String, String)>) -> String {
    use std::fmt::Write;
    let mut s = String::from(
        "# Finding codes\n\n\
<!-- Generated from src/codes.rs by `SDS_UPDATE_DOCS=1 cargo test --test docs`; do not edit by hand. -->\n\n\
Every finding has a stable code, a kebab-case name, a default severity, the item it concerns (if any), \
a message and the line and column of the node at fault. `sds explain CODE` prints the same text.\n\n\
| code | name | default | since | when |\n|---|---|---|---|---|\n",
    );
    for &c in ALL {
        let i = c.info();
        let _ = writeln!(
            s,
            "| [{}](#{}) | `{}` | {} | {} | {} |",
            i.code,
            i.code.to_lowercase(),
            i.name,
            i.severity,
            i.since,
            i.summary
        );
    }
    let mut family = None;
    for &c in ALL {
        let i = c.info();
        if family != Some(i.family) {
            family = Some(i.family);
            let _ = write!(s, "\n## {}\n", i.family.title());
        }
        let _ = write!(
            s,
            "\n### {}\n\n`{}` · default severity **{}** · since {}\n\n{}\n\n{}\n",
            i.code, i.name, i.severity, i.since, i.summary, i.explanation
        );
        if let Some((from, rendered)) = example(c) {
            let _ = write!(
                s,
                "\nExample, from `{from}`:\n\n```text\n{}\n```\n",
                rendered.trim_end()
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: HashSet<_> = ALL.iter().map(|c| c.as_str()).collect();
        let names: HashSet<_> = ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
    }

    #[test]
    fn code_and_name_round_trip() {
        for &c in ALL {
            assert_eq!(c.as_str().parse::<Code>(), Ok(c));
            assert_eq!(c.name().parse::<Code>(), Ok(c));
            assert_eq!(c.as_str().to_lowercase().parse::<Code>(), Ok(c));
        }
        assert!("SDS999".parse::<Code>().is_err());
    }

    #[test]
    fn every_code_is_well_formed() {
        for &c in ALL {
            let i = c.info();
            assert!(i.code.starts_with("SDS") && i.code.len() == 6, "{}", i.code);
            assert!(
                i.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                i.name
            );
            assert!(i.explanation.len() > 80, "{} needs an explanation", i.code);
            assert!(i.explanation.contains("**Fix:**"), "{} needs a fix", i.code);
        }
    }

    #[test]
    fn since_is_a_released_or_current_version() {
        let package = semver::Version::parse(env!("CARGO_PKG_VERSION")).unwrap();
        for &c in ALL {
            let since = semver::Version::parse(c.info().since);
            assert!(
                since.as_ref().is_ok_and(|v| *v <= package),
                "{}: since {:?} is not a version at most {package}",
                c.as_str(),
                c.info().since
            );
        }
    }

    /// The contract's code set, with each code's name, default severity and
    /// `since`, is a reviewed snapshot (`tests/snapshots/code_set.snap`)
    /// rather than a copy kept by hand: a new, renamed or re-graded code
    /// shows as a diff to accept (`cargo insta review`).
    #[test]
    fn the_code_set_is_the_contracts() {
        use std::fmt::Write;
        let listed = ALL.iter().fold(String::new(), |mut s, c| {
            let i = c.info();
            let _ = writeln!(s, "{} {} {} since {}", i.code, i.name, i.severity, i.since);
            s
        });
        insta::with_settings!({
            snapshot_path => "../tests/snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!("code_set", listed);
        });
        assert_eq!(Code::Waived.severity(), Severity::Note);
        assert_eq!(Code::RetiredItem.severity(), Severity::Warning);
        assert_eq!(Code::StaleResult.severity(), Severity::Warning);
        assert_eq!(Code::UnknownMetric.severity(), Severity::Warning);
        assert_eq!(Code::WaiverUnused.severity(), Severity::Warning);
    }
}
