//! One module per LSP feature, and the capabilities the server announces for them.

// Handlers share the signatures the dispatch table expects: parameters by value, a `Result` even
// where nothing can fail today.
#![allow(clippy::needless_pass_by_value, clippy::unnecessary_wraps)]

pub(crate) mod code_action;
pub(crate) mod completion;
pub(crate) mod configuration;
pub(crate) mod document_diagnostic;
pub(crate) mod document_symbol;
pub(crate) mod folding_range;
pub(crate) mod hover;
pub(crate) mod navigation;
pub(crate) mod sync;

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, DiagnosticOptions, DiagnosticServerCapabilities,
    DocumentDiagnosticParams, DocumentSymbolParams, FoldingRangeParams,
    FoldingRangeProviderCapability, GotoDefinitionParams, HoverParams, HoverProviderCapability,
    OneOf, ReferenceParams, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, Uri,
};

use crate::core::text::PositionEncoding;
use crate::lsp::convert;
use crate::lsp::state::Delivery;

/// What the server can do.
pub(crate) fn capabilities(encoding: PositionEncoding, delivery: Delivery) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        // Offered only to clients that pull: the others get pushed diagnostics, and a client
        // offered both would show each twice.
        diagnostic_provider: (delivery != Delivery::Push).then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(convert::SOURCE.to_owned()),
                // A Service's diagnostics depend on the workloads of other files.
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })
        }),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            // After `key: ` and `- `; other triggers are answered with nothing.
            trigger_characters: Some(vec![" ".to_owned()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// Parameters of a request about one document.
pub(crate) trait DocumentParams {
    fn uri(&self) -> &Uri;
}

impl DocumentParams for DocumentDiagnosticParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

impl DocumentParams for DocumentSymbolParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

impl DocumentParams for FoldingRangeParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

impl DocumentParams for HoverParams {
    fn uri(&self) -> &Uri {
        &self.text_document_position_params.text_document.uri
    }
}

impl DocumentParams for CompletionParams {
    fn uri(&self) -> &Uri {
        &self.text_document_position.text_document.uri
    }
}

impl DocumentParams for GotoDefinitionParams {
    fn uri(&self) -> &Uri {
        &self.text_document_position_params.text_document.uri
    }
}

impl DocumentParams for ReferenceParams {
    fn uri(&self) -> &Uri {
        &self.text_document_position.text_document.uri
    }
}

impl DocumentParams for CodeActionParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}
