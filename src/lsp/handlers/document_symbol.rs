//! `textDocument/documentSymbol`: an outline with one symbol per resource (`Deployment web`),
//! whose children follow the mapping keys; list items are named by their `name`.
//!
//! The answer is bounded whatever the document (see `core::limits`): a long list of scalars is
//! one symbol `items (N)`, nesting stops at `SYMBOL_DEPTH` and the whole answer at
//! `MAX_SYMBOLS`, each time with a symbol that says what was left out (past the cap, the last
//! symbol counts the entries and items not shown, their children not included).

use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

use crate::core::limits::{MAX_SYMBOLS, SCALAR_LIST_SYMBOLS, SYMBOL_DEPTH};
use crate::core::text::TextRange;
use crate::core::yaml::{Document, Entry, Node, NodeKind, ScalarValue};
use crate::lsp::convert::Positions;
use crate::lsp::state::DocSnapshot;

/// Names longer than this are cut.
const MAX_NAME: usize = 60;

pub(crate) fn document_symbol(
    snapshot: &DocSnapshot,
    _params: DocumentSymbolParams,
) -> anyhow::Result<Option<DocumentSymbolResponse>> {
    let positions = snapshot.positions();
    Ok(Some(DocumentSymbolResponse::Nested(symbols(
        &snapshot.data.parsed().documents,
        &positions,
    ))))
}

/// The outline of a file's documents.
fn symbols(documents: &[Document], positions: &Positions<'_>) -> Vec<DocumentSymbol> {
    let mut outline = Outline {
        positions,
        budget: MAX_SYMBOLS,
        left_out: 0,
    };
    let mut res: Vec<DocumentSymbol> = documents
        .iter()
        .filter_map(|document| {
            let root = document.root.as_ref()?;
            root.entries()?;
            outline
                .take(1)
                .then(|| outline.resource(root, document.index))
        })
        .collect();
    if outline.left_out > 0 {
        let end = documents.last().map_or(0, |it| it.range.end);
        res.push(note(
            format!(
                "… {} more not shown (the outline shows at most {MAX_SYMBOLS} symbols)",
                outline.left_out
            ),
            TextRange::empty(end),
            positions,
        ));
    }
    res
}

/// A symbol that stands for what was left out.
fn note(name: String, range: TextRange, positions: &Positions<'_>) -> DocumentSymbol {
    symbol(name, None, SymbolKind::NULL, range, range, None, positions)
}

/// Builds the outline within the limits: `budget` symbols still to give, `left_out` counted.
struct Outline<'p, 'a> {
    positions: &'p Positions<'a>,
    budget: usize,
    left_out: usize,
}

impl Outline<'_, '_> {
    /// `Deployment hello-kiamol-4`, with the apiVersion as detail.
    fn resource(&mut self, root: &Node, index: usize) -> DocumentSymbol {
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
        let children = self.children(root, 1);
        symbol(
            title,
            root.get("apiVersion")
                .and_then(Node::scalar_text)
                .map(label),
            SymbolKind::CLASS,
            root.range,
            selection,
            children,
            self.positions,
        )
    }

    /// The symbols of a mapping's entries or a list's items, `depth` levels below a resource.
    /// Recursion stops at `SYMBOL_DEPTH`, so the stack it needs is bounded.
    fn children(&mut self, node: &Node, depth: usize) -> Option<Vec<DocumentSymbol>> {
        let count = match &node.kind {
            NodeKind::Scalar(_) => return None,
            NodeKind::Mapping(entries) => entries.len(),
            NodeKind::Sequence(items) => items.len(),
        };
        if count == 0 {
            return None;
        }
        if depth > SYMBOL_DEPTH {
            return Some(self.noted(
                format!("… nested deeper than {SYMBOL_DEPTH} levels, not shown"),
                node.range,
            ));
        }
        if let NodeKind::Sequence(items) = &node.kind
            && items.len() > SCALAR_LIST_SYMBOLS
            && items.iter().all(|it| it.scalar().is_some())
        {
            return Some(self.noted(format!("items ({})", items.len()), node.range));
        }
        let mut res = Vec::new();
        match &node.kind {
            NodeKind::Scalar(_) => {}
            // Merged entries live where their anchor is, outside this mapping.
            NodeKind::Mapping(entries) => {
                let entries: Vec<&Entry> = entries.iter().filter(|it| !it.merged).collect();
                for (shown, it) in entries.iter().enumerate() {
                    if !self.take(entries.len() - shown) {
                        break;
                    }
                    res.push(self.entry(it, depth));
                }
            }
            NodeKind::Sequence(items) => {
                for (i, it) in items.iter().enumerate() {
                    if !self.take(items.len() - i) {
                        break;
                    }
                    res.push(self.item(i, it, depth));
                }
            }
        }
        Some(res)
    }

    /// Takes one symbol from the budget; `false` when none is left, and then the `remaining`
    /// symbols of this level (their children not counted) are left out.
    fn take(&mut self, remaining: usize) -> bool {
        if self.budget == 0 {
            self.left_out += remaining;
            return false;
        }
        self.budget -= 1;
        true
    }

