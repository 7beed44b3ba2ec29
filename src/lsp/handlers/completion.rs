//! `textDocument/completion`: keys, values and names at the cursor, computed on the `---`
//! document there; the workspace gives the names of ConfigMaps, Secrets and ServiceAccounts.

use lsp_types::{
    ClientCapabilities, CompletionItemKind, CompletionParams, CompletionResponse,
    CompletionTriggerKind, Documentation, InsertTextFormat, InsertTextMode, MarkupContent,
    MarkupKind, TextEdit,
};

use crate::core::complete::{CompletionItem, CompletionKind, complete};
use crate::core::text::{TextRange, to_u32};
use crate::core::workspace::ObjectSummary;
use crate::lsp::convert::Positions;
use crate::lsp::state::DocSnapshot;

/// What the client's completion takes, from its capabilities.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CompletionSupport {
    /// Snippets with tab stops and placeholders.
    pub(crate) snippets: bool,
    /// `insertTextMode: asIs`: the text is inserted with the indentation it carries. Without
    /// it a client indents every line after the first like the cursor's line.
    pub(crate) as_is: bool,
}

impl CompletionSupport {
    pub(crate) fn of(capabilities: &ClientCapabilities) -> Self {
        let item = capabilities
            .text_document
            .as_ref()
            .and_then(|it| it.completion.as_ref())
            .and_then(|it| it.completion_item.as_ref());
        Self {
            snippets: item.and_then(|it| it.snippet_support).unwrap_or(false),
            as_is: item
                .and_then(|it| it.insert_text_mode_support.as_ref())
                .is_some_and(|it| it.value_set.contains(&InsertTextMode::AS_IS)),
        }
    }
}

/// Kinds whose names are completed from the workspace.
const NAMED_KINDS: [&str; 3] = ["ConfigMap", "Secret", "ServiceAccount"];

pub(crate) fn completion(
    snapshot: &DocSnapshot,
    params: CompletionParams,
) -> anyhow::Result<Option<CompletionResponse>> {
    let positions = snapshot.positions();
    let offset = positions.offset(params.text_document_position.position);
    let text = snapshot.data.text();
    let by_space = params.context.as_ref().is_some_and(|it| {
        it.trigger_kind == CompletionTriggerKind::TRIGGER_CHARACTER
            && it.trigger_character.as_deref() == Some(" ")
    });
    // A space opens the list only where a value or a list item starts.
    let before = &text[..offset as usize];
    if by_space && !before.ends_with(": ") && !before.ends_with("- ") {
        return Ok(Some(CompletionResponse::Array(Vec::new())));
    }
    let Some(schemas) = snapshot.version_schemas() else {
        return Ok(None);
    };
    let chunk = snapshot
        .chunk_at(offset)
        .unwrap_or_else(|| TextRange::new(0, to_u32(text.len())));
    let workspace: Vec<ObjectSummary> = snapshot
        .workspace_files(true)
        .iter()
        .flat_map(|it| it.objects.iter())
        .filter(|it| NAMED_KINDS.contains(&it.kind.as_str()))
        .cloned()
        .collect();
    let items = complete(
        &text[chunk.to_usize()],
        offset - chunk.start,
        &schemas,
        &workspace,
    );
    let items = items
        .into_iter()
        .filter_map(|it| to_lsp(it, chunk.start, text, &positions, snapshot.completion))
        .collect();
    Ok(Some(CompletionResponse::Array(items)))
}

