//! Every fixed bound on the work kls does for one input, in one place. `docs/limits.md` lists
//! them with their reasons; keep the two in step.

/// Levels of nesting that schema validation looks at (the document's root is level 0). A
/// mapping or list deeper than that is validated as an empty one and nothing under it is
/// reported, with one note saying so. The validator recurses, so this bounds its stack; real
/// manifests nest a few dozen levels (a CRD's schema perhaps a hundred).
pub const SCHEMA_DEPTH: usize = 1_000;

/// Stack size of the threads that check documents and answer requests, in bytes (64 MiB). The
/// tree a document parses into is dropped recursively (about 150 bytes of stack per level in a
/// debug build), and the schema validator recurses down to `SCHEMA_DEPTH`; this leaves room
/// for 100,000 levels of nesting, ten times the API server's own decoder limit. The memory is
/// reserved, not used, until a deep document needs it.
pub const WORKER_STACK_SIZE: usize = 64 << 20;

/// Document symbols in one answer; past it, one last symbol says how many were left out.
pub const MAX_SYMBOLS: usize = 5_000;

/// Levels of nesting in the outline; a deeper mapping or list gets one child saying so. Each
/// level is two levels of JSON (a symbol and its `children`), so the answer stays well within
/// the 128 levels that JSON readers such as serde_json accept by default.
pub const SYMBOL_DEPTH: usize = 32;

/// A list of more scalars than this shows as one symbol, `items (N)`, not one per item.
pub const SCALAR_LIST_SYMBOLS: usize = 20;

/// Folding ranges in one answer (or fewer, when the editor asks for fewer); the outermost
/// ones are kept.
pub const MAX_FOLDING_RANGES: usize = 5_000;
