//! The analysis core: pure functions from text to diagnostics, completions and hovers. No
//! files, network, clock, threads, LSP or command line here; the shells around it do that.

#![warn(missing_docs)]

pub mod analysis;
pub mod cluster;
pub mod complete;
pub mod cursor;
pub mod diagnostic;
pub mod files;
pub mod fingerprint;
pub mod formats;
pub mod hover;
pub mod limits;
pub mod manifest;
pub mod navigate;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod suppression;
pub mod text;
pub mod values;
pub mod workspace;
pub mod yaml;