fn to_lsp(
    item: CompletionItem,
    base: u32,
    text: &str,
    positions: &Positions<'_>,
    support: CompletionSupport,
) -> Option<lsp_types::CompletionItem> {
    let range = |it: TextRange| positions.range(it.shifted(base));
    let edit_range = item.range.shifted(base);
    let (mut new_text, format) = match (item.is_snippet, support.snippets) {
        (true, true) => (item.insert_text, InsertTextFormat::SNIPPET),
        (true, false) => (plain_text(&item.insert_text), InsertTextFormat::PLAIN_TEXT),
        (false, _) => (item.insert_text, InsertTextFormat::PLAIN_TEXT),
    };
    if !support.snippets && new_text.contains('\n') {
        // A client without snippets may insert the text as a plain word, where a line break
        // becomes a NUL character (Neovim's omnifunc does). Keys keep their first line; a
        // whole-resource template is nothing without its lines.
        if item.kind == CompletionKind::Snippet {
            return None;
        }
        new_text.truncate(new_text.find('\n').unwrap_or(new_text.len()));
    }
    let line_start = text[..edit_range.start as usize]
        .rfind('\n')
        .map_or(0, |it| it + 1);
    if !support.as_is {
        // The client indents each new line like the cursor's line: send what comes on top.
        let line = &text[line_start..];
        let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
        new_text = strip_indent(&new_text, indent);
    }
    let additional_text_edits = (!item.additional_edits.is_empty()).then(|| {
        item.additional_edits
            .iter()
            .map(|it| TextEdit::new(range(it.range), it.new_text.clone()))
            .collect()
    });
    // The client filters on the text between the edit's start and the cursor; the edit may
    // start before the word being typed (at a `- ` or the indentation), so the filter text
    // begins with the same characters.
    let replaced = &text[edit_range.start as usize..];
    let lead = &replaced[..replaced.len() - replaced.trim_start_matches([' ', '-']).len()];
    let filter_text = format!("{lead}{}", item.label);
    Some(lsp_types::CompletionItem {
        label: item.label,
        kind: Some(match item.kind {
            CompletionKind::Field => CompletionItemKind::FIELD,
            CompletionKind::Value => CompletionItemKind::VALUE,
            CompletionKind::Snippet => CompletionItemKind::SNIPPET,
            CompletionKind::Reference => CompletionItemKind::REFERENCE,
        }),
        detail: item.detail,
        documentation: item.documentation.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        sort_text: Some(item.sort_text),
        filter_text: Some(filter_text),
        text_edit: Some(TextEdit::new(range(item.range), new_text).into()),
        insert_text_format: Some(format),
        insert_text_mode: support.as_is.then_some(InsertTextMode::AS_IS),
        additional_text_edits,
        ..lsp_types::CompletionItem::default()
    })
}

/// `text` with `indent` taken off the start of every line after the first.
fn strip_indent(text: &str, indent: &str) -> String {
    if indent.is_empty() {
        return text.to_owned();
    }
    let mut lines = text.split('\n');
    let mut res = lines.next().unwrap_or_default().to_owned();
    for line in lines {
        res.push('\n');
        res.push_str(line.strip_prefix(indent).unwrap_or(line));
    }
    res
}

/// A snippet as plain text, for clients without snippets: each placeholder becomes its default
/// (the first choice of a choice), tab stops disappear.
fn plain_text(snippet: &str) -> String {
    let mut res = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    // Depth of `${…}` placeholders, and whether the text there is kept.
    let mut open: Vec<bool> = Vec::new();
    while let Some(c) = chars.next() {
        let keep = open.last().copied().unwrap_or(true);
        match c {
            '\\' => {
                if let Some(next) = chars.next()
                    && keep
                {
                    res.push(next);
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.next_if(char::is_ascii_digit).is_some() {}
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.next_if(char::is_ascii_digit).is_some() {}
                match chars.next() {
                    Some(':') => open.push(keep),
                    Some('|') => {
                        // The first choice, then skip to the closing `|}`.
                        let mut first = true;
                        for c in chars.by_ref() {
                            match c {
                                '|' => break,
                                ',' => first = false,
                                _ if first && keep => res.push(c),
                                _ => {}
                            }
                        }
                        chars.next_if_eq(&'}');
                    }
                    // `${1}`: an empty tab stop.
                    _ => {}
                }
            }
            '}' if !open.is_empty() => {
                open.pop();
            }
            _ if keep => res.push(c),
            _ => {}
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn snippets_become_plain_text() {
        assert_eq!(plain_text("image: $0"), "image: ");
        assert_eq!(
            plain_text("imagePullPolicy: ${1|Always,IfNotPresent,Never|}"),
            "imagePullPolicy: Always"
        );
        assert_eq!(
            plain_text("name: ${1:web}\nimage: ${2:nginx:1.27}\n"),
            "name: web\nimage: nginx:1.27\n"
        );
        assert_eq!(plain_text("a: ${1:x ${2:y}} \\$5 $10"), "a: x y $5 ");
        assert_eq!(plain_text("env:\n  - $0"), "env:\n  - ");
    }
}
