//! Line numbers for JSON values. serde_json does not keep spans, so this small
//! scanner walks the text once and records the 1-based line where each array
//! element starts, keyed by its path (`SecurityGroups/3/IpPermissions/0`).

use std::collections::HashMap;

/// Deepest path recorded; deeper elements take their ancestor's line.
const MAX_DEPTH: usize = 6;

#[derive(Debug, Default)]
pub struct JsonLines {
    lines: HashMap<String, u32>,
}

enum Frame {
    Object { key: Option<String> },
    Array { index: usize },
}

impl JsonLines {
    pub fn index(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut line: u32 = 1;
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b'\n' => line += 1,
                b' ' | b'\t' | b'\r' | b',' | b':' => {}
                b'"' => {
                    let start = i + 1;
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        if bytes[i] == b'\\' {
                            i += 1;
                        } else if bytes[i] == b'\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                    let s = text.get(start..i.min(bytes.len())).unwrap_or("");
                    // A string inside an object, not after ':', is a key.
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        if key.is_none() {
                            *key = Some(s.to_string());
                            i += 1;
                            continue;
                        }
                        *key = None;
                    } else {
                        Self::element_done(&mut stack);
                    }
                }
                b'{' | b'[' => {
                    if let Some(Frame::Array { .. }) = stack.last() {
                        Self::record(&stack, &mut lines, line);
                    }
                    stack.push(if c == b'{' { Frame::Object { key: None } } else { Frame::Array { index: 0 } });
                }
                b'}' | b']' => {
                    stack.pop();
                    match stack.last_mut() {
                        Some(Frame::Object { key }) => *key = None,
                        Some(Frame::Array { index }) => *index += 1,
                        None => {}
                    }
                }
                _ => {
                    // A scalar (number, true, false, null): skip it.
                    while i + 1 < bytes.len() && !matches!(bytes[i + 1], b',' | b'}' | b']' | b'\n' | b' ') {
                        i += 1;
                    }
                    match stack.last_mut() {
                        Some(Frame::Object { key }) => *key = None,
                        Some(Frame::Array { .. }) => Self::element_done(&mut stack),
                        None => {}
                    }
                }
            }
            i += 1;
        }
        JsonLines { lines }
    }

    fn element_done(stack: &mut [Frame]) {
        if let Some(Frame::Array { index }) = stack.last_mut() {
            *index += 1;
        }
    }

    fn record(stack: &[Frame], lines: &mut HashMap<String, u32>, line: u32) {
        if stack.len() > MAX_DEPTH {
            return;
        }
        let mut path = String::new();
        for f in stack {
            match f {
                Frame::Object { key: Some(k) } => {
                    path.push_str(k);
                    path.push('/');
                }
                Frame::Object { key: None } => {}
                Frame::Array { index } => {
                    path.push_str(&index.to_string());
                    path.push('/');
                }
            }
        }
        path.pop();
        lines.entry(path).or_insert(line);
    }

    /// The line of the array element at `path` (e.g. `["SecurityGroups", "3"]`).
    pub fn line(&self, path: &[&str]) -> Option<u32> {
        self.lines.get(&path.join("/")).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_array_elements() {
        let text =
            "{\n  \"A\": [\n    {\"x\": 1},\n    {\n      \"y\": [\n        {\"z\": \"a,b\"}\n      ]\n    }\n  ]\n}\n";
        let idx = JsonLines::index(text);
        assert_eq!(idx.line(&["A", "0"]), Some(3));
        assert_eq!(idx.line(&["A", "1"]), Some(4));
        assert_eq!(idx.line(&["A", "1", "y", "0"]), Some(6));
        assert_eq!(idx.line(&["A", "2"]), None);
    }

    #[test]
    fn scalars_advance_indexes() {
        let text = "{\"A\": [1, \"two\", {\"k\": true}]}";
        let idx = JsonLines::index(text);
        assert_eq!(idx.line(&["A", "2"]), Some(1));
    }
}
