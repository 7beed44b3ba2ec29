//! Checks across the files of a workspace (or of one `kls lint` run).

mod service_selector_no_match;

pub(crate) use service_selector_no_match::ServiceSelectorNoMatch;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[&ServiceSelectorNoMatch];
