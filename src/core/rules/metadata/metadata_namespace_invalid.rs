//! `metadata-namespace-invalid`: a namespace that is not a DNS-1123 label.

use super::kinds::Scope;
use super::util::{lowercase_fix, object_metadata};
use crate::core::formats::dns1123_label;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// The `metadata.namespace` of an object of a namespaced built-in kind that is not a
    /// DNS-1123 label: at most 63 characters of lower case letters, digits and `-`, starting and
    /// ending with a letter or digit. A missing namespace is fine: the request supplies one. On
    /// a cluster-scoped kind (Namespace, ClusterRole, StorageClass, …) the API server drops the
    /// namespace without checking it, so it is not flagged here.
    ///
    /// ## Why it matters
    /// The API server rejects the object: `metadata.namespace: Invalid value`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: Shop.Prod
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) MetadataNamespaceInvalid {
        id: "metadata-namespace-invalid",
        severity: Error,
    }
}

impl Rule for MetadataNamespaceInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some((metadata, rules)) = object_metadata(ctx) else {
            return;
        };
        // The server drops a namespace written on a cluster-scoped kind instead of checking it.
        if rules.scope == Scope::Cluster {
            return;
        }
        let Some(entry) = metadata.entry("namespace") else {
            return;
        };
        // An empty namespace means the request's namespace.
        let Some(value) = entry.value.as_str().filter(|it| !it.is_empty()) else {
            return;
        };
        let Err(reason) = dns1123_label(value) else {
            return;
        };
        let range = value_range(entry);
        if let Some(diagnostic) = sink.report(
            &Self::META,
            range,
            format!("namespace `{value}` is not a valid DNS-1123 label: {reason}"),
        ) {
            diagnostic.fix = lowercase_fix(range, value, dns1123_label);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::core::rules::testing::diagnostics;

    fn flagged(text: &str) -> bool {
        diagnostics(text, 37)
            .iter()
            .any(|it| it.code == "metadata-namespace-invalid")
    }

    #[test]
    fn only_namespaced_kinds_are_checked() {
        // The API server drops the namespace of a cluster-scoped object instead of checking it.
        let cluster = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n  namespace: Team_A\nrules: []\n";
        assert!(!flagged(cluster));
        let namespaced = cluster.replace("ClusterRole", "Role");
        assert!(flagged(&namespaced));
    }
}
