//! `probe-exec-command-missing`: an `exec` probe or hook without a command.

use super::util::hooks;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// An `exec` handler of a probe or lifecycle hook whose `command` is missing or empty.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe.exec.command: Required value`.
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
    ///         exec:
    ///           command: []
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
    ///         exec:
    ///           command: ["cat", "/tmp/healthy"]
    /// ```
    pub(crate) ProbeExecCommandMissing {
        id: "probe-exec-command-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for ProbeExecCommandMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            let Some(handler) = hook.handler().filter(|it| it.key.key_eq("exec")) else {
                continue;
            };
            let range = match handler.value.entry("command") {
                Some(command) if command.value.is_null() => command.key.range,
                Some(command) => match command.value.items() {
                    Some([]) => command.key.range,
                    _ => continue,
                },
                // `exec: {}`.
                None if handler.value.entries().is_some() => handler.key.range,
                None => continue,
            };
            sink.report(
                &Self::META,
                range,
                format!(
                    "the `exec` handler of the {} has no `command`; set the command to run, e.g. `command: [\"cat\", \"/tmp/healthy\"]`",
                    hook.kind.describe()
                ),
            );
        }
    }
}
