//! apiVersions that Kubernetes no longer serves, from `schemas/removed-apis.json` (computed by
//! `schemas/generate.py` from the OpenAPI specs of every release since 1.7).

use std::sync::OnceLock;

use serde::Deserialize;

use super::KubeVersion;

/// A kind that an older Kubernetes served under an apiVersion that a newer one does not.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedApi {
    /// The retired apiVersion, e.g. `extensions/v1beta1`.
    pub api_version: String,
    /// The kind, e.g. `Deployment`.
    pub kind: String,
    /// The last minor version that served it, e.g. `1.15`.
    pub last_served_in: String,
    /// The first minor version that did not, e.g. `1.16`.
    pub removed_in: String,
    /// The apiVersion to use instead, if the kind still exists.
    pub replacement: Option<String>,
}

impl RemovedApi {
    /// The first version that no longer serves it.
    #[must_use]
    pub fn removed_in_version(&self) -> Option<KubeVersion> {
        KubeVersion::parse(&self.removed_in)
    }
}

fn table() -> &'static [RemovedApi] {
    static TABLE: OnceLock<Vec<RemovedApi>> = OnceLock::new();
    TABLE.get_or_init(|| {
        serde_json::from_str(include_str!("../../../schemas/removed-apis.json"))
            .expect("the bundled removed-apis.json is checked by a test")
    })
}

/// Every removal record.
#[must_use]
pub fn removed_apis() -> &'static [RemovedApi] {
    table()
}

/// The removal record for `apiVersion`/`kind`, if it was removed at or before `version`.
#[must_use]
pub fn removed_api(
    api_version: &str,
    kind: &str,
    version: KubeVersion,
) -> Option<&'static RemovedApi> {
    table().iter().find(|it| {
        it.api_version == api_version
            && it.kind == kind
            && it
                .removed_in_version()
                .is_some_and(|removed| removed <= version)
    })
}
