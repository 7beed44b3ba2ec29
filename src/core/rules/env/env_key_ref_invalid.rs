//! `env-key-ref-invalid`: a `configMapKeyRef` or `secretKeyRef` with a bad name or key.

use super::util::{env_items, mapping};
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// In `env[].valueFrom`, a `configMapKeyRef` or `secretKeyRef` whose `name` is missing,
    /// empty or not a DNS-1123 subdomain, or whose `key` is empty or not a valid key (letters,
    /// digits, `-`, `_` and `.`, at most 253 characters, not `.`, `..` or starting with `..`).
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `env[0].valueFrom.secretKeyRef.name: Invalid value: "":
    /// a lowercase RFC 1123 subdomain must consist of ...`. The schema calls `name` optional,
    /// but validation requires it.
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
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: DB_Secret
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
    ///               name: db-secret
    ///               key: DB_PASSWORD
    /// ```
    pub(crate) EnvKeyRefInvalid {
        id: "env-key-ref-invalid",
        severity: Error,
    }
}

impl Rule for EnvKeyRefInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            for item in env_items(&container) {
                let Some(value_from) = mapping(item, "valueFrom") else {
                    continue;
                };
                for (field, what) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")]
                {
                    let Some(reference) = value_from
                        .entry(field)
                        .filter(|it| it.value.entries().is_some())
                    else {
                        continue;
                    };
                    let selector = &reference.value;
                    match selector.entry("name").filter(|it| !it.value.is_null()) {
                        None => {
                            sink.report(
                                &Self::META,
                                reference.key.range,
                                format!(
                                    "`{field}` has no `name`; set the name of the {what} to read"
                                ),
                            );
                        }
                        Some(entry) => {
                            if let Some(name) = entry.value.as_str() {
                                let problem = if name.is_empty() {
                                    Some(format!(
                                        "`{field}.name` is empty; set the name of the {what} to read"
                                    ))
                                } else {
                                    formats::dns1123_subdomain(name).err().map(|reason| {
                                        format!("{what} name `{name}` is not a valid DNS-1123 subdomain: {reason}")
                                    })
                                };
                                if let Some(message) = problem {
                                    sink.report(&Self::META, value_range(entry), message);
                                }
                            }
                        }
                    }
                    if let Some(entry) = selector.entry("key")
                        && let Some(key) = entry.value.as_str()
                    {
                        let problem = if key.is_empty() {
                            Some(format!(
                                "`{field}.key` is empty; set the key to read from the {what}"
                            ))
                        } else {
                            formats::config_key(key)
                                .err()
                                .map(|reason| format!("{what} key `{key}` is not valid: {reason}"))
                        };
                        if let Some(message) = problem {
                            sink.report(&Self::META, value_range(entry), message);
                        }
                    }
                }
            }
        }
    }
}
