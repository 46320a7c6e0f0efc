//! The loaded checklists, and which one a report means.

use semver::{Version, VersionReq};

use super::Checklist;

/// Every loaded checklist version, sorted by id then version.
#[derive(Debug, Default)]
pub struct Catalog {
    checklists: Vec<Checklist>,
}

/// Why a report's checklist could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    /// No checklist with this id is loaded.
    UnknownId {
        /// The ids that are loaded.
        loaded: Vec<String>,
    },
    /// The id is loaded but no version satisfies the version or requirement.
    NoVersion {
        /// The versions loaded for the id.
        loaded: Vec<String>,
    },
    /// The version text is neither a version nor a requirement.
    BadVersion(String),
}

impl Catalog {
    /// A catalog of these checklists.
    #[must_use]
    pub fn new(mut checklists: Vec<Checklist>) -> Self {
        checklists.sort_by(|a, b| (&a.id, &a.version).cmp(&(&b.id, &b.version)));
        Catalog { checklists }
    }

    /// All checklists, sorted by id then version.
    #[must_use]
    pub fn all(&self) -> &[Checklist] {
        &self.checklists
    }

    /// Whether nothing is loaded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.checklists.is_empty()
    }

    /// The checklist a report names: an exact version means exactly that
    /// version (unlike Cargo, where `1.0.0` would mean `^1.0.0`: a
    /// certification report names what it was tested against); a requirement
    /// resolves to the highest loaded version that matches.
    ///
    /// # Errors
    /// When the id is unknown, no version matches, or the version text is invalid.
    pub fn resolve(&self, id: &str, version: &str) -> Result<&Checklist, ResolveError> {
        let same_id: Vec<&Checklist> = self.checklists.iter().filter(|c| c.id == id).collect();
        if same_id.is_empty() {
            let mut loaded: Vec<String> = self.checklists.iter().map(|c| c.id.clone()).collect();
            loaded.dedup();
            return Err(ResolveError::UnknownId { loaded });
        }
        let text = version.trim();
        let found = if let Ok(exact) = Version::parse(text) {
            same_id.iter().rev().find(|c| c.version == exact)
        } else {
            let req =
                VersionReq::parse(text).map_err(|e| ResolveError::BadVersion(e.to_string()))?;
            same_id.iter().rev().find(|c| req.matches(&c.version))
        };
        found.copied().ok_or_else(|| ResolveError::NoVersion {
            loaded: same_id.iter().map(|c| c.version.to_string()).collect(),
        })
    }

    /// A checklist by `id` and exact version.
    #[must_use]
    pub fn get(&self, id: &str, version: &Version) -> Option<&Checklist> {
        self.checklists
            .iter()
            .find(|c| c.id == id && &c.version == version)
    }

    /// Whether a version of the same checklist older than `checklist` has the item.
    #[must_use]
    pub fn earlier_has(&self, checklist: &Checklist, item: &str) -> bool {
        self.checklists.iter().any(|c| {
            c.id == checklist.id && c.version < checklist.version && c.item(item).is_some()
        })
    }
}
