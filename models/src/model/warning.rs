//! Non-fatal findings made while building the model (Batfish's `Warnings`).

use std::fmt;

use super::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    /// A feature netprove parses but does not model (IPv6, an unknown target kind, …).
    Unsupported,
    /// A reference to something the snapshot does not contain.
    DanglingReference,
    /// A pod whose IP no ENI owns.
    UnownedPodIp,
    /// A file under `aws/` or `k8s/` that netprove did not recognise.
    UnrecognizedFile,
    /// A construct netprove only approximates (e.g. an uninterpreted Suricata option).
    Approximation,
    /// A suspicious but legal configuration (duplicate ids, conflicting facts, …).
    Suspicious,
}

impl WarningKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::Unsupported => "unsupported",
            WarningKind::DanglingReference => "dangling-reference",
            WarningKind::UnownedPodIp => "unowned-pod-ip",
            WarningKind::UnrecognizedFile => "unrecognized-file",
            WarningKind::Approximation => "approximation",
            WarningKind::Suspicious => "suspicious",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    /// Snapshot-relative file the warning is about.
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The resource concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    pub message: String,
}

impl Warning {
    pub fn at(kind: WarningKind, prov: &Provenance, message: impl Into<String>) -> Self {
        Self {
            kind,
            file: prov.file.to_string(),
            line: prov.line,
            resource: Some(prov.short()),
            message: message.into(),
        }
    }

    pub fn file(kind: WarningKind, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self { kind, file: file.into(), line: None, resource: None, message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.kind.as_str())?;
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(r) = &self.resource {
            write!(f, " {r}")?;
        }
        write!(f, ": {}", self.message)
    }
}
