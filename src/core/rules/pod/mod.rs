//! Section D: the pod spec, of a Pod or of a workload template.

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[];
