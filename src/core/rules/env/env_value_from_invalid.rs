//! `env-value-from-invalid`: a `valueFrom` with no source, two sources, or next to a `value`.

use super::util::env_items;
use super::util::string_or_empty;
use crate::core::diagnostic::Related;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

/// The sources of `valueFrom`, in the order the API server counts them. `fileKeyRef` exists from
/// Kubernetes 1.34 (the schema check flags it in older versions).
const SOURCES: [&str; 5] = [
    "fieldRef",
    "resourceFieldRef",
    "configMapKeyRef",
    "secretKeyRef",
    "fileKeyRef",
];

declare_rule! {
    /// ## What it flags
    /// An `env` entry whose `valueFrom` names no source, names more than one of `fieldRef`,
    /// `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` (and `fileKeyRef` from 1.34), or
    /// comes with a non-empty `value`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `env[0].valueFrom: Invalid value: "": may not be
    /// specified when `value` is not empty` (or "must specify one of", or "may not have more
    /// than one field specified at a time").
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
    ///       env:
    ///         - name: PASSWORD
    ///           value: changeme
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: db
    ///               key: password
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
    ///       env:
    ///         - name: PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: db
    ///               key: password
    /// ```
    pub(crate) EnvValueFromInvalid {
        id: "env-value-from-invalid",
        severity: Error,
    }
}

impl Rule for EnvValueFromInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            for item in env_items(&container) {
                let Some(value_from) = item
                    .entry("valueFrom")
                    .filter(|it| it.value.entries().is_some())
                else {
                    continue;
                };
                let sources: Vec<_> = SOURCES
                    .iter()
                    .filter_map(|key| value_from.value.entry(key).filter(|it| !it.value.is_null()))
                    .collect();
                let value = string_or_empty(item, "value").unwrap_or("");
                if sources.is_empty() {
                    sink.report(
                        &Self::META,
                        value_from.key.range,
                        "`valueFrom` names no source; set one of `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                    );
                } else if !value.is_empty() {
                    let message = "`valueFrom` may not be used together with a non-empty `value`; keep one of them";
                    if let Some(diagnostic) =
                        sink.report(&Self::META, value_from.key.range, message)
                        && let Some(value) = item.entry("value")
                    {
                        diagnostic.related.push(Related {
                            range: value.key.range,
                            message: "`value` set here".to_owned(),
                        });
                    }
                } else if let [first, rest @ ..] = sources.as_slice() {
                    let first_name = first.key.scalar_text().unwrap_or_default();
                    for extra in rest {
                        let extra_name = extra.key.scalar_text().unwrap_or_default();
                        let message = format!(
                            "`valueFrom` may name only one source, but has `{first_name}` and `{extra_name}`; keep one"
                        );
                        if let Some(diagnostic) = sink.report(&Self::META, extra.key.range, message)
                        {
                            diagnostic.related.push(Related {
                                range: first.key.range,
                                message: format!("`{first_name}` set here"),
                            });
                        }
                    }
                }
            }
        }
    }
}
