//! `missing-kind`: a Kubernetes document without `kind`.

use super::missing_api_version::first_line;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Kubernetes document whose `kind` is missing or empty.
    ///
    /// ## Why it matters
    /// `kubectl` refuses the document ("Object 'Kind' is missing"), and nothing else in it can
    /// be checked against a schema.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) MissingKind {
        id: "missing-kind",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for MissingKind {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let root = ctx.manifest.root;
        match root.entry("kind") {
            Some(entry) if entry.value.scalar_text().is_some_and(|it| !it.is_empty()) => {}
            Some(entry) => {
                sink.report(
                    &Self::META,
                    entry.key.range,
                    "`kind` is empty; set it, e.g. `kind: Deployment`",
                );
            }
            None => {
                sink.report(
                    &Self::META,
                    first_line(root),
                    "missing `kind`; every Kubernetes object needs one, e.g. `kind: Deployment`",
                );
            }
        }
    }
}
