use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct InternetGateway {
    pub id: String,
    pub scope: Scope,
    /// VPCs it is attached to (state `available`/`attached`).
    pub vpcs: Vec<String>,
    pub tags: Tags,
    pub prov: Provenance,
}
