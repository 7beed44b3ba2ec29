//! Turns text into [`Document`]s of [`Node`]s. Parsing never fails: problems become
//! [`SyntaxError`]s, and a broken document does not hide the documents around it.
//!
//! The reader is libyaml itself (the `libyaml-safer` port), because `kubectl` reads YAML with
//! go-yaml, a port of libyaml: both accept and reject the same text. Where go-yaml departs from
//! libyaml (the escape `\'` is accepted, `\/` rejected in double-quoted scalars) this module
//! follows go-yaml; `docs/yaml.md` has the details and the measured agreement.
//!
//! The stream is split on `---` lines first and each piece is parsed on its own, as `kubectl`
//! does (apimachinery's `YAMLReader`); this isolates errors, and the editor re-checks only the
//! pieces that changed. libyaml's marks count bytes, so they are byte offsets as they come.
//!
//! Nothing here recurses: the tree is built from events with an explicit stack, nesting stops
//! at [`MAX_NESTING_DEPTH`] (so dropping or cloning a tree never recurses deeper than that),
//! duplicate keys, merge keys and anchors are looked up in hash maps, and aliases expand to a
//! bounded number of nodes.

use std::borrow::Cow;
use std::collections::HashMap;

use libyaml_safer::{
    Error as LibError, ErrorKind as LibErrorKind, Event, EventData, MappingStyle, Parser,
    ScalarStyle as LibStyle, SequenceStyle,
};

use super::node::{Entry, Node, NodeKind, Scalar, ScalarStyle, ScalarValue};
use super::scalar::resolve_plain;
use crate::core::text::{TextRange, to_u32};

/// The deepest nesting of collections the parser builds; deeper content is cut off and
/// reported. The API server's own JSON decoder stops at 10,000 levels, but the tree is read by
/// recursive code (rules, schema conversion, the editor features) on threads with 2 MiB stacks,
/// and real manifests nest a few dozen levels at most (the deepest of the test corpus, a
/// CustomResourceDefinition, nests 27). 1,000 levels is far beyond any real manifest and keeps
/// a recursive walk, a clone or a drop of the tree well inside any thread's stack.
pub const MAX_NESTING_DEPTH: usize = 1_000;

/// Aliases may expand to at most this many nodes per document ("billion laughs" guard).
const ALIAS_NODE_BUDGET: usize = 100_000;

/// How many double-quoted scalars with go-yaml's `\'` escape one document may hold; each one
/// costs a parse of the document (libyaml itself rejects the escape).
const MAX_ESCAPE_RETRIES: usize = 64;

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
    /// Syntax errors, duplicate keys and limits reached.
    pub errors: Vec<SyntaxError>,
}

/// What kind of problem a [`SyntaxError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// Text that `kubectl` refuses to read (libyaml and go-yaml reject it).
    Malformed,
    /// A key written twice in one mapping: valid YAML, but only the last value survives.
    DuplicateKey,
    /// Collections nested deeper than [`MAX_NESTING_DEPTH`]; the tree is cut off there.
    NestingTooDeep,
    /// Text `kubectl` reads but other YAML tools reject (go-yaml's `\'` escape).
    NotPortable,
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
    /// What kind of problem it is.
    pub kind: SyntaxErrorKind,
}

impl SyntaxError {
    fn malformed(range: TextRange, message: String) -> Self {
        Self {
            range,
            message,
            first: None,
            kind: SyntaxErrorKind::Malformed,
        }
    }

