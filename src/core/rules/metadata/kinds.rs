//! What the API server requires of each built-in kind's `metadata`: the format of its name and
//! whether it lives in a namespace. This is the one table every metadata rule reads; a kind
//! that needs more of its own (a CronJob's 52-character limit) adds a rule, not a row format.
//!
//! Sources, in kubernetes/kubernetes: the `Validate<Kind>` functions of `pkg/apis/*/validation`
//! (the name function each passes to `ValidateObjectMeta`), and
//! `staging/src/k8s.io/apiserver/pkg/registry/rest/create.go` (`BeforeCreate`), which checks
//! every object against `path.ValidatePathSegmentName` and drops a `metadata.namespace` written
//! on a cluster-scoped kind. Kinds whose own name function is not listed here get that generic
//! rule only, so the table never rejects a name the server accepts.

use super::super::Context;
use super::super::document::{ApiStatus, classify};
use crate::core::formats::{
    dns1035_label, dns1123_label, dns1123_subdomain, path_segment_name, path_segment_prefix,
};
use crate::core::schema::{KubeVersion, api_group};

/// The format of a kind's `metadata.name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameFormat {
    /// A DNS-1123 subdomain: at most 253 characters, dots allowed (`NameIsDNSSubdomain`).
    Subdomain,
    /// A DNS-1123 label: at most 63 characters, no dots (`NameIsDNSLabel`).
    Label,
    /// A Service name: a DNS-1035 label (starting with a letter) up to Kubernetes 1.35, a
    /// DNS-1123 label from 1.36 (`ValidateServiceName`, feature RelaxedServiceNameValidation,
    /// beta and on by default in 1.36).
    Service,
    /// Only the generic rule: not `.` or `..`, no `/` or `%` (`ValidatePathSegmentName`).
    PathSegment,
}

/// The first version whose Service names are DNS-1123 labels rather than DNS-1035 labels.
const RELAXED_SERVICE_NAMES: KubeVersion = KubeVersion::new(36);

impl NameFormat {
    /// What a valid name is, for messages: "a DNS-1123 subdomain".
    pub(crate) fn describe(self, version: KubeVersion) -> &'static str {
        match self {
            NameFormat::Subdomain => "a DNS-1123 subdomain",
            NameFormat::Label => "a DNS-1123 label",
            NameFormat::Service if version < RELAXED_SERVICE_NAMES => "a DNS-1035 label",
            NameFormat::Service => "a DNS-1123 label",
            NameFormat::PathSegment => "a valid name",
        }
    }

    /// Checks a whole name.
    pub(crate) fn check(self, name: &str, version: KubeVersion) -> Result<(), String> {
        match self {
            NameFormat::Subdomain => dns1123_subdomain(name),
            NameFormat::Label => dns1123_label(name),
            NameFormat::Service if version < RELAXED_SERVICE_NAMES => dns1035_label(name),
            NameFormat::Service => dns1123_label(name),
            NameFormat::PathSegment => path_segment_name(name),
        }
    }

    /// Checks a `generateName` prefix, which may end with `-` because a random suffix follows.
    /// The API server checks it twice: the prefix itself (for the DNS formats with its last two
    /// characters masked by one letter when it ends with `-`, so `web-` is checked as `wa`),
    /// and then the generated name (the prefix cut to 58 characters, plus 5 letters and digits).
    pub(crate) fn check_prefix(self, prefix: &str, version: KubeVersion) -> Result<(), String> {
        match self {
            NameFormat::PathSegment => path_segment_prefix(prefix)?,
            _ => match prefix.strip_suffix('-') {
                Some(_) if prefix.len() > 1 && prefix.is_ascii() => {
                    let masked = format!("{}a", &prefix[..prefix.len() - 2]);
                    self.check(&masked, version)?;
                }
                _ => self.check(prefix, version)?,
            },
        }
        let kept: String = prefix.chars().take(GENERATED_PREFIX_LENGTH).collect();
        self.check(&format!("{kept}x"), version)
    }
}

/// How much of `generateName` the API server keeps before it appends a random suffix.
const GENERATED_PREFIX_LENGTH: usize = 58;

/// Whether a kind's objects live in a namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Namespaced: `metadata.namespace` is the object's namespace.
    Namespaced,
    /// Cluster-scoped: the server drops a `metadata.namespace` written on it.
    Cluster,
}

/// The metadata rules of one built-in kind.
#[derive(Debug)]
pub(crate) struct KindRules {
    /// The API group, empty for the core group.
    pub(crate) group: &'static str,
    /// The kind.
    pub(crate) kind: &'static str,
    /// The format of its name.
    pub(crate) name: NameFormat,
    /// Whether it is namespaced.
    pub(crate) scope: Scope,
    /// Whether the server warns when a valid name is not a DNS-1123 label (the name ends up in
    /// Pod names and hostnames).
    pub(crate) warn_not_dns_label: bool,
    /// Where its pod template is, for a workload: its metadata is validated like an object's.
    pub(crate) pod_template: Option<&'static [&'static str]>,
}

