//! The language server (`kls lsp`).

/// Serves the Language Server Protocol on stdin/stdout until the client says `exit`.
///
/// # Errors
/// When the connection fails.
pub fn run_stdio() -> anyhow::Result<()> {
    anyhow::bail!("the language server is not built yet")
}
