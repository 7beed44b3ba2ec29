//! The analysis core: pure functions from text to diagnostics. No files, network, clock,
//! threads, LSP or command line here; the shells around it do that.

#![warn(missing_docs)]

pub mod analysis;
pub mod diagnostic;
pub mod formats;
pub mod manifest;
pub mod rules;
pub mod schema;
pub mod settings;
pub mod text;
pub mod yaml;