/// `spec.template`, where most workloads keep their pod template.
const SPEC_TEMPLATE: &[&str] = &["spec", "template"];

const fn row(group: &'static str, kind: &'static str, name: NameFormat, scope: Scope) -> KindRules {
    KindRules {
        group,
        kind,
        name,
        scope,
        warn_not_dns_label: false,
        pod_template: None,
    }
}

/// A workload: its pod template is at `template`.
const fn workload(
    group: &'static str,
    kind: &'static str,
    name: NameFormat,
    template: &'static [&'static str],
) -> KindRules {
    KindRules {
        pod_template: Some(template),
        ..row(group, kind, name, Scope::Namespaced)
    }
}

/// A kind whose Pods are named after it, so the server warns when its name is no DNS label;
/// `template` is where its pod template is (nothing for a Pod).
const fn named_pods(
    group: &'static str,
    kind: &'static str,
    template: &'static [&'static str],
) -> KindRules {
    KindRules {
        warn_not_dns_label: true,
        pod_template: if template.is_empty() {
            None
        } else {
            Some(template)
        },
        ..row(group, kind, NameFormat::Subdomain, Scope::Namespaced)
    }
}

use NameFormat::{Label, PathSegment, Service, Subdomain};
use Scope::{Cluster, Namespaced};

