//! `metadata-name-not-dns-label`: a Pod or workload name that is a valid subdomain but not a
//! DNS label.

use super::util::object_metadata;
use crate::core::formats::{dns1123_label, dns1123_subdomain};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A Pod, Deployment, ReplicaSet, ReplicationController, Job or CronJob name that the API
    /// server accepts (a DNS-1123 subdomain) but that is not a DNS-1123 label: it contains dots,
    /// or is longer than 63 characters. (DaemonSets get no such warning; StatefulSet names must
    /// be labels, see `metadata-name-invalid`.)
    ///
    /// ## Why it matters
    /// The name is used in Pod names and hostnames. The API server accepts the object with a
    /// warning (`WarningsOnCreate` of each kind's registry strategy): "this is used in Pod
    /// names and hostnames, which can result in surprising behavior; a DNS label is
    /// recommended".
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web.v2
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
    ///   name: web-v2
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    pub(crate) MetadataNameNotDnsLabel {
        id: "metadata-name-not-dns-label",
        severity: Warning,
    }
}

impl Rule for MetadataNameNotDnsLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some((metadata, rules)) = object_metadata(ctx) else {
            return;
        };
        if !rules.warn_not_dns_label {
            return;
        }
        let Some(entry) = metadata.entry("name") else {
            return;
        };
        let Some(value) = entry.value.as_str() else {
            return;
        };
        // An invalid subdomain is already an error (`metadata-name-invalid`).
        if dns1123_subdomain(value).is_err() {
            return;
        }
        let Err(reason) = dns1123_label(value) else {
            return;
        };
        let used_in = if rules.kind == "Pod" {
            "the Pod's hostname"
        } else {
            "Pod names and hostnames"
        };
        sink.report(
            &Self::META,
            value_range(entry),
            format!(
                "name `{value}` is not a DNS-1123 label: {reason}; it is used in {used_in}, so a DNS label is recommended"
            ),
        );
    }
}
