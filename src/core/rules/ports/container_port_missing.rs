//! `container-port-missing`: a container port without a port number.

use super::util::ports;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `ports` item of a container without `containerPort`, or with `containerPort: 0`, which
    /// the API server treats the same way. A missing key is found by the schema check; this rule
    /// adds the explicit 0.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `ports[0].containerPort: Required value`.
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
    ///         - containerPort: 0
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
    ///         - containerPort: 80
    /// ```
    pub(crate) ContainerPortMissing {
        id: "container-port-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for ContainerPortMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for port in ports(&spec.containers()) {
            if port.container_port() != Some(0) {
                continue;
            }
            let Some(entry) = port.node.entry("containerPort") else {
                continue;
            };
            sink.report(
                &Self::META,
                value_range(entry),
                "`containerPort` is 0, which counts as missing; set the port the container listens on",
            );
        }
    }
}
