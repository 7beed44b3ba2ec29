//! The workspace index: a summary of each object in the open documents and in the YAML files
//! under the workspace root, for completion of names, cross-file go to definition, and the
//! checks across files (`service-selector-no-match`).
//!
//! Files on disk are read once, in the background, when the server starts, and again when a
//! document is closed; an open document hides its file on disk. The summaries of an open
//! document come from its chunk cache after each check, so an edit never reads the disk.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use lsp_types::{Location, Range, Uri};
use ropey::Rope;

use crate::core::analysis::workspace_diagnostics;
use crate::core::diagnostic::Diagnostic;
use crate::core::text::PositionEncoding;
use crate::core::workspace::{ObjectSummary, summarize};
use crate::lsp::convert::{self, Positions};
use crate::lsp::diagnostics::FastHasher;
use crate::lsp::settings::Config;

/// Files larger than this are not read from disk.
const MAX_FILE_SIZE: u64 = 1024 * 1024;
/// At most this many files are read from disk, so that a root such as a home folder does not
/// keep the server busy.
const MAX_FILES: usize = 10_000;

/// The index, shared by the main loop and the workers.
#[derive(Default)]
pub(crate) struct Workspace {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Files read from disk.
    disk: HashMap<FileKey, FileObjects>,
    /// Open documents; each hides the file on disk with the same key.
    open: HashMap<FileKey, OpenFile>,
    /// Counts the changes of what the workspace checks read: not an edit that only moves
    /// objects, such as typing in an image name.
    generation: u64,
    /// The last workspace check, reused while the generation and the settings stay the same.
    last: Option<Checked>,
}

/// The result of a workspace check: for each open document, its diagnostics, each with the
/// index of the object (a Service) it is about, so that it can follow that object's range.
struct Checked {
    generation: u64,
    config: u64,
    by_file: HashMap<FileKey, Vec<(usize, Diagnostic)>>,
}

/// A file's identity: the path of a `file:` URI (clients spell URIs differently), else the URI.
type FileKey = String;

/// The objects of one file, and what turns their ranges into positions.
#[derive(Clone)]
pub(crate) struct FileObjects {
    pub(crate) uri: Uri,
    pub(crate) objects: Arc<Vec<ObjectSummary>>,
    lines: Lines,
}

#[derive(Clone)]
enum Lines {
    /// The text of an open document at the version the objects come from.
    Rope(Rope, PositionEncoding),
    /// The range of each object's name in a file read from disk, converted when it was read.
    Names(Arc<Vec<Range>>),
}

struct OpenFile {
    /// Tells this opening of the document from earlier ones of the same file.
    session: u64,
    /// The objects, from the check of `version`.
    file: FileObjects,
    version: Option<i32>,
    /// What the workspace checks read of `file`.
    fingerprint: u64,
    /// The workspace diagnostics last published with the document, and its version then.
    published: Option<(i32, Vec<Diagnostic>)>,
}

impl FileObjects {
    /// The objects of an open document at one version (its rope).
    pub(crate) fn open(
        uri: Uri,
        objects: Vec<ObjectSummary>,
        rope: Rope,
        encoding: PositionEncoding,
    ) -> Self {
        Self {
            uri,
            objects: Arc::new(objects),
            lines: Lines::Rope(rope, encoding),
        }
    }

    /// Where the name of object `index` is.
    pub(crate) fn name_location(&self, index: usize) -> Option<Location> {
        let range = match &self.lines {
            Lines::Rope(rope, encoding) => Positions {
                rope,
                encoding: *encoding,
            }
            .range(self.objects.get(index)?.name_range),
            Lines::Names(names) => *names.get(index)?,
        };
        Some(Location::new(self.uri.clone(), range))
    }
}

impl Workspace {
    /// Registers an open document, which hides its file on disk; its objects come with its
    /// first check.
    pub(crate) fn open(&self, uri: &Uri, session: u64, rope: Rope, encoding: PositionEncoding) {
        let file = FileObjects::open(uri.clone(), Vec::new(), rope, encoding);
        let mut inner = self.lock();
        inner.generation += 1;
        inner.open.insert(
            key(uri),
            OpenFile {
                session,
                fingerprint: fingerprint(&file.objects),
                file,
                version: None,
                published: None,
            },
        );
    }

    /// Forgets an open document; its file on disk, if any, counts again once re-read.
    pub(crate) fn close(&self, uri: &Uri) {
        let mut inner = self.lock();
        inner.generation += 1;
        inner.open.remove(&key(uri));
    }

