//! Whether an item applies to a vehicle, by its known attributes.

use std::collections::HashMap;

use super::model::{Checklist, Item};

/// A vehicle's attributes that are known: stated, declared and valid, as
/// lists of text (a one-value attribute is a list of one). Absent and
/// invalid (SDS014) attributes are not in it: they are unknown.
pub type Attributes = HashMap<String, Vec<String>>;

impl Item {
    /// Whether the item applies to a vehicle with these known attributes.
    ///
    /// An unknown attribute matches every value, so a misspelt or invented
    /// value can add findings, never remove an item. Values compare exactly.
    /// For a list attribute (`features`) every listed value must be present.
    #[must_use]
    pub fn applies_to(&self, attributes: &Attributes, checklist: &Checklist) -> bool {
        self.applies_when.iter().all(|c| {
            let Some(has) = attributes.get(&c.attribute) else {
                return true;
            };
            let list = checklist.attribute(&c.attribute).is_some_and(|a| a.list);
            if list {
                c.values.iter().all(|v| has.contains(v))
            } else {
                has.iter().any(|v| c.values.contains(v))
            }
        })
    }
}
