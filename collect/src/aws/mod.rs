//! AWS collector (aws-sdk-ec2, aws-sdk-networkfirewall). Being built: this
//! placeholder only fixes the interface `main.rs` calls.

/// Arguments of `netprove-collect aws`.
#[derive(Debug, Clone, clap::Args)]
pub struct AwsArgs {
    /// The snapshot directory to write (created if absent).
    #[arg(long)]
    pub out: std::path::PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum AwsError {
    #[error("the AWS collector is not built yet")]
    NotBuilt,
}

/// Collects and writes the snapshot; returns a one-line summary.
pub fn run(_args: &AwsArgs) -> Result<String, AwsError> {
    Err(AwsError::NotBuilt)
}