    /// Whether this is a duplicate key rather than malformed YAML.
    #[must_use]
    pub fn is_duplicate_key(&self) -> bool {
        self.kind == SyntaxErrorKind::DuplicateKey
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

/// Splits a stream into pieces that each hold one document, as `kubectl` does before it
/// parses: a piece starts at its `---` line (or at the `%` directives just before it, after a
/// `...` line) and runs to the next. A `...` line stays in its piece, so that content after it
/// without a new `---` is reported, as libyaml reports it.
#[must_use]
pub fn split_documents(text: &str) -> Vec<TextRange> {
    let mut chunks = Vec::new();
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut has_content = false;
    // After a `...` line: where the directives of the next document begin, if any.
    let mut after_end = false;
    let mut directives: Option<usize> = None;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        if is_marker(trimmed, "---") {
            let piece_start = directives.take().unwrap_or(line_start);
            if has_content && piece_start > start {
                chunks.push(TextRange::new(to_u32(start), to_u32(piece_start)));
                start = piece_start;
            }
            // An explicit start makes a (possibly empty) document.
            has_content = true;
            after_end = false;
        } else if is_marker(trimmed, "...") {
            after_end = true;
            directives = None;
        } else if after_end && trimmed.starts_with('%') {
            directives.get_or_insert(line_start);
        } else {
            let content = trimmed.trim_start();
            if !content.is_empty() && !content.starts_with('#') {
                has_content = true;
                after_end = false;
                directives = None;
            }
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
    // libyaml rejects go-yaml's `\'` escape: such scalars are rewritten to `\"` (same length, so
    // every offset stays) and the rewrite undone in their values.
    let mut input = Cow::Borrowed(source);
    // `libyaml-safer` panics on a block scalar whose last line has no line break after it
    // (libyaml reads a NUL there): it is given one, and the values it changes are corrected.
    if !source.is_empty() && !source.ends_with(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        input = Cow::Owned(format!("{source}\n"));
    }
    let mut retries = 0;
    let mut builder = loop {
        let (mut builder, failure) = attempt(source, &input, chunk.start);
        let Some(error) = failure else { break builder };
        if retries < MAX_ESCAPE_RETRIES
            && let Some(quote) = single_quote_escape(&input, &error)
        {
            retries += 1;
            input = Cow::Owned(rewrite_single_quote_escapes(&input, quote));
            continue;
        }
        builder
            .errors
            .push(scan_error_to_syntax_error(source, chunk.start, &error));
        builder.broken = true;
        break builder;
    };
    if builder.truncated {
        builder.close_all();
    }
    let mut roots = std::mem::take(&mut builder.roots);
    let mut errors = std::mem::take(&mut builder.errors);
    if builder.broken {
        // Documents completed before the error in this piece stay; the broken one has no root.
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

/// Parses `input` (the piece's text, perhaps with escapes rewritten) into a tree over `source`.
fn attempt<'a>(source: &'a str, input: &str, base: u32) -> (Builder<'a>, Option<LibError>) {
    let mut builder = Builder::new(source, base);
    let mut parser = Parser::new();
    parser.set_input(input.as_bytes());
    loop {
        match parser.parse() {
            Ok(event) => {
                if let Err(error) = builder.event(event) {
                    builder.errors.push(error);
                    builder.broken = true;
                    return (builder, None);
                }
                if builder.finished || builder.truncated {
                    return (builder, None);
                }
            }
            Err(error) => return (builder, Some(error)),
        }
    }
}

/// If libyaml stopped at a `\'` escape (which go-yaml accepts), the offset of the opening
/// quote of the scalar that holds it.
fn single_quote_escape(input: &str, error: &LibError) -> Option<usize> {
    if error.problem() != "found unknown escape character" {
        return None;
    }
    let at = usize::try_from(error.problem_mark()?.index).ok()?;
    let quote = usize::try_from(error.context_mark()?.index).ok()?;
    (input.as_bytes().get(at..at + 2) == Some(b"\\'") && quote < at).then_some(quote)
}

/// Rewrites every `\'` of the double-quoted scalar opening at `quote` to `\"`.
fn rewrite_single_quote_escapes(input: &str, quote: usize) -> String {
    let mut bytes = input.as_bytes().to_vec();
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => break,
            b'\\' if bytes.get(i + 1) == Some(&b'\'') => {
                bytes[i + 1] = b'"';
                i += 2;
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    // Only ASCII bytes were swapped for ASCII bytes.
    String::from_utf8(bytes).unwrap_or_else(|_| input.to_owned())
}

/// The characters libyaml's reader accepts (YAML 1.1 `c-printable`), as `libyaml-safer` checks.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn scan_error_to_syntax_error(source: &str, base: u32, error: &LibError) -> SyntaxError {
    let (at, message) = describe_error(source, error);
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    // Point at the offending character, or at the end of the line it is on.
    let end = source[at..]
        .chars()
        .next()
        .filter(|c| *c != '\n' && *c != '\r')
        .map_or(at, |c| at + c.len_utf8());
    SyntaxError::malformed(
        TextRange::new(base + to_u32(at), base + to_u32(end)),
        message,
    )
}

const TAB_MESSAGE: &str = "tabs cannot be used for indentation in YAML; use spaces";

/// Where an error is and what it means, in words that say what is wrong at that spot.
fn describe_error(source: &str, error: &LibError) -> (usize, String) {
    let mark = |it: Option<libyaml_safer::Mark>| {
        let mut at = it
            .and_then(|it| usize::try_from(it.index).ok())
            .unwrap_or(0)
            .min(source.len());
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let at = mark(error.problem_mark());
    let context_at = mark(error.context_mark());
    if error.kind() == LibErrorKind::Reader {
        // The only reader error text can cause: a character YAML does not allow.
        let Some((at, c)) = source.char_indices().find(|(_, c)| !is_printable(*c)) else {
            return (0, error.problem().to_owned());
        };
        let message = if c == '\0' {
            "a NUL byte (U+0000) is not allowed in YAML text".to_owned()
        } else {
            format!(
                "the control character U+{:04X} is not allowed in YAML text; inside a \
                 double-quoted value write it as the escape `\\x{:02x}`",
                u32::from(c),
                u32::from(c)
            )
        };
        return (at, message);
    }
    let problem = error.problem();
    let context = error.context().unwrap_or("");
    let here = source.get(at..).and_then(|it| it.chars().next());
    let owned = |it: &str| it.to_owned();
    match problem {
        "found unexpected end of stream" if context.contains("quoted scalar") => (
            context_at,
            owned("the quoted value that starts here is not closed; add the closing quote"),
        ),
        "found unexpected document indicator" => (
            context_at,
            owned(
                "the quoted value that starts here is not closed before the next document \
                 marker (`---` or `...` at the start of a line)",
            ),
        ),
        "found unknown escape character" => {
            let escape: String = source[at..].chars().take(2).collect();
            (
                at,
                format!(
                    "`{escape}` is not an escape in a double-quoted value; write `\\\\` for a \
                     backslash, or use single quotes"
                ),
            )
        }
        "found invalid Unicode character escape code" => {
            // The mark is after `\u` (or `\U`); the escape starts two bytes before it.
            let start = source[..at].rfind('\\').unwrap_or(at);
            let escape: String = source[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '\\')
                .collect();
            (
                start,
                format!(
                    "`{escape}` is not a character: a lone UTF-16 surrogate (U+D800 to U+DFFF) \
                     or a value above U+10FFFF cannot be escaped; write the character itself, \
                     or the escape of the whole code point"
                ),
            )
        }
        "did not find expected hexdecimal number" => (
            source[..at].rfind('\\').unwrap_or(at),
            owned(
                "this escape needs hexadecimal digits: 2 after `\\x`, 4 after `\\u`, 8 after `\\U`",
            ),
        ),
        "found a tab character that violates indentation"
        | "found a tab character where an indentation space is expected" => {
            (at, owned(TAB_MESSAGE))
        }
        "found character that cannot start any token" => match here {
            Some('\t') => (at, owned(TAB_MESSAGE)),
            Some(c @ ('@' | '`')) => (
                at,
                format!("`{c}` is reserved in YAML and cannot start a value; quote the value"),
            ),
            Some(c) => (
                at,
                format!("`{c}` cannot start a value here; quote the value"),
            ),
            None => (at, owned("unexpected end of the document")),
        },
        "mapping values are not allowed in this context" => (
            at,
            owned(
                "unexpected `:`; a value that contains `: ` must be quoted, or the indentation \
                 is wrong",
            ),
        ),
        "could not find expected ':'" => (
            context_at,
            owned(
                "this key has no `:` after it on its line; add `: ` and a value, or fix the indentation",
            ),
        ),
        "did not find expected key" => (
            at,
            owned("this line's indentation does not match any key above it"),
        ),
        "did not find expected '-' indicator" => (
            at,
            owned(
                "this line's indentation does not match the list above it, whose items start with `- `",
            ),
        ),
        "did not find expected ',' or ']'" => (
            at,
            owned(
                "expected `,` or `]` here: a `[` list before this is not closed, or a comma is missing",
            ),
        ),
        "did not find expected ',' or '}'" => (
            at,
            owned(
                "expected `,` or `}` here: a `{` mapping before this is not closed, or a comma is missing",
            ),
        ),
        "did not find expected node content" => (at, owned("a value is expected here")),
        "block sequence entries are not allowed in this context" => (
            at,
            owned(
                "a list item `- ` cannot start here; start the list on the next line, indented under its key",
            ),
        ),
        "mapping keys are not allowed in this context" => {
            (at, owned("a `? ` key cannot start here"))
        }
        "did not find expected <document start>" => (
            at,
            owned("after `...` only comments and directives may follow until the next `---` line"),
        ),
        "found undefined tag handle" => (
            at,
            owned("this tag's handle (`!name!`) is not declared by a %TAG directive"),
        ),
        "did not find expected alphabetic or numeric character"
            if context.contains("an anchor") || context.contains("an alias") =>
        {
            (
                at,
                owned("an anchor or alias needs a name right after `&` or `*`"),
            )
        }
        _ => {
            let mut message = problem.to_owned();
            if !context.is_empty() {
                message.push(' ');
                message.push_str(context);
            }
            (at, message)
        }
    }
}

/// One collection being built.
struct Frame {
    start: u32,
    flow: bool,
    anchor: Option<String>,
    /// Nodes in the collection so far, itself included (the alias budget counts them).
    count: usize,
    items: Items,
}

enum Items {
    Sequence(Vec<Node>),
    Mapping {
        pairs: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

struct Builder<'a> {
    /// The piece's original text (before any escape rewrite).
    source: &'a str,
    base: u32,
    stack: Vec<Frame>,
    /// Anchors defined so far, with their node counts. A collection's anchor is defined when
    /// it ends: go-yaml rejects an alias inside the collection it names.
    anchors: HashMap<String, (Node, usize)>,
    roots: Vec<Option<Node>>,
    errors: Vec<SyntaxError>,
    alias_budget: usize,
    /// Where `<<` keys start that a tag makes plain strings rather than merge keys.
    tagged_merge_keys: Vec<u32>,
    finished: bool,
    /// A syntax error stopped the document.
    broken: bool,
    /// Nesting went past the limit; the open collections are closed where they stand.
    truncated: bool,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str, base: u32) -> Self {
        Self {
            source,
            base,
            stack: Vec::new(),
            anchors: HashMap::new(),
            roots: Vec::new(),
            errors: Vec::new(),
            alias_budget: ALIAS_NODE_BUDGET,
            tagged_merge_keys: Vec::new(),
            finished: false,
            broken: false,
            truncated: false,
        }
    }

    fn range(&self, event: &Event) -> TextRange {
        // Marks past the end are on the line break added for the parser.
        let at = |index: u64| {
            self.base
                + to_u32(
                    usize::try_from(index)
                        .unwrap_or(usize::MAX)
                        .min(self.source.len()),
                )
        };
        let start = at(event.start_mark.index);
        TextRange::new(start, at(event.end_mark.index).max(start))
    }

    fn event(&mut self, event: Event) -> Result<(), SyntaxError> {
        let range = self.range(&event);
        match event.data {
            EventData::StreamEnd => self.finished = true,
            EventData::StreamStart { .. }
            | EventData::DocumentStart { .. }
            | EventData::DocumentEnd { .. } => {}
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                let mut value = value;
                let at_end =
                    usize::try_from(event.end_mark.index).unwrap_or(usize::MAX) > self.source.len();
                if at_end && matches!(style, LibStyle::Literal | LibStyle::Folded) {
                    self.undo_added_break(range, &mut value);
                }
                let scalar = self.make_scalar(value, style, tag.as_deref(), range);
                let node = Node {
                    range,
                    kind: NodeKind::Scalar(scalar),
                };
                if let Some(anchor) = anchor {
                    self.anchors.insert(anchor, (node.clone(), 1));
                }
                self.push(node, 1);
            }
            EventData::SequenceStart { anchor, style, .. } => {
                self.open(range, anchor, style == SequenceStyle::Flow, true);
            }
            EventData::MappingStart { anchor, style, .. } => {
                self.open(range, anchor, style == MappingStyle::Flow, false);
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    self.close(frame, Some(range.end));
                }
            }
            EventData::Alias { anchor } => {
                let Some((target, count)) = self.anchors.get(&anchor) else {
                    let message = if self
                        .stack
                        .iter()
                        .any(|it| it.anchor.as_ref() == Some(&anchor))
                    {
                        format!(
                            "the alias `*{anchor}` is inside the collection it names, which would make it contain itself"
                        )
                    } else {
                        format!(
                            "the alias `*{anchor}` names no anchor `&{anchor}` defined before it in \
                             the same document (anchors do not reach across `---`)"
                        )
                    };
                    return Err(SyntaxError::malformed(range, message));
                };
                if *count > self.alias_budget {
                    return Err(SyntaxError::malformed(
                        range,
                        format!(
                            "aliases in this document expand to more than {ALIAS_NODE_BUDGET} \
                             nodes"
                        ),
                    ));
                }
                let count = *count;
                self.alias_budget -= count;
                let mut node = target.clone();
                node.range = range;
                self.push(node, count);
            }
        }
        Ok(())
    }

    fn open(&mut self, range: TextRange, anchor: Option<String>, flow: bool, sequence: bool) {
        if self.stack.len() >= MAX_NESTING_DEPTH {
            self.errors.push(SyntaxError {
                range,
                message: format!(
                    "collections nest deeper than {MAX_NESTING_DEPTH} levels here; kls reads \
                     nothing from this point to the end of the document"
                ),
                first: None,
                kind: SyntaxErrorKind::NestingTooDeep,
            });
            self.truncated = true;
            let null = Node {
                range: TextRange::new(range.start, range.start),
                kind: NodeKind::Scalar(Scalar {
                    text: String::new(),
                    style: ScalarStyle::Plain,
                    value: ScalarValue::Null,
                }),
            };
            self.push(null, 1);
            return;
        }
        if let Some(anchor) = &anchor {
            // A redefined anchor is not yet the new collection: go-yaml rejects an alias to it
            // from inside.
            self.anchors.remove(anchor);
        }
        self.stack.push(Frame {
            start: range.start,
            flow,
            anchor,
            count: 1,
            items: if sequence {
                Items::Sequence(Vec::new())
            } else {
                Items::Mapping {
                    pairs: Vec::new(),
                    key: None,
                }
            },
        });
    }

    /// Finishes a collection; a flow one ends at `end` (its closing bracket).
    fn close(&mut self, frame: Frame, end: Option<u32>) {
        let Frame {
            start,
            flow,
            anchor,
            count,
            items,
        } = frame;
        let (kind, last) = match items {
            Items::Sequence(items) => {
                let last = items.last().map(|it| it.range.end);
                (NodeKind::Sequence(items), last)
            }
            Items::Mapping { mut pairs, key } => {
                if let Some(key) = key {
                    // Only when cut off: the key's value was never read.
                    let null = Node {
                        range: TextRange::new(key.range.end, key.range.end),
                        kind: NodeKind::Scalar(Scalar {
                            text: String::new(),
                            style: ScalarStyle::Plain,
                            value: ScalarValue::Null,
                        }),
                    };
                    pairs.push((key, null));
                }
                let last = pairs.last().map(|(k, v)| k.range.end.max(v.range.end));
                (NodeKind::Mapping(self.finish_mapping(pairs)), last)
            }
        };
        let end = match (flow, end) {
            (true, Some(end)) => end,
            _ => last.unwrap_or(start),
        };
        let node = Node {
            range: TextRange::new(start, end.max(start)),
            kind,
        };
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, (node.clone(), count));
        }
        self.push(node, count);
    }

    /// Closes every open collection where it stands (after the nesting limit cut it off).
    fn close_all(&mut self) {
        while let Some(frame) = self.stack.pop() {
            self.close(frame, None);
        }
    }

    fn push(&mut self, node: Node, count: usize) {
        let Some(frame) = self.stack.last_mut() else {
            self.roots.push(Some(node));
            return;
        };
        frame.count = frame.count.saturating_add(count);
        match &mut frame.items {
            Items::Sequence(items) => items.push(node),
            Items::Mapping { pairs, key } => match key.take() {
                None => *key = Some(node),
                Some(k) => pairs.push((k, node)),
            },
        }
    }

    /// Applies merge keys as go-yaml v2 does (in order: a merge overwrites the keys before it,
    /// later keys overwrite it; in a list of merges the first wins) and reduces duplicate keys
    /// to the last, reporting each duplicate. Linear in the number of entries.
    fn finish_mapping(&mut self, pairs: Vec<(Node, Node)>) -> Vec<Entry> {
        let mut slots: Vec<Option<Entry>> = Vec::with_capacity(pairs.len());
        // Where each key's current entry is, and where each key was first written here.
        let mut index: HashMap<String, usize> = HashMap::with_capacity(pairs.len());
        let mut written: HashMap<String, TextRange> = HashMap::with_capacity(pairs.len());
        for (key, value) in pairs {
            if is_merge_key(&key) && !self.tagged_merge_keys.contains(&key.range.start) {
                self.merge(value, &mut slots, &mut index);
                continue;
            }
            if let Some(name) = key.json_key() {
                if let Some(first) = written.get(&name) {
                    self.errors.push(SyntaxError {
                        range: key.range,
                        message: format!(
                            "duplicate key `{name}`: `kubectl` silently keeps only this last value"
                        ),
                        first: Some(*first),
                        kind: SyntaxErrorKind::DuplicateKey,
                    });
                } else {
                    written.insert(name.clone(), key.range);
                }
                if let Some(old) = index.insert(name, slots.len()) {
                    slots[old] = None;
                }
            }
            slots.push(Some(Entry {
                key,
                value,
                merged: false,
            }));
        }
        slots.into_iter().flatten().collect()
    }

    fn merge(
        &mut self,
        value: Node,
        slots: &mut Vec<Option<Entry>>,
        index: &mut HashMap<String, usize>,
    ) {
        let sources = match value.kind {
            NodeKind::Mapping(entries) => vec![entries],
            NodeKind::Sequence(items) => {
                let mut sources = Vec::with_capacity(items.len());
                // Earlier mappings take precedence, so they are applied last.
                for item in items.into_iter().rev() {
                    match item.kind {
                        NodeKind::Mapping(entries) => sources.push(entries),
                        _ => self.errors.push(SyntaxError::malformed(
                            item.range,
                            "a merge key (`<<`) needs a mapping or a list of mappings".to_owned(),
                        )),
                    }
                }
                sources
            }
            NodeKind::Scalar(_) => {
                self.errors.push(SyntaxError::malformed(
                    value.range,
                    "a merge key (`<<`) needs a mapping or a list of mappings".to_owned(),
                ));
                Vec::new()
            }
        };
        for entries in sources {
            for mut entry in entries {
                entry.merged = true;
                if let Some(name) = entry.key.json_key()
                    && let Some(old) = index.insert(name, slots.len())
                {
                    slots[old] = None;
                }
                slots.push(Some(entry));
            }
        }
    }

    /// Takes back from a block scalar that ends the text the line break added after the
    /// text's last line, giving the value libyaml gives without it: the last line's break is
    /// kept unless chomped (`|-`), and a last line of only indentation adds no break of its own.
    fn undo_added_break(&self, range: TextRange, value: &mut String) {
        let raw = &self.source[(range.start - self.base) as usize..];
        // The chomping and indentation indicators right after `|` or `>`.
        let header = raw.find(['|', '>']).map_or("", |it| {
            let rest = &raw[it + 1..];
            let end = rest
                .find(|c: char| c != '+' && c != '-' && !c.is_ascii_digit())
                .unwrap_or(rest.len());
            &rest[..end]
        });
        if header.contains('-') || !value.ends_with('\n') {
            return;
        }
        let keep = header.contains('+');
        let last_line = self.source.rsplit(['\n', '\r']).next().unwrap_or("");
        let indent = match header.bytes().find(u8::is_ascii_digit) {
            // An explicit indentation counts from the enclosing collection (approximated by
            // the header line's indentation; from column 0 for a scalar at the root).
            Some(digit) => {
                let start = (range.start - self.base) as usize;
                let line_start = self.source[..start].rfind('\n').map_or(0, |it| it + 1);
                let line = &self.source[line_start..start];
                let parent = if line.trim().is_empty() {
                    0
                } else {
                    line.len() - line.trim_start_matches(' ').len()
                };
                parent + usize::from(digit - b'0')
            }
            None => raw
                .lines()
                .skip(1)
                .find(|it| !it.trim().is_empty())
                .map_or(usize::MAX, |it| it.len() - it.trim_start_matches(' ').len()),
        };
        let blank = last_line.bytes().all(|b| b == b' ') && last_line.len() <= indent;
        if keep || !blank {
            value.pop();
        }
    }

    fn make_scalar(
        &mut self,
        text: String,
        style: LibStyle,
        tag: Option<&str>,
        range: TextRange,
    ) -> Scalar {
        let style = match style {
            LibStyle::SingleQuoted => ScalarStyle::SingleQuoted,
            LibStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
            LibStyle::Literal => ScalarStyle::Literal,
            LibStyle::Folded => ScalarStyle::Folded,
            _ => ScalarStyle::Plain,
        };
        let mut text = text;
        if style == ScalarStyle::DoubleQuoted {
            let raw = self
                .source
                .get((range.start - self.base) as usize..(range.end - self.base) as usize)
                .unwrap_or("");
            if raw.contains('\\') {
                text = self.go_yaml_escapes(raw, range.start, text);
            }
        }
        // go-yaml: `<<` is a merge key when plain and untagged (or tagged `!` or `!!merge`).
        if text == "<<" && tag.is_some_and(|it| it != "!" && it != "tag:yaml.org,2002:merge") {
            self.tagged_merge_keys.push(range.start);
        }
        let value = resolve_tagged(&text, style, tag);
        Scalar { text, style, value }
    }

    /// Applies go-yaml's escapes that libyaml does not share to a double-quoted scalar: `\'`
    /// (rewritten to `\"` for libyaml) means `'`, and `\/` is an error.
    fn go_yaml_escapes(&mut self, raw: &str, start: u32, text: String) -> String {
        // For each escape that produces `"`, in order: whether it was written `\'`.
        let mut quotes = Vec::new();
        let bytes = raw.as_bytes();
        let mut i = raw.find('"').map_or(bytes.len(), |it| it + 1);
        while i < bytes.len() {
            if bytes[i] != b'\\' {
                i += 1;
                continue;
            }
            let rest = &raw[i + 1..];
            match bytes.get(i + 1) {
                Some(b'"') => quotes.push(false),
                Some(b'\'') => quotes.push(true),
                Some(b'/') => self.errors.push(SyntaxError::malformed(
                    TextRange::new(start + to_u32(i), start + to_u32(i + 2)),
                    "`\\/` is not an escape go-yaml (and so `kubectl`) knows; write `/` \
                     without the backslash"
                        .to_owned(),
                )),
                Some(b'x') if rest[1..].starts_with("22") => quotes.push(false),
                Some(b'u') if rest[1..].starts_with("0022") => quotes.push(false),
                Some(b'U') if rest[1..].starts_with("00000022") => quotes.push(false),
                _ => {}
            }
            i += 2;
        }
        if !quotes.contains(&true) {
            return text;
        }
        self.errors.push(SyntaxError {
            range: TextRange::new(start, start + to_u32(raw.len())),
            message: "`\\'` is an escape only go-yaml (and so `kubectl`) knows; libyaml, YAML \
                      1.2 and most other tools reject it: write `'` without the backslash"
                .to_owned(),
            first: None,
            kind: SyntaxErrorKind::NotPortable,
        });
        let mut quotes = quotes.into_iter();
        text.chars()
            .map(|c| match c {
                '"' if quotes.next() == Some(true) => '\'',
                c => c,
            })
            .collect()
    }
}

fn is_merge_key(key: &Node) -> bool {
    matches!(&key.kind, NodeKind::Scalar(Scalar { text, style: ScalarStyle::Plain, value: ScalarValue::String }) if text == "<<")
}

/// What a scalar means to go-yaml v2 (`decode.go` and `resolve.go`): an untagged quoted or
/// block scalar is a string; a plain one, or one tagged with a core type, is resolved from its
/// text; `!!str`, `!!binary` and any other tag (`!`, `!custom`) keep the text as a string.
fn resolve_tagged(text: &str, style: ScalarStyle, tag: Option<&str>) -> ScalarValue {
    const CORE: &str = "tag:yaml.org,2002:";
    let Some(tag) = tag else {
        return if style == ScalarStyle::Plain {
            resolve_plain(text)
        } else {
            ScalarValue::String
        };
    };
    let Some(core) = tag.strip_prefix(CORE) else {
        return ScalarValue::String;
    };
    let resolved = resolve_plain(text);
    match (core, resolved) {
        ("int", it @ ScalarValue::Int(_))
        | ("float", it @ ScalarValue::Float(_))
        | ("bool", it @ ScalarValue::Bool(_))
        | ("null", it @ ScalarValue::Null) => it,
        // go-yaml turns an integer tagged `!!float` into a float.
        #[allow(clippy::cast_precision_loss)]
        ("float", ScalarValue::Int(n)) => ScalarValue::Float(n as f64),
        _ => ScalarValue::String,
    }
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

    fn malformed(text: &str) -> Vec<SyntaxError> {
        parse(text)
            .documents
            .into_iter()
            .flat_map(|it| it.errors)
            .filter(|it| it.kind == SyntaxErrorKind::Malformed)
            .collect()
    }

    #[test]
    fn flow_collections_and_quoted_scalars_are_read_as_go_yaml_reads_them() {
        // Closing bracket and items at the key's column, as kubectl accepts them.
        let text = "spec:\n  args: [\n  --one,\n  --two\n  ]\n  env: {\n  a: b\n  }\n";
        assert_eq!(malformed(text), []);
        let root = only_root(text);
        let args = root.get_path(&["spec", "args"]).unwrap();
        assert_eq!(args.items().unwrap().len(), 2);
        assert_eq!(&text[args.range.to_usize()], "[\n  --one,\n  --two\n  ]");
        // A quoted scalar continued at or left of its key's indentation.
        let text =
            "metadata:\n  annotations:\n    note: \"first\n  second\nthird\"\n    other: 'a\n b'\n";
        assert_eq!(malformed(text), []);
        let annotations = only_root(text);
        let annotations = annotations.get_path(&["metadata", "annotations"]).unwrap();
        assert_eq!(
            annotations.get("note").unwrap().as_str(),
            Some("first second third")
        );
        assert_eq!(annotations.get("other").unwrap().as_str(), Some("a b"));
    }

    #[test]
    fn go_yaml_escapes() {
        // `\'` is go-yaml's, `\"` and `\x22` are everyone's.
        let text = "a: \"it\\'s \\\"x\\\" \\x22 \\'\"\n";
        assert_eq!(malformed(text), []);
        assert_eq!(
            only_root(text).get("a").unwrap().as_str(),
            Some("it's \"x\" \" '")
        );
        let kinds: Vec<SyntaxErrorKind> = parse(text).documents[0]
            .errors
            .iter()
            .map(|it| it.kind)
            .collect();
        assert_eq!(kinds, [SyntaxErrorKind::NotPortable]);
        let text = "a: \"one\\'\"\nb: \"two\\'\"\nc: 'x\\'\n";
        assert_eq!(malformed(text), []);
        let root = only_root(text);
        assert_eq!(root.get("b").unwrap().as_str(), Some("two'"));
        assert_eq!(root.get("c").unwrap().as_str(), Some("x\\"));
        // `\/` is libyaml's only.
        let text = "a: \"x\\/y\"\n";
        let errors = malformed(text);
        assert_eq!(errors.len(), 1);
        assert_eq!(&text[errors[0].range.to_usize()], "\\/");
        assert!(errors[0].message.contains("`\\/`"), "{}", errors[0].message);
    }

    #[test]
    fn messages_say_what_is_wrong_where_it_is() {
        let one = |text: &str| {
            let errors = malformed(text);
            assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
            errors.into_iter().next().unwrap()
        };
        let error = one("a: b\nc: \"x\0y\"\n");
        assert!(error.message.contains("NUL"), "{}", error.message);
        assert_eq!(error.range, TextRange::new(10, 11));
        let error = one("a: \"\\uDC00\"\n");
        assert!(error.message.contains("surrogate"), "{}", error.message);
        assert!(!error.message.contains("not closed"), "{}", error.message);
        assert_eq!(error.range.start, 4);
        let error = one("a: \"x\\qy\"\n");
        assert!(error.message.contains("`\\q`"), "{}", error.message);
        let error = one("a: b\nc: \"open\n");
        assert!(error.message.contains("not closed"), "{}", error.message);
        assert_eq!(error.range.start, 8);
        let error = one("a:\n  b: 1\n\tc: 2\n");
        assert!(error.message.contains("tab"), "{}", error.message);
        let error = one("a: @x\n");
        assert!(error.message.contains("reserved"), "{}", error.message);
        assert!(!one("a: [1, 2\n").message.contains("tab"));
    }

    #[test]
    fn positions_are_bytes_after_multibyte_text() {
        let text = "# 日本語 😀\nmetadata:\n  name: \"é\"\n  bad: [é, \"😀\n";
        let parsed = parse(text);
        let error = &parsed.documents[0].errors[0];
        let quote = text.rfind('"').unwrap();
        assert_eq!(error.range.start as usize, quote, "{error:?}");
        let text = "# 日本語 😀\nname: \"é\"\n";
        let root = only_root(text);
        assert_eq!(&text[root.get("name").unwrap().range.to_usize()], "\"é\"");
    }

    #[test]
    fn a_block_scalar_on_the_last_line_without_a_line_break() {
        // Values as libyaml gives them (checked with PyYAML's C loader).
        let cases = [
            ("a: |\n  x", "x"),
            ("a: |+\n  x", "x"),
            ("a: |-\n  x", "x"),
            ("a: >\n  x\n  y", "x y"),
            ("a: |\n  x\n  ", "x\n"),
            ("a: |+\n  x\n  ", "x\n"),
            ("a: |+\n  x\n\n  ", "x\n\n"),
            ("a: |\n  x\n     ", "x\n   "),
            ("a: >#- c\n  x", "x"),
            ("a: |2 # c|-\n   x", " x"),
        ];
        for (text, expected) in cases {
            let root = only_root(text);
            assert_eq!(root.get("a").unwrap().as_str(), Some(expected), "{text:?}");
            assert!(root.range.end as usize <= text.len());
        }
    }

    #[test]
    fn content_after_a_document_end_needs_a_document_start() {
        assert_eq!(malformed("a: 1\n...\n---\nb: 2\n"), []);
        assert_eq!(malformed("a: 1\n...\n%YAML 1.1\n---\nb: 2\n"), []);
        assert_eq!(malformed("a: 1\n...\nb: 2\n").len(), 1);
        assert_eq!(
            parse("a: 1\n...\n%YAML 1.1\n---\nb: 2\n").documents.len(),
            2
        );
    }

    #[test]
    fn merge_keys_in_go_yaml_v2_order() {
        // A merge overwrites the keys before it; keys after it win; in a list the first wins.
        let root = only_root(
            "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nm:\n  a: 0\n  <<: [*x, *y]\n  c: 3\n",
        );
        let m = root.get("m").unwrap();
        assert_eq!(m.get("a").unwrap().as_i64(), Some(1));
        assert_eq!(m.get("b").unwrap().as_i64(), Some(1));
        assert_eq!(m.get("c").unwrap().as_i64(), Some(3));
        // A tagged `<<` is a plain key.
        let root = only_root("!!str <<: 1\n");
        assert_eq!(root.get("<<").unwrap().as_i64(), Some(1));
        assert_eq!(malformed("<<: 1\n").len(), 1);
    }

    #[test]
    fn aliases_to_what_is_not_yet_defined() {
        let errors = malformed("a: *nothing\n");
        assert!(
            errors[0].message.contains("`*nothing`"),
            "{}",
            errors[0].message
        );
        let errors = malformed("a: &x [1, *x]\n");
        assert!(
            errors[0].message.contains("contain itself"),
            "{}",
            errors[0].message
        );
        // A redefined anchor: the alias takes the latest definition.
        let root = only_root("a: &x 1\nb: &x 2\nc: *x\n");
        assert_eq!(root.get("c").unwrap().as_i64(), Some(2));
    }

    /// Every way to nest 100,000 levels: one warning on the line where the limit is passed,
    /// and a tree cut there that can be cloned and dropped.
    #[test]
    fn nesting_stops_at_the_limit() {
        let depth = 100_000;
        // Block collections need an indentation per level, so they go 3,000 deep.
        let indented = 3_000;
        let block = lines(indented, |i| format!("{}-\n", " ".repeat(i)));
        let mappings = lines(indented, |i| format!("{}k:\n", " ".repeat(i)));
        let flow = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let flow_mappings = format!("{}x{}\n", "{a: ".repeat(depth), "}".repeat(depth));
        let inline_block = format!("{}x\n", "- ".repeat(depth));
        for (text, line) in [
            (&block, MAX_NESTING_DEPTH),
            (&mappings, MAX_NESTING_DEPTH),
            (&flow, 0),
            (&flow_mappings, 0),
            (&inline_block, 0),
        ] {
            let parsed = parse(text);
            let document = &parsed.documents[0];
            assert_eq!(document.errors.len(), 1, "{:?}", document.errors);
            let error = &document.errors[0];
            assert_eq!(error.kind, SyntaxErrorKind::NestingTooDeep);
            assert_eq!(
                text[..error.range.start as usize].matches('\n').count(),
                line
            );
            let root = document.root.clone().expect("a cut tree");
            let mut deepest = 0;
            let mut node = &root;
            loop {
                let next = match &node.kind {
                    NodeKind::Sequence(items) => items.first(),
                    NodeKind::Mapping(entries) => entries.first().map(|it| &it.value),
                    NodeKind::Scalar(_) => None,
                };
                let Some(next) = next else { break };
                node = next;
                deepest += 1;
            }
            assert_eq!(deepest, MAX_NESTING_DEPTH);
            drop(root);
        }
    }

    /// `n` lines made by `line`, as one text.
    fn lines(n: usize, line: impl Fn(usize) -> String) -> String {
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&line(i));
        }
        text
    }

    /// The least time of a few runs of `parse` on `text`.
    fn parse_time(text: &str) -> std::time::Duration {
        (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                let parsed = parse(text);
                let elapsed = start.elapsed();
                assert!(!parsed.documents.is_empty());
                elapsed
            })
            .min()
            .unwrap()
    }

    /// Four times the input takes at most about four times as long (under 8 for noise; a
    /// quadratic step would take 16 times as long).
    fn assert_linear(make: impl Fn(usize) -> String) {
        let small = parse_time(&make(5_000)).as_secs_f64();
        let large = parse_time(&make(20_000)).as_secs_f64();
        assert!(
            large < small * 8.0,
            "5,000: {small:.4} s, 20,000: {large:.4} s"
        );
    }

    #[test]
    fn time_grows_linearly_with_keys_duplicates_and_anchors() {
        assert_linear(|n| lines(n, |i| format!("key{i}: {i}\n")));
        assert_linear(|n| lines(n, |i| format!("key{}: {i}\n", i % 2)));
        assert_linear(|n| lines(n, |i| format!("a{i}: &a{i} {{x: {i}}}\nb{i}: *a{i}\n")));
        assert_linear(|n| {
            let mut text = String::from("base: &b {x: 1, y: 2}\n");
            text.extend((0..n).map(|i| format!("m{i}:\n  <<: *b\n  k: {i}\n")));
            text
        });
    }
}
