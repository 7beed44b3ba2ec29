//! `env-name-invalid`: an environment variable name (or `envFrom` prefix) the API server rejects.

use super::util::{env_from_items, env_items};
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// An `env[].name` or a non-empty `envFrom[].prefix` that is not a valid environment
    /// variable name for the chosen Kubernetes version, and an empty `env[].name`.
    ///
    /// From Kubernetes 1.32 on (RelaxedEnvironmentVariableValidation, on by default, GA in
    /// 1.34) a name may hold any printable ASCII character but `=`. Up to 1.31 it must match
    /// `[-._a-zA-Z][-._a-zA-Z0-9]*` and must not be `.`, `..` or start with `..`, so `1VAR` or
    /// `MY VAR` are rejected there.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `env[0].name: Invalid value: "MY=VAR": ...`.
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
    ///         - name: LOG=debug
    ///           value: "1"
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
    ///         - name: LOG_LEVEL
    ///           value: debug
    /// ```
    pub(crate) EnvNameInvalid {
        id: "env-name-invalid",
        severity: Error,
    }
}

impl Rule for EnvNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        let relaxed = ctx.version.minor >= 32;
        let rule_note = if relaxed {
            String::new()
        } else {
            format!(
                " (Kubernetes {} uses the strict rule; 1.32 and later accept any printable ASCII but `=`)",
                ctx.version
            )
        };
        for container in spec.containers() {
            for item in env_items(&container) {
                let Some(entry) = item.entry("name") else {
                    continue;
                };
                let Some(name) = entry.value.as_str() else {
                    continue;
                };
                if name.is_empty() {
                    sink.report(
                        &Self::META,
                        value_range(entry),
                        "environment variable name is empty; give the variable a name",
                    );
                    continue;
                }
                if let Err(reason) = formats::env_var_name(name, relaxed) {
                    sink.report(
                        &Self::META,
                        value_range(entry),
                        format!(
                            "environment variable name `{name}` is not valid: {reason}{rule_note}"
                        ),
                    );
                }
            }
            for item in env_from_items(&container) {
                let Some(entry) = item.entry("prefix") else {
                    continue;
                };
                let Some(prefix) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                    continue;
                };
                if let Err(reason) = formats::env_var_name(prefix, relaxed) {
                    sink.report(
                        &Self::META,
                        value_range(entry),
                        format!("`envFrom` prefix `{prefix}` is not a valid environment variable name: {reason}{rule_note}"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    fn codes(text: &str, minor: u32) -> Vec<String> {
        crate::core::rules::testing::diagnostics(text, minor)
            .into_iter()
            .filter(|it| it.code == "env-name-invalid")
            .map(|it| it.message)
            .collect()
    }

    const POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      env:
        - name: 1ST VAR
          value: x
        - name: GOOD
          value: x
      envFrom:
        - prefix: 'my prefix '
          configMapRef:
            name: config
";

    #[test]
    fn strict_up_to_1_31() {
        assert_eq!(codes(POD, 31).len(), 2);
        assert_eq!(codes(POD, 30).len(), 2);
    }

    #[test]
    fn relaxed_from_1_32() {
        assert!(codes(POD, 32).is_empty());
        assert!(codes(POD, 37).is_empty());
    }
}