    /// One symbol standing for what is left out of `range`, if the budget allows.
    fn noted(&mut self, name: String, range: TextRange) -> Vec<DocumentSymbol> {
        if self.take(1) {
            vec![note(name, range, self.positions)]
        } else {
            Vec::new()
        }
    }

    fn entry(&mut self, entry: &Entry, depth: usize) -> DocumentSymbol {
        let name = entry
            .key
            .json_key()
            .unwrap_or_else(|| "(complex key)".to_owned());
        let detail = entry.value.scalar_text().map(label);
        let children = self.children(&entry.value, depth + 1);
        symbol(
            label(&name),
            detail,
            value_kind(&entry.value),
            entry.key.range.cover(entry.value.range),
            entry.key.range,
            children,
            self.positions,
        )
    }

    /// A list item, named by its `name` (containers, ports, env, volumes…), or its own text.
    fn item(&mut self, index: usize, item: &Node, depth: usize) -> DocumentSymbol {
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
        let children = self.children(item, depth + 1);
        symbol(
            name,
            None,
            kind,
            item.range,
            selection,
            children,
            self.positions,
        )
    }
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

#[cfg(test)]
mod tests {
    use ropey::Rope;

    use super::*;
    use crate::core::limits::WORKER_STACK_SIZE;
    use crate::core::text::PositionEncoding;
    use crate::core::yaml::parse;

    /// The outline of `text`, computed on a thread with the checking threads' stack.
    fn outline(text: String) -> Vec<DocumentSymbol> {
        std::thread::Builder::new()
            .stack_size(WORKER_STACK_SIZE)
            .spawn(move || {
                let rope = Rope::from_str(&text);
                let positions = Positions {
                    rope: &rope,
                    encoding: PositionEncoding::Utf16,
                };
                symbols(&parse(&text).documents, &positions)
            })
            .expect("a thread")
            .join()
            .expect("no panic")
    }

    fn count(symbols: &[DocumentSymbol]) -> usize {
        symbols
            .iter()
            .map(|it| 1 + it.children.as_deref().map_or(0, count))
            .sum()
    }

    fn names(symbols: &[DocumentSymbol]) -> Vec<&str> {
        symbols.iter().map(|it| it.name.as_str()).collect()
    }

    fn child<'a>(symbol: &'a DocumentSymbol, name: &str) -> &'a DocumentSymbol {
        symbol
            .children
            .iter()
            .flatten()
            .find(|it| it.name == name)
            .unwrap_or_else(|| panic!("no `{name}` in {symbol:?}"))
    }

    fn lines(n: usize, line: impl Fn(usize) -> String) -> String {
        let mut res = String::new();
        for i in 0..n {
            res.push_str(&line(i));
        }
        res
    }

    const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

    #[test]
    fn a_long_list_of_scalars_is_one_symbol() {
        let short = outline(format!(
            "{HEAD}data:\n  a: [{}]\n",
            vec!["x"; 20].join(", ")
        ));
        let a = child(child(&short[0], "data"), "a");
        assert_eq!(a.children.as_ref().map(Vec::len), Some(20));
        let items = lines(20_000, |i| format!("    - item{i}\n"));
        let long = outline(format!("{HEAD}data:\n  a:\n{items}"));
        let a = child(child(&long[0], "data"), "a");
        assert_eq!(
            names(a.children.as_deref().unwrap_or_default()),
            ["items (20000)"]
        );
        assert!(count(&long) < 10, "{}", count(&long));
    }

    #[test]
    fn the_answer_is_capped_and_says_so() {
        let items = lines(20_000, |i| format!("    - {{name: n{i}}}\n"));
        let symbols = outline(format!("{HEAD}data:\n  a:\n{items}"));
        assert_eq!(count(&symbols), MAX_SYMBOLS + 1);
        let shown = child(child(&symbols[0], "data"), "a")
            .children
            .as_ref()
            .map_or(0, Vec::len);
        // Items cost two symbols each, one for the item and one for its `name`: the last item
        // shown has no room left for its name.
        let left_out = 20_000 - shown + 1;
        assert_eq!(
            symbols.last().map(|it| it.name.as_str()),
            Some(
                format!(
                    "… {left_out} more not shown (the outline shows at most {MAX_SYMBOLS} symbols)"
                )
                .as_str()
            )
        );
    }

    #[test]
    fn a_deep_document_is_cut_at_the_outline_depth() {
        let deep = "- ".repeat(3_000);
        let symbols = outline(format!("{HEAD}data:\n  a:\n    {deep}x\n"));
        let mut symbol = child(&symbols[0], "data");
        let mut depth = 1;
        while let Some(children) = &symbol.children {
            symbol = &children[0];
            depth += 1;
        }
        // `data` is level 1, and the symbol saying what is cut one level past the last.
        assert_eq!(depth, SYMBOL_DEPTH + 1);
        assert_eq!(
            symbol.name,
            format!("… nested deeper than {SYMBOL_DEPTH} levels, not shown")
        );
    }
}
