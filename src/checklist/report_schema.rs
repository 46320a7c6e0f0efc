//! The report schema narrowed to one checklist version, for editors.

use serde_json::json;

use super::Checklist;
use crate::schema::SchemaKind;

impl Checklist {
    /// The report schema narrowed to one checklist version, for editors: its
    /// `vehicle.attributes` lists the checklist's vocabulary (values as enums,
    /// `list: true` attributes as arrays, `required` ones required), so an editor
    /// completes and flags attributes as SDS014 would.
    #[must_use]
    pub fn report_schema(&self) -> serde_json::Value {
        let mut schema: serde_json::Value =
            serde_json::from_str(SchemaKind::Report.text()).unwrap_or_default();
        let mut properties = serde_json::Map::new();
        for a in &self.vehicle_attributes {
            let one = json!({"enum": a.values});
            let shape = if a.list {
                json!({"type": "array", "minItems": 1, "items": one})
            } else {
                one
            };
            properties.insert(a.name.clone(), shape);
        }
        let required: Vec<&str> = self
            .vehicle_attributes
            .iter()
            .filter(|a| a.required)
            .map(|a| a.name.as_str())
            .collect();
        schema["$defs"]["attributes"] = json!({
            "type": "object",
            "description": format!("The vehicle attributes {} declares (`vehicle_attributes`).", self.label()),
            "properties": properties,
            "required": required,
            "additionalProperties": false
        });
        schema["title"] = json!(format!("sds report against {}", self.label()));
        schema
    }
}
