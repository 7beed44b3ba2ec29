//! Turns text into [`Document`]s of [`Node`]s. Parsing never fails: problems become
//! [`SyntaxError`]s, and a broken document does not hide the documents around it.
//!
//! The stream is split on `---` / `...` lines first and each piece is parsed on its own, which
//! isolates errors and is faster than one pass over the whole stream. saphyr's markers count
//! characters; they are turned into byte offsets here, once, and nowhere else.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, ScanError, Span};

use super::node::{Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarValue};
use super::scalar::resolve_plain;
use crate::core::text::{TextRange, to_u32};

/// Aliases may expand to at most this many nodes per document ("billion laughs" guard).
const ALIAS_NODE_BUDGET: usize = 100_000;

/// A parsed YAML stream.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The documents in order, empty ones (only comments or nothing) left out.
    pub documents: Vec<Document>,
}

/// One document of a stream.
#[derive(Clone, Debug)]
pub struct Document {
    /// 0-based position among the stream's non-empty documents.
    pub index: usize,
    /// The text the document was parsed from, separators included.
    pub range: TextRange,
    /// The document's root node; `None` when a syntax error stopped the parser.
    pub root: Option<Node>,
    /// Syntax errors and duplicate keys.
    pub errors: Vec<SyntaxError>,
}

/// A problem found while reading YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// Where the problem is.
    pub range: TextRange,
    /// What is wrong, in words.
    pub message: String,
    /// For a duplicate key, where the key was first written.
    pub first: Option<TextRange>,
}

impl SyntaxError {
    /// Whether this is a duplicate key rather than malformed YAML.
    #[must_use]
    pub fn is_duplicate_key(&self) -> bool {
        self.first.is_some()
    }
}

/// Parses a whole file.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    let mut documents = Vec::new();
    for chunk in split_documents(text) {
        parse_chunk(text, chunk, &mut documents);
    }
    Parsed { documents }
}

/// Splits a stream at document markers. Each piece starts at its `---` line (if any) and ends
/// after its `...` line (if any), so the parser sees the markers it expects.
#[must_use]
pub fn split_documents(text: &str) -> Vec<TextRange> {
    let mut chunks = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut has_content = false;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if is_marker(trimmed, "---") {
            if has_content {
                chunks.push(TextRange::new(to_u32(start), to_u32(line_start)));
                start = line_start;
            }
            // Content after `--- ` on the same line belongs to the new document.
            has_content = !trimmed[3..].trim_start().is_empty()
                && !trimmed[3..].trim_start().starts_with('#');
            if !has_content {
                // An explicit start with nothing else yet still makes a (possibly empty) document.
                has_content = true;
            }
        } else if is_marker(trimmed, "...") {
            chunks.push(TextRange::new(to_u32(start), to_u32(offset)));
            start = offset;
            has_content = false;
        } else if !has_content {
            let content = trimmed.trim_start();
            has_content = !content.is_empty() && !content.starts_with('#');
        }
    }
    if has_content || start < text.len() {
        chunks.push(TextRange::new(to_u32(start), to_u32(text.len())));
    }
    chunks
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

fn parse_chunk(text: &str, chunk: TextRange, documents: &mut Vec<Document>) {
    let source = &text[chunk.to_usize()];
    let offsets = CharOffsets::new(source, chunk.start);
    let mut builder = Builder::new(source, &offsets);
    let mut parser = Parser::new_from_str(source);
    let mut error = None;
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                if let Err(message) = builder.event(event, span) {
                    error = Some(SyntaxError {
                        range: offsets.range(span),
                        message,
                        first: None,
                    });
                    break;
                }
                if builder.finished {
                    break;
                }
            }
            Some(Err(scan_error)) => {
                error = Some(scan_error_to_syntax_error(source, &offsets, &scan_error));
                break;
            }
        }
    }
    let mut roots = std::mem::take(&mut builder.roots);
    let mut errors = std::mem::take(&mut builder.errors);
    if let Some(error) = error {
        errors.push(error);
        // Documents completed before the error in this chunk stay; the broken one has no root.
        roots.push(None);
    }
    if roots.is_empty() && errors.is_empty() {
        return;
    }
    if roots.is_empty() {
        roots.push(None);
    }
    let count = roots.len();
    for (i, root) in roots.into_iter().enumerate() {
        // Empty documents (only a `---`, or only comments) are skipped, as `kubectl` does.
        if root.as_ref().is_some_and(Node::is_null) && errors.is_empty() {
            continue;
        }
        let errors = if i + 1 == count {
            std::mem::take(&mut errors)
        } else {
            Vec::new()
        };
        documents.push(Document {
            index: documents.len(),
            range: chunk,
            root,
            errors,
        });
    }
}

