//! `missing-api-version`: a Kubernetes document without `apiVersion`.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// A Kubernetes document whose `apiVersion` is missing or empty.
    ///
    /// ## Why it matters
    /// `kubectl` refuses the document ("apiVersion not set"), and nothing else in it can be
    /// checked against a schema.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) MissingApiVersion {
        id: "missing-api-version",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for MissingApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let root = ctx.manifest.root;
        match root.entry("apiVersion") {
            Some(entry) if entry.value.scalar_text().is_some_and(|it| !it.is_empty()) => {}
            Some(entry) => {
                sink.report(
                    &Self::META,
                    entry.key.range,
                    "`apiVersion` is empty; set it, e.g. `apiVersion: apps/v1`",
                );
            }
            None => {
                sink.report(
                    &Self::META,
                    first_line(root),
                    "missing `apiVersion`; every Kubernetes object needs one, e.g. `apiVersion: v1`",
                );
            }
        }
    }
}

/// The first key of the document, where document-level problems are reported.
pub(crate) fn first_line(root: &Node) -> crate::core::text::TextRange {
    root.entries()
        .and_then(|it| it.first())
        .map_or(root.range, |it| it.key.range)
}
