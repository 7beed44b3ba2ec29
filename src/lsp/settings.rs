//! The server's settings: `.kls.yaml` at the workspace root, then `initializationOptions`, then
//! `workspace/didChangeConfiguration`, each laid over the one before. A bad value is skipped and
//! reported; the rest still applies.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use lsp_types::Uri;
use serde_json::{Map, Value};

use crate::config::Options;
use crate::core::settings::Settings;
use crate::lsp::convert;

/// The settings in force, resolved.
pub(crate) struct Config {
    /// Tells this resolution from earlier ones, for results that depend on the settings.
    pub(crate) id: u64,
    pub(crate) settings: Settings,
    root: Option<PathBuf>,
    exclude: Option<Gitignore>,
}

impl Config {
    /// Whether the document is excluded by an `exclude` glob (it then gets no diagnostics).
    pub(crate) fn is_excluded(&self, uri: &Uri) -> bool {
        convert::file_path(uri).is_some_and(|path| self.is_excluded_path(&path))
    }

    /// Whether a file is excluded by an `exclude` glob.
    pub(crate) fn is_excluded_path(&self, path: &Path) -> bool {
        let Some(exclude) = &self.exclude else {
            return false;
        };
        match &self.root {
            Some(root) if path.starts_with(root) => {
                exclude.matched_path_or_any_parents(path, false).is_ignore()
            }
            _ => exclude.matched(path, false).is_ignore(),
        }
    }

    /// The workspace root.
    pub(crate) fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }
}

/// Every layer of options, kept so that one can change and the whole be resolved again.
pub(crate) struct Sources {
    root: Option<PathBuf>,
    file: Layer,
    init: Layer,
    editor: Layer,
}

#[derive(Default)]
struct Layer {
    options: Options,
    problems: Vec<String>,
}

impl Sources {
    /// Reads `.kls.yaml` in `root` and takes the `initializationOptions`.
    pub(crate) fn new(root: Option<PathBuf>, init_options: Option<Value>) -> Self {
        let mut file = Layer::default();
        if let Some(root) = &root {
            match Options::load_from_dir(root) {
                Ok(options) => file.options = options.unwrap_or_default(),
                Err(error) => file.problems.push(error.to_string()),
            }
        }
        let init = init_options.map_or_else(Layer::default, |it| {
            Layer::from_editor(it, "initializationOptions")
        });
        Self {
            root,
            file,
            init,
            editor: Layer::default(),
        }
    }

    /// Takes the settings of a `workspace/didChangeConfiguration`: under the key `kls`, or the
    /// bare object. `null` leaves them as they were.
    pub(crate) fn set_editor_settings(&mut self, settings: Value) {
        let value = match settings {
            Value::Null => return,
            Value::Object(mut map) if map.contains_key("kls") => {
                map.remove("kls").unwrap_or_default()
            }
            other => other,
        };
        self.editor = Layer::from_editor(value, "editor settings");
    }

    /// The settings in force, and every problem found on the way.
    pub(crate) fn resolve(&self) -> (Config, Vec<String>) {
        static RESOLVED: AtomicU64 = AtomicU64::new(0);
        let options = self
            .file
            .options
            .clone()
            .merged_with(&self.init.options)
            .merged_with(&self.editor.options);
        let mut problems: Vec<String> = [&self.file, &self.init, &self.editor]
            .iter()
            .flat_map(|it| it.problems.iter().cloned())
            .collect();
        let (settings, settings_problems) = options.to_settings();
        problems.extend(settings_problems);
        let exclude = build_exclude(self.root.as_deref(), &options.exclude, &mut problems);
        let config = Config {
            id: RESOLVED.fetch_add(1, Ordering::Relaxed),
            settings,
            root: self.root.clone(),
            exclude,
        };
        (config, problems)
    }
}

impl Layer {
    /// Options from an editor, read key by key (and rule by rule) so that one bad entry does
    /// not throw away the others.
    fn from_editor(value: Value, origin: &str) -> Layer {
        let mut layer = Layer::default();
        let map = match value {
            // Lua clients encode an empty table as `[]`: Neovim sends `init_options = {}` so.
            Value::Null => return layer,
            Value::Array(items) if items.is_empty() => return layer,
            Value::Object(map) => map,
            other => {
                layer.problems.push(format!(
                    "{origin}: expected an object of kls options, got `{other}`"
                ));
                return layer;
            }
        };
        for (key, value) in map {
            let parts: Vec<Value> = match value {
                Value::Object(rules) if key == "rules" => rules
                    .into_iter()
                    .map(|(rule, level)| {
                        single("rules", Value::Object(Map::from_iter([(rule, level)])))
                    })
                    .collect(),
                value => vec![single(&key, value)],
            };
            for part in parts {
                match Options::from_json(part, origin) {
                    Ok(options) => {
                        layer.options = std::mem::take(&mut layer.options).merged_with(&options);
                    }
                    Err(error) => layer.problems.push(error.to_string()),
                }
            }
        }
        layer
    }
}

fn single(key: &str, value: Value) -> Value {
    Value::Object(Map::from_iter([(key.to_owned(), value)]))
}

fn build_exclude(
    root: Option<&Path>,
    patterns: &[String],
    problems: &mut Vec<String>,
) -> Option<Gitignore> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = GitignoreBuilder::new(root.unwrap_or_else(|| Path::new("/")));
    for pattern in patterns {
        if let Err(error) = builder.add_line(None, pattern) {
            problems.push(format!(
                "exclude pattern `{pattern}` is not a valid glob: {error}"
            ));
        }
    }
    match builder.build() {
        Ok(it) => Some(it),
        Err(error) => {
            problems.push(format!("exclude patterns: {error}"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::settings::RuleLevel;

    #[test]
    fn a_bad_entry_does_not_spoil_the_others() {
        let mut sources = Sources::new(None, Some(json!({ "kubernetesVersion": "1.31" })));
        sources.set_editor_settings(json!({
            "kls": {
                "rules": { "unknown-field": "off", "type-mismatch": "loud" },
                "colour": "blue",
                "exclude": ["charts/**"],
            }
        }));
        let (config, problems) = sources.resolve();
        assert_eq!(config.settings.kubernetes_version.to_string(), "1.31");
        assert_eq!(
            config.settings.rules.get("unknown-field"),
            Some(&RuleLevel::Off)
        );
        assert!(!config.settings.rules.contains_key("type-mismatch"));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems.iter().any(|it| it.contains("colour")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|it| it.contains("loud")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_empty_lua_table_means_no_options() {
        for none in [json!([]), Value::Null] {
            let (_, problems) = Sources::new(None, Some(none.clone())).resolve();
            assert!(problems.is_empty(), "{none}: {problems:?}");
        }
        let (_, problems) = Sources::new(None, Some(json!(["x"]))).resolve();
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn exclude_globs_match_below_the_root() {
        let mut sources = Sources::new(Some(PathBuf::from("/work/repo")), None);
        sources.set_editor_settings(json!({ "exclude": ["charts/**", "*.tmpl.yaml"] }));
        let (config, problems) = sources.resolve();
        assert!(problems.is_empty(), "{problems:?}");
        let excluded = |uri: &str| config.is_excluded(&uri.parse().unwrap());
        assert!(excluded("file:///work/repo/charts/web/deploy.yaml"));
        assert!(excluded("file:///work/repo/app/x.tmpl.yaml"));
        assert!(!excluded("file:///work/repo/app/deploy.yaml"));
        assert!(!excluded("untitled:Untitled-1"));
    }
}
