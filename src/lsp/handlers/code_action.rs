//! `textDocument/codeAction`: the quick fixes that the diagnostics in the range carry (rename
//! an unknown field, move a misplaced key, add a missing one, fix a value's case, …), and for
//! each diagnostic "Ignore `rule` on this line" (a `# kls: ignore[…]` comment).

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, WorkspaceEdit,
};

use crate::core::diagnostic::{Diagnostic, Fix};
use crate::core::suppression;
use crate::core::text::TextRange;
use crate::lsp::convert::Positions;
use crate::lsp::state::DocSnapshot;

pub(crate) fn code_action(
    snapshot: &DocSnapshot,
    params: CodeActionParams,
) -> anyhow::Result<Option<CodeActionResponse>> {
    let wanted = params.context.only.as_ref().is_none_or(|kinds| {
        kinds
            .iter()
            .any(|it| it.as_str().is_empty() || *it == CodeActionKind::QUICKFIX)
    });
    if !wanted {
        return Ok(None);
    }
    let positions = snapshot.positions();
    let range = TextRange::new(
        positions.offset(params.range.start),
        positions.offset(params.range.end),
    );
    let actions: Vec<CodeActionOrCommand> = snapshot
        .diagnostics_in(range)
        .into_iter()
        .flat_map(|diagnostic| {
            let fixes: Vec<(bool, Fix)> = diagnostic
                .fix
                .iter()
                .map(|it| (true, it.clone()))
                .chain(diagnostic.alternatives.iter().map(|it| (false, it.clone())))
                .collect();
            // Last, the way out: a comment that suppresses the finding on its line.
            let ignore = suppression::ignore_fix(snapshot.data.text(), &diagnostic);
            fixes
                .into_iter()
                .chain(ignore.map(|it| (false, it)))
                .map(|(first, fix)| action(snapshot, &positions, &diagnostic, first, &fix))
                .collect::<Vec<_>>()
        })
        .collect();
    Ok(Some(actions))
}

/// The code action applying `fix`; only the first, obvious fix of a diagnostic is preferred.
fn action(
    snapshot: &DocSnapshot,
    positions: &Positions,
    diagnostic: &Diagnostic,
    first: bool,
    fix: &Fix,
) -> CodeActionOrCommand {
    let edits = fix
        .edits
        .iter()
        .map(|it| TextEdit::new(positions.range(it.range), it.new_text.clone()))
        .collect();
    let edit = WorkspaceEdit {
        changes: Some(HashMap::from([(snapshot.uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title: fix.title.clone(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![positions.diagnostic(&snapshot.uri, diagnostic)]),
        edit: Some(edit),
        is_preferred: Some(first && is_obvious(fix)),
        ..CodeAction::default()
    })
}

/// Whether a fix only changes or moves what is written. A fix that just inserts text (a missing
/// field with a placeholder value) is a start, not the obvious answer.
fn is_obvious(fix: &Fix) -> bool {
    fix.edits.iter().any(|it| !it.range.is_empty())
}
