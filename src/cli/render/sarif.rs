//! `--format sarif`: SARIF 2.1.0 with exact regions and every rule's documentation.

use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};

use crate::cli::lint::LintOutcome;
use crate::core::diagnostic::Severity;
use crate::core::text::PositionEncoding;
use crate::core::{cluster, rules};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log. Columns are UTF-16 code units, SARIF's default `columnKind`.
#[must_use]
pub fn to_sarif(outcome: &LintOutcome) -> Sarif {
    let mut descriptors: Vec<ReportingDescriptor> = rules::all()
        .iter()
        .map(|rule| {
            let meta = rule.meta();
            ReportingDescriptor::builder()
                .id(meta.id)
                .short_description(
                    MultiformatMessageString::builder()
                        .text(meta.summary())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(meta.docs.trim())
                        .markdown(meta.docs.trim())
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(serde_json::Value::from(level(meta.default_severity)))
                        .build(),
                )
                .build()
        })
        .collect();
    // What an API server said (`kls lint --server-dry-run`) has codes of its own.
    descriptors.extend(cluster::CODES.iter().map(|(id, summary, docs)| {
        ReportingDescriptor::builder()
            .id(*id)
            .short_description(MultiformatMessageString::builder().text(*summary).build())
            .full_description(
                MultiformatMessageString::builder()
                    .text(*docs)
                    .markdown(*docs)
                    .build(),
            )
            .default_configuration(
                ReportingConfiguration::builder()
                    .level(serde_json::Value::from("error"))
                    .build(),
            )
            .build()
    }));
    let mut results = Vec::new();
    for file in &outcome.files {
        for diagnostic in &file.diagnostics {
            let start = file.line_index.line_col(
                &file.text,
                diagnostic.range.start,
                PositionEncoding::Utf16,
            );
            let end =
                file.line_index
                    .line_col(&file.text, diagnostic.range.end, PositionEncoding::Utf16);
            let region = Region::builder()
                .start_line(i64::from(start.line) + 1)
                .start_column(i64::from(start.col) + 1)
                .end_line(i64::from(end.line) + 1)
                .end_column(i64::from(end.col) + 1)
                .build();
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri(&file.path)).build())
                        .region(region)
                        .build(),
                )
                .build();
            results.push(
                SarifResult::builder()
                    .rule_id(diagnostic.code)
                    .level(result_level(diagnostic.severity))
                    .message(Message::builder().text(diagnostic.message.as_str()).build())
                    .locations(vec![location])
                    .build(),
            );
        }
    }
    let driver = ToolComponent::builder()
        .name("kls")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/kls-dev/kls")
        .rules(descriptors)
        .build();
    // Notes about the run (templates left out) are the tool's, not results about the code.
    let notifications: Vec<Notification> = outcome
        .notes
        .iter()
        .map(|note| {
            let location = Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(ArtifactLocation::builder().uri(uri(&note.path)).build())
                        .build(),
                )
                .build();
            Notification::builder()
                .message(Message::builder().text(note.message.as_str()).build())
                .level(serde_json::Value::from("note"))
                .locations(vec![location])
                .build()
        })
        .collect();
    let invocation = Invocation::builder()
        .execution_successful(true)
        .tool_execution_notifications(notifications)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .invocations(vec![invocation])
        .results(results)
        .column_kind(serde_json::Value::from("utf16CodeUnits"))
        .build();
    Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A relative URI for a path (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    path.replace('%', "%25").replace(' ', "%20")
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Information | Severity::Hint => ResultLevel::Note,
    }
}
