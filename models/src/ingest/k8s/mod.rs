//! Kubernetes objects → model (placeholder).

use crate::ingest::{Diagnostics, SnapshotConfig};
use crate::model::Network;

pub struct K8sBuilder {}

impl K8sBuilder {
    pub fn new(_config: &SnapshotConfig) -> Self {
        Self {}
    }

    pub fn ingest_file(&mut self, _cluster: &str, _path: &str, _text: &str, _diags: &mut Diagnostics) -> Vec<String> {
        Vec::new()
    }

    pub fn finish(self, _net: &mut Network, _diags: &mut Diagnostics) {}
}
