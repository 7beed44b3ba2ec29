//! `container-port-out-of-range`: a container or host port outside 1..65535.

use super::util::ports;
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `containerPort` outside 1..65535, or a `hostPort` that is set (not 0) and outside
    /// 1..65535. A `containerPort` of 0 is reported by `container-port-missing` instead.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `ports[0].containerPort: Invalid value: 70000: must be
    /// between 1 and 65535, inclusive`.
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
    ///         - containerPort: 80800
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
    ///         - containerPort: 8080
    ///           hostPort: 0
    /// ```
    pub(crate) ContainerPortOutOfRange {
        id: "container-port-out-of-range",
        severity: Error,
    }
}

impl Rule for ContainerPortOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for port in ports(&spec.containers()) {
            for key in ["containerPort", "hostPort"] {
                let Some(entry) = port.node.entry(key) else {
                    continue;
                };
                let Some(value) = entry.value.as_i64() else {
                    continue;
                };
                // 0 means "missing" for containerPort and "not exposed" for hostPort.
                if value == 0 {
                    continue;
                }
                if let Err(reason) = formats::port_number(value) {
                    let shown = entry
                        .value
                        .scalar_text()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    sink.report(
                        &Self::META,
                        value_range(entry),
                        format!("`{key}` `{shown}` {reason}"),
                    );
                }
            }
        }
    }
}
