//! `env-name-duplicate`: an environment variable defined twice in one container.

use std::collections::HashMap;

use super::util::env_items;
use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::text::TextRange;

declare_rule! {
    /// ## What it flags
    /// An `env` entry whose `name` was already defined earlier in the same container's `env`.
    /// A later entry that builds on the earlier one (`value: "$(PATH):/opt/bin"` after a `PATH`
    /// entry) is fine; one that is exactly `$(NAME)`, uses `valueFrom`, or does not mention
    /// `$(NAME)` is flagged.
    ///
    /// ## Why it matters
    /// The API server accepts the pod with a warning (`hides previous definition of "X", which
    /// may be dropped when using apply`): only the last value takes effect, and `kubectl apply`
    /// merges `env` by name, so it may drop one of the two on the next apply.
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
    ///         - name: LOG_LEVEL
    ///           value: info
    ///         - name: LOG_LEVEL
    ///           value: debug
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
    ///         - name: JAVA_OPTS
    ///           value: -Xmx512m
    ///         - name: JAVA_OPTS
    ///           value: $(JAVA_OPTS) -XX:+UseG1GC
    /// ```
    pub(crate) EnvNameDuplicate {
        id: "env-name-duplicate",
        severity: Warning,
    }
}

impl Rule for EnvNameDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            let mut seen: HashMap<&str, TextRange> = HashMap::new();
            for item in env_items(&container) {
                let Some(entry) = item.entry("name") else {
                    continue;
                };
                let Some(name) = entry.value.as_str() else {
                    continue;
                };
                let range = value_range(entry);
                let Some(first) = seen.get(name) else {
                    seen.insert(name, range);
                    continue;
                };
                let reference = format!("$({name})");
                let value = item.get("value").and_then(|it| it.as_str()).unwrap_or("");
                let message = if item.get("valueFrom").is_some() {
                    format!(
                        "environment variable `{name}` is defined again, with `valueFrom`, which hides the earlier definition; keep only one of them"
                    )
                } else if value == reference {
                    format!(
                        "environment variable `{name}` is redefined as `{reference}`, which only repeats the earlier value; remove this entry"
                    )
                } else if value.contains(&reference) {
                    // Builds on the earlier value: accepted without a warning.
                    continue;
                } else {
                    format!(
                        "environment variable `{name}` is already defined above and this entry hides it; remove one, or refer to the earlier value as `{reference}`"
                    )
                };
                if let Some(diagnostic) = sink.report(&Self::META, range, message) {
                    diagnostic.related.push(Related {
                        range: *first,
                        message: format!("`{name}` first defined here"),
                    });
                }
            }
        }
    }
}
