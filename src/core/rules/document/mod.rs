//! Section A: the document as a whole (YAML, apiVersion and kind).

mod api_version_removed;
mod api_version_unknown;
mod missing_api_version;
mod missing_kind;
mod schema_not_found;
mod yaml_duplicate_key;
mod yaml_nesting_too_deep;
mod yaml_not_portable;
mod yaml_syntax_error;

pub(crate) use api_version_removed::ApiVersionRemoved;
pub(crate) use api_version_unknown::ApiVersionUnknown;
pub(crate) use missing_api_version::MissingApiVersion;
pub(crate) use missing_kind::MissingKind;
pub(crate) use schema_not_found::SchemaNotFound;
pub(crate) use yaml_duplicate_key::YamlDuplicateKey;
pub(crate) use yaml_nesting_too_deep::YamlNestingTooDeep;
pub(crate) use yaml_not_portable::YamlNotPortable;
pub(crate) use yaml_syntax_error::YamlSyntaxError;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &ApiVersionRemoved,
    &ApiVersionUnknown,
    &MissingApiVersion,
    &MissingKind,
    &SchemaNotFound,
    &YamlDuplicateKey,
    &YamlNestingTooDeep,
    &YamlNotPortable,
    &YamlSyntaxError,
];

use super::schema::edit_distance;
use crate::core::schema::{
    KubeVersion, RemovedApi, VersionSchemas, api_group, is_generic_kind, is_kubernetes_group,
    removed_api, removed_apis,
};

/// What the bundled schemas say about a document's `apiVersion` and `kind`.
pub(crate) enum ApiStatus<'a> {
    /// Served in the chosen version.
    Served,
    /// A built-in kind in an apiVersion that Kubernetes no longer serves.
    Removed(&'static RemovedApi),
    /// A built-in kind (or group) in an apiVersion that never served it.
    Unknown {
        /// The apiVersions that do serve the kind.
        served: Vec<&'a str>,
    },
    /// A kind that no apiVersion serves, under a group that Kubernetes owns: a typo, or a kind
    /// that was retired.
    KindUnknown(KindUnknown<'a>),
    /// Not a built-in kind: a custom resource or another tool's configuration.
    Custom,
}

/// What a built-in group serves, for a kind it does not.
pub(crate) struct KindUnknown<'a> {
    /// The kinds the group serves in the chosen version, nearest to the written kind first;
    /// for a group that is no longer served at all, the kinds it served last.
    pub(crate) kinds: Vec<&'a str>,
    /// Whether the group is still served; `kinds` then holds what it serves now.
    pub(crate) group_served: bool,
    /// A kind close enough to be what was meant.
    pub(crate) suggestion: Option<Suggestion<'a>>,
    /// The apiVersions of the same group that served this kind before it was retired.
    pub(crate) retired: Vec<&'static RemovedApi>,
}

/// A kind that was probably meant, and where it is served.
pub(crate) struct Suggestion<'a> {
    /// The kind, spelled as Kubernetes spells it.
    pub(crate) kind: &'a str,
    /// The apiVersions that serve it.
    pub(crate) served: Vec<&'a str>,
    /// Whether it differs from what was written only in case, so a fix is certain.
    pub(crate) same_but_case: bool,
}

/// Kinds under the core group that are client-side files rather than API objects: a
/// kubeconfig (`kind: Config`, `clientcmd` in the Kubernetes source) is read by kubectl, never
/// sent to the server.
const CLIENT_FILES: &[(&str, &str)] = &[("v1", "Config")];

/// Kinds that are only ever sent to a subresource of another object (`pods/binding`,
/// `pods/eviction`, `deployments/scale`, `serviceaccounts/token`), never written as a manifest,
/// so a message does not offer them.
const SUBRESOURCES: &[&str] = &[
    "Binding",
    "DeploymentRollback",
    "Eviction",
    "Scale",
    "TokenRequest",
];

/// Classifies `apiVersion`/`kind` against the schemas of `version`.
pub(crate) fn api_status<'a>(
    schemas: &'a VersionSchemas,
    version: KubeVersion,
    api_version: &str,
    kind: &str,
) -> ApiStatus<'a> {
    // `v1` `List` is a client-side wrapper with no schema of its own; its items are checked
    // one by one.
    if schemas.definition_for(api_version, kind).is_some()
        || (api_version == "v1" && kind == "List")
    {
        return ApiStatus::Served;
    }
    if CLIENT_FILES.contains(&(api_version, kind)) {
        return ApiStatus::Custom;
    }
    if let Some(removed) = removed_api(api_version, kind, version) {
        return ApiStatus::Removed(removed);
    }
    let served = schemas.api_versions_of(kind);
    let group = api_group(api_version);
    let builtin = is_kubernetes_group(group) || schemas.is_builtin_group(group);
    // A built-in kind under a built-in group that does not serve it (`v1` Job, `apps/v1` Pod)
    // is a mistake; the same kind name under another group is someone's custom resource.
    if !served.is_empty() && builtin {
        return ApiStatus::Unknown { served };
    }
    // Without a `/` the whole apiVersion is a version of the core group; one that does not
    // look like a Kubernetes version (`v1`, `v2beta1`) is some other tool's file.
    if is_kubernetes_group(group) && (!group.is_empty() || is_version(api_version)) {
        return ApiStatus::KindUnknown(kind_unknown(schemas, version, group, kind));
    }
    ApiStatus::Custom
}

