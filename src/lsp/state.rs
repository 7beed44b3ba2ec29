//! What the server holds between messages: open documents, settings, requests in flight; and
//! the snapshots that worker threads answer from.

use std::collections::{HashMap, HashSet, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification, RequestId, Response};
use lsp_types::notification::{LogMessage, Notification as _, PublishDiagnostics, ShowMessage};
use lsp_types::{
    InitializeParams, LogMessageParams, MessageType, PublishDiagnosticsParams, ShowMessageParams,
    Uri,
};
use ropey::Rope;

use crate::core::analysis::ChunkReport;
use crate::core::diagnostic::Diagnostic;
use crate::core::limits::WORKER_STACK_SIZE;
use crate::core::schema::{SchemaStore, VersionSchemas};
use crate::core::text::{PositionEncoding, TextRange};
use crate::core::workspace::ObjectSummary;
use crate::core::yaml::{self, Parsed};
use crate::lsp::convert::{self, Positions};
use crate::lsp::diagnostics::{ChunkCache, FileReport, chunk_report, file_report};
use crate::lsp::settings::{Config, Sources};
use crate::lsp::transport::Outgoing;
use crate::lsp::workspace::{self, FileObjects, Workspace};

/// What worker threads send back to the main loop.
pub(crate) enum Task {
    /// The answer to a request about a document as it was at a version.
    Response {
        response: Response,
        document: (Uri, i32),
    },
    /// A worker panicked (already logged); the user is told once.
    Crashed { what: String },
    /// The workspace changed: these open documents have diagnostics to publish again.
    Republish(Vec<Uri>),
}

pub(crate) struct ServerState {
    pub(crate) encoding: PositionEncoding,
    pub(crate) documents: HashMap<Uri, Document>,
    /// Requests being answered on worker threads.
    pub(crate) pending: HashMap<RequestId, Arc<RequestToken>>,
    pub(crate) shutdown_requested: bool,
    pub(crate) task_receiver: Receiver<Task>,
    pub(crate) task_sender: Sender<Task>,
    sender: Sender<Outgoing>,
    schemas: Arc<SchemaStore>,
    sources: Sources,
    config: Arc<Config>,
    /// Chunk caches of recently closed documents, newest last, so reopening one is quick.
    closed: VecDeque<(Uri, Arc<Mutex<ChunkCache>>)>,
    shown_problems: HashSet<String>,
    shown_crash: bool,
    workspace: Arc<Workspace>,
    /// Counts the `didOpen`s.
    sessions: u64,
    /// Whether the client takes snippets in completions.
    snippets: bool,
}

/// How many closed documents keep their chunk cache.
const CLOSED_CACHES: usize = 8;

/// An open document.
pub(crate) struct Document {
    /// Tells this opening of the document from earlier ones.
    session: u64,
    pub(crate) version: i32,
    pub(crate) rope: Rope,
    /// The current version's text and what is derived from it, built on demand.
    pub(crate) current: Arc<VersionData>,
    cache: Arc<Mutex<ChunkCache>>,
    /// The latest diagnostics job for the document.
    publisher: Arc<Publisher>,
}

/// Orders publishes of one document: a diagnostics job publishes only if it is still the latest
/// job, and checks that and sends under the lock, so a result can never overtake a newer job's
/// or the empty list sent at `didClose`.
#[derive(Default)]
struct Publisher {
    latest_job: Mutex<u64>,
}

/// One version of a document; each part is computed once, by whichever thread needs it first.
pub(crate) struct VersionData {
    pub(crate) rope: Rope,
    text: OnceLock<String>,
    chunks: OnceLock<Vec<TextRange>>,
    parsed: OnceLock<Parsed>,
}

