//! `sds lsp`: a Language Server Protocol server over stdio.
//!
//! Open documents are checked with the same checker as `sds check` (reports)
//! and `sds lint` (checklists) on every open, change and save; completion,
//! hover and quick fixes read the checklist the report names. Full-document
//! sync: each change carries the whole text, so no edit can leave the
//! server's copy out of step with the editor's.
//!
//! One thread handles messages in order. Changes that arrive while a check
//! runs are applied together and the document is checked once, at its newest
//! text, so a fast typist never queues up stale checks. A check that panicked
//! (it should never) becomes a diagnostic instead of ending the server.

mod actions;
pub mod analysis;
mod complete;
pub mod context;
mod hover;
pub mod text;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, Diagnostic, HoverProviderCapability,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};

pub use analysis::Config;
use analysis::{Analysis, Facts};
use text::LineIndex;

use crate::checklist::{Catalog, ChecklistSource, source};
use crate::codes::Code;
use crate::finding::Finding;
use crate::load::{self, Span};

/// Why the server stopped other than by `shutdown` and `exit`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The client broke the protocol (or went away before `initialize`).
    #[error("language server protocol: {0}")]
    Protocol(String),
    /// Reading or writing standard input and output failed.
    #[error("standard input/output: {0}")]
    Io(#[from] std::io::Error),
}

/// Serves on standard input and output until the client says `exit`.
///
/// # Errors
/// A protocol error before initialization, or a failed stdio thread.
pub fn serve_stdio(config: Config) -> Result<(), Error> {
    let (connection, threads) = Connection::stdio();
    serve(&connection, config)?;
    drop(connection);
    threads.join()?;
    Ok(())
}

/// What the server announces in `initialize`.
#[must_use]
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "-".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Runs the server on a connection (stdio, or in memory for tests) until
/// `shutdown` and `exit`, or until the client goes away.
///
/// # Errors
/// A protocol error during initialization or shutdown.
pub fn serve(connection: &Connection, config: Config) -> Result<(), Error> {
    let caps = serde_json::to_value(capabilities()).map_err(|e| Error::Protocol(e.to_string()))?;
    connection
        .initialize(caps)
        .map_err(|e| Error::Protocol(e.to_string()))?;
    let mut server = Server::new(config);
    loop {
        let Ok(first) = connection.receiver.recv() else {
            return Ok(());
        };
        let mut batch = vec![first];
        // Whatever else is already waiting is handled before any check runs.
        while let Ok(m) = connection.receiver.try_recv() {
            batch.push(m);
        }
        for msg in batch {
            match msg {
                Message::Request(req) => {
                    if connection
                        .handle_shutdown(&req)
                        .map_err(|e| Error::Protocol(e.to_string()))?
                    {
                        return Ok(());
                    }
                    let id = req.id.clone();
                    // A bug in a handler answers that request with an error;
                    // the server and its documents carry on.
                    let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        server.request(req)
                    }))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "sds failed on this request (a bug in sds: please report it)".into(),
                        )
                    });
                    if connection.sender.send(resp.into()).is_err() {
                        return Ok(());
                    }
                }
                Message::Notification(n) => {
                    if n.method == "exit" {
                        return Ok(());
                    }
                    server.notification(n);
                }
                Message::Response(_) => {}
            }
        }
        for (uri, diagnostics, version) in server.publish() {
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            };
            let n = Notification::new(PublishDiagnostics::METHOD.into(), params);
            if connection.sender.send(n.into()).is_err() {
                return Ok(());
            }
        }
    }
}

/// One open document.
#[derive(Debug)]
pub struct Document {
    /// The file it is, when its URI is a `file:` URI.
    pub path: Option<PathBuf>,
    /// The name findings carry (the path, or the URI).
    pub shown: String,
    /// Its text, as the editor has it.
    pub text: String,
    /// Line starts of `text`.
    pub index: LineIndex,
    /// The editor's version number.
    pub version: i32,
    /// Its findings at `text` (None when `text` changed since).
    pub analysis: Option<Analysis>,
    /// What the last text that parsed said about the report.
    pub facts: Facts,
    /// Check evidence files too (set on save, cleared by the next change).
    saved: bool,
}

impl Document {
    fn new(uri: &Url, text: String, version: i32) -> Self {
        let path = (uri.scheme() == "file")
            .then(|| uri.to_file_path().ok())
            .flatten();
        let shown = path
            .as_ref()
            .map_or_else(|| uri.to_string(), |p| p.to_string_lossy().into_owned());
        let mut d = Document {
            path,
            shown,
            index: LineIndex::new(""),
            text: String::new(),
            version,
            analysis: None,
            facts: Facts::default(),
            saved: false,
        };
        d.set_text(text, version);
        d
    }

    fn set_text(&mut self, text: String, version: i32) {
        self.index = LineIndex::new(&text);
        self.text = text;
        self.version = version;
        self.analysis = None;
        self.saved = false;
    }
}

/// The server's state: settings, checklists, open documents.
pub struct Server {
    config: Config,
    catalog: Result<Arc<Catalog>, String>,
    docs: HashMap<Url, Document>,
    /// Documents whose diagnostics must be sent (closed ones get an empty list).
    dirty: BTreeSet<Url>,
}

