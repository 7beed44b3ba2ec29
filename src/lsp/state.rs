//! What the server holds between messages: open documents, settings, the workspace index,
//! requests in flight; and the snapshots that worker threads answer from. Only the main loop
//! changes it: workers send their results back as tasks (see `task`).

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification, RequestId};
use lsp_types::notification::{LogMessage, Notification as _, PublishDiagnostics, ShowMessage};
use lsp_types::request::{Request as _, WorkspaceDiagnosticRefresh};
use lsp_types::{
    InitializeParams, LogMessageParams, MessageType, PublishDiagnosticsParams, ShowMessageParams,
    Uri,
};
use ropey::Rope;

use crate::core::analysis::{ChunkReport, FileKind};
use crate::core::diagnostic::Diagnostic;
use crate::core::schema::{SchemaStore, VersionSchemas};
use crate::core::text::{PositionEncoding, TextRange};
use crate::core::workspace::ObjectSummary;
use crate::core::yaml::{self, Parsed};
use crate::lsp::convert::{self, Positions};
use crate::lsp::diagnostics::{ChunkCache, FileReport, chunk_report, file_report};
use crate::lsp::handlers::completion::CompletionSupport;
use crate::lsp::settings::{Config, Sources};
use crate::lsp::task::{Pool, Task, Tasks};
use crate::lsp::transport::Outgoing;
use crate::lsp::workspace::{self, FileObjects, Workspace};

pub(crate) struct ServerState {
    pub(crate) encoding: PositionEncoding,
    pub(crate) documents: HashMap<Uri, Document>,
    /// Requests being answered on worker threads.
    pub(crate) pending: HashMap<RequestId, Arc<RequestToken>>,
    pub(crate) shutdown_requested: bool,
    pub(crate) task_receiver: Receiver<Task>,
    pub(crate) tasks: Tasks,
    sender: Sender<Outgoing>,
    schemas: Arc<SchemaStore>,
    sources: Sources,
    config: Arc<Config>,
    /// Chunk caches of recently closed documents, newest last, so reopening one is quick.
    closed: VecDeque<(Uri, Arc<Mutex<ChunkCache>>)>,
    shown_problems: HashSet<String>,
    shown_crash: bool,
    workspace: Workspace,
    /// A copy of `workspace` for workers, made when first needed after a change.
    frozen: Option<Arc<Workspace>>,
    /// Counts the `didOpen`s.
    sessions: u64,
    /// What the client's completion takes.
    completion: CompletionSupport,
    /// How diagnostics reach the client: pulled by clients that can, pushed to the others.
    /// Never both: a client that takes both shows every diagnostic twice.
    pub(crate) delivery: Delivery,
    /// Numbers the requests the server sends to the client.
    requests_sent: u64,
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
    /// The latest diagnostics job for the document: only its result is published, and a job
    /// replaced before it starts does nothing.
    latest_job: Arc<AtomicU64>,
}

/// One version of a document; each part is computed once, by whichever thread needs it first.
pub(crate) struct VersionData {
    pub(crate) rope: Rope,
    text: OnceLock<String>,
    chunks: OnceLock<Vec<TextRange>>,
    parsed: OnceLock<Parsed>,
    /// How the document is checked, from the files around it on disk: read once per version,
    /// not again for every `---` document and request.
    kind: OnceLock<Option<FileKind>>,
}

/// What a worker needs to answer a request about one document.
pub(crate) struct DocSnapshot {
    pub(crate) uri: Uri,
    session: u64,
    pub(crate) version: i32,
    pub(crate) data: Arc<VersionData>,
    pub(crate) encoding: PositionEncoding,
    /// What the client's completion takes.
    pub(crate) completion: CompletionSupport,
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
        let (tasks, task_receiver) = Tasks::new();
        let root = workspace_root(params);
        let sources = Sources::new(root, params.initialization_options.clone());
        let (config, problems) = sources.resolve();
        let completion = CompletionSupport::of(&params.capabilities);
        let delivery = Delivery::of(&params.capabilities);
        let state = Self {
            encoding: convert::negotiate_encoding(&params.capabilities),
            documents: HashMap::new(),
            pending: HashMap::new(),
            shutdown_requested: false,
            task_receiver,
            tasks,
            sender,
            schemas: Arc::new(SchemaStore::bundled()),
            sources,
            config: Arc::new(config),
            closed: VecDeque::new(),
            shown_problems: HashSet::new(),
            shown_crash: false,
            workspace: Workspace::default(),
            frozen: None,
            sessions: 0,
            completion,
            delivery,
            requests_sent: 0,
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
        let what = format!("loading the schemas of Kubernetes {version}");
        self.tasks.spawn(Pool::Shared, what, None, move || {
            let started = Instant::now();
            let schemas = match schemas.version(version) {
                Ok(it) => it,
                Err(error) => {
                    tracing::error!(%error, "loading schemas");
                    return None;
                }
            };
            let loaded = started.elapsed();
            for (api_version, kind) in COMMON {
                if let Some(definition) = schemas.definition_for(api_version, kind) {
                    let _ = schemas.validator(definition);
                }
            }
            tracing::debug!(%version, ?loaded, total = ?started.elapsed(), "schemas ready");
            None
        });
    }

