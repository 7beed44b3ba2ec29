//! `pod-termination-grace-period-negative`: a negative `terminationGracePeriodSeconds`.

use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A pod `terminationGracePeriodSeconds` below 0.
    ///
    /// ## Why it matters
    /// The API server stores it but warns ("must be >= 0; negative values are invalid and will
    /// be treated as 1"): the kubelet kills the containers after one second. Use `0` to stop
    /// them at once, or leave the field out for the default of 30 seconds.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   terminationGracePeriodSeconds: -1
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodTerminationGracePeriodNegative {
        id: "pod-termination-grace-period-negative",
        severity: Warning,
    }
}

impl Rule for PodTerminationGracePeriodNegative {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(entry) = spec.node.entry("terminationGracePeriodSeconds") else {
            return;
        };
        if let Some(value) = entry.value.as_i64()
            && value < 0
        {
            sink.report(
                &Self::META,
                value_range(entry),
                format!("terminationGracePeriodSeconds `{value}` is negative and will be treated as 1; use 0 or more"),
            );
        }
    }
}
