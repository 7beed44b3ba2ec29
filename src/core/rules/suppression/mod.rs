//! Findings about suppressions (`# kls: ignore[…]`, `kls.dev/ignore`) themselves; reported by
//! [`crate::core::suppression`], not by a check of the object.

mod suppression_unknown_rule;
mod suppression_unused;

pub(crate) use suppression_unknown_rule::SuppressionUnknownRule;
pub(crate) use suppression_unused::SuppressionUnused;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[&SuppressionUnknownRule, &SuppressionUnused];