    /// Reads the YAML files under the workspace root on a thread of its own; the loop adds
    /// them to the index when they come.
    fn index_workspace(&self) {
        let Some(root) = self.config.root().map(PathBuf::from) else {
            return;
        };
        let config = self.config.clone();
        let encoding = self.encoding;
        let sender = self.sender.clone();
        let what = "indexing the workspace".to_owned();
        self.tasks
            .spawn(Pool::Thread("kls-workspace"), what, None, move || {
                let started = Instant::now();
                let scan = workspace::scan(&root, &config, encoding);
                for path in &scan.failed {
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
                    files = scan.files.len(),
                    elapsed = ?started.elapsed(),
                    "workspace indexed"
                );
                Some(Task::Indexed {
                    files: scan.files,
                    removed: Vec::new(),
                    stopped: scan.stopped,
                })
            });
    }

    /// Adds files read from disk to the index, and publishes again the open documents whose
    /// workspace diagnostics that changes.
    pub(crate) fn indexed(
        &mut self,
        files: Vec<FileObjects>,
        removed: &[Uri],
        stopped: Option<String>,
    ) {
        if let Some(stopped) = stopped {
            tracing::warn!("{stopped}");
            self.show_message(MessageType::WARNING, stopped);
        }
        let config = self.config.clone();
        let workspace = self.workspace_mut();
        workspace.set_disk(files, removed);
        let stale = workspace.stale(&config);
        for uri in stale {
            self.schedule_diagnostics(&uri);
        }
    }

    /// The index, to change it: workers' copy is made again when next needed.
    fn workspace_mut(&mut self) -> &mut Workspace {
        self.frozen = None;
        &mut self.workspace
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
        let encoding = self.encoding;
        self.workspace_mut()
            .open(uri, session, rope.clone(), encoding);
        let document = Document {
            session,
            version,
            current: Arc::new(VersionData::new(rope.clone())),
            rope,
            cache,
            latest_job: Arc::default(),
        };
        // Opened twice without a close: the old document's jobs, of another session, are dropped.
        self.documents.insert(uri.clone(), document);
        self.schedule_diagnostics(uri);
        let config = self.config.clone();
        if let Some(note) = self.workspace_mut().chart_note(uri, &config) {
            self.show_message(MessageType::INFO, note);
        }
    }

    pub(crate) fn close(&mut self, uri: &Uri) {
        let Some(document) = self.documents.remove(uri) else {
            return;
        };
        // Results of its jobs find no document and are dropped: this stays the last publish.
        self.publish(uri.clone(), None, Vec::new());
        if self.closed.len() == CLOSED_CACHES {
            self.closed.pop_front();
        }
        self.closed.push_back((uri.clone(), document.cache));
        self.workspace_mut().close(uri);
        self.reindex_closed(uri);
    }

    /// Reads a closed document's file from disk again if it is in the workspace (it may have
    /// been saved with changes, or never saved). A file outside the workspace leaves the index
    /// with its document.
    fn reindex_closed(&mut self, uri: &Uri) {
        let path = convert::file_path(uri).filter(|path| {
            self.config
                .root()
                .is_some_and(|root| path.starts_with(root))
                && !self.config.is_excluded_path(path)
        });
        let Some(path) = path else {
            self.indexed(Vec::new(), std::slice::from_ref(uri), None);
            return;
        };
        let uri = uri.clone();
        let encoding = self.encoding;
        let root = self.config.root().map(std::path::Path::to_path_buf);
        let what = format!("re-reading {}", uri.as_str());
        self.tasks.spawn(Pool::Shared, what, None, move || {
            let (files, removed) = match workspace::read_file(&path, root.as_deref(), encoding) {
                Some(file) => (vec![file], Vec::new()),
                None => (Vec::new(), vec![uri]),
            };
            Some(Task::Indexed {
                files,
                removed,
                stopped: None,
            })
        });
    }

    /// A snapshot of one open document for a worker.
    pub(crate) fn snapshot(&mut self, uri: &Uri) -> Option<DocSnapshot> {
        let workspace = self
            .frozen
            .get_or_insert_with(|| Arc::new(self.workspace.clone()))
            .clone();
        let document = self.documents.get(uri)?;
        Some(DocSnapshot {
            uri: uri.clone(),
            session: document.session,
            version: document.version,
            data: document.current.clone(),
            encoding: self.encoding,
            completion: self.completion,
            cache: document.cache.clone(),
            config: self.config.clone(),
            schemas: self.schemas.clone(),
            workspace,
        })
    }

