//! Kubernetes schemas: which kinds exist in which version, their JSON schemas, and validation.

mod bundled;
mod nav;
mod removed;
mod validate;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

pub use bundled::{BUNDLED_VERSIONS, KubeVersion};
pub use nav::{FieldInfo, FieldSchema, Shape};
pub use removed::{RemovedApi, removed_api, removed_apis};
pub use validate::{SchemaError, SchemaErrorKind};

/// Where a schema came from. When two sources know a kind, the later variant wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SchemaSource {
    /// Shipped inside kls.
    Bundled,
}

/// A failure to load a bundled schema: a broken build, never a user's mistake.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The compressed bundle could not be read.
    #[error("reading the bundled schemas for Kubernetes {version}: {source}")]
    Decompress {
        /// Which version.
        version: KubeVersion,
        /// Why.
        source: std::io::Error,
    },
    /// The bundle is not the JSON we expect.
    #[error("parsing the bundled schemas for Kubernetes {version}: {message}")]
    Format {
        /// Which version.
        version: KubeVersion,
        /// Why.
        message: String,
    },
}

/// All schemas kls knows, loaded lazily, shared by every thread.
pub struct SchemaStore {
    versions: Vec<(KubeVersion, OnceLock<Loaded>)>,
}

/// A version's schemas once loaded, or why they could not be.
type Loaded = Result<Arc<VersionSchemas>, Arc<LoadError>>;

impl Default for SchemaStore {
    fn default() -> Self {
        Self::bundled()
    }
}

impl SchemaStore {
    /// The store of bundled schemas (nothing is decompressed until first use).
    #[must_use]
    pub fn bundled() -> Self {
        Self {
            versions: BUNDLED_VERSIONS
                .iter()
                .map(|it| (it.version, OnceLock::new()))
                .collect(),
        }
    }

    /// The schemas of one Kubernetes version, loading them on first use.
    ///
    /// # Errors
    /// When the version is not bundled or its bundle is broken.
    pub fn version(&self, version: KubeVersion) -> Result<Arc<VersionSchemas>, Arc<LoadError>> {
        let Some((_, cell)) = self.versions.iter().find(|(v, _)| *v == version) else {
            return Err(Arc::new(LoadError::Format {
                version,
                message: "this version is not bundled".to_owned(),
            }));
        };
        cell.get_or_init(|| bundled::load(version).map(Arc::new).map_err(Arc::new))
            .clone()
    }
}

/// The schemas of one Kubernetes version.
pub struct VersionSchemas {
    /// Which version.
    pub version: KubeVersion,
    /// `apiVersion/kind` → definition name, for every kind this version serves.
    kinds: HashMap<String, String>,
    /// The registered document; its `$defs` holds every definition, by name
    /// (`io.k8s.api.core.v1.PodSpec`).
    document: Arc<serde_json::Value>,
    registry: jsonschema::Registry<'static>,
    validators: Mutex<HashMap<String, Arc<OnceLock<Option<jsonschema::Validator>>>>>,
}

impl VersionSchemas {
    /// The definition name for a kind served under `api_version`, if this version serves it.
    #[must_use]
    pub fn definition_for(&self, api_version: &str, kind: &str) -> Option<&str> {
        self.kinds
            .get(&format!("{api_version}/{kind}"))
            .map(String::as_str)
    }

    /// Every `(apiVersion, kind)` this version serves, sorted.
    #[must_use]
    pub fn kinds(&self) -> Vec<(&str, &str)> {
        let mut res: Vec<(&str, &str)> = self
            .kinds
            .keys()
            .filter_map(|key| key.rsplit_once('/'))
            .collect();
        res.sort_unstable();
        res
    }

    /// The apiVersions under which `kind` is served.
    #[must_use]
    pub fn api_versions_of(&self, kind: &str) -> Vec<&str> {
        let mut res: Vec<&str> = self
            .kinds
            .keys()
            .filter_map(|key| key.rsplit_once('/'))
            .filter(|(_, k)| *k == kind)
            .map(|(api_version, _)| api_version)
            .collect();
        res.sort_unstable();
        res
    }

    /// Whether `group` (empty for the core group) is a built-in API group.
    #[must_use]
    pub fn is_builtin_group(&self, group: &str) -> bool {
        self.kinds.keys().any(|key| {
            let api_version = key.rsplit_once('/').map_or("", |it| it.0);
            api_group(api_version) == group
        })
    }

