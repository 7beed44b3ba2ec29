//! Section F: container ports.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
