//! The cluster shell: everything kls sends to a Kubernetes API server.
//!
//! Built on kube-rs. The network runs on a tokio runtime of its own, on its own thread, started
//! by the first request and never before: a user who never asks for a cluster action pays
//! nothing for it, and a missing or broken kubeconfig says nothing until then.
//!
//! Callers hold a [`ClusterHandle`] (in the manner of rust-analyzer's flycheck handle): they
//! send a [`Command`] and go on; the answer comes back later as an [`Event`] on the
//! crossbeam channel they gave, so the language server's main loop can `select!` on it beside
//! the client's messages and never blocks on the network. `kls lint --server-dry-run` waits on
//! the same channel.
//!
//! - [`kubeconfig`]: which file, context and namespace; exec plugins never get our stdin.
//! - [`ops`]: server-side apply, dry run, diff, logs, events.
//! - [`forward`]: port-forwards bound to 127.0.0.1.
//!
//! What the API server says about an object is turned into lines of the document by the
//! core ([`crate::core::cluster`]); this shell only carries it.

mod diff;
mod forward;
pub mod kubeconfig;
mod ops;
mod runtime;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use crossbeam_channel::Sender;

use crate::core::cluster::Rejection;
pub use diff::strip_server_fields;

/// Which cluster to talk to: the `kubeconfig` and `context` settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClusterSettings {
    /// An explicit kubeconfig file; `None`: `KUBECONFIG` (merged), else `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// The context to use; `None`: the kubeconfig's current context.
    pub context: Option<String>,
}

/// One Kubernetes object to send, as the document holds it now.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// The caller's tag for it (a document index), returned with its result.
    pub index: usize,
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`, when the document says.
    pub namespace: Option<String>,
    /// The whole object as JSON.
    pub body: serde_json::Value,
}

impl Object {
    /// Reads the identity of an object from its JSON; `None` when `apiVersion`, `kind` or
    /// `metadata.name` is missing.
    #[must_use]
    pub fn from_json(index: usize, body: serde_json::Value) -> Option<Object> {
        let text = |value: Option<&serde_json::Value>| {
            value
                .and_then(serde_json::Value::as_str)
                .filter(|it| !it.is_empty())
                .map(str::to_owned)
        };
        let metadata = body.get("metadata");
        Some(Object {
            index,
            api_version: text(body.get("apiVersion"))?,
            kind: text(body.get("kind"))?,
            name: text(metadata.and_then(|it| it.get("name")))?,
            namespace: text(metadata.and_then(|it| it.get("namespace"))),
            body,
        })
    }

    /// `deployment/web`, as kubectl names objects.
    #[must_use]
    pub fn label(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }
}

/// What to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Server-side apply (field manager `kls`) of the objects, in dependency order.
    Apply {
        /// The objects; one or every one of a file.
        objects: Vec<Object>,
        /// Take over fields that other managers own.
        force: bool,
    },
    /// The same apply with `dryRun=All` and `fieldValidation=Strict`: nothing changes.
    DryRun {
        /// The objects.
        objects: Vec<Object>,
        /// Whether the dry run forces conflicts (as a forced apply would).
        force: bool,
    },
    /// The live objects against what a forced apply would make of them, as a unified diff.
    Diff {
        /// The objects.
        objects: Vec<Object>,
    },
    /// The last lines of the logs of the object's pods (chosen by its selector).
    Logs {
        /// A Pod, or an object with a pod selector.
        object: Object,
        /// How many lines per container.
        tail_lines: i64,
    },
    /// The object's recent events.
    Events {
        /// The object.
        object: Object,
    },
    /// Forwards a local port on 127.0.0.1 to a port of the object's pod.
    PortForward {
        /// A Pod, or an object with a pod selector (Deployment, Service, StatefulSet, ...).
        object: Object,
        /// The pod's port.
        remote_port: u16,
        /// The local port to bind; taken or `None`: a free one.
        local_port: Option<u16>,
    },
    /// Stops a port-forward.
    StopPortForward {
        /// Its id.
        forward: u64,
    },
    /// Lists the running port-forwards.
    ListPortForwards,
    /// Lists the kubeconfig's contexts.
    Contexts,
    /// The live state of each object, one line each (Deployment: ready/desired; Pod: phase
    /// and restarts), for status lenses.
    LiveStatus {
        /// The objects.
        objects: Vec<Object>,
    },
    /// Forgets every cached client, so that the next command reads the kubeconfig again
    /// (after the `kubeconfig` or `context` setting changed, or the file did).
    Reconnect,
}

/// Where a command went: shown in every title and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The kubeconfig context.
    pub context: String,
    /// The namespace used for objects that do not name one.
    pub namespace: String,
}

/// What happened to one object.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectResult {
    /// The caller's tag ([`Object::index`]).
    pub index: usize,
    /// `deployment/web`.
    pub object: String,
    /// The outcome.
    pub outcome: Result<Applied, ObjectError>,
}

/// What an apply (or its dry run) did to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// It did not exist.
    Created,
    /// It existed and changed.
    Configured,
    /// It existed and nothing changed.
    Unchanged,
}

impl Applied {
    /// `created`, `configured` or `unchanged`, as kubectl says.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Applied::Created => "created",
            Applied::Configured => "configured",
            Applied::Unchanged => "unchanged",
        }
    }
}

/// Why one object failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectError {
    /// The API server refused it; the core maps this to lines.
    Rejected(Rejection),
    /// Something else went wrong (the kind is not served, the connection broke).
    Failed(String),
}

/// A running port-forward.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForwardInfo {
    /// Its id, for [`Command::StopPortForward`].
    pub id: u64,
    /// What it forwards to, e.g. `deployment/web`.
    pub object: String,
    /// Where it listens (always on 127.0.0.1).
    pub local: SocketAddr,
    /// The pod's port.
    pub remote_port: u16,
    /// The pod it forwarded to when it started.
    pub pod: String,
    /// The context and namespace.
    pub target: Target,
}

impl ForwardInfo {
    /// `http://127.0.0.1:8080`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.local)
    }
}