/// What a worker needs to answer a request about one document.
pub(crate) struct DocSnapshot {
    pub(crate) uri: Uri,
    session: u64,
    pub(crate) version: i32,
    pub(crate) data: Arc<VersionData>,
    pub(crate) encoding: PositionEncoding,
    /// Whether the client takes snippets in completions.
    pub(crate) snippets: bool,
    cache: Arc<Mutex<ChunkCache>>,
    config: Arc<Config>,
    schemas: Arc<SchemaStore>,
    workspace: Arc<Workspace>,
}

/// The life of a request on a worker: queued, running, or cancelled before it started.
pub(crate) struct RequestToken(AtomicU8);

impl RequestToken {
    const QUEUED: u8 = 0;
    const RUNNING: u8 = 1;
    const CANCELLED: u8 = 2;

    pub(crate) fn new() -> Self {
        Self(AtomicU8::new(Self::QUEUED))
    }

    /// Marks the request as started; `false` when it was cancelled first.
    pub(crate) fn start(&self) -> bool {
        self.0
            .compare_exchange(
                Self::QUEUED,
                Self::RUNNING,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }

    /// Cancels the request if no worker has started it; `true` when it was still queued.
    pub(crate) fn cancel(&self) -> bool {
        self.0
            .compare_exchange(
                Self::QUEUED,
                Self::CANCELLED,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_ok()
    }
}

impl ServerState {
    /// The state after `initialize`, and the problems found in the settings, to be reported
    /// once the client has the `initialize` response.
    pub(crate) fn new(sender: Sender<Outgoing>, params: &InitializeParams) -> (Self, Vec<String>) {
        let (task_sender, task_receiver) = crossbeam_channel::unbounded();
        let root = workspace_root(params);
        let sources = Sources::new(root, params.initialization_options.clone());
        let (config, problems) = sources.resolve();
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|it| it.completion.as_ref())
            .and_then(|it| it.completion_item.as_ref())
            .and_then(|it| it.snippet_support)
            .unwrap_or(false);
        let state = Self {
            encoding: convert::negotiate_encoding(&params.capabilities),
            documents: HashMap::new(),
            pending: HashMap::new(),
            shutdown_requested: false,
            task_receiver,
            task_sender,
            sender,
            schemas: Arc::new(SchemaStore::bundled()),
            sources,
            config: Arc::new(config),
            closed: VecDeque::new(),
            shown_problems: HashSet::new(),
            shown_crash: false,
            workspace: Arc::default(),
            sessions: 0,
            snippets,
        };
        state.warm_schemas();
        state.index_workspace();
        (state, problems)
    }

    pub(crate) fn send(&self, message: impl Into<Message>) {
        // Fails only when the writer is gone, i.e. the client has hung up; the loop ends soon.
        let _ = self.sender.send(Outgoing::Message(message.into()));
    }

    pub(crate) fn send_raw(&self, value: serde_json::Value) {
        let _ = self.sender.send(Outgoing::Raw(value));
    }

    pub(crate) fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params));
    }

    pub(crate) fn show_message(&self, typ: MessageType, message: String) {
        self.notify::<ShowMessage>(ShowMessageParams { typ, message });
    }

    pub(crate) fn log_message(&self, typ: MessageType, message: String) {
        self.notify::<LogMessage>(LogMessageParams { typ, message });
    }

    /// Logs a panic and tells the user once; the server keeps running.
    pub(crate) fn report_crash(&mut self, what: &str) {
        let message =
            format!("kls hit an internal error while handling {what}; see the kls log for details");
        self.log_message(MessageType::ERROR, message.clone());
        if !self.shown_crash {
            self.shown_crash = true;
            self.show_message(MessageType::ERROR, message);
        }
    }

    /// Tells the user about settings that could not be applied, each problem once.
    pub(crate) fn report_problems(&mut self, problems: Vec<String>) {
        let mut fresh = Vec::new();
        for problem in problems {
            tracing::warn!(%problem, "settings");
            self.log_message(MessageType::WARNING, format!("settings: {problem}"));
            if self.shown_problems.insert(problem.clone()) {
                fresh.push(problem);
            }
        }
        if !fresh.is_empty() {
            let message = format!(
                "kls ignored part of its settings (the rest applies):\n- {}",
                fresh.join("\n- ")
            );
            self.show_message(MessageType::WARNING, message);
        }
    }

    /// Loads the schemas of the configured version in the background, and compiles the
    /// validators of the most common kinds, before the first check needs them.
    fn warm_schemas(&self) {
        const COMMON: [(&str, &str); 6] = [
            ("apps/v1", "Deployment"),
            ("v1", "Service"),
            ("v1", "ConfigMap"),
            ("v1", "Pod"),
            ("v1", "Secret"),
            ("apps/v1", "StatefulSet"),
        ];
        let schemas = self.schemas.clone();
        let version = self.config.settings.kubernetes_version;
        rayon::spawn(move || {
            let started = Instant::now();
            let schemas = match schemas.version(version) {
                Ok(it) => it,
                Err(error) => {
                    tracing::error!(%error, "loading schemas");
                    return;
                }
            };
            let loaded = started.elapsed();
            for (api_version, kind) in COMMON {
                if let Some(definition) = schemas.definition_for(api_version, kind) {
                    let _ = schemas.validator(definition);
                }
            }
            tracing::debug!(%version, ?loaded, total = ?started.elapsed(), "schemas ready");
        });
    }

    /// Reads the YAML files under the workspace root on a thread of its own, then publishes
    /// again the diagnostics of the open documents that it changes.
    fn index_workspace(&self) {
        let Some(root) = self.config.root().map(PathBuf::from) else {
            return;
        };
        let config = self.config.clone();
        let workspace = self.workspace.clone();
        let tasks = self.task_sender.clone();
        let encoding = self.encoding;
        let sender = self.sender.clone();
        let spawned = std::thread::Builder::new()
            .name("kls-workspace".to_owned())
            .stack_size(WORKER_STACK_SIZE)
            .spawn(move || {
                let started = Instant::now();
                let result = catch_unwind(AssertUnwindSafe(|| {
                    let workspace::Scan { files, failed } =
                        workspace::scan(&root, &config, encoding);
                    for path in failed {
                        let message = format!(
                            "kls could not check {}; it is left out of the workspace (see the kls log)",
                            path.display()
                        );
                        let params = LogMessageParams {
                            typ: MessageType::ERROR,
                            message,
                        };
                        let notification = Notification::new(LogMessage::METHOD.to_owned(), params);
                        let _ = sender.send(Outgoing::Message(notification.into()));
                    }
                    tracing::info!(
                        root = %root.display(),
                        files = files.len(),
                        elapsed = ?started.elapsed(),
                        "workspace indexed"
                    );
                    workspace.set_disk(files, &[]);
                    workspace.stale(&config)
                }));
                match result {
                    Ok(stale) if stale.is_empty() => {}
                    Ok(stale) => {
                        let _ = tasks.send(Task::Republish(stale));
                    }
                    Err(panic) => {
                        tracing::error!(panic = panic_message(&*panic), "indexing the workspace");
                        let what = "indexing the workspace".to_owned();
                        let _ = tasks.send(Task::Crashed { what });
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the workspace indexer");
        }
    }

    pub(crate) fn set_editor_settings(&mut self, settings: serde_json::Value) {
        self.sources.set_editor_settings(settings);
        let (config, problems) = self.sources.resolve();
        self.config = Arc::new(config);
        self.report_problems(problems);
        self.log_message(
            MessageType::INFO,
            format!(
                "settings changed; checking against Kubernetes {}",
                self.config.settings.kubernetes_version
            ),
        );
        self.warm_schemas();
        let uris: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in uris {
            if let Some(document) = self.documents.get_mut(&uri) {
                // Reports depend on the settings: start over.
                document.cache = Arc::default();
            }
            self.schedule_diagnostics(&uri);
        }
        self.closed.clear();
    }

    pub(crate) fn open(&mut self, uri: &Uri, version: i32, text: &str) {
        let rope = Rope::from_str(text);
        let cache = match self.closed.iter().position(|(it, _)| it == uri) {
            Some(i) => self
                .closed
                .remove(i)
                .map(|(_, cache)| cache)
                .unwrap_or_default(),
            None => Arc::default(),
        };
        self.sessions += 1;
        let session = self.sessions;
        self.workspace
            .open(uri, session, rope.clone(), self.encoding);
        let document = Document {
            session,
            version,
            current: Arc::new(VersionData::new(rope.clone())),
            rope,
            cache,
            publisher: Arc::default(),
        };
        if let Some(old) = self.documents.insert(uri.clone(), document) {
            // Opened twice without a close: the old document's jobs must not publish.
            *lock(&old.publisher.latest_job) += 1;
        }
        self.schedule_diagnostics(uri);
    }

    pub(crate) fn close(&mut self, uri: &Uri) {
        let Some(document) = self.documents.remove(uri) else {
            return;
        };
        let mut latest_job = lock(&document.publisher.latest_job);
        *latest_job += 1;
        self.publish(uri.clone(), None, Vec::new());
        drop(latest_job);
        if self.closed.len() == CLOSED_CACHES {
            self.closed.pop_front();
        }
        self.closed.push_back((uri.clone(), document.cache));
        self.workspace.close(uri);
        self.reindex_closed(uri);
    }

    /// Reads a closed document's file from disk again (it may have been saved with changes, or
    /// never saved), then publishes again the open documents whose workspace diagnostics change.
    fn reindex_closed(&self, uri: &Uri) {
        let uri = uri.clone();
        let config = self.config.clone();
        let workspace = self.workspace.clone();
        let tasks = self.task_sender.clone();
        let encoding = self.encoding;
        rayon::spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                let file = convert::file_path(&uri)
                    .filter(|it| !config.is_excluded_path(it))
                    .and_then(|it| workspace::read_file(&it, encoding));
                match file {
                    Some(file) => workspace.set_disk(vec![file], &[]),
                    None => workspace.set_disk(Vec::new(), std::slice::from_ref(&uri)),
                }
                workspace.stale(&config)
            }));
            match result {
                Ok(stale) if stale.is_empty() => {}
                Ok(stale) => {
                    let _ = tasks.send(Task::Republish(stale));
                }
                Err(panic) => {
                    tracing::error!(panic = panic_message(&*panic), "re-reading a closed file");
                    let what = format!("re-reading {}", uri.as_str());
                    let _ = tasks.send(Task::Crashed { what });
                }
            }
        });
    }

    /// A snapshot of one open document for a worker.
    pub(crate) fn snapshot(&self, uri: &Uri) -> Option<DocSnapshot> {
        let document = self.documents.get(uri)?;
        Some(DocSnapshot {
            uri: uri.clone(),
            session: document.session,
            version: document.version,
            data: document.current.clone(),
            encoding: self.encoding,
            snippets: self.snippets,
            cache: document.cache.clone(),
            config: self.config.clone(),
            schemas: self.schemas.clone(),
            workspace: self.workspace.clone(),
        })
    }

    /// Computes and publishes a document's diagnostics on a worker. Only the latest job's result
    /// is published; a job superseded before it starts does nothing.
    pub(crate) fn schedule_diagnostics(&mut self, uri: &Uri) {
        let Some(snapshot) = self.snapshot(uri) else {
            return;
        };
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        let publisher = document.publisher.clone();
        let job = {
            let mut latest_job = lock(&publisher.latest_job);
            *latest_job += 1;
            *latest_job
        };
        let sender = self.sender.clone();
        let tasks = self.task_sender.clone();
        rayon::spawn(move || {
            if *lock(&publisher.latest_job) != job {
                return;
            }
            let result = catch_unwind(AssertUnwindSafe(|| snapshot.publish_diagnostics()));
            match result {
                Ok((diagnostics, stale)) => {
                    let latest_job = lock(&publisher.latest_job);
                    if *latest_job == job {
                        let params = PublishDiagnosticsParams {
                            uri: snapshot.uri,
                            diagnostics,
                            version: Some(snapshot.version),
                        };
                        let notification =
                            Notification::new(PublishDiagnostics::METHOD.to_owned(), params);
                        let _ = sender.send(Outgoing::Message(notification.into()));
                    }
                    drop(latest_job);
                    if !stale.is_empty() {
                        let _ = tasks.send(Task::Republish(stale));
                    }
                }
                Err(panic) => {
                    tracing::error!(
                        uri = snapshot.uri.as_str(),
                        panic = panic_message(&*panic),
                        "checking a document panicked"
                    );
                    let what = format!("diagnostics of {}", snapshot.uri.as_str());
                    let _ = tasks.send(Task::Crashed { what });
                }
            }
        });
    }

    fn publish(&self, uri: Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }
}

