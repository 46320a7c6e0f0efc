//! A dataset read once, shared across reports and threads, with each
//! filtered channel computed once per class.

use std::collections::HashMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{DataError, DeriveSpec, Derived, evaluate, isomme};
use crate::load::Limits;

/// A filtered channel's samples, shared.
type Samples = Arc<Vec<f64>>;

/// Values by key, each computed once however many threads ask for it: the
/// first caller computes it outside the map's lock (so other keys go on in
/// parallel), the others wait for its answer.
#[derive(Debug)]
struct Memo<K, V> {
    map: Mutex<HashMap<K, Arc<OnceLock<V>>>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    fn get_or_init(&self, key: K, compute: impl FnOnce() -> V) -> V {
        let cell = {
            // A poisoned lock only means another thread panicked mid-insert; the map is intact.
            let mut map = self
                .map
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Arc::clone(map.entry(key).or_default())
        };
        cell.get_or_init(compute).clone()
    }
}

/// A dataset read once and shared (cloning is a reference count).
#[derive(Debug, Clone)]
pub struct Dataset {
    pub(super) raw: Arc<isomme::Raw>,
    /// Channels already filtered, by (channel index, CFC): HIC15, HIC36 and
    /// a3ms all read the same three head channels at CFC 1000.
    filtered: Arc<Memo<(usize, u32), Samples>>,
    /// Values already derived, by position and spec: the run's parallel
    /// prefetch derives them, the checks read them (in report order).
    derived: Arc<Memo<String, Result<Derived, DataError>>>,
}

impl Dataset {
    /// Reads a dataset: a folder holding one `.mme`, a `.mme` file, or a zip.
    ///
    /// # Errors
    /// The container cannot be read, holds no dataset, or breaks a limit.
    pub fn open(path: &Path, limits: &Limits) -> Result<Dataset, DataError> {
        Ok(Dataset {
            raw: Arc::new(isomme::read(path, limits)?),
            filtered: Arc::default(),
            derived: Arc::default(),
        })
    }

    /// Reads a dataset from the bytes of a zip archive (`name` is for messages).
    ///
    /// # Errors
    /// As [`Dataset::open`].
    pub fn from_zip_bytes(
        name: &str,
        bytes: Vec<u8>,
        limits: &Limits,
    ) -> Result<Dataset, DataError> {
        Ok(Dataset {
            raw: Arc::new(isomme::read_zip(name, bytes, limits)?),
            filtered: Arc::default(),
            derived: Arc::default(),
        })
    }

    /// Whether both are the one dataset read once (a cache hit).
    #[must_use]
    pub fn same_as(&self, other: &Dataset) -> bool {
        Arc::ptr_eq(&self.raw, &other.raw)
    }

    /// The test name (the `.mme` stem).
    #[must_use]
    pub fn test(&self) -> &str {
        &self.raw.test
    }

    /// [`derive`](super::derive) of `spec` at `position`, computed once per
    /// dataset (the same answer, value or error, however often it is asked).
    ///
    /// # Errors
    /// As [`derive`](super::derive).
    pub fn derive(&self, spec: &DeriveSpec, position: &str) -> Result<Derived, DataError> {
        // `Debug` prints every field, floats exactly: equal keys, equal specs.
        let key = format!("{position}\u{0}{spec:?}");
        self.derived
            .get_or_init(key, || evaluate::derive(self, spec, position))
    }

    /// The channel codes, in `.chn` order.
    pub fn channel_codes(&self) -> impl Iterator<Item = &str> {
        self.raw.channels.iter().map(|c| c.code.as_str())
    }
}

/// Datasets by canonical path, each read at most once per run however many
/// reports and threads ask for it (a failure is remembered too).
#[derive(Debug, Default)]
pub struct DatasetCache {
    map: Memo<PathBuf, Result<Dataset, DataError>>,
}

impl DatasetCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The dataset at `path`, read on first use.
    ///
    /// # Errors
    /// As [`Dataset::open`].
    pub fn get(&self, path: &Path, limits: &Limits) -> Result<Dataset, DataError> {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        // Other datasets load in parallel, while this one's readers wait for
        // the first to finish.
        self.map.get_or_init(key, || Dataset::open(path, limits))
    }
}

/// A filtered channel, computed once per dataset and class.
pub(super) fn filtered(
    data: &Dataset,
    index: usize,
    cfc: u32,
    compute: impl FnOnce() -> Vec<f64>,
) -> Vec<f64> {
    data.filtered
        .get_or_init((index, cfc), || Arc::new(compute()))
        .to_vec()
}
