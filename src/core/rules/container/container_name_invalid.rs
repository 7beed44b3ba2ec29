//! `container-name-invalid`: a container name that is not a DNS-1123 label.

use crate::core::formats::dns1123_label;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A container, init container or ephemeral container whose `name` is empty or not a
    /// DNS-1123 label: lower case letters, digits and `-`, starting and ending with a letter or
    /// digit, at most 63 characters. Dots, `_` and upper case are not allowed.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.containers[0].name: Invalid value`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: Web_Server
    ///       image: nginx:1.27
    /// ```
    pub(crate) ContainerNameInvalid {
        id: "container-name-invalid",
        severity: Error,
    }
}

impl Rule for ContainerNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            let Some(entry) = container.node.entry("name") else {
                continue;
            };
            // A missing name (or null) is `container-name-missing`, a wrong type `type-mismatch`.
            let Some(name) = entry.value.as_str() else {
                continue;
            };
            let message = if name.is_empty() {
                "container name must not be empty".to_owned()
            } else if let Err(reason) = dns1123_label(name) {
                format!("container name `{name}` is not a valid DNS-1123 label: {reason}")
            } else {
                continue;
            };
            sink.report(&Self::META, value_range(entry), message);
        }
    }
}
