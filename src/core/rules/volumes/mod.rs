//! Section H: volumes and volume mounts.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
