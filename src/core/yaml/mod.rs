//! The YAML model: every node with its byte range, scalars resolved as `kubectl` resolves them.

mod node;
mod parse;
mod path;
mod scalar;

pub use node::{Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarValue};
pub use parse::{
    Document, MAX_NESTING_DEPTH, Parsed, SyntaxError, SyntaxErrorKind, parse, split_documents,
};
pub use path::{PathSegment, lookup};
pub use scalar::resolve_plain;
