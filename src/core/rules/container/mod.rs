//! Section E: containers and init containers.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
