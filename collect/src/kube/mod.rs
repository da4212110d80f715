//! Kubernetes collector (kube). Being built: this placeholder only fixes the
//! interface `main.rs` calls.

/// Arguments of `netprove-collect kube`.
#[derive(Debug, Clone, clap::Args)]
pub struct KubeArgs {
    /// The snapshot directory to write (created if absent).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum KubeError {
    #[error("the Kubernetes collector is not built yet")]
    NotBuilt,
}

/// Collects and writes the cluster's objects; returns a one-line summary.
pub fn run(_args: &KubeArgs) -> Result<String, KubeError> {
    Err(KubeError::NotBuilt)
}
