//! netprove's vendor-neutral network model and its ingestion.
//!
//! Data flows one way: [`ingest`] reads a snapshot (raw AWS `describe-*` JSON and
//! Kubernetes objects) and produces a [`model::Network`]. The model itself is pure
//! data plus pure derived indexes: it never does IO.

pub mod ingest;
pub mod model;

pub use ingest::{load_snapshot, IngestError, IngestErrors, Snapshot};
pub use model::Network;
