//! What the filters and the grids of a page refer to by index.

use crate::checklist::Checklist;
use crate::engine::Run;
use crate::outcome::Outcome;

/// The checklist versions (for the per-item tooltips, written once each) and
/// the domains, numbered in the order reports first name them. Gathered
/// report by report, so a page can be written after its reports were
/// rendered one at a time.
#[derive(Default)]
pub(super) struct Page {
    checklists: Vec<(String, semver::Version)>,
    pub(super) domains: Vec<String>,
}

impl Page {
    /// Numbers the checklist of a report, and its domains, if new.
    pub(super) fn add(&mut self, run: &Run, o: &Outcome) {
        if let Some(c) = run.checklist_of(o)
            && self.checklist_index(c).is_none()
        {
            for item in &c.items {
                if !self.domains.contains(&item.domain) {
                    self.domains.push(item.domain.clone());
                }
            }
            self.checklists.push((c.id.clone(), c.version.clone()));
        }
    }

    /// The numbered checklists, with their number.
    pub(super) fn checklists<'r>(
        &self,
        run: &'r Run,
    ) -> impl Iterator<Item = (usize, &'r Checklist)> {
        self.checklists
            .iter()
            .enumerate()
            .filter_map(move |(v, (id, version))| {
                Some((v, run.catalog.as_ref()?.get(id, version)?))
            })
    }

    pub(super) fn checklist_index(&self, c: &Checklist) -> Option<usize> {
        self.checklists
            .iter()
            .position(|(id, version)| *id == c.id && *version == c.version)
    }

    pub(super) fn domain_index(&self, d: &str) -> Option<usize> {
        self.domains.iter().position(|x| x == d)
    }
}

pub(super) fn code_index(c: crate::Code) -> usize {
    crate::codes::ALL.iter().position(|k| *k == c).unwrap_or(0)
}
