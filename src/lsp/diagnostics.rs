//! Incremental checking: each `---` document's report is cached under its text, so an edit
//! re-checks only the documents whose text changed. Cached reports have ranges relative to their
//! document; they are moved to the document's current place when the file's diagnostics are put
//! together.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::core::analysis::{ChunkReport, FileKind, check_document};
#[cfg(test)]
use crate::core::diagnostic::Diagnostic;
use crate::core::schema::SchemaStore;
use crate::core::settings::Settings;
use crate::core::text::TextRange;

/// Reports of one file's documents, by document text. Valid for one set of settings: a
/// configuration change starts a new cache.
#[derive(Default)]
pub(crate) struct ChunkCache {
    reports: HashMap<Arc<str>, Cached, BuildHasherDefault<FastHasher>>,
    /// Counts the checks, to tell which entries the latest one used.
    stamp: u64,
    /// How the cached reports were checked; a change of kind starts over.
    kind: FileKind,
}

struct Cached {
    report: Arc<ChunkReport>,
    last_used: u64,
}

/// What kls found in a whole file: ranges in bytes of its text, the workspace checks not
/// included.
pub(crate) type FileReport = crate::core::analysis::FileAnalysis;

/// The diagnostics of a whole file (ranges in bytes of `text`), in order of position.
///
/// `chunks` is `split_documents(text)`. A file where no document is a Kubernetes object gets no
/// diagnostics, so that kls can run beside a general YAML server.
#[cfg(test)]
pub(crate) fn file_diagnostics(
    text: &str,
    chunks: &[TextRange],
    cache: &Mutex<ChunkCache>,
    schemas: &SchemaStore,
    settings: &Settings,
) -> Vec<Diagnostic> {
    file_report(text, FileKind::Manifests, chunks, cache, schemas, settings).diagnostics
}

/// The diagnostics and objects of a whole file; see [`file_diagnostics`].
pub(crate) fn file_report(
    text: &str,
    kind: FileKind,
    chunks: &[TextRange],
    cache: &Mutex<ChunkCache>,
    schemas: &SchemaStore,
    settings: &Settings,
) -> FileReport {
    let reports = chunk_reports((text, kind), chunks, cache, schemas, settings, true);
    let mut res = crate::core::analysis::combine(chunks, &reports);
    res.diagnostics
        .sort_by_key(|it| (it.range.start, it.range.end));
    res
}

/// The report of one document (`chunk` of `text`), from the cache when it is there. Its ranges
/// are relative to the document.
pub(crate) fn chunk_report(
    text: &str,
    kind: FileKind,
    chunk: TextRange,
    cache: &Mutex<ChunkCache>,
    schemas: &SchemaStore,
    settings: &Settings,
) -> Arc<ChunkReport> {
    chunk_reports((text, kind), &[chunk], cache, schemas, settings, false)
        .pop()
        .unwrap_or_default()
}

/// The reports of `chunks`, checking those not in the cache (in parallel) and caching them.
/// `whole_file` says whether `chunks` are all the documents of the file.
fn chunk_reports(
    (text, kind): (&str, FileKind),
    chunks: &[TextRange],
    cache: &Mutex<ChunkCache>,
    schemas: &SchemaStore,
    settings: &Settings,
    whole_file: bool,
) -> Vec<Arc<ChunkReport>> {
    let mut reports: Vec<Option<Arc<ChunkReport>>> = vec![None; chunks.len()];
    let mut misses = Vec::new();
    let stamp = {
        let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.kind != kind {
            cache.reports.clear();
            cache.kind = kind;
        }
        cache.stamp += 1;
        let stamp = cache.stamp;
        for (i, chunk) in chunks.iter().enumerate() {
            match cache.reports.get_mut(&text[chunk.to_usize()]) {
                Some(cached) => {
                    cached.last_used = stamp;
                    reports[i] = Some(cached.report.clone());
                }
                None => misses.push(i),
            }
        }
        stamp
    };
    tracing::debug!(
        documents = chunks.len(),
        to_check = misses.len(),
        "checking"
    );
    let checked: Vec<(usize, Arc<ChunkReport>)> = misses
        .par_iter()
        .map(|&i| {
            let report = check_document(&text[chunks[i].to_usize()], kind, schemas, settings);
            (i, Arc::new(report))
        })
        .collect();
    if !checked.is_empty() {
        let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
        for (i, report) in &checked {
            let cached = Cached {
                report: report.clone(),
                last_used: stamp,
            };
            cache
                .reports
                .insert(Arc::from(&text[chunks[*i].to_usize()]), cached);
        }
        // Forget documents that are no longer in the file, now and then rather than at every
        // check, so that undo finds them again. A lookup of one document (hover) does not
        // count: it would forget the rest of the file.
        if whole_file && cache.reports.len() > 2 * chunks.len() + 64 {
            cache.reports.retain(|_, it| it.last_used == stamp);
        }
    }
    for (i, report) in checked {
        reports[i] = Some(report);
    }
    reports.into_iter().flatten().collect()
}

/// A fast, non-cryptographic hasher for the cache keys: every check hashes the whole file, and
/// SipHash would be the slowest step of an edit in a large file.
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut buf = [0; 8];
            buf.copy_from_slice(word);
            self.add(u64::from_le_bytes(buf));
        }
        let mut buf = [0; 8];
        let rest = words.remainder();
        buf[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(buf) ^ ((rest.len() as u64) << 56));
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::yaml::split_documents;

    const BROKEN: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      imagePullPolicyy: Always\n";
    const FINE: &str =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n";

    fn check(text: &str, cache: &Mutex<ChunkCache>, schemas: &SchemaStore) -> Vec<Diagnostic> {
        file_diagnostics(
            text,
            &split_documents(text),
            cache,
            schemas,
            &Settings::default(),
        )
    }

    #[test]
    fn cached_reports_move_with_their_document() {
        let schemas = SchemaStore::bundled();
        let cache = Mutex::new(ChunkCache::default());
        let text = format!("{FINE}---\n{BROKEN}");
        let first = check(&text, &cache, &schemas);
        let unknown = |diagnostics: &[Diagnostic], text: &str| {
            let it = diagnostics
                .iter()
                .find(|it| it.code == "unknown-field")
                .expect("unknown-field");
            &text[it.range.to_usize()] == "imagePullPolicyy"
        };
        assert!(unknown(&first, &text));
        // Grow the first document: the second one's cached report must move down.
        let grown = format!("{FINE}  c: d\n---\n{BROKEN}");
        let second = check(&grown, &cache, &schemas);
        assert!(unknown(&second, &grown));
        assert_eq!(cache.lock().unwrap().reports.len(), 3);
        // The same result as checking from scratch.
        let fresh = Mutex::new(ChunkCache::default());
        assert_eq!(second, check(&grown, &fresh, &schemas));
    }

    #[test]
    fn a_file_without_kubernetes_objects_gets_nothing() {
        let schemas = SchemaStore::bundled();
        let cache = Mutex::new(ChunkCache::default());
        assert!(check("name: ci\non: [push]\njobs: {\n", &cache, &schemas).is_empty());
    }
}