    /// Adds (or, with no objects, removes) files read from disk.
    pub(crate) fn set_disk(&self, files: Vec<FileObjects>, removed: &[Uri]) {
        let mut inner = self.lock();
        inner.generation += 1;
        for uri in removed {
            inner.disk.remove(&key(uri));
        }
        for file in files {
            inner.disk.insert(key(&file.uri), file);
        }
    }

    /// Records the objects of an open document at `version`, and returns its workspace
    /// diagnostics (recorded as published) and the other open documents whose workspace
    /// diagnostics have changed since they were published. A document closed (or opened
    /// again) meanwhile, or already recorded at a later version by a check that overtook this
    /// one, gets nothing.
    pub(crate) fn update(
        &self,
        (session, version): (u64, i32),
        file: FileObjects,
        config: &Config,
    ) -> (Vec<Diagnostic>, Vec<Uri>) {
        let mut inner = self.lock();
        let me = key(&file.uri);
        let Some(entry) = inner
            .open
            .get_mut(&me)
            .filter(|it| it.session == session && it.version.is_none_or(|at| at <= version))
        else {
            return (Vec::new(), Vec::new());
        };
        entry.version = Some(version);
        let new = fingerprint(&file.objects);
        let changed = new != entry.fingerprint;
        entry.fingerprint = new;
        entry.file = file;
        if changed {
            inner.generation += 1;
        }
        let mut fresh = inner.diagnostics(config);
        let mine = fresh.remove(&me).unwrap_or_default();
        if let Some(entry) = inner.open.get_mut(&me) {
            entry.published = Some((version, mine.clone()));
        }
        fresh.insert(me, mine.clone());
        (mine, inner.stale(fresh))
    }

    /// The open documents whose workspace diagnostics differ from the ones last published.
    pub(crate) fn stale(&self, config: &Config) -> Vec<Uri> {
        let mut inner = self.lock();
        let fresh = inner.diagnostics(config);
        inner.stale(fresh)
    }

    /// The workspace diagnostics an open document would get with `objects`, recording nothing.
    pub(crate) fn peek(&self, file: FileObjects, config: &Config) -> Vec<Diagnostic> {
        let mut inner = self.lock();
        let me = key(&file.uri);
        let Some(entry) = inner.open.get_mut(&me) else {
            return Vec::new();
        };
        let old = std::mem::replace(&mut entry.file, file);
        let checked = inner.check(config);
        let mine = inner.place(&checked).remove(&me).unwrap_or_default();
        if let Some(entry) = inner.open.get_mut(&me) {
            entry.file = old;
        }
        mine
    }

    /// The workspace diagnostics published with a document at `version`.
    pub(crate) fn published(&self, uri: &Uri, version: i32) -> Vec<Diagnostic> {
        match self.lock().open.get(&key(uri)).map(|it| &it.published) {
            Some(Some((at, diagnostics))) if *at == version => diagnostics.clone(),
            _ => Vec::new(),
        }
    }