/// Every stored built-in kind of the bundled Kubernetes versions, by group.
pub(crate) const KINDS: &[KindRules] = &[
    // core: pkg/apis/core/validation/validation.go. The Pod name warning is the one kls has
    // always given (the name becomes the Pod's hostname); the others are the server's
    // WarningsOnCreate.
    named_pods("", "Pod", &[]),
    named_pods("", "ReplicationController", SPEC_TEMPLATE),
    row("", "Service", Service, Namespaced),
    row("", "Namespace", Label, Cluster),
    row("", "Node", Subdomain, Cluster),
    row("", "PersistentVolume", Subdomain, Cluster),
    row("", "PersistentVolumeClaim", Subdomain, Namespaced),
    row("", "ConfigMap", Subdomain, Namespaced),
    row("", "Secret", Subdomain, Namespaced),
    row("", "ServiceAccount", Subdomain, Namespaced),
    row("", "Endpoints", Subdomain, Namespaced),
    row("", "LimitRange", Subdomain, Namespaced),
    row("", "ResourceQuota", Subdomain, Namespaced),
    workload("", "PodTemplate", Subdomain, &["template"]),
    // A `v1` Event is only checked by the legacy event rules, not by name.
    row("", "Event", PathSegment, Namespaced),
    row("", "Binding", PathSegment, Namespaced),
    // apps: pkg/apis/apps/validation/validation.go. StatefulSet names are labels since 1.26.
    named_pods("apps", "Deployment", SPEC_TEMPLATE),
    named_pods("apps", "ReplicaSet", SPEC_TEMPLATE),
    workload("apps", "DaemonSet", Subdomain, SPEC_TEMPLATE),
    workload("apps", "StatefulSet", Label, SPEC_TEMPLATE),
    row("apps", "ControllerRevision", Subdomain, Namespaced),
    // batch: pkg/apis/batch/validation/validation.go.
    named_pods("batch", "Job", SPEC_TEMPLATE),
    named_pods(
        "batch",
        "CronJob",
        &["spec", "jobTemplate", "spec", "template"],
    ),
    // autoscaling: the ReplicationController rule.
    row(
        "autoscaling",
        "HorizontalPodAutoscaler",
        Subdomain,
        Namespaced,
    ),
    // policy: ValidatePodDisruptionBudget checks no name of its own.
    row("policy", "PodDisruptionBudget", PathSegment, Namespaced),
    // rbac: minimalNameRequirements is the path segment rule, so `system:auth-delegator` is
    // fine.
    row("rbac.authorization.k8s.io", "Role", PathSegment, Namespaced),
    row(
        "rbac.authorization.k8s.io",
        "RoleBinding",
        PathSegment,
        Namespaced,
    ),
    row(
        "rbac.authorization.k8s.io",
        "ClusterRole",
        PathSegment,
        Cluster,
    ),
    row(
        "rbac.authorization.k8s.io",
        "ClusterRoleBinding",
        PathSegment,
        Cluster,
    ),
    // networking: pkg/apis/networking/validation. An IPAddress is named after its address,
    // which is left to the server.
    row("networking.k8s.io", "Ingress", Subdomain, Namespaced),
    row("networking.k8s.io", "IngressClass", Subdomain, Cluster),
    row("networking.k8s.io", "NetworkPolicy", Subdomain, Namespaced),
    row("networking.k8s.io", "IPAddress", PathSegment, Cluster),
    row("networking.k8s.io", "ServiceCIDR", PathSegment, Cluster),
    // storage: pkg/apis/storage/validation. A CSIDriver's name is checked case-insensitively
    // by its own rule, so only the generic rule here.
    row("storage.k8s.io", "StorageClass", Subdomain, Cluster),
    row("storage.k8s.io", "VolumeAttachment", Subdomain, Cluster),
    row(
        "storage.k8s.io",
        "VolumeAttributesClass",
        Subdomain,
        Cluster,
    ),
    row("storage.k8s.io", "CSIDriver", PathSegment, Cluster),
    row("storage.k8s.io", "CSINode", Subdomain, Cluster),
    row(
        "storage.k8s.io",
        "CSIStorageCapacity",
        Subdomain,
        Namespaced,
    ),
    // scheduling, node, coordination, discovery, events.
    row("scheduling.k8s.io", "PriorityClass", Subdomain, Cluster),
    row("scheduling.k8s.io", "PodGroup", PathSegment, Namespaced),
    row(
        "scheduling.k8s.io",
        "CompositePodGroup",
        PathSegment,
        Namespaced,
    ),
    row("scheduling.k8s.io", "Workload", PathSegment, Namespaced),
    row("node.k8s.io", "RuntimeClass", Subdomain, Cluster),
    row("coordination.k8s.io", "Lease", Subdomain, Namespaced),
    row(
        "coordination.k8s.io",
        "LeaseCandidate",
        PathSegment,
        Namespaced,
    ),
    row("discovery.k8s.io", "EndpointSlice", Subdomain, Namespaced),
    row("events.k8s.io", "Event", Subdomain, Namespaced),
    // certificates: a CertificateSigningRequest may have any name the generic rule allows.
    row(
        "certificates.k8s.io",
        "CertificateSigningRequest",
        PathSegment,
        Cluster,
    ),
    row(
        "certificates.k8s.io",
        "ClusterTrustBundle",
        PathSegment,
        Cluster,
    ),
    row(
        "certificates.k8s.io",
        "PodCertificateRequest",
        PathSegment,
        Namespaced,
    ),
    // admissionregistration: pkg/apis/admissionregistration/validation.
    row(
        "admissionregistration.k8s.io",
        "MutatingWebhookConfiguration",
        Subdomain,
        Cluster,
    ),
    row(
        "admissionregistration.k8s.io",
        "ValidatingWebhookConfiguration",
        Subdomain,
        Cluster,
    ),
    row(
        "admissionregistration.k8s.io",
        "ValidatingAdmissionPolicy",
        Subdomain,
        Cluster,
    ),
    row(
        "admissionregistration.k8s.io",
        "ValidatingAdmissionPolicyBinding",
        Subdomain,
        Cluster,
    ),
    row(
        "admissionregistration.k8s.io",
        "MutatingAdmissionPolicy",
        Subdomain,
        Cluster,
    ),
    row(
        "admissionregistration.k8s.io",
        "MutatingAdmissionPolicyBinding",
        Subdomain,
        Cluster,
    ),
    // A CustomResourceDefinition is a subdomain (and must be `<plural>.<group>`); an
    // APIService must be `<version>.<group>`.
    row(
        "apiextensions.k8s.io",
        "CustomResourceDefinition",
        Subdomain,
        Cluster,
    ),
    row("apiregistration.k8s.io", "APIService", PathSegment, Cluster),
    // flowcontrol: pkg/apis/flowcontrol/validation.
    row(
        "flowcontrol.apiserver.k8s.io",
        "FlowSchema",
        Subdomain,
        Cluster,
    ),
    row(
        "flowcontrol.apiserver.k8s.io",
        "PriorityLevelConfiguration",
        Subdomain,
        Cluster,
    ),
    row(
        "internal.apiserver.k8s.io",
        "StorageVersion",
        PathSegment,
        Cluster,
    ),
    row(
        "storagemigration.k8s.io",
        "StorageVersionMigration",
        PathSegment,
        Cluster,
    ),
    // resource (dynamic resource allocation).
    row("resource.k8s.io", "ResourceClaim", PathSegment, Namespaced),
    row(
        "resource.k8s.io",
        "ResourceClaimTemplate",
        PathSegment,
        Namespaced,
    ),
    row("resource.k8s.io", "DeviceClass", PathSegment, Cluster),
    row("resource.k8s.io", "DeviceTaintRule", PathSegment, Cluster),
    row("resource.k8s.io", "ResourceSlice", PathSegment, Cluster),
    row(
        "resource.k8s.io",
        "ResourcePoolStatusRequest",
        PathSegment,
        Cluster,
    ),
    row(
        "resource.k8s.io",
        "PodSchedulingContext",
        PathSegment,
        Namespaced,
    ),
    row("resource.k8s.io", "ResourceClass", PathSegment, Cluster),
    row(
        "resource.k8s.io",
        "ResourceClaimParameters",
        PathSegment,
        Namespaced,
    ),
    row(
        "resource.k8s.io",
        "ResourceClassParameters",
        PathSegment,
        Namespaced,
    ),
    row(
        "lifecycle.k8s.io",
        "EvictionRequest",
        PathSegment,
        Namespaced,
    ),
];

