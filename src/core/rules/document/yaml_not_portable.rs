//! `yaml-not-portable`: YAML that `kubectl` reads but other tools reject.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// The escape `\'` in a double-quoted value. go-yaml, and so `kubectl`, reads it as `'`;
    /// libyaml and the YAML 1.2 specification do not know it, so PyYAML, yq, Helm's
    /// linters and most editors reject the file.
    ///
    /// ## Why it matters
    /// The cluster takes the manifest, but every other tool in the pipeline may choke on it.
    /// Inside double quotes `'` needs no escape at all.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   greeting: "it\'s here"
    /// ```
    pub(crate) YamlNotPortable {
        id: "yaml-not-portable",
        severity: Hint,
    }
}

impl Rule for YamlNotPortable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported while parsing.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
