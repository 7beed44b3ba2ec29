//! `container-name-duplicate`: two containers of a pod with the same name.

use std::collections::HashMap;

use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A container whose `name` is already used in the same pod, by a container, an init
    /// container or an ephemeral container: names are unique across the three lists. The
    /// later one is flagged, pointing at the first.
    ///
    /// ## Why it matters
    /// The API server rejects the object (`spec.initContainers[0].name: Duplicate value`).
    /// Logs, `kubectl exec -c` and status all find containers by name.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   initContainers:
    ///     - name: web
    ///       image: busybox:1.36
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) ContainerNameDuplicate {
        id: "container-name-duplicate",
        severity: Error,
    }
}

impl Rule for ContainerNameDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        // Regular containers come first, as the server checks init containers against them.
        let mut seen = HashMap::new();
        for container in spec.containers() {
            let Some(entry) = container.node.entry("name") else {
                continue;
            };
            let Some(name) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                continue;
            };
            let range = value_range(entry);
            let Some(&(first, kind)) = seen.get(name) else {
                seen.insert(name, (range, container.kind));
                continue;
            };
            let message = if kind == container.kind {
                format!("container name `{name}` is used twice; container names must be unique")
            } else {
                format!(
                    "container name `{name}` is already used in `{}`; names must be unique across containers, initContainers and ephemeralContainers",
                    kind.field()
                )
            };
            if let Some(diagnostic) = sink.report(&Self::META, range, message) {
                diagnostic.related.push(Related {
                    range: first,
                    message: "first used here".to_owned(),
                });
            }
        }
    }
}
