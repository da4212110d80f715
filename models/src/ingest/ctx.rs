//! Per-file ingestion context: provenance, line lookup and error helpers.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::json_lines::JsonLines;
use super::IngestError;
use crate::model::{Provenance, Warning, WarningKind};

/// Errors and warnings collected during one load.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<IngestError>,
    pub warnings: Vec<Warning>,
}

/// Context for one JSON file.
pub struct FileCtx<'a> {
    pub file: Arc<str>,
    pub lines: JsonLines,
    pub diags: &'a mut Diagnostics,
}

impl<'a> FileCtx<'a> {
    /// Parses `text` as JSON, reporting syntax errors with line and column.
    pub fn parse_json(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Value> {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.errors.push(IngestError::Json {
                    file: file.to_string(),
                    line: e.line(),
                    column: e.column(),
                    message: strip_position(&e.to_string()),
                });
                None
            }
        }
    }

    pub fn new(file: Arc<str>, text: &str, diags: &'a mut Diagnostics) -> Self {
        Self { file, lines: JsonLines::index(text), diags }
    }

    pub fn line(&self, path: &[&str]) -> Option<u32> {
        self.lines.line(path)
    }

    pub fn prov(&self, path: &[&str], resource: impl Into<String>) -> Provenance {
        Provenance::new(self.file.clone(), self.line(path), resource)
    }

    pub fn missing(&mut self, line: Option<u32>, resource: impl Into<String>, field: &str) {
        self.diags.errors.push(IngestError::MissingField {
            file: self.file.to_string(),
            line,
            resource: resource.into(),
            field: field.into(),
        });
    }

    pub fn invalid(&mut self, line: Option<u32>, resource: impl Into<String>, field: &str, message: impl Into<String>) {
        self.diags.errors.push(IngestError::InvalidField {
            file: self.file.to_string(),
            line,
            resource: resource.into(),
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn warn(&mut self, kind: WarningKind, prov: &Provenance, message: impl Into<String>) {
        self.diags.warnings.push(Warning::at(kind, prov, message));
    }

    /// Deserializes each element of the array under `key` into `T`. An element
    /// that does not fit is reported with its JSON path and line, and skipped
    /// (the load then fails, so nothing is silently dropped).
    pub fn items<T: DeserializeOwned>(&mut self, key: &str, value: &Value) -> Vec<(usize, T)> {
        self.items_at(&[key], value)
    }

    /// As [`Self::items`], for an array nested at `path` (for lines and messages).
    pub fn items_at<T: DeserializeOwned>(&mut self, path: &[&str], value: &Value) -> Vec<(usize, T)> {
        let mut key = String::new();
        for part in path {
            if part.bytes().all(|b| b.is_ascii_digit()) {
                key.push_str(&format!("[{part}]"));
            } else {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(part);
            }
        }
        let key = key.as_str();
        let Some(arr) = value.as_array() else {
            if !value.is_null() {
                self.diags.errors.push(IngestError::Invalid {
                    file: self.file.to_string(),
                    line: None,
                    message: format!("`{key}` must be an array"),
                });
            }
            return Vec::new();
        };
        let mut out = Vec::with_capacity(arr.len());
        for (i, item) in arr.iter().enumerate() {
            let idx = i.to_string();
            match serde_path_to_error::deserialize::<_, T>(item) {
                Ok(t) => out.push((i, t)),
                Err(e) => {
                    let field = e.path().to_string();
                    let mut at: Vec<&str> = path.to_vec();
                    at.push(&idx);
                    let line = self.line(&at);
                    let resource = describe_item(item).unwrap_or_else(|| format!("{key}[{i}]"));
                    self.diags.errors.push(IngestError::InvalidField {
                        file: self.file.to_string(),
                        line,
                        resource,
                        field,
                        message: e.into_inner().to_string(),
                    });
                }
            }
        }
        out
    }

    /// Deserializes one object.
    pub fn one<T: DeserializeOwned>(&mut self, key: &str, value: &Value) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(t) => Some(t),
            Err(e) => {
                let path = e.path().to_string();
                self.diags.errors.push(IngestError::InvalidField {
                    file: self.file.to_string(),
                    line: None,
                    resource: describe_item(value).unwrap_or_else(|| key.to_string()),
                    field: if path == "." { key.to_string() } else { format!("{key}.{path}") },
                    message: e.into_inner().to_string(),
                });
                None
            }
        }
    }
}

/// A best-effort name for an element, for messages: its first `…Id` field.
fn describe_item(item: &Value) -> Option<String> {
    let obj = item.as_object()?;
    for key in [
        "GroupId",
        "NetworkAclId",
        "RouteTableId",
        "SubnetId",
        "VpcId",
        "NetworkInterfaceId",
        "InstanceId",
        "ReservationId",
        "InternetGatewayId",
        "NatGatewayId",
        "VpcPeeringConnectionId",
        "VpcEndpointId",
        "PrefixListId",
        "TransitGatewayAttachmentId",
        "TransitGatewayRouteTableId",
        "TransitGatewayId",
        "SecurityGroupRuleId",
    ] {
        if let Some(Value::String(s)) = obj.get(key) {
            return Some(s.clone());
        }
    }
    None
}

/// serde_json appends " at line L column C"; we print the position ourselves.
pub fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
