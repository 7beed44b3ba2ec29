//! Section J: resource requests and limits.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
