//! `volume-name-missing`: found by the schema pass.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A volume in `spec.volumes` without a `name`, reported on the item.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `volumes[0].name: Required value`.
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
///   volumes:
///     - emptyDir: {}
    /// ```
    pub(crate) VolumeNameMissing {
        id: "volume-name-missing",
        severity: Error,
        in_patches: false,
    }
}

impl Rule for VolumeNameMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the schema pass ([`super::schema_diagnostics`]).
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