fn scan_error_to_syntax_error(
    source: &str,
    offsets: &CharOffsets,
    error: &ScanError,
) -> SyntaxError {
    let start = offsets.byte(error.marker().index());
    // Point at the offending character, or at the end of the line it is on.
    let local = (start - offsets.base) as usize;
    let end = source[local..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(start, |c| start + to_u32(c.len_utf8()));
    let message = humanize_scan_error(error.info());
    SyntaxError {
        range: TextRange::new(start, end),
        message,
        first: None,
    }
}

fn humanize_scan_error(info: &str) -> String {
    let lower = info.to_lowercase();
    if lower.contains("tab") {
        "tabs cannot be used for indentation in YAML; use spaces".to_owned()
    } else if lower.contains("mapping values are not allowed") {
        "unexpected `:`; a value that contains `: ` must be quoted, or the indentation is wrong"
            .to_owned()
    } else if lower.contains("unknown anchor") {
        "this alias names no anchor defined earlier in the same document (anchors do not reach across `---`)".to_owned()
    } else if lower.contains("quoted scalar") {
        "the quoted value that starts here is not closed; add the closing quote".to_owned()
    } else if lower.contains("did not find expected key") || lower.contains("expected key") {
        "this line's indentation does not match any key above it".to_owned()
    } else {
        let mut message = info.to_owned();
        if let Some(first) = message.get_mut(0..1) {
            first.make_ascii_lowercase();
        }
        message
    }
}

/// Character index (saphyr) to byte offset (everything else), for one chunk.
struct CharOffsets {
    base: u32,
    /// Byte offset of each character, plus one past the end; empty when the chunk is ASCII.
    table: Vec<u32>,
    len: u32,
}

impl CharOffsets {
    fn new(source: &str, base: u32) -> Self {
        let table = if source.is_ascii() {
            Vec::new()
        } else {
            source
                .char_indices()
                .map(|(i, _)| to_u32(i))
                .chain(std::iter::once(to_u32(source.len())))
                .collect()
        };
        Self {
            base,
            table,
            len: to_u32(source.len()),
        }
    }

    fn byte(&self, char_index: usize) -> u32 {
        let local = if self.table.is_empty() {
            to_u32(char_index).min(self.len)
        } else {
            self.table.get(char_index).copied().unwrap_or(self.len)
        };
        self.base + local
    }

    fn range(&self, span: Span) -> TextRange {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        TextRange::new(start, end)
    }
}

enum Frame {
    Sequence {
        start: u32,
        flow: bool,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: u32,
        flow: bool,
        anchor: usize,
        pairs: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

struct Builder<'a> {
    source: &'a str,
    offsets: &'a CharOffsets,
    stack: Vec<Frame>,
    anchors: Vec<Option<Node>>,
    roots: Vec<Option<Node>>,
    errors: Vec<SyntaxError>,
    alias_budget: usize,
    finished: bool,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str, offsets: &'a CharOffsets) -> Self {
        Self {
            source,
            offsets,
            stack: Vec::new(),
            anchors: Vec::new(),
            roots: Vec::new(),
            errors: Vec::new(),
            alias_budget: ALIAS_NODE_BUDGET,
            finished: false,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), String> {
        let range = self.offsets.range(span);
        match event {
            Event::StreamEnd => self.finished = true,
            Event::Nothing | Event::StreamStart | Event::DocumentStart(_) | Event::DocumentEnd => {}
            Event::Scalar(value, style, anchor, tag) => {
                let node = Node {
                    range,
                    kind: NodeKind::Scalar(make_scalar(value, style, tag.as_deref())),
                };
                self.remember(anchor, &node);
                self.push(node);
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Sequence {
                start: range.start,
                flow: self.starts_flow(range.start, b'['),
                anchor,
                items: Vec::new(),
            }),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Mapping {
                start: range.start,
                flow: self.starts_flow(range.start, b'{'),
                anchor,
                pairs: Vec::new(),
                key: None,
            }),
            Event::SequenceEnd => {
                let Some(Frame::Sequence {
                    start,
                    flow,
                    anchor,
                    items,
                }) = self.stack.pop()
                else {
                    return Err("unbalanced sequence".to_owned());
                };
                let end = if flow {
                    range.end
                } else {
                    items.last().map_or(start, |it| it.range.end)
                };
                let node = Node {
                    range: TextRange::new(start, end.max(start)),
                    kind: NodeKind::Sequence(items),
                };
                self.remember(anchor, &node);
                self.push(node);
            }
            Event::MappingEnd => {
                let Some(Frame::Mapping {
                    start,
                    flow,
                    anchor,
                    pairs,
                    ..
                }) = self.stack.pop()
                else {
                    return Err("unbalanced mapping".to_owned());
                };
                let end = if flow {
                    range.end
                } else {
                    pairs
                        .last()
                        .map_or(start, |(k, v)| k.range.end.max(v.range.end))
                };
                let entries = self.finish_mapping(pairs);
                let node = Node {
                    range: TextRange::new(start, end.max(start)),
                    kind: NodeKind::Mapping(entries),
                };
                self.remember(anchor, &node);
                self.push(node);
            }
            Event::Alias(id) => {
                let Some(Some(target)) = self.anchors.get(id) else {
                    return Err("this alias refers to an anchor that is not defined".to_owned());
                };
                let mut count = 0;
                target.walk(&mut |_| count += 1);
                if count > self.alias_budget {
                    return Err("aliases expand to too many nodes".to_owned());
                }
                self.alias_budget -= count;
                let mut node = target.clone();
                node.range = range;
                self.push(node);
            }
        }
        Ok(())
    }

    /// Whether the collection starting at `start` is a flow one (`{`/`[`), whose end is its
    /// closing bracket rather than its last child.
    fn starts_flow(&self, start: u32, bracket: u8) -> bool {
        self.source
            .as_bytes()
            .get((start - self.offsets.base) as usize)
            == Some(&bracket)
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some(node.clone());
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.roots.push(Some(node)),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { pairs, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => pairs.push((k, node)),
            },
        }
    }

    /// Applies merge keys and reduces duplicate keys to the last, reporting each duplicate.
    fn finish_mapping(&mut self, pairs: Vec<(Node, Node)>) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::with_capacity(pairs.len());
        let mut merges = Vec::new();
        for (key, value) in pairs {
            if is_merge_key(&key) {
                merges.push(value);
                continue;
            }
            if let Some(name) = key.json_key()
                && let Some(pos) = entries
                    .iter()
                    .position(|it| it.key.json_key().as_deref() == Some(name.as_str()))
            {
                let first = entries.remove(pos);
                self.errors.push(SyntaxError {
                    range: key.range,
                    message: format!(
                        "duplicate key `{name}`: `kubectl` silently keeps only this last value"
                    ),
                    first: Some(first.key.range),
                });
            }
            entries.push(Entry {
                key,
                value,
                merged: false,
            });
        }
        for merge in merges {
            let sources: Vec<&Node> = match &merge.kind {
                NodeKind::Mapping(_) => vec![&merge],
                NodeKind::Sequence(items) => items.iter().collect(),
                NodeKind::Scalar(_) => Vec::new(),
            };
            for source in sources {
                let Some(source_entries) = source.entries() else {
                    self.errors.push(SyntaxError {
                        range: source.range,
                        message: "a merge key (`<<`) needs a mapping or a list of mappings"
                            .to_owned(),
                        first: None,
                    });
                    continue;
                };
                for entry in source_entries {
                    let name = entry.key.json_key();
                    if entries
                        .iter()
                        .all(|it| it.key.json_key() != name || name.is_none())
                    {
                        entries.push(Entry {
                            key: entry.key.clone(),
                            value: entry.value.clone(),
                            merged: true,
                        });
                    }
                }
            }
        }
        entries
    }
}

