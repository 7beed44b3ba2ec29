//! `container-port-protocol-invalid`: a port protocol other than TCP, UDP or SCTP.

use super::util::ports;
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];

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
            let Some(protocol) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                continue;
            };
            if PROTOCOLS.contains(&protocol) {
                continue;
            }
            let range = value_range(entry);
            let upper = protocol.to_ascii_uppercase();
            let known = PROTOCOLS.contains(&upper.as_str());
            let message = if known {
                format!(
                    "protocol `{protocol}` is not supported: protocols are case-sensitive; use `{upper}`"
                )
            } else {
                format!("protocol `{protocol}` is not supported; use `TCP`, `UDP` or `SCTP`")
            };
            if let Some(diagnostic) = sink.report(&Self::META, range, message)
                && known
            {
                diagnostic.fix = Some(Fix {
                    title: format!("Change the protocol to `{upper}`"),
                    edits: vec![TextEdit {
                        range,
                        new_text: upper,
                    }],
                });
            }
        }
    }
}
