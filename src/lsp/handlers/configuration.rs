//! `workspace/didChangeConfiguration`: new editor settings, then fresh diagnostics for every
//! open document.

use lsp_types::DidChangeConfigurationParams;

use crate::lsp::state::ServerState;

pub(crate) fn did_change_configuration(
    state: &mut ServerState,
    params: DidChangeConfigurationParams,
) -> anyhow::Result<()> {
    state.set_editor_settings(params.settings);
    Ok(())
}
