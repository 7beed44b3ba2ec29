//! `pod-host-network-port-mismatch`: a `hostPort` that differs from its `containerPort` in a
//! pod on the host network.

use crate::core::diagnostic::Related;
use crate::core::manifest::{ContainerKind, value_range};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// With `hostNetwork: true`, a container port whose `hostPort` is set and differs from its
    /// `containerPort`. An unset (or `0`) `hostPort` is fine: in a Pod it is defaulted to the
    /// `containerPort`, and a template leaves it for the Pod.
    ///
    /// ## Why it matters
    /// On the host network the container listens on the host's interfaces directly, so there is
    /// no port mapping; the API server rejects the object (`hostPort: Invalid value: must match
    /// containerPort when hostNetwork is true`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 80
    ///           hostPort: 8080
    /// ```
    pub(crate) PodHostNetworkPortMismatch {
        id: "pod-host-network-port-mismatch",
        severity: Error,
    }
}

impl Rule for PodHostNetworkPortMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        if spec.node.get("hostNetwork").and_then(Node::as_bool) != Some(true) {
            return;
        }
        // The server checks regular containers only.
        let containers = spec
            .containers()
            .into_iter()
            .filter(|it| it.kind == ContainerKind::Regular);
        for container in containers {
            let Some(ports) = container.node.get("ports").and_then(Node::items) else {
                continue;
            };
            for port in ports {
                let Some(host) = port.entry("hostPort") else {
                    continue;
                };
                let Some(host_port) = host.value.as_i64().filter(|it| *it != 0) else {
                    continue;
                };
                // A missing containerPort is a problem of its own.
                let Some(container_entry) = port.entry("containerPort") else {
                    continue;
                };
                let Some(container_port) = container_entry.value.as_i64() else {
                    continue;
                };
                if host_port == container_port {
                    continue;
                }
                let message = format!(
                    "hostPort `{host_port}` must match containerPort `{container_port}` when `hostNetwork` is true; set it to {container_port} or remove it"
                );
                if let Some(diagnostic) = sink.report(&Self::META, value_range(host), message) {
                    diagnostic.related.push(Related {
                        range: value_range(container_entry),
                        message: "the container port".to_owned(),
                    });
                }
            }
        }
    }
}
