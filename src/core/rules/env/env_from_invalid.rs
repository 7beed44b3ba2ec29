//! `env-from-invalid`: an `envFrom` item without exactly one valid source.

use super::util::{env_from_items, first_key};
use crate::core::diagnostic::Related;
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// An `envFrom` item that names neither or both of `configMapRef` and `secretRef`, or whose
    /// reference has no `name` or a name that is not a DNS-1123 subdomain. (A trailing `-` is
    /// tolerated here, as the API server does.) An invalid `prefix` is reported by
    /// `env-name-invalid`.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `envFrom: Invalid value: "": must specify one of:
    /// `configMapRef` or `secretRef``, or `envFrom[0].configMapRef.name: Required value`.
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
    ///       envFrom:
    ///         - prefix: APP_
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
    ///       envFrom:
    ///         - prefix: APP_
    ///           configMapRef:
    ///             name: web-config
    /// ```
    pub(crate) EnvFromInvalid {
        id: "env-from-invalid",
        severity: Error,
    }
}

impl Rule for EnvFromInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            for item in env_from_items(&container) {
                let sources: Vec<_> = [("configMapRef", "ConfigMap"), ("secretRef", "Secret")]
                    .into_iter()
                    .filter_map(|(field, what)| {
                        item.entry(field)
                            .filter(|it| !it.value.is_null())
                            .map(|it| (field, what, it))
                    })
                    .collect();
                match sources.as_slice() {
                    [] => {
                        sink.report(
                            &Self::META,
                            first_key(item),
                            "`envFrom` item names no source; set `configMapRef` or `secretRef`",
                        );
                    }
                    [_, (_, _, second)] => {
                        let message = "`envFrom` item may name only one source, but has both `configMapRef` and `secretRef`; split it into two items";
                        if let Some(diagnostic) =
                            sink.report(&Self::META, second.key.range, message)
                        {
                            diagnostic.related.push(Related {
                                range: sources[0].2.key.range,
                                message: "`configMapRef` set here".to_owned(),
                            });
                        }
                    }
                    _ => {}
                }
                for (field, what, reference) in &sources {
                    if reference.value.entries().is_none() {
                        continue;
                    }
                    match reference
                        .value
                        .entry("name")
                        .filter(|it| !it.value.is_null())
                    {
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
                            let Some(name) = entry.value.as_str() else {
                                continue;
                            };
                            let problem = if name.is_empty() {
                                Some(format!(
                                    "`{field}.name` is empty; set the name of the {what} to read"
                                ))
                            } else {
                                formats::dns1123_subdomain(&mask_trailing_dash(name))
                                    .err()
                                    .map(|reason| format!("{what} name `{name}` is not a valid DNS-1123 subdomain: {reason}"))
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
}

/// The API server checks these names as name prefixes: a trailing `-` is replaced (together
/// with the character before it) by a letter before the subdomain check.
fn mask_trailing_dash(name: &str) -> String {
    match name.strip_suffix('-') {
        Some(rest) if name.len() > 1 => {
            let mut chars = rest.chars();
            chars.next_back();
            format!("{}a", chars.as_str())
        }
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_trailing_dash;

    #[test]
    fn trailing_dash() {
        assert_eq!(mask_trailing_dash("config-"), "confia");
        assert_eq!(mask_trailing_dash("a-"), "a");
        assert_eq!(mask_trailing_dash("-"), "-");
        assert_eq!(mask_trailing_dash("config"), "config");
    }
}
