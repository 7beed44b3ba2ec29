//! `metadata-name-missing`: an object with neither `name` nor `generateName`.

use super::kinds::object_kind;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::Entry;

declare_rule! {
    /// ## What it flags
    /// An object of a built-in kind whose `metadata` has neither `name` nor `generateName`, or
    /// whose name is empty. It is reported on `metadata:`, or on the first line of the document
    /// when there is no `metadata` at all. Requests that are answered on the spot and never
    /// stored (a SubjectAccessReview, a TokenReview) need no name and are not flagged.
    ///
    /// ## Why it matters
    /// The API server answers `metadata.name: Required value: name or generateName is
    /// required`. `kubectl apply` needs a `name`; `generateName` only works with
    /// `kubectl create`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   labels:
    ///     app: web
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
    ///   generateName: web-
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) MetadataNameMissing {
        id: "metadata-name-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for MetadataNameMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let manifest = ctx.manifest;
        let Some(rules) = object_kind(ctx) else {
            return;
        };
        let kind = rules.kind;
        let Some(metadata_entry) = manifest.root.entry("metadata") else {
            let range = manifest
                .root
                .entries()
                .and_then(<[_]>::first)
                .map_or(manifest.root.range, |it| it.key.range);
            sink.report(
                &Self::META,
                range,
                format!("this {kind} has no `metadata`; add `metadata:` with a `name`"),
            );
            return;
        };
        let metadata = &metadata_entry.value;
        if metadata.entries().is_none() && !metadata.is_null() {
            return;
        }
        let name = metadata.entry("name").filter(|it| !it.value.is_null());
        let generate_name = metadata
            .entry("generateName")
            .filter(|it| !it.value.is_null());
        // A name of another type is a type error, which the schema pass reports.
        let has_value =
            |entry: Option<&Entry>| entry.is_some_and(|it| it.value.as_str() != Some(""));
        if has_value(name) || has_value(generate_name) {
            return;
        }
        match name {
            Some(entry) => {
                sink.report(
                    &Self::META,
                    value_range(entry),
                    format!("the {kind}'s `name` is empty; give it a name"),
                );
            }
            None => {
                sink.report(
                    &Self::META,
                    metadata_entry.key.range,
                    format!(
                        "this {kind} has no `metadata.name`; add `name:` (or `generateName:` for `kubectl create`)"
                    ),
                );
            }
        }
    }
}
