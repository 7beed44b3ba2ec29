//! `container-image-missing`: a container without an image.

use crate::core::manifest::value_range;
use crate::core::rules::pod::util::first_key;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A container, init container or ephemeral container with no `image`, or an empty one, in
    /// a Pod or in any workload's pod template.
    ///
    /// ## Why it matters
    /// The API reference calls `image` optional "to allow higher level config management to
    /// default or override container images in workload controllers", but validation requires
    /// it in Pods and in pod templates alike: the API server rejects the object
    /// (`spec.template.spec.containers[0].image: Required value`).
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels: { app: web }
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       containers:
    ///         - name: web
    /// ```
    pub(crate) ContainerImageMissing {
        id: "container-image-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for ContainerImageMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            let range = match container.node.entry("image") {
                None => first_key(container.node),
                Some(entry) if entry.value.is_null() => entry.key.range,
                Some(entry) if entry.value.as_str() == Some("") => value_range(entry),
                // A non-empty image, or one of the wrong type (the schema pass's).
                Some(_) => continue,
            };
            let message = match container.name() {
                Some(name) if !name.is_empty() => {
                    format!(
                        "container `{name}` has no image; set `image`, e.g. `image: nginx:1.27`"
                    )
                }
                _ => "container has no image; set `image`, e.g. `image: nginx:1.27`".to_owned(),
            };
            sink.report(&Self::META, range, message);
        }
    }
}
