//! Suppressions: findings a user has chosen not to see, by comment or by annotation.
//!
//! - `# kls: ignore[rule-id, …]` at the end of a line suppresses those rules' findings that
//!   start on that line.
//! - The same comment on a line of its own suppresses them on the next line that is neither
//!   blank nor a comment; written before the first key of a `---` document (only blank lines,
//!   comments and the `---` above it), it covers the whole document instead.
//! - `# kls: ignore-file[rule-id, …]` on a line of its own, anywhere in a file (by convention at
//!   the top), covers the whole file, as ruff's `# ruff: noqa: …` does.
//! - The annotation `kls.dev/ignore: rule-id,…` in an object's `metadata.annotations` covers
//!   that object, for manifests kept free of comments.
//!
//! A finding is suppressed when it starts where a suppression applies. An id that names no
//! rule is reported (`suppression-unknown-rule`); an id that suppressed nothing can be reported
//! once every finding of the file is known (`suppression-unused`, see [`unused`]). Findings
//! about suppressions are never suppressed themselves.

use crate::core::diagnostic::{Diagnostic, Fix, TextEdit};
use crate::core::rules::suppression::{SuppressionUnknownRule, SuppressionUnused};
use crate::core::rules::{self, Sink};
use crate::core::settings::Settings;
use crate::core::text::TextRange;
use crate::core::yaml::Node;

/// The annotation that suppresses rules on the object that carries it.
pub const ANNOTATION: &str = "kls.dev/ignore";

/// Where a suppression applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Findings that start in this range (a line, a document, an object).
    Range(TextRange),
    /// The whole file.
    File,
    /// Nowhere: a comment with no line after it.
    Nowhere,
}

/// One suppressed rule id, where it is written and whether it suppressed anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuppressedRule {
    /// The id as written.
    pub id: String,
    /// Where the id is written.
    pub range: TextRange,
    /// Whether a finding was suppressed by it.
    pub used: bool,
}

/// One comment or annotation and the rules it suppresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Where it applies.
    pub scope: Scope,
    /// The rules it names.
    pub rules: Vec<SuppressedRule>,
}

impl Suppression {
    /// The same suppression with every range moved by `by` bytes.
    #[must_use]
    pub fn shifted(mut self, by: u32) -> Self {
        if let Scope::Range(range) = &mut self.scope {
            *range = range.shifted(by);
        }
        for rule in &mut self.rules {
            rule.range = rule.range.shifted(by);
        }
        self
    }

    fn covers(&self, offset: u32) -> bool {
        match self.scope {
            Scope::File => true,
            Scope::Nowhere => false,
            Scope::Range(range) => range.start <= offset && offset <= range.end,
        }
    }
}

/// The suppression comments of one document's text (`---` separators included); ranges are
/// relative to `text`.
#[must_use]
pub fn comments(text: &str) -> Vec<Suppression> {
    let mut res = Vec::new();
    // Comments on lines of their own that wait for the next line with content.
    let mut pending: Vec<Suppression> = Vec::new();
    let mut content_seen = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let line_range = TextRange::new(to_u32(start), to_u32(start + body.len()));
        let trimmed = body.trim_start();
        let own_line = trimmed.starts_with('#');
        let is_content = !trimmed.is_empty()
            && !own_line
            && !trimmed.starts_with("---")
            && !trimmed.starts_with("...")
            // A directive (`%YAML 1.1`) comes before a document's content.
            && (content_seen || !trimmed.starts_with('%'));
        if is_content {
            content_seen = true;
            for mut waiting in pending.drain(..) {
                waiting.scope = Scope::Range(line_range);
                res.push(waiting);
            }
        }
        let Some((file_wide, rules)) = find_comment(body, start) else {
            continue;
        };
        let suppression = |scope| Suppression { scope, rules };
        if file_wide {
            // Only as a comment of its own line: at the end of a line it would read as if it
            // were about that line.
            if own_line {
                res.push(suppression(Scope::File));
            }
        } else if !own_line {
            res.push(suppression(Scope::Range(line_range)));
        } else if !content_seen {
            res.push(suppression(Scope::Range(TextRange::new(
                0,
                to_u32(text.len()),
            ))));
        } else {
            pending.push(suppression(Scope::Nowhere));
        }
    }
    // Nothing follows them: they apply nowhere (and are unused).
    res.extend(pending);
    res
}

/// The suppression in the `kls.dev/ignore` annotation of `object`, if it has one.
#[must_use]
pub fn annotation(object: &Node) -> Option<Suppression> {
    let value = object.get_path(&["metadata", "annotations", ANNOTATION])?;
    let text = value.as_str()?;
    let mut rules = Vec::new();
    for id in text.split(',').map(str::trim).filter(|it| !it.is_empty()) {
        rules.push(SuppressedRule {
            id: id.to_owned(),
            range: value.range,
            used: false,
        });
    }
    Some(Suppression {
        scope: Scope::Range(object.range),
        rules,
    })
}

