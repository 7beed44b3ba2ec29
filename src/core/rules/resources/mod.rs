//! Section J: resource requests and limits.

mod resources_extended_invalid;
mod resources_fractional_bytes;
mod resources_hugepages_invalid;
mod resources_name_invalid;
mod resources_negative;
mod resources_quantity_invalid;
mod resources_request_exceeds_limit;
pub(super) mod util;

pub(crate) use resources_extended_invalid::ResourcesExtendedInvalid;
pub(crate) use resources_fractional_bytes::ResourcesFractionalBytes;
pub(crate) use resources_hugepages_invalid::ResourcesHugepagesInvalid;
pub(crate) use resources_name_invalid::ResourcesNameInvalid;
pub(crate) use resources_negative::ResourcesNegative;
pub(crate) use resources_quantity_invalid::ResourcesQuantityInvalid;
pub(crate) use resources_request_exceeds_limit::ResourcesRequestExceedsLimit;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &ResourcesExtendedInvalid,
    &ResourcesFractionalBytes,
    &ResourcesHugepagesInvalid,
    &ResourcesNameInvalid,
    &ResourcesNegative,
    &ResourcesQuantityInvalid,
    &ResourcesRequestExceedsLimit,
];
