//! `container-host-port-conflict`: two ports of a pod that bind the same host port.

use std::collections::HashMap;

use super::util::{Port, describe, host_network_pod, ports};
use crate::core::diagnostic::Related;
use crate::core::manifest::{Container, ContainerKind};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// Two ports of the pod's containers that bind the same `hostPort` with the same `protocol`
    /// and `hostIP`. All regular containers are checked together; each init container is checked
    /// on its own, since init containers run one at a time. In a Pod with `hostNetwork: true`,
    /// an unset `hostPort` counts as the `containerPort`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `ports[0].hostPort: Duplicate value: "TCP//8080"`. Two
    /// processes cannot listen on the same address of the node.
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
    ///         - containerPort: 80
    ///           hostPort: 8080
    ///     - name: api
    ///       image: nginx:1.27
    ///       ports:
    ///         - containerPort: 81
    ///           hostPort: 8080
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: dns
    /// spec:
    ///   containers:
    ///     - name: dns
    ///       image: coredns/coredns:1.11.3
    ///       ports:
    ///         - containerPort: 53
    ///           hostPort: 53
    ///           protocol: UDP
    ///         - containerPort: 53
    ///           hostPort: 53
    ///           protocol: TCP
    /// ```
    pub(crate) ContainerHostPortConflict {
        id: "container-host-port-conflict",
        severity: Error,
    }
}

impl Rule for ContainerHostPortConflict {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let host_network = host_network_pod(&spec);
        for group in conflict_groups(&spec.containers()) {
            let mut seen: HashMap<(&str, &str, i64), Port<'_>> = HashMap::new();
            for port in ports(&group) {
                let Some(key) = binding(&port, host_network) else {
                    continue;
                };
                let (protocol, host_ip, host_port) = key;
                if let Some(first) = seen.get(&key) {
                    let at = if host_ip.is_empty() {
                        String::new()
                    } else {
                        format!(" on {host_ip}")
                    };
                    let whose = if std::ptr::eq(first.container.node, port.container.node) {
                        "another port of this container".to_owned()
                    } else {
                        describe(&first.container)
                    };
                    let message = format!(
                        "host port {host_port}/{protocol}{at} is already bound by {whose}; two ports of a pod cannot bind the same host port"
                    );
                    if let Some(diagnostic) = sink.report(&Self::META, port.host_range(), message) {
                        diagnostic.related.push(Related {
                            range: first.host_range(),
                            message: format!("host port {host_port}/{protocol} first bound here"),
                        });
                    }
                } else {
                    seen.insert(key, port);
                }
            }
        }
    }
}

/// The host binding of a port: protocol, host IP and host port, when it binds one.
pub(super) fn binding<'a>(port: &Port<'a>, host_network: bool) -> Option<(&'a str, &'a str, i64)> {
    let host_port = port.host_port(host_network)?;
    if host_port == 0 {
        return None;
    }
    Some((port.protocol()?, port.host_ip()?, host_port))
}

/// The sets of containers whose host ports must not collide: all regular containers together,
/// and each init container alone. Ephemeral containers are not checked.
pub(super) fn conflict_groups<'a>(containers: &[Container<'a>]) -> Vec<Vec<Container<'a>>> {
    let regular = containers
        .iter()
        .filter(|it| it.kind == ContainerKind::Regular)
        .copied()
        .collect();
    let mut res = vec![regular];
    res.extend(
        containers
            .iter()
            .filter(|it| it.kind == ContainerKind::Init)
            .map(|it| vec![*it]),
    );
    res
}
