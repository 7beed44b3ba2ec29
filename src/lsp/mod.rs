//! The language server (`kls lsp`): the Language Server Protocol on stdin/stdout.
//!
//! # Shape
//! - `transport` frames JSON-RPC messages on stdio, and answers malformed ones itself.
//! - `main_loop` owns the `ServerState` and reads one stream of events: client messages
//!   and tasks, the results of work done off the loop. Notifications (`didOpen`, `didChange`,
//!   configuration) change the state on the loop, strictly in arrival order. Requests are
//!   answered on worker threads from a snapshot of the document they are about, for the version
//!   current when they arrived; only an answer that carries edits for that version (a code
//!   action) is replaced by `ContentModified` when the document has changed meanwhile.
//! - `task`: workers never change the state or write to the client; they return a `Task` to
//!   the loop (through one spawn helper that turns a panic into a reported failure).
//! - `diagnostics` re-checks only the `---` documents whose text changed; `state` runs that on a
//!   worker after each open and change; the loop drops the result if a newer check was
//!   scheduled since, else adds the workspace checks and publishes.
//! - `workspace` summarises the objects of the open documents and of the YAML files under the
//!   root (read once, in the background, within bounds of files and time) for completion,
//!   cross-file definitions and the workspace checks; the loop owns it, workers read a copy. A
//!   change that alters another open document's workspace diagnostics publishes that document
//!   again.
//! - `convert` is the one place where byte offsets meet LSP positions.
//! - `handlers` has one file per LSP feature; `settings` merges `.kls.yaml` and editor settings.
//!   Features about a position work on the `---` document there, not the whole file.
//!
//! # Why lsp-server and not tower-lsp
//! `lsp-server` gives an explicit loop that we own, so edits are applied in the order the client
//! sent them and every request sees all the edits sent before it. tower-lsp runs handlers
//! concurrently, so a `didChange` can be overtaken by a later request (tower-lsp issue #284),
//! and it has been unmaintained since 2023.

#![deny(clippy::unwrap_used)]

mod convert;
mod diagnostics;
mod handlers;
mod main_loop;
mod settings;
mod state;
mod task;
mod transport;
mod workspace;

/// Serves the Language Server Protocol on stdin/stdout until the client says `exit`.
///
/// # Errors
/// When the connection fails, or the client exits without asking the server to shut down.
pub fn run_stdio() -> anyhow::Result<()> {
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        "kls language server starting"
    );
    let transport = transport::stdio();
    let res = main_loop::run(&transport.sender, &transport.receiver);
    transport.finish();
    res
}
