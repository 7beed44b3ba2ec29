//! `container-port-name-duplicate`: two ports of one container with the same name.

use std::collections::HashMap;

use super::container_port_name_invalid::is_valid_name;
use super::util::ports;
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;

declare_rule! {
    /// ## What it flags
    /// A port `name` used twice in the `ports` of one container. The same name in two different
    /// containers is accepted.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `ports[1].name: Duplicate value: "http"`. Services and
    /// probes refer to ports by name, so the name has to say which port it means.
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
    ///         - name: http
    ///           containerPort: 8080
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
    ///     - name: sidecar
    ///       image: envoyproxy/envoy:v1.31.0
    ///       ports:
    ///         - name: http
    ///           containerPort: 8080
    /// ```
    pub(crate) ContainerPortNameDuplicate {
        id: "container-port-name-duplicate",
        severity: Error,
    }
}

impl Rule for ContainerPortNameDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            let mut seen: HashMap<&str, TextRange> = HashMap::new();
            for port in ports(&[container]) {
                let Some(entry) = port.node.entry("name") else {
                    continue;
                };
                // Invalid names are reported by `container-port-name-invalid` and, as on the
                // API server, take no part here.
                if !is_valid_name(&entry.value) {
                    continue;
                }
                let Some(name) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                    continue;
                };
                let range = value_range(entry);
                if let Some(first) = seen.get(name) {
                    if let Some(diagnostic) = sink.report(
                        &Self::META,
                        range,
                        format!("port name `{name}` is already used by another port of this container; port names must be unique within a container"),
                    ) {
                        diagnostic.related.push(Related {
                            range: *first,
                            message: format!("`{name}` first used here"),
                        });
                    }
                } else {
                    seen.insert(name, range);
                }
            }
        }
    }
}
