//! Freshness and retest: SDS050, SDS051, SDS052.

use super::Context;
use crate::checklist::Item;
use crate::codes::Code;
use crate::finding::Finding;
use crate::report::{ResultEntry, Status};

/// SDS052 for every status; SDS050 and SDS051 for `pass`.
pub fn check(ctx: &Context<'_>, item: &Item, result: &ResultEntry<'_>, out: &mut Vec<Finding>) {
    if let Some(t) = result.tested_on
        && t.date > ctx.report.issued.date
    {
        out.push(
            Finding::new(
                Code::FutureDate,
                t.span,
                format!(
                    "{} was tested on {}, after the report was issued ({})",
                    item.id, t.date, ctx.report.issued.date
                ),
            )
            .item(&item.id),
        );
    }
    if result.status != Status::Pass {
        return;
    }
    if let Some(days) = item.validity_days {
        match result.tested_on {
            Some(t) => {
                let age = (ctx.as_of - t.date).num_days();
                if age > i64::from(days) {
                    out.push(
                        Finding::new(
                            Code::StaleResult,
                            t.span,
                            format!(
                                "{} was tested {age} days before {}; results are valid for {days} days",
                                item.id, ctx.as_of
                            ),
                        )
                        .item(&item.id)
                        .help("re-test and record the new date"),
                    );
                }
            }
            None => out.push(
                Finding::new(
                    Code::StaleResult,
                    result.item.span,
                    format!(
                        "{} records no tested_on date; results are valid for {days} days",
                        item.id
                    ),
                )
                .item(&item.id)
                .help("add `tested_on: YYYY-MM-DD`"),
            ),
        }
    }
    if let Some(level) = item.retest_on {
        let vehicle = ctx.report.vehicle_software.as_str().unwrap_or_default();
        let why = match result.software {
            None => Some((
                "no software version is recorded".to_owned(),
                result.item.span,
            )),
            Some(node) => {
                let tested = node.as_str().unwrap_or_default();
                match (components(tested), components(vehicle)) {
                    (Some(t), Some(v)) => {
                        let n = level.components();
                        (t[..n] < v[..n]).then(|| {
                            (
                                format!(
                                    "it was tested on software {tested}, the vehicle runs {vehicle}"
                                ),
                                node.span,
                            )
                        })
                    }
                    _ => Some((
                        format!("software {tested:?} cannot be compared with {vehicle:?}"),
                        node.span,
                    )),
                }
            }
        };
        if let Some((why, span)) = why {
            out.push(
                Finding::new(
                    Code::RetestRequired,
                    span,
                    format!(
                        "{} must be re-tested on a {} software change: {why}",
                        item.id,
                        level.as_str()
                    ),
                )
                .item(&item.id)
                .help("re-test on the current software and record its version in the result"),
            );
        }
    }
}

/// `4.2.1` -> [4, 2, 1]; missing components are 0 (`4.2` is `4.2.0`); a
/// pre-release or build suffix is ignored.
fn components(v: &str) -> Option<[u64; 3]> {
    let core = v.trim().trim_start_matches(['v', 'V']);
    let core = core.split(['-', '+', ' ']).next()?;
    let mut out = [0u64; 3];
    let mut parts = core.split('.');
    for slot in &mut out {
        match parts.next() {
            Some(p) => *slot = p.parse().ok()?,
            None => break,
        }
    }
    if parts.next().is_some_and(|p| p.parse::<u64>().is_err()) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn versions_compare_by_component() {
        assert_eq!(components("4.2.1"), Some([4, 2, 1]));
        assert_eq!(components("4.2"), Some([4, 2, 0]));
        assert_eq!(components("v10.0.3-rc1"), Some([10, 0, 3]));
        assert_eq!(components("4.2.1.7"), Some([4, 2, 1]));
        assert_eq!(components("four"), None);
        assert!(components("4.10.0").unwrap() > components("4.9.9").unwrap());
    }
}
