//! The integration tests: one binary, a module per area.

// A test that cannot check anything says so on stderr.
#![allow(clippy::print_stderr)]

mod apiserver;
mod arch;
mod ci;
mod cli;
mod cluster;
mod corpus;
mod editing;
mod editors;
mod fuzz;
mod limits;
mod lsp;
mod rules;
mod support;
mod suppression;
mod yaml_diff;