fn is_merge_key(key: &Node) -> bool {
    matches!(&key.kind, NodeKind::Scalar(Scalar { text, style: ScalarStyle::Plain, .. }) if text == "<<")
}

fn make_scalar(
    value: Cow<'_, str>,
    style: SaphyrStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> Scalar {
    let style = match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    };
    let core_tag = tag
        .filter(|it| it.handle == "!!" || it.handle == "tag:yaml.org,2002:")
        .map(|it| it.suffix.as_str());
    let text = value.into_owned();
    let value = match (core_tag, style) {
        (Some("str" | "binary"), _) => ScalarValue::String,
        (Some(_), _) | (None, ScalarStyle::Plain) => {
            let resolved = resolve_plain(&text);
            match (core_tag, &resolved) {
                (Some("int"), ScalarValue::Int(_))
                | (Some("float"), ScalarValue::Float(_) | ScalarValue::Int(_))
                | (Some("bool"), ScalarValue::Bool(_))
                | (Some("null"), ScalarValue::Null)
                | (None, _) => resolved,
                _ => ScalarValue::String,
            }
        }
        (None, _) => ScalarValue::String,
    };
    Scalar { text, style, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_root(text: &str) -> Node {
        let parsed = parse(text);
        assert_eq!(parsed.documents.len(), 1, "{parsed:?}");
        parsed.documents[0].root.clone().expect("a root")
    }

    #[test]
    fn keys_and_values_have_byte_ranges() {
        let text = "# é comment\nmetadata:\n  name: héllo\n  mode: 0644\n";
        let root = only_root(text);
        let name = root.get_path(&["metadata", "name"]).unwrap();
        assert_eq!(&text[name.range.to_usize()], "héllo");
        let entry = root.get("metadata").unwrap().entry("mode").unwrap();
        assert_eq!(&text[entry.key.range.to_usize()], "mode");
        assert_eq!(entry.value.as_i64(), Some(420));
    }

    #[test]
    fn a_broken_document_does_not_hide_the_others() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let parsed = parse(text);
        assert_eq!(parsed.documents.len(), 3);
        assert!(parsed.documents[0].root.is_some());
        assert!(parsed.documents[1].root.is_none());
        assert_eq!(parsed.documents[1].errors.len(), 1);
        assert_eq!(
            parsed.documents[2]
                .root
                .as_ref()
                .unwrap()
                .get("c")
                .unwrap()
                .as_i64(),
            Some(3)
        );
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let text = "a: 1\nb: 2\na: 3\n";
        let parsed = parse(text);
        let doc = &parsed.documents[0];
        assert_eq!(doc.errors.len(), 1);
        assert_eq!(doc.errors[0].range, TextRange::new(10, 11));
        assert_eq!(doc.errors[0].first, Some(TextRange::new(0, 1)));
        assert_eq!(
            doc.root.as_ref().unwrap().get("a").unwrap().as_i64(),
            Some(3)
        );
    }

    #[test]
    fn merge_keys_and_aliases() {
        let text = "base: &b\n  p: 1\n  q: 2\nother:\n  <<: *b\n  q: 5\n";
        let root = only_root(text);
        let other = root.get("other").unwrap();
        assert_eq!(other.get("p").unwrap().as_i64(), Some(1));
        assert_eq!(other.get("q").unwrap().as_i64(), Some(5));
        assert!(other.entry("p").unwrap().merged);
        // YAML 1.1: the key `y` is the boolean true, which kubectl turns into the key "true".
        let root = only_root("y: 1\n");
        assert_eq!(root.get("true").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn bom_crlf_and_empty_documents() {
        let text = "\u{feff}---\r\na: yes\r\n---\r\n# only a comment\r\n---\r\nb: '1'\r\n";
        let parsed = parse(text);
        assert_eq!(parsed.documents.len(), 2);
        let a = parsed.documents[0].root.as_ref().unwrap().get("a").unwrap();
        assert_eq!(a.as_bool(), Some(true));
        let b = parsed.documents[1].root.as_ref().unwrap().get("b").unwrap();
        assert_eq!(b.as_str(), Some("1"));
        assert_eq!(&text[b.range.to_usize()], "'1'");
    }

    #[test]
    fn flow_collections_and_block_scalars() {
        let text =
            "a: {b: [1, 2], c: 'x'}\nd: |\n  line one\n  line two\ne: >-\n  folded\n  text\n";
        let root = only_root(text);
        let a = root.get("a").unwrap();
        assert_eq!(&text[a.range.to_usize()], "{b: [1, 2], c: 'x'}");
        let b = a.get("b").unwrap();
        assert_eq!(&text[b.range.to_usize()], "[1, 2]");
        assert_eq!(
            root.get("d").unwrap().as_str(),
            Some("line one\nline two\n")
        );
        assert_eq!(root.get("e").unwrap().as_str(), Some("folded text"));
    }

    #[test]
    fn tabs_are_reported_on_their_line() {
        let text = "a:\n\tb: 1\n";
        let parsed = parse(text);
        let error = &parsed.documents[0].errors[0];
        assert!(error.message.contains("tab"), "{}", error.message);
    }
}
