//! `volume-mount-subpath-invalid`: a `subPath` or `subPathExpr` that is absolute or climbs out
//! with `..`, or both set.

use super::util::{local_descending_path, mounts};
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A volume mount whose `subPath` or `subPathExpr` is an absolute path or has a `..`
    /// element, and a mount that sets both (they are mutually exclusive; the diagnostic is on
    /// `subPathExpr`).
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `volumeMounts[0].subPath: Invalid value: "/conf": must
    /// be a relative path`. A sub-path names a directory inside the volume; it cannot leave it.
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
    ///       volumeMounts:
    ///         - name: config
    ///           mountPath: /etc/nginx/nginx.conf
    ///           subPath: /nginx.conf
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
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
    ///       volumeMounts:
    ///         - name: config
    ///           mountPath: /etc/nginx/nginx.conf
    ///           subPath: nginx.conf
    ///   volumes:
    ///     - name: config
    ///       configMap:
    ///         name: web-config
    /// ```
    pub(crate) VolumeMountSubpathInvalid {
        id: "volume-mount-subpath-invalid",
        severity: Error,
    }
}

impl Rule for VolumeMountSubpathInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for container in spec.containers() {
            for mount in mounts(&container) {
                let sub_path = mount
                    .entry("subPath")
                    .filter(|it| it.value.as_str().is_some_and(|path| !path.is_empty()));
                let expr = mount
                    .entry("subPathExpr")
                    .filter(|it| it.value.as_str().is_some_and(|path| !path.is_empty()));
                for (key, entry) in [("subPath", sub_path), ("subPathExpr", expr)] {
                    let Some(entry) = entry else {
                        continue;
                    };
                    let path = entry.value.as_str().unwrap_or_default();
                    if let Err(reason) = local_descending_path(path) {
                        sink.report(
                            &Self::META,
                            value_range(entry),
                            format!("`{key}` `{path}` {reason}"),
                        );
                    }
                }
                if sub_path.is_some()
                    && let Some(expr) = expr
                {
                    sink.report(
                        &Self::META,
                        value_range(expr),
                        "`subPath` and `subPathExpr` are mutually exclusive; keep one",
                    );
                }
            }
        }
    }
}
