//! `probe-port-name-unknown`: a probe or hook that names a port its container does not declare.

use super::util::hooks;
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// A probe's or hook's `httpGet.port` or `tcpSocket.port` given by name, when no entry of
    /// the same container's `ports` has that `name`.
    ///
    /// ## Why it matters
    /// The API server does not check this, but the kubelet cannot resolve the name: the probe
    /// fails every time (a liveness probe then restarts the container forever) and the hook
    /// fails. Port names are looked up in the probing container only, not in its neighbours.
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
    ///       ports:
    ///         - name: http
    ///           containerPort: 80
    ///       readinessProbe:
    ///         httpGet:
    ///           port: web
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
    ///       ports:
    ///         - name: http
    ///           containerPort: 80
    ///       readinessProbe:
    ///         httpGet:
    ///           port: http
    /// ```
    pub(crate) ProbePortNameUnknown {
        id: "probe-port-name-unknown",
        severity: Warning,
        in_patches: false,
    }
}

impl Rule for ProbePortNameUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            let Some(handler) = hook.handler() else {
                continue;
            };
            let Some(field) = handler
                .key
                .scalar_text()
                .filter(|it| matches!(*it, "httpGet" | "tcpSocket"))
            else {
                continue;
            };
            let Some(entry) = handler.value.entry("port") else {
                continue;
            };
            // An invalid name is `probe-port-invalid`'s.
            let Some(name) = entry
                .value
                .as_str()
                .filter(|it| formats::port_name(it).is_ok())
            else {
                continue;
            };
            let declared: Vec<&str> = hook
                .container
                .node
                .get("ports")
                .and_then(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|it| it.get("name").and_then(Node::as_str))
                .collect();
            if declared.contains(&name) {
                continue;
            }
            let known = if declared.is_empty() {
                "the container declares no named port".to_owned()
            } else {
                format!(
                    "its ports are named {}",
                    declared
                        .iter()
                        .map(|it| format!("`{it}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            sink.report(
                &Self::META,
                value_range(entry),
                format!(
                    "`{field}.port` of the {} names port `{name}`, which this container does not declare ({known}); the kubelet will fail the {}",
                    hook.kind.describe(),
                    if hook.kind.is_probe() { "probe" } else { "hook" }
                ),
            );
        }
    }
}
