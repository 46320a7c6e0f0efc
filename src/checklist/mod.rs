//! Checklists: loaded from files or from the binary, validated against the
//! schema, then compiled once per run into what the checker needs (item
//! lookup, bounds already in canonical units, applicability).

mod applicability;
pub mod catalog;
mod compile;
pub mod lint;
mod model;
mod report_schema;
pub mod source;

pub use applicability::Attributes;
pub use catalog::Catalog;
pub use compile::compile;
pub use model::{
    AttributeDecl, Bound, Checklist, Condition, Domain, Item, ItemSeverity, Level, Metric, Range,
    suffix,
};
pub use source::{ChecklistFile, ChecklistSource};
