//! `metadata-name-invalid`: an object name (or `generateName`) that does not have its kind's
//! name format.

use super::util::{lowercase_fix, object_metadata};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A `metadata.name` of a built-in kind that does not have that kind's name format.
    /// `metadata.generateName` is checked the same way, except that it may end with `-` (a
    /// random suffix follows). The formats, from each kind's validation in the Kubernetes
    /// source (`pkg/apis/*/validation`):
    ///
    /// - most kinds (Pod, Deployment, ConfigMap, Secret, Ingress, …): a DNS-1123 subdomain, at
    ///   most 253 characters of lower case letters, digits, `-` and `.`, each dot-separated part
    ///   starting and ending with a letter or digit;
    /// - Namespace and StatefulSet: a DNS-1123 label, at most 63 characters and no dots;
    /// - Service: a DNS-1035 label (a label that starts with a letter, so `2048-game` is
    ///   rejected) up to Kubernetes 1.35, a DNS-1123 label from 1.36;
    /// - Role, ClusterRole, their bindings, PodDisruptionBudget and kinds without a rule of
    ///   their own: only the rule every name obeys, not `.` or `..` and no `/` or `%`
    ///   (so `system:auth-delegator` is fine).
    ///
    /// ## Why it matters
    /// The API server rejects the object: `metadata.name: Invalid value: "Web": a lowercase
    /// RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: Web_Frontend
    /// spec:
    ///   selector:
    ///     matchLabels: { app: web }
    ///   template:
    ///     metadata:
    ///       labels: { app: web }
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
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
    pub(crate) MetadataNameInvalid {
        id: "metadata-name-invalid",
        severity: Error,
    }
}

impl Rule for MetadataNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some((metadata, rules)) = object_metadata(ctx) else {
            return;
        };
        let kind = rules.kind;
        let version = ctx.version;
        let format = rules.name;
        for field in ["name", "generateName"] {
            let Some(entry) = metadata.entry(field) else {
                continue;
            };
            // An empty name is `metadata-name-missing`; another type is a type error.
            let Some(value) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                continue;
            };
            let check = |value: &str| {
                if field == "name" {
                    format.check(value, version)
                } else {
                    format.check_prefix(value, version)
                }
            };
            let Err(reason) = check(value) else {
                continue;
            };
            let what = if field == "name" {
                format!("{kind} name")
            } else {
                format!("{kind} `generateName`")
            };
            let message = format!(
                "{what} `{value}` is not {}: {reason}",
                format.describe(version).replacen("a ", "a valid ", 1)
            );
            let range = value_range(entry);
            if let Some(diagnostic) = sink.report(&Self::META, range, message) {
                diagnostic.fix = lowercase_fix(range, value, check);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::testing::diagnostics;

    fn messages(text: &str, minor: u32) -> Vec<String> {
        diagnostics(text, minor)
            .into_iter()
            .filter(|it| it.code == "metadata-name-invalid")
            .map(|it| it.message)
            .collect()
    }

    const GAME: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: 2048-game\nspec:\n  ports:\n    - port: 80\n";

    #[test]
    fn service_names_starting_with_a_digit_are_valid_from_1_36() {
        assert_eq!(
            messages(GAME, 35),
            ["Service name `2048-game` is not a valid DNS-1035 label: must start with a letter"]
        );
        assert!(messages(GAME, 36).is_empty());
    }

    #[test]
    fn a_placeholder_name_is_called_one() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-config\n";
        let got = messages(text, 37);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("ConfigMap name `${APP}-config` is not a valid DNS-1123 subdomain: `${APP}` looks like an unexpanded placeholder"),
            "{got:?}"
        );
    }

    #[test]
    fn the_case_fix_uses_the_kind_format() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Team-A\n";
        let found = diagnostics(text, 37);
        let fix = found
            .iter()
            .find(|it| it.code == "metadata-name-invalid")
            .and_then(|it| it.fix.as_ref())
            .map(|it| it.title.clone());
        assert_eq!(fix.as_deref(), Some("Change to `team-a`"));
    }
}
