//! `metadata-name-invalid`: a Pod or Deployment name (or `generateName`) that is not a DNS-1123
//! subdomain.

use super::util::{generate_name, lowercase_fix, object_metadata};
use crate::core::formats::dns1123_subdomain;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Pod or Deployment `metadata.name` that is not a DNS-1123 subdomain: at most 253
    /// characters of lower case letters, digits, `-` and `.`, each dot-separated part starting
    /// and ending with a letter or digit. `metadata.generateName` is checked the same way,
    /// except that it may end with `-` (a random suffix follows).
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

/// A format check that gives the reason a value fails it.
type NameCheck = fn(&str) -> Result<(), String>;

impl Rule for MetadataNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(metadata) = object_metadata(ctx.manifest) else {
            return;
        };
        let kind = ctx.manifest.kind().unwrap_or("object");
        let checks: [(&str, NameCheck); 2] =
            [("name", dns1123_subdomain), ("generateName", generate_name)];
        for (field, check) in checks {
            let Some(entry) = metadata.entry(field) else {
                continue;
            };
            // An empty name is `metadata-name-missing`; another type is a type error.
            let Some(value) = entry.value.as_str().filter(|it| !it.is_empty()) else {
                continue;
            };
            let Err(reason) = check(value) else {
                continue;
            };
            let what = if field == "name" {
                format!("{kind} name")
            } else {
                format!("{kind} `generateName`")
            };
            let message = format!("{what} `{value}` is not a valid DNS-1123 subdomain: {reason}");
            let range = value_range(entry);
            if let Some(diagnostic) = sink.report(&Self::META, range, message) {
                diagnostic.fix = lowercase_fix(range, value, check);
            }
        }
    }
}
