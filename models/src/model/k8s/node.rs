use std::net::Ipv4Addr;

use super::Labels;
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub labels: Labels,
    pub internal_ips: Vec<Ipv4Addr>,
    /// `spec.providerID`, e.g. `aws:///us-east-1a/i-0abc…`.
    pub provider_id: Option<String>,
    /// The EC2 instance id parsed from the provider id.
    pub instance_id: Option<String>,
    pub availability_zone: Option<String>,
    pub prov: Provenance,
}
