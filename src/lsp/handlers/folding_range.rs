//! `textDocument/foldingRange`: each `---` document, and each mapping or list value (or list
//! item) that spans several lines. The tree is walked with an explicit stack (any depth is
//! safe), and the answer holds at most `MAX_FOLDING_RANGES`, the outermost ones.

use lsp_types::{FoldingRange, FoldingRangeParams};

use crate::core::limits::MAX_FOLDING_RANGES;
use crate::core::text::TextRange;
use crate::core::yaml::{Node, NodeKind};
use crate::lsp::convert::Positions;
use crate::lsp::state::DocSnapshot;

pub(crate) fn folding_range(
    snapshot: &DocSnapshot,
    _params: FoldingRangeParams,
) -> anyhow::Result<Option<Vec<FoldingRange>>> {
    let positions = snapshot.positions();
    // (start line, end line, nesting depth)
    let mut folds: Vec<(u32, u32, usize)> = Vec::new();
    for document in &snapshot.data.parsed().documents {
        let end = document
            .root
            .as_ref()
            .map_or(document.range, |it| it.range)
            .end;
        push(
            &positions,
            TextRange::new(document.range.start, end.max(document.range.start)),
            0,
            &mut folds,
        );
        if let Some(root) = &document.root {
            collect(root, &positions, &mut folds);
        }
    }
    Ok(Some(
        finish(folds)
            .into_iter()
            .map(|(start_line, end_line)| FoldingRange {
                start_line,
                end_line,
                ..FoldingRange::default()
            })
            .collect(),
    ))
}

/// One fold per start line, the largest, and at most `MAX_FOLDING_RANGES`, the outermost.
fn finish(mut folds: Vec<(u32, u32, usize)>) -> Vec<(u32, u32)> {
    folds.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    folds.dedup_by_key(|it| it.0);
    if folds.len() > MAX_FOLDING_RANGES {
        folds.sort_by_key(|&(start, _, depth)| (depth, start));
        folds.truncate(MAX_FOLDING_RANGES);
        folds.sort_by_key(|&(start, _, _)| start);
    }
    folds
        .into_iter()
        .map(|(start, end, _)| (start, end))
        .collect()
}

fn collect(root: &Node, positions: &Positions<'_>, folds: &mut Vec<(u32, u32, usize)>) {
    let mut stack = vec![(root, 1)];
    while let Some((node, depth)) = stack.pop() {
        match &node.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Mapping(entries) => {
                for entry in entries.iter().filter(|it| !it.merged) {
                    if !matches!(entry.value.kind, NodeKind::Scalar(_)) {
                        let range = entry.key.range.cover(entry.value.range);
                        push(positions, range, depth, folds);
                        stack.push((&entry.value, depth + 1));
                    }
                }
            }
            NodeKind::Sequence(items) => {
                for item in items {
                    if !matches!(item.kind, NodeKind::Scalar(_)) {
                        push(positions, item.range, depth, folds);
                        stack.push((item, depth + 1));
                    }
                }
            }
        }
    }
}

fn push(
    positions: &Positions<'_>,
    range: TextRange,
    depth: usize,
    folds: &mut Vec<(u32, u32, usize)>,
) {
    let start = positions.line(range.start);
    // A range that ends with a line break ends on the line before.
    let end = positions.line(range.end.saturating_sub(1).max(range.start));
    if end > start {
        folds.push((start, end, depth));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::limits::WORKER_STACK_SIZE;
    use crate::core::text::PositionEncoding;
    use crate::core::yaml::{Scalar, ScalarStyle, ScalarValue};

    /// 20,000 nested lists around a scalar, each spanning both lines of `a\nb\n`.
    fn deep() -> Node {
        let range = TextRange::new(0, 3);
        let mut node = Node {
            range,
            kind: NodeKind::Scalar(Scalar {
                text: "a\nb".to_owned(),
                style: ScalarStyle::Literal,
                value: ScalarValue::String,
            }),
        };
        for _ in 0..20_000 {
            node = Node {
                range,
                kind: NodeKind::Sequence(vec![node]),
            };
        }
        node
    }

    #[test]
    fn deep_documents_fold_at_every_level() {
        let folds = std::thread::Builder::new()
            .stack_size(WORKER_STACK_SIZE)
            .spawn(|| {
                let rope = ropey::Rope::from_str("a\nb\n");
                let positions = Positions {
                    rope: &rope,
                    encoding: PositionEncoding::Utf16,
                };
                let mut res = Vec::new();
                collect(&deep(), &positions, &mut res);
                res
            })
            .expect("a thread")
            .join()
            .expect("no panic");
        // Every list but the outermost is an item of another.
        assert_eq!(folds.len(), 19_999);
        assert!(folds.iter().all(|&(start, end, _)| (start, end) == (0, 1)));
        assert_eq!(folds.iter().map(|it| it.2).max(), Some(19_999));
    }

    #[test]
    fn the_answer_keeps_the_outermost_folds() {
        // Line 2i opens a fold at depth 1 + i % 3, and the same line twice at depth 9.
        let mut folds: Vec<(u32, u32, usize)> = (0..10_000u32)
            .map(|i| (2 * i, 2 * i + 1, 1 + (i % 3) as usize))
            .collect();
        folds.push((0, 0, 9));
        let kept = finish(folds);
        assert_eq!(kept.len(), MAX_FOLDING_RANGES);
        assert!(kept.windows(2).all(|it| it[0].0 < it[1].0));
        // Depth 1 (3,334 folds) is kept whole, and then depth 2 from the top.
        assert_eq!(kept[0], (0, 1));
        assert_eq!(kept[1], (2, 3));
        assert!(!kept.contains(&(4, 5)), "a fold at depth 3 is left out");
    }
}
