//! Typed ingestion errors. Each names the file, and the line or resource where
//! known. They are rendered to text only at the edge (the CLI).

use std::fmt;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum IngestError {
    #[error("cannot read `{path}`: {message}")]
    Io { path: String, message: String },

    #[error("{file}:{line}:{column}: invalid JSON: {message}")]
    Json { file: String, line: usize, column: usize, message: String },

    #[error("{file}:{line}:{column}: invalid YAML: {message}")]
    Yaml { file: String, line: usize, column: usize, message: String },

    #[error("{file}{}: invalid snapshot.toml: {message}", loc(*line, *column))]
    Toml { file: String, line: Option<usize>, column: Option<usize>, message: String },

    #[error("{file}{}: {resource}: missing required field `{field}`", opt_line(*line))]
    MissingField { file: String, line: Option<u32>, resource: String, field: String },

    #[error("{file}{}: {resource}: invalid `{field}`: {message}", opt_line(*line))]
    InvalidField { file: String, line: Option<u32>, resource: String, field: String, message: String },

    #[error("{file}{}: {message}", opt_line(*line))]
    Invalid { file: String, line: Option<u32>, message: String },

    #[error("snapshot `{path}`: {message}")]
    Layout { path: String, message: String },
}

fn opt_line(line: Option<u32>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

fn loc(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl IngestError {
    pub fn file(&self) -> &str {
        match self {
            IngestError::Io { path, .. } | IngestError::Layout { path, .. } => path,
            IngestError::Json { file, .. }
            | IngestError::Yaml { file, .. }
            | IngestError::Toml { file, .. }
            | IngestError::MissingField { file, .. }
            | IngestError::InvalidField { file, .. }
            | IngestError::Invalid { file, .. } => file,
        }
    }
}

/// Every error found in one load: ingestion keeps going after an error so the
/// user sees all of them at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestErrors(pub Vec<IngestError>);

impl fmt::Display for IngestErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for IngestErrors {}
