//! Section E: containers and init containers.

mod container_image_missing;
mod container_image_pull_policy_invalid;
mod container_image_whitespace;
mod container_name_duplicate;
mod container_name_invalid;
mod container_restart_policy_forbidden;
mod container_security_context_invalid;
mod container_termination_message_policy_invalid;
mod init_container_field_forbidden;
mod init_container_restart_policy_invalid;

pub(crate) use container_image_missing::ContainerImageMissing;
pub(crate) use container_image_pull_policy_invalid::ContainerImagePullPolicyInvalid;
pub(crate) use container_image_whitespace::ContainerImageWhitespace;
pub(crate) use container_name_duplicate::ContainerNameDuplicate;
pub(crate) use container_name_invalid::ContainerNameInvalid;
pub(crate) use container_restart_policy_forbidden::ContainerRestartPolicyForbidden;
pub(crate) use container_security_context_invalid::ContainerSecurityContextInvalid;
pub(crate) use container_termination_message_policy_invalid::ContainerTerminationMessagePolicyInvalid;
pub(crate) use init_container_field_forbidden::InitContainerFieldForbidden;
pub(crate) use init_container_restart_policy_invalid::InitContainerRestartPolicyInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &ContainerImageMissing,
    &ContainerImagePullPolicyInvalid,
    &ContainerImageWhitespace,
    &ContainerNameDuplicate,
    &ContainerNameInvalid,
    &ContainerRestartPolicyForbidden,
    &ContainerSecurityContextInvalid,
    &ContainerTerminationMessagePolicyInvalid,
    &InitContainerFieldForbidden,
    &InitContainerRestartPolicyInvalid,
];