/// The answer to a command.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Apply or dry run: one result per object, in the order they were sent to the server.
    Applied {
        /// Where.
        target: Target,
        /// Whether it was a dry run.
        dry_run: bool,
        /// Per object.
        results: Vec<ObjectResult>,
    },
    /// A unified diff (empty when nothing would change).
    Diff {
        /// Where.
        target: Target,
        /// The diff text.
        text: String,
    },
    /// Logs or events as text.
    Text {
        /// Where.
        target: Target,
        /// The text.
        text: String,
    },
    /// A port-forward started.
    Forwarding(ForwardInfo),
    /// A port-forward stopped (`false`: there was none with that id).
    Stopped(bool),
    /// The running port-forwards.
    Forwards(Vec<ForwardInfo>),
    /// Live states, per object: `(index, "deployment/web", "2/3 ready")`.
    Status {
        /// Where.
        target: Target,
        /// Per object, in the order sent.
        states: Vec<(usize, String, String)>,
    },
    /// The command is done and has nothing to say.
    Done,
    /// The kubeconfig's contexts.
    Contexts {
        /// The current context, if set.
        current: Option<String>,
        /// Every context name.
        names: Vec<String>,
    },
}

/// A command failed as a whole: no kubeconfig, an unreachable cluster, a bad object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterError(pub String);

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ClusterError {}

/// What comes back on the event channel.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// Progress of a command on several objects (after each one).
    Progress {
        /// The request id.
        id: u64,
        /// How many are done.
        done: usize,
        /// How many there are.
        total: usize,
        /// The object just done.
        object: String,
    },
    /// The command's answer; the last event of a request.
    Finished {
        /// The request id.
        id: u64,
        /// What it gave.
        result: Result<Outcome, ClusterError>,
    },
    /// A port-forward stopped on its own (its local listener failed).
    ForwardEnded {
        /// The forward's id.
        forward: u64,
        /// Why.
        reason: String,
    },
}

/// The way to the cluster runtime. Creating one starts nothing; the first [`request`]
/// starts the runtime thread. Dropping it stops the runtime, and with it every port-forward.
///
/// [`request`]: ClusterHandle::request
pub struct ClusterHandle {
    events: Sender<Event>,
    worker: Option<runtime::Worker>,
    next_id: u64,
}

impl ClusterHandle {
    /// A handle whose events go to `events`. No thread is started yet.
    #[must_use]
    pub fn new(events: Sender<Event>) -> ClusterHandle {
        ClusterHandle {
            events,
            worker: None,
            next_id: 0,
        }
    }

    /// Sends a command and returns its request id at once; the answer comes as events with
    /// that id. Never blocks on the network.
    pub fn request(&mut self, settings: ClusterSettings, command: Command) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        let events = self.events.clone();
        let worker = self
            .worker
            .get_or_insert_with(|| runtime::Worker::spawn(events));
        worker.send(runtime::Request {
            id,
            settings,
            command,
        });
        id
    }

    /// Whether the runtime thread has been started.
    #[must_use]
    pub fn is_started(&self) -> bool {
        self.worker.is_some()
    }
}

impl fmt::Debug for ClusterHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterHandle")
            .field("started", &self.is_started())
            .finish_non_exhaustive()
    }
}
