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

use crate::core::schema::KubeVersion;
use crate::core::schema::{RemovedApi, VersionSchemas, api_group, removed_api};

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
    /// Not a built-in kind: a custom resource or another tool's configuration.
    Custom,
}

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
    if let Some(removed) = removed_api(api_version, kind, version) {
        return ApiStatus::Removed(removed);
    }
    let served = schemas.api_versions_of(kind);
    let group = api_group(api_version);
    // A built-in kind under a built-in group that does not serve it (`v1` Job, `apps/v1` Pod)
    // is a mistake; the same kind name under another group is someone's custom resource.
    if !served.is_empty() && schemas.is_builtin_group(group) {
        return ApiStatus::Unknown { served };
    }
    ApiStatus::Custom
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