/// Whether `text` has the shape of a Kubernetes API version: `v1`, `v1beta2`, `v2alpha1`.
fn is_version(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('v') else {
        return false;
    };
    let major = rest.bytes().take_while(u8::is_ascii_digit).count();
    let level = &rest[major..];
    let suffix = level
        .strip_prefix("alpha")
        .or_else(|| level.strip_prefix("beta"))
        .unwrap_or(level);
    major > 0
        && (suffix.is_empty() && level.is_empty()
            || !suffix.is_empty() && suffix.bytes().all(|b| b.is_ascii_digit()))
}

/// What `group` serves instead of `kind`, which no apiVersion serves.
fn kind_unknown<'a>(
    schemas: &'a VersionSchemas,
    version: KubeVersion,
    group: &str,
    kind: &str,
) -> KindUnknown<'a> {
    let all = schemas.kinds();
    let mut kinds: Vec<&'a str> = all
        .iter()
        .filter(|(api_version, it)| api_group(api_version) == group && !is_generic_kind(it))
        .map(|it| it.1)
        .filter(|it| !SUBRESOURCES.contains(it))
        .collect();
    let group_served = !kinds.is_empty();
    if !group_served {
        // A retired group (`extensions`): what it served before it went.
        kinds = removed_apis()
            .iter()
            .filter(|it| api_group(&it.api_version) == group)
            .filter(|it| {
                it.removed_in_version()
                    .is_some_and(|removed| removed <= version)
            })
            .map(|it| it.kind.as_str())
            .filter(|it| !SUBRESOURCES.contains(it))
            .collect();
    }
    let lower = kind.to_lowercase();
    let distance = |it: &str| edit_distance(&lower, &it.to_lowercase());
    kinds.sort_unstable_by_key(|it| (distance(it), *it));
    kinds.dedup();
    let close = |it: &str| distance(it) <= (it.len().max(kind.len()) / 3).max(1);
    let suggestion = if group_served
        && let Some(&nearest) = kinds.first()
        && close(nearest)
    {
        // The group's own kind, wherever in the group it is served.
        let served = all
            .iter()
            .filter(|(api_version, it)| *it == nearest && api_group(api_version) == group)
            .map(|it| it.0)
            .collect();
        Some(Suggestion {
            kind: nearest,
            served,
            same_but_case: nearest.to_lowercase() == lower,
        })
    } else {
        // The same kind in another group, in another case: `v1` `deployment`.
        all.iter()
            .find(|(_, it)| !is_generic_kind(it) && it.to_lowercase() == lower)
            .map(|(_, nearest)| Suggestion {
                kind: nearest,
                served: schemas.api_versions_of(nearest),
                same_but_case: true,
            })
    };
    let retired = removed_apis()
        .iter()
        .filter(|it| it.kind == kind && api_group(&it.api_version) == group)
        .filter(|it| {
            it.removed_in_version()
                .is_some_and(|removed| removed <= version)
        })
        .collect();
    KindUnknown {
        kinds,
        group_served,
        suggestion,
        retired,
    }
}

/// The document's `apiVersion`, `kind` and what the schemas say about them, when all three
/// are known.
pub(crate) fn classify<'a>(ctx: &super::Context<'a>) -> Option<(&'a str, &'a str, ApiStatus<'a>)> {
    let schemas = ctx.schemas?;
    let api_version = ctx.manifest.api_version()?;
    let kind = ctx.manifest.kind()?;
    Some((
        api_version,
        kind,
        api_status(schemas, ctx.version, api_version, kind),
    ))
}

#[cfg(test)]
mod tests {
    use super::is_version;

    #[test]
    fn versions() {
        for version in ["v1", "v2", "v1beta1", "v2alpha3", "v10"] {
            assert!(is_version(version), "{version}");
        }
        for other in [
            "example.com",
            "v",
            "1",
            "vbeta1",
            "v1beta",
            "v1gamma1",
            "v1.2",
        ] {
            assert!(!is_version(other), "{other}");
        }
    }
}
