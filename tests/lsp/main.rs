//! `sds lsp` at the protocol level, over an in-memory connection: the
//! handshake, diagnostics on open, change and save (the same findings as
//! `sds check` on every fixture), completion, hover, quick fixes, and
//! hostile documents that must never stop the server.
// LSP positions and counts in these tests are small: the casts are exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss
)]

#[path = "../common/mod.rs"]
mod common;
mod completion_hover_actions;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::{Position, Range, TextEdit, Url};
use serde_json::{Value, json};

use common::{MINI, expectations, fixtures, fuzz_corpus};
use sds::lsp::Config;
use sds::lsp::text::LineIndex;

const WAIT: Duration = Duration::from_secs(60);

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<Result<(), sds::lsp::Error>>>,
    next: i32,
    /// publishDiagnostics received while waiting for something else.
    pending: Vec<Value>,
}

impl Client {
    fn start(config: Config) -> (Self, Value) {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || sds::lsp::serve(&server, config));
        let mut c = Client {
            conn: client,
            server: Some(handle),
            next: 0,
            pending: Vec::new(),
        };
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        c.notify("initialized", json!({}));
        (c, init)
    }

    fn mini() -> Self {
        Self::start(Config {
            checklists: vec![root().join(MINI)],
            ..Config::default()
        })
        .0
    }

    fn recv(&mut self) -> Message {
        self.conn
            .receiver
            .recv_timeout(WAIT)
            .expect("the server answers within a minute")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        self.conn
            .sender
            .send(Request::new(id.clone(), method.into(), params).into())
            .unwrap();
        loop {
            match self.recv() {
                Message::Response(r) if r.id == id => {
                    return r
                        .response_result
                        .unwrap_or_else(|e| panic!("{method}: {e:?}"));
                }
                Message::Notification(n) => {
                    self.pending.push(serde_json::to_value(n.params).unwrap());
                }
                _ => {}
            }
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.conn
            .sender
            .send(Notification::new(method.into(), params).into())
            .unwrap();
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &Url) -> Vec<Value> {
        if let Some(i) = self.pending.iter().position(|p| p["uri"] == uri.as_str()) {
            let p = self.pending.remove(i);
            return p["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            if let Message::Notification(n) = self.recv()
                && n.method == "textDocument/publishDiagnostics"
                && n.params["uri"] == uri.as_str()
            {
                return n.params["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn open(&mut self, uri: &Url, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    /// Opens the file at `path` as it is on disk: its URI, its text and the
    /// first diagnostics.
    fn open_file(&mut self, path: &str) -> (Url, String, Vec<Value>) {
        let uri = uri_of(Path::new(path));
        let text = read(path);
        let d = self.open(&uri, &text);
        (uri, text, d)
    }

    fn change(&mut self, uri: &Url, version: i32, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        self.diagnostics(uri)
    }

    fn at(&mut self, method: &str, uri: &Url, p: Position) -> Value {
        self.request(method, json!({"textDocument": {"uri": uri}, "position": p}))
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let h = self.server.take().unwrap();
        h.join()
            .expect("the server thread never panics")
            .expect("clean exit");
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn uri_of(p: &Path) -> Url {
    Url::from_file_path(root().join(p)).unwrap()
}

/// (code, 1-based line, 1-based column) of diagnostics.
fn codes_lines(diags: &[Value]) -> Vec<(String, u64, u64)> {
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    v.sort();
    v
}

/// Where `needle` is in `text` (its first occurrence), plus `ahead` characters.
fn pos_of(text: &str, needle: &str, ahead: usize) -> Position {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + ahead;
    LineIndex::new(text).position(text, i)
}

fn apply(text: &str, edits: &[TextEdit]) -> String {
    let ix = LineIndex::new(text);
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                ix.offset(text, e.range.start),
                ix.offset(text, e.range.end),
                e.new_text.as_str(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (s, e, t) in edits {
        out.replace_range(s..e, t);
    }
    out
}

fn labels(v: &Value) -> Vec<String> {
    let list = v
        .as_array()
        .cloned()
        .or_else(|| v["items"].as_array().cloned())
        .unwrap_or_default();
    list.iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap()
}

#[test]
fn initialize_announces_full_sync_completion_hover_and_quick_fixes() {
    let (c, init) = Client::start(Config::default());
    let caps = &init["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 1, "full sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["codeActionProvider"], true);
    assert!(caps["completionProvider"].is_object());
    c.shutdown();
}

#[test]
fn diagnostics_on_open_and_change_carry_code_range_and_severity() {
    let mut c = Client::mini();
    let p = "tests/fixtures/codes/SDS020/missing.yaml";
    let (uri, text, d) = c.open_file(p);
    assert_eq!(codes_lines(&d), [("SDS020".to_owned(), 11, 1)]);
    assert_eq!(d[0]["severity"], 1);
    assert_eq!(d[0]["source"], "sds");
    // `results` — the key the finding points at, exactly.
    assert_eq!(d[0]["range"]["end"]["character"], 7);
    // A typo in an item id: SDS011 at the value, the real item still missing.
    let changed = text.replace("item: SDS-HV-001", "item: SDS-HV-01");
    let d = c.change(&uri, 2, &changed);
    let got = codes_lines(&d);
    assert!(got.contains(&("SDS011".to_owned(), 30, 11)), "{got:?}");
    let sds011 = d.iter().find(|d| d["code"] == "SDS011").unwrap();
    assert!(
        sds011["message"].as_str().unwrap().contains("SDS-HV-001"),
        "{sds011}"
    );
    // Back to the original: SDS011 is gone.
    let d = c.change(&uri, 3, &text);
    assert_eq!(codes_lines(&d), [("SDS020".to_owned(), 11, 1)]);
    // Closing clears the document's diagnostics.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(c.diagnostics(&uri).is_empty());
    c.shutdown();
}

#[test]
fn other_yaml_files_get_no_diagnostics_and_broken_reports_get_sds001() {
    let mut c = Client::mini();
    let uri = Url::parse("untitled:ci.yaml").unwrap();
    assert!(
        c.open(&uri, "on: [push]\njobs:\n  test: {runs-on: x\n")
            .is_empty()
    );
    let d = c.change(&uri, 2, "sds_report: 1\nresults: [\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["code"], "SDS001");
    c.shutdown();
}

#[test]
fn code_links_use_the_link_base_and_waivers_are_related() {
    let (mut c, _) = Client::start(Config {
        checklists: vec![root().join(MINI)],
        link_base: Some("https://example.org/findings.html".into()),
        ..Config::default()
    });
    let p = "tests/fixtures/codes/SDS060/waived.yaml";
    let text = read(p);
    let d = c.open(&uri_of(Path::new(p)), &text);
    let waived = d.iter().find(|d| d["code"] == "SDS060").expect("an SDS060");
    assert_eq!(
        waived["codeDescription"]["href"],
        "https://example.org/findings.html#sds060"
    );
    assert_eq!(waived["severity"], 3, "a note is information");
    let rel = waived["relatedInformation"]
        .as_array()
        .expect("the waiver is related");
    let line = rel[0]["location"]["range"]["start"]["line"]
        .as_u64()
        .unwrap() as usize;
    assert!(text.lines().nth(line).unwrap().contains("item:"), "{rel:?}");
    assert!(text.lines().skip(line).take(1).any(|l| l.contains("SDS-")));
    c.shutdown();
}

/// The same findings as `sds check --format json`, code, line and column, on
/// every fixture of the finding codes (positions are UTF-16 in LSP, characters
/// in sds: the fixtures are ASCII where it matters, and a test below covers
/// wider characters).
#[test]
fn every_fixture_gets_the_findings_of_sds_check() {
    let files: Vec<PathBuf> = fixtures("tests/fixtures/codes", 2)
        .into_iter()
        .chain(fixtures("tests/fixtures/evidence", 1))
        .collect();
    assert!(files.len() > 40);
    let mut compared = 0;
    for f in &files {
        let e = expectations(f);
        let mut config = Config {
            checklists: vec![root().join(MINI)],
            ..Config::default()
        };
        let mut save = false;
        let mut args = e.args.iter();
        let mut supported = true;
        while let Some(a) = args.next() {
            match a.as_str() {
                "--as-of" => config.as_of = args.next().and_then(|d| d.parse().ok()),
                "--max-file-size" => {
                    config.limits.max_file_size = args.next().unwrap().parse().unwrap();
                }
                "--verify-evidence" => {
                    config.verify_evidence = true;
                    save = true;
                }
                _ => supported = false,
            }
        }
        if !supported {
            continue;
        }
        let p = f.to_str().unwrap();
        let mut cli = vec!["check", "--checklist", MINI, p];
        cli.extend(e.args.iter().map(String::as_str));
        let (v, _) = common::json(&cli);
        let mut want: Vec<(String, u64, u64)> = v["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect();
        want.sort();
        let (mut c, _) = Client::start(config);
        let uri = uri_of(f);
        let bytes = std::fs::read(root().join(f)).unwrap();
        // Editors hand over text; a file that is not UTF-8 cannot be opened as such.
        let Ok(text) = String::from_utf8(bytes) else {
            c.shutdown();
            continue;
        };
        let mut got = codes_lines(&c.open(&uri, &text));
        if save {
            c.notify(
                "textDocument/didSave",
                json!({"textDocument": {"uri": uri}, "text": text}),
            );
            got = codes_lines(&c.diagnostics(&uri));
        }
        assert_eq!(got, want, "{p}");
        compared += 1;
        c.shutdown();
    }
    assert!(compared > 40, "only {compared} fixtures compared");
}

/// A checklist open in the editor gets the findings of `sds lint` on it.
#[test]
fn checklist_files_get_the_findings_of_sds_lint() {
    let mut compared = 0;
    for f in fixtures("tests/fixtures/lint", 2) {
        let p = f.to_str().unwrap();
        // SDS105 compares versions: only `sds lint` on the folder sees it.
        if p.contains("SDS105") {
            continue;
        }
        let (v, _) = common::json(&["lint", p]);
        let mut want: Vec<(String, u64, u64)> = v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap().iter())
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect();
        want.sort();
        let mut c = Client::mini();
        let got = codes_lines(&c.open(&uri_of(&f), &read(p)));
        assert_eq!(got, want, "{p}");
        compared += 1;
        c.shutdown();
    }
    assert!(compared >= 8, "{compared}");
}

#[test]
fn evidence_files_are_checked_on_save_only() {
    let (mut c, _) = Client::start(Config {
        checklists: vec![root().join(MINI)],
        verify_evidence: true,
        ..Config::default()
    });
    let p = "tests/fixtures/evidence/report.yaml";
    let (uri, text, opened) = c.open_file(p);
    let opened = codes_lines(&opened);
    assert!(
        !opened
            .iter()
            .any(|(c, _, _)| c == "SDS041" || c == "SDS042"),
        "{opened:?}"
    );
    c.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}, "text": text}),
    );
    let saved = codes_lines(&c.diagnostics(&uri));
    assert!(
        saved.iter().any(|(c, _, _)| c == "SDS041" || c == "SDS042"),
        "{saved:?}"
    );
    c.shutdown();
}

#[test]
fn positions_are_utf16_code_units() {
    let mut c = Client::mini();
    let base = read("tests/fixtures/codes/SDS011/typo.yaml");
    // The unknown item after characters outside the BMP (two UTF-16 units
    // each) and one inside it (one unit), on the same line.
    let head = &base[..base.find("  - item: SDS-RESCEU-001").unwrap()];
    let line = "  - {notes: \"😀é😀\", item: SDS-RESCEU-001, status: pass, tested_on: 2025-06-12}";
    let text = format!("{head}{line}\n");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.yaml");
    std::fs::write(&file, &text).unwrap();
    let d = c.open(&Url::from_file_path(&file).unwrap(), &text);
    let hit = d.iter().find(|d| d["code"] == "SDS011").expect("SDS011");
    let before = &line[..line.find("SDS-RESCEU-001").unwrap()];
    assert_eq!(
        hit["range"]["start"]["character"].as_u64().unwrap() as usize,
        before.encode_utf16().count()
    );
    assert_eq!(
        hit["range"]["end"]["character"].as_u64().unwrap() as usize,
        before.encode_utf16().count() + "SDS-RESCEU-001".len()
    );
    // `sds check` counts characters: two fewer than UTF-16 units here.
    let (v, _) = common::json(&["check", "--checklist", MINI, file.to_str().unwrap()]);
    let f = v["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SDS011")
        .unwrap()
        .clone();
    assert_eq!(
        f["column"].as_u64().unwrap() as usize,
        before.chars().count() + 1
    );
    assert_eq!(
        f["line"].as_u64().unwrap(),
        hit["range"]["start"]["line"].as_u64().unwrap() + 1
    );
    c.shutdown();
}

fn actions(c: &mut Client, uri: &Url, range: Range) -> Vec<Value> {
    c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn edits_of(action: &Value, uri: &Url) -> Vec<TextEdit> {
    serde_json::from_value(action["edit"]["changes"][uri.as_str()].clone()).unwrap()
}

/// Every text input of the `check` fuzz target's corpus, typed into one open
/// document change by change: each gets its diagnostics and a hover, and the
/// server shuts down cleanly at the end (its thread never panicked).
#[test]
fn the_fuzz_corpus_never_stops_the_server() {
    let corpus = fuzz_corpus();
    assert!(corpus.len() > 2_000, "{}", corpus.len());
    let mut c = Client::mini();
    let uri = Url::parse("untitled:corpus.yaml").unwrap();
    c.open(&uri, "");
    for (v, (_, text)) in corpus.iter().enumerate() {
        let v = i32::try_from(v).unwrap() + 2;
        c.change(&uri, v, text);
        c.at("textDocument/hover", &uri, Position::new(1, 2));
    }
    c.shutdown();
}
