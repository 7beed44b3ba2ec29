//! `container-port-name-invalid`: a port name that is not an IANA service name.

use super::util::ports;
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// A container port `name` that is not an IANA service name: at most 15 characters of
    /// lower case letters, digits and `-`, with at least one letter, no `--`, and no `-` at
    /// either end. An empty name counts as no name.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `ports[0].name: Invalid value: "HTTP": must contain
    /// only alpha-numeric characters (a-z, 0-9), and hyphens (-)`. Port names are stricter
    /// than container names: `metrics-endpoint` (16 characters) is too long.
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
    ///         - name: HTTP
    ///           containerPort: 80
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
    /// ```
    pub(crate) ContainerPortNameInvalid {
        id: "container-port-name-invalid",
        severity: Error,
    }
}

impl Rule for ContainerPortNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for port in ports(&spec.containers()) {
            let Some(entry) = port.node.entry("name") else {
                continue;
            };
            let Some(name) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                continue;
            };
            if let Err(reason) = formats::port_name(name) {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!("port name `{name}` is not a valid IANA service name: {reason}"),
                );
            }
        }
    }
}

/// Whether `node` is a port name the API server accepts (used to skip cascades).
pub(super) fn is_valid_name(node: &Node) -> bool {
    node.as_str()
        .is_some_and(|it| formats::port_name(it).is_ok())
}
