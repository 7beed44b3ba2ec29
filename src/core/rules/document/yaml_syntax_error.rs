//! `yaml-syntax-error`: the document is not well-formed YAML.

use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it flags
    /// A document that is not well-formed YAML: a tab used for indentation, an unclosed quote
    /// or bracket, a line indented to no level above it, a value with an unquoted `: `, an
    /// escape go-yaml does not know (`\/`), a control character. kls reads YAML as `kubectl`
    /// does (libyaml's rules, through go-yaml), so what it accepts and rejects is what
    /// `kubectl` accepts and rejects; see `docs/yaml.md`.
    ///
    /// ## Why it matters
    /// `kubectl` stops at the first such error ("error converting YAML to JSON") and applies
    /// nothing from the file. Other documents of the same file are still checked by kls.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: "web
    /// ```
    pub(crate) YamlSyntaxError {
        id: "yaml-syntax-error",
        severity: Error,
    }
}

impl Rule for YamlSyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported while parsing.
    fn check(&self, _ctx: &Context<'_>, _sink: &mut Sink<'_>) {}
}
