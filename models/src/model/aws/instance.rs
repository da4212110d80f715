use std::net::Ipv4Addr;

use super::{Scope, Tags};
use crate::model::Provenance;

#[derive(Debug, Clone)]
pub struct Instance {
    pub id: String,
    pub scope: Scope,
    pub instance_type: Option<String>,
    pub state: Option<String>,
    pub vpc_id: Option<String>,
    pub subnet_id: Option<String>,
    pub availability_zone: Option<String>,
    pub private_ip: Option<Ipv4Addr>,
    pub public_ip: Option<Ipv4Addr>,
    /// Attached ENIs ordered by device index; the first is the primary ENI.
    pub enis: Vec<String>,
    pub security_groups: Vec<String>,
    pub source_dest_check: bool,
    pub tags: Tags,
    pub prov: Provenance,
}

impl Instance {
    pub fn primary_eni(&self) -> Option<&str> {
        self.enis.first().map(String::as_str)
    }

    pub fn name(&self) -> Option<&str> {
        self.tags.get("Name").map(String::as_str)
    }
}
