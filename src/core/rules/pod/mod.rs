//! Section D: the pod spec, of a Pod or of a workload template.

mod pod_active_deadline_invalid;
mod pod_containers_missing;
mod pod_deprecated_node_label;
mod pod_dns_config_invalid;
mod pod_dns_policy_invalid;
mod pod_ephemeral_containers_forbidden;
mod pod_host_network_port_mismatch;
mod pod_hostname_invalid;
mod pod_image_pull_secrets_invalid;
mod pod_node_selector_invalid;
mod pod_priority_class_name_invalid;
mod pod_restart_policy_invalid;
mod pod_security_context_invalid;
mod pod_service_account_name_invalid;
mod pod_termination_grace_period_negative;
mod pod_tolerations_invalid;
pub(super) mod util;

pub(crate) use pod_active_deadline_invalid::PodActiveDeadlineInvalid;
pub(crate) use pod_containers_missing::PodContainersMissing;
pub(crate) use pod_deprecated_node_label::PodDeprecatedNodeLabel;
pub(crate) use pod_dns_config_invalid::PodDnsConfigInvalid;
pub(crate) use pod_dns_policy_invalid::PodDnsPolicyInvalid;
pub(crate) use pod_ephemeral_containers_forbidden::PodEphemeralContainersForbidden;
pub(crate) use pod_host_network_port_mismatch::PodHostNetworkPortMismatch;
pub(crate) use pod_hostname_invalid::PodHostnameInvalid;
pub(crate) use pod_image_pull_secrets_invalid::PodImagePullSecretsInvalid;
pub(crate) use pod_node_selector_invalid::PodNodeSelectorInvalid;
pub(crate) use pod_priority_class_name_invalid::PodPriorityClassNameInvalid;
pub(crate) use pod_restart_policy_invalid::PodRestartPolicyInvalid;
pub(crate) use pod_security_context_invalid::PodSecurityContextInvalid;
pub(crate) use pod_service_account_name_invalid::PodServiceAccountNameInvalid;
pub(crate) use pod_termination_grace_period_negative::PodTerminationGracePeriodNegative;
pub(crate) use pod_tolerations_invalid::PodTolerationsInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &PodActiveDeadlineInvalid,
    &PodContainersMissing,
    &PodDeprecatedNodeLabel,
    &PodDnsConfigInvalid,
    &PodDnsPolicyInvalid,
    &PodEphemeralContainersForbidden,
    &PodHostNetworkPortMismatch,
    &PodHostnameInvalid,
    &PodImagePullSecretsInvalid,
    &PodNodeSelectorInvalid,
    &PodPriorityClassNameInvalid,
    &PodRestartPolicyInvalid,
    &PodSecurityContextInvalid,
    &PodServiceAccountNameInvalid,
    &PodTerminationGracePeriodNegative,
    &PodTolerationsInvalid,
];
