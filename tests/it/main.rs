//! The integration tests: one binary, a module per area.

mod arch;
mod cli;
mod corpus;
mod fuzz;
mod rules;
