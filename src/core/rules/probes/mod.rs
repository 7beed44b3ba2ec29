//! Section I: probes and lifecycle hooks.

mod lifecycle_sleep_invalid;
mod probe_exec_command_missing;
mod probe_field_negative;
mod probe_handler_missing;
mod probe_handler_multiple;
mod probe_http_invalid;
mod probe_port_invalid;
mod probe_port_name_unknown;
mod probe_readiness_grace_period_forbidden;
mod probe_success_threshold_invalid;
mod util;

pub(crate) use lifecycle_sleep_invalid::LifecycleSleepInvalid;
pub(crate) use probe_exec_command_missing::ProbeExecCommandMissing;
pub(crate) use probe_field_negative::ProbeFieldNegative;
pub(crate) use probe_handler_missing::ProbeHandlerMissing;
pub(crate) use probe_handler_multiple::ProbeHandlerMultiple;
pub(crate) use probe_http_invalid::ProbeHttpInvalid;
pub(crate) use probe_port_invalid::ProbePortInvalid;
pub(crate) use probe_port_name_unknown::ProbePortNameUnknown;
pub(crate) use probe_readiness_grace_period_forbidden::ProbeReadinessGracePeriodForbidden;
pub(crate) use probe_success_threshold_invalid::ProbeSuccessThresholdInvalid;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &LifecycleSleepInvalid,
    &ProbeExecCommandMissing,
    &ProbeFieldNegative,
    &ProbeHandlerMissing,
    &ProbeHandlerMultiple,
    &ProbeHttpInvalid,
    &ProbePortInvalid,
    &ProbePortNameUnknown,
    &ProbeReadinessGracePeriodForbidden,
    &ProbeSuccessThresholdInvalid,
];