    /// Checks a document on a worker; its result comes back as [`Task::Diagnostics`]. Only the
    /// latest job's result is published; a job replaced before it starts does nothing.
    pub(crate) fn schedule_diagnostics(&mut self, uri: &Uri) {
        let Some(snapshot) = self.snapshot(uri) else {
            return;
        };
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        let latest_job = document.latest_job.clone();
        let job = latest_job.fetch_add(1, Ordering::AcqRel) + 1;
        let what = format!("diagnostics of {}", uri.as_str());
        self.tasks.spawn(Pool::Shared, what, None, move || {
            if latest_job.load(Ordering::Acquire) != job {
                return None;
            }
            let started = Instant::now();
            let report = snapshot.report();
            tracing::debug!(
                uri = snapshot.uri.as_str(),
                version = snapshot.version,
                checked = ?started.elapsed(),
                "document checked"
            );
            Some(Task::Diagnostics {
                uri: snapshot.uri,
                session: snapshot.session,
                job,
                report,
            })
        });
    }

    /// Publishes a document's diagnostics from a worker's report, with those of the workspace
    /// checks, unless a newer job has been scheduled for it (or it was closed) since; then
    /// schedules again the open documents whose workspace diagnostics change with it.
    pub(crate) fn checked(&mut self, uri: &Uri, session: u64, job: u64, report: FileReport) {
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        if document.session != session || document.latest_job.load(Ordering::Acquire) != job {
            return;
        }
        let started = Instant::now();
        let version = document.version;
        let rope = document.current.rope.clone();
        let encoding = self.encoding;
        let file = FileObjects::open(uri.clone(), report.objects, rope.clone(), encoding);
        let config = self.config.clone();
        let (extra, stale) = self
            .workspace_mut()
            .update((session, version), file, &config);
        let across = started.elapsed();
        let diagnostics = merge(report.diagnostics, extra);
        let positions = Positions {
            rope: &rope,
            encoding,
        };
        let diagnostics: Vec<lsp_types::Diagnostic> = diagnostics
            .iter()
            .map(|it| positions.diagnostic(uri, it))
            .collect();
        tracing::debug!(
            uri = uri.as_str(),
            version,
            count = diagnostics.len(),
            ?across,
            total = ?started.elapsed(),
            "diagnostics published"
        );
        self.publish(uri.clone(), Some(version), diagnostics);
        if !stale.is_empty() {
            // A pull client asks again for the documents whose diagnostics this one changed.
            self.refresh_pulled_diagnostics();
        }
        for uri in stale {
            self.schedule_diagnostics(&uri);
        }
    }

    /// Asks a pull client to pull every open document's diagnostics again.
    fn refresh_pulled_diagnostics(&mut self) {
        if self.delivery != (Delivery::Pull { refresh: true }) {
            return;
        }
        self.requests_sent += 1;
        let id = RequestId::from(format!("kls-{}", self.requests_sent));
        self.send(lsp_server::Request::new(
            id,
            WorkspaceDiagnosticRefresh::METHOD.to_owned(),
            (),
        ));
    }

    fn publish(&self, uri: Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) {
        if self.delivery != Delivery::Push {
            return;
        }
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }
}

/// How diagnostics reach the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// `textDocument/publishDiagnostics`, for clients that cannot pull.
    Push,
    /// `textDocument/diagnostic`; with `refresh`, the client also takes
    /// `workspace/diagnostic/refresh` when a change in one document alters another's.
    Pull { refresh: bool },
}

impl Delivery {
    fn of(capabilities: &lsp_types::ClientCapabilities) -> Self {
        let pull = capabilities
            .text_document
            .as_ref()
            .is_some_and(|it| it.diagnostic.is_some());
        if !pull {
            return Delivery::Push;
        }
        let refresh = capabilities
            .workspace
            .as_ref()
            .and_then(|it| it.diagnostic.as_ref())
            .and_then(|it| it.refresh_support)
            .unwrap_or(false);
        Delivery::Pull { refresh }
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
            kind: OnceLock::new(),
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
    /// in bytes; nothing when it is excluded by the settings or not checked (see [`Self::kind`]).
    pub(crate) fn report(&self) -> FileReport {
        let Some(kind) = self.kind() else {
            return FileReport::default();
        };
        file_report(
            self.data.text(),
            kind,
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
        if self.kind().is_none() {
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

    /// How the document is checked: `None` when it is excluded by the settings or is not
    /// checked at all (a Helm template, a file that holds no objects).
    fn kind(&self) -> Option<FileKind> {
        if self.config.is_excluded(&self.uri) {
            return None;
        }
        *self
            .data
            .kind
            .get_or_init(|| workspace::document_kind(&self.uri, &self.config))
    }

    /// The report of one `---` document; ranges relative to it.
    pub(crate) fn chunk_report(&self, chunk: TextRange) -> Arc<ChunkReport> {
        let Some(kind) = self.kind() else {
            return Arc::default();
        };
        chunk_report(
            self.data.text(),
            kind,
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
