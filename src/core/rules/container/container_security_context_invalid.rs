//! `container-security-context-invalid`: a container `securityContext` the API server rejects.

use crate::core::diagnostic::Related;
use crate::core::manifest::value_range;
use crate::core::rules::pod::util::{check_enum, id_out_of_range};
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::schema::KubeVersion;
use crate::core::values::PROC_MOUNT_TYPES;
use crate::core::yaml::Node;

declare_rule! {
    /// ## What it flags
    /// In a container's `securityContext`:
    /// - a `runAsUser` or `runAsGroup` outside 0..2147483647;
    /// - `allowPrivilegeEscalation: false` together with `privileged: true`, or with
    ///   `CAP_SYS_ADMIN` in `capabilities.add` (both imply privilege escalation);
    /// - a `procMount` other than `Default` or `Unmasked`, or `Unmasked` in a pod that does not
    ///   set `hostUsers: false` (from Kubernetes 1.33; older servers drop the field unless the
    ///   `ProcMountType` feature gate is on).
    ///
    /// ## Why it matters
    /// The API server rejects the object (`securityContext: Invalid value: cannot set
    /// allowPrivilegeEscalation to false and privileged to true`, ...).
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
    ///       securityContext:
    ///         privileged: true
    ///         allowPrivilegeEscalation: false
    /// ```
    pub(crate) ContainerSecurityContextInvalid {
        id: "container-security-context-invalid",
        severity: Error,
    }
}

impl Rule for ContainerSecurityContextInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        // `hostUsers` defaults to true: the pod shares the host's user namespace.
        let options = Options {
            host_users: spec.node.get("hostUsers").and_then(Node::as_bool) != Some(false),
            // Before 1.33 the `ProcMountType` gate is off by default and the field is dropped.
            proc_mount: ctx.version >= KubeVersion::new(33),
        };
        for container in spec.containers() {
            if let Some(context) = container
                .node
                .get("securityContext")
                .filter(|it| it.entries().is_some())
            {
                check_context(context, options, sink);
            }
        }
    }
}

/// What the pod and the version decide for every container.
#[derive(Clone, Copy)]
struct Options {
    /// Whether the pod shares the host's user namespace.
    host_users: bool,
    /// Whether `procMount` is validated.
    proc_mount: bool,
}

fn check_context(context: &Node, options: Options, sink: &mut Sink<'_>) {
    let meta = &ContainerSecurityContextInvalid::META;
    for field in ["runAsUser", "runAsGroup"] {
        if let Some(entry) = context.entry(field)
            && let Some(id) = entry.value.as_i64()
            && let Some(reason) = id_out_of_range(id)
        {
            sink.report(meta, value_range(entry), format!("{field} `{id}` {reason}"));
        }
    }
    if let Some(entry) = context.entry("procMount")
        && let Some(value) = entry.value.as_str()
        && options.proc_mount
    {
        if PROC_MOUNT_TYPES.contains(&value) {
            if value == "Unmasked" && options.host_users {
                sink.report(
                    meta,
                    value_range(entry),
                    "`procMount: Unmasked` needs a user namespace; set `hostUsers: false` in the pod spec",
                );
            }
        } else {
            check_enum(sink, meta, entry, PROC_MOUNT_TYPES);
        }
    }
    let Some(escalation) = context.entry("allowPrivilegeEscalation") else {
        return;
    };
    if escalation.value.as_bool() != Some(false) {
        return;
    }
    let related = |sink: &mut Sink<'_>, range, message: &str| {
        if let Some(diagnostic) = sink.report(meta, range, message) {
            diagnostic.related.push(Related {
                range: value_range(escalation),
                message: "`allowPrivilegeEscalation` is false here".to_owned(),
            });
        }
    };
    if let Some(privileged) = context.entry("privileged")
        && privileged.value.as_bool() == Some(true)
    {
        related(
            sink,
            value_range(privileged),
            "a privileged container can always escalate privileges; remove `allowPrivilegeEscalation: false` or `privileged: true`",
        );
    }
    let added = context
        .get_path(&["capabilities", "add"])
        .and_then(Node::items)
        .unwrap_or_default();
    for capability in added {
        if capability.as_str() == Some("CAP_SYS_ADMIN") {
            related(
                sink,
                capability.range,
                "`CAP_SYS_ADMIN` allows privilege escalation; remove it or `allowPrivilegeEscalation: false`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    fn count(text: &str, minor: u32) -> usize {
        crate::core::rules::testing::diagnostics(text, minor)
            .iter()
            .filter(|it| it.code == "container-security-context-invalid")
            .count()
    }

    const UNMASKED: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        procMount: Unmasked
";

    #[test]
    fn proc_mount_is_checked_from_1_33() {
        assert_eq!(count(UNMASKED, 32), 0);
        assert_eq!(count(UNMASKED, 33), 1);
        assert_eq!(
            count(
                &UNMASKED.replace("spec:\n", "spec:\n  hostUsers: false\n"),
                37
            ),
            0
        );
    }
}
