//! Section I: probes and lifecycle hooks.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
