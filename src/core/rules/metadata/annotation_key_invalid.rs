//! `annotation-key-invalid`: an annotation key that is not a qualified name.

use super::util::labelled_metadata;
use crate::core::formats::qualified_name;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// An annotation key, on an object of any built-in kind or a workload's pod template, that
    /// is not a qualified name once lower-cased: an optional DNS subdomain prefix and `/`, then
    /// 1 to 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit.
    /// Upper case letters are fine, also in the prefix.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `metadata.annotations: Invalid value`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     example.com/owner/team: shop
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     Example.COM/Owner: shop team
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) AnnotationKeyInvalid {
        id: "annotation-key-invalid",
        severity: Error,
    }
}

impl Rule for AnnotationKeyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        for metadata in labelled_metadata(ctx) {
            let Some(annotations) = metadata.get("annotations").and_then(|it| it.entries()) else {
                continue;
            };
            for entry in annotations {
                let Some(key) = entry.key.json_key() else {
                    continue;
                };
                if let Err(reason) = qualified_name(&key.to_lowercase()) {
                    sink.report(
                        &Self::META,
                        entry.key.range,
                        format!("annotation key `{key}` is not a valid qualified name: {reason}"),
                    );
                }
            }
        }
    }
}
