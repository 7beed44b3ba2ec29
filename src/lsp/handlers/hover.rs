//! `textDocument/hover`: what kls knows about the place under the cursor. Each provider adds a
//! section; today the only one explains the rules behind the diagnostics there.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::core::analysis::rule_meta;
use crate::core::text::TextRange;
use crate::lsp::state::DocSnapshot;

/// One part of a hover: markdown, and the range it is about.
struct Section {
    range: TextRange,
    markdown: String,
}

pub(crate) fn hover(snapshot: &DocSnapshot, params: HoverParams) -> anyhow::Result<Option<Hover>> {
    let positions = snapshot.positions();
    let offset = positions.offset(params.text_document_position_params.position);
    let mut sections = Vec::new();
    diagnostic_rules(snapshot, offset, &mut sections);
    let Some(range) = sections.iter().map(|it| it.range).min_by_key(|it| it.len()) else {
        return Ok(None);
    };
    let value = sections
        .into_iter()
        .map(|it| it.markdown)
        .collect::<Vec<_>>()
        .join("\n\n---\n\n");
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(positions.range(range)),
    }))
}

/// The documentation of each rule with a diagnostic at `offset`.
fn diagnostic_rules(snapshot: &DocSnapshot, offset: u32, sections: &mut Vec<Section>) {
    let mut seen: Vec<&str> = Vec::new();
    for diagnostic in snapshot.diagnostics() {
        if !diagnostic.range.contains_inclusive(offset) || seen.contains(&diagnostic.code) {
            continue;
        }
        seen.push(diagnostic.code);
        let Some(meta) = rule_meta(diagnostic.code) else {
            continue;
        };
        sections.push(Section {
            range: diagnostic.range,
            markdown: format!(
                "**kls: `{}`** ({})\n\n{}",
                meta.id,
                diagnostic.severity.as_str(),
                meta.docs.trim()
            ),
        });
    }
}
