//! `probe-readiness-grace-period-forbidden`: `terminationGracePeriodSeconds` on a readiness
//! probe.

use super::util::{HookKind, hooks};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `readinessProbe` that sets `terminationGracePeriodSeconds`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `readinessProbe.terminationGracePeriodSeconds: Invalid
    /// value: 30: must not be set for readinessProbes`. A failing readiness probe never kills
    /// the container, so there is no grace period to set; it belongs on a liveness or startup
    /// probe.
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
    ///       readinessProbe:
    ///         httpGet:
    ///           port: 80
    ///         terminationGracePeriodSeconds: 10
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
    ///         httpGet:
    ///           port: 80
    ///         terminationGracePeriodSeconds: 10
    /// ```
    pub(crate) ProbeReadinessGracePeriodForbidden {
        id: "probe-readiness-grace-period-forbidden",
        severity: Error,
    }
}

impl Rule for ProbeReadinessGracePeriodForbidden {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            if hook.kind != HookKind::Readiness {
                continue;
            }
            let Some(entry) = hook.node().entry("terminationGracePeriodSeconds") else {
                continue;
            };
            if entry.value.is_null() {
                continue;
            }
            sink.report(
                &Self::META,
                entry.key.range,
                "a readiness probe must not set `terminationGracePeriodSeconds`; remove it (it applies to liveness and startup probes only)",
            );
        }
    }
}
