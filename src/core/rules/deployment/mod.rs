//! Section C: the Deployment spec (selector, template, strategy, counts).

mod deployment_max_unavailable_over_100;
mod deployment_min_ready_seconds_negative;
mod deployment_progress_deadline_invalid;
mod deployment_replicas_negative;
mod deployment_revision_history_limit_negative;
mod deployment_rolling_update_both_zero;
mod deployment_rolling_update_value_invalid;
mod deployment_selector_empty;
mod deployment_selector_mismatch;
mod deployment_strategy_recreate_rolling_update;
mod deployment_strategy_type_invalid;
mod deployment_template_active_deadline;
mod deployment_template_restart_policy;
mod selector_requirement_invalid;
mod util;

pub(crate) use deployment_max_unavailable_over_100::DeploymentMaxUnavailableOver100;
pub(crate) use deployment_min_ready_seconds_negative::DeploymentMinReadySecondsNegative;
pub(crate) use deployment_progress_deadline_invalid::DeploymentProgressDeadlineInvalid;
pub(crate) use deployment_replicas_negative::DeploymentReplicasNegative;
pub(crate) use deployment_revision_history_limit_negative::DeploymentRevisionHistoryLimitNegative;
pub(crate) use deployment_rolling_update_both_zero::DeploymentRollingUpdateBothZero;
pub(crate) use deployment_rolling_update_value_invalid::DeploymentRollingUpdateValueInvalid;
pub(crate) use deployment_selector_empty::DeploymentSelectorEmpty;
pub(crate) use deployment_selector_mismatch::DeploymentSelectorMismatch;
pub(crate) use deployment_strategy_recreate_rolling_update::DeploymentStrategyRecreateRollingUpdate;
pub(crate) use deployment_strategy_type_invalid::DeploymentStrategyTypeInvalid;
pub(crate) use deployment_template_active_deadline::DeploymentTemplateActiveDeadline;
pub(crate) use deployment_template_restart_policy::DeploymentTemplateRestartPolicy;
pub(crate) use selector_requirement_invalid::SelectorRequirementInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &DeploymentMaxUnavailableOver100,
    &DeploymentMinReadySecondsNegative,
    &DeploymentProgressDeadlineInvalid,
    &DeploymentReplicasNegative,
    &DeploymentRevisionHistoryLimitNegative,
    &DeploymentRollingUpdateBothZero,
    &DeploymentRollingUpdateValueInvalid,
    &DeploymentSelectorEmpty,
    &DeploymentSelectorMismatch,
    &DeploymentStrategyRecreateRollingUpdate,
    &DeploymentStrategyTypeInvalid,
    &DeploymentTemplateActiveDeadline,
    &DeploymentTemplateRestartPolicy,
    &SelectorRequirementInvalid,
];
