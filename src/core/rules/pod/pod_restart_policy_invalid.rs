//! `pod-restart-policy-invalid`: a pod `restartPolicy` outside `Always`, `OnFailure`, `Never`.

use super::util::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::RESTART_POLICIES;

declare_rule! {
    /// ## What it flags
    /// A pod `restartPolicy` other than `Always`, `OnFailure` or `Never`. The values are
    /// case-sensitive: `always` is rejected. An empty value is defaulted to `Always`.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.restartPolicy: Unsupported value`).
    ///
    /// Workload controllers add their own limits on top (a Deployment only accepts `Always`, a
    /// Job only `OnFailure` or `Never`); those are checked by other rules.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: job
    /// spec:
    ///   restartPolicy: on-failure
    ///   containers:
    ///     - name: job
    ///       image: busybox:1.36
    /// ```
    pub(crate) PodRestartPolicyInvalid {
        id: "pod-restart-policy-invalid",
        severity: Error,
    }
}

impl Rule for PodRestartPolicyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entry) = spec.node.entry("restartPolicy") else {
            return;
        };
        // An empty value is defaulted to `Always` before validation.
        if entry.value.as_str().is_some_and(|it| !it.is_empty()) {
            check_enum(sink, &Self::META, entry, RESTART_POLICIES);
        }
    }
}
