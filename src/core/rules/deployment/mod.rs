//! Section C: the Deployment spec (selector, template, strategy, counts).

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
