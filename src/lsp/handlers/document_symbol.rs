//! `textDocument/documentSymbol`: an outline with one symbol per resource (`Deployment web`),
//! whose children follow the mapping keys; list items are named by their `name`.

use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

use crate::core::text::TextRange;
use crate::core::yaml::{Entry, Node, NodeKind, ScalarValue};
use crate::lsp::convert::Positions;
use crate::lsp::state::DocSnapshot;

/// Names longer than this are cut.
const MAX_NAME: usize = 60;

pub(crate) fn document_symbol(
    snapshot: &DocSnapshot,
    _params: DocumentSymbolParams,
) -> anyhow::Result<Option<DocumentSymbolResponse>> {
    let positions = snapshot.positions();
    let symbols = snapshot
        .data
        .parsed()
        .documents
        .iter()
        .filter_map(|document| {
            let root = document.root.as_ref()?;
            root.entries()?;
            Some(resource(root, document.index, &positions))
        })
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

/// `Deployment hello-kiamol-4`, with the apiVersion as detail.
fn resource(root: &Node, index: usize, positions: &Positions<'_>) -> DocumentSymbol {
    let kind = root.get("kind").and_then(Node::scalar_text);
    let name = root
        .get_path(&["metadata", "name"])
        .and_then(Node::scalar_text);
    let title = match (kind, name) {
        (Some(kind), Some(name)) => format!("{kind} {name}"),
        (Some(it), None) | (None, Some(it)) => it.to_owned(),
        (None, None) => format!("document {}", index + 1),
    };
    let selection = root
        .get_path(&["metadata", "name"])
        .or_else(|| root.get("kind"))
        .map_or(TextRange::empty(root.range.start), |it| it.range);
    symbol(
        title,
        root.get("apiVersion")
            .and_then(Node::scalar_text)
            .map(label),
        SymbolKind::CLASS,
        root.range,
        selection,
        children(root, positions),
        positions,
    )
}

fn children(node: &Node, positions: &Positions<'_>) -> Option<Vec<DocumentSymbol>> {
    match &node.kind {
        NodeKind::Scalar(_) => None,
        NodeKind::Mapping(entries) => Some(
            entries
                .iter()
                // Merged entries live where their anchor is, outside this mapping.
                .filter(|it| !it.merged)
                .map(|it| entry(it, positions))
                .collect(),
        ),
        NodeKind::Sequence(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, it)| item(i, it, positions))
                .collect(),
        ),
    }
}

fn entry(entry: &Entry, positions: &Positions<'_>) -> DocumentSymbol {
    let name = entry
        .key
        .json_key()
        .unwrap_or_else(|| "(complex key)".to_owned());
    let detail = entry.value.scalar_text().map(label);
    symbol(
        label(&name),
        detail,
        value_kind(&entry.value),
        entry.key.range.cover(entry.value.range),
        entry.key.range,
        children(&entry.value, positions),
        positions,
    )
}

/// A list item, named by its `name` (containers, ports, env, volumes…), or its own text.
fn item(index: usize, item: &Node, positions: &Positions<'_>) -> DocumentSymbol {
    let named = item.get("name").filter(|it| it.scalar_text().is_some());
    let (name, selection) = match (named, item.scalar_text()) {
        (Some(name), _) => (
            name.scalar_text().map_or_else(String::new, label),
            name.range,
        ),
        (None, Some(text)) => (label(text), item.range),
        (None, None) => (format!("[{index}]"), TextRange::empty(item.range.start)),
    };
    let kind = if item.entries().is_some() {
        SymbolKind::OBJECT
    } else {
        value_kind(item)
    };
    symbol(
        name,
        None,
        kind,
        item.range,
        selection,
        children(item, positions),
        positions,
    )
}

fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: TextRange,
    selection: TextRange,
    children: Option<Vec<DocumentSymbol>>,
    positions: &Positions<'_>,
) -> DocumentSymbol {
    // Editors reject an empty name.
    let name = if name.is_empty() {
        "\"\"".to_owned()
    } else {
        name
    };
    #[allow(deprecated)]
    DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: positions.range(range),
        selection_range: positions.range(selection),
        children: children.filter(|it| !it.is_empty()),
    }
}

fn value_kind(node: &Node) -> SymbolKind {
    match &node.kind {
        NodeKind::Mapping(_) => SymbolKind::MODULE,
        NodeKind::Sequence(_) => SymbolKind::ARRAY,
        NodeKind::Scalar(scalar) => match scalar.value {
            ScalarValue::Null => SymbolKind::NULL,
            ScalarValue::Bool(_) => SymbolKind::BOOLEAN,
            ScalarValue::Int(_) | ScalarValue::Float(_) => SymbolKind::NUMBER,
            ScalarValue::String => SymbolKind::STRING,
        },
    }
}

/// The first line of a text, cut to a readable length.
fn label(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(MAX_NAME) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}
