//! Splitting a Kubernetes file into objects.
//!
//! A file is YAML (one or more `---`-separated documents) or JSON (one
//! object). Any document may be a kubectl `List` or a typed `*List` whose
//! `items` are objects or further Lists. Each object keeps the line where it
//! starts, for provenance.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::ingest::json_lines::JsonLines;
use crate::ingest::{Diagnostics, FileCtx, IngestError};

/// One Kubernetes object read from a file, before it is typed.
#[derive(Debug)]
pub(super) struct RawObject {
    pub value: Value,
    pub kind: String,
    pub api_version: String,
    /// 1-based line where the object starts, where known.
    pub line: Option<u32>,
    /// Where it sits in the file, for messages (`document 2`, `items[3]`).
    pub origin: String,
    /// Its path in a JSON file (`items/3`); empty for a top-level object.
    pub json_path: Vec<String>,
    /// The line where the next object of the file starts, if any: the
    /// object's text lies before it.
    pub end_line: Option<u32>,
}

/// Splits `text` into objects. Syntax errors and objects without `kind` or
/// `apiVersion` are reported in `diags`; empty documents are skipped.
pub(super) fn split<'t>(path: &str, text: &'t str, diags: &mut Diagnostics) -> (Vec<RawObject>, Lines<'t>) {
    let (mut out, lines) = split_objects(path, text, diags);
    // Objects come in file order, so each one ends where the next begins.
    let starts: Vec<Option<u32>> = out.iter().map(|o| o.line).collect();
    for (i, o) in out.iter_mut().enumerate() {
        o.end_line = starts[i + 1..].iter().flatten().copied().find(|&l| Some(l) > o.line);
    }
    (out, lines)
}

fn split_objects<'t>(path: &str, text: &'t str, diags: &mut Diagnostics) -> (Vec<RawObject>, Lines<'t>) {
    let mut out = Vec::new();
    if path.ends_with(".json") {
        let mut lines = Lines::Json(JsonLines::index(text));
        let Some(value) = FileCtx::parse_json(path, text, diags) else {
            return (out, lines);
        };
        let first = text.lines().position(|l| !l.trim().is_empty()).map(line_no);
        let mut s = Splitter { path, diags, lines: &mut lines, out: &mut out };
        s.document(value, first, "the document".into());
        return (out, lines);
    }

    let starts = yaml_document_lines(text);
    let mut lines = Lines::Yaml { text_lines: text.lines().collect(), cursor: 0 };
    for (i, doc) in serde_yaml_ng::Deserializer::from_str(text).enumerate() {
        match Value::deserialize(doc) {
            Ok(Value::Null) => continue,
            Ok(value) => {
                let line = starts.get(i).copied();
                if let (Lines::Yaml { cursor, .. }, Some(l)) = (&mut lines, line) {
                    *cursor = l.saturating_sub(1) as usize;
                }
                let mut s = Splitter { path, diags, lines: &mut lines, out: &mut out };
                s.document(value, line, format!("document {}", i + 1));
            }
            Err(e) => {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
                diags.errors.push(IngestError::Yaml {
                    file: path.to_string(),
                    line,
                    column,
                    message: strip_yaml_position(&e.to_string()),
                });
                // INVARIANT: after a syntax error the YAML stream yields the
                // same error forever, so stop at the first one.
                break;
            }
        }
    }
    (out, lines)
}

/// How object lines are found: JSON has an exact index of array elements;
/// for YAML, list items are found by their `name:` line and entries of a
/// sequence by their `- ` lines.
pub(super) enum Lines<'t> {
    Json(JsonLines),
    Yaml { text_lines: Vec<&'t str>, cursor: usize },
}

impl Lines<'_> {
    /// The line of element `index` of the sequence at `spec.<key>` inside
    /// `obj` (e.g. a NetworkPolicy's `ingress[2]`).
    pub fn spec_entry_line(&self, obj: &RawObject, key: &str, index: usize) -> Option<u32> {
        match self {
            Lines::Json(idx) => {
                let idx_s = index.to_string();
                let mut path: Vec<&str> = obj.json_path.iter().map(String::as_str).collect();
                path.extend(["spec", key, &idx_s]);
                idx.line(&path)
            }
            Lines::Yaml { text_lines, .. } => {
                let start = obj.line?.saturating_sub(1) as usize;
                let end = obj.end_line.map(|l| l.saturating_sub(1) as usize).unwrap_or(text_lines.len());
                let region = text_lines.get(start..end.max(start))?;
                yaml_seq_entry(region, key, index).map(|i| line_no(start + i))
            }
        }
    }

    fn item_line(&mut self, json_path: &[String], name: Option<&str>) -> Option<u32> {
        match self {
            Lines::Json(idx) => {
                let path: Vec<&str> = json_path.iter().map(String::as_str).collect();
                idx.line(&path)
            }
            Lines::Yaml { text_lines, cursor } => {
                let name = name?;
                let found = text_lines.iter().enumerate().skip(*cursor).find(|(_, l)| is_name_line(l, name))?.0;
                *cursor = found + 1;
                Some(line_no(found))
            }
        }
    }
}

