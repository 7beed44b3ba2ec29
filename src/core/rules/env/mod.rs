//! Section G: environment variables.

mod env_field_ref_invalid;
mod env_from_invalid;
mod env_key_ref_invalid;
mod env_name_duplicate;
mod env_name_invalid;
mod env_value_from_invalid;
mod util;

pub(crate) use env_field_ref_invalid::EnvFieldRefInvalid;
pub(crate) use env_from_invalid::EnvFromInvalid;
pub(crate) use env_key_ref_invalid::EnvKeyRefInvalid;
pub(crate) use env_name_duplicate::EnvNameDuplicate;
pub(crate) use env_name_invalid::EnvNameInvalid;
pub(crate) use env_value_from_invalid::EnvValueFromInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &EnvFieldRefInvalid,
    &EnvFromInvalid,
    &EnvKeyRefInvalid,
    &EnvNameDuplicate,
    &EnvNameInvalid,
    &EnvValueFromInvalid,
];