    /// Every file with objects, open documents in place of their files on disk, and the one
    /// being asked about (`except`) left out.
    pub(crate) fn files(&self, except: Option<&Uri>) -> Vec<FileObjects> {
        let inner = self.lock();
        let except = except.map(key);
        inner
            .files()
            .filter(|(key, _)| except.as_ref() != Some(*key))
            .map(|(_, file)| file.clone())
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Inner {
    fn files(&self) -> impl Iterator<Item = (&FileKey, &FileObjects)> {
        let open = self.open.iter().map(|(key, it)| (key, &it.file));
        let disk = self
            .disk
            .iter()
            .filter(|(key, _)| !self.open.contains_key(*key));
        open.chain(disk).filter(|(_, it)| !it.objects.is_empty())
    }

    /// The workspace diagnostics of each open document, from the last check when nothing it
    /// read has changed since.
    fn diagnostics(&mut self, config: &Config) -> HashMap<FileKey, Vec<Diagnostic>> {
        let reusable = self
            .last
            .as_ref()
            .is_some_and(|it| it.generation == self.generation && it.config == config.id);
        if !reusable {
            self.last = Some(self.check(config));
        }
        match &self.last {
            Some(checked) => self.place(checked),
            None => HashMap::new(),
        }
    }

    /// Runs the workspace checks.
    fn check(&self, config: &Config) -> Checked {
        let (keys, lists): (Vec<&FileKey>, Vec<&[ObjectSummary]>) = self
            .files()
            .map(|(key, file)| (key, file.objects.as_slice()))
            .unzip();
        let mut by_file = HashMap::new();
        for ((key, objects), diagnostics) in keys
            .into_iter()
            .zip(&lists)
            .zip(workspace_diagnostics(&lists, &config.settings))
        {
            if !self.open.contains_key(key) {
                continue;
            }
            let about = diagnostics
                .into_iter()
                .map(|diagnostic| {
                    let index = objects
                        .iter()
                        .position(|it| it.selector_range == Some(diagnostic.range))
                        .filter(|_| diagnostic.related.is_empty() && diagnostic.fix.is_none())
                        // Never placed: the check below fails for it.
                        .unwrap_or(usize::MAX);
                    (index, diagnostic)
                })
                .collect();
            by_file.insert(key.clone(), about);
        }
        Checked {
            generation: self.generation,
            config: config.id,
            by_file,
        }
    }

    /// The diagnostics of a check, each at the current range of the object it is about.
    fn place(&self, checked: &Checked) -> HashMap<FileKey, Vec<Diagnostic>> {
        let mut res = HashMap::new();
        for (key, about) in &checked.by_file {
            let Some(entry) = self.open.get(key) else {
                continue;
            };
            let placed = about
                .iter()
                .filter_map(|(index, diagnostic)| {
                    let range = entry.file.objects.get(*index)?.selector_range?;
                    let mut diagnostic = diagnostic.clone();
                    diagnostic.range = range;
                    Some(diagnostic)
                })
                .collect();
            res.insert(key.clone(), placed);
        }
        res
    }

    fn stale(&self, mut fresh: HashMap<FileKey, Vec<Diagnostic>>) -> Vec<Uri> {
        self.open
            .iter()
            .filter(|(key, entry)| {
                let now = fresh.remove(*key).unwrap_or_default();
                entry
                    .published
                    .as_ref()
                    .is_some_and(|(_, published)| *published != now)
            })
            .map(|(_, entry)| entry.file.uri.clone())
            .collect()
    }
}

/// A hash of what the workspace checks read of a file's objects: everything but the ranges.
fn fingerprint(objects: &[ObjectSummary]) -> u64 {
    let mut hasher = FastHasher::default();
    objects.len().hash(&mut hasher);
    for object in objects {
        object.api_version.hash(&mut hasher);
        object.kind.hash(&mut hasher);
        object.name.hash(&mut hasher);
        object.namespace.hash(&mut hasher);
        object.selector_range.is_some().hash(&mut hasher);
        for labels in [&object.pod_labels, &object.service_selector] {
            labels.is_some().hash(&mut hasher);
            for label in labels.iter().flatten() {
                label.key.hash(&mut hasher);
                label.value.hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}

fn key(uri: &Uri) -> FileKey {
    convert::file_path(uri).map_or_else(
        || uri.as_str().to_owned(),
        |it| it.to_string_lossy().into_owned(),
    )
}

/// What reading the workspace found.
#[derive(Default)]
pub(crate) struct Scan {
    /// The files that define objects.
    pub(crate) files: Vec<FileObjects>,
    /// The files whose checking failed (an internal error, already logged); the others are
    /// indexed all the same.
    pub(crate) failed: Vec<PathBuf>,
}

/// Reads and summarises the YAML files under `root` (`.gitignore` and the `exclude` globs
/// honoured, files over 1 MB skipped). Each file is summarised under `catch_unwind`: a file
/// that makes the core panic is left out and listed in `failed`, the rest are indexed.
pub(crate) fn scan(root: &Path, config: &Config, encoding: PositionEncoding) -> Scan {
    let mut walk = ignore::WalkBuilder::new(root);
    // Honour .gitignore whether or not the folder is a git checkout.
    walk.require_git(false);
    let mut res = Scan::default();
    let mut seen = 0;
    for entry in walk.build() {
        let entry = match entry {
            Ok(it) => it,
            Err(error) => {
                tracing::debug!(%error, "reading the workspace");
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_some_and(|it| it.is_file()) || !is_yaml(path) {
            continue;
        }
        seen += 1;
        if seen > MAX_FILES {
            tracing::warn!(
                root = %root.display(),
                "the workspace has more than {MAX_FILES} YAML files; the rest are not indexed"
            );
            break;
        }
        if config.is_excluded_path(path) {
            continue;
        }
        match try_read_file(path, encoding) {
            Ok(file) => res.files.extend(file),
            Err(()) => res.failed.push(path.to_owned()),
        }
    }
    res
}

/// Reads and summarises one file, if it is a YAML file kls would index; a file whose checking
/// fails is logged and left out.
pub(crate) fn read_file(path: &Path, encoding: PositionEncoding) -> Option<FileObjects> {
    try_read_file(path, encoding).ok().flatten()
}

/// [`read_file`], with `Err` when summarising the file panicked (the panic is logged).
fn try_read_file(path: &Path, encoding: PositionEncoding) -> Result<Option<FileObjects>, ()> {
    catch_unwind(AssertUnwindSafe(|| read_file_unguarded(path, encoding))).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|it| (*it).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(path = %path.display(), panic = message, "indexing a file");
    })
}

fn read_file_unguarded(path: &Path, encoding: PositionEncoding) -> Option<FileObjects> {
    if !is_yaml(path) {
        return None;
    }
    let size = std::fs::metadata(path).ok()?.len();
    if size > MAX_FILE_SIZE {
        tracing::debug!(path = %path.display(), size, "not indexed: too large");
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let objects = summarize(&text);
    if objects.is_empty() {
        return None;
    }
    let uri = convert::file_uri(path)?;
    let rope = Rope::from_str(&text);
    let positions = Positions {
        rope: &rope,
        encoding,
    };
    let names = objects
        .iter()
        .map(|it| positions.range(it.name_range))
        .collect();
    Some(FileObjects {
        uri,
        objects: Arc::new(objects),
        lines: Lines::Names(Arc::new(names)),
    })
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|it| it.to_str())
        .is_some_and(|it| it == "yaml" || it == "yml")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n";
    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: APP\n  template:\n    metadata:\n      labels:\n        app: APP\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";

    fn file(uri: &str, text: &str) -> FileObjects {
        let uri: Uri = uri.parse().unwrap();
        FileObjects::open(
            uri,
            summarize(text),
            Rope::from_str(text),
            PositionEncoding::Utf16,
        )
    }

    #[test]
    fn a_change_in_one_document_flags_the_others_to_publish_again() {
        let settings = crate::lsp::settings::Sources::new(None, None).resolve().0;
        let workspace = Workspace::default();
        let service = file("file:///w/service.yaml", SERVICE);
        let deployment = file("file:///w/deploy.yaml", &DEPLOYMENT.replace("APP", "api"));
        for it in [&service, &deployment] {
            workspace.open(&it.uri, 0, Rope::new(), PositionEncoding::Utf16);
        }
        let (mine, stale) = workspace.update((0, 1), service.clone(), &settings);
        assert!(mine.is_empty(), "no workload yet: {mine:?}");
        assert!(stale.is_empty());
        // A file that warns about itself is not stale after its own update.
        let alone = Workspace::default();
        let both = file(
            "file:///w/both.yaml",
            &format!("{SERVICE}---\n{}", DEPLOYMENT.replace("APP", "db")),
        );
        alone.open(&both.uri, 0, Rope::new(), PositionEncoding::Utf16);
        let (mine, stale) = alone.update((0, 1), both.clone(), &settings);
        assert_eq!(mine.len(), 1);
        assert!(stale.is_empty(), "{stale:?}");
        assert!(alone.stale(&settings).is_empty());
        // A workload with other labels: the Service selects nothing, and must be published again.
        let (mine, stale) = workspace.update((0, 1), deployment.clone(), &settings);
        assert!(mine.is_empty());
        assert_eq!(stale, vec![service.uri.clone()]);
        let (mine, _) = workspace.update((0, 1), service.clone(), &settings);
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].code, "service-selector-no-match");
        assert_eq!(workspace.published(&service.uri, 1), mine);
        // An edit that only moves the Service: the warning follows it.
        let moved = file("file:///w/service.yaml", &format!("# web\n{SERVICE}"));
        let (moved_warning, stale) = workspace.update((0, 2), moved, &settings);
        assert!(stale.is_empty());
        assert_eq!(moved_warning.len(), 1);
        assert_eq!(moved_warning[0].range.start, mine[0].range.start + 6);
        assert_eq!(moved_warning[0].message, mine[0].message);
        // A check of an older version that finishes late changes nothing.
        assert_eq!(
            workspace.update((0, 1), service.clone(), &settings),
            (Vec::new(), Vec::new())
        );
        assert_eq!(workspace.published(&service.uri, 2), moved_warning);
        // The matching workload on disk is hidden by the open document…
        let on_disk = file("file:///w/deploy.yaml", &DEPLOYMENT.replace("APP", "web"));
        workspace.set_disk(vec![on_disk.clone()], &[]);
        assert!(workspace.stale(&settings).is_empty());
        // …until it is closed.
        workspace.close(&deployment.uri);
        assert_eq!(workspace.stale(&settings), vec![service.uri.clone()]);
        let (mine, _) = workspace.update((0, 3), service.clone(), &settings);
        assert!(mine.is_empty(), "{mine:?}");
        // Files for a request leave out the asking document.
        let files = workspace.files(Some(&service.uri));
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].objects, on_disk.objects);
    }
}
