//! Coverage of applicable items: SDS020, SDS021, SDS022.

use std::collections::HashSet;

use super::Context;
use crate::checklist::Item;
use crate::codes::Code;
use crate::finding::Finding;
use crate::report::{ResultEntry, Status};

/// SDS020 for every applicable item without a result (at the `results:` key);
/// SDS021 for `not_tested`; SDS022 for `not_applicable` on an item that applies.
/// `applies` says, in the checklist's item order, which items apply to the vehicle.
pub fn check(
    ctx: &Context<'_>,
    applies: &[bool],
    firsts: &[(&Item, &ResultEntry<'_>)],
    out: &mut Vec<Finding>,
) {
    let with_result: HashSet<&str> = firsts.iter().map(|(i, _)| i.id.as_str()).collect();
    let applies_to_vehicle = |id: &str| {
        ctx.checklist
            .position(id)
            .and_then(|i| applies.get(i).copied())
            .unwrap_or(false)
    };
    for (item, &applies) in ctx.checklist.items.iter().zip(applies) {
        if applies && !with_result.contains(item.id.as_str()) {
            out.push(
                Finding::new(
                    Code::MissingResult,
                    ctx.report.results_key,
                    format!(
                        "no result for {} ({}), which applies to this vehicle",
                        item.id, item.title
                    ),
                )
                .item(&item.id)
                .label(format!("{} missing", item.id))
                .help(format!(
                    "add a result `- item: {}` with its measurements and evidence",
                    item.id
                )),
            );
        }
    }
    for (item, result) in firsts {
        match result.status {
            Status::NotTested => out.push(
                Finding::new(
                    Code::NotTested,
                    result.status_node.span,
                    format!("{} was not tested", item.id),
                )
                .item(&item.id),
            ),
            Status::NotApplicable if applies_to_vehicle(&item.id) => out.push(
                Finding::new(
                    Code::WronglyNotApplicable,
                    result.status_node.span,
                    format!(
                        "{} is declared not applicable, but it applies to this vehicle{}",
                        item.id,
                        why_applies(item)
                    ),
                )
                .item(&item.id)
                .help("test the item, or correct the vehicle's attributes if they are wrong"),
            ),
            _ => {}
        }
    }
}

fn why_applies(item: &Item) -> String {
    if item.applies_when.is_empty() {
        " (it applies to every vehicle)".into()
    } else {
        let conds: Vec<String> = item
            .applies_when
            .iter()
            .map(|c| format!("{}: [{}]", c.attribute, c.values.join(", ")))
            .collect();
        format!(" (applies when {})", conds.join("; "))
    }
}
