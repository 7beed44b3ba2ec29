//! Document synchronisation: `didOpen`, `didChange` (full or incremental) and `didClose`.
//! Each open and change is followed by a `publishDiagnostics` for the new version.

use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

use crate::lsp::convert;
use crate::lsp::state::ServerState;

pub(crate) fn did_open(
    state: &mut ServerState,
    params: DidOpenTextDocumentParams,
) -> anyhow::Result<()> {
    let document = params.text_document;
    state.open(&document.uri, document.version, &document.text);
    Ok(())
}

pub(crate) fn did_change(
    state: &mut ServerState,
    params: DidChangeTextDocumentParams,
) -> anyhow::Result<()> {
    let uri = params.text_document.uri;
    let encoding = state.encoding;
    let Some(document) = state.documents.get_mut(&uri) else {
        anyhow::bail!("{} was changed but is not open", uri.as_str());
    };
    for change in &params.content_changes {
        convert::apply_change(&mut document.rope, change, encoding);
    }
    document.set_version(params.text_document.version);
    state.schedule_diagnostics(&uri);
    Ok(())
}

pub(crate) fn did_close(
    state: &mut ServerState,
    params: DidCloseTextDocumentParams,
) -> anyhow::Result<()> {
    state.close(&params.text_document.uri);
    Ok(())
}
