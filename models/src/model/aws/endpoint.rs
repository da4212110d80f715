use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum VpcEndpointType {
    Interface,
    Gateway,
    GatewayLoadBalancer,
    Other,
}

#[derive(Debug, Clone)]
pub struct VpcEndpoint {
    pub id: String,
    pub scope: Scope,
    pub vpc_id: String,
    pub service_name: String,
    pub endpoint_type: VpcEndpointType,
    pub state: Option<String>,
    pub subnets: Vec<String>,
    pub route_tables: Vec<String>,
    pub enis: Vec<String>,
    pub security_groups: Vec<String>,
    pub policy_document: Option<String>,
    pub tags: Tags,
    pub prov: Provenance,
}
