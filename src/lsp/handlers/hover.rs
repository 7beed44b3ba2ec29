//! `textDocument/hover`: what kls knows about the place under the cursor. Each provider adds a
//! section: first the rules behind the diagnostics there, then the field (its documentation,
//! type, allowed values) from the schema.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use crate::core::analysis::rule_meta;
use crate::core::hover;
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
    field(snapshot, offset, &mut sections);
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
    for diagnostic in snapshot.diagnostics_in(TextRange::empty(offset)) {
        if seen.contains(&diagnostic.code) {
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

/// The field, kind or apiVersion under the cursor, from the schema of the document's kind.
fn field(snapshot: &DocSnapshot, offset: u32, sections: &mut Vec<Section>) {
    let (Some(chunk), Some(schemas)) = (snapshot.chunk_at(offset), snapshot.version_schemas())
    else {
        return;
    };
    let text = &snapshot.data.text()[chunk.to_usize()];
    if let Some(info) = hover::hover(text, offset - chunk.start, &schemas) {
        sections.push(Section {
            range: info.range.shifted(chunk.start),
            markdown: info.markdown,
        });
    }
}
