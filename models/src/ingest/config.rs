//! `snapshot.toml`: the snapshot's name and its clusters' data-plane settings.

use serde::Deserialize;

use super::IngestError;

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct SnapshotConfig {
    #[serde(default)]
    pub name: String,
    /// When the snapshot was taken: a TOML date-time (`captured_at = 2026-11-20T09:00:00Z`).
    /// Reports show it as the snapshot's time; they never read the clock.
    #[serde(default)]
    pub captured_at: Option<toml::value::Datetime>,
    #[serde(default, rename = "cluster")]
    pub clusters: Vec<ClusterConfig>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct ClusterConfig {
    /// Matches the directory `k8s/<name>`.
    pub name: String,
    /// The VPC that gives pods their IPs (VPC CNI).
    pub vpc: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// `AWS_VPC_K8S_CNI_EXTERNALSNAT`. `false` (the VPC CNI default): pod
    /// traffic leaving the VPC CIDRs is SNATed to the node's primary IP.
    #[serde(default)]
    pub external_snat: bool,
    /// `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS`: destinations never SNATed.
    #[serde(default)]
    pub exclude_snat_cidrs: Vec<String>,
    /// `POD_SECURITY_GROUP_ENFORCING_MODE`: `strict` (default) or `standard`.
    #[serde(default = "default_mode")]
    pub pod_security_group_enforcing_mode: String,
    /// Whether NetworkPolicies are enforced (VPC CNI network policy agent, Calico, …).
    #[serde(default = "default_true")]
    pub network_policy_enforcement: bool,
}

fn default_mode() -> String {
    "strict".into()
}

fn default_true() -> bool {
    true
}

pub fn parse(file: &str, text: &str) -> Result<SnapshotConfig, IngestError> {
    let cfg: SnapshotConfig = toml::from_str(text).map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        IngestError::Toml { file: file.into(), line, column, message: e.message().to_string() }
    })?;
    for c in &cfg.clusters {
        if !matches!(c.pod_security_group_enforcing_mode.as_str(), "strict" | "standard") {
            let offset = text.find(&format!("\"{}\"", c.pod_security_group_enforcing_mode)).unwrap_or(0);
            let (l, col) = line_col(text, offset);
            return Err(IngestError::Toml {
                file: file.into(),
                line: Some(l),
                column: Some(col),
                message: format!(
                    "cluster `{}`: pod_security_group_enforcing_mode must be `strict` or `standard`, not `{}`",
                    c.name, c.pod_security_group_enforcing_mode
                ),
            });
        }
    }
    Ok(cfg)
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|s| s.chars().count()).unwrap_or(0) + 1;
    (line, col)
}
