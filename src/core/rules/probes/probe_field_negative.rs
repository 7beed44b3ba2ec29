//! `probe-field-negative`: a negative probe timing or threshold.

use super::util::{HookKind, hooks, int_field};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

const NON_NEGATIVE: [&str; 5] = [
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

declare_rule! {
    /// ## What it flags
    /// A probe's `initialDelaySeconds`, `timeoutSeconds`, `periodSeconds`, `successThreshold`
    /// or `failureThreshold` below 0, or a probe-level `terminationGracePeriodSeconds` that is
    /// not above 0. An explicit 0 in the first five is fine: it is replaced by the default
    /// (timeout 1, period 10, success 1, failure 3). On a readiness probe,
    /// `terminationGracePeriodSeconds` is reported by `probe-readiness-grace-period-forbidden`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe.periodSeconds: Invalid value: -10: must
    /// be greater than or equal to 0`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       livenessProbe:
    ///         tcpSocket:
    ///           port: 80
    ///         initialDelaySeconds: -5
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       livenessProbe:
    ///         tcpSocket:
    ///           port: 80
    ///         initialDelaySeconds: 0
    ///         timeoutSeconds: 0
    /// ```
    pub(crate) ProbeFieldNegative {
        id: "probe-field-negative",
        severity: Error,
    }
}

impl Rule for ProbeFieldNegative {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec).into_iter().filter(|it| it.kind.is_probe()) {
            let probe = hook.node();
            for field in NON_NEGATIVE {
                if let Some((entry, value)) = int_field(probe, field)
                    && value < 0
                {
                    sink.report(
                        &Self::META,
                        value_range(entry),
                        format!(
                            "`{field}` of the {} is {value}; it must be 0 or more",
                            hook.kind.describe()
                        ),
                    );
                }
            }
            if hook.kind != HookKind::Readiness
                && let Some((entry, value)) = int_field(probe, "terminationGracePeriodSeconds")
                && value <= 0
            {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!(
                        "`terminationGracePeriodSeconds` of the {} is {value}; it must be greater than 0 (leave it out to use the pod's)",
                        hook.kind.describe()
                    ),
                );
            }
        }
    }
}
