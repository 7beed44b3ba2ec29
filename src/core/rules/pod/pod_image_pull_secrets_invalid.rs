//! `pod-image-pull-secrets-invalid`: an `imagePullSecrets` entry with an empty or repeated name.

use std::collections::HashMap;

use super::util::first_key;
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// An `imagePullSecrets` entry whose `name` is missing or empty, or repeats an earlier
    /// entry's name. (Any field other than `name` is an unknown field, reported by
    /// `unknown-field`.)
    ///
    /// ## Why it matters
    /// The API server accepts both but warns: an entry without a name refers to no Secret, and
    /// a repeated one is redundant and may be dropped by `kubectl apply`'s merge.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///     - name: registry
    ///     - name: registry
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) PodImagePullSecretsInvalid {
        id: "pod-image-pull-secrets-invalid",
        severity: Warning,
    }
}

impl Rule for PodImagePullSecretsInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let Some(items) = spec.node.get("imagePullSecrets").and_then(|it| it.items()) else {
            return;
        };
        let mut seen = HashMap::new();
        for item in items {
            if item.entries().is_none() && !item.is_null() {
                continue;
            }
            let entry = item.entry("name");
            // A name of the wrong type is the schema pass's to report.
            if entry.is_some_and(|it| !it.value.is_null() && it.value.as_str().is_none()) {
                continue;
            }
            let name = entry.and_then(|it| it.value.as_str()).unwrap_or_default();
            if name.is_empty() {
                let range = entry.map_or_else(|| first_key(item), value_range);
                sink.report(
                    &Self::META,
                    range,
                    "image pull secret without a name refers to no Secret; set `name` or remove the entry",
                );
                continue;
            }
            let range = entry.map_or(item.range, value_range);
            match seen.get(name) {
                Some(&first) => {
                    if let Some(diagnostic) = sink.report(
                        &Self::META,
                        range,
                        format!("image pull secret `{name}` is listed twice; remove this entry"),
                    ) {
                        diagnostic.related.push(Related {
                            range: first,
                            message: "first listed here".to_owned(),
                        });
                    }
                }
                None => {
                    seen.insert(name, range);
                }
            }
        }
    }
}
