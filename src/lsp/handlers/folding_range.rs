//! `textDocument/foldingRange`: each `---` document, and each mapping or list value (or list
//! item) that spans several lines.

use lsp_types::{FoldingRange, FoldingRangeParams};

use crate::core::text::TextRange;
use crate::core::yaml::{Node, NodeKind};
use crate::lsp::convert::Positions;
use crate::lsp::state::DocSnapshot;

pub(crate) fn folding_range(
    snapshot: &DocSnapshot,
    _params: FoldingRangeParams,
) -> anyhow::Result<Option<Vec<FoldingRange>>> {
    let positions = snapshot.positions();
    let mut folds: Vec<(u32, u32)> = Vec::new();
    for document in &snapshot.data.parsed().documents {
        let end = document
            .root
            .as_ref()
            .map_or(document.range, |it| it.range)
            .end;
        push(
            &positions,
            TextRange::new(document.range.start, end.max(document.range.start)),
            &mut folds,
        );
        if let Some(root) = &document.root {
            collect(root, &positions, &mut folds);
        }
    }
    // One fold per start line, the largest.
    folds.sort_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    folds.dedup_by_key(|it| it.0);
    Ok(Some(
        folds
            .into_iter()
            .map(|(start_line, end_line)| FoldingRange {
                start_line,
                end_line,
                ..FoldingRange::default()
            })
            .collect(),
    ))
}

fn collect(node: &Node, positions: &Positions<'_>, folds: &mut Vec<(u32, u32)>) {
    match &node.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Mapping(entries) => {
            for entry in entries.iter().filter(|it| !it.merged) {
                if !matches!(entry.value.kind, NodeKind::Scalar(_)) {
                    push(positions, entry.key.range.cover(entry.value.range), folds);
                    collect(&entry.value, positions, folds);
                }
            }
        }
        NodeKind::Sequence(items) => {
            for item in items {
                if !matches!(item.kind, NodeKind::Scalar(_)) {
                    push(positions, item.range, folds);
                    collect(item, positions, folds);
                }
            }
        }
    }
}

fn push(positions: &Positions<'_>, range: TextRange, folds: &mut Vec<(u32, u32)>) {
    let start = positions.line(range.start);
    // A range that ends with a line break ends on the line before.
    let end = positions.line(range.end.saturating_sub(1).max(range.start));
    if end > start {
        folds.push((start, end));
    }
}