    /// A definition by name.
    #[must_use]
    pub fn definition(&self, name: &str) -> Option<&serde_json::Value> {
        self.definitions()?.get(name)
    }

    fn definitions(&self) -> Option<&serde_json::Map<String, serde_json::Value>> {
        self.document.get("$defs")?.as_object()
    }

    /// The definition a `$ref` (`#/$defs/NAME`) points at, with its name.
    #[must_use]
    pub fn resolve_ref<'a>(
        &'a self,
        schema: &'a serde_json::Value,
    ) -> (Option<&'a str>, &'a serde_json::Value) {
        let mut name = None;
        let mut schema = schema;
        for _ in 0..8 {
            let Some(target) = schema
                .get("$ref")
                .and_then(serde_json::Value::as_str)
                .and_then(|it| it.rsplit('/').next())
            else {
                break;
            };
            let Some((key, def)) = self.definitions().and_then(|it| it.get_key_value(target))
            else {
                break;
            };
            name = Some(key.as_str());
            schema = def;
        }
        (name, schema)
    }

    /// The validator for a definition, compiled once and shared.
    #[must_use]
    pub fn validator(
        &self,
        definition: &str,
    ) -> Option<Arc<OnceLock<Option<jsonschema::Validator>>>> {
        let cell = {
            let mut validators = self
                .validators
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            validators.entry(definition.to_owned()).or_default().clone()
        };
        cell.get_or_init(|| {
            let schema = serde_json::json!({
                "$ref": format!("{}#/$defs/{definition}", bundled::DEFINITIONS_ID)
            });
            match jsonschema::options()
                .with_registry(&self.registry)
                .build(&schema)
            {
                Ok(validator) => Some(validator),
                Err(error) => {
                    tracing::error!(%definition, %error, "cannot compile the schema");
                    None
                }
            }
        });
        Some(cell)
    }
}

/// The API groups that Kubernetes itself serves, or served in an older release (`extensions`),
/// in any bundled version; empty for the core group. Every other group belongs to a custom
/// resource or an aggregated API, even under `k8s.io` (`gateway.networking.k8s.io`,
/// `metrics.k8s.io`). `admission.k8s.io` and `imagepolicy.k8s.io` are left out: they only
/// describe webhook payloads (AdmissionReview, ImageReview), which the API server does not
/// serve.
pub const BUILTIN_GROUPS: &[&str] = &[
    "",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "apps",
    "auditregistration.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "extensions",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "lifecycle.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "settings.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
];

/// Whether `group` is one of [`BUILTIN_GROUPS`].
#[must_use]
pub fn is_kubernetes_group(group: &str) -> bool {
    BUILTIN_GROUPS.contains(&group)
}

/// Whether `kind` is one of the wrapper kinds every group lists (`*List`, `Status`,
/// `WatchEvent`, `DeleteOptions`) or a discovery document, rather than a kind of its own.
#[must_use]
pub fn is_generic_kind(kind: &str) -> bool {
    kind.ends_with("List")
        || matches!(
            kind,
            "Status" | "WatchEvent" | "DeleteOptions" | "APIGroup" | "APIVersions"
        )
}

/// The group of an apiVersion: `apps` for `apps/v1`, empty for `v1`.
#[must_use]
pub fn api_group(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |it| it.0)
}

/// The short name of a definition: `PodSpec` for `io.k8s.api.core.v1.PodSpec`.
#[must_use]
pub fn short_name(definition: &str) -> &str {
    definition.rsplit('.').next().unwrap_or(definition)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list of groups covers every group with a kind of its own in any bundled version,
    /// and every group of a retired apiVersion.
    #[test]
    fn builtin_groups_are_complete() {
        let store = SchemaStore::bundled();
        let mut missing = std::collections::BTreeSet::new();
        for bundle in BUNDLED_VERSIONS {
            let schemas = store.version(bundle.version).expect("bundled schemas load");
            for (api_version, kind) in schemas.kinds() {
                let group = api_group(api_version);
                if !is_generic_kind(kind) && !is_kubernetes_group(group) {
                    missing.insert(group.to_owned());
                }
            }
        }
        for removed in removed_apis() {
            let group = api_group(&removed.api_version);
            if !is_kubernetes_group(group) {
                missing.insert(group.to_owned());
            }
        }
        assert!(
            missing.is_empty(),
            "groups missing from BUILTIN_GROUPS: {missing:?}"
        );
        assert!(!is_kubernetes_group("gateway.networking.k8s.io"));
        assert!(!is_kubernetes_group("admission.k8s.io"));
    }
}
