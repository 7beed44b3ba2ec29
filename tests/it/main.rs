//! The integration tests: one binary, a module per area.

mod arch;
mod cli;
mod corpus;
mod editing;
mod fuzz;
mod lsp;
mod rules;
