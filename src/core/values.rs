//! Values Kubernetes accepts for string fields whose schema lists none.
//!
//! The OpenAPI schemas kls bundles carry no `enum` for these fields, but the API server checks
//! them. Each list is the set of constants the Go API types declare for the field
//! (`k8s.io/api/core/v1/types.go`, `k8s.io/api/apps/v1/types.go`, `k8s.io/api/batch/v1/types.go`,
//! `k8s.io/api/networking/v1/types.go`), as enforced by `pkg/apis/core/validation` and
//! `pkg/apis/apps/validation`.

/// The values of the field `field` of the type `definition` (short name, e.g. `Container`).
#[must_use]
pub fn allowed_values(definition: &str, field: &str) -> Option<&'static [&'static str]> {
    let values: &'static [&'static str] = match (definition, field) {
        ("Container" | "EphemeralContainer", "imagePullPolicy") => {
            &["Always", "IfNotPresent", "Never"]
        }
        ("Container" | "EphemeralContainer", "terminationMessagePolicy") => {
            &["File", "FallbackToLogsOnError"]
        }
        ("Container", "restartPolicy") => &["Always"],
        ("PodSpec", "restartPolicy") => &["Always", "OnFailure", "Never"],
        ("PodSpec", "dnsPolicy") => &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
        ("PodSpec", "preemptionPolicy") => &["PreemptLowerPriority", "Never"],
        ("ContainerPort" | "ServicePort" | "EndpointPort", "protocol") => &["TCP", "UDP", "SCTP"],
        ("ServiceSpec", "type") => &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
        ("ServiceSpec", "sessionAffinity") => &["None", "ClientIP"],
        ("ServiceSpec", "externalTrafficPolicy" | "internalTrafficPolicy") => &["Cluster", "Local"],
        ("ServiceSpec", "ipFamilyPolicy") => {
            &["SingleStack", "PreferDualStack", "RequireDualStack"]
        }
        ("DeploymentStrategy", "type") => &["RollingUpdate", "Recreate"],
        ("DaemonSetUpdateStrategy", "type") => &["RollingUpdate", "OnDelete"],
        ("StatefulSetUpdateStrategy", "type") => &["RollingUpdate", "OnDelete"],
        ("StatefulSetSpec", "podManagementPolicy") => &["OrderedReady", "Parallel"],
        ("HTTPGetAction", "scheme") => &["HTTP", "HTTPS"],
        ("LabelSelectorRequirement", "operator") => &["In", "NotIn", "Exists", "DoesNotExist"],
        ("NodeSelectorRequirement", "operator") => {
            &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]
        }
        ("Toleration", "operator") => &["Equal", "Exists"],
        ("Toleration" | "Taint", "effect") => &["NoSchedule", "PreferNoSchedule", "NoExecute"],
        ("PodSecurityContext", "fsGroupChangePolicy") => &["OnRootMismatch", "Always"],
        ("SecurityContext", "procMount") => &["Default", "Unmasked"],
        ("SeccompProfile" | "AppArmorProfile", "type") => {
            &["RuntimeDefault", "Unconfined", "Localhost"]
        }
        ("VolumeMount", "mountPropagation") => &["None", "HostToContainer", "Bidirectional"],
        ("VolumeMount", "recursiveReadOnly") => &["Disabled", "IfPossible", "Enabled"],
        ("HostPathVolumeSource", "type") => &[
            "DirectoryOrCreate",
            "Directory",
            "FileOrCreate",
            "File",
            "Socket",
            "CharDevice",
            "BlockDevice",
        ],
        ("PersistentVolumeClaimSpec" | "PersistentVolumeSpec", "volumeMode") => {
            &["Filesystem", "Block"]
        }
        ("PersistentVolumeSpec", "persistentVolumeReclaimPolicy") => {
            &["Retain", "Delete", "Recycle"]
        }
        ("JobSpec", "completionMode") => &["NonIndexed", "Indexed"],
        ("CronJobSpec", "concurrencyPolicy") => &["Allow", "Forbid", "Replace"],
        ("HTTPIngressPath", "pathType") => &["Exact", "Prefix", "ImplementationSpecific"],
        ("TopologySpreadConstraint", "whenUnsatisfiable") => &["DoNotSchedule", "ScheduleAnyway"],
        ("ContainerResizePolicy", "restartPolicy") => &["NotRequired", "RestartContainer"],
        _ => return None,
    };
    Some(values)
}

/// Values for the items of a list field (`accessModes: [ReadWriteOnce]`).
#[must_use]
pub fn allowed_item_values(definition: &str, field: &str) -> Option<&'static [&'static str]> {
    match (definition, field) {
        ("PersistentVolumeClaimSpec" | "PersistentVolumeSpec", "accessModes") => Some(&[
            "ReadWriteOnce",
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOncePod",
        ]),
        ("Capabilities", "add" | "drop") => Some(&[
            "ALL",
            "NET_BIND_SERVICE",
            "NET_ADMIN",
            "NET_RAW",
            "SYS_ADMIN",
            "SYS_PTRACE",
            "SYS_TIME",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "SETGID",
            "SETUID",
            "KILL",
            "AUDIT_WRITE",
            "MKNOD",
            "SYS_CHROOT",
        ]),
        _ => None,
    }
}
