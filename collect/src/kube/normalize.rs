//! From list items to the bytes of a `kubectl get <kind> -A -o json` file,
//! made deterministic: items sorted by namespace and name, volatile fields
//! stripped, object keys sorted, four-space indentation (kubectl's).

use serde::Serialize;
use serde_json::{Map, Value};

/// Annotation holding a leader-election record, renewed every few seconds on
/// some legacy Endpoints objects.
const LEADER_ANNOTATION: &str = "control-plane.alpha.kubernetes.io/leader";

/// Prepares one item as kubectl prints it: `apiVersion` and `kind` set (the
/// API server omits them on list items), volatile fields removed.
pub fn item(mut v: Value, api_version: &str, kind: &str) -> Value {
    let Value::Object(obj) = &mut v else {
        return v;
    };
    if obj.get("apiVersion").and_then(Value::as_str).is_none_or(str::is_empty) {
        obj.insert("apiVersion".into(), Value::String(api_version.into()));
    }
    if obj.get("kind").and_then(Value::as_str).is_none_or(str::is_empty) {
        obj.insert("kind".into(), Value::String(kind.into()));
    }
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        // Server bookkeeping that changes without the object changing.
        meta.remove("managedFields");
        meta.remove("resourceVersion");
        meta.remove("selfLink");
        if let Some(Value::Object(ann)) = meta.get_mut("annotations") {
            ann.remove(LEADER_ANNOTATION);
            if ann.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    if kind == "Node" {
        if let Some(Value::Object(status)) = obj.get_mut("status") {
            // Kubelet heartbeats (every ~10 s to 1 min) and the image list,
            // which churns with every pull; netprove reads neither.
            status.remove("images");
            if let Some(Value::Array(conditions)) = status.get_mut("conditions") {
                for c in conditions.iter_mut() {
                    if let Value::Object(c) = c {
                        c.remove("lastHeartbeatTime");
                    }
                }
            }
        }
    }
    v
}

/// `metadata.namespace` and `metadata.name`, the sort key.
fn sort_key(v: &Value) -> (String, String) {
    let meta = v.get("metadata");
    let s = |k: &str| meta.and_then(|m| m.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
    (s("namespace"), s("name"))
}

/// The file for a list of (already prepared) items.
pub fn list_file(mut items: Vec<Value>) -> Vec<u8> {
    items.sort_by_key(sort_key);
    let mut list = Map::new();
    list.insert("apiVersion".into(), Value::String("v1".into()));
    list.insert("items".into(), Value::Array(items));
    list.insert("kind".into(), Value::String("List".into()));
    let mut meta = Map::new();
    meta.insert("resourceVersion".into(), Value::String(String::new()));
    list.insert("metadata".into(), Value::Object(meta));
    to_bytes(&canonical(Value::Object(list)))
}

/// Recursively rebuilds objects with their keys in sorted order, so the
/// output does not depend on serde_json's map type or the server's order.
pub fn canonical(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, canonical(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(canonical).collect()),
        other => other,
    }
}

fn to_bytes(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    // INVARIANT: serializing a `Value` into a Vec cannot fail (string keys only).
    if v.serialize(&mut ser).is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_get_kind_and_lose_volatile_fields() {
        let v = json!({"metadata":{"name":"ip-10-0-1-5","resourceVersion":"981","managedFields":[{"manager":"kubelet"}]},
            "status":{"images":[{"names":["x"]}],"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2026-01-01T00:00:00Z","lastTransitionTime":"2025-12-01T00:00:00Z"}]}});
        let out = item(v, "v1", "Node");
        assert_eq!(
            out,
            json!({"apiVersion":"v1","kind":"Node","metadata":{"name":"ip-10-0-1-5"},
                "status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2025-12-01T00:00:00Z"}]}})
        );
    }

    #[test]
    fn list_files_are_sorted_and_stable() {
        let a = json!({"kind":"Pod","apiVersion":"v1","metadata":{"namespace":"b","name":"x"}});
        let b = json!({"metadata":{"name":"y","namespace":"a"},"apiVersion":"v1","kind":"Pod"});
        let one = list_file(vec![a.clone(), b.clone()]);
        let two = list_file(vec![b, a]);
        assert_eq!(one, two);
        let text = String::from_utf8(one).unwrap();
        assert!(text.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"), "{text}");
        assert!(text.find("\"y\"").unwrap() < text.find("\"x\"").unwrap());
        assert!(text.ends_with("}\n"));
    }
}