struct Splitter<'a, 't> {
    path: &'a str,
    diags: &'a mut Diagnostics,
    lines: &'a mut Lines<'t>,
    out: &'a mut Vec<RawObject>,
}

/// `kind` and `apiVersion` that items of a typed list (`PodList`) inherit,
/// since the API server omits them there.
struct Inherited {
    kind: String,
    api_version: String,
}

impl Splitter<'_, '_> {
    fn document(&mut self, value: Value, line: Option<u32>, origin: String) {
        self.object(value, line, origin, None, Vec::new());
    }

    fn object(
        &mut self,
        value: Value,
        line: Option<u32>,
        origin: String,
        inherited: Option<&Inherited>,
        json_path: Vec<String>,
    ) {
        let Value::Object(obj) = value else {
            self.diags.errors.push(IngestError::Invalid {
                file: self.path.to_string(),
                line,
                message: format!("{origin}: expected a Kubernetes object (a mapping with `kind` and `apiVersion`)"),
            });
            return;
        };
        let kind = str_field(&obj, "kind").or_else(|| inherited.map(|i| i.kind.clone()));
        let api_version = str_field(&obj, "apiVersion").or_else(|| inherited.map(|i| i.api_version.clone()));
        let resource = match name_of(&obj) {
            Some(n) => format!("{origin} (`{n}`)"),
            None => origin.clone(),
        };
        let (Some(kind), Some(api_version)) = (kind, api_version) else {
            for field in ["kind", "apiVersion"] {
                if str_field(&obj, field).is_none() && inherited.is_none() {
                    self.diags.errors.push(IngestError::MissingField {
                        file: self.path.to_string(),
                        line,
                        resource: resource.clone(),
                        field: field.into(),
                    });
                }
            }
            return;
        };

        let is_list = kind == "List" || (kind.ends_with("List") && obj.get("items").is_some_and(Value::is_array));
        if !is_list {
            self.out.push(RawObject {
                value: Value::Object(obj),
                kind,
                api_version,
                line,
                origin,
                json_path,
                end_line: None,
            });
            return;
        }
        let child_inherit = match kind.strip_suffix("List") {
            Some(k) if !k.is_empty() => Some(Inherited { kind: k.to_string(), api_version: api_version.clone() }),
            _ => None,
        };
        let items = match obj.get("items") {
            Some(Value::Array(items)) => items.clone(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                self.diags.errors.push(IngestError::InvalidField {
                    file: self.path.to_string(),
                    line,
                    resource,
                    field: "items".into(),
                    message: "must be a list of objects".into(),
                });
                return;
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            let mut path = json_path.clone();
            path.push("items".into());
            path.push(i.to_string());
            let name = item.as_object().and_then(name_of);
            let item_line = self.lines.item_line(&path, name.as_deref()).or(line);
            let item_origin =
                if origin != "the document" { format!("{origin} items[{i}]") } else { format!("items[{i}]") };
            self.object(item, item_line, item_origin, child_inherit.as_ref(), path);
        }
    }
}

fn str_field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// `metadata.name`, for messages and line search.
pub(super) fn name_of(obj: &Map<String, Value>) -> Option<String> {
    match obj.get("metadata")?.get("name")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Is this YAML (or JSON-in-YAML) line `name: <name>`?
fn is_name_line(line: &str, name: &str) -> bool {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").map(str::trim_start).unwrap_or(t);
    let Some(rest) = t.strip_prefix("name:").or_else(|| t.strip_prefix("\"name\":")) else {
        return false;
    };
    let mut v = rest.trim();
    if let Some(i) = v.find(" #") {
        v = v[..i].trim_end();
    }
    let v = v.trim_end_matches(',');
    let unquoted = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    unquoted == name
}

/// Index (into `lines`) of entry `index` of the block sequence under the
/// first `key:` line. Only block style is understood; flow style (`[...]`)
/// yields `None`.
fn yaml_seq_entry(lines: &[&str], key: &str, index: usize) -> Option<usize> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let is_key = |l: &str| {
        let t = l.trim_start();
        t.strip_prefix(key).and_then(|r| r.strip_prefix(':')).is_some_and(|r| {
            let r = r.trim();
            r.is_empty() || r.starts_with('#')
        })
    };
    let key_at = lines.iter().position(|l| is_key(l))?;
    let key_indent = indent(lines[key_at]);
    let mut item_indent = None;
    let mut n = 0;
    for (i, l) in lines.iter().enumerate().skip(key_at + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = indent(l);
        let is_item = t == "-" || t.starts_with("- ");
        match item_indent {
            None if is_item && ind >= key_indent => item_indent = Some(ind),
            None => return None,
            Some(ii) if ind < ii || (ind == ii && !is_item) => return None,
            Some(_) => {}
        }
        if is_item && Some(ind) == item_indent {
            if n == index {
                return Some(i);
            }
            n += 1;
        }
    }
    None
}

/// The first content line of each YAML document, in stream order.
///
/// A document starts at a `---` marker, or at the first content line when
/// the stream does not begin with one. Comments, blank lines and directives
/// are not content.
fn yaml_document_lines(text: &str) -> Vec<u32> {
    let mut starts = Vec::new();
    // A document is open (started by a marker or by content).
    let mut open = false;
    // The open document was started by a bare `---` and has no content yet:
    // its first content line replaces the marker's line.
    let mut awaiting_content = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line == "---" || line.starts_with("--- ") || line.starts_with("---\t") {
            starts.push(line_no(i));
            open = true;
            let inline = line[3..].trim();
            awaiting_content = inline.is_empty() || inline.starts_with('#');
            continue;
        }
        if line == "..." {
            open = false;
            awaiting_content = false;
            continue;
        }
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || (t.starts_with('%') && !open) {
            continue;
        }
        if !open {
            starts.push(line_no(i));
            open = true;
        } else if awaiting_content {
            if let Some(last) = starts.last_mut() {
                *last = line_no(i);
            }
        }
        awaiting_content = false;
    }
    starts
}

