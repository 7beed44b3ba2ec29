//! Where the cursor is in a document, found from the text around it, so that completion works
//! in half-typed documents that do not parse.
//!
//! The path is rebuilt by walking up from the cursor's line through the lines of smaller
//! indentation, the way a person reads nested YAML; block sequences (`- `) become indices.

use crate::core::text::{TextRange, to_u32};
use crate::core::yaml::PathSegment;

/// What is being typed at the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CursorKind {
    /// A key of the mapping at `path`.
    Key,
    /// The value of `key`, a key of the mapping at `path`.
    Value {
        /// The key whose value is typed.
        key: String,
    },
}

/// The cursor's place in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// Path of the mapping the cursor is in.
    pub path: Vec<PathSegment>,
    /// Key or value.
    pub kind: CursorKind,
    /// What is already typed of the key or value, and where (replaced by a completion).
    pub prefix: String,
    /// The range of the prefix.
    pub prefix_range: TextRange,
    /// The column where keys of this mapping start.
    pub column: usize,
    /// Keys already present in the mapping.
    pub siblings: Vec<String>,
    /// The document's `apiVersion` and `kind`, read from its top-level lines.
    pub api_version: Option<String>,
    /// See `api_version`.
    pub object_kind: Option<String>,
}

struct Line<'a> {
    start: usize,
    text: &'a str,
}

struct Shape<'a> {
    indent: usize,
    /// Columns of the `- ` markers at the line's start.
    dashes: Vec<usize>,
    /// Column where the content after the markers starts.
    content_column: usize,
    /// The key, if the content is `key:` or `key: value`.
    key: Option<&'a str>,
    blank: bool,
}

fn shape(text: &str) -> Shape<'_> {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let mut rest = &text[indent..];
    let mut column = indent;
    let mut dashes = Vec::new();
    while rest == "-" || rest.starts_with("- ") {
        dashes.push(column);
        let after = &rest[1..];
        let spaces = after.len() - after.trim_start_matches(' ').len();
        column += 1 + spaces;
        rest = &after[spaces..];
    }
    let trimmed = rest.trim_end();
    let blank = trimmed.is_empty() || trimmed.starts_with('#');
    Shape {
        indent,
        dashes,
        content_column: column,
        key: key_of(rest),
        blank: blank && indent == column,
    }
}

/// `key` of a line content `key:` / `key: value` (plain or quoted key).
fn key_of(content: &str) -> Option<&str> {
    let content = content.trim_end();
    let end = content
        .find(": ")
        .or_else(|| content.strip_suffix(':').map(str::len))?;
    let key = content[..end].trim();
    let key = key
        .strip_prefix('"')
        .and_then(|it| it.strip_suffix('"'))
        .or_else(|| key.strip_prefix('\'').and_then(|it| it.strip_suffix('\'')))
        .unwrap_or(key);
    (!key.is_empty() && !key.starts_with(['#', '{', '[', '&', '*', '!', '|', '>'])).then_some(key)
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut res = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        res.push(Line {
            start,
            text: line.trim_end_matches(['\n', '\r']),
        });
        start += line.len();
    }
    if text.is_empty() || text.ends_with('\n') {
        res.push(Line { start, text: "" });
    }
    res
}

/// Finds the cursor's context at `offset` in the text of one document.
#[must_use]
pub fn cursor_at(text: &str, offset: u32) -> Cursor {
    let offset = (offset as usize).min(text.len());
    let lines = lines(text);
    let line_no = lines.iter().rposition(|it| it.start <= offset).unwrap_or(0);
    let line = &lines[line_no];
    let column = offset - line.start;
    let before = line.text.get(..column).unwrap_or(line.text);
    let this = shape(before);

    let (kind, key_column, prefix_start) =
        if let Some(colon) = find_value_colon(before, this.content_column) {
            let key = before[this.content_column..colon]
                .trim()
                .trim_matches(['"', '\''])
                .to_owned();
            let after = &before[colon + 1..];
            let value_start = colon + 1 + (after.len() - after.trim_start().len());
            (CursorKind::Value { key }, this.content_column, value_start)
        } else {
            let word = before.len()
                - before
                    .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || "-_./".contains(c))
                    .len();
            (
                CursorKind::Key,
                this.content_column.min(column),
                column - word,
            )
        };
    let prefix = before[prefix_start.min(before.len())..].to_owned();

    // The cursor's own line may open a list item (`- ima|`).
    let mut path = Vec::new();
    let mut tracking = this.dashes.last().copied().map(|dash| (dash, 0usize));
    let mut limit = tracking.map_or(key_column, |(dash, _)| dash);
    let mut first_of_mapping = line_no;
    // Whether the walk is still inside the cursor's own mapping.
    let mut own = true;
    for (i, above) in lines[..line_no].iter().enumerate().rev() {
        if above.text.starts_with("---") || above.text.starts_with("...") {
            break;
        }
        let shape = shape(above.text);
        if shape.blank {
            continue;
        }
        if let Some((dash, count)) = tracking {
            if shape.indent == dash && shape.dashes.first() == Some(&dash) {
                tracking = Some((dash, count + 1));
                continue;
            }
            if shape.indent > dash {
                continue;
            }
            // The line that holds the sequence; its key may sit at the dashes' column.
            path.push(PathSegment::Index(count));
            tracking = None;
            limit = dash + 1;
            own = false;
        }
        if shape.content_column >= limit && tracking.is_none() {
            if !shape.dashes.is_empty() && shape.content_column == limit {
                // This line opens the list item our mapping belongs to.
                tracking = shape.dashes.last().map(|dash| (*dash, 0));
                if own {
                    first_of_mapping = i;
                }
            } else if shape.content_column == limit && own {
                first_of_mapping = i;
            }
            continue;
        }
        let Some(key) = shape.key else {
            continue;
        };
        path.push(PathSegment::Key(key.to_owned()));
        limit = shape.content_column;
        own = false;
        if let Some(dash) = shape.dashes.last() {
            tracking = Some((*dash, 0));
        }
    }
    if let Some((_, count)) = tracking {
        path.push(PathSegment::Index(count));
    }
    path.reverse();

    let siblings = siblings(&lines, line_no, first_of_mapping, key_column);
    let (api_version, object_kind) = top_level(&lines);
    Cursor {
        path,
        kind,
        prefix,
        prefix_range: TextRange::new(
            to_u32(line.start + prefix_start.min(before.len())),
            to_u32(offset),
        ),
        column: key_column,
        siblings,
        api_version,
        object_kind,
    }
}

