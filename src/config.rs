//! What users write: `.kls.yaml` and editor settings, merged into [`core::settings::Settings`].
//!
//! Layers, strongest first: command-line flags, editor settings, the config file, defaults.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::diagnostic::Severity;
use crate::core::schema::KubeVersion;
use crate::core::settings::{RuleLevel, Settings};
use crate::core::yaml::ScalarValue;

/// The name of the config file looked for at the root of a project.
pub const CONFIG_FILE: &str = ".kls.yaml";

/// Options as written in `.kls.yaml` or sent by an editor. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "kls configuration (.kls.yaml)")]
pub struct Options {
    /// The Kubernetes version to validate against, e.g. `1.33` (default: the newest bundled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubernetes_version: Option<String>,
    /// Per-rule severity: `error`, `warning`, `information`, `hint` or `off`, by rule id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, RuleOption>,
    /// Paths to skip, as gitignore-style globs relative to the project root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The kubeconfig file for cluster actions (default: `KUBECONFIG`, else `~/.kube/config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubeconfig: Option<String>,
    /// The kubeconfig context for cluster actions (default: its current context).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Cluster actions. Nothing is sent to a cluster unless a command or flag asks for it.
    #[serde(default, skip_serializing_if = "ClusterOptions::is_empty")]
    pub cluster: ClusterOptions,
    /// `kls lint` refuses files larger than this: a number of bytes, or a size such as
    /// `64MiB`, `512KiB` or `1GiB` (default: 64MiB).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_file_size: Option<SizeOption>,
}

/// The `cluster` options.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterOptions {
    /// Show each resource's live state above it in the editor (default: off). Refreshed on save
    /// and on request, never polled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_status: Option<bool>,
}

impl ClusterOptions {
    fn is_empty(&self) -> bool {
        self.live_status.is_none()
    }
}

/// The default of `maxFileSize`: far above any real manifest, far below what would hurt.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// A size: a number of bytes, or a number with a unit (`KiB`, `MiB`, `GiB`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum SizeOption {
    /// A number of bytes.
    Bytes(u64),
    /// A number with a unit, e.g. `64MiB`.
    Text(String),
}

impl SizeOption {
    /// The size in bytes.
    ///
    /// # Errors
    /// When the text is not a number with a known unit.
    pub fn bytes(&self) -> Result<u64, String> {
        let text = match self {
            SizeOption::Bytes(n) => return Ok(*n),
            SizeOption::Text(text) => text.trim(),
        };
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let scale: u64 = match unit.trim() {
            "" | "B" => 1,
            "KiB" => 1 << 10,
            "MiB" => 1 << 20,
            "GiB" => 1 << 30,
            _ => 0,
        };
        number
            .parse::<u64>()
            .ok()
            .filter(|_| scale > 0)
            .and_then(|n| n.checked_mul(scale))
            .ok_or_else(|| {
                format!("maxFileSize `{text}` is not a size such as 64MiB, 512KiB or 1000000")
            })
    }
}

/// A rule's setting: a severity name or `off`. YAML 1.1 reads a bare `off` as `false`, so a
/// boolean is accepted too (`false` turns the rule off, `true` keeps its default severity).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RuleOption {
    /// `off`, `false` or `true`.
    Enabled(bool),
    /// `error`, `warning`, `information`, `hint` or `off`.
    Level(String),
}

/// A problem with the configuration: reported once, in plain words; the rest still applies.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("cannot read {path}: {message}")]
    Read {
        /// Which file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The file is not valid YAML or has unknown keys.
    #[error("{origin}: {message}")]
    Invalid {
        /// Where the options came from (a path or "editor settings").
        origin: String,
        /// What is wrong.
        message: String,
    },
}

