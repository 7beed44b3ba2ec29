//! The schemas bundled in the binary: one gzip-compressed JSON file per Kubernetes minor version,
//! made by `schemas/generate.py` (see `schemas/README.md` for their source and licence).

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::{LoadError, VersionSchemas};

/// The `$id` under which the definitions are registered.
pub(super) const DEFINITIONS_ID: &str = "https://kubernetes.io/api/_definitions.json";
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A Kubernetes minor version, `1.minor`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    /// Always 1.
    pub major: u32,
    /// The minor version.
    pub minor: u32,
}

impl KubeVersion {
    /// `1.minor`.
    #[must_use]
    pub const fn new(minor: u32) -> Self {
        Self { major: 1, minor }
    }

    /// The newest bundled version, the default.
    #[must_use]
    pub fn newest() -> Self {
        BUNDLED_VERSIONS[BUNDLED_VERSIONS.len() - 1].version
    }

    /// Parses `1.33`, `v1.33` or `1.33.2` (the patch is ignored).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_start_matches('v');
        let mut parts = text.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        if let Some(patch) = parts.next() {
            patch.parse::<u32>().ok()?;
        }
        (major == 1 && parts.next().is_none()).then_some(Self { major, minor })
    }

    /// Whether kls bundles this version.
    #[must_use]
    pub fn is_bundled(self) -> bool {
        BUNDLED_VERSIONS.iter().any(|it| it.version == self)
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// One bundled version and its compressed schemas.
pub struct Bundle {
    /// Which version.
    pub version: KubeVersion,
    bytes: &'static [u8],
}

macro_rules! bundles {
    ($($minor:literal),*) => {
        /// Every bundled version, oldest first.
        pub const BUNDLED_VERSIONS: &[Bundle] = &[$(
            Bundle {
                version: KubeVersion::new($minor),
                bytes: include_bytes!(concat!("../../../schemas/v1.", $minor, ".json.gz")),
            },
        )*];
    };
}

bundles!(30, 31, 32, 33, 34, 35, 36, 37);

pub(super) fn load(version: KubeVersion) -> Result<VersionSchemas, LoadError> {
    let bundle = BUNDLED_VERSIONS
        .iter()
        .find(|it| it.version == version)
        .ok_or_else(|| format_error(version, "this version is not bundled"))?;
    let mut json = Vec::with_capacity(bundle.bytes.len() * 8);
    flate2::read::GzDecoder::new(bundle.bytes)
        .read_to_end(&mut json)
        .map_err(|source| LoadError::Decompress { version, source })?;
    let mut root: Value =
        serde_json::from_slice(&json).map_err(|e| format_error(version, &e.to_string()))?;
    let kinds: HashMap<String, String> = match root.get_mut("kinds").map(Value::take) {
        Some(Value::Object(kinds)) => kinds
            .into_iter()
            .filter_map(|(key, value)| Some((key, value.as_str()?.to_owned())))
            .collect(),
        _ => return Err(format_error(version, "no `kinds` map")),
    };
    let Some(Value::Object(mut definitions)) = root.get_mut("definitions").map(Value::take) else {
        return Err(format_error(version, "no `definitions` map"));
    };
    for definition in definitions.values_mut() {
        relax_nullable_one_of(definition);
    }
    // One copy of the definitions, shared by the registry and by the lookups for messages.
    let document = Arc::new(serde_json::json!({
        "$schema": DRAFT,
        "$id": DEFINITIONS_ID,
        "$defs": Value::Object(std::mem::take(&mut definitions)),
    }));
    let registry = jsonschema::Registry::new()
        .add(DEFINITIONS_ID, Arc::clone(&document))
        .and_then(jsonschema::RegistryBuilder::prepare)
        .map_err(|e| format_error(version, &e.to_string()))?;
    Ok(VersionSchemas {
        version,
        kinds,
        document,
        registry,
        validators: Mutex::new(HashMap::new()),
    })
}

fn format_error(version: KubeVersion, message: &str) -> LoadError {
    LoadError::Format {
        version,
        message: message.to_owned(),
    }
}

/// `IntOrString` and `Quantity` are a `oneOf` whose branches both accept `null`, so a `null`
/// matches twice and fails. The API server treats `null` as "not set"; `anyOf` says the same.
fn relax_nullable_one_of(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(branches) = map.remove("oneOf") {
                map.insert("anyOf".to_owned(), branches);
            }
            for value in map.values_mut() {
                relax_nullable_one_of(value);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(relax_nullable_one_of),
        _ => {}
    }
}
