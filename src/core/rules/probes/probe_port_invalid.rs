//! `probe-port-invalid`: a probe or hook port that is neither a port number nor a port name.

use super::util::hooks;
use crate::core::diagnostic::{Fix, TextEdit};
use crate::core::formats;
use crate::core::manifest::value_range;
use crate::core::rules::{Context, Rule, RuleMeta, Sink, declare_rule};
use crate::core::yaml::{Entry, ScalarStyle};

declare_rule! {
    /// ## What it flags
    /// The `port` of a probe's or hook's `httpGet` or `tcpSocket` that is neither a number in
    /// 1..65535 nor a valid port name, and a `grpc.port` outside 1..65535. A quoted number such
    /// as `port: "8080"` is a string, so it is checked as a port name, and fails: a port name
    /// must contain a letter.
    ///
    /// ## Why it matters
    /// The API server rejects the pod: `livenessProbe.httpGet.port: Invalid value: "8080": must
    /// contain at least one letter (a-z)`.
    ///
    /// ## Example
    /// ```yaml,expect_diagnostic
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       livenessProbe:
    ///         httpGet:
    ///           path: /healthz
    ///           port: "8080"
    /// ```
    ///
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    ///       ports:
    ///         - name: http
    ///           containerPort: 8080
    ///       livenessProbe:
    ///         httpGet:
    ///           path: /healthz
    ///           port: http
    ///       readinessProbe:
    ///         tcpSocket:
    ///           port: 8080
    /// ```
    pub(crate) ProbePortInvalid {
        id: "probe-port-invalid",
        severity: Error,
    }
}

impl Rule for ProbePortInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(spec) = ctx.manifest.pod_spec() else {
            return;
        };
        for hook in hooks(&spec) {
            // Only the handler the API server validates: the others are rejected as extra.
            let Some(handler) = hook.handler() else {
                continue;
            };
            let Some(field) = handler.key.scalar_text() else {
                continue;
            };
            if !matches!(field, "httpGet" | "tcpSocket" | "grpc") {
                continue;
            }
            let Some(port) = handler.value.entry("port") else {
                continue;
            };
            let whose = format!("`{field}.port` of the {}", hook.kind.describe());
            check_port(port, field == "grpc", &whose, sink);
        }
    }
}

fn check_port(port: &Entry, number_only: bool, whose: &str, sink: &mut Sink<'_>) {
    let range = value_range(port);
    if let Some(number) = port.value.as_i64() {
        if let Err(reason) = formats::port_number(number) {
            sink.report(
                &ProbePortInvalid::META,
                range,
                format!("{whose} `{number}` is not valid: {reason}"),
            );
        }
        return;
    }
    if number_only {
        return;
    }
    let Some(name) = port.value.as_str() else {
        return;
    };
    let Err(reason) = formats::port_name(name) else {
        return;
    };
    let quoted = port.value.scalar().is_some_and(|it| {
        matches!(
            it.style,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
        )
    });
    let number = name
        .parse::<i64>()
        .ok()
        .filter(|it| formats::port_number(*it).is_ok());
    match number {
        Some(number) if quoted => {
            let message = format!(
                "{whose} `\"{name}\"` is quoted, which makes it a port name, and a port name {reason}; remove the quotes to use port {number}"
            );
            if let Some(diagnostic) = sink.report(&ProbePortInvalid::META, range, message) {
                diagnostic.fix = Some(Fix {
                    title: "Remove the quotes".to_owned(),
                    edits: vec![TextEdit {
                        range,
                        new_text: number.to_string(),
                    }],
                });
            }
        }
        _ => {
            sink.report(
                &ProbePortInvalid::META,
                range,
                format!("{whose} `{name}` is neither a port number nor a valid port name: a port name {reason}"),
            );
        }
    }
}