/// Served kinds that are not stored objects, so no metadata rule applies: requests answered
/// on the spot (reviews, token requests), subresources (`Scale`, `Eviction`), read-only
/// discovery and status types. `*List` kinds and the apimachinery kinds (`Status`,
/// `WatchEvent`, `DeleteOptions`) are recognised by name. (Only the completeness test reads
/// it: a kind that is in neither list gets no metadata rules.)
#[cfg(test)]
const NOT_STORED: &[(&str, &str)] = &[
    ("", "APIGroup"),
    ("", "APIVersions"),
    ("", "ComponentStatus"),
    ("authentication.k8s.io", "SelfSubjectReview"),
    ("authentication.k8s.io", "TokenRequest"),
    ("authentication.k8s.io", "TokenReview"),
    ("authorization.k8s.io", "LocalSubjectAccessReview"),
    ("authorization.k8s.io", "SelfSubjectAccessReview"),
    ("authorization.k8s.io", "SelfSubjectRulesReview"),
    ("authorization.k8s.io", "SubjectAccessReview"),
    ("autoscaling", "Scale"),
    ("policy", "Eviction"),
    ("lifecycle.k8s.io", "Eviction"),
];

/// The metadata rules of `kind` under `api_version`'s group, if it is a stored built-in kind.
pub(crate) fn kind_rules(api_version: &str, kind: &str) -> Option<&'static KindRules> {
    let group = api_group(api_version);
    KINDS.iter().find(|it| it.group == group && it.kind == kind)
}

/// The metadata rules of the document's kind, when it is a stored built-in kind served in the
/// chosen version (a retired apiVersion is already an error of its own).
pub(crate) fn object_kind(ctx: &Context<'_>) -> Option<&'static KindRules> {
    let (api_version, kind, status) = classify(ctx)?;
    matches!(status, ApiStatus::Served).then(|| kind_rules(api_version, kind))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schema::{BUNDLED_VERSIONS, SchemaStore};

    /// Every kind the bundled schemas serve is either in the table or known not to be stored,
    /// so a new Kubernetes version cannot add a kind that silently skips the metadata rules.
    #[test]
    fn every_served_kind_is_classified() {
        let store = SchemaStore::bundled();
        let mut missing = Vec::new();
        for bundle in BUNDLED_VERSIONS {
            let schemas = store.version(bundle.version).expect("bundled schemas load");
            for (api_version, kind) in schemas.kinds() {
                let group = api_group(api_version);
                let generic = kind.ends_with("List")
                    || matches!(kind, "Status" | "WatchEvent" | "DeleteOptions");
                if generic
                    || kind_rules(api_version, kind).is_some()
                    || NOT_STORED.contains(&(group, kind))
                {
                    continue;
                }
                missing.push(format!("{} {api_version} {kind}", bundle.version));
            }
        }
        assert!(missing.is_empty(), "kinds missing from KINDS: {missing:#?}");
    }

    #[test]
    fn service_names_follow_the_version() {
        let old = KubeVersion::new(35);
        let new = KubeVersion::new(36);
        assert!(Service.check("2048-game", old).is_err());
        assert!(Service.check("2048-game", new).is_ok());
        assert!(Service.check("web.app", new).is_err());
        assert_eq!(Service.describe(old), "a DNS-1035 label");
    }

    #[test]
    fn generate_name_prefixes() {
        let v = KubeVersion::newest();
        for valid in ["web-", "web", "web.v2-", "x-", "web--"] {
            assert!(Subdomain.check_prefix(valid, v).is_ok(), "{valid}");
        }
        // `web_-` passes the masked prefix check (`weba`) but not as a generated name.
        for invalid in ["-", "Web-", "web_-", "-web-", "web.-x", "web."] {
            assert!(Subdomain.check_prefix(invalid, v).is_err(), "{invalid}");
        }
        assert!(Label.check_prefix("web.v2-", v).is_err());
        assert!(PathSegment.check_prefix("..", v).is_ok());
        assert!(PathSegment.check_prefix("a/", v).is_err());
        assert!(Service.check_prefix("2048-", KubeVersion::new(35)).is_err());
    }
}
