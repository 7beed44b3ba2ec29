//! Section B: object metadata (names, namespaces, labels, annotations).

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
