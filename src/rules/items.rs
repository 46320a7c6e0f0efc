//! Resolving results to checklist items: SDS011, SDS012, SDS013.

use std::collections::HashSet;

use super::Context;
use crate::checklist::Item;
use crate::codes::Code;
use crate::finding::Finding;
use crate::report::ResultEntry;

/// SDS011, SDS012, SDS013. Returns the first result of each known item, in
/// file order; later results of the same item and results of unknown items
/// are reported and not checked further.
pub fn resolve<'c, 'r>(
    ctx: &Context<'c>,
    out: &mut Vec<Finding>,
) -> Vec<(&'c Item, &'c ResultEntry<'c>)>
where
    'c: 'r,
{
    let mut seen = HashSet::new();
    let mut firsts = Vec::new();
    for result in &ctx.report.results {
        let id = result.item_id();
        if !seen.insert(id) {
            out.push(
                Finding::new(
                    Code::DuplicateResult,
                    result.item.span,
                    format!("a second result for {id}: only the first is checked"),
                )
                .item(id)
                .help("keep one result per item"),
            );
            continue;
        }
        match ctx.checklist.item(id) {
            Some(item) => firsts.push((item, result)),
            None if ctx.catalog.earlier_has(ctx.checklist, id) => out.push(
                Finding::new(
                    Code::RetiredItem,
                    result.item.span,
                    format!(
                        "{id} was retired: it is not an item of {} (an earlier version had it)",
                        ctx.checklist.label()
                    ),
                )
                .item(id)
                .help("remove the result, or see what replaced it with `sds diff`"),
            ),
            None => {
                let near = nearest(ctx, id);
                let mut f = Finding::new(
                    Code::UnknownItem,
                    result.item.span,
                    if near.is_empty() {
                        format!("{id} is not an item of {}", ctx.checklist.label())
                    } else {
                        format!(
                            "{id} is not an item of {}; did you mean {}?",
                            ctx.checklist.label(),
                            near.join(" or ")
                        )
                    },
                )
                .item(id);
                if !near.is_empty() {
                    f = f.help(format!("nearest valid ids: {}", near.join(", ")));
                }
                out.push(f);
            }
        }
    }
    firsts
}

/// Up to three ids closest to `id` (see [`crate::text::nearest`]).
fn nearest(ctx: &Context<'_>, id: &str) -> Vec<String> {
    let ids: Vec<&str> = ctx.checklist.items.iter().map(|i| i.id.as_str()).collect();
    crate::text::nearest(id, &ids, 3)
        .into_iter()
        .map(ToOwned::to_owned)
        .collect()
}
