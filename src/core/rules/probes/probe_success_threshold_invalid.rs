//! `probe-success-threshold-invalid`: a liveness or startup probe with a success threshold
//! other than 1.

use super::util::{HookKind, hooks, int_field};
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `livenessProbe` or `startupProbe` whose `successThreshold` is above 1. (0 is replaced
    /// by the default, 1; a negative value is reported by `probe-field-negative`.) Readiness
    /// probes may use higher values.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe.successThreshold: Invalid value: 3: must
    /// be 1`. A liveness or startup probe succeeds on its first success.
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
    ///         httpGet:
    ///           port: 80
    ///         successThreshold: 3
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
    ///       readinessProbe:
    ///         httpGet:
    ///           port: 80
    ///         successThreshold: 3
    /// ```
    pub(crate) ProbeSuccessThresholdInvalid {
        id: "probe-success-threshold-invalid",
        severity: Error,
    }
}

impl Rule for ProbeSuccessThresholdInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            if !matches!(hook.kind, HookKind::Liveness | HookKind::Startup) {
                continue;
            }
            let Some((entry, value)) = int_field(hook.node(), "successThreshold") else {
                continue;
            };
            if value <= 1 {
                continue;
            }
            let range = value_range(entry);
            let message = format!(
                "`successThreshold` of a {} must be 1, not {value}; only readiness probes may require several successes",
                hook.kind.describe()
            );
            if let Some(diagnostic) = sink.report(&Self::META, range, message) {
                diagnostic.fix = Some(Fix {
                    title: "Set `successThreshold` to 1".to_owned(),
                    edits: vec![TextEdit {
                        range,
                        new_text: "1".to_owned(),
                    }],
                });
            }
        }
    }
}
