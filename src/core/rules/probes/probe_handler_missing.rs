//! `probe-handler-missing`: a probe or lifecycle hook with nothing to run.

use super::util::hooks;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `livenessProbe`, `readinessProbe`, `startupProbe`, `lifecycle.postStart` or
    /// `lifecycle.preStop` that sets no handler: probes need one of `exec`, `httpGet`,
    /// `tcpSocket` or `grpc`; hooks one of `exec`, `httpGet`, `tcpSocket` or `sleep`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe: Required value: must specify a handler
    /// type`. Timing fields alone (`periodSeconds`, …) do not make a probe.
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
    ///         periodSeconds: 5
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
    ///         periodSeconds: 5
    /// ```
    pub(crate) ProbeHandlerMissing {
        id: "probe-handler-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for ProbeHandlerMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            if hook.handler().is_some() {
                continue;
            }
            let choices = match hook.kind.handler_fields() {
                [a, b, c, d] => format!("`{a}`, `{b}`, `{c}` or `{d}`"),
                fields => fields.join(", "),
            };
            sink.report(
                &Self::META,
                hook.entry.key.range,
                format!(
                    "{} has no handler; set one of {choices}",
                    hook.kind.describe()
                ),
            );
        }
    }
}