impl Server {
    /// A server with its checklists loaded and linted, as `sds check` loads them.
    #[must_use]
    pub fn new(config: Config) -> Self {
        let catalog = load_catalog(&config);
        Server {
            config,
            catalog,
            docs: HashMap::new(),
            dirty: BTreeSet::new(),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                {
                    let d = p.text_document;
                    self.docs
                        .insert(d.uri.clone(), Document::new(&d.uri, d.text, d.version));
                    self.dirty.insert(d.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    // Full sync: the last change holds the whole text.
                    if let (Some(doc), Some(change)) = (
                        self.docs.get_mut(&uri),
                        p.content_changes.into_iter().last(),
                    ) {
                        doc.set_text(change.text, p.text_document.version);
                        self.dirty.insert(uri);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params)
                {
                    let uri = p.text_document.uri;
                    let reload = self
                        .docs
                        .get(&uri)
                        .is_some_and(|d| self.is_loaded_checklist(d));
                    if let Some(doc) = self.docs.get_mut(&uri) {
                        if let Some(text) = p.text {
                            let v = doc.version;
                            doc.set_text(text, v);
                        }
                        doc.analysis = None;
                        doc.saved = true;
                        self.dirty.insert(uri);
                    }
                    if reload {
                        // A checklist the server checks against was saved:
                        // every open report is checked against the new text.
                        self.catalog = load_catalog(&self.config);
                        for (u, d) in &mut self.docs {
                            d.analysis = None;
                            self.dirty.insert(u.clone());
                        }
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                {
                    self.docs.remove(&p.text_document.uri);
                    self.dirty.insert(p.text_document.uri);
                }
            }
            _ => {}
        }
    }

    fn is_loaded_checklist(&self, d: &Document) -> bool {
        let Some(p) = d.path.as_ref().and_then(|p| std::fs::canonicalize(p).ok()) else {
            return false;
        };
        self.config
            .checklists
            .iter()
            .filter_map(|c| std::fs::canonicalize(c).ok())
            .any(|c| p.starts_with(c))
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            Completion::METHOD => self.with_params(req, Self::completion),
            HoverRequest::METHOD => self.with_params(req, Self::hover),
            CodeActionRequest::METHOD => self.with_params(req, Self::code_actions),
            m => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("sds lsp does not handle {m}"),
                );
            }
        };
        match result {
            Ok(v) => Response::new_ok(id, v),
            Err(why) => Response::new_err(id, ErrorCode::InvalidParams as i32, why),
        }
    }

    fn with_params<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &mut self,
        req: Request,
        f: impl FnOnce(&mut Self, P) -> R,
    ) -> Result<serde_json::Value, String> {
        let p: P = serde_json::from_value(req.params).map_err(|e| e.to_string())?;
        serde_json::to_value(f(self, p)).map_err(|e| e.to_string())
    }

    /// Checks every document whose text changed, and returns the diagnostics to send.
    fn publish(&mut self) -> Vec<(Url, Vec<Diagnostic>, Option<i32>)> {
        let dirty = std::mem::take(&mut self.dirty);
        dirty
            .into_iter()
            .map(|uri| {
                if self.docs.contains_key(&uri) {
                    let diags = self.diagnostics(&uri);
                    let version = self.docs.get(&uri).map(|d| d.version);
                    (uri, diags, version)
                } else {
                    (uri, Vec::new(), None)
                }
            })
            .collect()
    }

    /// The document's findings at its current text, checking it if needed.
    pub(crate) fn analysed(&mut self, uri: &Url) -> Option<&Document> {
        let catalog = self.catalog.as_ref().map(Clone::clone);
        let config = &self.config;
        let doc = self.docs.get_mut(uri)?;
        if doc.analysis.is_none() {
            let run = || {
                analysis::analyse(
                    doc.path.as_deref(),
                    &doc.shown,
                    &doc.text,
                    catalog.as_deref().map_err(|e| e.as_str()),
                    config,
                    doc.saved,
                )
            };
            let a = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| Analysis {
                findings: vec![Finding::new(
                    Code::ParseError,
                    Span::TOP,
                    "sds failed while checking this document (a bug in sds: please report it with the document)",
                )],
                ..Analysis::default()
            });
            // What the last text that parsed says, for completion and hover
            // while the text is broken mid-edit.
            if let Some(root) = &a.tree {
                doc.facts = Facts::of(root);
            }
            doc.analysis = Some(a);
        }
        Some(doc)
    }

    fn diagnostics(&mut self, uri: &Url) -> Vec<Diagnostic> {
        let link_base = self.config.link_base.clone();
        let catalog = self.catalog.as_ref().ok().cloned();
        let Some(doc) = self.analysed(uri) else {
            return Vec::new();
        };
        let Some(a) = &doc.analysis else {
            return Vec::new();
        };
        let root = a.tree.as_ref();
        let checklist = catalog.as_deref().and_then(|c| doc.facts.checklist(c));
        a.findings
            .iter()
            .map(|f| {
                let related =
                    analysis::related(f, root, uri, &doc.text, &doc.index, a.shift, checklist);
                analysis::diagnostic(
                    f,
                    &doc.text,
                    &doc.index,
                    a.shift,
                    related,
                    link_base.as_deref(),
                )
            })
            .collect()
    }
}

/// Loads the checklists as `sds check` does; one with lint errors is refused
/// (no verdict can rest on it), and every report then says so.
fn load_catalog(config: &Config) -> Result<Arc<Catalog>, String> {
    let sources: Vec<ChecklistSource> = if config.checklists.is_empty() {
        vec![ChecklistSource::Bundled]
    } else {
        config
            .checklists
            .iter()
            .cloned()
            .map(ChecklistSource::Path)
            .collect()
    };
    let mut loaded = source::load_all(&sources, &load::Limits::default());
    if loaded.has_errors() {
        return Err("a loaded checklist has errors (SDS001-SDS106); no verdict can rest on it: run `sds lint` on it".into());
    }
    if loaded.checklists.is_empty() {
        return Err("no checklist is loaded".into());
    }
    Ok(Arc::new(Catalog::new(std::mem::take(
        &mut loaded.checklists,
    ))))
}
