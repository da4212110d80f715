//! Snapshot ingestion: raw AWS `describe-*` JSON and Kubernetes objects in,
//! one [`Network`] out.
//!
//! Layout (the input contract):
//! ```text
//! <snapshot>/snapshot.toml
//! <snapshot>/aws/<account-id>/<region>/*.json   describe/list responses
//! <snapshot>/k8s/<cluster-name>/*.yaml|*.json    kubectl Lists or manifests
//! ```
//! AWS files are recognised by their top-level keys, not their names.
//! Ingestion tolerates unknown fields, validates required ones, reports every
//! error it finds (not just the first) and records non-fatal findings as
//! [`Warning`]s.

pub mod aws;
mod config;
mod ctx;
mod error;
pub mod json_lines;
pub mod k8s;
mod link;
pub mod source;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use config::{line_col, ClusterConfig, SnapshotConfig};
pub use ctx::{Diagnostics, FileCtx};
pub use error::{IngestError, IngestErrors};
pub use source::{DirSource, MemSource, Source, SourceFile};

use crate::model::aws::Scope;
use crate::model::{Network, NetworkIndex, SnapshotMeta, Warning, WarningKind};

/// A loaded snapshot: the model, its derived index and every warning.
#[derive(Debug)]
pub struct Snapshot {
    pub network: Network,
    pub index: NetworkIndex,
    pub config: SnapshotConfig,
    /// Sorted and de-duplicated.
    pub warnings: Vec<Warning>,
    /// Every file read, with what it was recognised as.
    pub files: Vec<FileSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileSummary {
    pub path: String,
    /// Recognised contents, e.g. `SecurityGroups`; empty if not recognised.
    pub kinds: Vec<String>,
}

/// Reads and links a whole snapshot.
pub fn load_snapshot(source: &dyn Source) -> Result<Snapshot, IngestErrors> {
    let files = source.files().map_err(IngestErrors)?;
    let mut diags = Diagnostics::default();

    let Some(cfg_file) = files.iter().find(|f| f.path == "snapshot.toml") else {
        return Err(IngestErrors(vec![IngestError::Layout {
            path: source.describe(),
            message: "no `snapshot.toml` found (is this a snapshot directory?)".into(),
        }]));
    };
    let config = config::parse("snapshot.toml", &cfg_file.text).map_err(|e| IngestErrors(vec![e]))?;

    let mut builder = aws::AwsBuilder::default();
    let mut k8s_builder = k8s::K8sBuilder::new(&config);
    let mut summaries = Vec::new();
    for file in &files {
        if file.path == "snapshot.toml" {
            continue;
        }
        let parts: Vec<&str> = file.path.split('/').collect();
        let kinds = match parts.as_slice() {
            ["aws", account, region, rest @ ..] if !rest.is_empty() => {
                let scope = Scope { account: account.to_string(), region: region.to_string() };
                if !is_account_id(account) {
                    diags.errors.push(IngestError::Invalid {
                        file: file.path.clone(),
                        line: None,
                        message: format!(
                            "`{account}` is not a 12-digit account id (AWS files go under aws/<account-id>/<region>/)"
                        ),
                    });
                    continue;
                }
                if !file.path.ends_with(".json") {
                    diags.warnings.push(Warning::file(
                        WarningKind::UnrecognizedFile,
                        &file.path,
                        "not a .json file; AWS files are `aws ... --output json` responses",
                    ));
                    Vec::new()
                } else {
                    builder.ingest_file(&file.path, &file.text, scope, &mut diags)
                }
            }
            ["aws", ..] => {
                diags.errors.push(IngestError::Invalid {
                    file: file.path.clone(),
                    line: None,
                    message: "AWS files go under aws/<account-id>/<region>/".into(),
                });
                continue;
            }
            ["k8s", cluster, rest @ ..] if !rest.is_empty() => {
                let is_data = [".yaml", ".yml", ".json"].iter().any(|e| file.path.ends_with(e));
                if is_data {
                    k8s_builder.ingest_file(cluster, &file.path, &file.text, &mut diags)
                } else {
                    diags.warnings.push(Warning::file(
                        WarningKind::UnrecognizedFile,
                        &file.path,
                        "not a .yaml, .yml or .json file",
                    ));
                    Vec::new()
                }
            }
            ["k8s", ..] => {
                diags.errors.push(IngestError::Invalid {
                    file: file.path.clone(),
                    line: None,
                    message: "Kubernetes files go under k8s/<cluster-name>/".into(),
                });
                continue;
            }
            // Documentation and flow files may sit beside snapshot.toml.
            [name] if name.ends_with(".md") || name.ends_with(".jsonl") => continue,
            _ => {
                diags.warnings.push(Warning::file(
                    WarningKind::UnrecognizedFile,
                    &file.path,
                    "outside aws/ and k8s/; ignored",
                ));
                Vec::new()
            }
        };
        summaries.push(FileSummary { path: file.path.clone(), kinds });
    }

    let mut network = Network {
        meta: SnapshotMeta {
            name: config.name.clone(),
            captured_at: config.captured_at.as_ref().map(|t| t.to_string()),
        },
        ..Network::default()
    };
    builder.finish(&mut network, &mut diags);
    k8s_builder.finish(&mut network, &mut diags);
    link::link(&mut network, &mut diags);

    if !diags.errors.is_empty() {
        return Err(IngestErrors(diags.errors));
    }
    let (index, index_warnings) = NetworkIndex::build(&network);
    let mut warnings = diags.warnings;
    warnings.extend(index_warnings);
    warnings.sort();
    warnings.dedup();
    Ok(Snapshot { network, index, config, warnings, files: summaries })
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Interns file names so every provenance shares one allocation per file.
#[derive(Debug, Default)]
pub struct FileNames(BTreeMap<String, Arc<str>>);

impl FileNames {
    pub fn get(&mut self, path: &str) -> Arc<str> {
        self.0.entry(path.to_string()).or_insert_with(|| Arc::from(path)).clone()
    }
}
