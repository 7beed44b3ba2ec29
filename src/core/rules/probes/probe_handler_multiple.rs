//! `probe-handler-multiple`: a probe or lifecycle hook with two handlers.

use super::util::hooks;
use crate::core::diagnostic::Related;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A probe or lifecycle hook that sets more than one handler (`exec`, `httpGet`,
    /// `tcpSocket`, `grpc` for probes; `exec`, `httpGet`, `tcpSocket`, `sleep` for hooks). The
    /// API server keeps the first in that order and rejects each other one.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe.tcpSocket: Forbidden: may not specify
    /// more than 1 handler type`.
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
    ///           path: /healthz
    ///           port: 80
    ///         tcpSocket:
    ///           port: 80
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
    ///           path: /healthz
    ///           port: 80
    /// ```
    pub(crate) ProbeHandlerMultiple {
        id: "probe-handler-multiple",
        severity: Error,
    }
}

impl Rule for ProbeHandlerMultiple {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            let handlers = hook.handlers();
            let [first, rest @ ..] = handlers.as_slice() else {
                continue;
            };
            let first_name = first.key.scalar_text().unwrap_or_default();
            for extra in rest {
                let extra_name = extra.key.scalar_text().unwrap_or_default();
                let noun = if hook.kind.is_probe() {
                    "a probe"
                } else {
                    "a hook"
                };
                let message = format!(
                    "{} already has a `{first_name}` handler; remove `{extra_name}`, {noun} runs exactly one handler",
                    hook.kind.describe()
                );
                if let Some(diagnostic) = sink.report(&Self::META, extra.key.range, message) {
                    diagnostic.related.push(Related {
                        range: first.key.range,
                        message: format!("`{first_name}` handler set here"),
                    });
                }
            }
        }
    }
}
