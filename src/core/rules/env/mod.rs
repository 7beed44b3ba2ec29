//! Section G: environment variables.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
