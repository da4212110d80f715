//! Where a model element came from: file, line, resource and entry.

use std::fmt;
use std::sync::Arc;

/// Provenance of one model element, e.g. `sg-0ab12/ingress#2` read from
/// `aws/111111111111/us-east-1/describe-security-groups.json:45`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Provenance {
    /// Path of the source file, relative to the snapshot root.
    pub file: Arc<str>,
    /// 1-based line of the element in the file, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The resource id (`sg-…`, `acl-…`) or Kubernetes name (`prod/tenant-a/deny-all`).
    pub resource: String,
    /// The entry inside the resource (`ingress#2`, `rule 100 egress`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
}

impl Provenance {
    pub fn new(file: Arc<str>, line: Option<u32>, resource: impl Into<String>) -> Self {
        Self { file, line, resource: resource.into(), entry: None }
    }

    /// The same resource, narrowed to one entry; `line` overrides when known.
    pub fn entry(&self, entry: impl Into<String>, line: Option<u32>) -> Self {
        Self {
            file: self.file.clone(),
            line: line.or(self.line),
            resource: self.resource.clone(),
            entry: Some(entry.into()),
        }
    }

    /// `resource/entry`, the short form used in hops and explanations.
    pub fn short(&self) -> String {
        match &self.entry {
            Some(e) => format!("{}/{}", self.resource, e),
            None => self.resource.clone(),
        }
    }

    /// `file:line`, or just `file`.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{}", self.file, l),
            None => self.file.to_string(),
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.short(), self.location())
    }
}
