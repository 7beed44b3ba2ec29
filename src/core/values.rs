//! Values Kubernetes accepts for string fields whose schema lists none.
//!
//! The OpenAPI schemas kls bundles carry no `enum` for these fields, but the API server checks
//! them. Each list is the set of constants the Go API types declare for the field
//! (`k8s.io/api/core/v1/types.go`, `k8s.io/api/apps/v1/types.go`, `k8s.io/api/batch/v1/types.go`,
//! `k8s.io/api/networking/v1/types.go`), as enforced by `pkg/apis/core/validation` and
//! `pkg/apis/apps/validation`.

/// `imagePullPolicy` of a container (`PullPolicy`).
pub const PULL_POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
/// `terminationMessagePolicy` of a container.
pub const TERMINATION_MESSAGE_POLICIES: &[&str] = &["File", "FallbackToLogsOnError"];
/// `restartPolicy` of a pod spec.
pub const RESTART_POLICIES: &[&str] = &["Always", "OnFailure", "Never"];
/// `dnsPolicy` of a pod spec.
pub const DNS_POLICIES: &[&str] = &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
/// `fsGroupChangePolicy` of a pod security context.
pub const FS_GROUP_CHANGE_POLICIES: &[&str] = &["OnRootMismatch", "Always"];
/// `procMount` of a container security context.
pub const PROC_MOUNT_TYPES: &[&str] = &["Default", "Unmasked"];
/// `operator` of a toleration.
pub const TOLERATION_OPERATORS: &[&str] = &["Equal", "Exists"];
/// `effect` of a toleration or taint.
pub const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];
/// `mountPropagation` of a volume mount.
pub const MOUNT_PROPAGATIONS: &[&str] = &["None", "HostToContainer", "Bidirectional"];
/// `scheme` of an HTTP probe or hook.
pub const HTTP_SCHEMES: &[&str] = &["HTTP", "HTTPS"];
/// `protocol` of a container or Service port.
pub const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP"];
/// `recursiveReadOnly` of a volume mount.
pub const RECURSIVE_READ_ONLY: &[&str] = &["Disabled", "IfPossible", "Enabled"];

/// The values of the field `field` of the type `definition` (short name, e.g. `Container`).
#[must_use]
pub fn allowed_values(definition: &str, field: &str) -> Option<&'static [&'static str]> {
    let values: &'static [&'static str] = match (definition, field) {
        ("Container" | "EphemeralContainer", "imagePullPolicy") => PULL_POLICIES,
        ("Container" | "EphemeralContainer", "terminationMessagePolicy") => {
            TERMINATION_MESSAGE_POLICIES
        }
        ("Container", "restartPolicy") => &["Always"],
        ("PodSpec", "restartPolicy") => RESTART_POLICIES,
        ("PodSpec", "dnsPolicy") => DNS_POLICIES,
        ("PodSpec", "preemptionPolicy") => &["PreemptLowerPriority", "Never"],
        ("ContainerPort" | "ServicePort" | "EndpointPort", "protocol") => PROTOCOLS,
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
        ("HTTPGetAction", "scheme") => HTTP_SCHEMES,
        ("LabelSelectorRequirement", "operator") => &["In", "NotIn", "Exists", "DoesNotExist"],
        ("NodeSelectorRequirement", "operator") => {
            &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]
        }
        ("Toleration", "operator") => TOLERATION_OPERATORS,
        ("Toleration" | "Taint", "effect") => TAINT_EFFECTS,
        ("PodSecurityContext", "fsGroupChangePolicy") => FS_GROUP_CHANGE_POLICIES,
        ("SecurityContext", "procMount") => PROC_MOUNT_TYPES,
        ("SeccompProfile" | "AppArmorProfile", "type") => {
            &["RuntimeDefault", "Unconfined", "Localhost"]
        }
        ("VolumeMount", "mountPropagation") => MOUNT_PROPAGATIONS,
        ("VolumeMount", "recursiveReadOnly") => RECURSIVE_READ_ONLY,
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

/// The value the API server fills in when the field is left out, as the defaulting code
/// (`pkg/apis/core/v1/defaults.go`, `pkg/apis/apps/v1/defaults.go`) sets it.
#[must_use]
pub fn default_value(definition: &str, field: &str) -> Option<&'static str> {
    Some(match (definition, field) {
        ("DeploymentSpec", "replicas") => "1",
        ("DeploymentSpec", "revisionHistoryLimit") => "10",
        ("DeploymentSpec", "progressDeadlineSeconds") => "600",
        ("DeploymentStrategy", "type") => "RollingUpdate",
        ("RollingUpdateDeployment", "maxSurge" | "maxUnavailable") => "25%",
        ("PodSpec", "restartPolicy") => "Always",
        ("PodSpec", "dnsPolicy") => "ClusterFirst",
        ("PodSpec", "terminationGracePeriodSeconds") => "30",
        ("PodSpec", "schedulerName") => "default-scheduler",
        ("Container" | "EphemeralContainer", "imagePullPolicy") => {
            "`Always` for an image tagged `latest` or with no tag, else `IfNotPresent`"
        }
        ("Container" | "EphemeralContainer", "terminationMessagePath") => "/dev/termination-log",
        ("Container" | "EphemeralContainer", "terminationMessagePolicy") => "File",
        ("ContainerPort" | "ServicePort", "protocol") => "TCP",
        ("ServiceSpec", "type") => "ClusterIP",
        ("ServiceSpec", "sessionAffinity") => "None",
        ("Probe", "timeoutSeconds") => "1",
        ("Probe", "periodSeconds") => "10",
        ("Probe", "successThreshold") => "1",
        ("Probe", "failureThreshold") => "3",
        ("HTTPGetAction", "path") => "/",
        ("HTTPGetAction", "scheme") => "HTTP",
        (
            "SecretVolumeSource"
            | "ConfigMapVolumeSource"
            | "DownwardAPIVolumeSource"
            | "ProjectedVolumeSource",
            "defaultMode",
        ) => "0644",
        _ => return None,
    })
}
