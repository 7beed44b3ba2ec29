//! What the probe and hook rules share: every probe and lifecycle hook of a pod, and their
//! handlers in the order the API server looks at them.

use crate::core::manifest::{Container, PodSpec};
use crate::core::yaml::{Entry, Node};

/// Which probe or hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HookKind {
    Liveness,
    Readiness,
    Startup,
    PostStart,
    PreStop,
}

impl HookKind {
    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            HookKind::Liveness => "liveness probe",
            HookKind::Readiness => "readiness probe",
            HookKind::Startup => "startup probe",
            HookKind::PostStart => "`postStart` hook",
            HookKind::PreStop => "`preStop` hook",
        }
    }

    /// Whether this is a probe rather than a lifecycle hook.
    pub fn is_probe(self) -> bool {
        matches!(
            self,
            HookKind::Liveness | HookKind::Readiness | HookKind::Startup
        )
    }

    /// The handler fields it may use, in the order the API server checks them.
    pub fn handler_fields(self) -> &'static [&'static str] {
        if self.is_probe() {
            &["exec", "httpGet", "tcpSocket", "grpc"]
        } else {
            &["exec", "httpGet", "tcpSocket", "sleep"]
        }
    }
}

/// A probe or lifecycle hook of a container.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hook<'a> {
    /// The container it belongs to.
    pub container: Container<'a>,
    /// Which one it is.
    pub kind: HookKind,
    /// Its entry (`livenessProbe: {...}`); the value is a mapping.
    pub entry: &'a Entry,
}

impl<'a> Hook<'a> {
    /// The probe's or hook's mapping.
    pub fn node(&self) -> &'a Node {
        &self.entry.value
    }

    /// The handlers that are set (not null), in the order the API server checks them.
    pub fn handlers(&self) -> Vec<&'a Entry> {
        let node = self.node();
        self.kind
            .handler_fields()
            .iter()
            .filter_map(|field| node.entry(field).filter(|it| !it.value.is_null()))
            .collect()
    }

    /// The handler the API server validates: the first one set. Any other is only reported as
    /// one too many.
    pub fn handler(&self) -> Option<&'a Entry> {
        self.handlers().into_iter().next()
    }

    /// The handler when it is `field` and a mapping.
    pub fn handler_named(&self, field: &str) -> Option<&'a Node> {
        self.handler()
            .filter(|it| it.key.key_eq(field))
            .map(|it| &it.value)
            .filter(|it| it.entries().is_some())
    }
}

/// Every probe and lifecycle hook of every container, wherever it appears (init containers
/// that may not have them are reported by another rule).
pub(super) fn hooks<'a>(spec: &PodSpec<'a>) -> Vec<Hook<'a>> {
    let mut res = Vec::new();
    for container in spec.containers() {
        let node = container.node;
        for (field, kind) in [
            ("livenessProbe", HookKind::Liveness),
            ("readinessProbe", HookKind::Readiness),
            ("startupProbe", HookKind::Startup),
        ] {
            if let Some(entry) = node.entry(field).filter(|it| it.value.entries().is_some()) {
                res.push(Hook {
                    container,
                    kind,
                    entry,
                });
            }
        }
        let Some(lifecycle) = node.get("lifecycle").filter(|it| it.entries().is_some()) else {
            continue;
        };
        for (field, kind) in [
            ("postStart", HookKind::PostStart),
            ("preStop", HookKind::PreStop),
        ] {
            if let Some(entry) = lifecycle
                .entry(field)
                .filter(|it| it.value.entries().is_some())
            {
                res.push(Hook {
                    container,
                    kind,
                    entry,
                });
            }
        }
    }
    res
}

/// A probe's integer field, with its entry.
pub(super) fn int_field<'a>(node: &'a Node, field: &str) -> Option<(&'a Entry, i64)> {
    let entry = node.entry(field)?;
    Some((entry, entry.value.as_i64()?))
}
