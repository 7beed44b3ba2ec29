//! The workspace index: a summary of each object in the open documents and in the YAML files
//! under the workspace root, for completion of names, cross-file go to definition, and the
//! checks across files (`service-selector-no-match`).
//!
//! Files on disk are read once, in the background, when the server starts, and again when a
//! document under the root is closed; an open document hides its file on disk. The summaries
//! of an open document come from its chunk cache after each check, so an edit never reads the
//! disk.
//!
//! The main loop owns the index and alone changes it; workers read a frozen copy (cheap: the
//! files on disk are shared, and only the few open documents are copied).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lsp_types::{Location, Range, Uri};
use ropey::Rope;

use crate::core::analysis::{FileKind, workspace_diagnostics};
use crate::core::diagnostic::Diagnostic;
use crate::core::files;
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

/// How long the walk of the workspace may take: a root such as `/` must not keep a thread busy
/// reading the whole filesystem.
const MAX_WALK_TIME: Duration = Duration::from_secs(10);
/// How many entries (files and folders of any kind) the walk visits at most.
const MAX_WALK_ENTRIES: usize = 200_000;

/// The index. Cloning it is cheap: the files read from disk are shared.
#[derive(Clone, Default)]
pub(crate) struct Workspace {
    /// Files read from disk.
    disk: Arc<HashMap<FileKey, FileObjects>>,
    /// Open documents; each hides the file on disk with the same key.
    open: HashMap<FileKey, OpenFile>,
    /// Counts the changes of what the workspace checks read: not an edit that only moves
    /// objects, such as typing in an image name.
    generation: u64,
    /// The last workspace check, reused while the generation and the settings stay the same.
    last: Option<Arc<Checked>>,
    /// The Helm charts whose note has been shown.
    noted_charts: HashSet<PathBuf>,
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

#[derive(Clone)]
struct OpenFile {
    /// Tells this opening of the document from earlier ones of the same file.
    session: u64,
    /// The objects, from the check of `version`.
    file: FileObjects,
    version: Option<i32>,
    /// What the workspace checks read of `file`.
    fingerprint: u64,
    /// The workspace diagnostics last published with the document, and its version then.
    published: Option<(i32, Arc<Vec<Diagnostic>>)>,
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
    pub(crate) fn open(&mut self, uri: &Uri, session: u64, rope: Rope, encoding: PositionEncoding) {
        let file = FileObjects::open(uri.clone(), Vec::new(), rope, encoding);
        self.generation += 1;
        self.open.insert(
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
    pub(crate) fn close(&mut self, uri: &Uri) {
        self.generation += 1;
        self.open.remove(&key(uri));
    }

    /// Adds (or, with no objects, removes) files read from disk.
    pub(crate) fn set_disk(&mut self, files: Vec<FileObjects>, removed: &[Uri]) {
        self.generation += 1;
        let disk = Arc::make_mut(&mut self.disk);
        for uri in removed {
            disk.remove(&key(uri));
        }
        for file in files {
            disk.insert(key(&file.uri), file);
        }
    }

    /// Records the objects of an open document at `version`, and returns its workspace
    /// diagnostics (recorded as published) and the other open documents whose workspace
    /// diagnostics have changed since they were published. A document closed (or opened
    /// again) meanwhile, or already recorded at a later version, gets nothing.
    pub(crate) fn update(
        &mut self,
        (session, version): (u64, i32),
        file: FileObjects,
        config: &Config,
    ) -> (Vec<Diagnostic>, Vec<Uri>) {
        let me = key(&file.uri);
        let Some(entry) = self
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
            self.generation += 1;
        }
        let mut fresh = self.diagnostics(config);
        let mine = fresh.remove(&me).unwrap_or_default();
        if let Some(entry) = self.open.get_mut(&me) {
            entry.published = Some((version, Arc::new(mine.clone())));
        }
        fresh.insert(me, mine.clone());
        (mine, self.stale_in(fresh))
    }

    /// The open documents whose workspace diagnostics differ from the ones last published.
    pub(crate) fn stale(&mut self, config: &Config) -> Vec<Uri> {
        let fresh = self.diagnostics(config);
        self.stale_in(fresh)
    }

    /// The workspace diagnostics an open document would get with `objects`, recording nothing.
    pub(crate) fn peek(&self, file: FileObjects, config: &Config) -> Vec<Diagnostic> {
        let me = key(&file.uri);
        if !self.open.contains_key(&me) {
            return Vec::new();
        }
        let mut copy = self.clone();
        if let Some(entry) = copy.open.get_mut(&me) {
            entry.file = file;
        }
        let checked = copy.check(config);
        copy.place(&checked).remove(&me).unwrap_or_default()
    }

    /// The workspace diagnostics published with a document at `version`.
    pub(crate) fn published(&self, uri: &Uri, version: i32) -> Vec<Diagnostic> {
        match self.open.get(&key(uri)).map(|it| &it.published) {
            Some(Some((at, diagnostics))) if *at == version => diagnostics.to_vec(),
            _ => Vec::new(),
        }
    }

    /// Every file with objects, open documents in place of their files on disk, and the one
    /// being asked about (`except`) left out.
    pub(crate) fn files(&self, except: Option<&Uri>) -> Vec<FileObjects> {
        let except = except.map(key);
        self.all_files()
            .filter(|(key, _)| except.as_ref() != Some(*key))
            .map(|(_, file)| file.clone())
            .collect()
    }

    /// The note to show when a template of a Helm chart is opened: once per chart.
    pub(crate) fn chart_note(&mut self, uri: &Uri, config: &Config) -> Option<String> {
        let path = convert::file_path(uri).filter(|it| !config.is_excluded_path(it))?;
        let Role::ChartTemplate(chart) = role(&path, config.root()) else {
            return None;
        };
        if !self.noted_charts.insert(chart.clone()) {
            return None;
        }
        let shown = config
            .root()
            .and_then(|root| chart.strip_prefix(root).ok())
            .unwrap_or(&chart);
        Some(files::chart_note(&shown.display().to_string(), None))
    }

    fn all_files(&self) -> impl Iterator<Item = (&FileKey, &FileObjects)> {
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
            self.last = Some(Arc::new(self.check(config)));
        }
        match &self.last {
            Some(checked) => self.place(checked),
            None => HashMap::new(),
        }
    }

