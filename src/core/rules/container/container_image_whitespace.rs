//! `container-image-whitespace`: a Pod's container image with surrounding whitespace.

use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::manifest::ContainerKind;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// In a Pod, a container image with leading or trailing whitespace, such as
    /// `image: " nginx:1.27"`. Pod templates are not checked by the API server (some tools use
    /// a blank image as a placeholder there), except for ephemeral containers.
    ///
    /// ## Why it matters
    /// The API server rejects the Pod (`spec.containers[0].image: Invalid value: must not have
    /// leading or trailing whitespace`).
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
    ///       image: "nginx:1.27 "
    /// ```
    pub(crate) ContainerImageWhitespace {
        id: "container-image-whitespace",
        severity: Error,
    }
}

impl Rule for ContainerImageWhitespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            if spec.is_template() && container.kind != ContainerKind::Ephemeral {
                continue;
            }
            let Some(image) = container.node.get("image") else {
                continue;
            };
            let Some(text) = image.as_str() else {
                continue;
            };
            let trimmed = text.trim();
            if trimmed.len() == text.len() {
                continue;
            }
            let message = format!("image `{text}` has leading or trailing whitespace; remove it");
            if let Some(diagnostic) = sink.report(&Self::META, image.range, message)
                && !trimmed.is_empty()
            {
                diagnostic.fix = Some(Fix {
                    title: format!("Change to `{trimmed}`"),
                    edits: vec![TextEdit {
                        range: image.range,
                        new_text: format!("\"{trimmed}\""),
                    }],
                });
            }
        }
    }
}
