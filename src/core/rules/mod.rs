//! The rules: one file per rule, its documentation in its doc comment.
//!
//! Every rule is a unit struct declared with [`declare_rule!`], which turns the `///` lines into
//! [`RuleMeta::docs`]; the same text serves `kls rule <id>`, SARIF and the editor's hover.

use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::manifest::Manifest;
use crate::core::schema::{KubeVersion, VersionSchemas};
use crate::core::settings::Settings;
use crate::core::text::TextRange;

mod container;
mod deployment;
pub(crate) mod document;
mod enums;
mod env;
mod metadata;
mod pod;
mod ports;
mod probes;
mod resources;
mod schema;
pub(crate) mod suppression;
mod volumes;
pub(crate) mod workspace;

pub(crate) use schema::{number_ranges, schema_diagnostics};

/// What kls knows about a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// The rule's id, kebab-case; the diagnostic code.
    pub id: &'static str,
    /// How serious its diagnostics are unless configured otherwise.
    pub default_severity: Severity,
    /// Markdown documentation: what it flags, why it matters, an example.
    pub docs: &'static str,
    /// Whether it checks patches too. Rules about what an object must have (required fields,
    /// a name, a handler) or about how its parts fit together do not: a patch is merged into
    /// an object that has the rest.
    pub in_patches: bool,
}

impl RuleMeta {
    /// The first sentence of "What it flags", for lists.
    #[must_use]
    pub fn summary(&self) -> String {
        let mut lines = self
            .docs
            .lines()
            .map(str::trim)
            .skip_while(|it| it.is_empty() || it.starts_with('#'));
        let mut summary = String::new();
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            if !summary.is_empty() {
                summary.push(' ');
            }
            summary.push_str(line);
        }
        summary
    }
}

/// What a rule sees: one document and the settings.
pub struct Context<'a> {
    /// The document.
    pub manifest: Manifest<'a>,
    /// The document's text; node ranges index into it. For edits that need indentation.
    pub text: &'a str,
    /// The Kubernetes version checked against.
    pub version: KubeVersion,
    /// The schemas of that version, when they could be loaded.
    pub schemas: Option<&'a VersionSchemas>,
}

/// A rule.
pub trait Rule: Sync {
    /// The rule's id, severity and documentation.
    fn meta(&self) -> &'static RuleMeta;
    /// Checks one document. Rules whose problems are found by the schema pass do nothing here.
    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>);
}

/// Collects diagnostics, applying each rule's configured severity (or dropping it when off).
pub struct Sink<'a> {
    settings: &'a Settings,
    out: &'a mut Vec<Diagnostic>,
    /// Whether the document is a patch: the rules that do not check patches are dropped.
    patch: bool,
}

impl<'a> Sink<'a> {
    /// A sink that appends to `out`.
    pub fn new(settings: &'a Settings, out: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            settings,
            out,
            patch: false,
        }
    }

    /// Says whether the reports that follow are about a patch.
    pub fn set_patch(&mut self, patch: bool) {
        self.patch = patch;
    }

    /// Reports a problem found by `rule`; returns it so a related place or a fix can be added.
    pub fn report(
        &mut self,
        rule: &'static RuleMeta,
        range: TextRange,
        message: impl Into<String>,
    ) -> Option<&mut Diagnostic> {
        if self.patch && !rule.in_patches {
            return None;
        }
        let severity = self.settings.severity(rule.id, rule.default_severity)?;
        self.out
            .push(Diagnostic::new(rule.id, severity, range, message.into()));
        self.out.last_mut()
    }
}

/// Declares a rule: a unit struct whose doc comment becomes its documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $name:ident {
            id: $id:literal,
            severity: $severity:ident
            $(, in_patches: $in_patches:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            /// The rule's metadata.
            pub(crate) const META: $crate::core::rules::RuleMeta = $crate::core::rules::RuleMeta {
                id: $id,
                default_severity: $crate::core::diagnostic::Severity::$severity,
                docs: concat!($($doc, "\n"),*),
                in_patches: $crate::core::rules::first_or_true(&[$($in_patches)?]),
            };
        }
    };
}
pub(crate) use declare_rule;

/// The first of `values`, else `true`: the default of an optional flag in [`declare_rule!`].
#[doc(hidden)]
#[must_use]
pub const fn first_or_true(values: &[bool]) -> bool {
    match values {
        [first, ..] => *first,
        [] => true,
    }
}

/// Every rule, sorted by id.
#[must_use]
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(collect)
}

fn collect() -> Vec<&'static dyn Rule> {
    let mut res: Vec<&'static dyn Rule> = Vec::new();
    res.extend_from_slice(document::RULES);
    res.extend_from_slice(container::RULES);
    res.extend_from_slice(deployment::RULES);
    res.extend_from_slice(env::RULES);
    res.extend_from_slice(metadata::RULES);
    res.extend_from_slice(pod::RULES);
    res.extend_from_slice(ports::RULES);
    res.extend_from_slice(probes::RULES);
    res.extend_from_slice(resources::RULES);
    res.extend_from_slice(schema::RULES);
    res.extend_from_slice(suppression::RULES);
    res.extend_from_slice(volumes::RULES);
    res.extend_from_slice(workspace::RULES);
    res.sort_by_key(|it| it.meta().id);
    res
}

/// The rule with this id.
#[must_use]
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    let rules = all();
    rules
        .binary_search_by(|it| it.meta().id.cmp(id))
        .ok()
        .map(|i| rules[i])
}

/// Helpers for the rules' own unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::OnceLock;

    use crate::core::analysis::check;
    use crate::core::diagnostic::Diagnostic;
    use crate::core::schema::{KubeVersion, SchemaStore};
    use crate::core::settings::Settings;

    /// The diagnostics of `text` when checked against Kubernetes `1.minor`, with one schema
    /// store shared by every test.
    pub(crate) fn diagnostics(text: &str, minor: u32) -> Vec<Diagnostic> {
        static STORE: OnceLock<SchemaStore> = OnceLock::new();
        let settings = Settings {
            kubernetes_version: KubeVersion::new(minor),
            ..Settings::default()
        };
        check(text, STORE.get_or_init(SchemaStore::bundled), &settings)
    }
}