/// serde_yaml_ng appends " at line L column C"; we print the position ourselves.
fn strip_yaml_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => {
            // Keep any trailing context such as ", while parsing a flow sequence".
            let rest = &msg[i + " at line ".len()..];
            match rest.find(", ") {
                Some(j) => format!("{}{}", &msg[..i], &rest[j..]),
                None => msg[..i].to_string(),
            }
        }
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_lines() {
        assert_eq!(yaml_document_lines("a: 1\n---\nb: 2\n"), vec![1, 3]);
        assert_eq!(yaml_document_lines("# c\n---\n\na: 1\n---\n---\nb: 2\n...\n"), vec![4, 5, 7]);
        assert_eq!(yaml_document_lines("--- {a: 1}\n--- # x\nb: 1\n"), vec![1, 3]);
    }

    #[test]
    fn sequence_entries() {
        let kubectl = [
            "spec:",
            "  ingress:",
            "  - from:",
            "    - podSelector: {}",
            "  - ports:",
            "    - port: 80",
            "  podSelector: {}",
        ];
        assert_eq!(yaml_seq_entry(&kubectl, "ingress", 0), Some(2));
        assert_eq!(yaml_seq_entry(&kubectl, "ingress", 1), Some(4));
        assert_eq!(yaml_seq_entry(&kubectl, "ingress", 2), None);
        let indented = ["spec:", "  egress:", "    # c", "    - {}", "", "    - to: []"];
        assert_eq!(yaml_seq_entry(&indented, "egress", 1), Some(5));
        assert_eq!(yaml_seq_entry(&["  ingress: [{}]"], "ingress", 0), None);
    }

    #[test]
    fn name_lines() {
        assert!(is_name_line("    name: web-1", "web-1"));
        assert!(is_name_line("  name: 'web-1' # c", "web-1"));
        assert!(is_name_line("      \"name\": \"web-1\",", "web-1"));
        assert!(!is_name_line("    app.kubernetes.io/name: web-1", "web-1"));
        assert!(!is_name_line("    name: web-10", "web-1"));
    }

    #[test]
    fn strips_position() {
        assert_eq!(
            strip_yaml_position(
                "did not find expected ',' at line 4 column 2, while parsing a flow sequence at line 3 column 4"
            ),
            "did not find expected ',', while parsing a flow sequence at line 3 column 4"
        );
    }
}