    /// Runs the workspace checks.
    fn check(&self, config: &Config) -> Checked {
        let (keys, lists): (Vec<&FileKey>, Vec<&[ObjectSummary]>) = self
            .all_files()
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

    fn stale_in(&self, mut fresh: HashMap<FileKey, Vec<Diagnostic>>) -> Vec<Uri> {
        self.open
            .iter()
            .filter(|(key, entry)| {
                let now = fresh.remove(*key).unwrap_or_default();
                entry
                    .published
                    .as_ref()
                    .is_some_and(|(_, published)| **published != now)
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
        object.runtime_labels.hash(&mut hasher);
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

/// What a file is to the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Checked, as manifests or as patches.
    Check(FileKind),
    /// Never holds objects (`Chart.yaml`, `values.yaml`, `kustomization.yaml`…).
    NotObjects,
    /// A template of the Helm chart in this folder.
    ChartTemplate(PathBuf),
}

/// What the file at `path` is, from its name, the `Chart.yaml` of the folders above it and
/// the nearest `kustomization.yaml` at or above it (not above `root`).
pub(crate) fn role(path: &Path, root: Option<&Path>) -> Role {
    if files::is_not_objects(path) {
        return Role::NotObjects;
    }
    if let Some(chart) = files::chart_candidates(path)
        .into_iter()
        .find(|dir| dir.join(files::CHART_FILE).is_file())
    {
        return Role::ChartTemplate(chart.to_path_buf());
    }
    for dir in path.ancestors().skip(1) {
        let found = files::KUSTOMIZATION_FILES
            .iter()
            .find_map(|name| std::fs::read_to_string(dir.join(name)).ok());
        if let Some(text) = found {
            let patches = files::kustomization_patches(&text);
            if files::is_listed_patch(dir, &patches, path) {
                return Role::Check(FileKind::Patches);
            }
            break;
        }
        if root.is_some_and(|root| dir == root) {
            break;
        }
    }
    Role::Check(FileKind::Manifests)
}

/// How an open document is checked: `None` when it is not (see [`role`]). Documents that are
/// not files are checked as manifests.
pub(crate) fn document_kind(uri: &Uri, config: &Config) -> Option<FileKind> {
    match convert::file_path(uri).map(|path| role(&path, config.root())) {
        None => Some(FileKind::Manifests),
        Some(Role::Check(kind)) => Some(kind),
        Some(Role::NotObjects | Role::ChartTemplate(_)) => None,
    }
}

/// What a walk of the workspace found.
pub(crate) struct Scan {
    /// The files that define objects.
    pub(crate) files: Vec<FileObjects>,
    /// The files whose checking failed (an internal error, already logged); the others are
    /// indexed all the same.
    pub(crate) failed: Vec<PathBuf>,
    /// Why the walk stopped before the end, to tell the user.
    pub(crate) stopped: Option<String>,
}

/// Reads and summarises the YAML files under `root` (`.gitignore` and the `exclude` globs
/// honoured, files over 1 MB skipped), within bounds of files, entries and time. Each file is
/// summarised under `catch_unwind`: a file that makes the core panic is left out and listed in
/// `failed`, the rest are indexed.
pub(crate) fn scan(root: &Path, config: &Config, encoding: PositionEncoding) -> Scan {
    scan_within(root, config, encoding, MAX_WALK_ENTRIES, MAX_WALK_TIME)
}

fn scan_within(
    root: &Path,
    config: &Config,
    encoding: PositionEncoding,
    max_entries: usize,
    max_time: Duration,
) -> Scan {
    let started = Instant::now();
    let mut walk = ignore::WalkBuilder::new(root);
    // Honour .gitignore whether or not the folder is a git checkout.
    walk.require_git(false);
    let mut files = Vec::new();
    let mut failed = Vec::new();
    let mut seen = 0;
    let mut stopped = None;
    for (visited, entry) in walk.build().enumerate() {
        if visited >= max_entries || started.elapsed() > max_time {
            stopped = Some(format!(
                "kls stopped reading the workspace {} after {visited} entries and {:.1} s; \
                 names and checks across files see only the files read so far",
                root.display(),
                started.elapsed().as_secs_f64()
            ));
            break;
        }
        let entry = match entry {
            Ok(it) => it,
            Err(error) => {
                tracing::debug!(%error, "reading the workspace");
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_some_and(|it| it.is_file()) || !files::is_yaml(path) {
            continue;
        }
        seen += 1;
        if seen > MAX_FILES {
            stopped = Some(format!(
                "the workspace {} has more than {MAX_FILES} YAML files; the rest are not read",
                root.display()
            ));
            break;
        }
        if config.is_excluded_path(path) {
            continue;
        }
        match try_read_file(path, Some(root), encoding) {
            Ok(file) => files.extend(file),
            Err(()) => failed.push(path.to_owned()),
        }
    }
    Scan {
        files,
        failed,
        stopped,
    }
}

/// Reads and summarises one file, if it is a YAML file kls would index: not a chart
/// template, a file that holds no objects or a patch. A file whose checking fails is logged
/// and left out.
pub(crate) fn read_file(
    path: &Path,
    root: Option<&Path>,
    encoding: PositionEncoding,
) -> Option<FileObjects> {
    try_read_file(path, root, encoding).ok().flatten()
}

/// [`read_file`], with `Err` when summarising the file panicked (the panic is logged).
fn try_read_file(
    path: &Path,
    root: Option<&Path>,
    encoding: PositionEncoding,
) -> Result<Option<FileObjects>, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        read_file_unguarded(path, root, encoding)
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|it| (*it).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(path = %path.display(), panic = message, "indexing a file");
    })
}

fn read_file_unguarded(
    path: &Path,
    root: Option<&Path>,
    encoding: PositionEncoding,
) -> Option<FileObjects> {
    if !files::is_yaml(path) || role(path, root) != Role::Check(FileKind::Manifests) {
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
    fn the_walk_of_a_huge_tree_stops_and_says_so() {
        let dir = std::env::temp_dir().join(format!("kls-scan-test-{}", std::process::id()));
        for i in 0..20 {
            let sub = dir.join(format!("d{i}"));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(
                sub.join("cm.yaml"),
                format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"),
            )
            .unwrap();
        }
        let config = crate::lsp::settings::Sources::new(None, None).resolve().0;
        let encoding = PositionEncoding::Utf16;
        let all = scan_within(&dir, &config, encoding, 1000, Duration::from_secs(60));
        assert_eq!(all.files.len(), 20);
        assert!(all.stopped.is_none());
        let bounded = scan_within(&dir, &config, encoding, 10, Duration::from_secs(60));
        assert!(bounded.files.len() < 10, "{}", bounded.files.len());
        let stopped = bounded.stopped.expect("a reason");
        assert!(stopped.contains("after 10 entries"), "{stopped}");
        let timed = scan_within(&dir, &config, encoding, 1000, Duration::ZERO);
        assert!(timed.files.is_empty() && timed.stopped.is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_change_in_one_document_flags_the_others_to_publish_again() {
        let settings = crate::lsp::settings::Sources::new(None, None).resolve().0;
        let mut workspace = Workspace::default();
        let service = file("file:///w/service.yaml", SERVICE);
        let deployment = file("file:///w/deploy.yaml", &DEPLOYMENT.replace("APP", "api"));
        for it in [&service, &deployment] {
            workspace.open(&it.uri, 0, Rope::new(), PositionEncoding::Utf16);
        }
        let (mine, stale) = workspace.update((0, 1), service.clone(), &settings);
        assert!(mine.is_empty(), "no workload yet: {mine:?}");
        assert!(stale.is_empty());
        // A file that warns about itself is not stale after its own update.
        let mut alone = Workspace::default();
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