impl Document {
    /// Starts a new version after the rope was edited.
    pub(crate) fn set_version(&mut self, version: i32) {
        self.version = version;
        self.current = Arc::new(VersionData::new(self.rope.clone()));
    }
}

impl VersionData {
    fn new(rope: Rope) -> Self {
        Self {
            rope,
            text: OnceLock::new(),
            chunks: OnceLock::new(),
            parsed: OnceLock::new(),
        }
    }

    pub(crate) fn text(&self) -> &str {
        self.text.get_or_init(|| String::from(&self.rope))
    }

    /// The `---` documents of the text.
    pub(crate) fn chunks(&self) -> &[TextRange] {
        self.chunks
            .get_or_init(|| yaml::split_documents(self.text()))
    }

    pub(crate) fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| yaml::parse(self.text()))
    }
}

impl DocSnapshot {
    pub(crate) fn positions(&self) -> Positions<'_> {
        Positions {
            rope: &self.data.rope,
            encoding: self.encoding,
        }
    }

    /// What checking the document found (its chunks checked or taken from the cache), ranges
    /// in bytes; nothing when it is excluded by the settings.
    pub(crate) fn report(&self) -> FileReport {
        if self.config.is_excluded(&self.uri) {
            return FileReport::default();
        }
        file_report(
            self.data.text(),
            self.data.chunks(),
            &self.cache,
            &self.schemas,
            &self.config.settings,
        )
    }

    /// The document's diagnostics, the workspace checks included, in order of position.
    pub(crate) fn diagnostics(&self) -> Vec<Diagnostic> {
        let report = self.report();
        let extra = self
            .workspace
            .peek(self.file_objects(report.objects), &self.config);
        merge(report.diagnostics, extra)
    }

    /// The diagnostics to publish, and the other open documents to publish again because
    /// this version changes their workspace diagnostics.
    pub(crate) fn publish_diagnostics(&self) -> (Vec<lsp_types::Diagnostic>, Vec<Uri>) {
        let started = Instant::now();
        self.data.chunks();
        let split = started.elapsed();
        let report = self.report();
        let checked = started.elapsed();
        let (extra, stale) = self.workspace.update(
            (self.session, self.version),
            self.file_objects(report.objects),
            &self.config,
        );
        let across = started.elapsed();
        let diagnostics = merge(report.diagnostics, extra);
        let res = self.to_lsp(&diagnostics);
        tracing::debug!(
            uri = self.uri.as_str(),
            version = self.version,
            count = res.len(),
            ?split,
            ?checked,
            ?across,
            total = ?started.elapsed(),
            "diagnostics computed"
        );
        (res, stale)
    }

    /// The diagnostics as LSP ones, without recording anything (for pull requests).
    pub(crate) fn lsp_diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        self.to_lsp(&self.diagnostics())
    }

    pub(crate) fn to_lsp(&self, diagnostics: &[Diagnostic]) -> Vec<lsp_types::Diagnostic> {
        let positions = self.positions();
        diagnostics
            .iter()
            .map(|it| positions.diagnostic(&self.uri, it))
            .collect()
    }

    /// The diagnostics whose range touches `range`: those of the `---` documents there (from
    /// the cache) and the workspace ones published with this version.
    pub(crate) fn diagnostics_in(&self, range: TextRange) -> Vec<Diagnostic> {
        if self.config.is_excluded(&self.uri) {
            return Vec::new();
        }
        let touches = |it: &Diagnostic| it.range.start <= range.end && range.start <= it.range.end;
        let chunks = self.data.chunks();
        let first = chunks.partition_point(|it| it.end <= range.start);
        let last = chunks.partition_point(|it| it.end <= range.end);
        let mut res = Vec::new();
        for &chunk in &chunks[first.min(chunks.len())..(last + 1).min(chunks.len())] {
            let report = self.chunk_report(chunk);
            if !report.kubernetes {
                // Whether they count depends on the other documents of the file.
                let mut all = self.report().diagnostics;
                all.extend(self.workspace.published(&self.uri, self.version));
                all.retain(touches);
                return all;
            }
            res.extend(
                report
                    .diagnostics
                    .iter()
                    .map(|it| it.clone().shifted(chunk.start))
                    .filter(touches),
            );
        }
        res.extend(
            self.workspace
                .published(&self.uri, self.version)
                .into_iter()
                .filter(touches),
        );
        res
    }

    /// The `---` document holding `offset`: the one it starts, at a boundary.
    pub(crate) fn chunk_at(&self, offset: u32) -> Option<TextRange> {
        let chunks = self.data.chunks();
        let i = chunks.partition_point(|it| it.end <= offset);
        chunks
            .get(i)
            .or_else(|| chunks.last().filter(|it| it.end == offset))
            .copied()
    }

    /// The report of one `---` document; ranges relative to it.
    pub(crate) fn chunk_report(&self, chunk: TextRange) -> Arc<ChunkReport> {
        chunk_report(
            self.data.text(),
            chunk,
            &self.cache,
            &self.schemas,
            &self.config.settings,
        )
    }

    /// The schemas of the Kubernetes version in the settings.
    pub(crate) fn version_schemas(&self) -> Option<Arc<VersionSchemas>> {
        match self
            .schemas
            .version(self.config.settings.kubernetes_version)
        {
            Ok(it) => Some(it),
            Err(error) => {
                tracing::error!(%error, "schemas unavailable");
                None
            }
        }
    }

    /// The objects of the files of the workspace, this one as last checked (`with_self`) or not
    /// at all.
    pub(crate) fn workspace_files(&self, with_self: bool) -> Vec<FileObjects> {
        self.workspace.files((!with_self).then_some(&self.uri))
    }

    /// This version's objects, with positions.
    pub(crate) fn file_objects(&self, objects: Vec<ObjectSummary>) -> FileObjects {
        FileObjects::open(
            self.uri.clone(),
            objects,
            self.data.rope.clone(),
            self.encoding,
        )
    }
}

/// Adds the workspace diagnostics to a file's own, keeping the order of position.
fn merge(mut diagnostics: Vec<Diagnostic>, extra: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if !extra.is_empty() {
        diagnostics.extend(extra);
        diagnostics.sort_by_key(|it| (it.range.start, it.range.end));
    }
    diagnostics
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The text of a panic's payload.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// The workspace root: the first workspace folder, else `rootUri`, else `rootPath`.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    if let Some(folder) = params.workspace_folders.as_ref().and_then(|it| it.first()) {
        return convert::file_path(&folder.uri);
    }
    #[allow(deprecated)]
    let (root_uri, root_path) = (&params.root_uri, &params.root_path);
    match root_uri {
        Some(uri) => convert::file_path(uri),
        None => root_path.as_ref().map(PathBuf::from),
    }
}