/// Reports the ids among `suppressions` that name no rule.
pub fn report_unknown(suppressions: &[Suppression], sink: &mut Sink<'_>) {
    for rule in suppressions.iter().flat_map(|it| &it.rules) {
        if rules::by_id(&rule.id).is_none() {
            sink.report(
                &SuppressionUnknownRule::META,
                rule.range,
                format!(
                    "there is no rule `{}` to suppress; `kls rules` lists them",
                    rule.id
                ),
            );
        }
    }
}

/// Takes out of `diagnostics` those that `suppressions` cover, and marks what they used.
pub fn apply(suppressions: &mut [Suppression], diagnostics: &mut Vec<Diagnostic>) {
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|diagnostic| {
        if is_about_suppressions(diagnostic.code) {
            return true;
        }
        let mut suppressed = false;
        for suppression in suppressions.iter_mut() {
            if !suppression.covers(diagnostic.range.start) {
                continue;
            }
            for rule in &mut suppression.rules {
                if rule.id == diagnostic.code {
                    rule.used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
}

/// The `suppression-unused` findings: known rule ids that suppressed nothing. Call it once
/// every finding of the file has gone through [`apply`]; it reports nothing unless
/// [`Settings::report_unused_suppressions`] is set.
#[must_use]
pub fn unused(suppressions: &[Suppression], settings: &Settings) -> Vec<Diagnostic> {
    let mut res = Vec::new();
    if !settings.report_unused_suppressions {
        return res;
    }
    let mut sink = Sink::new(settings, &mut res);
    for rule in suppressions.iter().flat_map(|it| &it.rules) {
        if !rule.used && rules::by_id(&rule.id).is_some() && !is_about_suppressions(&rule.id) {
            sink.report(
                &SuppressionUnused::META,
                rule.range,
                format!("`{}` suppresses nothing here; remove it", rule.id),
            );
        }
    }
    res
}

/// The fix that suppresses `diagnostic` where it starts: `# kls: ignore[code]` at the end of
/// its line, or its code added to the `# kls: ignore[…]` already there. `None` for the findings
/// about suppressions themselves, and for a line inside a block scalar (`|`, `>`), where a
/// comment would become part of the value.
#[must_use]
pub fn ignore_fix(text: &str, diagnostic: &Diagnostic) -> Option<Fix> {
    if is_about_suppressions(diagnostic.code) {
        return None;
    }
    let start = (diagnostic.range.start as usize).min(text.len());
    if !text.is_char_boundary(start) {
        return None;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |it| it + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |it| start + it);
    let line = text[line_start..line_end].trim_end_matches('\r');
    if in_block_scalar(&text[..line_start], line) {
        return None;
    }
    let title = format!("Ignore `{}` on this line", diagnostic.code);
    let edit = match find_comment(line, line_start) {
        Some((false, rules)) if !line.trim_start().starts_with('#') => {
            if rules.iter().any(|it| it.id == diagnostic.code) {
                return None;
            }
            let close = line_start + line.rfind(']')?;
            let new_text = if rules.is_empty() {
                diagnostic.code.to_owned()
            } else {
                format!(", {}", diagnostic.code)
            };
            TextEdit {
                range: TextRange::empty(to_u32(close)),
                new_text,
            }
        }
        _ => TextEdit {
            range: TextRange::empty(to_u32(line_start + line.len())),
            new_text: format!(" # kls: ignore[{}]", diagnostic.code),
        },
    };
    Some(Fix {
        title,
        edits: vec![edit],
    })
}

/// Whether `line`, which follows `before`, is content of a block scalar: indented deeper than
/// the nearest line above it that is less indented and ends with `|` or `>` (with indicators).
fn in_block_scalar(before: &str, line: &str) -> bool {
    let indent = |it: &str| it.len() - it.trim_start_matches(' ').len();
    let own = indent(line);
    for above in before.lines().rev() {
        let trimmed = above.trim();
        if trimmed.is_empty() {
            continue;
        }
        if indent(above) >= own {
            continue;
        }
        let value = trimmed.split(" #").next().unwrap_or(trimmed).trim_end();
        let indicator = value.rsplit([' ', ':']).next().unwrap_or("");
        return (indicator.starts_with('|') || indicator.starts_with('>'))
            && indicator[1..]
                .chars()
                .all(|it| matches!(it, '+' | '-' | '0'..='9'));
    }
    false
}

fn is_about_suppressions(code: &str) -> bool {
    code == SuppressionUnknownRule::META.id || code == SuppressionUnused::META.id
}

/// Finds `# kls: ignore[…]` or `# kls: ignore-file[…]` in `line` (which starts at `start`):
/// whether it is file-wide, and the ids with their ranges.
fn find_comment(line: &str, start: usize) -> Option<(bool, Vec<SuppressedRule>)> {
    let mut from = 0;
    while let Some(found) = line[from..].find('#') {
        let hash = from + found;
        from = hash + 1;
        // A comment starts a line or follows white space; `a#b` is part of a scalar.
        if hash > 0 && !line[..hash].ends_with([' ', '\t']) {
            continue;
        }
        let rest = line[hash + 1..].trim_start();
        let Some(rest) = rest.strip_prefix("kls:") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix("ignore") else {
            continue;
        };
        let (file_wide, rest) = match rest.strip_prefix("-file") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let Some(list) = rest.strip_prefix('[') else {
            continue;
        };
        let end = list.find(']')?;
        let list_start = line.len() - list.len();
        let mut rules = Vec::new();
        let mut at = list_start;
        for piece in list[..end].split(',') {
            let id = piece.trim();
            let lead = piece.len() - piece.trim_start().len();
            if !id.is_empty() {
                let id_start = start + at + lead;
                rules.push(SuppressedRule {
                    id: id.to_owned(),
                    range: TextRange::new(to_u32(id_start), to_u32(id_start + id.len())),
                    used: false,
                });
            }
            at += piece.len() + 1;
        }
        return Some((file_wide, rules));
    }
    None
}

fn to_u32(n: usize) -> u32 {
    crate::core::text::to_u32(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(text: &str) -> Vec<(Option<&str>, Vec<String>)> {
        comments(text)
            .into_iter()
            .map(|it| {
                let scope = match it.scope {
                    Scope::File | Scope::Nowhere => None,
                    Scope::Range(range) => Some(&text[range.to_usize()]),
                };
                (scope, it.rules.into_iter().map(|rule| rule.id).collect())
            })
            .collect()
    }

    #[test]
    fn a_comment_at_the_end_of_a_line_covers_that_line() {
        let text = "kind: Pod\nmetadata:\n  name: Web # kls: ignore[metadata-name-invalid, x]\n";
        assert_eq!(
            scopes(text),
            vec![(
                Some("  name: Web # kls: ignore[metadata-name-invalid, x]"),
                vec!["metadata-name-invalid".to_owned(), "x".to_owned()]
            )]
        );
        let ids = comments(text).remove(0).rules;
        assert_eq!(&text[ids[1].range.to_usize()], "x");
    }

    #[test]
    fn a_comment_of_its_own_covers_the_next_line_with_content() {
        let text = "kind: Pod\n# kls: ignore[unknown-field]\n\n# why\nfoo: 1\nbar: 2\n";
        assert_eq!(
            scopes(text),
            vec![(Some("foo: 1"), vec!["unknown-field".to_owned()])]
        );
    }

    #[test]
    fn before_the_first_key_it_covers_the_document_and_ignore_file_the_file() {
        let text = "---\n# kls: ignore[unknown-field]\nkind: Pod\n  # kls: ignore-file[a]\nx: 1 # kls: ignore-file[b]\n";
        let found = scopes(text);
        assert_eq!(found[0], (Some(text), vec!["unknown-field".to_owned()]));
        assert_eq!(found[1], (None, vec!["a".to_owned()]));
        assert_eq!(
            found.len(),
            2,
            "ignore-file at the end of a line is no suppression"
        );
    }

    fn ignored(text: &str, code: &'static str, at: &str) -> Option<String> {
        let start = to_u32(text.find(at).expect("in the text"));
        let diagnostic = Diagnostic::new(
            code,
            crate::core::diagnostic::Severity::Error,
            TextRange::new(start, start + 1),
            String::new(),
        );
        let fix = ignore_fix(text, &diagnostic)?;
        let mut res = text.to_owned();
        for edit in fix.edits.iter().rev() {
            res.replace_range(edit.range.to_usize(), &edit.new_text);
        }
        Some(res)
    }

    #[test]
    fn the_ignore_fix_writes_or_extends_the_comment_of_the_line() {
        assert_eq!(
            ignored("kind: Pod\nfoo: 1\nbar: 2\n", "unknown-field", "foo").as_deref(),
            Some("kind: Pod\nfoo: 1 # kls: ignore[unknown-field]\nbar: 2\n")
        );
        assert_eq!(
            ignored("foo: 1 # kls: ignore[a]\r\n", "unknown-field", "foo").as_deref(),
            Some("foo: 1 # kls: ignore[a, unknown-field]\r\n")
        );
        let done = "foo: 1 # kls: ignore[unknown-field]";
        assert_eq!(ignored(done, "unknown-field", "foo"), None);
        let block = "data:\n  script: |-\n    echo hi\n  other: 1\n";
        assert_eq!(ignored(block, "x", "echo"), None);
        assert!(ignored(block, "x", "other").is_some());
        assert_eq!(ignored("x: 1\n", "suppression-unused", "x"), None);
    }

    #[test]
    fn not_a_comment_or_not_closed_is_no_suppression() {
        assert!(comments("image: a#kls: ignore[x]\n").is_empty());
        assert!(comments("image: a # kls: ignore[x\n").is_empty());
        assert!(comments("image: a # kls: ignored\n").is_empty());
    }
}
