use super::Labels;
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct Namespace {
    pub name: String,
    /// Includes `kubernetes.io/metadata.name`, which the API server sets
    /// automatically and which ingestion adds when a file omits it.
    pub labels: Labels,
    pub prov: Provenance,
}
