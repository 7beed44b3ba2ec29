//! kls: a language server and CI linter for Kubernetes manifests.
//!
//! The architecture in a few lines:
//! - [`core`] turns manifest text into diagnostics (and, for the editor, hover and completion
//!   answers). It does no IO and knows nothing of LSP or the command line.
//! - [`config`] reads what users write (`.kls.yaml`, editor settings) into core settings.
//! - [`cli`] is `kls lint` and friends: files in, rendered diagnostics out.
//! - [`lsp`] is `kls lsp`: the Language Server Protocol over stdio.
//! - [`cluster`] talks to a Kubernetes API server (apply, dry run, diff, logs, port-forward),
//!   on its own runtime thread, only when a command asks for it.
//!
//! Dependencies point one way: the shells use the core, never the reverse.

pub mod cli;
pub mod cluster;
pub mod config;
pub mod core;
pub mod lsp;