impl Options {
    /// Parses options from YAML (or JSON) text.
    ///
    /// # Errors
    /// When the text is not YAML, or has a key that is not an option.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Options, Error> {
        let parsed = crate::core::yaml::parse(text);
        let invalid = |message: String| Error::Invalid {
            origin: origin.to_owned(),
            message,
        };
        let Some(document) = parsed.documents.first() else {
            return Ok(Options::default());
        };
        if let Some(error) = document.errors.first() {
            return Err(invalid(error.message.clone()));
        }
        let Some(root) = &document.root else {
            return Ok(Options::default());
        };
        let mut json = root.to_json();
        // People write `kubernetesVersion: 1.33` unquoted, which YAML reads as a number (and
        // `1.30` as 1.3): take the version as it is written.
        let written = root
            .get("kubernetesVersion")
            .and_then(|it| it.scalar())
            .filter(|it| matches!(it.value, ScalarValue::Float(_) | ScalarValue::Int(_)));
        if let (Some(scalar), Some(slot)) = (written, json.get_mut("kubernetesVersion")) {
            *slot = serde_json::Value::String(scalar.text.clone());
        }
        Self::from_json(json, origin)
    }

    /// Parses options from JSON (editor settings).
    ///
    /// # Errors
    /// When a key is not an option or a value has the wrong type.
    pub fn from_json(value: serde_json::Value, origin: &str) -> Result<Options, Error> {
        if value.is_null() {
            return Ok(Options::default());
        }
        serde_json::from_value(value).map_err(|error| Error::Invalid {
            origin: origin.to_owned(),
            message: error.to_string(),
        })
    }

    /// Reads `.kls.yaml` from `dir`, if there is one.
    ///
    /// # Errors
    /// When the file exists but cannot be read or parsed.
    pub fn load_from_dir(dir: &Path) -> Result<Option<Options>, Error> {
        let path = dir.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Options::from_yaml(&text, &path.display().to_string()).map(Some),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(Error::Read {
                path,
                message: error.to_string(),
            }),
        }
    }

    /// Lays `over` on top of `self`: what `over` sets wins.
    #[must_use]
    pub fn merged_with(mut self, over: &Options) -> Options {
        if over.kubernetes_version.is_some() {
            self.kubernetes_version.clone_from(&over.kubernetes_version);
        }
        for (rule, level) in &over.rules {
            self.rules.insert(rule.clone(), level.clone());
        }
        self.exclude.extend(over.exclude.iter().cloned());
        if over.kubeconfig.is_some() {
            self.kubeconfig.clone_from(&over.kubeconfig);
        }
        if over.context.is_some() {
            self.context.clone_from(&over.context);
        }
        if over.cluster.live_status.is_some() {
            self.cluster.live_status = over.cluster.live_status;
        }
        if over.max_file_size.is_some() {
            self.max_file_size.clone_from(&over.max_file_size);
        }
        self
    }

    /// Resolves the options into core settings. Every bad value is skipped and reported; the
    /// rest still applies.
    #[must_use]
    pub fn to_settings(&self) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        if let Some(version) = &self.kubernetes_version {
            match KubeVersion::parse(version) {
                Some(parsed) if parsed.is_bundled() => settings.kubernetes_version = parsed,
                _ => problems.push(format!(
                    "Kubernetes version `{version}` is not one kls bundles ({})",
                    bundled_list(),
                )),
            }
        }
        for (rule, level) in &self.rules {
            if crate::core::rules::by_id(rule).is_none() {
                problems.push(format!(
                    "rules: there is no rule `{rule}` (see `kls rules`)"
                ));
                continue;
            }
            let level = match level {
                RuleOption::Enabled(false) => RuleLevel::Off,
                RuleOption::Enabled(true) => continue,
                RuleOption::Level(name) if name == "off" => RuleLevel::Off,
                RuleOption::Level(name) => {
                    let Some(severity) = Severity::parse(name) else {
                        problems.push(format!(
                            "rules.{rule}: `{name}` is not one of error, warning, information, hint, off"
                        ));
                        continue;
                    };
                    RuleLevel::Severity(severity)
                }
            };
            settings.rules.insert(rule.clone(), level);
        }
        (settings, problems)
    }
}

/// The bundled versions, for messages: `1.30 to 1.37`.
#[must_use]
pub fn bundled_list() -> String {
    let versions = crate::core::schema::BUNDLED_VERSIONS;
    format!(
        "{} to {}",
        versions[0].version,
        versions[versions.len() - 1].version
    )
}

/// The JSON schema of [`Options`], as committed in `schemas/kls-config.schema.json`, so that
/// editors complete and check `.kls.yaml` too.
#[must_use]
pub fn options_schema() -> String {
    let schema = schemars::schema_for!(Options);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