/// The `:` that ends a key on the cursor's line, if the cursor is in the value after it.
fn find_value_colon(before: &str, content_column: usize) -> Option<usize> {
    let content = before.get(content_column..)?;
    if content.starts_with(['"', '\'']) {
        let quote = content.as_bytes()[0] as char;
        let close = content[1..].find(quote)? + 1;
        let rest = &content[close + 1..];
        return rest.starts_with(": ").then_some(content_column + close + 1);
    }
    content
        .find(": ")
        .map(|it| content_column + it)
        .filter(|_| !content.starts_with('#'))
}

fn siblings(lines: &[Line<'_>], cursor_line: usize, first: usize, column: usize) -> Vec<String> {
    let mut res = Vec::new();
    for line in &lines[first..cursor_line] {
        let shape = shape(line.text);
        if shape.content_column == column
            && let Some(key) = shape.key
        {
            res.push(key.to_owned());
        }
    }
    for line in &lines[cursor_line + 1..] {
        let shape = shape(line.text);
        if shape.blank {
            continue;
        }
        let new_item = !shape.dashes.is_empty() && shape.indent < column;
        if line.text.starts_with("---") || shape.content_column < column || new_item {
            break;
        }
        if shape.content_column == column
            && let Some(key) = shape.key
        {
            res.push(key.to_owned());
        }
    }
    res
}

fn top_level(lines: &[Line<'_>]) -> (Option<String>, Option<String>) {
    let mut api_version = None;
    let mut kind = None;
    for line in lines {
        let value = |prefix: &str| {
            line.text
                .strip_prefix(prefix)
                .map(|it| {
                    it.split('#')
                        .next()
                        .unwrap_or(it)
                        .trim()
                        .trim_matches(['"', '\''])
                        .to_owned()
                })
                .filter(|it| !it.is_empty())
        };
        api_version = api_version.or_else(|| value("apiVersion:"));
        kind = kind.or_else(|| value("kind:"));
    }
    (api_version, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text_with_cursor: &str) -> Cursor {
        let offset = text_with_cursor.find('|').expect("a cursor");
        let text = text_with_cursor.replacen('|', "", 1);
        cursor_at(&text, to_u32(offset))
    }

    fn keys(path: &[PathSegment]) -> String {
        path.iter()
            .map(|it| match it {
                PathSegment::Key(key) => key.clone(),
                PathSegment::Index(i) => format!("[{i}]"),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n        - name: side\n          imag|\n";

    #[test]
    fn a_half_typed_key_in_the_second_container() {
        let cursor = at(DEPLOYMENT);
        assert_eq!(keys(&cursor.path), "spec.template.spec.containers.[1]");
        assert_eq!(cursor.kind, CursorKind::Key);
        assert_eq!(cursor.prefix, "imag");
        assert_eq!(cursor.siblings, vec!["name".to_owned()]);
        assert_eq!(cursor.object_kind.as_deref(), Some("Deployment"));
    }

    #[test]
    fn a_value_after_a_key() {
        let cursor = at(
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imagePullPolicy: |\n",
        );
        assert_eq!(keys(&cursor.path), "spec.containers.[0]");
        assert_eq!(
            cursor.kind,
            CursorKind::Value {
                key: "imagePullPolicy".to_owned()
            }
        );
        assert_eq!(cursor.prefix, "");
    }

    #[test]
    fn a_new_list_item_and_the_root() {
        let cursor = at("spec:\n  containers:\n    - name: a\n    - |\n");
        assert_eq!(keys(&cursor.path), "spec.containers.[1]");
        let cursor = at("apiVersion: v1\nki|\n");
        assert!(cursor.path.is_empty());
        assert_eq!(cursor.prefix, "ki");
        assert_eq!(cursor.siblings, vec!["apiVersion".to_owned()]);
    }

    #[test]
    fn deeper_content_of_earlier_keys_is_skipped() {
        let cursor = at("spec:\n  selector:\n    matchLabels:\n      app: web\n  |\n");
        assert_eq!(keys(&cursor.path), "spec");
        assert_eq!(cursor.siblings, vec!["selector".to_owned()]);
    }
}
