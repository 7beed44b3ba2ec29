//! `container-port-protocol-invalid`: a port protocol other than TCP, UDP or SCTP.

use super::util::ports;
use crate::core::rules::enums::check_enum;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::values::PROTOCOLS;

declare_rule! {
    /// ## What it flags
    /// A container port `protocol` that is not `TCP`, `UDP` or `SCTP`. The values are
    /// case-sensitive: `tcp` is rejected. An absent (or empty) protocol means `TCP`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `ports[0].protocol: Unsupported value: "tcp": supported
    /// values: "SCTP", "TCP", "UDP"`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
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
    ///           protocol: udp
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
    ///           protocol: UDP
    /// ```
    pub(crate) ContainerPortProtocolInvalid {
        id: "container-port-protocol-invalid",
        severity: Error,
    }
}

impl Rule for ContainerPortProtocolInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for port in ports(&spec.containers()) {
            let Some(entry) = port.node.entry("protocol") else {
                continue;
            };
            if entry.value.as_str().is_some_and(|it| !it.is_empty()) {
                check_enum(sink, &Self::META, entry, PROTOCOLS);
            }
        }
    }
}
